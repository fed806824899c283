"""The ``comment-*`` rules of a language, ready to match lines fast: section headings, comment headers and
comment furniture (:class:`_Rules`), and :func:`parse_header` on top of them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import ClassVar

import attrs

from ..document import Document
from ..rulebook import LOWERED_TRAPS, Rule, lowered_pattern
from ..rulescan import triggers
from .base import rulebook
from .comment_headers import _counts_comments, _name_date, _rule_header, may_have_time

#: the cleaner whose rulebook holds the ``comment-*`` rules (``Comments.name``)
_CLEANER = "comments"

#: words one of which every shipped ``comment-heading*`` / ``comment-header*`` rule needs (lower case)
_KEYWORD_STRINGS = (
    "comment", "respons", "repl", "thought", "reaction", "opinion", "gossip", "note", "discuss", "conversation", "say",
    "said", "wrote", "writes", "posted", "submitted", "written", "added", "by ", "pts", "points", "http", "pingback",
    "trackback",
)  # fmt: skip
_KEYWORDS = re.compile("|".join(map(re.escape, _KEYWORD_STRINGS)))
#: a line that starts with a count ("46 Comments", "One response")
_COUNT = re.compile(r"^\W*(\d[\d,]*|one)\s", re.I)


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
        lowered = lowered_pattern(anchored.pattern) if anchored is not None and flags & re.IGNORECASE else None
        folded = re.compile(lowered, flags & ~re.IGNORECASE) if lowered is not None else None
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
                    if not low.isascii() and any(trap in low for trap in LOWERED_TRAPS):
                        needs = None  # lower-casing is not case folding here: search
                if needs is not None and not any(need in low for need in needs):
                    continue
            if search.search(text) is not None:
                return True
        return False


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
            rules = rulebook(_CLEANER, rules_file).rules(language)
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

    def counter(self, text: str, key: str) -> bool:
        """A comment counter: a heading that counts the comments ("46 Comments")."""
        return _COUNT.match(text) is not None and self.heading(text, key) is not None

    def furniture_rule(self, text: str, key: str, n_words: int | None = None) -> Rule | None:
        """The first ``comment-furniture`` rule that matches (``n_words``: the line's word count, if known)."""
        if n_words is None:
            n_words = len(text.split())
        if self.furniture_words is not None and n_words > self.furniture_words:
            return None  # longer than any rule reads (each rule's max_words would say no)
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


def parse_header(
    text: str, language: str | None = None, rules_file: str | None = None
) -> tuple[str | None, str | None] | None:
    """(author, time) when ``text`` is a comment header line, else None (see the ``comment-header`` rules)."""
    book = _Rules.get(language, rules_file)
    return book.header(text)


def is_comment_counter(doc: Document, index: int) -> bool:
    """Whether block ``index`` counts comments ("46 Comments"): the comments cleaner labels every such
    line, over a thread or not, so the cleaners before it must not let one decide anything (it is gone
    when the result is cleaned again). A teaser list ends at one; the category tag does not count one."""
    return _Rules.get(doc.language, None).counter(doc.blocks[index].text, doc.key(index))
