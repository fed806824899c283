"""Reader comments found in the HTML DOM: one entry per comment, with its author, time and paragraphs.

trafilatura keeps the text of the first comment section it recognises, flattened, and drops who
wrote each comment and when. This module reads the page itself:

1. **Items.** Elements whose class or id says *this is one comment* (WordPress ``li.comment`` /
   ``article.comment``, ``li#comment-123``, Disqus ``li#dsq-comment-…``, TypePad
   ``div#comment-6a00…``, ``div.comment_item`` …). An item that only wraps other items (WordPress's
   ``li`` around its ``article``) is a wrapper, not a comment; an item nested in another one is a
   reply, and its text is its own.
2. **Roles inside an item.** Each paragraph takes the role of its nearest ancestor whose class names
   one: *header* (``comment-author``, ``vcard``, ``comment-meta``, ``cite``, ``time`` …), *furniture*
   (``reply``, ``report``, ``vote``, ``like`` …) or *text* (the rest).
3. **Author and time** come from the header's marked elements (``.fn``, ``cite``, ``time[datetime]``,
   ``.comment-date`` …), else from the header text ("Jane says:", "Posted by: Jane | May 3, 2012").
4. **Container fallback.** When no item is found, a comment *section* (``#comments``,
   ``#disqus_thread``, ``.commentlist`` …) gives its paragraphs without grouping; the ``comments``
   cleaner then splits them with the text-mode header patterns.

:func:`merge` puts the result into the extractor's block list: the comment blocks replace
trafilatura's comment zone, and main-zone blocks that repeat a comment's text (trafilatura's leak)
leave the body. The per-block roles travel to the cleaner in ``Extraction.meta["comment_blocks"]``.
"""

from __future__ import annotations

import re
from typing import Any

import attrs

from .document import Block
from .normalize import normalize_line

#: key in the extraction metadata under which the block roles travel to the ``comments`` cleaner
META_KEY = "comment_blocks"

_WS = re.compile(r"\s+")

# An item's class token or id: one comment.
_ITEM_TOKEN = re.compile(
    r"^(?:(?:[a-z]+[-_])?comment(?:[-_](?:item|entry|wrap|wrapper|container|single|holder|box|thread-item|node))?|"
    r"(?:[a-z]+-)?comment_comment|comment_item|commentitem|citem|pingback|trackback|dsq-comment|"
    r"single-comment|user-comment|reader-comment|post-comment|comment-published|fb-comment|js-comment|commentbody)$"
)
_ITEM_ID = re.compile(
    r"^(?:[a-z]{1,6}[-_])?(?:comment_item_|comments?[-_](?:item[-_])?)(?:[0-9][\w-]*|[0-9a-f]{16,})$|"
    r"^(?:[a-z]{1,6}[-_])?comments?[-_][\w-]*\d[\w-]*$",
    re.I,
)
#: a part of an id or class that names a piece of a comment, or something else, rather than the comment
_NOT_ITEM_PART = re.compile(
    r"(?:^|[-_])(?:body|text|content|meta|header|footer|author|date|time|reply|replies|form|link|links|count|title|"
    r"inner|wrap|list|area|section|respond|share|actions?|tools|vote|votes|rating|avatar|info|permalink)(?:$|[-_])",
    re.I,
)
_NOT_ITEM = re.compile(
    r"(?:^|[-_])(?:form|respond|reply|count|link|links|number|num|title|heading|nav|navigation|pagination|"
    r"widget|recent|latest|popular|icon|btn|button|bubble|feed|rss|policy|login|closed|meta|author|date|"
    r"content|body|text|avatar|footer|header|inner)(?:$|[-_])",
)
# A section's class token or id: the comment list as a whole (used when no item is found).
_SECTION = re.compile(
    r"^(?:comments?|commentlist|comment-?list|comments?[-_](?:area|section|container|wrapper|wrap|block|list|"
    r"content|holder|panel|thread|module)|all-comments|article-comments|post-comments|disqus_thread|"
    r"dsq-comments|discussion|discussions|responses|reader-?comments|user-?comments)$",
    re.I,
)
_HEADER_WORD = re.compile(
    r"(?:^|[^a-z])(?:author|vcard|fn|meta|metadata|date|time|timestamp|posted|postedby|byline|by|header|head|info|"
    r"user|username|nickname|name|says|commenter|poster|details|postfoot|footer|signature|top|cite)(?:$|[^a-z])"
)
_FURNITURE_WORD = re.compile(
    r"(?:^|[^a-z])(?:reply|replies|respond|report|flag|abuse|vote|votes|voting|like|likes|dislike|rating|rate|"
    r"score|share|sharing|actions|action|links|permalink|edit|toolbar|controls|tools|moderation|moderate|karma|"
    r"recommend|recommendations|pagination|nav|navigation|count|avatar|thumbs|points)(?:$|[^a-z])"
)
_TEXT_WORD = re.compile(
    r"(?:^|[^a-z])(?:content|body|text|message|entry|comment-text|commenttext|post-text)(?:$|[^a-z])"
)
_AUTHOR_MARK = re.compile(r"(?:^|[^a-z])(?:fn|author|username|user|nickname|commenter|poster|name)(?:$|[^a-z])")
_TIME_MARK = re.compile(r"(?:^|[^a-z])(?:date|time|timestamp|published|commentmetadata|posted)(?:$|[^a-z])")

_SKIP_TAGS = frozenset({"script", "style", "noscript", "form", "textarea", "select", "option", "button", "input",
                        "iframe", "svg", "template", "head", "img", "video", "audio", "object", "embed"})  # fmt: skip
_BLOCK_TAGS = frozenset({"p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "h1", "h2", "h3", "h4",
                         "h5", "h6", "table", "tr", "td", "th", "section", "article", "header", "footer", "pre",
                         "aside", "hr", "address", "figure", "figcaption", "main", "nav"})  # fmt: skip
_HEADER_TAGS = frozenset({"cite", "time", "header"})

_SAYS = re.compile(r"\s*(?:says|said|wrote|writes|replied|commented)\s*(?::|\.\.\.|…|,)?\s*$", re.I)
_LEAD_BY = re.compile(r"^(?:posted by|written by|comment by|by)\s*:?\s*", re.I)
_MIN_LEAK_CHARS = 25


@attrs.frozen
class Piece:
    """One paragraph of a comment and its role: ``header``, ``text`` or ``furniture``."""

    role: str
    text: str


@attrs.frozen
class DomComment:
    """One comment read from the DOM (``group`` is None for an ungrouped container paragraph)."""

    group: str | None
    author: str | None
    time: str | None
    pieces: tuple[Piece, ...]

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.pieces if p.role == "text")


def _is_item(el: Any) -> bool:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag not in _ITEM_TAGS:
        return False
    ident = el.get("id") or ""
    if ident and _ITEM_ID.match(ident) and not _NOT_ITEM_PART.search(ident):
        return True
    classes = (el.get("class") or "").lower().split()
    return any(
        _ITEM_TOKEN.match(c) and (c == "commentbody" or not _NOT_ITEM.search(c.replace("comment", "", 1)))
        for c in classes
    )


def _body_only(el: Any) -> bool:
    """An item only by its "commentbody" class: inside another item it is that item's body."""
    ident = el.get("id") or ""
    if ident and _ITEM_ID.match(ident) and not _NOT_ITEM_PART.search(ident):
        return False
    tokens = [c for c in (el.get("class") or "").lower().split() if _ITEM_TOKEN.match(c)]
    return tokens == ["commentbody"]


def _is_section(el: Any) -> bool:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag not in _SECTION_TAGS:
        return False
    ident = el.get("id") or ""
    if ident and _SECTION.match(ident):
        return True
    return any(_SECTION.match(c) for c in (el.get("class") or "").split())


_ITEM_TAGS = frozenset({"li", "div", "article", "section", "dd", "td", "tr", "blockquote", "table", "ul", "ol"})
_SECTION_TAGS = frozenset({"div", "section", "ol", "ul", "aside", "dl", "table"})
_PREFIXES = re.compile(r"comment|cmt|dsq")
_MARKS: dict[tuple[str, str], tuple[str | None, bool, bool]] = {}


def _marks(el: Any, tag: str) -> tuple[str | None, bool, bool]:
    """(role, names the author, names the time) from an element's tag, class and id; cached per value."""
    key = (tag, f"{el.get('class') or ''} {el.get('id') or ''}")
    found = _MARKS.get(key)
    if found is None:
        marks = _PREFIXES.sub(" ", key[1].lower())
        role: str | None = None
        if marks.strip():
            if _FURNITURE_WORD.search(marks):
                role = "furniture"
            elif _HEADER_WORD.search(marks):
                role = "header"
            elif _TEXT_WORD.search(marks):
                role = "text"
        if role is None and tag in _HEADER_TAGS:
            role = "header"
        found = (
            role,
            tag == "cite" or bool(_AUTHOR_MARK.search(marks)),
            tag == "time" or bool(_TIME_MARK.search(marks)),
        )
        if len(_MARKS) < 50_000:
            _MARKS[key] = found
    return found


def _text_of(el: Any) -> str:
    return normalize_line(_WS.sub(" ", el.text_content()))


class _Walker:
    """Splits an item's text into paragraphs at block-level tags, skipping the items nested in it.

    On the way it notes the first element marked as the author and the first marked as the time.
    """

    def __init__(self, skip: set[Any]) -> None:
        self.skip = skip
        self.pieces: list[Piece] = []
        self.author: str | None = None
        self.time: str | None = None
        self._buf: list[str] = []
        self._role = "text"

    def flush(self) -> None:
        if self._buf:
            text = normalize_line(_WS.sub(" ", "".join(self._buf)))
            if text:
                if self.pieces and self.pieces[-1].role == self._role and self._role != "text":
                    last = self.pieces[-1]
                    self.pieces[-1] = Piece(last.role, f"{last.text} {text}")
                else:
                    self.pieces.append(Piece(self._role, text))
            self._buf = []

    def walk(self, el: Any, role: str) -> None:
        for child in el:
            tag = child.tag if isinstance(child.tag, str) else ""
            if not tag:  # an HTML comment or processing instruction
                if child.tail:
                    self._add(child.tail, role)
                continue
            if tag in _SKIP_TAGS or child in self.skip:
                if tag not in _SKIP_TAGS:
                    self.flush()
                if child.tail:
                    self._add(child.tail, role)
                continue
            marked, names_author, names_time = _marks(child, tag)
            child_role = marked or role
            if role == "furniture":
                child_role = "furniture"
            if role != "text" or child_role != "text":
                if names_time and self.time is None:
                    self.time = (_text_of(child) if tag != "time" else _text_of(child) or child.get("datetime")) or None
                elif names_author and self.author is None:
                    self.author = _text_of(child) or None
            block = tag in _BLOCK_TAGS
            if block or child_role != self._role:
                self.flush()
            if child.text:
                self._add(child.text, child_role)
            self.walk(child, child_role)
            if block or child_role != role:
                self.flush()
            if child.tail:
                self._add(child.tail, role)

    def _add(self, text: str, role: str) -> None:
        if not text.strip():
            if self._buf:
                self._buf.append(" ")
            return
        if role != self._role:
            self.flush()
            self._role = role
        self._buf.append(text)


def _author_time(walker: _Walker) -> tuple[str | None, str | None]:
    from .cleaners.comments import find_time, parse_header  # shared with the text-mode cleaner

    author = walker.author
    if author is not None:
        author = _SAYS.sub("", _LEAD_BY.sub("", author)).strip() or None
        if author is not None and (len(author.split()) > 8 or author.lower() == "reply"):
            author = None
    time = walker.time
    header = " ".join(p.text for p in walker.pieces if p.role == "header")
    parsed = parse_header(header) if header and len(header) < 200 else None
    if parsed is not None:
        author = author or parsed[0]
        if parsed[1] and (time is None or len(time) > 60):
            time = parsed[1]
    if time is not None:
        found = find_time(time)
        time = found if found else (time if len(time) <= 40 else None)
    return author, time


#: the cheap first screen: every element whose class or id holds one of these
_CANDIDATE_WORDS = re.compile(r"omment|dsq|disqus|ingback|rackback|citem|iscussion|esponses", re.I)


def _candidates(root: Any) -> list[Any]:
    try:
        elements = root.xpath("//*[@class or @id]")
    except Exception:
        return []
    return [el for el in elements if _CANDIDATE_WORDS.search(f"{el.get('class') or ''} {el.get('id') or ''}")]


def _list_items(sections: list[Any]) -> list[Any]:
    """The entries of a comment list without item classes: ``ol.commentlist > li`` and the like."""
    items: list[Any] = []
    for section in sections:
        lists = [section] if section.tag in ("ol", "ul") else list(section.iter("ol", "ul"))
        for lst in lists:
            entries = [c for c in lst if c.tag == "li"]
            if entries and not any(e in items for e in entries):
                items.extend(entries)
    return items


def find_comments(tree: Any) -> list[DomComment]:
    """The comments of a parsed page, in page order; empty when none is recognised."""
    candidates = _candidates(tree)
    if not candidates:
        return []
    items = [el for el in candidates if _is_item(el)]
    if items:
        chosen = set(items)
        # a "commentbody" inside a comment is that comment's body, not a reply
        items = [
            el for el in items
            if not _body_only(el) or not any(a in chosen for a in el.iterancestors())
        ]  # fmt: skip
    sections = [el for el in candidates if _is_section(el)]
    if not items:
        items = _list_items(sections)
    comments: list[DomComment] = []
    if items:
        skip = set(items)
        for n, item in enumerate(items):
            walker = _Walker(skip)
            walker.walk(item, "text")
            walker.flush()
            if not any(p.role == "text" for p in walker.pieces):
                continue  # a wrapper around other items, or a comment with no text
            author, time = _author_time(walker)
            comments.append(DomComment(str(n), author, time, tuple(walker.pieces)))
        if comments:
            return comments
    chosen = set(sections)
    for section in sections:
        if any(a in chosen for a in section.iterancestors()):
            continue
        walker = _Walker(set())
        walker.walk(section, "text")
        walker.flush()
        if walker.pieces:
            comments.append(DomComment(None, None, None, tuple(walker.pieces)))
    return comments


def _key(text: str) -> str:
    return _WS.sub(" ", text).strip().casefold()


def _cut(block: Block, pieces: list[tuple[str, int]]) -> Block:
    """``block`` without the run of comments found in it: pieces of three comments or more, close together.

    ``pieces`` are (text, comment number); one comment quoting the article does not make a run.
    """
    text = block.text
    spans = sorted((at, at + len(piece), k) for piece, k in pieces if (at := text.find(piece)) >= 0)
    best: list[tuple[int, int, int]] = []
    run: list[tuple[int, int, int]] = []
    for span in spans:
        if run and span[0] - run[-1][1] > 300:
            run = []
        if run and span[0] < run[-1][1]:
            continue  # overlaps the one before
        run.append(span)
        if len({k for _, _, k in run}) > len({k for _, _, k in best}):
            best = list(run)
    if len({k for _, _, k in best}) < 3:
        return block
    start, end = best[0][0], best[-1][1]
    return attrs.evolve(block, text=normalize_line(_WS.sub(" ", text[:start] + " " + text[end:])))


_FORUM_POSTING = re.compile(r'"@type"\s*:\s*(?:"DiscussionForumPosting"|\[[^\]]*"DiscussionForumPosting")')


def _forum_thread(tree: Any) -> bool:
    """A thread page (schema.org DiscussionForumPosting), whose posts are its content."""
    try:
        scripts = tree.iterfind('.//script[@type="application/ld+json"]')
        return any(s.text and _FORUM_POSTING.search(s.text) for s in scripts)
    except Exception:
        return False


def merge(tree: Any, blocks: list[Block], meta: dict[str, Any]) -> list[Block]:
    """Blocks with the DOM's comments in place of trafilatura's comment zone (see the module doc).

    ``tree`` is the parsed page (left unchanged). ``meta[META_KEY]`` gets, per comment block index,
    ``{"role", "comment", "author", "time"}``. Returns ``blocks`` unchanged when the page has no
    recognisable comments.
    """
    try:
        comments = find_comments(tree)
    except Exception:  # hostile markup must not cost the page
        return blocks
    if not comments:
        return blocks
    comment_keys = {_key(p.text) for c in comments for p in c.pieces}
    joined = " \n ".join(_key(c.text) for c in comments)
    main = [b for b in blocks if b.zone != "comments"]
    main_chars = sum(len(b.text) for b in main) or 1

    long_keys = [k for k in comment_keys if len(k) >= _MIN_LEAK_CHARS]

    def leaked(block: Block) -> bool:
        key = _key(block.text)
        if key in comment_keys or (len(key) >= _MIN_LEAK_CHARS and key in joined):
            return True
        # a comment paragraph with its header run together (one <li> read as one block)
        if len(key) > 5000:
            return False
        return sum(len(k) for k in long_keys if k in key) >= 0.5 * len(key)

    leaks = [b for b in main if leaked(b)]
    if sum(len(b.text) for b in leaks) > 0.6 * main_chars and (
        _forum_thread(tree) or all(c.group is None for c in comments)
    ):
        # the "comments" hold the page's main text: on a forum thread its posts are the content, and a
        # "comment" container without comment items in it may be the page's main column
        return blocks
    leak_ids = {id(b) for b in leaks}
    kept_main = [b for b in main if id(b) not in leak_ids]
    # a long block that holds comments run together with other text (a page laid out in one table
    # cell): the comments' text is cut out of it, the rest stays
    cuttable = [(p.text, k) for k, c in enumerate(comments) for p in c.pieces if len(p.text) >= _MIN_LEAK_CHARS]
    kept_main = [_cut(b, cuttable) if len(b.text) >= 300 else b for b in kept_main]
    kept_main = [b for b in kept_main if b.text]
    extra = [
        b for b in blocks if b.zone == "comments" and _key(b.text) not in comment_keys and _key(b.text) not in joined
    ]
    out: list[Block] = [attrs.evolve(b, index=i) for i, b in enumerate(kept_main)]
    roles: dict[int, dict[str, Any]] = {}
    for comment in comments:
        for piece in comment.pieces:
            index = len(out)
            out.append(Block(index, piece.text, tag="p", zone="comments"))
            roles[index] = {
                "role": piece.role,
                "comment": comment.group,
                "author": comment.author,
                "time": comment.time,
            }
    for block in extra:
        out.append(attrs.evolve(block, index=len(out)))
    meta[META_KEY] = roles
    return out
