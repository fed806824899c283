"""Rule matches for every block of a document at once — the rule cleaners' hot path on long pages.

:meth:`Rulebook.match <cleannews.rulebook.Rulebook.match>` answers for one line. A whole page has
hundreds of lines and a dozen rule cleaners, and per line most of the cost is the call itself and the
regular-expression search starting afresh. Here each cleaner's rulebook looks at a document once:

- whole-line and prefix rules: one set intersection / ``startswith`` per line on its comparison key;
- pattern rules: most patterns need one of a few literal strings to match at all (read off the
  parsed pattern, :class:`_Spelling`: "your support helps", "donate now" …, and for an anchored
  pattern the line start as a "\\n": "\\nby", "\\nshare"). The page text searched is the lower-cased
  lines, each after a "\\n", so every match's text, with the line break before its line, is a piece of
  it. Which of all the rulebooks' strings the page may contain is screened at once with a hash table
  of the page's runs of 3 and 5 characters (:meth:`_Page.present`), those are looked up with
  ``str.find`` (those that start a line, in the string of the lines' first characters), and only the
  lines that contain one are searched with the pattern. Lowering is case folding for the ASCII
  letters but on lines with "ı", "ſ" or "İ": those lines are searched with the pattern whatever they
  hold. A string of the form "\\n…" read off "^\\s*…" holds only for lines that start with no white
  space: the others are searched too. Patterns without such strings: the page's lines, grouped by the
  length classes of the rules' ``max_words``, are joined into one text per class and searched by one
  combined, multi-line pattern;
- a line that any of these flags is then matched with :meth:`Rulebook.match` itself, so the answer is
  by construction the same as asking line by line; a line they skip is one no pattern can match.
  Patterns the joined search cannot stand for (anchors to the whole text, lookbehinds,
  back-references) make their class fall back to it.

Results are cached per document (weakly: they go with the document).
"""

from __future__ import annotations

import itertools
import re
import sys
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from typing import Any, AnyStr, NamedTuple, cast
from weakref import WeakKeyDictionary

import attrs
import numpy as np
import numpy.typing as npt

if sys.version_info >= (3, 11):  # the regular-expression parser (``sre_parse`` before 3.11)
    import re._constants as _sre  # type: ignore[import-not-found,unused-ignore]
    import re._parser as _sre_parse  # type: ignore[import-not-found,unused-ignore]
else:  # pragma: no cover
    import sre_constants as _sre
    import sre_parse as _sre_parse

from .document import Document
from .rulebook import LOWERED_TRAPS, NAMED_GROUP, Rule, Rulebook, line_key, lowered_pattern

# constructs whose meaning changes when a line becomes one line of a multi-line text: whole-text
# anchors, lookarounds (they may look past the line's end), back-references and conditionals
_NOT_JOINABLE = re.compile(r"\\[AZ]|\(\?<?[=!]|\\[1-9]|\(\?P=|\(\?\(")


#: the most strings a set of alternatives is spelt out to (``(make|give) a (donation|gift)``: four)
_SPELL_LIMIT = 64
_BEGINNINGS = (_sre.AT_BEGINNING, _sre.AT_BEGINNING_STRING)


@attrs.frozen
class _Spelling:
    """What the literal characters of (part of) a parsed pattern say about the text of its matches,
    lower-cased. With ``anchors``, a match's text is read with the line break before its line: "^"
    stands for that "\\n" (the page text the scan searches has one before every line)."""

    exact: frozenset[str] | None  # every string it can match, when they are few (None: not known)
    prefixes: frozenset[str]  # every match starts with one of these ({""}: nothing known)
    required: frozenset[str] | None  # every match contains one of these (None: no such set)
    # a "\n" stands for "^\s*": it holds only for lines that do not start with white space
    indent: bool = False


def _minimal(strings: frozenset[str]) -> frozenset[str]:
    """``strings`` without those that contain another (a text that holds one holds the other)."""
    return frozenset(s for s in strings if not any(t != s and t in s for t in strings))


def _shortest_prefixes(strings: frozenset[str]) -> frozenset[str]:
    """``strings`` without those that start with another (a text that starts with one starts with the
    other). In sorted order a string's prefixes come before it, and the last one kept is the only one
    to compare with: any kept prefix of a string is a prefix of every string between them."""
    kept: list[str] = []
    for s in sorted(strings):
        if not kept or not s.startswith(kept[-1]):
            kept.append(s)
    return frozenset(kept)


def _exactly(strings: frozenset[str], indent: bool = False) -> _Spelling:
    return _Spelling(strings, _shortest_prefixes(strings), None if "" in strings else strings, indent)


_UNKNOWN = _Spelling(None, frozenset([""]), None)
_NOTHING = _exactly(frozenset([""]))  # zero-width: the text on either side runs on
_LINE_START = _exactly(frozenset(["\n"]))


def _char(code: int) -> str | None:
    """The lower-cased character a literal matches, or None for a cased non-ASCII character (its
    case-insensitive matches are not the lower-cased text's: "é", "σ", "ß"). An ASCII letter's
    are, but for "ı", "ſ" and "İ" (the lines with those are searched whatever they hold)."""
    c = chr(code)
    return c.lower() if c.isascii() or c.lower() == c == c.upper() else None


def _blanks(op: object, av: Any) -> bool:
    """Whether the item is ``\\s*``-like: any number, none included, of white-space characters."""
    if op not in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) or av[0] != 0 or len(av[2]) != 1:
        return False
    sub_op, sub_av = av[2][0]
    if sub_op is _sre.LITERAL:
        return chr(sub_av).isspace()
    return sub_op is _sre.IN and all(
        (o is _sre.CATEGORY and a is _sre.CATEGORY_SPACE) or (o is _sre.LITERAL and chr(a).isspace()) for o, a in sub_av
    )


def _product(left: frozenset[str], right: frozenset[str]) -> frozenset[str] | None:
    if len(left) * len(right) > _SPELL_LIMIT:
        return None
    return frozenset(a + b for a in left for b in right)


def _score(strings: frozenset[str]) -> tuple[float, int]:
    """How selective looking for ``strings`` is: the shortest first (a line break, which starts every
    line, counts half a character), then the fewer."""
    return min(len(s) - s.count("\n") / 2 for s in strings), -len(strings)


def _better(best: frozenset[str] | None, found: frozenset[str] | None) -> frozenset[str] | None:
    if not found or any(not s.strip("\n") for s in found):  # an empty string, or only line starts
        return best
    found = _minimal(found)
    return found if best is None or _score(found) > _score(best) else best


def _spell_item(op: object, av: Any, flags: int, anchors: bool) -> _Spelling:
    if op is _sre.LITERAL:
        c = _char(av)
        return _exactly(frozenset([c])) if c is not None else _UNKNOWN
    if op is _sre.IN:  # a set of single characters, like [- ]
        chars = [_char(a) if o is _sre.LITERAL else None for o, a in av]
        return _exactly(frozenset(cast(list[str], chars))) if None not in chars else _UNKNOWN
    if op is _sre.AT:
        return _LINE_START if anchors and av in _BEGINNINGS else _NOTHING
    if op in (_sre.ASSERT, _sre.ASSERT_NOT):
        return _NOTHING
    if op is _sre.SUBPATTERN:
        _, add, remove, sub = av
        return _spell(sub, (flags | add) & ~remove, anchors)
    if op is _sre.BRANCH:
        return _either([_spell(alt, flags, anchors) for alt in av[1]])
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
        low, high, sub = av
        part = _spell(sub, flags, anchors)
        if part.exact is not None and high <= 1:
            return _exactly(part.exact | {""} if low == 0 else part.exact, part.indent)
        if low >= 1:
            return _Spelling(None, part.prefixes, part.required, part.indent)
    return _UNKNOWN


def _either(parts: list[_Spelling]) -> _Spelling:
    """The spelling of an alternation of ``parts``."""
    exact = None
    if all(p.exact is not None for p in parts):
        exact = frozenset().union(*(cast(frozenset[str], p.exact) for p in parts))
        if len(exact) > _SPELL_LIMIT:
            exact = None
    prefixes = _shortest_prefixes(frozenset().union(*(p.prefixes for p in parts)))
    required = None
    if all(p.required is not None for p in parts):
        required = frozenset().union(*(cast(frozenset[str], p.required) for p in parts))
    indent = any(p.indent for p in parts)
    if exact is not None:
        return _exactly(exact, indent)
    return _Spelling(None, prefixes, required, indent)


def _spell(items: list[tuple[object, Any]], flags: int, anchors: bool) -> _Spelling:
    """The spelling of a sequence. Runs of parts each with a small set of exact strings are spelt out
    (``your (donation|gift) `` is "your donation " or "your gift "); of the candidates for
    ``required`` (each run, joined to the prefixes of what breaks it; each part's own) the most
    selective is kept (:func:`_score`)."""
    best: frozenset[str] | None = None
    run = frozenset([""])
    prefixes: frozenset[str] | None = None  # set where the first run ends
    indent = False
    k = 0
    while k < len(items):
        op, av = items[k]
        k += 1
        if (
            anchors
            and op is _sre.AT
            and av in _BEGINNINGS
            and k < len(items)
            and _blanks(*items[k])
            and (av is _sre.AT_BEGINNING_STRING or not flags & re.MULTILINE)
        ):
            # "^\s*": "\n", for the lines that do not start with white space (the scan looks at the
            # others anyway); with MULTILINE, "^" may also match inside a line
            k += 1
            part = _exactly(frozenset(["\n"]), indent=True)
        else:
            part = _spell_item(op, av, flags, anchors)
        indent = indent or part.indent
        if part.exact is not None:
            longer = _product(run, part.exact)
            if longer is not None:
                run = longer
                continue
        head = _product(run, part.prefixes) or run
        best = _better(_better(best, head), part.required)
        if prefixes is None:
            prefixes = _shortest_prefixes(head)
        run = part.exact if part.exact is not None else frozenset([""])
    best = _better(best, run)
    if prefixes is None:
        return _Spelling(run, _shortest_prefixes(run), best, indent)
    return _Spelling(None, prefixes, best, indent)


_SPELLINGS: dict[tuple[str, int, bool], _Spelling | None] = {}


def _spelling(pattern: re.Pattern[str], anchors: bool) -> _Spelling | None:
    """The spelling of ``pattern`` (None when it cannot be read)."""
    key = (pattern.pattern, pattern.flags, anchors)
    if key not in _SPELLINGS:
        try:
            parsed: Any = _sre_parse.parse(pattern.pattern, pattern.flags)
            found: _Spelling | None = _spell(list(parsed), parsed.state.flags, anchors)
        except Exception:  # an unreadable pattern is searched the plain way
            found = None
        _SPELLINGS[key] = found
    return _SPELLINGS[key]


def triggers(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Lower-case strings one of which the text of any match of ``pattern`` contains when lower-cased
    (None when the pattern needs no particular string, or cannot be read)."""
    found = _spelling(pattern, anchors=False)
    return found.required if found is not None else None


@attrs.frozen
class _Class:
    """The pattern rules a line of one length class may meet, as one search."""

    folded: re.Pattern[str] | None  # for lower-cased text, case-sensitive
    exact: re.Pattern[str] | None  # IGNORECASE
    joinable: bool  # False: every line of the class is a candidate (no joined search)


class _Triggered(NamedTuple):
    """A pattern rule whose lines are found through the strings its matches contain."""

    rule: Rule
    needles: frozenset[str]  # one is in the page text of every match's line (see :class:`_Spelling`)
    indent: bool  # the lines that start with white space are candidates too
    limit: int | None  # the rule's max_words
    search: Callable[[str], object]  # the pattern's search, for the lower-cased line when ``lowered``
    lowered: bool


@attrs.frozen
class _Plan:
    lines: frozenset[str]
    prefixes: tuple[str, ...]
    triggered: tuple[_Triggered, ...]
    limits: tuple[int, ...]
    classes: tuple[_Class | None, ...]  # the other pattern rules, per length class


def _combine(patterns: list[str], flags: int) -> re.Pattern[str] | None:
    try:
        return re.compile("|".join(f"(?:{NAMED_GROUP.sub('(?:', p)})" for p in patterns), flags | re.MULTILINE)
    except re.error:
        return None


def _classes(patterned: list[Rule], limits: tuple[int, ...]) -> tuple[_Class | None, ...]:
    classes: list[_Class | None] = []
    for k in range(len(limits) + 1):
        floor = limits[k] if k < len(limits) else None
        chosen = [
            r.pattern.pattern
            for r in patterned
            if r.pattern is not None and (r.max_words is None or (floor is not None and r.max_words >= floor))
        ]
        if not chosen:
            classes.append(None)
            continue
        joinable = not any(_NOT_JOINABLE.search(p) for p in chosen)
        folded_sources = [lowered_pattern(p) for p in chosen]
        folded = None
        if all(f is not None for f in folded_sources):
            folded = _combine([f for f in folded_sources if f is not None], 0)
        exact = _combine(chosen, re.IGNORECASE)
        classes.append(_Class(folded, exact, joinable and exact is not None))
    return tuple(classes)


def _triggered(rule: Rule) -> _Triggered | None:
    """How ``rule``'s lines are found, when its pattern needs one of a few strings (None: it does not)."""
    pattern = rule.pattern
    if pattern is None or not pattern.flags & re.IGNORECASE:
        return None
    spelling = _spelling(pattern, anchors=True)
    if spelling is None or spelling.required is None:
        return None
    folded_source = lowered_pattern(pattern.pattern)
    try:
        folded = re.compile(folded_source, pattern.flags & ~re.IGNORECASE) if folded_source else None
    except re.error:
        folded = None
    search = folded.search if folded is not None else pattern.search
    return _Triggered(rule, spelling.required, spelling.indent, rule.max_words, search, folded is not None)


def _plan(rules: Sequence[Rule]) -> _Plan:
    lines: set[str] = set()
    prefixes: list[str] = []
    for rule in rules:
        lines |= rule.lines
        prefixes.extend(rule.prefixes)
    patterned = [r for r in rules if r.pattern is not None]
    triggered: list[_Triggered] = []
    plain: list[Rule] = []
    for rule in patterned:
        found = _triggered(rule)
        if found is None:
            plain.append(rule)
        else:
            triggered.append(found)
            _LOOKOUT.add(found.needles)
    limits = tuple(sorted({r.max_words for r in patterned if r.max_words is not None}))
    return _Plan(frozenset(lines), tuple(prefixes), tuple(triggered), limits, _classes(plain, limits))


_HASH_BITS = 18
#: a needle of this many characters or more is looked for by its runs of this many characters, a
#: shorter one by its runs of three: a page holds every trigram of many needles it does not contain
#: ("enter your email" on any page that says "enter", "your" and "email"), much less often every run
#: of five
_LONG = 5


def _gram_hashes(text: str) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """A hash in [0, 2**18) of each run of 3 characters of ``text`` (lower-cased already), and of each
    run of 5. The two lengths hash apart (a salt), so that one table can hold both. (Multiplicative
    hashing in 32 bits, whose top bits are the well-mixed ones; one array of code points for both.)"""
    cp = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    n3, n5 = max(len(cp) - 2, 0), max(len(cp) - 4, 0)
    mixed = cp[:n3] * np.uint32(0x9E3779B1)
    mixed ^= cp[1 : n3 + 1] * np.uint32(0x85EBCA77)
    mixed ^= cp[2 : n3 + 2] * np.uint32(0xC2B2AE3D)
    longer = mixed[:n5] ^ (cp[3 : n5 + 3] * np.uint32(0x27D4EB2F))
    longer ^= cp[4 : n5 + 4] * np.uint32(0x165667B1)
    longer ^= np.uint32(0x5BD1E995)
    shift = np.uint32(32 - _HASH_BITS)
    # (numpy indexes with intp much faster than with uint32)
    return (mixed >> shift).astype(np.intp), (longer >> shift).astype(np.intp)


def _needle_hashes(needle: str) -> npt.NDArray[np.intp]:
    """The hashes :meth:`_Page.grams` is looked up with for ``needle`` (three or more characters)."""
    short, long = _gram_hashes(needle)
    return long if len(needle) >= _LONG else short


class _Lookout:
    """Every string the plans look for in pages, so that a page screens them all at once
    (:meth:`_Page.present`): each string of three or more characters with the hashes of its runs."""

    def __init__(self) -> None:
        self.short: frozenset[str] = frozenset()  # under three characters: looked for on every page
        self.long: tuple[str, ...] = ()
        self.hashes: npt.NDArray[np.intp] = np.zeros(0, np.intp)  # needle after needle
        self.starts: npt.NDArray[np.intp] = np.zeros(0, np.intp)  # where each needle's hashes start
        self.version = 0  # changes when strings are added (a page's screen of the old ones is stale)
        self._known: frozenset[str] = frozenset()
        self._hashed: dict[str, npt.NDArray[np.intp]] = {}  # each long string's hashes, worked out once

    def add(self, needles: frozenset[str]) -> None:
        new = needles - self._known
        if not new:
            return
        self._known |= new
        self.short |= {n for n in new if len(n) < 3}
        self._hashed.update((n, _needle_hashes(n)) for n in new if len(n) >= 3)
        self.long = tuple(sorted(self._hashed))
        hashes = [self._hashed[n] for n in self.long]
        self.hashes = np.concatenate(hashes) if hashes else np.zeros(0, np.intp)
        self.starts = np.cumsum([0] + [len(h) for h in hashes[:-1]]).astype(np.intp)
        self.version += 1


_LOOKOUT = _Lookout()


def look_out_for(needles: frozenset[str]) -> None:
    """Have every page's screen (:meth:`_Page.present`) say whether it may hold these strings too."""
    _LOOKOUT.add(needles)


# where a line that starts with white space starts (its line break, in :attr:`_Page.lowered`)
_INDENTED = re.compile(r"\n(?=\s)")


@attrs.define
class _Page:
    """What every rulebook needs to know about a document's lines, computed once."""

    texts: list[str]
    lowered_lines: list[str]
    lowered: str  # the lower-cased lines, each after a "\n" (so "\nby" finds the lines that start with "by")
    starts: list[int]  # where each line starts in ``lowered``, then where a line after the last would
    traps: bool  # whether some line has a character for which lower-casing is not case folding
    trapped: list[int]  # those lines
    line_keys: list[str]  # each line's comparison key (:func:`~cleannews.rulebook.line_key`)
    found: dict[str, list[int]] = attrs.field(factory=dict)  # string -> the lines that contain it
    _words: list[int] = attrs.field(factory=list)  # each line's word count, -1 until asked for
    _grams: npt.NDArray[np.bool_] | None = None  # which 3- and 5-character run hashes occur in ``lowered``
    _present: tuple[int, frozenset[str]] = (-1, frozenset())  # _LOOKOUT's version, and its screen
    _key_set: frozenset[str] | None = None
    _indented: list[int] | None = None
    _first_chars: str | None = None
    _line_breaks: list[int] | None = None

    def words(self, index: int) -> int:
        """The word count of line ``index`` (counted when first asked: most lines never are)."""
        n = self._words[index]
        if n < 0:
            n = self._words[index] = len(self.texts[index].split())
        return n

    def with_keys(self, keys: frozenset[str]) -> list[int]:
        """The lines whose comparison key is one of ``keys``."""
        if self._key_set is None:
            self._key_set = frozenset(self.line_keys)
        hit = keys & self._key_set
        if not hit:
            return []
        return list(itertools.compress(itertools.count(), map(hit.__contains__, self.line_keys)))

    def grams(self) -> npt.NDArray[np.bool_]:
        """Which hashes of runs of 3 and of 5 characters (:func:`_needle_hashes`) occur in ``lowered``."""
        if self._grams is None:
            table = np.zeros(1 << _HASH_BITS, dtype=bool)
            for hashes in _gram_hashes(self.lowered):
                table[hashes] = True
            self._grams = table
        return self._grams

    def present(self) -> frozenset[str]:
        """The strings of :data:`_LOOKOUT` that may occur in the page: the short ones, and those every
        run of characters of which does (a hash table of the page's runs; a collision only costs a
        ``str.find``)."""
        version, found = self._present
        if version != _LOOKOUT.version:
            hit = self.grams()[_LOOKOUT.hashes]
            ok = np.logical_and.reduceat(hit, _LOOKOUT.starts).tolist() if len(hit) else []
            found = _LOOKOUT.short.union(itertools.compress(_LOOKOUT.long, ok))
            self._present = (_LOOKOUT.version, found)
        return found

    def indented(self) -> list[int]:
        """The lines that start with white space (and some empty ones)."""
        if self._indented is None:
            starts = self.starts
            self._indented = [bisect_right(starts, m.start() + 1) - 1 for m in _INDENTED.finditer(self.lowered)]
        return self._indented

    @classmethod
    def of(cls, doc: Document) -> _Page:
        texts = [b.text for b in doc.blocks]
        lowered_lines = [t.lower() for t in texts]  # (faster than lower-casing the joined page, which
        lowered = "\n" + "\n".join(lowered_lines)  # is as wide as its widest character)
        starts: list[int] = []
        pos = 1
        for line in lowered_lines:
            starts.append(pos)
            pos += len(line) + 1
        starts.append(pos)
        traps = any(trap in lowered for trap in LOWERED_TRAPS)
        trapped = [i for i, low in enumerate(lowered_lines) if any(t in low for t in LOWERED_TRAPS)] if traps else []
        keys = list(map(line_key, texts, lowered_lines))
        doc.seed_keys(keys)
        return cls(texts, lowered_lines, lowered, starts, traps, trapped, keys, words=[-1] * len(texts))

    def lines_with(self, needle: str) -> list[int]:
        """The lines whose text, with the line break before it, contains ``needle`` (lower case)."""
        hit = self.found.get(needle)
        if hit is None:
            head = needle[1:]
            if needle[0] == "\n" and head and "\n" not in head and self._firsts():
                hit = self._lines_starting(head)
            else:  # (a "\n" at the start goes with the line after it: lines "start" at their line break)
                hit = lines_with(self.lowered, self._breaks(), needle)
            self.found[needle] = hit
        return hit

    def _breaks(self) -> list[int]:
        """Where the line break before each line is in ``lowered`` (then one past the end)."""
        if self._line_breaks is None:
            self._line_breaks = [start - 1 for start in self.starts]
        return self._line_breaks

    def _firsts(self) -> str:
        """Each line's first character ("\n" for an empty one); "" when a line holds a line break (a
        "\n" of ``lowered`` is then not always the start of a line)."""
        if self._first_chars is None:
            single = self.lowered.count("\n") == len(self.lowered_lines)
            self._first_chars = "".join([line[:1] or "\n" for line in self.lowered_lines]) if single else ""
        return self._first_chars

    def _lines_starting(self, head: str) -> list[int]:
        """The lines that start with ``head`` (found among those that start with its first character:
        a search of a short string instead of the page's text)."""
        firsts, lines, first = self._firsts(), self.lowered_lines, head[0]
        hit: list[int] = []
        k = firsts.find(first)
        while k >= 0:
            if lines[k].startswith(head):
                hit.append(k)
            k = firsts.find(first, k + 1)
        return hit


#: each rulebook's plan per language, with the rules it was made from (a new tuple: plan again)
_PLANS: dict[tuple[int, str | None], tuple[tuple[Rule, ...], _Plan]] = {}
_RESULTS: WeakKeyDictionary[Document, dict[tuple[int, str | None], list[Rule | None]]] = WeakKeyDictionary()
_PAGES: WeakKeyDictionary[Document, _Page] = WeakKeyDictionary()


def lines_with(text: AnyStr, starts: Sequence[int], needle: AnyStr) -> list[int]:
    """The lines of ``text`` that contain ``needle``, in order, each once (``text``: lines joined by a
    separator that no ``needle`` spans; ``starts``: where each line starts, and maybe where a line
    after the last would)."""
    found: list[int] = []
    last = len(starts) - 1
    pos = text.find(needle)
    while pos >= 0:
        k = bisect_right(starts, pos) - 1
        found.append(k)
        if k >= last:
            break
        pos = text.find(needle, starts[k + 1])
    return found


def page_of(doc: Document) -> _Page:
    """What the rule scans know of ``doc``'s lines (lower-cased lines, their join and starts, keys,
    word counts, the 3/5-character screen), computed once per document and shared."""
    page = _PAGES.get(doc)
    if page is None:
        page = _PAGES[doc] = _Page.of(doc)
    return page


def block_rules(book: Rulebook, doc: Document) -> list[Rule | None]:
    """The first matching rule of ``book`` for every block of ``doc`` (None where no rule matches)."""
    language = doc.language
    per_doc = _RESULTS.get(doc)
    if per_doc is None:
        per_doc = _RESULTS[doc] = {}
    key = (id(book), language)
    found = per_doc.get(key)
    if found is None:
        found = per_doc[key] = _scan(book, page_of(doc), language)
    return found


def _scan(book: Rulebook, page: _Page, language: str | None) -> list[Rule | None]:
    rules = book.rules(language)
    plan_key = (id(book), language)
    planned = _PLANS.get(plan_key)
    if planned is None or planned[0] is not rules:
        planned = _PLANS[plan_key] = (rules, _plan(rules))
    plan = planned[1]
    candidates: set[int] = set(page.with_keys(plan.lines)) if plan.lines else set()
    if plan.prefixes:
        candidates.update(i for i, k in enumerate(page.line_keys) if k.startswith(plan.prefixes))
    if plan.triggered:
        _search_triggered(plan.triggered, page, candidates)
    if any(c is not None for c in plan.classes):
        _search_classes(plan, page, candidates)
    texts, keys = page.texts, page.line_keys
    out: list[Rule | None] = [None] * len(texts)
    for i in candidates:
        out[i] = book.match(texts[i], language, keys[i])
    return out


def _search_triggered(triggered: tuple[_Triggered, ...], page: _Page, candidates: set[int]) -> None:
    """Add to ``candidates`` the lines that a triggered rule's pattern matches. Only the lines with one
    of the rule's strings can (with the page's indented lines, for a rule whose strings assume none),
    and the lines with a fold trap, whose lower-cased text says nothing (searched with the pattern)."""
    present = page.present()
    lowered, texts, trapped = page.lowered_lines, page.texts, page.trapped
    for rule, needles, indent, limit, search, is_lowered in triggered:
        hit: set[int] = set()
        for needle in needles & present:
            hit.update(page.lines_with(needle))
        if indent:
            hit.update(page.indented())
        hit -= candidates
        searches = [(hit, lowered if is_lowered else texts, search)]
        if trapped:
            hit.difference_update(trapped)
            assert rule.pattern is not None
            searches.append((set(trapped) - candidates, texts, rule.pattern.search))
        for lines_to_search, lines, find in searches:
            for i in lines_to_search:
                if (limit is None or page.words(i) <= limit) and find(lines[i]):
                    candidates.add(i)


def _search_classes(plan: _Plan, page: _Page, candidates: set[int]) -> None:
    """Add to ``candidates`` the lines that the patterns of their length class match."""
    classes = plan.classes
    members: list[list[int]] = [[] for _ in classes]
    for i in range(len(page.texts)):
        members[bisect_left(plan.limits, page.words(i))].append(i)
    for cls, indices in zip(classes, members, strict=True):
        if cls is None or not indices:
            continue
        if not cls.joinable:
            candidates.update(indices)
            continue
        candidates.update(_search_class(cls, [page.texts[i] for i in indices], indices, page.traps))


def _search_class(cls: _Class, texts: list[str], indices: list[int], traps: bool) -> list[int]:
    """The indices of the lines that the class's patterns match, by searching the joined lines.

    The search restarts at the line after a hit and checks the hit's line on its own, so a match that
    runs across a line break is never taken for one inside a line, and no line's own match is missed:
    without lookarounds and whole-text anchors, a match inside a line is also a match of the joined
    multi-line text at the same place, so the leftmost match from a restart is never after it.
    """
    if cls.folded is not None and not traps:
        pattern, lines = cls.folded, [t.lower() for t in texts]
    else:
        assert cls.exact is not None
        pattern, lines = cls.exact, texts
    joined = "\n".join(lines)
    starts: list[int] = []
    pos = 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    hits: list[int] = []
    pos = 0
    while pos <= len(joined):
        m = pattern.search(joined, pos)
        if m is None:
            break
        k = bisect_right(starts, m.start()) - 1
        if pattern.search(lines[k]) is not None:
            hits.append(indices[k])
        if k + 1 >= len(starts):
            break
        pos = starts[k + 1]
    return hits
