"""Line features for the whole-page model: numbers about each line and its neighbours, no DOM needed.

:func:`line_stats` makes one pass over the page's lines with string methods and a few C-level regular
expressions; :func:`feature_matrix` derives everything else (neighbours, windows, position, the prose
mass before and after a line) with numpy array operations, so a 250-line page costs well under a
millisecond. The names in :data:`FEATURES` are stored with the weights and checked when they load.

Inside, everything is kept as one row per feature (:func:`feature_columns`, :func:`sequence_columns`):
each feature is then a contiguous array, written in place by a few dozen numpy operations; the
functions with a row per line are their transposes. The arithmetic is the same operation for
operation, so that the scores, and the decisions, do not depend on the layout.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from itertools import repeat

import numpy as np
import numpy.typing as npt

from .. import kinds as kinds_mod
from ..language import CJK

Array = npt.NDArray[np.float64]

_SENT_END = frozenset(".!?。！？…")
_CLOSERS = "\"'”’»)]）」』"
_SEPARATORS = re.compile(r"[|»›·•→►▸>/]|\s[-–—]\s|::")
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


_STOPWORD, _IN_TITLE = 1, 2  # what a word of a page is (bits)


@lru_cache(maxsize=64)
def _stop_bits(language: str | None) -> dict[str, int]:
    """The stoplist of ``language`` as a dict to :data:`_STOPWORD`, cached (copy it to change it)."""
    return dict.fromkeys(stopwords(language), _STOPWORD)


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


def _span(names: Sequence[str], index: dict[str, int]) -> slice:
    """The rows of ``names``, which must be consecutive and in this order."""
    first = index[names[0]]
    if [index[name] for name in names] != list(range(first, first + len(names))):
        raise AssertionError(f"not consecutive: {names}")
    return slice(first, first + len(names))


# rows of :func:`line_stats` written together
_CJK_STATS = _span(("cjk", "cjk_stop", "cjk_punct"), _S)
_COUNTED_STATS = _span(("capitalised", "upper", "digits", "separators", "commas", "sentences"), _S)
_STARTS_STATS = _span(("starts_lower", "starts_digit", "starts_other"), _S)


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
_COMMENT_NEEDLES = (
    " says:",
    " said:",
    " wrote:",
    "reply",
    "permalink",
    " ago",
    "report abuse",
    "responses to",
    "comments",
)


def _needle_lines(haystack: str, needles: Sequence[str], starts: npt.NDArray[np.intp], out: Array) -> None:
    """Set ``out`` to 1.0 for the lines of the joined text that contain one of ``needles``, else 0.0."""
    out.fill(0.0)
    hits: list[int] = []
    for needle in needles:
        pos = haystack.find(needle)
        while pos >= 0:
            hits.append(pos)
            pos = haystack.find(needle, pos + 1)
    if hits:
        out[np.searchsorted(starts, hits, side="right") - 1] = 1.0


_DIGIT_BIT, _COMMA_BIT, _STOPPER = 1 << 9, 1 << 10, 1 << 11
_TABLE[48:58] |= _DIGIT_BIT
_mark(",，", _COMMA_BIT)
_mark(".?!", _STOPPER)
_CJK_LANGUAGES = frozenset({"zh", "ja", "ko"})
# what a line's first character is, as bits (see :func:`_first_character`)
_FIRST_LOWER, _FIRST_DIGIT, _FIRST_OTHER = 1, 2, 4
_FIRST_BITS = np.array([[_FIRST_LOWER], [_FIRST_DIGIT], [_FIRST_OTHER]], dtype=np.uint8)
_TAIL = np.array([[1], [2], [3]], dtype=np.intp)  # the last three characters of a line


def _first_character(first: str) -> int:
    """The ``_FIRST_*`` bits of a line's first character ("" for an empty line)."""
    return (
        (_FIRST_LOWER if first.islower() else 0)
        | (_FIRST_DIGIT if first.isdigit() else 0)
        | (0 if first.isalnum() else _FIRST_OTHER)
    )


class _FirstBitsOf(dict[int, int]):
    """The :func:`_first_character` bits by code point, worked out on first sight and kept (for the
    first few thousand characters seen: a page has a few dozen distinct first characters)."""

    def __missing__(self, code: int) -> int:
        bits = _first_character(chr(code))
        if len(self) < 4096:
            self[code] = bits
        return bits


_FIRST_BITS_OF = _FirstBitsOf()


def _year_or_clock_lines(
    cp: npt.NDArray[np.uint32], digit: npt.NDArray[np.bool_], starts: npt.NDArray[np.intp], out: Array
) -> None:
    """Set ``out`` to 1.0 for the lines where a year (19xx, 20xx, not inside a longer number) or a clock
    time (9:21) starts, else 0.0; looked for only where two digits follow (both need them)."""
    out.fill(0.0)
    size = len(cp)
    if size < 4:
        return
    k = np.flatnonzero(digit[2 : size - 1] & digit[3:])  # where the third and fourth characters are digits
    if not len(k):
        return
    padded = np.zeros(size + 2, dtype=bool)  # padded[j + 1] is digit[j]: no digit past the ends
    padded[1:-1] = digit
    c0, c1 = cp[k], cp[k + 1]
    year = ((c0 == 49) & (c1 == 57)) | ((c0 == 50) & (c1 == 48))
    year &= padded[k + 2]
    year &= ~padded[k]  # not after a digit
    year &= ~padded[k + 5]  # nor before one
    clock = padded[k + 1] & (c1 == 58)
    hits = k[year | clock]
    if len(hits):
        out[np.searchsorted(starts, hits, side="right") - 1] = 1.0


def line_stats(texts: Sequence[str], labels: Sequence[str | None], language: str | None) -> Array:
    """Raw per-line counts and flags (:data:`STATS`), one row per line.

    The page is joined into one string and looked at as an array of code points: the counts are masks
    summed per line in one ``np.add.reduceat``, so the cost hardly depends on the number of lines.
    The array is the transpose of a C-contiguous one (each statistic is contiguous, for
    :func:`feature_columns`).
    """
    stats: Array = _stat_columns(texts, labels, language).T
    return stats


def _stat_columns(texts: Sequence[str], labels: Sequence[str | None], language: str | None) -> Array:
    """:func:`line_stats` as one row per statistic (``len(STATS)`` × lines)."""
    n = len(texts)
    out = np.empty((len(STATS), n))
    if n == 0:
        return out
    lengths = np.fromiter(map(len, texts), dtype=np.intp, count=n)
    joined = "\n".join(texts if all(texts) else [t or " " for t in texts])  # text mode has no empty lines
    cp = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    spans = np.maximum(lengths, 1)
    starts = np.empty(n, dtype=np.intp)
    starts[0] = 0
    (spans[:-1] + 1).cumsum(out=starts[1:])
    ends = starts + lengths  # one past the last character (== start for an empty line)
    nonempty = lengths > 0
    flags = _TABLE.take(cp, mode="clip")  # no class above the BMP
    cjk_page = language in _CJK_LANGUAGES or (
        language is None and not joined.isascii() and CJK.search(joined) is not None
    )
    # the characters counted per line: word starts, capitals, all-caps words, digits, separators,
    # commas, sentence ends (and CJK characters, CJK stop characters, CJK punctuation)
    masks = np.empty((10 if cjk_page else 7, len(cp)), dtype=bool)
    word_start, capital, all_caps, digit, separators, commas, sentence = masks[:7]
    space = (flags & _SPACE) != 0
    np.logical_not(space, out=word_start)
    word_start[1:] &= space[:-1]
    upper = (flags & _UPPER) != 0
    np.logical_and(word_start, upper, out=capital)
    all_caps[:] = capital
    all_caps[:-1] &= upper[1:]
    is_space = cp == 32
    nxt_space = np.zeros(len(cp), dtype=bool)
    nxt_space[:-1] = is_space[1:]
    prv_space = np.zeros(len(cp), dtype=bool)
    prv_space[1:] = is_space[:-1]
    np.not_equal(flags & _SEPARATOR, 0, out=separators)
    separators |= ((flags & _DASH) != 0) & prv_space & nxt_space
    np.not_equal(flags & _STOPPER, 0, out=sentence)
    sentence &= nxt_space
    sentence |= cp == 0x3002
    np.not_equal(flags & _DIGIT_BIT, 0, out=digit)
    np.not_equal(flags & _COMMA_BIT, 0, out=commas)
    if cjk_page:
        for row, bit in zip(masks[7:], (_CJK_CHAR, _STOP_CJK, _PUNCT_CJK), strict=True):
            np.not_equal(flags & bit, 0, out=row)
    sums = np.add.reduceat(masks.view(np.uint8), starts, axis=1, dtype=np.int32).astype(np.float64)
    sums[:, ~nonempty] = 0.0
    words = sums[0]
    if cjk_page:
        np.divide(sums[7], 1.5, out=out[_S["words"]])
        np.maximum(words, out[_S["words"]], out=out[_S["words"]])
        out[_CJK_STATS] = sums[7:10]
    else:
        out[_S["words"]] = words  # == np.maximum(words, 0.0 / 1.5)
        out[_CJK_STATS] = 0.0
    out[_S["chars"]] = lengths
    out[_COUNTED_STATS] = sums[1:7]
    _year_or_clock_lines(cp, digit, starts, out[_S["year_or_time"]])

    # stopwords and words shared with the first line (the page's <title>): the page's lower-cased
    # words, in order, each to its line
    low = joined.lower()
    tokens = low.split()
    n_stop = out[_S["stopwords"]]
    n_stop.fill(0.0)
    overlap = out[_S["title_overlap"]]
    overlap.fill(0.0)
    if len(tokens) == int(words.sum()):
        token_line = np.repeat(np.arange(n), words.astype(np.intp))
        stop = stopwords(language)
        title_words = set(texts[0].lower().split())
        # one look-up per word for both questions: a copy of the stoplist's bits, the title's added
        bits = _stop_bits(language).copy()
        for word in title_words:
            bits[word] = bits.get(word, 0) | _IN_TITLE
        codes = np.frombuffer(bytes(map(bits.get, tokens, repeat(0))), dtype=np.uint8)
        if stop:
            n_stop[:] = np.bincount(token_line, weights=codes & _STOPWORD, minlength=n)
        if title_words:
            shared = np.bincount(token_line, weights=codes >> 1, minlength=n)  # the _IN_TITLE bit
            np.divide(shared, np.maximum(words, 1), out=overlap)
            overlap[(words <= 0) | (words > 40)] = 0.0

    # the last character before closing quotes and brackets
    last = np.maximum(ends - 1, starts)
    for _ in range(3):
        last = np.where(((flags[last] & _CLOSER) != 0) & (last > starts), last - 1, last)
    np.logical_and((flags[last] & _END) != 0, nonempty, out=out[_S["ends_sentence"]])
    np.logical_and(cp[last] == 58, nonempty, out=out[_S["ends_colon"]])
    tail = cp[np.maximum(ends[None, :] - _TAIL, starts)]
    ellipsis = (tail[0] == 0x2026) | ((tail == 46).all(axis=0) & (lengths >= 3))
    np.logical_and(ellipsis, nonempty, out=out[_S["ends_ellipsis"]])
    # each line's first character is at its start (an empty line's " " has the bits of "")
    first_bits = np.fromiter(map(_FIRST_BITS_OF.__getitem__, cp[starts].tolist()), dtype=np.uint8, count=n)
    np.not_equal(first_bits & _FIRST_BITS, 0, out=out[_STARTS_STATS])
    _needle_lines(low, _URL_NEEDLES, starts, out[_S["urlish"]])
    _needle_lines(low, _COPYRIGHT_NEEDLES, starts, out[_S["copyright"]])
    _needle_lines(low, _COMMENT_NEEDLES, starts, out[_S["comment_cue"]])
    _page_rows_into(texts, labels, out)
    return out


def _page_rows_into(texts: Sequence[str], labels: Sequence[str | None], out: Array) -> None:
    """Write the stat rows that depend on the page's other lines or on the labels (repeats, group)."""
    counts = Counter(texts)
    repeats = out[_S["repeats"]]
    repeats[:] = np.fromiter(map(counts.__getitem__, texts), dtype=np.float64, count=len(texts))
    repeats -= 1
    groups = {kind: label_group(kind) for kind in set(labels)}
    out[_S["group"]] = np.fromiter(map(groups.__getitem__, labels), dtype=np.float64, count=len(labels))


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
_WINDOW_NAMES = ("log_words", "stop_density", "prose", "chrome", "comment", "metadata", "comment_cue")
CONTEXT = (
    *(f"win{r}_{name}" for r in RADII for name in _WINDOW_NAMES),
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
_NEIGHBOUR_IDX = np.array([_L[name] for name in NEIGHBOUR_LOCAL], dtype=np.intp)
_REACH = max(abs(d) for d in NEIGHBOURS)
_F = {name: i for i, name in enumerate(FEATURES)}


# blocks of rows copied or computed together (checked against the names when the module loads)
_COPIED_STATS = (
    (_span(("ends_sentence", "ends_colon", "ends_ellipsis", "starts_lower", "starts_digit", "starts_other"), _S),
     _span(("ends_sentence", "ends_colon", "ends_ellipsis", "starts_lower", "starts_digit", "starts_other"), _L)),
    (_span(("urlish", "copyright", "year_or_time", "comment_cue"), _S),
     _span(("urlish", "copyright", "year_or_time", "comment_cue"), _L)),
    (_span(("title_overlap",), _S), _span(("title_overlap",), _L)),
)  # fmt: skip
_LOG_STATS = (  # log1p of the stat
    (_span(("words", "chars"), _S), _span(("log_words", "log_chars"), _L)),
    (_span(("stopwords",), _S), _span(("log_stopwords",), _L)),
    (_span(("sentences",), _S), _span(("log_sentences",), _L)),
)
_PER_WORD = (_span(("capitalised", "upper"), _S), _span(("capitalised_share", "upper_share"), _L))
_PER_CJK = (_span(("cjk_stop", "cjk_punct"), _S), _span(("cjk_stop_density", "cjk_punct_density"), _L))
_LABEL_ROWS = _span(("label_chrome", "label_metadata", "label_comment"), _L)
_GROUPS = np.array([[1.0], [2.0], [3.0]])  # label_group() of chrome, metadata, comment


def _columns(stats: Array) -> Array:
    """``stats`` (lines × columns) as C-contiguous rows (columns × lines)."""
    rows = stats.T
    return rows if rows.flags.c_contiguous else np.ascontiguousarray(rows)


def _local_into(s: Array, out: Array) -> None:
    """Write the :data:`LOCAL` rows (``len(LOCAL)`` × lines) of the stat rows ``s`` into ``out``."""
    words = s[_S["words"]]
    chars = s[_S["chars"]]
    safe_words = np.maximum(words, 1.0)
    cjk = s[_S["cjk"]]
    safe_cjk = np.maximum(cjk, 1.0)
    group = s[_S["group"]]
    for source, target in _LOG_STATS:
        np.log1p(s[source], out=out[target])
    mean_word_len = out[_L["mean_word_len"]]
    np.subtract(chars, words, out=mean_word_len)
    mean_word_len += 1
    mean_word_len /= safe_words
    np.minimum(mean_word_len, 12.0, out=mean_word_len)
    mean_word_len /= 12.0
    mean_word_len[cjk > 0] = 0.2
    np.divide(s[_S["stopwords"]], safe_words, out=out[_L["stop_density"]])
    np.divide(s[_PER_CJK[0]], safe_cjk, out=out[_PER_CJK[1]])
    for source, target in _COPIED_STATS:
        out[target] = s[source]
    np.divide(s[_PER_WORD[0]], safe_words, out=out[_PER_WORD[1]])
    np.divide(s[_S["digits"]], np.maximum(chars, 1.0), out=out[_L["digit_share"]])
    separators = out[_L["separators"]]
    np.minimum(s[_S["separators"]], 5.0, out=separators)
    separators /= 5.0
    commas = out[_L["commas_per_word"]]
    np.divide(s[_S["commas"]], safe_words, out=commas)
    commas *= 5
    np.minimum(commas, 1.0, out=commas)
    repeated = out[_L["repeated"]]
    np.minimum(s[_S["repeats"]], 3.0, out=repeated)
    repeated /= 3.0
    np.equal(group, _GROUPS, out=out[_LABEL_ROWS])
    prose = out[_L["log_words"]] >= 2.5
    prose &= (out[_L["stop_density"]] >= 0.2) | (out[_L["cjk_stop_density"]] >= 0.06)
    prose &= s[_S["ends_sentence"]] > 0
    prose &= group != 1
    out[_L["prose"]] = prose


def sub_stats(stats: Array, texts: Sequence[str], order: Sequence[int], labels: Sequence[str | None]) -> Array:
    """:func:`line_stats` of the page made of lines ``order`` of this one (with ``labels``), from this
    page's stats: only what depends on the other lines (repeats, overlap with the first line) and the
    labels are computed again."""
    out: Array = np.take(stats.T, order, axis=1)  # one row per statistic, as line_stats builds them
    lines = [texts[i] for i in order]
    _page_rows_into(lines, labels, out)
    title_words = set(lines[0].lower().split()) if lines else set()
    # a line's "words" are its tokens (line_stats counts them as str.split() does) when it has no CJK
    # characters (else they may be more): the lines known to have none or more than 40 are not split
    known = (out[_S["cjk"]] == 0).tolist()
    overlap = [0.0] * len(lines)
    for k, (text, words) in enumerate(zip(lines, out[_S["words"]].tolist(), strict=True)):
        if known[k] and not 0 < words <= 40:
            continue
        tokens = text.lower().split()
        if 0 < len(tokens) <= 40:
            overlap[k] = sum(map(title_words.__contains__, tokens)) / len(tokens)
    out[_S["title_overlap"]] = overlap
    rows: Array = out.T
    return rows


def feature_matrix(
    texts: Sequence[str], labels: Sequence[str | None], language: str | None, stats: Array | None = None
) -> Array:
    """One row of :data:`FEATURES` per line (``stats``: the page's :func:`line_stats`, if known)."""
    if stats is None:
        stats = line_stats(texts, labels, language)
    return np.ascontiguousarray(feature_columns(stats).T)


_WINDOW_ROWS = _span([f"win{r}_{name}" for r in RADII for name in _WINDOW_NAMES], _F)
_DIST_ROWS = _span(("log_dist_prose_before", "log_dist_prose_after", "log_dist_longest"), _F)
# the rows summed over windows, and their order in the window's :data:`CONTEXT` names
_WINDOWED = np.array(
    [_L[name] for name in ("prose", "label_chrome", "label_comment", "label_metadata", "comment_cue")], dtype=np.intp
)


def _window_sums(rows: Array, radii: Sequence[int]) -> Array:
    """For each radius r, the sums of each of ``rows`` (k × lines) over the lines i-r..i+r
    (k × radii × lines): differences of running sums, padded so that every window is one slice."""
    k, n = rows.shape
    pad = max(radii)
    # sums[:, pad + j] is the sum of the first clip(j, 0, n) lines
    sums = np.empty((k, n + 2 * pad + 1))
    sums[:, : pad + 1] = 0.0
    running = sums[:, pad : pad + n + 1]
    running[:, 1:] = rows
    running.cumsum(axis=1, out=running)
    sums[:, pad + n + 1 :] = sums[:, pad + n : pad + n + 1]
    # one subtraction of two slices per radius (cheaper than gathering the windows' ends)
    window = np.empty((k, len(radii), n))
    for j, r in enumerate(radii):
        np.subtract(sums[:, pad + r + 1 : pad + r + 1 + n], sums[:, pad - r : pad - r + n], out=window[:, j])
    return window


def feature_columns(stats: Array) -> Array:
    """:func:`feature_matrix` as one row per feature (``len(FEATURES)`` × lines), from the page's
    :func:`line_stats`: a few dozen numpy operations, each writing into place."""
    s = _columns(stats)
    n = s.shape[1]
    out = np.empty((len(FEATURES), n))
    if n == 0:
        return out
    local = out[: len(LOCAL)]
    _local_into(s, local)
    words = s[_S["words"]]
    log_words = local[_L["log_words"]]
    sd = local[_L["cjk_stop_density"]] * 3
    sd += local[_L["stop_density"]]
    prose = local[_L["prose"]]
    chrome = local[_L["label_chrome"]]
    comment = local[_L["label_comment"]]

    # the neighbours: the rows of _NEIGHBOUR_IDX shifted (zeros past the ends)
    reach = _REACH
    padded = np.zeros((len(_NEIGHBOUR_IDX), n + 2 * reach))
    local.take(_NEIGHBOUR_IDX, axis=0, out=padded[:, reach : reach + n])
    width = len(NEIGHBOUR_LOCAL)
    for k, d in enumerate(NEIGHBOURS):
        out[len(LOCAL) + k * width : len(LOCAL) + (k + 1) * width] = padded[:, reach + d : reach + d + n]

    # sums over windows of lines: count, words, log words, stopword mass and the _WINDOWED rows
    rows = np.empty((4 + len(_WINDOWED), n))
    rows[0] = 1.0
    rows[1] = words
    rows[2] = log_words
    np.multiply(sd, words, out=rows[3])
    local.take(_WINDOWED, axis=0, out=rows[4:])
    window = _window_sums(rows, RADII)  # sums × radii × lines
    target = out[_WINDOW_ROWS].reshape(len(RADII), len(_WINDOW_NAMES), n)
    np.divide(window[2:], window[0], out=target.transpose(1, 0, 2))
    np.divide(window[3], np.maximum(window[1], 1.0), out=target[:, 1])

    idx = np.arange(n, dtype=np.float64)
    prose_words = prose * words
    total_prose = float(prose_words.sum())
    cum = prose_words.cumsum()
    if total_prose:
        np.subtract(cum, prose_words, out=out[_F["prose_mass_before"]])
        out[_F["prose_mass_before"]] /= total_prose
        np.subtract(total_prose, cum, out=out[_F["prose_mass_after"]])
        out[_F["prose_mass_after"]] /= total_prose
    else:
        out[_F["prose_mass_before"]] = 0.0
        out[_F["prose_mass_after"]] = 0.0
    # index of the last prose line before i and the first after i (infinitely far when there is none)
    is_prose = prose > 0
    last_before = np.empty(n + 1)
    last_before[0] = -np.inf
    last_before[1:] = np.where(is_prose, idx, -np.inf)
    np.maximum.accumulate(last_before, out=last_before)
    first_after = np.empty(n + 1)
    first_after[-1] = np.inf
    first_after[:-1] = np.where(is_prose, idx, np.inf)
    np.minimum.accumulate(first_after[::-1], out=first_after[::-1])
    np.greater_equal(last_before[:-1], 0, out=out[_F["prose_before"]])
    np.less(first_after[1:], n, out=out[_F["prose_after"]])
    dist = out[_DIST_ROWS]  # log1p of: distance to prose before, after (at most 300), to the longest line
    np.subtract(idx, last_before[:-1], out=dist[0])
    np.subtract(first_after[1:], idx, out=dist[1])
    np.minimum(dist[:2], 300.0, out=dist[:2])
    longest = int((words * (0.5 + sd)).argmax())
    np.subtract(idx, longest, out=dist[2])
    np.abs(dist[2], out=dist[2])
    np.log1p(dist, out=dist)
    np.greater(idx, longest, out=out[_F["after_longest"]])
    np.divide(idx, max(1, n - 1), out=out[_F["rel_position"]])
    chars = s[_S["chars"]]
    rel_chars = out[_F["rel_chars"]]
    chars.cumsum(out=rel_chars)
    rel_chars -= chars
    rel_chars /= max(1.0, float(chars.sum()))
    # the headline: the line after the first that shares most words with the first (the page title)
    overlap = local[_L["title_overlap"]].copy()
    overlap[0] = 0.0
    overlap[words > 25] = 0.0
    headline = int(overlap.argmax()) if n > 1 else 0
    found = n > 1 and overlap[headline] >= 0.5
    out[_F["headline_found"]] = 1.0 if found else 0.0
    if found:
        np.log1p(np.abs(idx - headline), out=out[_F["log_dist_headline"]])
        np.greater(idx, headline, out=out[_F["after_headline"]])
    else:
        np.log1p(np.full(n, 300.0), out=out[_F["log_dist_headline"]])
        out[_F["after_headline"]] = 0.0
    out[_F["is_first"]] = 0.0
    out[_F["is_first"], 0] = 1.0
    out[_F["page_log_lines"]] = np.log1p(n)
    out[_F["page_prose_share"]] = np.count_nonzero(prose) / n  # == prose.mean(): prose is 0 or 1
    out[_F["page_free_share"]] = np.count_nonzero((chrome == 0) & (comment == 0)) / n
    out[_F["page_log_prose_words"]] = np.log1p(total_prose)
    return out


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
    *(
        f"page_{name}"
        for name in (
            "log_words",
            "stop_density",
            "ends_sentence",
            "win2_chrome",
            "win2_comment",
            "win5_prose",
            "prose_mass_before",
            "prose_mass_after",
            "rel_position",
            "title_overlap",
        )
    ),
)
_PAGE_COLUMNS = np.array([FEATURES.index(name[5:]) for name in SEQUENCE if name.startswith("page_")], dtype=np.intp)


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
    out: Array = sequence_columns(z, _columns(rows)).T
    return out


_S2 = {name: i for i, name in enumerate(SEQUENCE)}
_SEQ_NEIGHBOURS = _span([f"z{d:+d}" for d in NEIGHBOURS], _S2)
_SEQ_MEAN = _span([f"mean{r}_p" for r in SEQ_RADII], _S2)
_SEQ_WMEAN = _span([f"wmean{r}_p" for r in SEQ_RADII], _S2)
_SEQ_PAGE = _span([name for name in SEQUENCE if name.startswith("page_")], _S2)


def sequence_columns(z: Array, columns: Array) -> Array:
    """:func:`sequence_features` as one row per feature (``len(SEQUENCE)`` × lines), from the
    :func:`feature_columns` of the free lines."""
    n = len(z)
    out = np.empty((len(SEQUENCE), n))
    if n == 0:
        return out
    zc = np.minimum(np.maximum(z, -8.0), 8.0)  # np.clip, without its wrapper
    p = 1.0 / (1.0 + np.exp(-zc))
    words = np.expm1(columns[_F["log_words"]])
    reach = _REACH
    padded = np.zeros(n + 2 * reach)
    scaled = padded[reach : reach + n]
    np.divide(zc, 8.0, out=scaled)
    out[_S2["z"]] = scaled
    shifted = out[_SEQ_NEIGHBOURS]
    for k, d in enumerate(NEIGHBOURS):
        shifted[k] = padded[reach + d : reach + d + n]
    rows = np.empty((4, n))  # summed over windows of lines: count, p, words, p × words
    rows[0] = 1.0
    rows[1] = p
    rows[2] = words
    pw = np.multiply(p, words, out=rows[3])
    total = float(pw.sum()) or 1.0
    cum = pw.cumsum()
    window = _window_sums(rows, SEQ_RADII)  # sums × radii × lines
    np.divide(window[1], window[0], out=out[_SEQ_MEAN])
    np.divide(window[3], np.maximum(window[2], 1.0), out=out[_SEQ_WMEAN])
    before = out[_S2["mass_before"]]
    np.subtract(cum, pw, out=before)
    before /= total
    after = out[_S2["mass_after"]]
    np.subtract(total, cum, out=after)
    after /= total
    # the largest p before each line, and after it (0 for none)
    before_max, after_max = out[_S2["max_p_before"]], out[_S2["max_p_after"]]
    before_max[0] = 0.0
    before_max[1:] = p[:-1]
    np.maximum.accumulate(before_max, out=before_max)
    after_max[:-1] = p[1:]
    after_max[-1] = 0.0
    np.maximum.accumulate(after_max[::-1], out=after_max[::-1])
    start, end = _max_subarray((p - 0.5) * np.sqrt(words + 1.0))
    idx = np.arange(n)
    inside = (idx >= start) & (idx < end)
    dist = np.where(inside, 0, np.where(idx < start, start - idx, idx - end + 1))
    out[_S2["in_region"]] = inside
    np.log1p(dist, out=out[_S2["log_dist_region"]])
    out[_S2["region_share"]] = (end - start) / n
    out[_SEQ_PAGE] = columns[_PAGE_COLUMNS]
    return out
