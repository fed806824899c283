"""The ScrapingHub article-extraction-benchmark metric, trafilatura's snippet metric, comment recall/leak.

Tokens are ``\\w+`` matches; a text is the multiset of its 4-token shingles (a text shorter than four
tokens is one shorter shingle). Per document, TP/FP/FN are the multiset overlaps, normalised to sum to
1 so long documents weigh no more than short ones. Precision is averaged over documents with a
non-empty prediction, recall over documents with a non-empty gold text (as the benchmark does);
F1 is computed from those two averages.

Snippet gold (trafilatura's evaluation data: strings the article must contain, strings of chrome it must
not contain) is counted over all documents at once, as trafilatura's ``comparison.py`` does: a wanted
snippet found is a true positive, missed a false negative; an unwanted snippet found is a false
positive, absent a true negative (white space collapsed on both sides); precision, recall, accuracy and
F1 come from the summed counts.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

import attrs

_TOKEN = re.compile(r"\w+", re.UNICODE)
NGRAM = 4


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text or "")


def shingles(text: str, n: int = NGRAM) -> Counter[tuple[str, ...]]:
    toks = tokens(text)
    return Counter(tuple(toks[i : i + n]) for i in range(max(1, len(toks) - n + 1)) if toks[i : i + n])


@attrs.frozen
class Match:
    """Normalised true positives, false positives and false negatives of one document."""

    tp: float
    fp: float
    fn: float

    @property
    def precision(self) -> float:
        if self.fp == self.fn == 0:
            return 1.0
        if self.tp == self.fp == 0:
            return 0.0
        return self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float:
        if self.fp == self.fn == 0:
            return 1.0
        if self.tp == self.fn == 0:
            return 0.0
        return self.tp / (self.tp + self.fn)


def shingle_match(gold: str, predicted: str) -> Match:
    true, pred = shingles(gold), shingles(predicted)
    tp = sum((true & pred).values())
    fp = sum((pred - true).values())
    fn = sum((true - pred).values())
    total = tp + fp + fn
    if total == 0:
        return Match(0.0, 0.0, 0.0)
    return Match(tp / total, fp / total, fn / total)


@attrs.frozen
class Scores:
    precision: float
    recall: float
    f1: float
    documents: int


def mean(values: Iterable[float]) -> float:
    items = list(values)
    return sum(items) / len(items) if items else 0.0


def aggregate(matches: list[Match]) -> Scores:
    precision = mean(m.precision for m in matches if m.tp + m.fp > 0)
    recall = mean(m.recall for m in matches if m.tp + m.fn > 0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1, len(matches))


def covered(gold: str, predicted: str) -> float:
    """Share of ``gold``'s shingles (as a multiset) found in ``predicted``; 0 when gold is empty."""
    true = shingles(gold)
    total = sum(true.values())
    if not total or not tokens(gold):
        return 0.0
    return sum((true & shingles(predicted)).values()) / total


@attrs.frozen
class CommentScore:
    """Gold-comment shingles found in the output's comments (recall) and in its body (leak)."""

    recall: float
    leak: float


def comment_score(gold_comments: str, comments: str, body: str) -> CommentScore:
    return CommentScore(covered(gold_comments, comments), covered(gold_comments, body))


@attrs.frozen
class SnippetCounts:
    """Wanted snippets found (tp) or missed (fn), unwanted snippets found (fp) or absent (tn)."""

    tp: int = 0
    fn: int = 0
    fp: int = 0
    tn: int = 0

    def __add__(self, other: SnippetCounts) -> SnippetCounts:
        return SnippetCounts(self.tp + other.tp, self.fn + other.fn, self.fp + other.fp, self.tn + other.tn)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn) if self.tp + self.fp + self.fn else 0.0

    @property
    def accuracy(self) -> float:
        total = self.tp + self.fn + self.fp + self.tn
        return (self.tp + self.tn) / total if total else 0.0


def snippet_counts(wanted: Iterable[str], unwanted: Iterable[str], predicted: str) -> SnippetCounts:
    """Count one document's snippets in ``predicted`` (white space collapsed on both sides)."""
    text = " ".join(predicted.split())
    found = [" ".join(w.split()) in text for w in wanted]
    leaked = [" ".join(u.split()) in text for u in unwanted]
    return SnippetCounts(sum(found), len(found) - sum(found), sum(leaked), len(leaked) - sum(leaked))
