"""Phrase and pattern rules, kept as data: ``rules/<lang>.toml`` plus ``rules/common.toml``.

A rule file holds ``[[rule]]`` tables::

    [[rule]]
    id = "ad-marker"          # shown in Removal.reason as "rule ads/ad-marker"
    cleaner = "ads"           # the cleaner that applies it
    kind = "ad"               # the label it gives
    lines = ["advertisement"] # the whole line, compared case-folded without edge punctuation
    prefixes = ["also read"]  # or: the line starts with one of these (same comparison)
    pattern = "regex"         # or: re.search, case-insensitive, on the line as written
    max_words = 12            # optional: only lines this short

A user can add rules with a file of the same shape (cleaner option ``rules_file``).
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from .errors import ConfigError

_EDGE = re.compile(r"^[\W_]+|[\W_]+$", re.UNICODE)
_SPACE = re.compile(r"\s+")


# the ASCII characters that are not letters or digits
_ASCII_EDGE = "".join(chr(c) for c in range(128) if not chr(c).isalnum())


def line_key(text: str, lowered: str | None = None) -> str:
    """The comparison form of a line: case-folded, single-spaced, no punctuation at either end
    (``lowered``: ``text.lower()``, when the caller has it).

    (Equal to ``_SPACE.sub(" ", _EDGE.sub("", text.casefold()))``; written out because the regex
    form costs tens of microseconds on a long paragraph.)
    """
    if text.isascii():  # case folding is lower-casing, and the letters and digits are [a-z0-9]
        folded = (text.lower() if lowered is None else lowered).strip(_ASCII_EDGE)
    else:
        folded = _strip_edges(text.casefold())
    # printable: no white space but the plain space (no tabs, no-break spaces, line separators …)
    if "  " not in folded and folded.isprintable():
        return folded
    return " ".join(folded.split())


def _strip_edges(folded: str) -> str:
    """``folded`` without the characters that are not letters or digits at either end."""
    if not (folded[:1].isalnum() and folded[-1:].isalnum()):
        start, end = 0, len(folded)
        while start < end and not folded[start].isalnum():
            start += 1
        while end > start and not folded[end - 1].isalnum():
            end -= 1
        folded = folded[start:end]
    return folded


@attrs.frozen
class Rule:
    id: str
    cleaner: str
    kind: str
    lines: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()
    pattern: re.Pattern[str] | None = None
    max_words: int | None = None
    language: str = "common"

    def matches(self, text: str, key: str) -> bool:
        if self.max_words is not None and len(text.split()) > self.max_words:
            return False
        if key in self.lines:
            return True
        if self.prefixes and key.startswith(self.prefixes):
            return True
        return bool(self.pattern is not None and self.pattern.search(text))


def _rule_from_table(table: Mapping[str, Any], language: str, origin: str) -> Rule:
    try:
        rule_id, cleaner, kind = str(table["id"]), str(table["cleaner"]), str(table["kind"])
    except KeyError as exc:
        raise ConfigError(f"{origin}: a [[rule]] needs 'id', 'cleaner' and 'kind' (missing {exc})") from None
    pattern = table.get("pattern")
    try:
        compiled = re.compile(pattern, re.IGNORECASE) if pattern else None
    except re.error as exc:
        raise ConfigError(f"{origin}: rule {rule_id!r} has a bad pattern: {exc}") from None
    max_words = table.get("max_words")
    return Rule(
        id=rule_id,
        cleaner=cleaner,
        kind=kind,
        lines=frozenset(line_key(x) for x in table.get("lines", ())),
        prefixes=tuple(line_key(x) for x in table.get("prefixes", ())),
        pattern=compiled,
        max_words=int(max_words) if max_words is not None else None,
        language=language,
    )


def parse_rules(text: str, language: str, origin: str) -> tuple[Rule, ...]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{origin}: not valid TOML: {exc}") from None
    return tuple(_rule_from_table(t, language, origin) for t in data.get("rule", ()))


@cache
def builtin_rules(language: str) -> tuple[Rule, ...]:
    """The rules shipped for ``language`` (empty when there is no file for it)."""
    resource = resources.files("cleannews") / "rules" / f"{language}.toml"
    if not resource.is_file():
        return ()
    return parse_rules(resource.read_text(encoding="utf-8"), language, f"rules/{language}.toml")


@lru_cache(maxsize=64)
def _user_rules(path: str) -> tuple[Rule, ...]:
    file = Path(path)
    if not file.is_file():
        raise ConfigError(f"rules_file {path!r} does not exist")
    return parse_rules(file.read_text(encoding="utf-8"), "user", path)


#: a named group's opening (patterns combined into one alternation make theirs plain groups: names may repeat)
NAMED_GROUP = re.compile(r"\(\?P<\w+>")
# escapes that name a particular character (which lower-casing the text could no longer match)
_CHARACTER_ESCAPE = re.compile(r"\\[xuUN0-7]")
_UPPER_OUTSIDE_ESCAPES = re.compile(r"\\.|[A-Z]")
# the only characters for which searching ``text.lower()`` differs from a case-insensitive search
# for ASCII letters: İ lower-cases to two characters, ı and ſ match "i" and "s" only case-insensitively
_FOLD_TRAPS = ("\u0130", "\u0131", "\u017f")
#: the same traps as they stand in a lower-cased text ("İ" lower-cases to "i" and a combining dot)
LOWERED_TRAPS = ("\u0131", "\u017f", "i\u0307")


def lowered_pattern(pattern: str) -> str | None:
    """``pattern`` for lower-cased text without IGNORECASE, or None when that is not exactly equivalent
    (non-ASCII letters, character escapes, scoped flags)."""
    if _CHARACTER_ESCAPE.search(pattern) or "(?-" in pattern:
        return None
    if not pattern.isascii() and any(ord(ch) > 127 and (ch.lower() != ch or ch.upper() != ch) for ch in pattern):
        return None  # a cased non-ASCII letter ("é", "σ"): its case-insensitive matches are not just .lower()
    return _UPPER_OUTSIDE_ESCAPES.sub(lambda m: m.group(0) if m.group(0)[0] == "\\" else m.group(0).lower(), pattern)


@attrs.frozen
class Screen:
    """One alternation of several rules' patterns: a line it misses needs no per-rule pattern test.

    Case-insensitive regex search is about three times slower than a plain one, so when the patterns
    allow it the screen searches the lower-cased line with a lower-cased, case-sensitive alternation
    (the same answer, see :func:`lowered_pattern`).
    """

    folded: re.Pattern[str] | None
    exact: re.Pattern[str] | None

    def search(self, text: str, lowered: str | None = None) -> bool:
        """Whether one of the patterns may match ``text`` (``lowered``: its :func:`_facts` lower-case form)."""
        if self.folded is not None:
            if lowered is None and not any(trap in text for trap in _FOLD_TRAPS):
                lowered = text.lower()
            if lowered is not None:
                return self.folded.search(lowered) is not None
        return self.exact is None or self.exact.search(text) is not None


# every cleaner asks the same questions of the same block: its word count and lower-case form
_FACTS: dict[str, tuple[int, str | None]] = {}
_FACTS_LIMIT = 50_000


def _facts(text: str) -> tuple[int, str | None]:
    """(word count, lower-cased text or None when case folding is not exact for it), memoised."""
    found = _FACTS.get(text)
    if found is None:
        if len(_FACTS) >= _FACTS_LIMIT:
            _FACTS.clear()
        trapped = "\u0130" in text or "\u0131" in text or "\u017f" in text
        found = _FACTS[text] = (len(text.split()), None if trapped else text.lower())
    return found


def _screen(rules: Iterable[Rule]) -> Screen | None:
    """The screen of the rules' patterns; None when there is nothing to screen for. Patterns that cannot
    be combined give a screen that lets every line through (each pattern is then tried on its own)."""
    patterns = [NAMED_GROUP.sub("(?:", r.pattern.pattern) for r in rules if r.pattern is not None]
    if not patterns:
        return None
    # named groups may repeat across rules: the screen only needs to know whether one matches
    try:
        exact = re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)
    except re.error:
        return Screen(None, None)
    folded = None
    lowered = [lowered_pattern(p) for p in patterns]
    if all(x is not None for x in lowered):
        try:
            folded = re.compile("|".join(f"(?:{p})" for p in lowered))
        except re.error:
            folded = None
    return Screen(folded, exact)


class Rulebook:
    """The rules of one cleaner for one language: language-independent, the language's, the user's.

    When the language is unknown, English rules apply (most chrome phrases on multilingual sites are
    English too).
    """

    def __init__(self, cleaner: str, rules_file: str | None = None) -> None:
        self.cleaner = cleaner
        self.rules_file = rules_file
        self._cache: dict[str | None, tuple[Rule, ...]] = {}
        # per language and length class: the screen of the patterns a line of that many words may meet
        self._screens: dict[tuple[str | None, int], Screen | None] = {}
        self._limits: dict[str | None, list[int]] = {}

    def rules(self, language: str | None) -> tuple[Rule, ...]:
        cached = self._cache.get(language)
        if cached is None:
            langs: Iterable[str] = ("common", language or "en")
            if language and language != "en":
                langs = ("common", language, "en")
            found = [r for lang in langs for r in builtin_rules(lang) if r.cleaner == self.cleaner]
            if self.rules_file:
                found += [r for r in _user_rules(self.rules_file) if r.cleaner == self.cleaner]
            cached = self._cache[language] = tuple(found)
        return cached

    def match(self, text: str, language: str | None, key: str | None = None) -> Rule | None:
        """The first rule that matches ``text`` (``key`` is its :func:`line_key`, if already known)."""
        rules = self.rules(language)
        n_words, lowered = _facts(text)
        screen = self._screen_for(language, rules, n_words)
        key = line_key(text) if key is None else key
        patterns_possible = screen is not None and screen.search(text, lowered)
        for rule in rules:
            if rule.max_words is not None and n_words > rule.max_words:
                continue
            if key in rule.lines or (rule.prefixes and key.startswith(rule.prefixes)):
                return rule
            if patterns_possible and rule.pattern is not None and rule.pattern.search(text):
                return rule
        return None

    def _screen_for(self, language: str | None, rules: tuple[Rule, ...], n_words: int) -> Screen | None:
        """The screen of the patterns whose ``max_words`` admits ``n_words`` (a long paragraph is not
        searched for patterns that only apply to short lines)."""
        limits = self._limits.get(language)
        if limits is None:
            limits = self._limits[language] = sorted(
                {r.max_words for r in rules if r.pattern and r.max_words is not None}
            )
        length_class = bisect_left(limits, n_words)
        cache_key = (language, length_class)
        if cache_key not in self._screens:
            floor = limits[length_class] if length_class < len(limits) else None
            self._screens[cache_key] = _screen(
                r for r in rules if r.max_words is None or (floor is not None and r.max_words >= floor)
            )
        return self._screens[cache_key]
