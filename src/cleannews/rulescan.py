"""Rule matches for every block of a document at once — the rule cleaners' hot path on long pages.

:meth:`Rulebook.match <cleannews.rulebook.Rulebook.match>` answers for one line. A whole page has
hundreds of lines and a dozen rule cleaners, and per line most of the cost is the call itself and the
regular-expression search starting afresh. Here each cleaner's rulebook looks at a document once:

- whole-line and prefix rules: one set lookup / ``startswith`` per line on its comparison key;
- pattern rules: most patterns need one of a few literal strings to match at all ("your support",
  "donate", "paypal" …; read off the parsed pattern). Those strings are looked up in the lower-cased
  page with ``str.find`` (a fast C scan), and only the lines that contain one are searched with the
  pattern. A big case-insensitive alternation costs 50–150 ns a character; most pages contain none of
  the strings of most rules. Patterns without such strings: the page's lines, grouped by the length
  classes of the rules' ``max_words``, are joined into one text per class and searched by one
  combined, multi-line pattern;
- a line that any of these flags is then matched with :meth:`Rulebook.match` itself, so the answer is
  by construction the same as asking line by line. Patterns the joined search cannot stand for
  (anchors to the whole text, lookbehinds, back-references) make their class fall back to it.

Results are cached per document (weakly: they go with the document).
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from typing import Any, cast
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
from .rulebook import Rule, Rulebook, line_key

# constructs whose meaning changes when a line becomes one line of a multi-line text: whole-text
# anchors, lookarounds (they may look past the line's end), back-references and conditionals
_NOT_JOINABLE = re.compile(r"\\[AZ]|\(\?<?[=!]|\\[1-9]|\(\?P=|\(\?\(")
_NAMED_GROUP = re.compile(r"\(\?P<\w+>")
# escapes that name a character (lower-casing the text could no longer match them)
_CHARACTER_ESCAPE = re.compile(r"\\[xuUN0-7]")
_UPPER_OUTSIDE_ESCAPES = re.compile(r"\\.|[A-Z]")
# characters for which searching ``text.lower()`` differs from an IGNORECASE search for ASCII letters
_FOLD_TRAPS = ("\u0130", "\u0131", "\u017f")


def _required(items: list[tuple[object, object]]) -> frozenset[str] | None:
    """Strings of which every match of the parsed pattern ``items`` contains one (lower-cased), or
    None when there is no such set. Of the candidates a sequence offers (each run of literal
    characters, each group or alternation with a set of its own) the one whose shortest string is the
    longest is kept."""
    best: frozenset[str] | None = None

    def consider(found: frozenset[str] | None) -> None:
        nonlocal best
        if not found or any(not x for x in found):
            return
        if best is None or (min(map(len, found)), -len(found)) > (min(map(len, best)), -len(best)):
            best = found

    run: list[str] = []
    for op, av in items:
        if op is _sre.LITERAL:
            c = chr(cast(int, av))
            if not c.isascii() and c.lower() != c.upper():
                consider(frozenset(["".join(run)]))  # a cased non-ASCII letter: case folding is not lower()
                run = []
            else:
                run.append(c.lower())
            continue
        consider(frozenset(["".join(run)]))
        run = []
        if op is _sre.SUBPATTERN:
            consider(_required(av[-1]))  # type: ignore[index]
        elif op is _sre.BRANCH:
            alternatives = [_required(alt) for alt in av[1]]  # type: ignore[index]
            if all(a is not None for a in alternatives):
                consider(frozenset().union(*alternatives))  # type: ignore[arg-type]
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and av[0] >= 1:  # type: ignore[index]
            consider(_required(av[2]))  # type: ignore[index]
    consider(frozenset(["".join(run)]))
    return best


_TRIGGERS: dict[str, frozenset[str] | None] = {}


def triggers(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Lower-case strings one of which the text of any match of ``pattern`` contains when lower-cased
    (None when the pattern needs no particular string, or cannot be read)."""
    source = pattern.pattern
    if source not in _TRIGGERS:
        try:
            parsed: Any = _sre_parse.parse(source, pattern.flags)
            found = _required(list(parsed))
        except Exception:  # an unreadable pattern is searched the plain way
            found = None
        _TRIGGERS[source] = found
    return _TRIGGERS[source]


@attrs.frozen
class _Class:
    """The pattern rules a line of up to ``limit`` words (None: any length) may meet, as one search."""

    limit: int | None
    folded: re.Pattern[str] | None  # for lower-cased text, case-sensitive
    exact: re.Pattern[str] | None  # IGNORECASE
    joinable: bool  # False: every line of the class is a candidate (no joined search)


@attrs.frozen
class _Plan:
    lines: frozenset[str]
    prefixes: tuple[str, ...]
    # pattern rules found through their strings: the rule, its strings, its search for lower-cased text
    # (case-sensitive, when that is equivalent; else None and the rule's own pattern is used)
    triggered: tuple[tuple[Rule, frozenset[str], re.Pattern[str] | None], ...]
    limits: tuple[int, ...]
    classes: tuple[_Class | None, ...]  # the other pattern rules, per length class
    fallback: tuple[_Class | None, ...]  # every pattern rule, per length class (pages with fold traps)
    needles: tuple[str, ...]  # the triggered rules' strings of three or more characters, each once
    needle_hashes: npt.NDArray[np.int64]  # the hashes of their n-grams (see _needle_hashes), needle after needle
    needle_starts: npt.NDArray[np.intp]  # where each needle's n-grams start in needle_hashes


def _combine(patterns: list[str], flags: int) -> re.Pattern[str] | None:
    try:
        return re.compile("|".join(f"(?:{_NAMED_GROUP.sub('(?:', p)})" for p in patterns), flags | re.MULTILINE)
    except re.error:
        return None


def _fold(pattern: str) -> str | None:
    """``pattern`` for lower-cased text without IGNORECASE, when that is exactly equivalent."""
    if _CHARACTER_ESCAPE.search(pattern) or "(?-" in pattern:
        return None
    if not pattern.isascii() and any(ord(c) > 127 and (c.lower() != c or c.upper() != c) for c in pattern):
        return None
    return _UPPER_OUTSIDE_ESCAPES.sub(lambda m: m.group(0) if m.group(0)[0] == "\\" else m.group(0).lower(), pattern)


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
        folded_sources = [_fold(p) for p in chosen]
        folded = None
        if all(f is not None for f in folded_sources):
            folded = _combine([f for f in folded_sources if f is not None], 0)
        exact = _combine(chosen, re.IGNORECASE)
        classes.append(_Class(floor, folded, exact, joinable and exact is not None))
    return tuple(classes)


def _plan(rules: Sequence[Rule]) -> _Plan:
    lines: set[str] = set()
    prefixes: list[str] = []
    for rule in rules:
        lines |= rule.lines
        prefixes.extend(rule.prefixes)
    patterned = [r for r in rules if r.pattern is not None]
    triggered: list[tuple[Rule, frozenset[str], re.Pattern[str] | None]] = []
    plain: list[Rule] = []
    for rule in patterned:
        assert rule.pattern is not None
        found = triggers(rule.pattern) if rule.pattern.flags & re.IGNORECASE else None
        if found is None:
            plain.append(rule)
            continue
        folded_source = _fold(rule.pattern.pattern)
        try:
            folded = re.compile(folded_source, rule.pattern.flags & ~re.IGNORECASE) if folded_source else None
        except re.error:
            folded = None
        triggered.append((rule, found, folded))
    limits = tuple(sorted({r.max_words for r in patterned if r.max_words is not None}))
    needles = tuple(sorted({needle for _, found, _ in triggered for needle in found if len(needle) >= 3}))
    hashes = [needle_hashes(needle) for needle in needles]
    starts = np.cumsum([0] + [len(h) for h in hashes[:-1]]).astype(np.intp) if needles else np.zeros(0, np.intp)
    return _Plan(
        frozenset(lines),
        tuple(prefixes),
        tuple(triggered),
        limits,
        _classes(plain, limits),
        _classes(patterned, limits),
        needles,
        np.concatenate(hashes) if hashes else np.zeros(0, np.int64),
        starts,
    )


_HASH_BITS = 18


_MASK = (1 << _HASH_BITS) - 1
#: a needle of this many characters or more is looked for by its runs of this many characters, a
#: shorter one by its runs of three: a page holds every trigram of many needles it does not contain
#: ("enter your email" on any page that says "enter", "your" and "email"), much less often every run
#: of five
_LONG = 5


def _gram_hashes(text: str, k: int) -> npt.NDArray[np.int64]:
    """A hash of each run of ``k`` (3 or 5) characters of ``text`` (lower-cased already), in [0, 2**18).
    The two lengths hash apart (a salt), so that one table can hold both."""
    cp = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)
    if len(cp) < k:
        return np.zeros(0, np.int64)
    n = len(cp) - k + 1
    mixed = (cp[:n] * 0x9E3779B1) ^ (cp[1 : n + 1] * 0x85EBCA77) ^ (cp[2 : n + 2] * 0xC2B2AE3D)
    if k == _LONG:
        mixed = mixed ^ (cp[3 : n + 3] * 0x27D4EB2F) ^ (cp[4 : n + 4] * 0x165667B1) ^ 0x5BD1E995
    return (mixed ^ (mixed >> 23)) & _MASK


def needle_hashes(needle: str) -> npt.NDArray[np.int64]:
    """The hashes :meth:`_Page.grams` is looked up with for ``needle`` (three or more characters)."""
    return _gram_hashes(needle, _LONG if len(needle) >= _LONG else 3)


@attrs.define
class _Page:
    """What every rulebook needs to know about a document's lines, computed once."""

    texts: list[str]
    words: list[int]
    lowered_lines: list[str]
    lowered: str  # the lower-cased lines joined by "\n"
    starts: list[int]  # where each line starts in ``lowered``
    traps: bool
    line_keys: list[str]  # each line's comparison key (:func:`~cleannews.rulebook.line_key`)
    found: dict[str, list[int]] = attrs.field(factory=dict)  # string -> the lines that contain it
    _grams: npt.NDArray[np.bool_] | None = None  # which 3- and 5-character run hashes occur in ``lowered``
    _keys: dict[str, list[int]] | None = None

    def keys(self) -> dict[str, list[int]]:
        """Comparison key -> the lines that have it."""
        if self._keys is None:
            found: dict[str, list[int]] = {}
            for i, key in enumerate(self.line_keys):
                found.setdefault(key, []).append(i)
            self._keys = found
        return self._keys

    def grams(self) -> npt.NDArray[np.bool_]:
        """Which hashes of runs of 3 and of 5 characters (:func:`needle_hashes`) occur in ``lowered``."""
        if self._grams is None:
            table = np.zeros(1 << _HASH_BITS, dtype=bool)
            table[_gram_hashes(self.lowered, 3)] = True
            table[_gram_hashes(self.lowered, _LONG)] = True
            self._grams = table
        return self._grams

    def may_contain(self, needle: str) -> bool:
        """False when the lower-cased page cannot contain ``needle`` (lower case, three or more
        characters); True when it may (a hash collision only costs a ``str.find``)."""
        return bool(self.grams()[needle_hashes(needle)].all())

    def present(self, plan: _Plan) -> list[str]:
        """The plan's strings (of three or more characters) that may occur in the page: every trigram
        of theirs does (a hash table of the page's trigrams; a collision only costs a ``str.find``)."""
        if not plan.needles:
            return []
        hit = self.grams()[plan.needle_hashes]
        ok = np.logical_and.reduceat(hit, plan.needle_starts) if len(hit) else np.zeros(0, dtype=bool)
        needles = plan.needles
        return [needles[k] for k in np.flatnonzero(ok).tolist()]

    @classmethod
    def of(cls, doc: Document) -> _Page:
        texts = [b.text for b in doc.blocks]
        lowered_lines = [t.lower() for t in texts]
        starts: list[int] = []
        pos = 0
        for line in lowered_lines:
            starts.append(pos)
            pos += len(line) + 1
        joined = "\n".join(lowered_lines)
        traps = any(trap in joined for trap in ("\u0131", "\u017f", "i\u0307"))
        keys = [
            _ascii_key(low) if low.isascii() else line_key(text) for text, low in zip(texts, lowered_lines, strict=True)
        ]
        doc.seed_keys(keys)
        return cls(texts, [len(t.split()) for t in texts], lowered_lines, joined, starts, traps, keys)

    def lines_with(self, needle: str) -> list[int]:
        """The lines whose lower-cased text contains ``needle``."""
        hit = self.found.get(needle)
        if hit is None:
            hit = []
            text, starts = self.lowered, self.starts
            pos = text.find(needle)
            while pos >= 0:
                k = bisect_right(starts, pos) - 1
                hit.append(k)
                if k + 1 >= len(starts):
                    break
                pos = text.find(needle, starts[k + 1])
            self.found[needle] = hit
        return hit


# the ASCII characters that are not letters or digits
_ASCII_EDGE = "".join(chr(c) for c in range(128) if not chr(c).isalnum())


def _ascii_key(lowered: str) -> str:
    """:func:`~cleannews.rulebook.line_key` of an ASCII line, given it lower-cased (for ASCII text,
    case folding is lower-casing and the letters and digits are [a-z0-9])."""
    key = lowered.strip(_ASCII_EDGE)
    if "  " not in key and key.isprintable():
        return key
    return " ".join(key.split())


_PLANS: dict[tuple[int, str | None], _Plan] = {}
_RESULTS: WeakKeyDictionary[Document, dict[tuple[int, str | None], list[Rule | None]]] = WeakKeyDictionary()
_PAGES: WeakKeyDictionary[Document, _Page] = WeakKeyDictionary()


_EMPTY: list[Rule | None] = []
# the document and rulebook asked about last, and the answers (one tuple: swapped atomically); a
# cleaner asks about the blocks of one document one after the other
_LAST: tuple[Document | None, Rulebook | None, str | None, list[Rule | None]] = (None, None, None, _EMPTY)


def match_block(book: Rulebook, doc: Document, index: int) -> Rule | None:
    """``book.match`` for block ``index`` of ``doc`` — computed for the whole document at once."""
    global _LAST
    last = _LAST
    if last[0] is doc and last[1] is book and last[2] == doc.language:
        return last[3][index]
    found = block_rules(book, doc)
    _LAST = (doc, book, doc.language, found)
    return found[index]


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
        found = per_doc[key] = _scan(book, doc, page_of(doc), language)
    return found


def _scan(book: Rulebook, doc: Document, page: _Page, language: str | None) -> list[Rule | None]:
    rules = book.rules(language)
    plan_key = (id(book), language)
    plan = _PLANS.get(plan_key)
    if plan is None or book.rules_file is not None:  # a user's rule file may change between runs
        plan = _PLANS[plan_key] = _plan(rules)
    texts, words = page.texts, page.words
    n = len(texts)
    candidates: set[int] = set()
    if plan.prefixes:
        for i, k in enumerate(page.line_keys):
            if k in plan.lines or k.startswith(plan.prefixes):
                candidates.add(i)
    elif plan.lines:
        keys = page.keys()
        for k in keys.keys() & plan.lines:
            candidates.update(keys[k])
    classes = plan.classes
    if page.traps:
        classes = plan.fallback
    else:
        present = set(page.present(plan))
        lowered = page.lowered_lines
        for rule, needles, folded in plan.triggered:
            assert rule.pattern is not None
            search, lines = (folded.search, lowered) if folded is not None else (rule.pattern.search, texts)
            limit = rule.max_words
            seen: set[int] = set()
            for needle in needles:
                if len(needle) >= 3 and needle not in present:
                    continue
                for i in page.lines_with(needle):
                    if i in seen or i in candidates:
                        continue
                    seen.add(i)
                    if (limit is None or words[i] <= limit) and search(lines[i]):
                        candidates.add(i)
    if any(c is not None for c in classes):
        members: list[list[int]] = [[] for _ in classes]
        for i in range(n):
            members[bisect_left(plan.limits, words[i])].append(i)
        for cls, indices in zip(classes, members, strict=True):
            if cls is None or not indices:
                continue
            if not cls.joinable:
                candidates.update(indices)
                continue
            candidates.update(_search_class(cls, [texts[i] for i in indices], indices, page.traps))
    out: list[Rule | None] = [None] * n
    for i in sorted(candidates):
        out[i] = book.match(texts[i], language, page.line_keys[i])
    return out


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
