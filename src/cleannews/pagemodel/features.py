"""Line features for the whole-page model: numbers about each line and its neighbours, no DOM needed.

Everything here is computed in a few passes over the page's lines with string methods and a handful of
C-level regular expressions, so a 250-line page costs well under a millisecond. The names in
:data:`FEATURES` are stored next to the weights (``weights.json``) and checked when they are loaded.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from .. import kinds as kinds_mod

# Characters that end a sentence, possibly followed by closing quotes/brackets.
_SENT_END = frozenset(".!?。！？…")
_CLOSERS = "\"'”’»)]）」』"
_SEPARATORS = re.compile(r"[|»›·•→►▸>/]|\s[-–—]\s|::")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
#: common function characters of Chinese prose (the stoplist of a language without spaces)
_CJK_STOP = re.compile("[的了是在和有我他这也就不人都一上为们到说要与而及对中被将从把但还其所以等着地得之你她它那个]")
_CJK_PUNCT = re.compile("[，。、；：！？“”（）《》]")
_COPYRIGHT = re.compile(r"©|\(c\)\s*\d{4}|\bcopyright\b|all rights reserved|版权所有|все права защищены|wszelkie prawa|με επιφύλαξη", re.I)
_URLISH = re.compile(r"https?://|www\.|\.(?:com|org|net|co\.uk|ru|pl|gr|cn)\b|@\w+\.\w", re.I)
_DIGIT = re.compile(r"\d")
_YEAR_OR_TIME = re.compile(r"\b(?:19|20)\d\d\b|\b\d{1,2}:\d\d\b")

_CONTENT = frozenset({kinds_mod.TITLE, kinds_mod.BODY})

#: coarse groups of the labels earlier cleaners gave a line
LABEL_GROUPS = ("free", "chrome", "metadata", "comment")


def _label_group(kind: str | None) -> int:
    if kind is None or kind in _CONTENT:
        return 0
    if kind == kinds_mod.COMMENT:
        return 3
    if kind in kinds_mod.METADATA_FIELDS:
        return 2
    return 1


@lru_cache(maxsize=64)
def stopwords(language: str | None) -> frozenset[str]:
    """The jusText stoplist of ``language`` (empty when there is none), cached."""
    from ..html import stoplist

    try:
        return stoplist(language)
    except Exception:  # a stoplist that cannot be read costs the feature, not the document
        return frozenset()


WORD_BINS = (1, 2, 3, 5, 8, 12, 20, 35, 60)
POSITION_BINS = 5

# The per-line base features (also taken for the neighbours), then context and page features.
BASE = (
    "log_words",
    "log_chars",
    "mean_word_len",
    "stop_density",
    "log_stopwords",
    "cjk_stop_density",
    "cjk_punct_density",
    "ends_sentence",
    "ends_colon",
    "ends_ellipsis",
    "starts_lower",
    "starts_digit",
    "capitalised_share",
    "upper_share",
    "digit_share",
    "separators",
    "commas_per_word",
    "sentences",
    "urlish",
    "copyright",
    "year_or_time",
    "repeated",
    "title_overlap",
    "label_chrome",
    "label_metadata",
    "label_comment",
)
NEIGHBOURS = (-3, -2, -1, 1, 2, 3)
NEIGHBOUR_BASE = (
    "log_words",
    "stop_density",
    "ends_sentence",
    "capitalised_share",
    "separators",
    "label_chrome",
    "label_comment",
    "cjk_stop_density",
)
CONTEXT = (
    "win2_log_words",
    "win5_log_words",
    "win2_stop_density",
    "win5_stop_density",
    "win5_prose_share",
    "win10_prose_share",
    "prose_before",
    "prose_after",
    "prose_mass_before",
    "log_dist_prose",
    "between_prose",
    "log_dist_longest",
    "rel_position",
    "rel_chars",
    "page_log_lines",
    "page_prose_share",
    "page_free_share",
)
FEATURES: tuple[str, ...] = (
    BASE
    + tuple(f"words_le_{b}" for b in WORD_BINS)
    + tuple(f"position_bin_{k}" for k in range(POSITION_BINS))
    + tuple(f"n{d:+d}_{name}" for d in NEIGHBOURS for name in NEIGHBOUR_BASE)
    + CONTEXT
)


def _tokens_overlap(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a)


def base_rows(texts: Sequence[str], labels: Sequence[str | None], language: str | None) -> list[list[float]]:
    """The :data:`BASE` features of every line (labelled lines too: they are context)."""
    stop = stopwords(language)
    stop_contains = stop.__contains__
    has_cjk = any(_CJK.search(t) for t in texts[:: max(1, len(texts) // 40)]) or language in ("zh", "ja", "ko")
    counts = Counter(texts)
    title_words = set(texts[0].lower().split()) if texts else set()
    rows: list[list[float]] = []
    for text, kind in zip(texts, labels):
        words = text.split()
        n_words = len(words)
        n_chars = len(text)
        low = text.lower()
        lwords = low.split()
        n_stop = sum(map(stop_contains, lwords)) if stop else 0
        cjk = len(_CJK.findall(text)) if has_cjk else 0
        if cjk:
            eff_words = max(n_words, cjk / 1.5)
            cjk_stop = len(_CJK_STOP.findall(text)) / cjk
            cjk_punct = len(_CJK_PUNCT.findall(text)) / cjk
        else:
            eff_words = n_words
            cjk_stop = cjk_punct = 0.0
        last = text.rstrip(_CLOSERS)[-1:] if n_chars else ""
        head = words[:30]
        capitalised = sum(1 for w in head if w[:1].isupper()) / len(head) if head else 0.0
        upper = sum(1 for w in head if len(w) > 1 and w.isupper()) / len(head) if head else 0.0
        sample = text[:300]
        digits = len(_DIGIT.findall(sample)) / max(1, len(sample))
        first = text[:1]
        group = _label_group(kind)
        rows.append(
            [
                math.log1p(eff_words),
                math.log1p(n_chars),
                min(12.0, (n_chars - n_words + 1) / max(1, n_words)) / 12.0 if not cjk else 0.2,
                n_stop / n_words if n_words else 0.0,
                math.log1p(n_stop),
                cjk_stop,
                cjk_punct,
                1.0 if last in _SENT_END else 0.0,
                1.0 if last == ":" else 0.0,
                1.0 if text.endswith(("...", "…")) else 0.0,
                1.0 if first.islower() else 0.0,
                1.0 if first.isdigit() else 0.0,
                capitalised,
                upper,
                digits,
                min(5, len(_SEPARATORS.findall(sample))) / 5.0,
                min(1.0, (text.count(",") + text.count("，")) / max(1.0, eff_words) * 5),
                math.log1p(text.count(". ") + text.count("? ") + text.count("! ") + text.count("。")),
                1.0 if _URLISH.search(sample) else 0.0,
                1.0 if _COPYRIGHT.search(sample) else 0.0,
                1.0 if _YEAR_OR_TIME.search(sample) else 0.0,
                min(3, counts[text] - 1) / 3.0,
                _tokens_overlap(set(lwords[:40]), title_words) if n_words <= 40 else 0.0,
                1.0 if group == 1 else 0.0,
                1.0 if group == 2 else 0.0,
                1.0 if group == 3 else 0.0,
            ]
        )
    return rows


_I_LOGW = BASE.index("log_words")
_I_SD = BASE.index("stop_density")
_I_END = BASE.index("ends_sentence")
_I_CJKSD = BASE.index("cjk_stop_density")
_I_CHROME = BASE.index("label_chrome")
_I_COMMENT = BASE.index("label_comment")
_NEIGHBOUR_IDX = tuple(BASE.index(name) for name in NEIGHBOUR_BASE)


def _is_prose(row: list[float]) -> bool:
    """A line that reads like a paragraph of running text."""
    return row[_I_LOGW] >= 2.5 and (row[_I_SD] >= 0.2 or row[_I_CJKSD] >= 0.06) and row[_I_END] > 0 and row[_I_CHROME] == 0


def _window_mean(values: list[float], weights: list[float], radius: int) -> list[float]:
    n = len(values)
    num = [0.0] * (n + 1)
    den = [0.0] * (n + 1)
    for i in range(n):
        num[i + 1] = num[i] + values[i] * weights[i]
        den[i + 1] = den[i] + weights[i]
    out = []
    for i in range(n):
        lo, hi = max(0, i - radius), min(n, i + radius + 1)
        d = den[hi] - den[lo]
        out.append((num[hi] - num[lo]) / d if d else 0.0)
    return out


def feature_rows(texts: Sequence[str], labels: Sequence[str | None], language: str | None) -> list[list[float]]:
    """One row of :data:`FEATURES` per line."""
    base = base_rows(texts, labels, language)
    n = len(base)
    if not n:
        return []
    logw = [r[_I_LOGW] for r in base]
    sd = [r[_I_SD] + 3 * r[_I_CJKSD] for r in base]
    ones = [1.0] * n
    prose = [1.0 if _is_prose(r) else 0.0 for r in base]
    words = [math.expm1(x) for x in logw]
    prose_words = [p * w for p, w in zip(prose, words)]
    total_prose = sum(prose_words)
    win2_w = _window_mean(logw, ones, 2)
    win5_w = _window_mean(logw, ones, 5)
    win2_sd = _window_mean(sd, words, 2)
    win5_sd = _window_mean(sd, words, 5)
    win5_p = _window_mean(prose, ones, 5)
    win10_p = _window_mean(prose, ones, 10)
    # distance to the nearest prose line before and after, and the prose mass before the line
    last_before = [-1] * n
    seen = -1
    for i in range(n):
        last_before[i] = seen
        if prose[i]:
            seen = i
    first_after = [-1] * n
    seen = -1
    for i in range(n - 1, -1, -1):
        first_after[i] = seen
        if prose[i]:
            seen = i
    mass_before = [0.0] * n
    acc = 0.0
    for i in range(n):
        mass_before[i] = acc / total_prose if total_prose else 0.0
        acc += prose_words[i]
    longest = max(range(n), key=lambda i: (words[i] * (0.5 + sd[i]), -i))
    chars = [len(t) for t in texts]
    total_chars = sum(chars) or 1
    char_before = 0
    page_log_lines = math.log1p(n) / 6.0
    page_prose_share = sum(prose) / n
    page_free_share = sum(1 for r in base if r[_I_CHROME] == 0 and r[_I_COMMENT] == 0) / n
    rows: list[list[float]] = []
    for i, row in enumerate(base):
        w = words[i]
        out = list(row)
        out.extend(1.0 if w <= b else 0.0 for b in WORD_BINS)
        rel = i / max(1, n - 1)
        pos_bin = min(POSITION_BINS - 1, int(rel * POSITION_BINS))
        out.extend(1.0 if k == pos_bin else 0.0 for k in range(POSITION_BINS))
        for d in NEIGHBOURS:
            j = i + d
            if 0 <= j < n:
                other = base[j]
                out.extend(other[k] for k in _NEIGHBOUR_IDX)
            else:
                out.extend(0.0 for _ in _NEIGHBOUR_IDX)
        before, after = last_before[i], first_after[i]
        dist = min(i - before if before >= 0 else 10_000, after - i if after >= 0 else 10_000)
        between = 1.0 if before >= 0 and after >= 0 and after - before <= 8 else 0.0
        out.extend(
            (
                win2_w[i],
                win5_w[i],
                win2_sd[i],
                win5_sd[i],
                win5_p[i],
                win10_p[i],
                1.0 if before >= 0 else 0.0,
                1.0 if after >= 0 else 0.0,
                mass_before[i],
                math.log1p(min(dist, 200)) / 5.3,
                between,
                math.log1p(abs(i - longest)) / 6.0,
                rel,
                char_before / total_chars,
                page_log_lines,
                page_prose_share,
                page_free_share,
            )
        )
        char_before += chars[i]
        rows.append(out)
    return rows
