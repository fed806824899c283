"""Reader comments, in plain text and in HTML: one ``comment`` group per comment, furniture removed.

**Text mode.** The comment section is found from the text alone:

- a *forum page* (a "Posted on … by …" header among its first blocks) is a post and its replies: the
  post ends at its source line, a donation block or forum furniture, and every free block after that
  is a reply;
- elsewhere a section opens at a *heading* ("12 Comments", "5 Responses to “…”", "Comments") that
  comment headers follow, or — without a heading — at a run of comment *headers*: "Jane says:",
  "Jane on May 3, 2012 at 8:06 pm said:", "Posted by: Jane | May 3, 2012 at 08:58 AM",
  "by jane on Aug 8, 2012 5:21 PM", a name beside a date ("1 Jane May 3, 2012 at 8:06 pm"), or a
  short name line over a date line.

Inside the section, headers split the comments. When text comes before the first header the page
prints headers *under* each comment (TypePad's "Posted by: …"), otherwise above it. A header's block
goes to ``removed`` as ``comment_furniture`` and its author and time stay on the comment; reply,
report, vote, sort and pagination controls are ``comment_furniture`` too. The last comment ends at the
comment form, at other page chrome, or at text after its closing "Reply".

**HTML mode.** :mod:`cleannews.html_comments` has already read the comments from the DOM and says,
per block, its role (header, text, furniture) and comment; this cleaner labels accordingly. Blocks in
the comments zone without a DOM grouping (trafilatura's flat comment text, or a comment container
without recognisable items) are split with the text-mode headers; a comment section that trafilatura
left inside the main text is found as in text mode.

Phrases and header patterns are data: the ``comment-*`` rules in ``rules/<lang>.toml``.
"""

from __future__ import annotations

import bisect
import itertools
import operator
import re
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

import attrs
import numpy as np

from ..dates import find_date
from ..document import Document, Label
from ..rulebook import Rule
from ..rulescan import needle_hashes, page_of, triggers
from .base import ends_sentence, rule_reason, rulebook, snippet

_POST_END_KINDS = frozenset({"source", "donation", "forum_chrome"})
#: how a comment form begins
_FORM_START = re.compile(
    r"\b(?:leave a (?:reply|comment|response)|post (?:a|your) comment|add (?:a|your) comment|write a comment|"
    r"have your say|join the (?:discussion|conversation)|your email address will not be published)\b",
    re.I,
)
_HEADED = 1000.0  # a heading with comment headers under it outranks any run of headers without one
_COUNT = re.compile(r"^\W*(\d[\d,]*|one)\s", re.I)
_NO_COMMENTS = re.compile(r"^\W*(?:0|no)\s", re.I)
#: lower-case words that a title has and a name has not ("Swords at Sunset")
_TITLE_WORDS = frozenset(("the", "of", "at", "to", "in", "for", "and", "on", "with", "is", "are", "was", "my", "your",
                          "how", "what", "why", "a", "an"))  # fmt: skip
_BY_START = re.compile(r"^\s*by\s", re.I)
#: how an article's byline starts ("By Jane Doe on May 3, 2012", "Posted on May 3 by Jane")
_BYLINE_START = re.compile(r"^\s*(?:by|posted|written|filed|published)\b", re.I)
#: a heading that neither counts the comments nor names them for the article: it may be a menu item
_WEAK_HEADING = re.compile(r"^\W*(?:comments?|discussions?|responses?|conversation|replies)\W*$", re.I)
#: labels an earlier cleaner may have put on a comment's lines that the comment section overrides
_OVERRIDABLE = frozenset({"published", "poster", "byline", "caption", "credit", "tag", "source", "dateline"})
# chrome an earlier cleaner took that says nothing about comments: the section is found among the other
# blocks, so the decision is the same when the text is cleaned again without them
_INERT = frozenset(
    {"ad", "teaser", "related", "donation", "newsletter", "cookie", "share", "author_bio", "navigation", "boilerplate"}
)

# ---------------------------------------------------------------- times
_RELATIVE = r"(?:(?:about|over|almost)\s+)?(?:\d+|an?|one|two|few)\s+(?:sec(?:ond)?s?|min(?:ute)?s?|hours?|hrs?|days?|weeks?|months?|years?)\s+ago|yesterday|today|just now"
_CLOCK = (
    r"(?:\d{1,2}:[0-5]\d(?::[0-5]\d)?\s*(?:[ap]\.?m\.?)?|\d{1,2}\.[0-5]\d\s*[ap]\.?m\.?|\d{1,2}\s*[ap]\.?m\.?)"
    r"(?:\s*[a-z]{2,4}\b)?"
)
_MON = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_EXTRA_TIMES = re.compile(
    r"(?<!\w)(?:"
    + _RELATIVE
    + r"|(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?"
    + _MON
    + r"\s+\d{1,2}(?:st|nd|rd|th)?,?\s*(?:@|at|,)?\s*"
    + _CLOCK
    + r"|"
    + _MON
    + r"\s+\d{1,2}(?:st|nd|rd|th)\b"
    + r"|\d{1,2}\.?\s+"
    + _MON
    + r",?\s+\d{4}(?:\s*(?:at|,|@)?\s*"
    + _CLOCK
    + r")?|\d{1,2}\.\d{1,2}\.\d{2,4}\s*(?:at|,|@)?\s*"
    + _CLOCK
    + r"|\d{1,2}/\d{1,2}/\d{2}(?:\s*(?:at|,|@)?\s*"
    + _CLOCK
    + r")?|(?:at\s+)?"
    + _CLOCK
    + r")(?!\w)",
    re.I,
)
_CLOCK_AFTER = re.compile(r"(?:\s*(?:,|at|@|-|–|\|)){1,3}\s*" + _CLOCK, re.I)
_WEEKDAY_BEFORE = re.compile(r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|mon|tue|wed|thu|fri|sat|sun),?\s*$", re.I)
#: what may stand beside a time on a line that is only a time
_TIME_FILLER = re.compile(
    r"\b(?:at|on|posted|updated|edited|permalink|link|reply|said|utc|gmt|report|abuse|rate|up|down|like|share|"
    r"flag|quote|delete|edit|actions|(?:link )?(?:to )?this comment|\d{1,3})\b|[+-]\d{1,2}\b|[#|,:()\[\]@•·–—-]",
    re.I,
)


#: a line without any of these holds no date or time (a cheap test before the real ones)
_TIME_HINT = re.compile(
    r"\d[:./]\d|\d\s*[ap]\.?m\b|\bago\b|yesterday|today|just now|"
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+\d|\d\.?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)",
    re.I,
)


_DIGIT = re.compile(r"\d")
_WORD_TIME_STRINGS = ("ago", "yesterday", "today", "just now")
_WORD_TIMES = re.compile("|".join(_WORD_TIME_STRINGS))


# the two searches above without IGNORECASE, for the lower-cased text of an ASCII line (the same
# matches: lower-casing ASCII changes only A-Z), which they search two to three times faster
_TIME_HINT_ASCII = re.compile(_TIME_HINT.pattern)
_EXTRA_TIMES_ASCII = re.compile(_EXTRA_TIMES.pattern)
_AT_START = re.compile(r"^at\s+", re.I)


def may_have_time(text: str) -> bool:
    """False when ``text`` surely holds no date or time (cheap: most lines fail the first test)."""
    if _DIGIT.search(text) is None:
        return _WORD_TIMES.search(text.lower()) is not None
    if text.isascii():
        return _TIME_HINT_ASCII.search(text.lower()) is not None
    return _TIME_HINT.search(text) is not None


def find_time(text: str, *, hinted: bool = False) -> str | None:
    """The date and/or time printed in ``text`` ("May 3, 2012 at 8:06 pm", "6:46 AM", "2 hours ago").

    ``hinted``: :func:`may_have_time` is known to be true for ``text``.
    """
    if not hinted and not may_have_time(text):
        return None
    found = find_date(text)
    if found is not None:
        start, end = found[1]
        clock = _CLOCK_AFTER.match(text, end)
        if clock is not None:
            end = clock.end()
        weekday = _WEEKDAY_BEFORE.search(text[:start])
        if weekday:
            start = weekday.start()
        return text[start:end].strip(" ,|") or None
    match = _EXTRA_TIMES_ASCII.search(text.lower()) if text.isascii() else _EXTRA_TIMES.search(text)
    if match is None:
        return None
    value = text[match.start() : match.end()].strip(" ,|")
    return _AT_START.sub("", value) or None


def _time_span(text: str, *, hinted: bool = False) -> tuple[int, int] | None:
    value = find_time(text, hinted=hinted)
    if value is None:
        return None
    start = text.find(value)
    return (start, start + len(value)) if start >= 0 else None


# ---------------------------------------------------------------- headers
#: words one of which every shipped ``comment-heading*`` / ``comment-header*`` rule needs (lower case)
_KEYWORD_STRINGS = (
    "comment", "respons", "repl", "thought", "reaction", "opinion", "gossip", "note", "discuss", "conversation", "say",
    "said", "wrote", "writes", "posted", "submitted", "written", "added", "by ", "pts", "points", "http", "pingback",
    "trackback",
)  # fmt: skip
_KEYWORDS = re.compile("|".join(map(re.escape, _KEYWORD_STRINGS)))
_NOT_AUTHOR = re.compile(
    r"^(?:he|she|they|i|you|we|it|who|which|that|this|there|someone|somebody|everyone|everybody|and|but|"
    r"so|then|as|the|a|an|my|his|her|their|our|your|what|when|where|why|how|if|also|article|post|author|"
    r"comment|comments|reply|report|posted|updated|published|by|on|at|in)\b",
    re.I,
)
#: ``_NOT_AUTHOR`` for the lower-cased text of an ASCII line (the same matches, two to three times faster)
_NOT_AUTHOR_ASCII = re.compile(_NOT_AUTHOR.pattern)


def _not_author(text: str) -> bool:
    """Whether ``text`` starts with a word no author's name starts with (``_NOT_AUTHOR``)."""
    if text.isascii():
        return _NOT_AUTHOR_ASCII.match(text.lower()) is not None
    return _NOT_AUTHOR.match(text) is not None


_NUMBERING = re.compile(r"^\s*(?:[#(]?\d+[.):]?\s+|[+*•·-]\s+)")
_EDGE_SEPS = re.compile(r"^[\s|/,•·:–—-]+|[\s|/,•·:–—#-]+$")
_TRAILING_WORDS = re.compile(
    r"(?:\s+(?:on|at|said|says|wrote|published|posted|updated|\||permalink|reply|link|#|-|–|—))+\s*$", re.I
)
_LEADING_WORDS = re.compile(r"^\s*(?:(?:on|at|by|posted|updated|\||-|–|—)\s+)+", re.I)


def _clean_author(value: str) -> str | None:
    value = _EDGE_SEPS.sub("", _TRAILING_WORDS.sub("", _NUMBERING.sub("", value))).strip()
    value = re.sub(r"\s*\(\d+\)$", "", value).strip()
    if not value or len(value) > 60 or len(value.split()) > 7 or value.count("|") > 1:
        return None
    if _not_author(value) or (value.endswith((".", "!", "?")) and len(value.split()) > 2):
        return None
    if not any(ch.isalpha() for ch in value):
        return None
    return value


def _split_author_time(value: str) -> tuple[str | None, str | None]:
    """Author and time of "Beth on August 22, 2012 at 6:29 pm" -> ("Beth", "August 22, 2012 at 6:29 pm")."""
    span = _time_span(value)
    if span is None:
        return _clean_author(value), None
    before, after = value[: span[0]], value[span[1] :]
    author = _clean_author(before) or _clean_author(_LEADING_WORDS.sub("", after))
    return author, value[span[0] : span[1]]


def _is_time_or_empty(value: str | None) -> bool:
    if not value or not value.strip(" |,-–—#"):
        return True
    span = _time_span(value)
    if span is None:
        return False
    rest = _TIME_FILLER.sub(" ", value[: span[0]] + " " + value[span[1] :])
    return not rest.split()


def _rule_header(rule: Rule, text: str) -> tuple[str | None, str | None] | None:
    assert rule.pattern is not None
    match = rule.pattern.search(text)
    if match is None:
        return None
    groups = match.groupdict()
    if not (_is_time_or_empty(groups.get("pre")) and _is_time_or_empty(groups.get("post"))):
        return None
    author_raw = groups.get("author") or ""
    if rule.kind == "comment":  # a whole comment in one line: no author to read
        return None, find_time(text)
    author, time = _split_author_time(author_raw)
    if author is None:
        return None
    for extra in (groups.get("time"), groups.get("pre"), groups.get("post")):
        if time is None and extra:
            time = find_time(extra)
    if "time" in groups and groups["time"] is not None and find_time(groups["time"]) is None:
        return None  # "posted by X on <not a time>" is prose
    return author, time


#: a line that counts comments is the article's meta line, not a comment's header
_COUNTS_COMMENTS = re.compile(r"\b(?:\d+|no|one)\s+(?:comments?|responses?|replies)\b|\bcomments\b", re.I)
#: the words one of which every match of ``_COUNTS_COMMENTS`` holds (lower case)
_COUNT_WORDS = ("comment", "respons", "replies")


def _counts_comments(text: str) -> bool:
    """Whether ``_COUNTS_COMMENTS`` finds something in ``text`` (its search costs a few microseconds
    a line; most lines hold none of the words it needs, which is cheap to see in the lower-cased text)."""
    low = text.lower()
    folds = low.isascii() or not any(trap in low for trap in _FOLD_TRAPS)
    if folds and not any(word in low for word in _COUNT_WORDS):
        return False
    return _COUNTS_COMMENTS.search(text) is not None


def _name_date(text: str, *, hinted: bool = False) -> tuple[str | None, str] | None:
    """A name beside a date ("Colm November 1, 2012 at 8:29 am"); (None, time) for a bare date line.

    ``hinted``: :func:`may_have_time` is known to be true for ``text``.
    """
    if len(text) > 120 or _counts_comments(text):
        return None
    span = _time_span(text, hinted=hinted)
    if span is None:
        return None
    time = text[span[0] : span[1]]
    before = _NUMBERING.sub("", text[: span[0]])
    before = _EDGE_SEPS.sub("", _TRAILING_WORDS.sub("", " " + before)).strip()
    before = _EDGE_SEPS.sub("", _LEADING_WORDS.sub("", before + " ")).strip()
    after = _TIME_FILLER.sub(" ", text[span[1] :]).strip()
    after_words = after.split()
    if not before and not after_words:
        return None, time
    if before and not after_words:
        author = _clean_author(before)
    elif not before and 1 <= len(after_words) <= 5:
        author = _clean_author(_LEADING_WORDS.sub("", text[span[1] :]))
    else:
        return None
    if author is None or len(author.split()) > 5 or any(w in _TITLE_WORDS for w in author.split()):
        return None  # "Swords at Sunset Oct 30, 2012" is a dated title
    return author, time


def parse_header(
    text: str, language: str | None = None, rules_file: str | None = None
) -> tuple[str | None, str | None] | None:
    """(author, time) when ``text`` is a comment header line, else None (see the ``comment-header`` rules)."""
    book = _Rules.get(language, rules_file)
    return book.header(text)


# ---------------------------------------------------------------- rule searches
#: what makes a pattern's top-level alternatives unsafe to search apart: back-references and
#: conditionals (group numbers), global inline flags, and comments (their brackets do not pair)
_NOT_SPLITTABLE = re.compile(r"\\[1-9]|\(\?P=|\(\?\(|\(\?#|^\(\?[aiLmsux-]")


def _alternatives(source: str) -> list[str]:
    """The top-level alternatives of a pattern's source ("a|(b|c)|d" -> ["a", "(b|c)", "d"])."""
    parts: list[str] = []
    depth, start, k, n = 0, 0, 0, len(source)
    while k < n:
        c = source[k]
        if c == "\\":
            k += 2
            continue
        if c == "[":  # a character class: its "]" comes after one character at least ("[]]", "[^]]")
            k += 2 if source.startswith("[^", k) else 1
            k += 1  # the first member, even "]"
            while k < n and source[k] != "]":
                k += 2 if source[k] == "\\" else 1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            parts.append(source[start:k])
            start = k + 1
        k += 1
    parts.append(source[start:])
    return parts


#: escapes that name a character, and scoped flags: a pattern with one is not folded
_NAMED_CHARACTER = re.compile(r"\\[xuUN0-7]|\(\?-")


def _foldable(source: str) -> bool:
    """Whether a case-insensitive search with ``source`` finds in an ASCII line what a plain search finds
    in the line lower-cased: a pattern without upper-case letters, cased non-ASCII letters or escapes
    that name a character."""
    if _NAMED_CHARACTER.search(source):
        return False
    return all(c.lower() == c and (c.isascii() or c.upper() == c) for c in re.sub(r"\\.", "", source))


@attrs.frozen
class _Search:
    """Whether ``pattern`` matches somewhere in a line, faster than ``pattern.search``.

    A pattern's search tries each of its alternatives at each place in the line. An alternative that
    starts with "^" can match only at the start (no rule pattern is multi-line), so those are tried
    there only, as one ``match``; the others are searched only when the line holds one of the strings
    that each of their matches contains (:func:`~cleannews.rulescan.triggers`; "(score:" for
    "\\(score:\\s*-?\\d+…"). A line matches one alternative somewhere exactly when it matches the
    pattern somewhere, so the answer is ``pattern.search``'s.
    """

    pattern: re.Pattern[str]
    #: the alternatives anchored at the start, as one pattern (None: there are none)
    anchored: re.Pattern[str] | None
    #: the other alternatives, each with the strings (lower case) one of which its matches contain
    loose: tuple[tuple[re.Pattern[str], frozenset[str] | None], ...]
    #: ``anchored`` for the lower-cased text of an ASCII line, without IGNORECASE (None: not the same)
    folded: re.Pattern[str] | None = None

    @classmethod
    def of(cls, pattern: re.Pattern[str]) -> _Search:
        source, flags = pattern.pattern, pattern.flags
        parts = _alternatives(source)
        if len(parts) < 2 or flags & (re.VERBOSE | re.MULTILINE) or _NOT_SPLITTABLE.search(source):
            return cls(pattern, None, ((pattern, None),))
        try:
            front = [part for part in parts if part.startswith("^")]
            anchored = re.compile("|".join(f"(?:{part})" for part in front), flags) if front else None
            loose_patterns = [re.compile(part, flags) for part in parts if not part.startswith("^")]
        except re.error:  # (a group name used in two alternatives)
            return cls(pattern, None, ((pattern, None),))
        loose = tuple((x, triggers(x) if flags & re.IGNORECASE else None) for x in loose_patterns)
        folded = None
        if anchored is not None and flags & re.IGNORECASE and _foldable(anchored.pattern):
            folded = re.compile(anchored.pattern, flags & ~re.IGNORECASE)
        return cls(pattern, anchored, loose, folded)

    def __call__(self, text: str) -> bool:
        if self.folded is not None and text.isascii():
            if self.folded.match(text.lower()) is not None:
                return True
        elif self.anchored is not None and self.anchored.match(text) is not None:
            return True
        low: str | None = None
        for search, needs in self.loose:
            if needs is not None:
                if low is None:
                    low = text.lower()
                    if not low.isascii() and any(trap in low for trap in _FOLD_TRAPS):
                        needs = None  # lower-casing is not case folding here: search
                if needs is not None and not any(need in low for need in needs):
                    continue
            if search.search(text) is not None:
                return True
        return False


#: characters for which searching ``text.lower()`` is not a case-insensitive search of ``text``
#: (dotless i and long s match "i" and "s"; "İ" lower-cases to "i" and a combining dot)
_FOLD_TRAPS = ("\u0131", "\u017f", "i\u0307")


def _rule_matches(rule: Rule, search: _Search | None, text: str, key: str, n_words: int) -> bool:
    """``rule.matches(text, key)`` given ``text``'s word count, with ``search`` for its pattern."""
    if rule.max_words is not None and n_words > rule.max_words:
        return False
    if key in rule.lines or (rule.prefixes and key.startswith(rule.prefixes)):
        return True
    return search is not None and search(text)


@attrs.frozen
class _Rules:
    headings: tuple[Rule, ...]
    headers: tuple[Rule, ...]
    furniture: tuple[Rule, ...]
    heading_lines: frozenset[str] = attrs.field(init=False)
    screen_all: bool = attrs.field(init=False)
    #: the heading and header rules, each with the search for the words it needs (None: no screen)
    _worded_headings: tuple[tuple[Rule, re.Pattern[str] | None], ...] = attrs.field(init=False)
    _worded_headers: tuple[tuple[Rule, re.Pattern[str] | None], ...] = attrs.field(init=False)
    #: the furniture rules, each with the fast search of its pattern (None: no pattern)
    _searched_furniture: tuple[tuple[Rule, _Search | None], ...] = attrs.field(init=False)
    #: the words of all the header rules, when each needs some (None: a rule needs no word)
    _header_words: re.Pattern[str] | None = attrs.field(init=False)
    #: no furniture rule reads a line of more words than this (None: some rule reads any line)
    furniture_words: int | None = attrs.field(init=False)
    #: every heading rule needs one of the _KEYWORDS (a line without one is no heading)
    headings_need_keywords: bool = attrs.field(init=False)

    _cache: ClassVar[dict[tuple[str | None, str | None], _Rules]] = {}

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "heading_lines", frozenset(k for r in self.headings for k in r.lines))
        # the shipped heading and header rules all name one of the _KEYWORDS; a user's rules may not
        user = any(r.language == "user" for r in (*self.headings, *self.headers))
        object.__setattr__(self, "screen_all", user)
        object.__setattr__(self, "_worded_headings", tuple((r, _words_search(r)) for r in self.headings))
        object.__setattr__(self, "_worded_headers", tuple((r, _words_search(r)) for r in self.headers))
        searched = tuple((r, _Search.of(r.pattern) if r.pattern is not None else None) for r in self.furniture)
        object.__setattr__(self, "_searched_furniture", searched)
        searches = [words for _, words in self._worded_headers]
        union = None
        if all(words is not None for words in searches):
            union = re.compile("|".join(words.pattern for words in searches if words is not None))
        object.__setattr__(self, "_header_words", union)
        limits = [r.max_words for r in self.furniture if r.max_words is not None]
        unbounded = len(limits) < len(self.furniture)
        need = not self.heading_lines and all(
            r.language != "user"
            and r.id in _RULE_WORDS
            and all(any(k in w for k in _KEYWORD_STRINGS) for w in _RULE_WORDS[r.id])
            for r in self.headings
        )
        object.__setattr__(self, "headings_need_keywords", need)
        object.__setattr__(self, "furniture_words", None if unbounded else max(limits, default=0))

    def may_open(self, text: str, key: str, *, dates: bool = True) -> bool:
        """False when ``text`` can be neither a section heading, a comment header nor a date line.

        A cheap test that most lines fail: the line must name one of the words every shipped heading
        and header rule needs, or hold a date. With a user ``rules_file`` every line passes.
        """
        if self.screen_all or key in self.heading_lines:
            return True
        return _KEYWORDS.search(text.lower()) is not None or (dates and may_have_time(text))

    @classmethod
    def get(cls, language: str | None, rules_file: str | None) -> _Rules:
        key = (language, rules_file)
        found = cls._cache.get(key)
        if found is None:
            rules = rulebook(Comments.name, rules_file).rules(language)
            found = cls._cache[key] = cls(
                tuple(r for r in rules if r.id.startswith("comment-heading")),
                tuple(r for r in rules if r.id.startswith("comment-header") and r.pattern is not None),
                tuple(r for r in rules if r.id.startswith("comment-furniture")),
            )
        return found

    @staticmethod
    def _first(rules: Sequence[Rule], text: str, key: str) -> Rule | None:
        return next((r for r in rules if r.matches(text, key)), None)

    def heading(self, text: str, key: str) -> Rule | None:
        if key in self.heading_lines:
            return self._first(self.headings, text, key)
        low = text.lower()
        for rule, words in self._worded_headings:
            # a shipped rule surely cannot match a line that lacks every word it needs
            if (words is None or words.search(low) is not None) and rule.matches(text, key):
                return rule
        return None

    def furniture_rule(self, text: str, key: str, n_words: int | None = None) -> Rule | None:
        """The first ``comment-furniture`` rule that matches (``n_words``: the line's word count, if known)."""
        if n_words is None:
            n_words = len(text.split())
        for rule, search in self._searched_furniture:
            if _rule_matches(rule, search, text, key, n_words):
                return rule
        return None

    def header_rule(self, text: str) -> tuple[str, str | None, str | None] | None:
        """(rule id, author, time) of the first ``comment-header`` rule that reads ``text``."""
        if _counts_comments(text):
            return None  # "Posted by Jane at 7:10 AM | 2 comments": the article's own footer
        low = text.lower()
        if self._header_words is not None and self._header_words.search(low) is None:
            return None  # not one word that a header rule needs
        n = len(text.split())
        for rule, words in self._worded_headers:
            if (rule.max_words is not None and n > rule.max_words) or (words is not None and not words.search(low)):
                continue
            found = _rule_header(rule, text)
            if found is not None:
                return rule.id, found[0], found[1]
        return None

    def header(self, text: str) -> tuple[str | None, str | None] | None:
        found = self.header_rule(text)
        if found is not None:
            return found[1], found[2]
        found_nd = _name_date(text)
        if found_nd is not None and found_nd[0] is not None:
            return found_nd
        return None


#: the words (lower case) one of which each shipped heading/header rule needs: a cheap test first
_RULE_WORDS: dict[str, tuple[str, ...]] = {
    "comment-heading": ("comment", "respons", "repl", "thought", "reaction", "opinion", "gossip", "note",
                        "discuss", "conversation", "say"),
    "comment-header-says": ("say", "said", "wrote", "writes", "replied", "commented", "responded"),
    "comment-header-posted-by": ("by",),
    "comment-header-posted-on": ("by",),
    "comment-header-by": ("by",),
    "comment-header-pingback": ("pingback", "trackback"),
    "comment-header-points": ("pts", "points"),
    "comment-header-url": ("http",),
}  # fmt: skip


def _words_search(rule: Rule) -> re.Pattern[str] | None:
    """A search for the words (lower case) one of which a shipped ``rule`` needs; None for the others."""
    words = _RULE_WORDS.get(rule.id) if rule.language != "user" else None
    return re.compile("|".join(map(re.escape, words))) if words is not None else None


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


#: the month abbreviations of ``_TIME_HINT`` (lower case)
_MONTH_STRINGS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
#: what the page screen looks up: the keywords, then the strings of ``_TIME_HINT``
_NEEDLES = (*_KEYWORD_STRINGS, *_WORD_TIME_STRINGS, *_MONTH_STRINGS)
#: the other ``_TIME_HINT`` alternatives ("6:46", "3 pm"), for lower-cased text: a line that holds a
#: match of its own passes :func:`may_have_time`
_DIGIT_TIME = re.compile(r"\d(?:[:./]\d|\s*[ap]\.?m\b)")
#: the time strings a line passes :func:`may_have_time` with, whatever else it holds (not "ago", which
#: needs a word boundary when the line has a digit)
_SURE_TIMES = frozenset(("yesterday", "today", "just now"))
#: a line with this many spaces can neither open a section nor head a comment
_LONG = 25

assert all(len(needle) >= 3 for needle in _NEEDLES)
_NEEDLE_HASHES = np.concatenate([needle_hashes(needle) for needle in _NEEDLES])
_NEEDLE_STARTS = np.cumsum([0] + [len(needle_hashes(needle)) for needle in _NEEDLES[:-1]]).astype(np.intp)


def _lines_with(low: str, starts: list[int], needle: str, out: set[int]) -> None:
    """Add to ``out`` the lines of ``low`` that contain ``needle`` (``low``: lines joined by "\\n";
    ``starts``: where each starts, then where a line after the last would)."""
    pos = low.find(needle)
    while pos >= 0:
        k = bisect.bisect_right(starts, pos) - 1
        out.add(k)
        pos = low.find(needle, starts[k + 1])


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
        if page.traps or len(page.texts) != len(doc.blocks):
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
        # which needles the page may hold: those all of whose runs of characters it holds
        present = np.logical_and.reduceat(page.grams()[_NEEDLE_HASHES], _NEEDLE_STARTS).tolist()
        keyword: set[int] = set()
        timely: set[int] = set()
        sure: set[int] = set()  # lines that surely hold a time (may_have_time is true)
        for k, (needle, maybe) in enumerate(zip(_NEEDLES, present, strict=True)):
            if maybe:
                target = keyword if k < len(_KEYWORD_STRINGS) else sure if needle in _SURE_TIMES else timely
                _lines_with(low, starts, needle, target)
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


class _Lines:
    """The classes of ``positions[p]``, computed once each; a short name line next to a date line is a
    header ("Colin Roald" over "October 1st, 2012 at 2:04 pm", or under "3 hours ago" over the comment).

    Neighbours are the next lines no other cleaner took as chrome, so that an ad between two lines does
    not change what they are (and cleaning a cleaned page changes nothing).
    """

    def __init__(self, cleaner: Comments, doc: Document, rules: _Rules, positions: list[int]) -> None:
        self.cleaner, self.doc, self.rules, self.positions = cleaner, doc, rules, positions
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
                found = self.cleaner._classify(self.doc, self.rules, self.positions[p], screen=screen, p=p)
            else:
                found = self.cleaner._classify(self.doc, self.rules, self.positions[p])
            self._raw[p] = found
        return found

    def near(self, p: int, step: int) -> int | None:
        """The next line from ``p`` in direction ``step`` that no other cleaner took as chrome."""
        q = p + step
        while 0 <= q < self.n and self.raw(q).kind == OTHER:
            q += step
        return q if 0 <= q < self.n else None

    def text(self, p: int) -> str:
        return self.doc.blocks[self.positions[p]].text

    def __call__(self, p: int) -> _Line:
        found = self._cache.get(p)
        if found is None:
            found = self.raw(p)
            if found.kind == TEXT and _looks_like_name(self.text(p)):
                below = self.near(p, 1)
                below_kind = self.raw(below).kind if below is not None else None
                # a name over a date line, or a date line over a name over the comment (the line above
                # is asked only then: a line is classified only when needed)
                if below_kind == DATE or (
                    below_kind == TEXT
                    and below is not None
                    and (above := self.near(p, -1)) is not None
                    and self.raw(above).kind == DATE
                    and not _looks_like_name(self.text(below))
                ):
                    author = _clean_author(self.text(p))
                    if author is not None:
                        found = _Line(HEADER, author, None, shape="name-line")
            self._cache[p] = found
        return found


@attrs.define
class _Comment:
    group: int
    author: str | None = None
    time: str | None = None
    texts: list[int] = attrs.field(factory=list)
    header_lines: list[int] = attrs.field(factory=list)


@attrs.frozen
class Comments:
    """Labels reader comments (text and HTML mode); their furniture becomes ``comment_furniture``.

    Options: ``forum_header_zone`` (default 3) — how near the top a forum post header must be;
    ``window`` (default 25) — how many blocks after a section heading a comment header must appear in;
    ``main_zone`` (default True) — in HTML mode, also look for a comment section left in the main text;
    ``keep_headers`` (default True) — keep a comment's header line ("Jane says: May 3 at 8:06 pm") as
    the first paragraph of its text, as the page shows it (human gold does the same); False sends it to
    ``removed`` as ``comment_furniture``. Author and time are parsed onto the Comment either way;
    ``long_comment_words`` (default 150) and ``min_story_words`` (default 70) — in text mode, a
    comment section without a heading is dropped when one of its comments runs to
    ``long_comment_words`` words while less than ``min_story_words`` words of prose stand above it (it
    is the story, cut up at its own dateline); ``rules_file`` — extra ``[[rule]]`` tables for the
    ``comments`` cleaner.
    """

    name: ClassVar[str] = "comments"
    forum_header_zone: int = 3
    window: int = 25
    main_zone: bool = True
    keep_headers: bool = True
    long_comment_words: int = 150
    min_story_words: int = 70
    rules_file: str | None = None

    def __attrs_post_init__(self) -> None:
        rulebook(self.name, self.rules_file).rules(None)  # a bad rule file fails here, not mid-batch

    def __call__(self, doc: Document) -> None:
        rules = _Rules.get(doc.language, self.rules_file)
        if doc.mode == "html":
            self._html(doc, rules)
            return
        labels = doc.labels
        if self._forum(doc):
            # (the counters too: the post, cleaned again, is no forum page and would lose them then)
            self._counters(doc, rules, [b.index for b in doc.blocks if labels[b.index] is None])
            return
        positions = [b.index for b in doc.blocks if (label := labels[b.index]) is None or label.kind not in _INERT]
        line = self._lines(doc, rules, positions)
        self._find_section(doc, rules, positions, line=line)
        # the free blocks are among the positions, and a heading rule needs a keyword that the screen
        # may rule out
        screen = line.screen if rules.headings_need_keywords else None
        asked: Iterable[int] = range(len(positions))
        if screen is not None and screen.known:
            asked = sorted((*screen.keyword, *screen.unknown))
        self._counters(doc, rules, [positions[p] for p in asked])

    def _counters(self, doc: Document, rules: _Rules, indices: Iterable[int]) -> None:
        """A comment counter ("3 Comments") among the free blocks ``indices`` is furniture even with no
        comment found under it."""
        labels = doc.labels
        for i in indices:
            if labels[i] is not None:
                continue
            text = doc.blocks[i].text
            if _COUNT.match(text) and rules.heading(text, doc.key(i)) is not None:
                doc.label(i, "comment_furniture", cleaner=self.name,
                          reason=f"comment counter {text!r} (no comments found under it)")  # fmt: skip

    # ------------------------------------------------------------ forum pages
    def _forum(self, doc: Document) -> bool:
        header = next((b.index for b in doc.blocks[: self.forum_header_zone] if doc.kind_of(b.index) == "poster"), None)
        if header is None:
            return False
        end = next((b.index for b in doc.blocks[header + 1 :] if doc.kind_of(b.index) in _POST_END_KINDS), None)
        if end is None:
            return True
        for block in doc.blocks[end + 1 :]:
            doc.label(
                block.index,
                "comment",
                cleaner=self.name,
                reason="reply after the end of the forum post",
                data={"comment": str(block.index)},
            )
        return True

    # ------------------------------------------------------------ HTML
    def _html(self, doc: Document, rules: _Rules) -> None:
        from ..html_comments import META_KEY

        roles: dict[int, dict[str, Any]] = doc.meta.get(META_KEY) or {}
        ungrouped: list[int] = []
        for block in doc.blocks:
            i = block.index
            if block.zone != "comments":
                continue
            role = roles.get(i)
            if role is None or role.get("comment") is None:
                ungrouped.append(i)
                continue
            self._label_dom(doc, rules, i, role)
        if ungrouped:
            found = self._section(doc, rules, ungrouped, 0, implicit=True)
            if not found:
                for i in ungrouped:
                    self._single(doc, rules, i)
        if self.main_zone:
            main = [b.index for b in doc.blocks if b.zone != "comments" and doc.kind_of(b.index) not in _INERT]
            self._find_section(doc, rules, main, strict=True)

    def _label_dom(self, doc: Document, rules: _Rules, i: int, role: dict[str, Any]) -> None:
        text = doc.blocks[i].text
        override = doc.kind_of(i) in _OVERRIDABLE or doc.kind_of(i) == "comment_form"
        data = {"comment": f"dom-{role['comment']}", "author": role.get("author"), "time": role.get("time")}
        if role["role"] == "header":
            if self.keep_headers:
                doc.label(i, "comment", cleaner=self.name, reason="comment header kept (keep_headers)", data=data)
                return
            doc.label(i, "comment_furniture", cleaner=self.name, reason=self._header_reason(data["author"], data["time"]),
                      override=override)  # fmt: skip
            return
        key = doc.key(i)
        rule = rules.furniture_rule(text, key) or rules.heading(text, key)
        if role["role"] == "furniture" or rule is not None:
            reason = rule_reason(rule, text) if rule is not None else "comment controls in the page's markup"
            doc.label(i, "comment_furniture", cleaner=self.name, reason=reason, override=override)
            return
        if doc.kind_of(i) == "comment_form":
            return
        doc.label(i, "comment", cleaner=self.name, reason="comment text in the page's markup", data=data,
                  override=doc.kind_of(i) in _OVERRIDABLE)  # fmt: skip

    def _single(self, doc: Document, rules: _Rules, i: int) -> None:
        text = doc.blocks[i].text
        key = doc.key(i)
        rule = rules.furniture_rule(text, key) or rules.heading(text, key)
        if rule is not None:
            doc.label(i, "comment_furniture", cleaner=self.name, reason=rule_reason(rule, text))
            return
        doc.label(i, "comment", cleaner=self.name, reason="in the page's comment section", data={"comment": f"b{i}"})

    # ------------------------------------------------------------ text sections
    def _classify(self, doc: Document, rules: _Rules, i: int, *, screen: _Screen | None = None, p: int = 0) -> _Line:
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
        limit = rules.furniture_words
        rule = rules.furniture_rule(text, doc.key(i), n_words) if limit is None or n_words <= limit else None
        if rule is not None:
            return _Line(FURNITURE, reason=rule_reason(rule, text))
        if kind is not None:  # a metadata label that is not a comment line: leave it
            return _OTHER_LINE
        return _TEXT_LINE

    def _lines(self, doc: Document, rules: _Rules, positions: list[int]) -> _Lines:
        return _Lines(self, doc, rules, positions)

    def _find_section(
        self, doc: Document, rules: _Rules, positions: list[int], strict: bool = False, *, line: _Lines | None = None
    ) -> bool:
        """Find a comment section among ``positions`` (block indices in order) and label it."""
        if not positions:
            return False
        if line is None:
            line = self._lines(doc, rules, positions)

        n = len(positions)
        hits = line.opening()
        headers = []
        for p in hits:
            kind = line(p).kind
            if kind == HEADER:
                headers.append(p)
            elif kind == DATE:  # a name line over (or under) a date line is a header
                near = (line.near(p, -1), line.near(p, 1))
                headers.extend(q for q in near if q is not None and line(q).kind == HEADER)
        headers = sorted(set(headers))
        # runs: headers of one shape, none more than 30 blocks after the one before
        runs: list[list[int]] = []
        last_run: dict[str, list[int]] = {}
        for p in headers:
            shape = line(p).shape
            run = last_run.get(shape)
            if run is not None and p - run[-1] <= 30:
                run.append(p)
            else:
                run = last_run[shape] = [p]
                runs.append(run)
        run_of = {p: run for run in runs for p in run}
        hit_set = set(hits)

        def prose(q: int) -> bool:  # cheap: a free line that reads like a sentence and no screen took
            i = positions[q]
            if q in hit_set or doc.labels[i] is not None:
                return False
            return _is_prose(doc.blocks[i].text)

        def support(run: list[int]) -> int:
            """How many of the run's headers have prose right under (or, for footers, right over) them."""
            count = 0
            for k, h in enumerate(run):
                below = range(h + 1, min(n, h + 4, run[k + 1] if k + 1 < len(run) else n))
                above = range(max(0, h - 3, run[k - 1] + 1 if k else 0), h)
                if any(map(prose, below)) or any(map(prose, above)):
                    count += 1
            return count

        # candidates (score, order, start, heading): a heading over comment headers first, then the
        # section whose headers stand by the most prose
        candidates: list[tuple[float, int, int, int | None]] = []
        owned: set[int] = set()
        headings = [
            p for p in hits if line(p).kind == HEADING and not _NO_COMMENTS.match(doc.blocks[positions[p]].text)
        ]
        # comments come after the prose they comment on
        first_prose = next(
            (p for p in range(n) if doc.labels[positions[p]] is None and _is_prose(doc.blocks[positions[p]].text)), n
        )
        for k, h in enumerate(headings):
            if h <= first_prose:
                continue
            at = bisect.bisect_right(headers, h)
            first = headers[at] if at < len(headers) and headers[at] <= h + self.window else None
            if first is not None and k + 1 < len(headings) and headings[k + 1] < first:
                continue  # the heading nearer the headers is the section's ("Comments" in a menu is not)
            weak = _WEAK_HEADING.match(doc.blocks[positions[h]].text) is not None
            if first is not None:
                score = support(run_of[first])
                # a bare "Comments" (a menu item, a share bar) needs two comments under it, or one "Jane says:"
                # right under it
                if weak and score < 2 and not (first <= h + 3 and line(first).intro):
                    if not strict and self._nameish_section(doc, rules, positions, h, line, names=3):
                        candidates.append((0.5, -h, h + 1, h))
                    continue
                owned.add(run_of[first][0])
                candidates.append((_HEADED + score, -h, h + 1, h))
            elif weak:
                if not strict and self._nameish_section(doc, rules, positions, h, line, names=3):
                    candidates.append((0.5, -h, h + 1, h))
                continue
            elif not strict and self._nameish_section(doc, rules, positions, h, line):
                candidates.append((0.5, -h, h + 1, h))
        for run in runs:
            if run[0] in owned or len(run) < 3:
                continue
            score = support(run)
            if score < 2:
                continue
            start = run[0]
            # footer headers: the first comment's text sits right above the first header
            back = start
            while back - 1 >= 0 and start - back < 3 and line(back - 1).kind == TEXT:
                back -= 1
            if back < start and self._orientation(doc, positions, back, run, line) == "after":
                start = back
            candidates.append((float(score), -start, start, None))
        for _score, _order, start, heading in sorted(candidates, reverse=True):
            # an unheaded section in text mode is undone when it would swallow the story (see _swallows)
            before = list(doc.labels) if heading is None and doc.mode == "text" else None
            if self._section(doc, rules, positions, start, heading=heading, line=line):
                if before is not None and self._swallows(doc, before):
                    doc.labels[:] = before
                    continue
                return True
        return False

    def _swallows(self, doc: Document, before: list[Label | None]) -> bool:
        """Whether the comments just labelled (blocks free in ``before``, labelled now) look like the
        story itself: one of them runs to ``long_comment_words`` words or more while fewer than
        ``min_story_words`` words of prose stand free above the first. A run of headers with no section
        heading over it is then an article's own dateline and the lines by it ("By Jane Doe on May 3,
        2012", "Published: 29/11/2011, 07:47"), not a comment thread: comments come after a story."""
        sizes: dict[object, int] = {}
        first = None
        for i, label in enumerate(doc.labels):
            if before[i] is not None or label is None or label.kind != "comment":
                continue
            first = i if first is None else first
            group = label.data.get("comment", i)
            sizes[group] = sizes.get(group, 0) + len(doc.blocks[i].text.split())
        if first is None or max(sizes.values()) < self.long_comment_words:
            return False
        story = sum(
            len(doc.blocks[i].text.split()) for i in range(first) if before[i] is None and _is_prose(doc.blocks[i].text)
        )
        return story < self.min_story_words

    def _nameish_section(
        self, doc: Document, rules: _Rules, positions: list[int], h: int, line: _Lines, names: int = 0
    ) -> bool:
        """A heading over comments without headers: a counted one ("19 Responses") over text, or
        (``names``) one over that many short name lines, each over some text. ``_section`` then wants
        name lines under it, or no more text than the count allows (``_as_counted``)."""
        text = doc.blocks[positions[h]].text
        end = min(len(positions), h + 6)
        if names:
            found = [
                q for q in range(h + 1, min(len(positions) - 1, h + 1 + 4 * names))
                if line(q).kind == TEXT and _looks_like_name(doc.blocks[positions[q]].text)
                and line(q + 1).kind == TEXT and _is_prose(doc.blocks[positions[q + 1]].text)
            ]  # fmt: skip
            return len(found) >= names and found[0] <= h + 3
        if not re.match(r"^\{?\s*(?:[1-9]|one\b)", text, re.I):
            return False
        return sum(1 for q in range(h + 1, end) if line(q).kind == TEXT) >= 2

    def _orientation(
        self, doc: Document, positions: list[int], start: int, headers: list[int], line: _Lines, *, headed: bool = False
    ) -> str:
        """Where the headers stand: "after" when each comes under its text (TypePad's "Posted by: …").

        The votes: prose between the section's start and its first header (for "after"); headers
        that introduce what follows ("Jane says:"), and prose under the last header (for "before").
        "reject" when the prose over the first header is not a comment: a counter atop the story.
        """

        def prose(q: int) -> bool:
            text = doc.blocks[positions[q]].text
            return line(q).kind == TEXT and (len(text.split()) >= 3 or ends_sentence(text))

        over = sum(1 for q in range(start, headers[0]) if prose(q)) if headers else 0
        if over == 0:
            return "before"
        if sum(line(h).intro for h in headers) * 2 > len(headers):
            return "before"  # "Jane says:" stands above what Jane says
        q = headers[-1] + 1
        while q < len(positions) and line(q).kind in (DATE, FURNITURE):
            q += 1
        last_has_prose = q < len(positions) and prose(q) and len(doc.blocks[positions[q]].text.split()) >= 6
        if headed and len(headers) == 1:
            # one header under a heading, far below it or a byline with prose under it: the story is
            # above it (a comment counter atop the story, then its byline)
            byline = _BY_START.match(doc.blocks[positions[headers[0]]].text) is not None
            if over > 3 or (byline and last_has_prose):
                return "reject"
        return "before" if last_has_prose else "after"

    def _section(
        self,
        doc: Document,
        rules: _Rules,
        positions: list[int],
        start: int,
        *,
        heading: int | None = None,
        implicit: bool = False,
        line: _Lines | None = None,
    ) -> bool:
        """Split the section from ``positions[start]`` into comments and label them; False if none."""
        if line is None:
            line = self._lines(doc, rules, positions)

        n = len(positions)
        header_ps: list[int] = []
        for p in range(start, n):  # the headers of this section: none more than 60 blocks after the last
            if header_ps and p - header_ps[-1] > 60:
                break
            kind = line(p).kind
            if (
                header_ps
                and kind == FORM
                and _FORM_START.search(doc.blocks[positions[p]].text)
                and not any(line(q).kind == HEADER for q in range(p + 1, min(n, p + 11)))
            ):
                break  # the comment form closes the list (a reply form between comments does not)
            if kind == HEADER:
                header_ps.append(p)
            elif not header_ps and p - start > self.window:
                break
        last_header = header_ps[-1] if header_ps else -1
        furniture: dict[int, str] = {}
        comments: list[_Comment] = []
        if heading is not None:
            furniture[heading] = line(heading).reason or "comment section heading"
        orientation = (
            self._orientation(doc, positions, start, header_ps, line, headed=heading is not None)
            if header_ps
            else "none"
        )
        if orientation == "reject":
            return False
        if orientation == "none" and not implicit:
            # a list of name lines, each over a short comment, right under the heading
            names: list[int] = []
            for p in range(start, n):
                if p - (names[-1] if names else start) > (12 if names else 2):
                    break
                below = line.near(p, 1)
                if (
                    line(p).kind == TEXT
                    and _looks_like_name(doc.blocks[positions[p]].text)
                    and below is not None
                    and line(below).kind == TEXT
                    and not _looks_like_name(doc.blocks[positions[below]].text)
                ):
                    names.append(p)
            if len(names) >= 2:
                name_set = set(names)
            elif heading is not None and self._as_counted(doc, positions, heading, start, line):
                name_set = set()  # one comment per block, as many as the heading counts
            else:
                return False
        else:
            name_set = set()
        date_first = (
            orientation == "before" and header_ps and header_ps[0] - 1 >= start and line(header_ps[0] - 1).kind == DATE
        )
        current: _Comment | None = None
        pending: list[int] = []  # footer layout: text waiting for its header
        opened_strong = heading is not None and not _WEAK_HEADING.match(doc.blocks[positions[heading]].text)
        closed = False
        short_run: list[int] = []
        p = start
        while p < n:
            ln = line(p)
            kind = ln.kind
            more_headers = p < last_header
            if kind in (OTHER, FORM):
                # page chrome ends the section once its last comment has begun; before that it is skipped
                started = bool(current.texts) if current is not None else bool(comments)
                if started and not implicit and not more_headers:
                    break
                if orientation == "after" and kind == FORM and not implicit:
                    pending = []  # text above a comment form is not the next comment's
                p += 1
                continue
            if kind == HEADING:
                heading_text = doc.blocks[positions[p]].text
                collected = len(comments) + (current is not None)
                if collected and not opened_strong and not _WEAK_HEADING.match(heading_text):
                    if collected > 2:
                        break  # another list begins
                    # the section's own heading comes now: what came before it was not comments
                    comments, current, pending, furniture = [], None, [], {}
                    opened_strong = True
                furniture[p] = ln.reason or "comment section heading"
                p += 1
                continue
            if kind == FURNITURE:
                furniture[p] = ln.reason
                closed = closed or (current is not None and bool(current.texts))
                p += 1
                continue
            if kind == DATE:
                if date_first and p + 1 < n and line(p + 1).kind == HEADER:
                    p += 1
                    continue  # taken by the header below
                target = current if orientation != "after" else None
                if target is not None and target.time is None:
                    target.time = ln.time
                    target.header_lines.append(p)
                elif orientation == "after" and pending:
                    # a footer that is only a time: it closes the comment above
                    comment = _Comment(positions[p], None, ln.time, list(pending), [p])
                    comments.append(comment)
                    pending = []
                else:
                    furniture[p] = f"comment time {ln.time!r}"
                p += 1
                continue
            if kind == HEADER and ln.whole:  # "Pingback: …" is a comment in one line
                comment = _Comment(positions[p], None, ln.time, [*pending, p] if orientation == "after" else [p], [])
                pending = []
                if current is not None:
                    comments.append(current)
                if orientation == "after":
                    comments.append(comment)
                    current = None
                else:
                    current = comment
                closed = False
                p += 1
                continue
            if kind == HEADER or p in name_set:
                author = ln.author if kind == HEADER else _clean_author(doc.blocks[positions[p]].text)
                comment = _Comment(positions[p], author, ln.time, [], [p])
                if date_first and p - 1 >= start and line(p - 1).kind == DATE:
                    comment.time = comment.time or line(p - 1).time
                    comment.header_lines.insert(0, p - 1)
                if orientation == "after":
                    comment.texts = pending
                    pending = []
                    comments.append(comment)
                    current = None
                else:
                    if current is not None:
                        comments.append(current)
                    current = comment
                    # a name line over a date line is one header
                    if p + 1 < n and line(p + 1).kind == DATE and comment.time is None:
                        comment.time = line(p + 1).time
                        comment.header_lines.append(p + 1)
                        p += 1
                closed = False
                short_run = []
                p += 1
                continue
            # text
            text = doc.blocks[positions[p]].text
            if orientation == "after":
                if not more_headers:
                    break
                pending.append(p)
                p += 1
                continue
            if current is None:
                if orientation == "before" and more_headers:
                    p += 1  # before the first header (a note, the article's last words): not a comment
                    continue
                if orientation == "none":
                    if not self._prose_or_short_reply(text) and not implicit:
                        break
                    current = _Comment(positions[p])
                    current.texts.append(p)
                    comments.append(current)
                    current = None
                    p += 1
                    continue
                break
            if not more_headers:
                if closed:
                    break
                if not ends_sentence(text) and len(text.split()) <= 6:
                    short_run.append(p)
                    if len(short_run) >= 3:  # a run of short lines after the last comment: page chrome
                        current.texts = [t for t in current.texts if t not in short_run]
                        break
                else:
                    short_run = []
            if pending:
                current.texts.extend(pending)
                pending = []
            current.texts.append(p)
            p += 1
        if current is not None:
            comments.append(current)
        if pending and orientation == "before":
            pass  # text before a header that never came: leave it
        comments = [c for c in comments if c.texts]
        if comments:
            comments = self._drop_articles(doc, positions, comments)
        if not comments:
            return False
        self._label(doc, positions, comments, furniture, line)
        return True

    @staticmethod
    def _as_counted(doc: Document, positions: list[int], heading: int, start: int, line: _Lines) -> bool:
        """A heading that counts N comments over at most 3N blocks of text that end the page or meet
        the comment form: those blocks are the comments (an article under a comment counter is longer)."""
        match = _COUNT.match(doc.blocks[positions[heading]].text)
        if match is None:
            return False
        count = 1 if match.group(1).lower() == "one" else int(match.group(1).replace(",", ""))
        texts = 0
        for q in range(start, len(positions)):
            kind = line(q).kind
            if kind == FORM:
                if not _FORM_START.search(doc.blocks[positions[q]].text):
                    return False  # a stray form field is no end of a comment list
                break
            if kind == TEXT:
                texts += 1
                if texts > 3 * count:
                    return False
        return texts >= 1

    @staticmethod
    def _drop_articles(doc: Document, positions: list[int], comments: list[_Comment]) -> list[_Comment]:
        """Comments far longer than a comment (and than the others) are an article under its byline.

        ("By Jane Doe on May 3, 2012" over the story, or a dated title in a list above one.)
        """
        sizes = [sum(len(doc.blocks[positions[p]].text) for p in c.texts) for c in comments]
        ordered = sorted(sizes)
        keep: list[_Comment] = []
        for k, (comment, size) in enumerate(zip(comments, sizes, strict=True)):
            others = ordered[:]
            others.remove(size)
            median = others[len(others) // 2] if others else 0
            header = doc.blocks[positions[comment.header_lines[0]]].text if comment.header_lines else ""
            if k == 0:
                limit, factor = (800 if _BYLINE_START.match(header) else 2000), 4
            else:
                limit, factor = 6000, 12
            if size > limit and (not others or size > factor * max(median, 250)):
                continue
            keep.append(comment)
        return keep

    @staticmethod
    def _prose_or_short_reply(text: str) -> bool:
        return ends_sentence(text) or len(text.split()) >= 6

    def _label(
        self, doc: Document, positions: list[int], comments: list[_Comment], furniture: dict[int, str], line: _Lines
    ) -> None:
        for p, reason in furniture.items():
            i = positions[p]
            self._put(doc, i, "comment_furniture", reason or "comment section furniture")
        for comment in comments:
            data = {"comment": str(comment.group), "author": comment.author, "time": comment.time}
            for p in comment.header_lines:
                i = positions[p]
                if self.keep_headers:
                    self._put(doc, i, "comment", "comment header kept (keep_headers)", data)
                else:
                    self._put(doc, i, "comment_furniture", self._header_reason(comment.author, comment.time))
            for p in comment.texts:
                i = positions[p]
                header = snippet(doc.blocks[comment.group].text, 40)
                self._put(doc, i, "comment", f"comment with the header {header!r}" if comment.header_lines else
                          "in the page's comment section", data)  # fmt: skip

    def _put(self, doc: Document, i: int, kind: str, reason: str, data: dict[str, Any] | None = None) -> None:
        current = doc.kind_of(i)
        override = current in _OVERRIDABLE or (current == "comment_form" and kind == "comment_furniture")
        doc.label(i, kind, cleaner=self.name, reason=reason, data=data, override=override)

    @staticmethod
    def _header_reason(author: str | None, time: str | None) -> str:
        kept = ", ".join(f"{k} {v!r}" for k, v in (("author", author), ("time", time)) if v)
        return f"comment header; its {kept} kept on the comment" if kept else "comment header"
