"""The lines of a page as the comments cleaner sees them: section heading, comment header, date line,
furniture, text, comment form or other page chrome (:class:`_Line`), and the page-wide tests that find
the few lines worth classifying (:class:`_Screen`, :class:`_Lines`).
"""

from __future__ import annotations

import bisect
import itertools
import operator
import re

import attrs

from ..dates import MONTH_STRINGS
from ..document import Document
from ..rulescan import lines_with, look_out_for, page_of
from .base import ends_sentence, rule_reason
from .comment_headers import (
    _NUMBERING,
    _WORD_TIME_STRINGS,
    DIGIT_TIMES,
    _clean_author,
    _name_date,
    _not_author,
    may_have_time,
)
from .comment_rules import _KEYWORD_STRINGS, _Rules

# ---------------------------------------------------------------- line classes
HEADING, HEADER, DATE, FURNITURE, TEXT, FORM, OTHER = "heading", "header", "date", "furniture", "text", "form", "other"


@attrs.frozen
class _Line:
    kind: str
    author: str | None = None
    time: str | None = None
    reason: str = ""
    #: a header's shape ("rule", "name-date", "date-name", "name-line"): a page prints its headers alike
    shape: str = ""
    #: a header that introduces what follows ("Jane says:"), so it stands above its comment
    intro: bool = False
    #: a header that is a whole comment in itself ("Pingback: Title | Site")
    whole: bool = False


# the classes without details, shared (a _Line is immutable)
_TEXT_LINE, _OTHER_LINE, _FORM_LINE = _Line(TEXT), _Line(OTHER), _Line(FORM)


_FIRST = operator.itemgetter(0)  # a word's first character (str.split gives no empty words)


def _is_prose(text: str) -> bool:
    """A line that reads like a sentence, not a title, a name or a label."""
    words = text.split()
    if len(words) < 3 or sum(map(str.isupper, map(_FIRST, words))) > 0.6 * len(words):
        return False
    return len(words) >= 8 or (ends_sentence(words[-1]) and not words[-1].endswith(":"))


_INITIAL_END = re.compile(r"(?:^|\s)[A-Z]\.$")


#: the characters a line that ``_NUMBERING`` changes may start with (besides white space and digits)
_NUMBERING_STARTS = frozenset("#(+*•·-")


def _looks_like_name(text: str) -> bool:
    first = text[:1]
    if first in _NUMBERING_STARTS or first.isspace() or first.isdigit():  # (isdigit: every \d and more)
        text = _NUMBERING.sub("", text)
    if len(text) > 40:
        return False
    words = text.split()
    if not 1 <= len(words) <= 4:
        return False
    if text.isupper() and sum(ch.isalpha() for ch in text) >= 4:
        return False  # "BUSINESS", "ASIA NEWS": a section label
    sentence = ends_sentence(text) and not _INITIAL_END.search(text)
    return not sentence and not _not_author(text)


#: what the page screen looks up: the keywords, then the strings of ``_TIME_HINT``
_NEEDLES = (*_KEYWORD_STRINGS, *_WORD_TIME_STRINGS, *MONTH_STRINGS)
#: the other ``_TIME_HINT`` alternatives ("6:46", "3 pm"), for lower-cased text: a line that holds a
#: match of its own passes :func:`may_have_time`
_DIGIT_TIME = re.compile(DIGIT_TIMES)
#: the time strings a line passes :func:`may_have_time` with, whatever else it holds (not "ago", which
#: needs a word boundary when the line has a digit)
_SURE_TIMES = frozenset(("yesterday", "today", "just now"))
#: a line with this many spaces can neither open a section nor head a comment
_LONG = 25

look_out_for(frozenset(_NEEDLES))


class _Screen:
    """The cheap per-line tests (:meth:`_Rules.may_open`, :func:`may_have_time`) for a page's lines at once.

    A page has a couple of hundred lines and a line costs a few case-insensitive searches, each tens
    of nanoseconds a character. The rule scans have every line lower-cased already, and a table of the
    runs of characters the page holds (:func:`~cleannews.rulescan.page_of`): the table says which of
    the strings the tests need (``_NEEDLES``: the ``_KEYWORDS``, the words and months of
    ``_TIME_HINT``) the page may contain, and only those are looked up, with ``str.find``, in the short
    lines joined; the digit shapes of ``_TIME_HINT`` ("6:46", "3 pm") are found by one search of that
    text. A line that names no keyword fails :meth:`_Rules.may_open`'s keyword test, a line that names
    no time string and has no digit shape holds no time, and a line that does is tested on its own with
    :func:`may_have_time` — so every answer is the one the line-by-line tests give. A page with a
    character for which lower-casing is not case folding (the page's ``traps``) is answered line by line.
    """

    __slots__ = ("_time", "candidates", "keyword", "known", "texts", "unknown")

    def __init__(self, doc: Document, positions: list[int]) -> None:
        page = page_of(doc)
        #: the text of each line (line ``p`` is block ``positions[p]``)
        self.texts = texts = [page.texts[i] for i in positions]
        #: the lines the screen answers for (the others are asked line by line)
        self.known: frozenset[int] = frozenset()
        #: the lines it does not answer for (the long ones), in order
        self.unknown: list[int] = []
        #: the known lines that name one of the _KEYWORDS
        self.keyword: frozenset[int] = frozenset()
        #: the known lines that name a time string (the others surely hold no time)
        self.candidates: frozenset[int] = frozenset()
        self._time: dict[int, bool] = {}
        if page.traps:
            return
        spaces = list(map(str.count, texts, itertools.repeat(" ")))
        short = list(itertools.compress(itertools.count(), map(_LONG.__gt__, spaces)))
        if not short:
            return
        self.unknown = list(itertools.compress(itertools.count(), map(_LONG.__le__, spaces)))
        lowered = page.lowered_lines
        lines = [lowered[positions[p]] for p in short]
        low = "\n".join(lines)
        starts = list(itertools.accumulate(map((1).__add__, map(len, lines)), initial=0))
        present = page.present()  # the needles the page may hold (all of whose runs of characters it holds)
        keyword: set[int] = set()
        timely: set[int] = set()
        sure: set[int] = set()  # lines that surely hold a time (may_have_time is true)
        for k, needle in enumerate(_NEEDLES):
            if needle in present:
                target = keyword if k < len(_KEYWORD_STRINGS) else sure if needle in _SURE_TIMES else timely
                target.update(lines_with(low, starts, needle))
        match = _DIGIT_TIME.search(low)
        while match is not None:  # a match may run into the next line: its first line is a candidate
            k = bisect.bisect_right(starts, match.start()) - 1
            (sure if match.end() < starts[k + 1] else timely).add(k)
            match = _DIGIT_TIME.search(low, starts[k + 1])
        self.known = frozenset(short)
        self.keyword = frozenset(short[k] for k in keyword)
        self.candidates = frozenset(short[k] for k in (*timely, *sure))
        self._time = dict.fromkeys((short[k] for k in sure), True)

    def may_have_time(self, p: int) -> bool:
        """:func:`may_have_time` of a known line."""
        if p not in self.candidates:
            return False
        found = self._time.get(p)
        if found is None:
            found = self._time[p] = may_have_time(self.texts[p])
        return found


#: labels the comments cleaner may take over (a comment's date line, its author's byline …)
_OVERRIDABLE = frozenset({"published", "poster", "byline", "caption", "credit", "tag", "source", "dateline"})


def _classify(doc: Document, rules: _Rules, i: int, *, screen: _Screen | None = None, p: int = 0) -> _Line:
    """The class of block ``i`` (``screen`` answers the cheap tests for it as line ``p``, if given)."""
    text = doc.blocks[i].text
    kind = doc.kind_of(i)
    if kind is not None and kind not in _OVERRIDABLE:
        if kind == "comment_form":
            key = doc.key(i)
            rule = rules.heading(text, key) or rules.furniture_rule(text, key)
            if rule is not None:
                return _Line(HEADING if rule.id.startswith("comment-heading") else FURNITURE,
                             reason=rule_reason(rule, text))  # fmt: skip
            return _FORM_LINE
        return _OTHER_LINE
    n_words = len(text.split(None, 25))  # the count, or 26 for any line of more words
    if n_words > 25:
        return _TEXT_LINE
    opens = p in screen.keyword if screen is not None else rules.may_open(text, doc.key(i), dates=False)
    if opens:  # every heading and header rule needs a keyword
        rule = rules.heading(text, doc.key(i))
        if rule is not None:
            return _Line(HEADING, reason=rule_reason(rule, text))
        found_rule = rules.header_rule(text)
        if found_rule is not None:
            rule_id = found_rule[0]
            if rule_id == "comment-header-pingback":
                return _Line(HEADER, None, found_rule[2], shape="rule", whole=True)
            intro = rule_id == "comment-header-says"
            return _Line(HEADER, found_rule[1], found_rule[2], shape="rule", intro=intro)
    if n_words <= 14 and (screen.may_have_time(p) if screen is not None else may_have_time(text)):
        found = _name_date(text, hinted=True)
        if found is not None:
            if found[0] is None:
                return _Line(DATE, None, found[1])
            shape = "name-date" if text.find(found[0]) < text.find(found[1]) else "date-name"
            return _Line(HEADER, found[0], found[1], shape=shape)
    rule = rules.furniture_rule(text, doc.key(i), n_words)
    if rule is not None:
        return _Line(FURNITURE, reason=rule_reason(rule, text))
    if kind is not None:  # a metadata label that is not a comment line: leave it
        return _OTHER_LINE
    return _TEXT_LINE


class _Lines:
    """The classes of ``positions[p]``, computed once each; a short name line next to a date line is a
    header ("Colin Roald" over "October 1st, 2012 at 2:04 pm", or under "3 hours ago" over the comment).

    Neighbours are the next lines no other cleaner took as chrome, so that an ad between two lines does
    not change what they are (and cleaning a cleaned page changes nothing).
    """

    def __init__(self, doc: Document, rules: _Rules, positions: list[int]) -> None:
        self.doc, self.rules, self.positions = doc, rules, positions
        self.n = len(positions)
        self._raw: dict[int, _Line] = {}
        self._cache: dict[int, _Line] = {}
        self._screen: _Screen | None = None

    @property
    def screen(self) -> _Screen | None:
        """The page screen, once :meth:`opening` has made one."""
        return self._screen

    def opening(self) -> list[int]:
        """The short lines that pass :meth:`_Rules.may_open`: only they can open a section or head a comment."""
        doc, rules, positions = self.doc, self.rules, self.positions
        if not (rules.screen_all or rules.heading_lines):  # every heading and header rule needs a keyword
            screen = self._screen = _Screen(doc, positions)
            if screen.known:
                timely = (p for p in screen.candidates if p not in screen.keyword and screen.may_have_time(p))
                return sorted([*screen.keyword, *timely])
        hits = []
        for p, i in enumerate(positions):
            text = doc.blocks[i].text
            if text.count(" ") < _LONG and rules.may_open(text, doc.key(i)):
                hits.append(p)
        return hits

    def raw(self, p: int) -> _Line:
        found = self._raw.get(p)
        if found is None:
            screen = self._screen
            if screen is not None and p in screen.known:
                found = _classify(self.doc, self.rules, self.positions[p], screen=screen, p=p)
            else:
                found = _classify(self.doc, self.rules, self.positions[p])
            self._raw[p] = found
        return found

    def near(self, p: int, step: int) -> int | None:
        """The next line from ``p`` in direction ``step`` that no other cleaner took as chrome."""
        labels, positions = self.doc.labels, self.positions
        q = p + step
        # (an OTHER line is one that a cleaner labelled: a free line is not classified to see it is not)
        while 0 <= q < self.n and labels[positions[q]] is not None and self.raw(q).kind == OTHER:
            q += step
        return q if 0 <= q < self.n else None

    def is_date(self, p: int) -> bool:
        """Whether line ``p`` is a date line (a line the screen knows holds no time is not classified)."""
        screen = self._screen
        if screen is not None and p in screen.known and p not in screen.candidates:
            return False
        return self.raw(p).kind == DATE

    def is_header(self, p: int) -> bool:
        """Whether line ``p`` is a comment header (``self(p).kind == HEADER``): a free line that the screen
        knows names no keyword and no time can be one only as a name by a date line, and is classified
        only then (a comment section's lines are looked through for headers)."""
        found = self._cache.get(p)
        if found is None:
            screen = self._screen
            if (
                screen is not None
                and p in screen.known
                and p not in screen.keyword
                and p not in screen.candidates
                and self.doc.labels[self.positions[p]] is None
                and not (_looks_like_name(self.text(p)) and self._by_date(p))
            ):
                return False  # (its class is text or furniture)
            found = self(p)
        return found.kind == HEADER

    def is_form(self, p: int) -> bool:
        """Whether line ``p`` is the comment form (only a line labelled ``comment_form`` can be)."""
        label = self.doc.labels[self.positions[p]]
        return label is not None and label.kind == "comment_form" and self(p).kind == FORM

    def text(self, p: int) -> str:
        return self.doc.blocks[self.positions[p]].text

    def __call__(self, p: int) -> _Line:
        found = self._cache.get(p)
        if found is None:
            found = self.raw(p)
            if found.kind == TEXT and _looks_like_name(self.text(p)) and self._by_date(p):
                author = _clean_author(self.text(p))
                if author is not None:
                    found = _Line(HEADER, author, None, shape="name-line")
            self._cache[p] = found
        return found

    def _by_date(self, p: int) -> bool:
        """Whether name line ``p`` stands over a date line, or under one and over the comment (its
        neighbours are classified only as far as that needs: most lines are neither)."""
        below = self.near(p, 1)
        if below is None:
            return False
        if self.is_date(below):
            return True
        above = self.near(p, -1)
        return (
            above is not None
            and self.is_date(above)
            and self.raw(below).kind == TEXT
            and not _looks_like_name(self.text(below))
        )
