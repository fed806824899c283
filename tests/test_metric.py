"""The ScrapingHub article-extraction-benchmark metric (evaluation/metric.py), on hand-computed cases.

The benchmark (github.com/scrapinghub/article-extraction-benchmark, ``evaluate.py``): tokens are
``\\w+`` matches (case kept); a text is the multiset of its 4-token shingles, or one shorter shingle
when it has fewer than four tokens; per document TP/FP/FN are multiset overlaps, divided by their sum;
precision is averaged over documents with ``tp + fp > 0``, recall over documents with ``tp + fn > 0``,
and F1 is computed from the two averages.
"""

from __future__ import annotations

import pytest

from cleannews.evaluation.metric import (
    Match,
    SnippetCounts,
    aggregate,
    comment_score,
    covered,
    shingle_match,
    shingles,
    snippet_counts,
    tokens,
)


def test_tokens_are_word_runs_with_case_kept() -> None:
    assert tokens("Hello, world! It's 2024.") == ["Hello", "world", "It", "s", "2024"]
    assert tokens("naïve café — über") == ["naïve", "café", "über"]
    assert tokens("韩国女主播 是非不断。") == ["韩国女主播", "是非不断"]
    assert tokens("") == [] and tokens(None) == []  # type: ignore[arg-type]


def test_shingles() -> None:
    assert shingles("a b c d e") == {("a", "b", "c", "d"): 1, ("b", "c", "d", "e"): 1}
    assert shingles("a b") == {("a", "b"): 1}  # shorter than four tokens: one shorter shingle
    assert shingles("a b c d a b c d") == {
        ("a", "b", "c", "d"): 2,
        ("b", "c", "d", "a"): 1,
        ("c", "d", "a", "b"): 1,
        ("d", "a", "b", "c"): 1,
    }
    assert shingles("") == {}
    assert shingles("...") == {}


def test_identical_texts() -> None:
    m = shingle_match("a b c d e", "a b c d e")
    assert (m.tp, m.fp, m.fn) == (1.0, 0.0, 0.0)
    assert m.precision == m.recall == 1.0


def test_one_wrong_token_at_the_end() -> None:
    # gold shingles: abcd bcde cdef; predicted: abcd bcde cdex -> tp 2, fp 1, fn 1, normalised by 4
    m = shingle_match("a b c d e f", "a b c d e x")
    assert (m.tp, m.fp, m.fn) == (0.5, 0.25, 0.25)
    assert m.precision == pytest.approx(2 / 3)
    assert m.recall == pytest.approx(2 / 3)


def test_counts_are_multisets() -> None:
    # gold has abcd twice (and bcda, cdab, dabc once); the prediction has abcd once
    m = shingle_match("a b c d a b c d", "a b c d")
    assert (m.tp, m.fp, m.fn) == (pytest.approx(1 / 5), 0.0, pytest.approx(4 / 5))
    assert m.precision == 1.0
    assert m.recall == pytest.approx(1 / 5)


def test_case_matters_and_punctuation_does_not() -> None:
    assert shingle_match("One two three four", "one two three four").tp == 0.0
    assert shingle_match("One, two; three: four!", "One two three four").precision == 1.0


def test_short_texts_compare_as_one_shingle() -> None:
    assert shingle_match("Breaking news", "Breaking news").precision == 1.0
    m = shingle_match("Breaking news", "Breaking news today")
    assert (m.tp, m.fp, m.fn) == (0.0, 0.5, 0.5)


def test_empty_prediction_and_empty_gold() -> None:
    missed = shingle_match("a b c d e", "")
    assert (missed.tp, missed.fp, missed.fn) == (0.0, 0.0, 1.0)
    assert missed.recall == 0.0
    invented = shingle_match("", "a b c d e")
    assert invented.precision == 0.0
    nothing = shingle_match("", "")
    assert (nothing.tp, nothing.fp, nothing.fn) == (0.0, 0.0, 0.0)


def test_aggregate_averages_per_document_and_skips_undefined_sides() -> None:
    matches = [
        shingle_match("a b c d e", "a b c d e"),  # P 1, R 1
        shingle_match("a b c d e f", "a b c d e x"),  # P 2/3, R 2/3
        shingle_match("a b c d e", ""),  # no prediction: counts for recall (0) only
        shingle_match("", "a b c d e"),  # no gold: counts for precision (0) only
        shingle_match("", ""),  # neither: counts for nothing
    ]
    scores = aggregate(matches)
    assert scores.documents == 5
    assert scores.precision == pytest.approx((1 + 2 / 3 + 0) / 3)
    assert scores.recall == pytest.approx((1 + 2 / 3 + 0) / 3)
    assert scores.f1 == pytest.approx(5 / 9)


def test_f1_comes_from_the_averages_not_from_per_document_f1() -> None:
    # P 1 / R 1/5 and P 1/5 / R 1: per-document F1 is 1/3 each, the benchmark's F1 is 2*.6*.6/1.2 = .6
    high_precision = Match(tp=0.2, fp=0.0, fn=0.8)
    high_recall = Match(tp=0.2, fp=0.8, fn=0.0)
    scores = aggregate([high_precision, high_recall])
    assert scores.precision == pytest.approx(0.6)
    assert scores.recall == pytest.approx(0.6)
    assert scores.f1 == pytest.approx(0.6)


def test_aggregate_of_nothing() -> None:
    scores = aggregate([])
    assert (scores.precision, scores.recall, scores.f1, scores.documents) == (0.0, 0.0, 0.0, 0)


def test_normalisation_does_not_change_precision_or_recall() -> None:
    short = shingle_match("a b c d e f", "a b c d e x")
    long = shingle_match("a b c d e f " * 50, "a b c d e x " * 50)
    assert short.precision == pytest.approx(2 / 3)
    assert long.tp + long.fp + long.fn == pytest.approx(1.0)


def test_comment_recall_and_leak() -> None:
    gold = "Great article, thanks for writing it. I disagree with the second point though."
    score = comment_score(gold, comments=gold, body="The story itself, without the comments at all.")
    assert (score.recall, score.leak) == (1.0, 0.0)
    leaked = comment_score(gold, comments="", body="The story. " + gold)
    assert (leaked.recall, leaked.leak) == (0.0, 1.0)
    assert covered("", "anything") == 0.0
    assert covered("a b c d e", "a b c d") == pytest.approx(0.5)


def test_snippet_counts_as_trafilatura_counts_them() -> None:
    text = "The council voted\n  on Tuesday.   Share this story"
    counts = snippet_counts(["council voted on Tuesday", "budget passed"], ["Share this", "Subscribe now"], text)
    # one wanted snippet found (white space collapsed), one missed; one unwanted found, one absent
    assert counts == SnippetCounts(tp=1, fn=1, fp=1, tn=1)
    total = counts + snippet_counts(["a story"], ["Menu"], "a story")
    assert total == SnippetCounts(tp=2, fn=1, fp=1, tn=2)
    assert total.precision == pytest.approx(2 / 3)
    assert total.recall == pytest.approx(2 / 3)
    assert total.f1 == pytest.approx(4 / 6)
    assert total.accuracy == pytest.approx(4 / 6)
    assert SnippetCounts().f1 == 0.0 and SnippetCounts().accuracy == 0.0
