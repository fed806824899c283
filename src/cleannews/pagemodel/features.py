"""Line features for the whole-page model: numbers about each line and its neighbours, no DOM needed.

:func:`line_stats` makes one pass over the page's lines with string methods and a few C-level regular
expressions; :func:`feature_matrix` derives everything else (neighbours, windows, position, the prose
mass before and after a line) with numpy array operations, so a 250-line page costs well under a
millisecond. The names in :data:`FEATURES` are stored with the weights and checked when they load.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from .. import kinds as kinds_mod

Array = npt.NDArray[np.float64]

_SENT_END = frozenset(".!?。！？…")
_CLOSERS = "\"'”’»)]）」』"
_SEPARATORS = re.compile(r"[|»›·•→►▸>/]|\s[-–—]\s|::")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
#: common function characters of Chinese prose: the stoplist of a language written without spaces
_CJK_STOP = re.compile("[的了是在和有我他这也就不人都一上为们到说要与而及对中被将从把但还其所以等着地得之你她它那个]")
_CJK_PUNCT = re.compile("[，。、；：！？“”（）《》]")
_COPYRIGHT = re.compile(
    r"©|\(c\)\s*\d{4}|\bcopyright\b|all rights reserved|版权所有|все права защищены|wszelkie prawa|με επιφύλαξη",
    re.I,
)
_URLISH = re.compile(r"https?://|www\.|\.(?:com|org|net|co\.uk|ru|pl|gr|cn)\b|@\w+\.\w", re.I)
_DIGIT = re.compile(r"\d")
_YEAR_OR_TIME = re.compile(r"\b(?:19|20)\d\d\b|\b\d{1,2}:\d\d\b")

_CONTENT = frozenset({kinds_mod.TITLE, kinds_mod.BODY})


def label_group(kind: str | None) -> int:
    """0 free (or content), 1 chrome, 2 metadata, 3 reader comment."""
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


# Columns of :func:`line_stats`.
STATS = (
    "words",
    "chars",
    "stopwords",
    "cjk",
    "cjk_stop",
    "cjk_punct",
    "ends_sentence",
    "ends_colon",
    "ends_ellipsis",
    "starts_lower",
    "starts_digit",
    "starts_other",
    "capitalised",
    "upper",
    "digits",
    "separators",
    "commas",
    "sentences",
    "urlish",
    "copyright",
    "year_or_time",
    "comment_cue",
    "repeats",
    "title_overlap",
    "group",
)
_S = {name: i for i, name in enumerate(STATS)}


# Character classes as bits of one lookup table over the Basic Multilingual Plane (a gather and a bit
# test per class, instead of a set-membership test per class).
_SPACE, _CLOSER, _END, _SEPARATOR, _DASH, _STOP_CJK, _PUNCT_CJK, _CJK_CHAR, _UPPER = (1 << k for k in range(9))
_TABLE = np.zeros(0x10000, dtype=np.uint16)


def _mark(chars: str, bit: int) -> None:
    for c in chars:
        _TABLE[ord(c)] |= bit


_mark(
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000",
    _SPACE,
)  # str.split()'s white space
_mark(_CLOSERS, _CLOSER)
_mark(".!?。！？…", _END)
_mark("|»›·•→►▸>/", _SEPARATOR)
_mark("-–—", _DASH)
_mark("的了是在和有我他这也就不人都一上为们到说要与而及对中被将从把但还其所以等着地得之你她它那个", _STOP_CJK)
_mark("，。、；：！？“”（）《》", _PUNCT_CJK)
for _lo, _hi in ((0x3040, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xAC00, 0xD7AF), (0xF900, 0xFAFF)):
    _TABLE[_lo : _hi + 1] |= _CJK_CHAR
for _lo, _hi in ((65, 90), (0xC0, 0xD6), (0xD8, 0xDE), (0x391, 0x3A9), (0x400, 0x42F)):
    _TABLE[_lo : _hi + 1] |= _UPPER  # capitals of the Latin, Greek and Cyrillic alphabets
_URL_NEEDLES = ("://", "www.", ".com")
_COPYRIGHT_NEEDLES = ("©", "copyright", "rights reserved", "版权所有", "права защищены", "prawa zastrz", "επιφύλαξη")
# what reader comments are framed by: "Jane says:", "Reply", "3 days ago", "Report abuse"
_COMMENT_NEEDLES = (" says:", " said:", " wrote:", "reply", "permalink", " ago", "report abuse", "responses to", "comments")


def _needle_lines(haystack: str, needles: Sequence[str], starts: npt.NDArray[np.intp], n: int) -> Array:
    """1.0 for the lines of the joined text that contain one of ``needles``."""
    out = np.zeros(n)
    hits: list[int] = []
    for needle in needles:
        pos = haystack.find(needle)
        while pos >= 0:
            hits.append(pos)
            pos = haystack.find(needle, pos + 1)
    if hits:
        out[np.searchsorted(starts, np.array(hits), side="right") - 1] = 1.0
    return out


_DIGIT_BIT, _COMMA_BIT, _STOPPER = 1 << 9, 1 << 10, 1 << 11
_TABLE[48:58] |= _DIGIT_BIT
_mark(",，", _COMMA_BIT)
_mark(".?!", _STOPPER)
_CJK_LANGUAGES = frozenset({"zh", "ja", "ko"})


def _year_or_clock(cp: npt.NDArray[np.uint32], digit: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
    """Where a year (19xx, 20xx, not inside a longer number) or a clock time (9:21) starts."""
    size = len(cp)
    out = np.zeros(size, dtype=bool)
    if size < 4:
        return out
    d = [digit[k : size - 3 + k] for k in range(4)]
    c0, c1 = cp[: size - 3], cp[1 : size - 2]
    century = ((c0 == 49) & (c1 == 57)) | ((c0 == 50) & (c1 == 48))
    before = np.concatenate(([False], digit[: size - 4]))
    after = np.concatenate((digit[4:], [False]))
    out[: size - 3] = (century & d[1] & d[2] & d[3] & ~before & ~after) | (d[0] & (c1 == 58) & d[2] & d[3])
    return out


def line_stats(texts: Sequence[str], labels: Sequence[str | None], language: str | None) -> Array:
    """Raw per-line counts and flags (:data:`STATS`), one row per line.

    The page is joined into one string and looked at as an array of code points: the counts are masks
    summed per line in one ``np.add.reduceat``, so the cost hardly depends on the number of lines.
    """
    n = len(texts)
    if n == 0:
        return np.zeros((0, len(STATS)))
    lengths = np.fromiter(map(len, texts), dtype=np.intp, count=n)
    joined = "\n".join(t or " " for t in texts)
    cp = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    spans = np.maximum(lengths, 1)
    starts = np.concatenate(([0], np.cumsum(spans + 1)[:-1])).astype(np.intp)
    ends = starts + lengths  # one past the last character (== start for an empty line)
    nonempty = lengths > 0
    flags = _TABLE[np.minimum(cp, 0xFFFF)]
    space = (flags & _SPACE) != 0
    word_start = ~space
    word_start[1:] &= space[:-1]
    upper = (flags & _UPPER) != 0
    capital = word_start & upper
    all_caps = capital.copy()
    all_caps[:-1] &= upper[1:]
    nxt_space = np.zeros(len(cp), dtype=bool)
    nxt_space[:-1] = cp[1:] == 32
    prv_space = np.zeros(len(cp), dtype=bool)
    prv_space[1:] = cp[:-1] == 32
    separators = ((flags & _SEPARATOR) != 0) | (((flags & _DASH) != 0) & prv_space & nxt_space)
    sentence = (((flags & _STOPPER) != 0) & nxt_space) | (cp == 0x3002)
    digit = (flags & _DIGIT_BIT) != 0
    cjk_page = language in _CJK_LANGUAGES or (
        language is None and not joined.isascii() and _CJK.search(joined) is not None
    )
    masks = [word_start, capital, all_caps, digit, separators, (flags & _COMMA_BIT) != 0, sentence]
    masks.append(_year_or_clock(cp, digit))
    if cjk_page:
        masks += [(flags & _CJK_CHAR) != 0, (flags & _STOP_CJK) != 0, (flags & _PUNCT_CJK) != 0]
    sums = np.add.reduceat(np.stack(masks).view(np.uint8), starts, axis=1, dtype=np.int32).astype(np.float64)
    sums[:, ~nonempty] = 0.0
    words, capitals, caps, digits, seps, commas, sentences, dates = sums[:8]
    cjk, cjk_stop, cjk_punct = sums[8:11] if cjk_page else (np.zeros(n),) * 3

    # stopwords and words shared with the first line (the page's <title>): the page's lower-cased
    # words, in order, each to its line
    low = joined.lower()
    tokens = low.split()
    n_stop = np.zeros(n)
    overlap = np.zeros(n)
    if len(tokens) == int(words.sum()):
        token_line = np.repeat(np.arange(n), words.astype(np.intp))
        stop = stopwords(language)
        if stop:
            is_stop = np.fromiter(map(stop.__contains__, tokens), dtype=bool, count=len(tokens))
            n_stop = np.bincount(token_line, weights=is_stop, minlength=n).astype(np.float64)
        title_words = set(texts[0].lower().split())
        if title_words:
            in_title = np.fromiter(map(title_words.__contains__, tokens), dtype=bool, count=len(tokens))
            shared = np.bincount(token_line, weights=in_title, minlength=n)
            overlap = np.where((words > 0) & (words <= 40), shared / np.maximum(words, 1), 0.0)

    # the last character before closing quotes and brackets
    last = np.maximum(ends - 1, starts)
    for _ in range(3):
        last = np.where(((flags[last] & _CLOSER) != 0) & (last > starts), last - 1, last)
    last_cp = cp[last]
    tail = np.stack([cp[np.maximum(ends - k, starts)] for k in (1, 2, 3)], axis=1)
    ellipsis = (tail[:, 0] == 0x2026) | ((tail == 46).all(axis=1) & (lengths >= 3))
    firsts = [t[:1] for t in texts]
    counts = Counter(texts)
    columns = [
        np.maximum(words, cjk / 1.5),
        lengths,
        n_stop,
        cjk,
        cjk_stop,
        cjk_punct,
        ((flags[last] & _END) != 0) & nonempty,
        (last_cp == 58) & nonempty,
        ellipsis & nonempty,
        np.fromiter(map(str.islower, firsts), dtype=bool, count=n),
        np.fromiter(map(str.isdigit, firsts), dtype=bool, count=n),
        ~np.fromiter(map(str.isalnum, firsts), dtype=bool, count=n),
        capitals,
        caps,
        digits,
        seps,
        commas,
        sentences,
        _needle_lines(low, _URL_NEEDLES, starts, n),
        _needle_lines(low, _COPYRIGHT_NEEDLES, starts, n),
        dates > 0,
        _needle_lines(low, _COMMENT_NEEDLES, starts, n),
        np.fromiter(map(counts.__getitem__, texts), dtype=np.float64, count=n) - 1,
        overlap,
        np.fromiter(map(label_group, labels), dtype=np.float64, count=n),
    ]
    out = np.empty((n, len(columns)))
    for k, column in enumerate(columns):
        out[:, k] = column
    return out


def _shift(x: Array, d: int) -> Array:
    """``x`` moved so that row i holds row i+d (zeros past the ends)."""
    out = np.zeros_like(x)
    if d > 0:
        out[:-d] = x[d:]
    elif d < 0:
        out[-d:] = x[:d]
    else:
        out[:] = x
    return out


def _window_sums(x: Array, radii: Sequence[int]) -> list[Array]:
    """For each radius, the sums of the rows of ``x`` (1-D or n × k) over i-radius..i+radius."""
    n = len(x)
    c = np.cumsum(np.concatenate((np.zeros((1, *x.shape[1:])), x)), axis=0)
    idx = np.arange(n)
    return [c[np.minimum(n, idx + r + 1)] - c[np.maximum(0, idx - r)] for r in radii]


LOCAL = (
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
    "starts_other",
    "capitalised_share",
    "upper_share",
    "digit_share",
    "separators",
    "commas_per_word",
    "log_sentences",
    "urlish",
    "copyright",
    "year_or_time",
    "comment_cue",
    "repeated",
    "title_overlap",
    "label_chrome",
    "label_metadata",
    "label_comment",
    "prose",
)
NEIGHBOURS = (-3, -2, -1, 1, 2, 3)
NEIGHBOUR_LOCAL = (
    "log_words",
    "stop_density",
    "ends_sentence",
    "capitalised_share",
    "separators",
    "label_chrome",
    "label_metadata",
    "label_comment",
    "cjk_stop_density",
    "prose",
)
RADII = (2, 5, 10)
CONTEXT = (
    *(
        f"win{r}_{name}"
        for r in RADII
        for name in ("log_words", "stop_density", "prose", "chrome", "comment", "metadata", "comment_cue")
    ),
    "prose_before",
    "prose_after",
    "prose_mass_before",
    "prose_mass_after",
    "log_dist_prose_before",
    "log_dist_prose_after",
    "log_dist_longest",
    "after_longest",
    "rel_position",
    "rel_chars",
    "headline_found",
    "log_dist_headline",
    "after_headline",
    "is_first",
    "page_log_lines",
    "page_prose_share",
    "page_free_share",
    "page_log_prose_words",
)
FEATURES: tuple[str, ...] = (
    *LOCAL,
    *(f"n{d:+d}_{name}" for d in NEIGHBOURS for name in NEIGHBOUR_LOCAL),
    *CONTEXT,
)
_L = {name: i for i, name in enumerate(LOCAL)}
_NEIGHBOUR_IDX = [_L[name] for name in NEIGHBOUR_LOCAL]


def local_features(stats: Array) -> Array:
    """The :data:`LOCAL` columns from :func:`line_stats`."""
    s = stats.T
    words = s[_S["words"]]
    chars = s[_S["chars"]]
    safe_words = np.maximum(words, 1.0)
    cjk = s[_S["cjk"]]
    safe_cjk = np.maximum(cjk, 1.0)
    head = safe_words
    group = s[_S["group"]]
    stop_density = s[_S["stopwords"]] / safe_words
    cjk_stop_density = s[_S["cjk_stop"]] / safe_cjk
    log_words = np.log1p(words)
    ends = s[_S["ends_sentence"]]
    prose = (
        (log_words >= 2.5)
        & ((stop_density >= 0.2) | (cjk_stop_density >= 0.06))
        & (ends > 0)
        & (group != 1)
    ).astype(np.float64)
    cols = [
        log_words,
        np.log1p(chars),
        np.where(cjk > 0, 0.2, np.minimum(12.0, (chars - words + 1) / safe_words) / 12.0),
        stop_density,
        np.log1p(s[_S["stopwords"]]),
        cjk_stop_density,
        s[_S["cjk_punct"]] / safe_cjk,
        ends,
        s[_S["ends_colon"]],
        s[_S["ends_ellipsis"]],
        s[_S["starts_lower"]],
        s[_S["starts_digit"]],
        s[_S["starts_other"]],
        s[_S["capitalised"]] / head,
        s[_S["upper"]] / head,
        s[_S["digits"]] / np.maximum(chars, 1.0),
        np.minimum(5.0, s[_S["separators"]]) / 5.0,
        np.minimum(1.0, s[_S["commas"]] / safe_words * 5),
        np.log1p(s[_S["sentences"]]),
        s[_S["urlish"]],
        s[_S["copyright"]],
        s[_S["year_or_time"]],
        s[_S["comment_cue"]],
        np.minimum(3.0, s[_S["repeats"]]) / 3.0,
        s[_S["title_overlap"]],
        (group == 1).astype(np.float64),
        (group == 2).astype(np.float64),
        (group == 3).astype(np.float64),
        prose,
    ]
    return np.stack(cols, axis=1)


def sub_stats(stats: Array, texts: Sequence[str], order: Sequence[int], labels: Sequence[str | None]) -> Array:
    """:func:`line_stats` of the page made of lines ``order`` of this one (with ``labels``), from this
    page's stats: only what depends on the other lines (repeats, overlap with the first line) and the
    labels are computed again."""
    out: Array = stats[list(order)].copy()
    lines = [texts[i] for i in order]
    counts = Counter(lines)
    out[:, _S["repeats"]] = [counts[t] - 1 for t in lines]
    out[:, _S["group"]] = [label_group(kind) for kind in labels]
    title_words = set(lines[0].lower().split()) if lines else set()
    overlap = []
    for text in lines:
        tokens = text.lower().split()
        overlap.append(sum(map(title_words.__contains__, tokens)) / len(tokens) if 0 < len(tokens) <= 40 else 0.0)
    out[:, _S["title_overlap"]] = overlap
    return out


def feature_matrix(
    texts: Sequence[str], labels: Sequence[str | None], language: str | None, stats: Array | None = None
) -> Array:
    """One row of :data:`FEATURES` per line (``stats``: the page's :func:`line_stats`, if known)."""
    if stats is None:
        stats = line_stats(texts, labels, language)
    n = len(stats)
    if n == 0:
        return np.zeros((0, len(FEATURES)))
    local = local_features(stats)
    log_words = local[:, _L["log_words"]]
    words = stats[:, _S["words"]]
    sd = local[:, _L["stop_density"]] + 3 * local[:, _L["cjk_stop_density"]]
    prose = local[:, _L["prose"]]
    chrome = local[:, _L["label_chrome"]]
    comment = local[:, _L["label_comment"]]
    cols: list[Array] = [local]
    reach = max(abs(d) for d in NEIGHBOURS)
    padded = np.zeros((n + 2 * reach, len(_NEIGHBOUR_IDX)))
    padded[reach : reach + n] = local[:, _NEIGHBOUR_IDX]
    cols.extend(padded[reach + d : reach + d + n] for d in NEIGHBOURS)
    idx = np.arange(n, dtype=np.float64)
    ctx: list[Array] = []
    metadata = local[:, _L["label_metadata"]]
    cue = local[:, _L["comment_cue"]]
    stacked = np.stack((np.ones(n), words, log_words, sd * words, prose, chrome, comment, metadata, cue), axis=1)
    for sums in _window_sums(stacked, RADII):
        count = sums[:, 0]
        ctx.append(sums[:, 2] / count)
        ctx.append(sums[:, 3] / np.maximum(sums[:, 1], 1.0))
        ctx.extend(sums[:, k] / count for k in (4, 5, 6, 7, 8))
    prose_words = prose * words
    total_prose = float(prose_words.sum())
    cum = np.cumsum(prose_words)
    before_mass = (cum - prose_words) / total_prose if total_prose else np.zeros(n)
    after_mass = (total_prose - cum) / total_prose if total_prose else np.zeros(n)
    # index of the last prose line before i and the first after i
    prose_idx = np.where(prose > 0, idx, -1.0)
    last_before = np.maximum.accumulate(np.concatenate(([-1.0], prose_idx[:-1])))
    nxt = np.where(prose > 0, idx, float(n))
    first_after = np.minimum.accumulate(np.concatenate((nxt[1:], [float(n)]))[::-1])[::-1]
    has_before = last_before >= 0
    has_after = first_after < n
    dist_before = np.where(has_before, idx - last_before, 300.0)
    dist_after = np.where(has_after, first_after - idx, 300.0)
    longest = int(np.argmax(words * (0.5 + sd)))
    chars = stats[:, _S["chars"]]
    rel_chars = (np.cumsum(chars) - chars) / max(1.0, float(chars.sum()))
    # the headline: the line after the first that shares most words with the first (the page title)
    overlap = local[:, _L["title_overlap"]].copy()
    overlap[0] = 0.0
    overlap[words > 25] = 0.0
    headline = int(np.argmax(overlap)) if n > 1 else 0
    headline_found = 1.0 if n > 1 and overlap[headline] >= 0.5 else 0.0
    dist_headline = np.where(headline_found > 0, np.abs(idx - headline), 300.0)
    ctx.extend(
        (
            has_before.astype(np.float64),
            has_after.astype(np.float64),
            before_mass,
            after_mass,
            np.log1p(np.minimum(dist_before, 300.0)),
            np.log1p(np.minimum(dist_after, 300.0)),
            np.log1p(np.abs(idx - longest)),
            (idx > longest).astype(np.float64),
            idx / max(1, n - 1),
            rel_chars,
            np.full(n, headline_found),
            np.log1p(dist_headline),
            ((idx > headline) & (headline_found > 0)).astype(np.float64),
            (idx == 0).astype(np.float64),
            np.full(n, np.log1p(n)),
            np.full(n, prose.mean()),
            np.full(n, float(((chrome == 0) & (comment == 0)).mean())),
            np.full(n, np.log1p(total_prose)),
        )
    )
    cols.append(np.stack(ctx, axis=1))
    return np.concatenate(cols, axis=1)


SEQ_RADII = (1, 2, 4, 8, 16)
SEQUENCE = (
    "z",
    *(f"z{d:+d}" for d in NEIGHBOURS),
    *(f"mean{r}_p" for r in SEQ_RADII),
    *(f"wmean{r}_p" for r in SEQ_RADII),
    "mass_before",
    "mass_after",
    "max_p_before",
    "max_p_after",
    "in_region",
    "log_dist_region",
    "region_share",
    *(f"page_{name}" for name in ("log_words", "stop_density", "ends_sentence", "win2_chrome", "win2_comment",
                                  "win5_prose", "prose_mass_before", "prose_mass_after", "rel_position", "title_overlap")),
)
_PAGE_COLUMNS = [FEATURES.index(name[5:]) for name in SEQUENCE if name.startswith("page_")]


def _max_subarray(gain: Array) -> tuple[int, int]:
    """The [start, end) of the contiguous run with the largest sum of ``gain``."""
    best, best_start, best_end = 0.0, 0, 0
    acc, start = 0.0, 0
    for i, g in enumerate(gain.tolist()):
        if acc <= 0:
            acc, start = g, i
        else:
            acc += g
        if acc > best:
            best, best_start, best_end = acc, start, i + 1
    return best_start, best_end


def sequence_features(z: Array, rows: Array) -> Array:
    """Second-stage features of the free lines: their first-stage scores ``z`` seen in context.

    ``rows`` holds the :data:`FEATURES` of the same lines (the free lines, in page order).
    """
    n = len(z)
    if n == 0:
        return np.zeros((0, len(SEQUENCE)))
    zc = np.clip(z, -8.0, 8.0)
    p = 1.0 / (1.0 + np.exp(-zc))
    words = np.expm1(rows[:, _L["log_words"]])
    cols: list[Array] = [zc / 8.0]
    cols.extend(_shift(zc, d) / 8.0 for d in NEIGHBOURS)
    pw = p * words
    windows = _window_sums(np.stack((np.ones(n), p, words, pw), axis=1), SEQ_RADII)
    cols.extend(w[:, 1] / w[:, 0] for w in windows)
    cols.extend(w[:, 3] / np.maximum(w[:, 2], 1.0) for w in windows)
    total = float(pw.sum()) or 1.0
    cum = np.cumsum(pw)
    cols.append((cum - pw) / total)
    cols.append((total - cum) / total)
    cols.append(np.maximum.accumulate(np.concatenate(([0.0], p[:-1]))))
    cols.append(np.maximum.accumulate(np.concatenate((p[1:], [0.0]))[::-1])[::-1])
    start, end = _max_subarray((p - 0.5) * np.sqrt(words + 1.0))
    idx = np.arange(n)
    inside = (idx >= start) & (idx < end)
    dist = np.where(inside, 0, np.where(idx < start, start - idx, idx - end + 1))
    cols.append(inside.astype(np.float64))
    cols.append(np.log1p(dist))
    cols.append(np.full(n, (end - start) / n))
    out = np.stack(cols, axis=1)
    return np.concatenate((out, rows[:, _PAGE_COLUMNS]), axis=1)
