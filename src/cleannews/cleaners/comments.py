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
import re
from collections.abc import Iterable
from typing import Any, ClassVar

import attrs

from ..document import Document, Label
from .base import ends_sentence, rule_reason, rulebook, snippet, text_words
from .comment_headers import _clean_author, find_time, may_have_time
from .comment_lines import (
    _OVERRIDABLE,
    DATE,
    FORM,
    FURNITURE,
    HEADER,
    HEADING,
    OTHER,
    TEXT,
    _is_prose,
    _Lines,
    _looks_like_name,
)
from .comment_rules import _COUNT, _Rules, parse_header

__all__ = ["Comments", "find_time", "may_have_time", "parse_header"]

_POST_END_KINDS = frozenset({"source", "donation", "forum_chrome"})
#: how a comment form begins
_FORM_START = re.compile(
    r"\b(?:leave a (?:reply|comment|response)|post (?:a|your) comment|add (?:a|your) comment|write a comment|"
    r"have your say|join the (?:discussion|conversation)|your email address will not be published)\b",
    re.I,
)
_HEADED = 1000.0  # a heading with comment headers under it outranks any run of headers without one
_NO_COMMENTS = re.compile(r"^\W*(?:0|no)\s", re.I)
_BY_START = re.compile(r"^\s*by\s", re.I)
#: how an article's byline starts ("By Jane Doe on May 3, 2012", "Posted on May 3 by Jane")
_BYLINE_START = re.compile(r"^\s*(?:by|posted|written|filed|published)\b", re.I)
#: a heading that neither counts the comments nor names them for the article: it may be a menu item
_WEAK_HEADING = re.compile(r"^\W*(?:comments?|discussions?|responses?|conversation|replies)\W*$", re.I)
#: labels an earlier cleaner may have put on a comment's lines that the comment section overrides
# chrome an earlier cleaner took that says nothing about comments: the section is found among the other
# blocks, so the decision is the same when the text is cleaned again without them
_INERT = frozenset(
    {"ad", "teaser", "related", "donation", "newsletter", "cookie", "share", "author_bio", "navigation", "boilerplate"}
)


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
        line = _Lines(doc, rules, positions)
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
            if rules.counter(text, doc.key(i)):
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
    def _find_section(
        self, doc: Document, rules: _Rules, positions: list[int], strict: bool = False, *, line: _Lines | None = None
    ) -> bool:
        """Find a comment section among ``positions`` (block indices in order) and label it."""
        if not positions:
            return False
        if line is None:
            line = _Lines(doc, rules, positions)

        n = len(positions)
        hits = line.opening()
        headers = []
        for p in hits:
            kind = line(p).kind
            if kind == HEADER:
                headers.append(p)
            elif kind == DATE:  # a name line over (or under) a date line is a header
                near = (line.near(p, -1), line.near(p, 1))
                headers.extend(q for q in near if q is not None and line.is_header(q))
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
        # comments come after the prose they comment on (looked for only under a heading)
        first_prose = self._first_prose(doc, positions) if headings else n
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

    @staticmethod
    def _first_prose(doc: Document, positions: list[int]) -> int:
        """The first of ``positions`` that is a free line of prose (``len(positions)``: none)."""
        labels, blocks = doc.labels, doc.blocks
        return next(
            (p for p, i in enumerate(positions) if labels[i] is None and _is_prose(blocks[i].text)), len(positions)
        )

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
            sizes[group] = sizes.get(group, 0) + text_words(doc.blocks[i].text)
        if first is None or max(sizes.values()) < self.long_comment_words:
            return False
        story = sum(
            text_words(doc.blocks[i].text) for i in range(first) if before[i] is None and _is_prose(doc.blocks[i].text)
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
            line = _Lines(doc, rules, positions)

        n = len(positions)
        header_ps: list[int] = []
        for p in range(start, n):  # the headers of this section: none more than 60 blocks after the last
            if header_ps and p - header_ps[-1] > 60:
                break
            header = line.is_header(p)
            if (
                header_ps
                and line.is_form(p)
                and _FORM_START.search(doc.blocks[positions[p]].text)
                and not any(map(line.is_header, range(p + 1, min(n, p + 11))))
            ):
                break  # the comment form closes the list (a reply form between comments does not)
            if header:
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
            if comment.header_lines:
                reason = f"comment with the header {snippet(doc.blocks[comment.group].text, 40)!r}"
            else:
                reason = "in the page's comment section"
            for p in comment.texts:
                self._put(doc, positions[p], "comment", reason, data)

    def _put(self, doc: Document, i: int, kind: str, reason: str, data: dict[str, Any] | None = None) -> None:
        current = doc.kind_of(i)
        override = current in _OVERRIDABLE or (current == "comment_form" and kind == "comment_furniture")
        doc.label(i, kind, cleaner=self.name, reason=reason, data=data, override=override)

    @staticmethod
    def _header_reason(author: str | None, time: str | None) -> str:
        kept = ", ".join(f"{k} {v!r}" for k, v in (("author", author), ("time", time)) if v)
        return f"comment header; its {kept} kept on the comment" if kept else "comment header"
