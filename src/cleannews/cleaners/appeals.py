"""Donation and support appeals, which span several paragraphs.

Each block a donation rule matches is a *trigger*. Triggers no more than ``max_gap`` blocks apart form
one appeal, and the blocks between them go with it (an appeal's middle paragraph often names no money
at all). A lone trigger counts only when it is a call to action or speaks to the reader, so a news
paragraph that merely mentions donations stays. A thank-you line right after an appeal closes it.
"""

from __future__ import annotations

import re
from typing import ClassVar

import attrs

from ..document import Document
from ..rulebook import Rule
from .base import RuleCleaner, rule_reason, rulebook

_ADDRESSED = re.compile(r"\b(you|your|us|our|we)\b", re.I)


@attrs.frozen
class Donations(RuleCleaner):
    """Support appeals ("Your support helps us…", "Donate by PayPal") and the paragraphs between them.

    Options: ``max_gap`` (default 2) — free blocks allowed between two triggers of one appeal;
    ``max_span`` (default 12) — the longest appeal, in blocks.
    """

    name: ClassVar[str] = "donations"
    max_gap: int = 2
    max_span: int = 12

    def __call__(self, doc: Document) -> None:
        book = rulebook(self.name, self.rules_file)
        hits: dict[int, Rule] = {}
        for block in doc.free():
            rule = book.match(block.text, doc.language, doc.key(block.index))
            if rule is not None:
                hits[block.index] = rule
        triggers = sorted(i for i, r in hits.items() if r.id != "appeal-thanks")
        for span in self._spans(triggers):
            first, last = span[0], span[-1]
            if len(span) == 1 and not self._strong(doc, first, hits[first]):
                continue
            for i in range(first, last + 1):
                if i in hits:
                    reason = rule_reason(hits[i], doc.blocks[i].text)
                else:
                    reason = f"inside the appeal of blocks {first}-{last}"
                doc.label(i, "donation", cleaner=self.name, reason=reason)
            nxt = last + 1
            if nxt in hits and hits[nxt].id == "appeal-thanks":
                doc.label(nxt, "donation", cleaner=self.name, reason=rule_reason(hits[nxt], doc.blocks[nxt].text))

    def _spans(self, triggers: list[int]) -> list[list[int]]:
        spans: list[list[int]] = []
        for i in triggers:
            if spans and i - spans[-1][-1] - 1 <= self.max_gap and i - spans[-1][0] < self.max_span:
                spans[-1].append(i)
            else:
                spans.append([i])
        return spans

    @staticmethod
    def _strong(doc: Document, index: int, rule: Rule) -> bool:
        text = doc.blocks[index].text
        return rule.id in {"appeal-cta", "appeal-postal"} or (
            bool(_ADDRESSED.search(text)) and len(text.split()) <= 60
        )
