"""Markdown that keeps the article's shape: headings, nested and numbered lists, tables with their
header row, quotes, code fences; links when asked.

It renders the JSON object :meth:`cleannews.Article.to_dict` gives (what the workers of ``cleannews
clean`` hold), so ``Article.markdown()`` and ``--to md`` write the same text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from .model import Element

#: metadata shown on the line under the title
FACTS = ("author", "published", "dateline", "source", "site", "url")

# a paragraph that starts like this would be read as structure: its first mark is escaped
_BLOCK_START = re.compile(r"(#{1,6}(?:\s|$)|>|[-+*](?:\s|$)|[-=_*](?:\s*[-=_*]){2,}\s*$|```|~~~|\|)")
_NUMBER_START = re.compile(r"(\d{1,9})([.)])(\s|$)")
_BACKTICKS = re.compile(r"`+")


def _escape_start(text: str) -> str:
    """``text`` with the mark it starts with escaped, when that mark would make it a heading, a list
    item, a quote, a rule, a fence or a table row."""
    if not text:
        return text
    if text[0].isdigit():
        number = _NUMBER_START.match(text)
        return text if number is None else f"{number.group(1)}\\{text[number.end(1) :]}"
    return "\\" + text if _BLOCK_START.match(text) else text


def _link_target(href: str) -> str:
    return f"<{href}>" if any(c in href for c in " ()<>") else href


def _inline(text: str, links: Sequence[tuple[int, int, str]], offset: int) -> str:
    """``text`` (the paragraph from ``offset`` on) with its link spans written as Markdown links."""
    spans = sorted((s - offset, e - offset, h) for s, e, h in links if s >= offset and e > s and h)
    out: list[str] = []
    at = 0
    for start, end, href in spans:
        if start < at or end > len(text):
            continue  # overlapping or out of range: the text stays as it is
        label = text[start:end].replace("[", "\\[").replace("]", "\\]")
        out += [text[at:start], f"[{label}]({_link_target(href)})"]
        at = end
    out.append(text[at:])
    return "".join(out)


def _content(paragraph: str, element: Element, links: bool) -> str:
    offset = len(element.marker) if element.marker and paragraph.startswith(element.marker) else 0
    text = paragraph[offset:]
    if links and element.links:
        return _inline(text, element.links, offset)
    return text


def _fence(lines: Sequence[str]) -> str:
    longest = max((len(run) for line in lines for run in _BACKTICKS.findall(line)), default=0)
    fence = "`" * max(3, longest + 1)
    return "\n".join([fence, *lines, fence])


def _cell(text: str) -> str:
    return text.replace("|", "\\|").strip()


def _table(rows: Sequence[Element]) -> str:
    """A GFM table; the first row is the header row (a table without one gets its first row promoted)."""
    cells = [list(r.cells) for r in rows if r.cells]
    if not cells:
        return ""
    width = max(len(c) for c in cells)
    lines = []
    for k, row in enumerate(cells):
        row = row + [""] * (width - len(row))
        lines.append("| " + " | ".join(_cell(c) for c in row) + " |")
        if k == 0:
            lines.append("|" + "|".join(" --- " for _ in row) + "|")
    return "\n".join(lines)


def _number(element: Element) -> int | None:
    match = _NUMBER_START.match(element.marker)
    return int(match.group(1)) if match else None


def _list(items: Sequence[tuple[Element, str]], alternate: bool) -> str:
    """A list, nested by the items' depths (a jump of several levels is one level), numbered where it is
    ordered (by the numbers the text printed, else by position); ``alternate`` switches the bullet
    (``*``, ``1)``) so that it does not run on into the list before it."""
    lines: list[str] = []
    indents = [0]  # where the content of an item at each depth starts
    counters: list[int] = []
    depth = 0
    for element, text in items:
        depth = min(max(1, element.depth), depth + 1)
        del indents[depth:], counters[depth:]
        while len(counters) < depth:
            counters.append(0)
        counters[depth - 1] += 1
        if element.ordered:
            number = _number(element) or counters[depth - 1]
            counters[depth - 1] = number
            mark = f"{number}{')' if alternate else '.'} "
        else:
            mark = "* " if alternate else "- "
        pad = " " * indents[depth - 1]
        lines.append(pad + mark + _escape_start(text))
        indents.append(indents[depth - 1] + len(mark))
    return "\n".join(lines)


def body(paragraphs: Sequence[str], structure: Sequence[Element], *, links: bool = False) -> str:
    """The body paragraphs as Markdown, each as its element says (a paragraph when it has none)."""
    chunks: list[str] = []
    pairs = [(structure[i] if i < len(structure) else Element(), paragraph) for i, paragraph in enumerate(paragraphs)]
    i = 0
    last_list = -1  # the chunk index of the list just written, to alternate the bullet of the next one
    alternate = False
    while i < len(pairs):
        element, paragraph = pairs[i]
        kind = element.kind
        j = i + 1
        if kind in ("item", "row", "code", "quote"):
            while (
                j < len(pairs)
                and pairs[j][0].kind == kind
                and (kind in ("code", "quote") or pairs[j][0].group == element.group)
            ):
                j += 1
        run = pairs[i:j]
        if kind == "item":
            alternate = not alternate if last_list == len(chunks) - 1 and chunks else False
            chunks.append(_list([(e, _content(p, e, links)) for e, p in run], alternate))
            last_list = len(chunks) - 1
        elif kind == "row":
            table = _table([e for e, _ in run])
            if table:
                chunks.append(table)
        elif kind == "code":
            chunks.append(_fence([p for _, p in run]))
        elif kind == "quote":
            chunks.append("\n>\n".join("> " + _escape_start(_content(p, e, links)) for e, p in run))
        elif kind == "heading":
            level = min(6, max(1, element.level))
            chunks.append("#" * level + " " + _content(paragraph, element, links))
        elif kind == "caption" and "*" not in paragraph:
            chunks.append(f"*{_content(paragraph, element, links)}*")
        elif kind == "term":
            chunks.append(f"**{_escape_start(_content(paragraph, element, links))}**")
        else:
            chunks.append(_escape_start(_content(paragraph, element, links)))
        i = j
    return "\n\n".join(c for c in chunks if c)


def comment_line(comment: Mapping[str, Any]) -> str:
    who = " · ".join(x for x in (comment.get("author"), comment.get("time")) if x)
    return f"[{who}] {comment['text']}" if who else str(comment["text"])


def render(record: Mapping[str, Any], *, links: bool = False) -> str:
    """A record of ``Article.to_dict()`` (or a batch output line) as a Markdown document."""
    if record.get("error"):
        return f"<!-- error: {record['error']} -->\n"
    out: list[str] = []
    if record.get("title"):
        out.append(f"# {record['title']}")
    meta = record.get("metadata") or {}
    facts = [f"{k}: {meta[k]}" for k in FACTS if meta.get(k)]
    if facts:
        out.append("*" + " · ".join(facts) + "*")
    structure = [Element.from_dict(e) for e in record.get("structure") or ()]
    text = body(list(record.get("paragraphs") or ()), structure, links=links)
    if text:
        out.append(text)
    comments = record.get("comments") or []
    if comments:
        out.append("## Comments")
        out += ["> " + comment_line(c).replace("\n", "\n> ") for c in comments]
    return "\n\n".join(out) + "\n"
