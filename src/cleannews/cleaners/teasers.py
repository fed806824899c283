"""Teaser lists: a heading ("Hot this week", "Related Articles") over headline + truncated-teaser items.

Two ways in: a heading that a ``teasers`` rule matches, followed by list items; or, with no heading, a
run of at least ``min_pairs`` headline + "…" teaser pairs. A list ends at the first block that reads
like prose. Already-labelled blocks inside a list (an ad marker) do not end it, nor, in a list without
a heading, a bare lower-case line (a category tag's shape) or a comment counter.
"""

from __future__ import annotations

import bisect
import itertools
import operator
from typing import ClassVar

import attrs

from ..document import Document
from ..rulescan import block_rules, page_of
from .base import RuleCleaner, ends_with_ellipsis, is_headline, rule_reason, rulebook, words
from .comment_rules import is_comment_counter
from .metadata_lines import tag_shaped


def _ellipsis_lines(doc: Document) -> list[int]:
    """The blocks that end with "..." or "…", in order (found in the page's lower-cased lines at once:
    lower-casing makes no dot or ellipsis and leaves them alone)."""
    page = page_of(doc)
    found = {*page.lines_with("..."), *page.lines_with("…")}
    return sorted(i for i in found if ends_with_ellipsis(doc.blocks[i].text))


@attrs.frozen
class Teasers(RuleCleaner):
    """Teaser/recommendation lists and their headings.

    Options: ``min_pairs`` (default 2) — headline + teaser pairs that make a list without a heading;
    ``max_item_words`` (default 22) — the longest headline item.
    """

    name: ClassVar[str] = "teasers"
    min_pairs: int = 2
    max_item_words: int = 22

    def _is_item(self, text: str) -> bool:
        return ends_with_ellipsis(text) or is_headline(text, self.max_item_words)

    def __call__(self, doc: Document) -> None:
        rules = block_rules(rulebook(self.name, self.rules_file), doc)
        labels = doc.labels
        for i in itertools.compress(itertools.count(), map(operator.is_not, rules, itertools.repeat(None))):
            rule = rules[i]
            if rule is None or labels[i] is not None:
                continue
            text = doc.blocks[i].text
            items = self._run(doc, i + 1)
            doc.label(i, "teaser", cleaner=self.name, reason=rule_reason(rule, text))
            for j in items:
                doc.label(j, "teaser", cleaner=self.name, reason=f"item of the teaser list under {text!r}")
        self._pairs(doc)

    def _pairs(self, doc: Document) -> None:
        """Lists without a heading: headline, "…" teaser, headline, "…" teaser — over the blocks still
        free, so chrome already taken out between them (an ad marker) does not break a list."""
        labels = doc.labels
        teasers = [i for i in _ellipsis_lines(doc) if labels[i] is None]
        if not teasers:  # no teaser, no pair
            return
        # a line that a cleaner after this one may take does not break a list — a tag-shaped line ("north
        # korea", the category tag's) or a comment counter ("3 Comments", the comments cleaner's): the
        # list must be the same when the result, without them, is cleaned again
        blocks = doc.blocks
        free = [
            i
            for i in itertools.compress(itertools.count(), map(operator.is_, labels, itertools.repeat(None)))
            if not tag_shaped(blocks[i].text) and not is_comment_counter(doc, i)
        ]
        k = 0
        # a pair at free[m], free[m + 1] needs a teaser at m + 1: a list can start only before one
        for t in (bisect.bisect_left(free, i) for i in teasers):
            if t - 1 < k:
                continue
            k = t - 1
            pairs = 0
            m = k
            while m + 1 < len(free) and self._pair(doc, free[m], free[m + 1]):
                pairs += 1
                m += 2
            if pairs >= self.min_pairs:
                for j in free[k:m]:
                    doc.label(j, "teaser", cleaner=self.name, reason=f"{pairs} headline + teaser pairs")
                k = m
            else:
                k += 1

    def _pair(self, doc: Document, head: int, tease: int) -> bool:
        head_text, tease_text = doc.blocks[head].text, doc.blocks[tease].text
        return (
            ends_with_ellipsis(tease_text) and is_headline(head_text, self.max_item_words) and words(tease_text) <= 60
        )

    def _run(self, doc: Document, start: int) -> list[int]:
        """The list items after a heading; a last headline right before prose is left (it may be a title)."""
        items: list[int] = []
        j = start
        while j < len(doc.blocks):
            if not doc.is_free(j):
                if doc.kind_of(j) in {"title", "body", "comment"}:
                    break
                j += 1
                continue
            text = doc.blocks[j].text
            if not self._is_item(text) or is_comment_counter(doc, j):
                break
            items.append(j)
            j += 1
        has_teasers = any(ends_with_ellipsis(doc.blocks[k].text) for k in items)
        if items and not has_teasers and j < len(doc.blocks) and doc.is_free(j):
            items.pop()
        return items
