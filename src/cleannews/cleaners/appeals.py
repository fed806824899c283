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
from ..rulescan import block_rules
from .base import RuleCleaner, rule_reason, rulebook

_ADDRESSED = re.compile(r"\b(you|your|us|our|we)\b", re.I)
# HTML blocks that are not an appeal's paragraphs: a heading or a list item / table row that mentions
# PayPal or a tax-deductible expense is the article's subject matter, and an appeal never runs
# across a section heading
_HEADINGS = frozenset({"h", "h1", "h2", "h3", "h4", "h5", "h6"})
_NOT_TRIGGERS = _HEADINGS | {"li", "tr"}


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
        rules = block_rules(rulebook(self.name, self.rules_file), doc)
        # positions among the blocks still free: chrome taken out earlier (an ad marker) neither
        # separates nor joins triggers, so cleaning the result again decides the same
        seq = [b.index for b in doc.free()]
        hits: dict[int, Rule] = {}
        for p, i in enumerate(seq):
            if doc.blocks[i].tag in _NOT_TRIGGERS:
                continue
            rule = rules[i]
            if rule is not None:
                hits[p] = rule
        triggers = sorted(p for p, r in hits.items() if r.id != "appeal-thanks")
        headings = {p for p, i in enumerate(seq) if doc.blocks[i].tag in _HEADINGS}
        for span in self._spans(doc, seq, triggers, headings):
            first, last = span[0], span[-1]
            if len(span) == 1 and not self._strong(doc, seq[first], hits[first]):
                continue
            for p in range(first, last + 1):
                i = seq[p]
                if p in hits:
                    reason = rule_reason(hits[p], doc.blocks[i].text)
                else:
                    reason = f"inside the appeal of blocks {seq[first]}-{seq[last]}"
                doc.label(i, "donation", cleaner=self.name, reason=reason)
            nxt = last + 1
            if nxt in hits and hits[nxt].id == "appeal-thanks":
                doc.label(
                    seq[nxt], "donation", cleaner=self.name, reason=rule_reason(hits[nxt], doc.blocks[seq[nxt]].text)
                )

    def _spans(self, doc: Document, seq: list[int], triggers: list[int], headings: set[int]) -> list[list[int]]:
        """Triggers joined into appeals: close together, no heading between, and whatever lies between
        them speaks to or for the reader ("we", "your") as appeal paragraphs do."""
        spans: list[list[int]] = []
        for p in triggers:
            if spans:
                prev = spans[-1][-1]
                between = range(prev + 1, p)
                if (
                    p - prev - 1 <= self.max_gap
                    and p - spans[-1][0] < self.max_span
                    and not any(prev < h < p for h in headings)
                    and all(_ADDRESSED.search(doc.blocks[seq[q]].text) for q in between)
                ):
                    spans[-1].append(p)
                    continue
            spans.append([p])
        return spans

    @staticmethod
    def _strong(doc: Document, index: int, rule: Rule) -> bool:
        text = doc.blocks[index].text
        n_words = len(text.split())
        return (
            rule.id in {"appeal-cta", "appeal-postal"}
            or n_words <= 6
            or (bool(_ADDRESSED.search(text)) and n_words <= 60)
        )
