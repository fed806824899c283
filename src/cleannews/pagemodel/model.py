"""Scoring the lines of a page: two boosted-tree stages and a Viterbi pass, from ``weights.json``.

Stage 1 scores every line from its :data:`~.features.FEATURES`; stage 2 re-scores the free lines from
stage 1's scores seen in context (:data:`~.features.SEQUENCE`); a two-state Viterbi pass (chrome /
article) turns the stage-2 probabilities into decisions, charging a cost for each switch so that an
article comes out contiguous and chrome in runs. The trees are *oblivious* (one split per level,
shared by every node of the level), so a forest is evaluated for all lines at once with a few numpy
operations. Weights are made by ``scripts/train_text_model.py``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from itertools import compress
from typing import Any, NamedTuple

import attrs
import numpy as np
import numpy.typing as npt

from . import features as feats

Array = npt.NDArray[np.float64]
WEIGHTS = "weights.json"
#: a forest scores at most this many lines at once: its temporaries (tests × lines, trees × lines, some
#: 5 KB a line) stay a few MB however long the page (a million lines took 6 GB at once); the same scores
LINES_AT_ONCE = 4096


@attrs.frozen
class Forest:
    """Oblivious trees: ``split_features``/``thresholds`` (trees × depth), ``values`` (trees × 2**depth)."""

    base: float
    split_features: npt.NDArray[np.intp]
    thresholds: Array
    values: Array
    # derived once: the distinct (feature, threshold) tests, and for each tree and level which one it is
    _test_features: npt.NDArray[np.intp] = attrs.field(init=False, repr=False, eq=False)
    _test_thresholds: Array = attrs.field(init=False, repr=False, eq=False)
    _tests: npt.NDArray[np.intp] = attrs.field(init=False, repr=False, eq=False)
    _tests_by_level: npt.NDArray[np.intp] = attrs.field(init=False, repr=False, eq=False)  # level-major
    # each tree's first leaf (16 bits when they fit: the leaves are then found with a cheaper addition)
    _offsets: npt.NDArray[np.integer[Any]] = attrs.field(init=False, repr=False, eq=False)
    _leaf_values: Array = attrs.field(init=False, repr=False, eq=False)  # the values, flat

    def __attrs_post_init__(self) -> None:
        pairs = np.stack((self.split_features.ravel().astype(np.float64), self.thresholds.ravel()), axis=1)
        unique, inverse = np.unique(pairs, axis=0, return_inverse=True)
        object.__setattr__(
            self, "_test_features", unique[:, 0].astype(np.intp) if len(unique) else np.zeros(0, np.intp)
        )
        object.__setattr__(self, "_test_thresholds", unique[:, 1] if len(unique) else np.zeros(0))
        object.__setattr__(self, "_tests", np.asarray(inverse, dtype=np.intp).reshape(self.split_features.shape))
        trees, depth = self.split_features.shape
        object.__setattr__(self, "_tests_by_level", np.ascontiguousarray(self._tests.T).ravel())
        offsets = (np.arange(trees, dtype=np.intp) << depth)[:, None]
        object.__setattr__(self, "_offsets", offsets.astype(np.uint16) if trees << depth <= 1 << 16 else offsets)
        object.__setattr__(self, "_leaf_values", np.ascontiguousarray(self.values).ravel())

    @classmethod
    def from_dict(cls, data: dict[str, Any], n_features: int) -> Forest:
        split_features = np.asarray(data["split_features"], dtype=np.intp)
        thresholds = np.asarray(data["thresholds"], dtype=np.float64)
        values = np.asarray(data["values"], dtype=np.float64)
        if split_features.ndim != 2:
            split_features = split_features.reshape(len(split_features), 0)
            thresholds = thresholds.reshape(len(split_features), 0)
        trees, depth = split_features.shape
        if thresholds.shape != (trees, depth) or values.shape != (trees, 1 << depth):
            raise ValueError("page model: forest arrays have inconsistent shapes")
        if trees and depth and (split_features.min() < 0 or split_features.max() >= n_features):
            raise ValueError("page model: a split names a feature that does not exist")
        return cls(float(data["base"]), split_features, thresholds, values)

    def to_dict(self) -> dict[str, Any]:
        return {
            "base": self.base,
            "split_features": self.split_features.tolist(),
            "thresholds": self.thresholds.tolist(),
            "values": self.values.tolist(),
        }

    def decision(self, x: Array) -> Array:
        """The summed leaf values (a logit) for each row of ``x``."""
        return self.decision_columns(x.T)

    def decision_columns(self, columns: Array) -> Array:
        """:meth:`decision` for the lines in the columns of ``columns`` (features × lines)."""
        n = columns.shape[1]
        if n > LINES_AT_ONCE:
            return np.concatenate(
                [self._decision_columns(columns[:, i : i + LINES_AT_ONCE]) for i in range(0, n, LINES_AT_ONCE)]
            )
        return self._decision_columns(columns)

    def _decision_columns(self, columns: Array) -> Array:
        n = columns.shape[1]
        trees, depth = self.split_features.shape
        if n == 0 or trees == 0:
            return np.full(n, self.base)
        # every distinct test once (tests × lines, one byte each, the lines padded to whole words)
        width = -(-n // 8) * 8
        passed = np.zeros((len(self._test_features), width), dtype=np.uint8)
        np.greater(columns.take(self._test_features, axis=0), self._test_thresholds[:, None], out=passed[:, :n])
        leaves: npt.NDArray[np.integer[Any]]
        if depth == 0:
            leaves = np.zeros((trees, n), dtype=np.intp)
        elif depth <= 8:
            # then each tree's leaf from its levels' tests, eight lines (bytes) to a 64-bit word: a
            # byte holds less than 2**7 before each shift (depth <= 8), so no bit carries into the next
            levels = passed.view(np.uint64).take(self._tests_by_level, axis=0).reshape(depth, trees, -1)
            words = levels[0].copy()
            for level in range(1, depth):
                words <<= 1
                words |= levels[level]
            leaves = words.view(np.uint8)[:, :n]
        else:
            levels = passed[:, :n].take(self._tests_by_level, axis=0).reshape(depth, trees, n).astype(np.intp)
            leaves = levels[0]
            for level in range(1, depth):
                leaves <<= 1
                leaves |= levels[level]
        out: Array = self.base + self._leaf_values.take(self._offsets + leaves).sum(axis=0)
        return out


@attrs.frozen
class Decoder:
    """Two-state Viterbi over the free lines: ``bias`` is added to the article log-odds of every line;
    entering the article costs ``enter`` and leaving it ``leave`` (in nats)."""

    bias: float = 0.0
    enter: float = 1.0
    leave: float = 1.0

    def __call__(self, probabilities: Sequence[float] | Array) -> list[bool]:
        n = len(probabilities)
        if n == 0:
            return []
        p = np.minimum(np.maximum(np.asarray(probabilities, dtype=np.float64), 1e-6), 1 - 1e-6)  # np.clip
        body_scores = np.log(p) + self.bias
        chrome_scores = np.log1p(-p)
        if self.enter <= 0 and self.leave <= 0:  # switching is free: each line on its own
            decided: list[bool] = (body_scores > chrome_scores).tolist()
            return decided
        body: list[float] = body_scores.tolist()
        chrome: list[float] = chrome_scores.tolist()
        enter, leave = self.enter, self.leave
        s0, s1 = chrome[0], body[0]
        back: list[tuple[bool, bool]] = []  # per step: (chrome came from body, body came from chrome)
        for i in range(1, n):
            stay0, from1 = s0, s1 - leave
            stay1, from0 = s1, s0 - enter
            c_from_body = from1 > stay0
            b_from_chrome = from0 > stay1
            s0 = (from1 if c_from_body else stay0) + chrome[i]
            s1 = (from0 if b_from_chrome else stay1) + body[i]
            back.append((c_from_body, b_from_chrome))
        state = s1 > s0
        path = [state]
        for c_from_body, b_from_chrome in reversed(back):
            state = (not b_from_chrome) if state else c_from_body
            path.append(state)
        path.reverse()
        return path


@attrs.frozen
class Prediction:
    """The model's view of a page: per line, the article probability (``None`` for lines that other
    cleaners had already labelled) and the decision; plus the line it takes for the headline."""

    probabilities: tuple[float | None, ...]
    article: tuple[bool, ...]
    headline: int | None
    stats: Array = attrs.field(eq=False, repr=False)  # the page's line_stats, for a look at a part of it


class FreeLines(NamedTuple):
    """The model's view of the free lines of a page (see :meth:`PageModel.decide`), each in page order."""

    probabilities: list[float]  # their article probabilities
    article: list[bool]  # whether each is in the article
    words: list[float]  # their words (line_stats)


@attrs.frozen
class PageModel:
    stage1: Forest
    stage2: Forest
    decoder: Decoder
    #: when the article is under this many words after decoding, the best-scoring run is taken instead
    min_article_words: int = 10
    info: dict[str, Any] = attrs.field(factory=dict)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PageModel:
        if tuple(data.get("features", ())) != feats.FEATURES or tuple(data.get("sequence", ())) != feats.SEQUENCE:
            raise ValueError("page model: the weights were trained on other features; retrain the model")
        return cls(
            Forest.from_dict(data["stage1"], len(feats.FEATURES)),
            Forest.from_dict(data["stage2"], len(feats.SEQUENCE)),
            Decoder(**data.get("decoder", {})),
            int(data.get("min_article_words", 10)),
            dict(data.get("info", {})),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "features": list(feats.FEATURES),
            "sequence": list(feats.SEQUENCE),
            "stage1": self.stage1.to_dict(),
            "stage2": self.stage2.to_dict(),
            "decoder": attrs.asdict(self.decoder),
            "min_article_words": self.min_article_words,
            "info": self.info,
        }

    def probabilities_columns(self, columns: Array) -> Array:
        """Stage-2 article probabilities of the free lines, from their :func:`~.features.feature_columns`
        (in page order)."""
        z1 = self.stage1.decision_columns(columns)
        seq = feats.sequence_columns(z1, columns)
        z2 = self.stage2.decision_columns(seq)
        return 1.0 / (1.0 + np.exp(-np.minimum(np.maximum(z2, -30.0), 30.0)))  # np.clip(z2, -30, 30)

    def predict(
        self,
        texts: Sequence[str],
        labels: Sequence[str | None],
        language: str | None,
        stats: Array | None = None,
    ) -> Prediction:
        """The decision for a page; ``stats`` are its :func:`~.features.line_stats` when known."""
        n = len(texts)
        if stats is None:
            stats = feats.line_stats(texts, labels, language)
        free_index = [i for i, label in enumerate(labels) if label is None]
        probs: list[float | None] = [None] * n
        article = [False] * n
        if free_index:
            decision = self.decide(stats, free_index)
            for i, pi, di in zip(free_index, decision.probabilities, decision.article, strict=True):
                probs[i] = pi
                article[i] = di
        return Prediction(tuple(probs), tuple(article), _headline(texts, labels, article), stats)

    def decide(self, stats: Array, free: Sequence[int]) -> FreeLines:
        """:meth:`predict` for a caller that keeps to the free lines ``free`` (their indices, in page
        order, not none) of the page with these :func:`~.features.line_stats`."""
        index = np.asarray(free, dtype=np.intp)
        columns = feats.feature_columns(stats)
        if len(free) < columns.shape[1]:  # the free lines' columns (kept C-contiguous: rows are gathered)
            columns = columns.take(index, axis=1)
        probabilities = self.probabilities_columns(columns)
        p: list[float] = probabilities.tolist()
        decided = self.decoder(probabilities)  # (the array: no list to convert back)
        words: list[float] = stats[:, 0].take(index).tolist()  # STATS[0] is "words"
        if sum(compress(words, decided)) < self.min_article_words:  # the words of the article
            decided = _best_run(p, words)
        return FreeLines(p, decided, words)

    @staticmethod
    def headline_before(texts: Sequence[str], labels: Sequence[str | None], first: int | None) -> int | None:
        """The line :meth:`predict` takes for the headline, given the article's first line (None: no
        article)."""
        return _headline_before(texts, labels, first)


def _best_run(p: list[float], words: list[float], floor: float = 0.2) -> list[bool]:
    """The run of lines around the most likely one whose probabilities stay within half of it; none
    when no line reaches ``floor`` (nothing on the page reads like an article)."""
    if not p or max(p) < floor:
        return [False] * len(p)
    top = max(range(len(p)), key=lambda i: (p[i] * math.sqrt(words[i] + 1), -i))
    floor = p[top] / 2
    lo = hi = top
    while lo > 0 and p[lo - 1] >= floor:
        lo -= 1
    while hi + 1 < len(p) and p[hi + 1] >= floor:
        hi += 1
    return [lo <= i <= hi for i in range(len(p))]


_WORD = re.compile(r"\w+")
_TITLE_SEPARATOR = re.compile(r"\s+(?:\||-|–|—|::|»|·|:)\s+")
_NOT_HEADLINE_END = re.compile(r"[.!:;,]['\"”’»)\]]*$")


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def _title_core(title: str) -> set[str]:
    """The words of the longest part of a ``<title>`` line ("Headline | Site" → the headline's)."""
    parts = _TITLE_SEPARATOR.split(title)
    return _words(max(parts, key=lambda part: len(part.split())))


def _headline(texts: Sequence[str], labels: Sequence[str | None], article: Sequence[bool]) -> int | None:
    """The headline: the headline-shaped free line, up to the article's first line, that best matches
    the page's first line (its ``<title>``: Dice overlap with the title's longest part, nearer lines
    preferred); the first line itself when nothing matches. None when there is no article or it starts
    the page. (75 % exact on the wcxb-dev titles, against 57 % for the first headline-shaped line.)"""
    return _headline_before(texts, labels, next((i for i, a in enumerate(article) if a), None))


def title_keys(title: str) -> set[str]:
    """The ``<title>`` line and its longest part ("Headline" of "Headline | Site"; not the site's name),
    case and punctuation aside; parts of one word are no headline."""
    longest = max(_TITLE_SEPARATOR.split(title), key=lambda part: len(part.split()))
    return {" ".join(_WORD.findall(p.lower())) for p in (title, longest) if len(p.split()) >= 2}


def _headline_before(texts: Sequence[str], labels: Sequence[str | None], first: int | None) -> int | None:
    """:func:`_headline` from the index of the article's first line (None when there is no article). A
    free line that *is* the ``<title>`` or one of its parts ("Headline" of "Headline - Site"), up to five
    lines into the article, comes first (the one nearest the article's start)."""
    if not first:
        return None
    keys = title_keys(texts[0])
    for i in range(min(len(texts) - 1, first + 5), 0, -1):
        text = texts[i]
        if labels[i] is None and " ".join(_WORD.findall(text.lower())) in keys and not _NOT_HEADLINE_END.search(text):
            return i
    core = _title_core(texts[0])
    best, best_score = 0, 0.4
    for i in range(first, 0, -1) if core else ():  # without title words no line scores above 0
        if 1.0 - 0.002 * (first - i) <= best_score:  # the best this line (or any further one) can score
            break
        text = texts[i]
        if labels[i] is not None or not 2 <= len(text.split()) <= 25 or _NOT_HEADLINE_END.search(text):
            continue
        words = _words(text)
        if not words:
            continue
        score = 2 * len(words & core) / (len(words) + len(core)) - 0.002 * (first - i)
        if score > best_score:
            best, best_score = i, score
    return best if labels[best] is None else None


@lru_cache(maxsize=1)
def load_model() -> PageModel:
    """The shipped model (``cleannews/pagemodel/weights.json``), loaded once."""
    text = (resources.files("cleannews.pagemodel") / WEIGHTS).read_text(encoding="utf-8")
    return PageModel.from_dict(json.loads(text))
