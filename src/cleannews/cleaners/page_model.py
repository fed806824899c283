"""Whole-page text: the lines around the article that no rule names — menus, headers, footers, teasers.

Text mode only. The page model (:mod:`cleannews.pagemodel`) scores every line that the cleaners before
it left free and decides, over the whole page at once, which contiguous runs are the article; each
other free line is labelled chrome with the model's probability in the reason. Its headline — the line
before the article that matches the page's ``<title>`` line — becomes the title.

A text that is not a whole page is left alone: a short text (fewer than ``min_lines`` free lines —
the model learnt from pages of hundreds), or one that is already (nearly) all article, such as a cleaned
article pasted back in: when the model would drop less than ``min_drop_share`` of the free words,
nothing is removed.

Cleaning the result again changes nothing: before labelling, the cleaner looks at the text its result
would be (the title, then the article lines) and drops now what the model would drop there (see
:meth:`PageModel._settle` and ``docs/text-mode.md``).
"""

from __future__ import annotations

from itertools import compress
from typing import Any, ClassVar, NamedTuple

import attrs

from .. import kinds
from ..document import Document
from .base import is_headline


@attrs.frozen
class PageModel:
    """Labels the free lines of a whole page that are not the article (text mode).

    Options: ``min_lines`` (default 8) — texts with fewer free lines are left alone;
    ``min_drop_share`` (default 0.03) — below this share of the free words the page counts as already
    clean and is left alone; ``title`` (default true) — label the model's headline as the title.
    """

    name: ClassVar[str] = "page_model"
    min_lines: int = 8
    min_drop_share: float = 0.03
    title: bool = True

    def __attrs_post_init__(self) -> None:
        if not 0.0 <= self.min_drop_share <= 1.0:
            raise ValueError("min_drop_share must be between 0 and 1")

    def __call__(self, doc: Document) -> None:
        if doc.mode != "text" or not doc.blocks:
            return
        from ..pagemodel import features

        labels = [None if label is None else label.kind for label in doc.labels]
        free = [i for i, kind in enumerate(labels) if kind is None]
        if len(free) < self.min_lines:
            return
        texts = [b.text for b in doc.blocks]
        stats = features.line_stats(texts, labels, doc.language)
        decision = self._decide(texts, labels, stats, free)
        article, headline = decision.article, decision.headline
        if not decision.acts:
            # left alone — unless the text this gives, cleaned again, would not be left alone
            article, headline = set(free), None
        settled = self._settle(texts, stats, article, headline)
        if settled is None or (not decision.acts and settled == (set(free), None, set())):
            return
        article, headline, tags = settled
        self._label(doc, texts, stats, decision, article, headline, tags)

    def _label(
        self,
        doc: Document,
        texts: list[str],
        stats: Any,
        decision: _Decision,
        article: set[int],
        headline: int | None,
        tags: set[int],
    ) -> None:
        """Label the category tags, the headline and the free lines outside the article (the article
        lines stay free); ``decision`` is the model's on the whole page, for the probabilities."""
        probability = dict(zip(decision.free, decision.probabilities, strict=True))
        for i in sorted(tags & probability.keys()):
            doc.label(i, "tag", cleaner=self.name, reason="short lower-case line at the top of the article (category tag)",
                      data={"tags": [texts[i]]})  # fmt: skip
        if headline is not None and headline not in tags and headline in probability:
            p = probability[headline]
            doc.label(
                headline, kinds.TITLE, cleaner=self.name, reason=f"model: the headline of the article (p={p:.2f} body)"
            )
        chrome = sorted(probability.keys() - article - tags - {headline})
        if not chrome:
            return
        kinds_of = _kinds(stats)
        first, last = (min(article), max(article)) if article else (len(texts), -1)
        for i in chrome:
            where = "before the article" if i < first else "after the article" if i > last else "inside the article"
            doc.label(i, kinds_of[i], cleaner=self.name, reason=f"model: p={probability[i]:.2f} body, {where}")

    def _decide(self, texts: list[str], labels: list[str | None], stats: Any, free: list[int]) -> _Decision:
        """The model's decision on a page with at least ``min_lines`` free lines ``free``."""
        from ..pagemodel import load_model

        model = load_model()
        probabilities, decided, words = model.decide(stats, free)
        article = set(compress(free, decided))
        total = sum(words)
        if not total or sum(w for w, d in zip(words, decided, strict=True) if not d) < self.min_drop_share * total:
            return _Decision(free, probabilities, article, None, False)
        headline = model.headline_before(texts, labels, min(article, default=None)) if self.title else None
        if headline is not None and not _headline_shaped(texts[headline]):
            headline = None
        if headline is not None:
            article.discard(headline)
        return _Decision(free, probabilities, article, headline, True)

    def _settle(
        self,
        texts: list[str],
        stats: Any,
        article: set[int],
        headline: int | None,
        rounds: int = 4,
    ) -> tuple[set[int], int | None, set[int]] | None:
        """Make the decision a fixed point: cleaning the result again (title, then the article lines)
        must leave it as it is. The model looks again at the page that result would be — with the
        category tag that the chrome hid now at the top — and while it would still drop lines, they are
        dropped now. Returns the article, the headline and the category-tag lines; None (leave the page
        alone) when it does not settle."""
        from ..pagemodel import features

        article = set(article)
        for _ in range(rounds):
            order = ([headline] if headline is not None else []) + sorted(article)
            lines = [texts[i] for i in order]
            labels = _category_tags(lines)
            tags = {order[k] for k, label in enumerate(labels) if label is not None}
            free = [k for k, label in enumerate(labels) if label is None]
            again = None
            if len(free) >= self.min_lines:
                again = self._decide(lines, labels, features.sub_stats(stats, texts, order, labels), free)
            if again is None or not again.acts:
                return article - tags, headline, tags
            title_line = order[again.headline] if again.headline is not None else None
            kept_lines = {order[k] for k in again.article}
            if kept_lines == article - tags and title_line == headline:
                return kept_lines, headline, tags
            if title_line is not None and title_line != headline:
                article.discard(title_line)
            article &= kept_lines | tags
            headline = title_line if title_line is not None else headline
        return None


class _Decision(NamedTuple):
    """What :meth:`PageModel._decide` makes of a page."""

    free: list[int]  # the free lines
    probabilities: list[float]  # their article probabilities
    article: set[int]  # the article's lines
    headline: int | None
    acts: bool  # False: the page is (nearly) all article and left alone


def _category_tags(lines: list[str]) -> list[str | None]:
    """The labels the category-tag cleaner gives these lines (a bare lower-case line near the top)."""
    from ..document import Block
    from .metadata_lines import CategoryTag

    tagger = CategoryTag()
    # it stops after ``zone`` lines that are not tags; a tag is lower case and short, so the lines
    # after the ``zone``-th line that cannot be one are never tagged
    end, others = len(lines), 0
    for k, text in enumerate(lines):
        if text != text.lower() or len(text.split()) > 4:
            others += 1
            if others >= tagger.zone:
                end = k + 1
                break
    doc = Document([Block(i, text) for i, text in enumerate(lines[:end])], mode="text")
    tagger(doc)
    return [doc.kind_of(i) for i in range(end)] + [None] * (len(lines) - end)


def _headline_shaped(text: str) -> bool:
    """Two to 25 words without sentence-final punctuation, and not all lower case (a bare lower-case
    line at the top is a category tag)."""
    return is_headline(text, 25) and len(text.split()) >= 2 and not text.islower()


def _kinds(stats: Any) -> list[str]:
    """The chrome kind of each line, from its line statistics: a copyright notice is ``boilerplate``, a
    truncated line ("…") a ``teaser``, a short line without sentence punctuation ``navigation``,
    anything else ``boilerplate``."""
    import numpy as np

    from ..pagemodel.features import STATS

    col = {name: k for k, name in enumerate(STATS)}
    columns = stats.T
    navigation = (columns[col["words"]] <= 8) & (columns[col["ends_sentence"]] == 0) & (columns[col["ends_colon"]] == 0)
    teaser = columns[col["ends_ellipsis"]] != 0
    code = np.where(columns[col["copyright"]] != 0, 0, np.where(teaser, 1, np.where(navigation, 2, 0)))
    return [_KINDS[k] for k in code.tolist()]


_KINDS = ("boilerplate", "teaser", "navigation")
