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

import re
from collections.abc import Sequence
from typing import Any, ClassVar

import attrs

from ..dates import find_date
from ..document import Document
from ..rulebook import Rule, line_key
from .base import ends_sentence, rule_reason, rulebook, snippet

_POST_END_KINDS = frozenset({"source", "donation", "forum_chrome"})
#: labels an earlier cleaner may have put on a comment's lines that the comment section overrides
_OVERRIDABLE = frozenset({"published", "poster", "byline", "caption", "credit", "tag", "source", "dateline"})

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
    + r"|" + _MON + r"\s+\d{1,2}(?:st|nd|rd|th)\b"
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
    r"flag|quote|delete|edit|actions|(?:link )?to this comment)\b|[+-]\d{1,2}\b|[#|,:()\[\]@•·–—-]",
    re.I,
)


def find_time(text: str) -> str | None:
    """The date and/or time printed in ``text`` ("May 3, 2012 at 8:06 pm", "6:46 AM", "2 hours ago")."""
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
    match = _EXTRA_TIMES.search(text)
    if match is None:
        return None
    value = match.group(0).strip(" ,|")
    return re.sub(r"^at\s+", "", value, flags=re.I) or None


def _time_span(text: str) -> tuple[int, int] | None:
    value = find_time(text)
    if value is None:
        return None
    start = text.find(value)
    return (start, start + len(value)) if start >= 0 else None


# ---------------------------------------------------------------- headers
_NOT_AUTHOR = re.compile(
    r"^(?:he|she|they|i|you|we|it|who|which|that|this|there|someone|somebody|everyone|everybody|and|but|"
    r"so|then|as|the|a|an|my|his|her|their|our|your|what|when|where|why|how|if|also|article|post|author|"
    r"comment|comments|reply|report|posted|updated|published|by|on|at|in)\b",
    re.I,
)
_NUMBERING = re.compile(r"^\s*(?:#?\d+[.):]?\s+|[+*•·-]\s+)")
_EDGE_SEPS = re.compile(r"^[\s|/,•·:–—-]+|[\s|/,•·:–—#-]+$")
_TRAILING_WORDS = re.compile(r"(?:\s+(?:on|at|said|says|wrote|\||permalink|reply|link|#|-|–|—))+\s*$", re.I)
_LEADING_WORDS = re.compile(r"^\s*(?:(?:on|at|by|posted|updated|\||-|–|—)\s+)+", re.I)


def _clean_author(value: str) -> str | None:
    value = _EDGE_SEPS.sub("", _TRAILING_WORDS.sub("", _NUMBERING.sub("", value))).strip()
    value = re.sub(r"\s*\(\d+\)$", "", value).strip()
    if not value or len(value) > 60 or len(value.split()) > 7 or "|" in value:
        return None
    if _NOT_AUTHOR.match(value) or value.endswith((".", "!", "?")) and len(value.split()) > 2:
        return None
    if not any(ch.isalpha() for ch in value):
        return None
    return value


def _split_author_time(value: str) -> tuple[str | None, str | None]:
    """"Beth on August 22, 2012 at 6:29 pm" -> ("Beth", "August 22, 2012 at 6:29 pm")."""
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
    author, time = _split_author_time(author_raw)
    if author is None:
        return None
    for extra in (groups.get("time"), groups.get("pre"), groups.get("post")):
        if time is None and extra:
            time = find_time(extra)
    if "time" in groups and groups["time"] is not None and find_time(groups["time"]) is None:
        return None  # "posted by X on <not a time>" is prose
    return author, time


def _name_date(text: str) -> tuple[str | None, str] | None:
    """A name beside a date ("Colm November 1, 2012 at 8:29 am"); (None, time) for a bare date line."""
    if len(text) > 120:
        return None
    span = _time_span(text)
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
        return (author, time) if author and len(before.split()) <= 6 else None
    if not before and 1 <= len(after_words) <= 5:
        author = _clean_author(_LEADING_WORDS.sub("", text[span[1] :]))
        return (author, time) if author else None
    return None


def parse_header(
    text: str, language: str | None = None, rules_file: str | None = None
) -> tuple[str | None, str | None] | None:
    """(author, time) when ``text`` is a comment header line, else None (see the ``comment-header`` rules)."""
    book = _Rules.get(language, rules_file)
    return book.header(text)


@attrs.frozen
class _Rules:
    headings: tuple[Rule, ...]
    headers: tuple[Rule, ...]
    furniture: tuple[Rule, ...]

    _cache: ClassVar[dict[tuple[str | None, str | None], _Rules]] = {}

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
        return self._first(self.headings, text, key)

    def furniture_rule(self, text: str, key: str) -> Rule | None:
        return self._first(self.furniture, text, key)

    def header(self, text: str) -> tuple[str | None, str | None] | None:
        n = len(text.split())
        for rule in self.headers:
            if rule.max_words is not None and n > rule.max_words:
                continue
            found = _rule_header(rule, text)
            if found is not None:
                return found
        found_nd = _name_date(text)
        if found_nd is not None and found_nd[0] is not None:
            return found_nd
        return None


# ---------------------------------------------------------------- line classes
HEADING, HEADER, DATE, FURNITURE, TEXT, FORM, OTHER = "heading", "header", "date", "furniture", "text", "form", "other"


@attrs.frozen
class _Line:
    kind: str
    author: str | None = None
    time: str | None = None
    reason: str = ""


_INITIAL_END = re.compile(r"(?:^|\s)[A-Z]\.$")


def _looks_like_name(text: str) -> bool:
    text = _NUMBERING.sub("", text)
    words = text.split()
    sentence = ends_sentence(text) and not _INITIAL_END.search(text)
    return 1 <= len(words) <= 4 and len(text) <= 40 and not sentence and not _NOT_AUTHOR.match(text)


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
    ``keep_headers`` (default False) — keep a comment's header line ("Jane says:") as the first
    paragraph of its text instead of removing it (author and time are kept either way);
    ``rules_file`` — extra ``[[rule]]`` tables for the ``comments`` cleaner.
    """

    name: ClassVar[str] = "comments"
    forum_header_zone: int = 3
    window: int = 25
    main_zone: bool = True
    keep_headers: bool = False
    rules_file: str | None = None

    def __attrs_post_init__(self) -> None:
        rulebook(self.name, self.rules_file).rules(None)  # a bad rule file fails here, not mid-batch

    def __call__(self, doc: Document) -> None:
        rules = _Rules.get(doc.language, self.rules_file)
        if doc.mode == "html":
            self._html(doc, rules)
            return
        if self._forum(doc):
            return
        positions = list(range(len(doc.blocks)))
        self._find_section(doc, rules, positions)

    # ------------------------------------------------------------ forum pages
    def _forum(self, doc: Document) -> bool:
        header = next(
            (b.index for b in doc.blocks[: self.forum_header_zone] if doc.kind_of(b.index) == "poster"), None
        )
        if header is None:
            return False
        end = next(
            (b.index for b in doc.blocks[header + 1 :] if doc.kind_of(b.index) in _POST_END_KINDS), None
        )
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
            main = [b.index for b in doc.blocks if b.zone != "comments"]
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
    def _classify(self, doc: Document, rules: _Rules, i: int) -> _Line:
        block = doc.blocks[i]
        text = block.text
        kind = doc.kind_of(i)
        n_words = len(text.split())
        key = doc.key(i)
        if kind is not None and kind not in _OVERRIDABLE:
            if kind == "comment_form":
                rule = rules.heading(text, key) or rules.furniture_rule(text, key)
                if rule is not None:
                    return _Line(HEADING if rule.id.startswith("comment-heading") else FURNITURE,
                                 reason=rule_reason(rule, text))  # fmt: skip
                return _Line(FORM)
            return _Line(OTHER)
        if n_words > 25:
            return _Line(TEXT)
        rule = rules.heading(text, key)
        if rule is not None:
            return _Line(HEADING, reason=rule_reason(rule, text))
        header = rules.header(text)
        if header is not None:
            return _Line(HEADER, header[0], header[1])
        found = _name_date(text) if n_words <= 14 else None
        if found is not None and found[0] is None:
            return _Line(DATE, time=found[1])
        rule = rules.furniture_rule(text, key)
        if rule is not None:
            return _Line(FURNITURE, reason=rule_reason(rule, text))
        if kind is not None:  # a metadata label that is not a comment line: leave it
            return _Line(OTHER)
        return _Line(TEXT)

    def _lines(self, doc: Document, rules: _Rules, positions: list[int]) -> Any:
        """A cached classifier of ``positions[p]``; a short name line right over a date line is a header."""
        cache: dict[int, _Line] = {}
        n = len(positions)

        def line(p: int) -> _Line:
            found = cache.get(p)
            if found is None:
                found = self._classify(doc, rules, positions[p])
                if found.kind == TEXT and p + 1 < n:
                    text = doc.blocks[positions[p]].text
                    if _looks_like_name(text):
                        below = self._classify(doc, rules, positions[p + 1]).kind
                        above = self._classify(doc, rules, positions[p - 1]).kind if p > 0 else None
                        # a name over a date line, or a date line over a name over the comment
                        if below == DATE or (above == DATE and below == TEXT and
                                             not _looks_like_name(doc.blocks[positions[p + 1]].text)):
                            author = _clean_author(text)
                            if author is not None:
                                found = _Line(HEADER, author, None)
                cache[p] = found
            return found

        return line

    def _find_section(self, doc: Document, rules: _Rules, positions: list[int], strict: bool = False) -> bool:
        """Find a comment section among ``positions`` (block indices in order) and label it."""
        if not positions:
            return False
        line = self._lines(doc, rules, positions)

        n = len(positions)
        # only short lines can open a section or head a comment
        short = [p for p in range(n) if len(doc.blocks[positions[p]].text.split()) <= 25]
        headers = [p for p in short if line(p).kind == HEADER]
        runs: list[list[int]] = []  # headers no more than 30 blocks apart
        for p in headers:
            if runs and p - runs[-1][-1] <= 30:
                runs[-1].append(p)
            else:
                runs.append([p])
        run_of = {p: run for run in runs for p in run}
        # candidates (score, order, start, heading): the section with the most comment headers wins
        candidates: list[tuple[float, int, int, int | None]] = []
        owned: set[int] = set()
        for h in (p for p in short if line(p).kind == HEADING):
            first = next((q for q in range(h + 1, min(n, h + 1 + self.window)) if line(q).kind == HEADER), None)
            if first is not None:
                candidates.append((len(run_of[first]) + 2.0, -h, h + 1, h))
                owned.add(run_of[first][0])
            elif not strict and self._nameish_section(doc, rules, positions, h, line):
                candidates.append((0.5, -h, h + 1, h))
        for run in runs:
            if run[0] in owned or len(run) < (3 if strict else 2):
                continue
            with_text = sum(
                1
                for a, b in zip(run, [*run[1:], min(n, run[-1] + 6)], strict=False)
                if any(line(q).kind == TEXT and len(doc.blocks[positions[q]].text.split()) >= 4 for q in range(a + 1, b))
            )
            if with_text < 2:
                continue
            start = run[0]
            # footer headers: the first comment's text sits right above the first header
            back = start
            while back - 1 >= 0 and start - back < 3 and line(back - 1).kind == TEXT:
                back -= 1
            if back < start and self._orientation(doc, positions, back, run, line) == "after":
                start = back
            candidates.append((float(len(run)), -start, start, None))
        for _score, _order, start, heading in sorted(candidates, reverse=True):
            if self._section(doc, rules, positions, start, heading=heading, line=line):
                return True
        return False

    def _nameish_section(self, doc: Document, rules: _Rules, positions: list[int], h: int, line: Any) -> bool:
        """A counted heading ("19 Responses") over text, in the last part of the page."""
        text = doc.blocks[positions[h]].text
        if not re.match(r"^\{?\s*(?:[1-9]|one\b)", text, re.I) or h < 0.15 * len(positions):
            return False
        nxt = [q for q in range(h + 1, min(len(positions), h + 6)) if line(q).kind == TEXT]
        return len(nxt) >= 2

    def _orientation(self, doc: Document, positions: list[int], start: int, headers: list[int], line: Any) -> str:
        """"after" when each comment's header comes under its text (TypePad's "Posted by: …" footers).

        That is: prose stands between the section's start and its first header, and the last header
        has no prose of its own under it.
        """

        def prose(q: int) -> bool:
            text = doc.blocks[positions[q]].text
            return line(q).kind == TEXT and (len(text.split()) >= 3 or ends_sentence(text))

        if not headers or not any(prose(q) for q in range(start, headers[0])):
            return "before"
        q = headers[-1] + 1
        while q < len(positions) and line(q).kind in (DATE, FURNITURE):
            q += 1
        if q < len(positions) and prose(q) and len(doc.blocks[positions[q]].text.split()) >= 6:
            return "before"
        return "after"

    def _section(
        self,
        doc: Document,
        rules: _Rules,
        positions: list[int],
        start: int,
        *,
        heading: int | None = None,
        implicit: bool = False,
        line: Any = None,
    ) -> bool:
        """Split the section from ``positions[start]`` into comments and label them; False if none."""
        if line is None:
            line = self._lines(doc, rules, positions)

        n = len(positions)
        header_ps: list[int] = []
        for p in range(start, n):  # the headers of this section: none more than 60 blocks after the last
            if header_ps and p - header_ps[-1] > 60:
                break
            if line(p).kind == HEADER:
                header_ps.append(p)
            elif not header_ps and p - start > self.window:
                break
        last_header = header_ps[-1] if header_ps else -1
        furniture: dict[int, str] = {}
        comments: list[_Comment] = []
        if heading is not None:
            furniture[heading] = line(heading).reason or "comment section heading"
        orientation = self._orientation(doc, positions, start, header_ps, line) if header_ps else "none"
        if orientation == "none" and not implicit:
            names = [
                p for p in range(start, min(n, start + 60))
                if line(p).kind == TEXT and _looks_like_name(doc.blocks[positions[p]].text)
                and p + 1 < n and line(p + 1).kind == TEXT and not _looks_like_name(doc.blocks[positions[p + 1]].text)
            ]  # fmt: skip
            name_set = set(names) if len(names) >= 2 else set()
        else:
            name_set = set()
        date_first = (
            orientation == "before" and header_ps and header_ps[0] - 1 >= start and line(header_ps[0] - 1).kind == DATE
        )
        current: _Comment | None = None
        pending: list[int] = []  # footer layout: text waiting for its header
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
                p += 1
                continue
            if kind == HEADING:
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
                    # before the first header (a comment title, a note): it goes with the next comment
                    pending.append(p)
                    p += 1
                    continue
                if orientation == "none":
                    if not self._prose_or_short_reply(text):
                        if not implicit:
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
        if not comments:
            return False
        self._label(doc, positions, comments, furniture, line)
        return True

    @staticmethod
    def _prose_or_short_reply(text: str) -> bool:
        return ends_sentence(text) or len(text.split()) >= 6

    def _label(
        self, doc: Document, positions: list[int], comments: list[_Comment], furniture: dict[int, str], line: Any
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
                self._put(doc, i, "comment", f"comment under the header {header!r}" if comment.header_lines else
                          "in the page's comment section", data)  # fmt: skip
        # the comment ids must follow page order for assemble() to keep multi-block comments whole
        del line

    def _put(self, doc: Document, i: int, kind: str, reason: str, data: dict[str, Any] | None = None) -> None:
        current = doc.kind_of(i)
        override = current in _OVERRIDABLE or (current == "comment_form" and kind == "comment_furniture")
        doc.label(i, kind, cleaner=self.name, reason=reason, data=data, override=override)

    @staticmethod
    def _header_reason(author: str | None, time: str | None) -> str:
        kept = ", ".join(f"{k} {v!r}" for k, v in (("author", author), ("time", time)) if v)
        return f"comment header; its {kept} kept on the comment" if kept else "comment header"


def key_of(text: str) -> str:
    return line_key(text)
