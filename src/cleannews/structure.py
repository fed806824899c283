"""What each body paragraph is: heading, paragraph, list item, table row, quote, code, caption.

HTML mode reads it off the blocks (their ``tag`` and structure fields, filled from the DOM). Text mode
finds it where the text shows it — ``#`` headings, bulleted and numbered lines, ``|`` tables, ``>``
quotes — when the article is assembled: the cleaners see text blocks without tags, as before, and a
paragraph's text is never changed (what it prints before its content is the element's ``marker``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import attrs

from .document import Block
from .model import Element

_HEADING_TAG = re.compile(r"^h([1-6])$")
#: block tags -> element kinds (headings and ``li``/``tr`` are handled apart)
_KINDS = {
    "blockquote": "quote",
    "pre": "code",
    "code": "code",
    "figcaption": "caption",
    "caption": "caption",
    "dt": "term",
    "dd": "definition",
}
#: how the current HTML path writes a table row's cells into its text
CELL_SEPARATOR = " | "


def block_element(block: Block) -> Element:
    """The element an HTML block is, from its tag and structure fields."""
    tag = block.tag or "p"
    heading = _HEADING_TAG.match(tag)
    if heading or tag == "h":  # ("h": a heading of unknown level, as jusText and trafilatura give them)
        return Element("heading", level=int(heading.group(1)) if heading else 2, links=block.links)
    if tag == "li":
        return Element("item", depth=max(1, block.depth), ordered=block.ordered, group=block.group, links=block.links)
    if tag == "tr":
        cells = block.cells or tuple(c.strip() for c in block.text.split(CELL_SEPARATOR))
        return Element("row", cells=cells, header=block.header, group=block.group, links=block.links)
    return Element(_KINDS.get(tag, "paragraph"), links=block.links)


# ---------------------------------------------------------------- text mode

_HEADING = re.compile(r"(#{1,6}) +(?=\S)")
_BULLET = re.compile(r"([-*+•●▪◦‣]) +(?=\S)")
_NUMBER = re.compile(r"(\d{1,3})([.)]) +(?=\S)")
_QUOTE = re.compile(r"> ?(?=\S)")
_RULE_CELL = re.compile(r":?-{3,}:?")
_ONLY_MARKS = re.compile(r"[-*_+• ]+")
#: the first characters of a line that may show structure (the others are read as paragraphs at once)
_STARTS = frozenset("#-*+•●▪◦‣>0123456789|")


def _cells(text: str) -> tuple[str, ...] | None:
    """The cells of a ``|``-separated line (outer pipes optional), or None when it has fewer than two."""
    inner = text.strip()
    if inner.startswith("|"):
        inner = inner[1:]
    if inner.endswith("|") and not inner.endswith("\\|"):
        inner = inner[:-1]
    cells = tuple(c.strip() for c in re.split(r"(?<!\\)\|", inner))
    return cells if len(cells) >= 2 else None


def _mark_tables(texts: Sequence[str], out: list[Element | None]) -> None:
    """Runs of two or more lines with the same number (two or more) of ``|``-separated cells are a table;
    a rule line (``|---|---|``) makes the row above it the header."""
    i, n = 0, len(texts)
    while i < n:
        cells = _cells(texts[i]) if "|" in texts[i] else None
        if cells is None:
            i += 1
            continue
        rows = [cells]
        j = i + 1
        while j < n and "|" in texts[j]:
            more = _cells(texts[j])
            if more is None or len(more) != len(cells):
                break
            rows.append(more)
            j += 1
        if len(rows) >= 2:
            for k, row in enumerate(rows):
                rule = all(_RULE_CELL.fullmatch(c) for c in row)
                if rule:
                    out[i + k] = Element("row", group=i)
                    above = out[i + k - 1] if k else None
                    if above is not None:
                        out[i + k - 1] = attrs.evolve(above, header=True)
                else:
                    out[i + k] = Element("row", cells=row, group=i)
        i = j


def text_elements(texts: Sequence[str]) -> list[Element]:
    """The elements of text-mode body paragraphs (consecutive ones, in order)."""
    out: list[Element | None] = [None] * len(texts)
    if any("|" in t for t in texts):
        _mark_tables(texts, out)
    numbered: list[tuple[int, int, str]] = []  # (position, number, marker)
    bullets: list[str] = []  # the bullet characters of the current run, by depth
    previous_item = -2
    for i, text in enumerate(texts):
        if out[i] is not None or not text or text[0] not in _STARTS:
            continue
        first = text[0]
        if first == "#":
            match = _HEADING.match(text)
            if match:
                out[i] = Element("heading", level=len(match.group(1)), marker=match.group(0))
        elif first == ">":
            match = _QUOTE.match(text)
            if match:
                out[i] = Element("quote", marker=match.group(0))
        elif first.isdigit():
            match = _NUMBER.match(text)
            if match:
                numbered.append((i, int(match.group(1)), match.group(0)))
        else:
            match = _BULLET.match(text)
            if match and not _ONLY_MARKS.fullmatch(text):
                if previous_item != i - 1:
                    bullets = []
                bullet = match.group(1)
                if bullet not in bullets:
                    bullets.append(bullet)
                out[i] = Element("item", depth=bullets.index(bullet) + 1, group=-1, marker=match.group(0))
                previous_item = i
    # a numbered line is a list item when the numbers go on: the line numbered one less or one more is
    # also a numbered line of the text ("2024. The year…" or a lone "3. …" is not a list)
    numbers = {n for _, n, _ in numbered}
    for i, n, marker in numbered:
        if n - 1 in numbers or n + 1 in numbers:
            out[i] = Element("item", depth=1, ordered=True, marker=marker)
    return group_elements([e if e is not None else Element() for e in out])


def group_elements(elements: Sequence[Element]) -> list[Element]:
    """The elements with their list and table groups numbered 0, 1, 2… in order. A run of items (rows)
    is one group while their own groups agree (items and rows without one are grouped by runs), and a
    list's top-level items are all numbered or all not."""
    out: list[Element] = []
    number = -1
    run: tuple[str, int] | None = None  # (kind, own group) of the run going on
    top_ordered: bool | None = None  # whether the run's top-level items are numbered
    for element in elements:
        if element.kind not in ("item", "row"):
            out.append(element)
            run = top_ordered = None
            continue
        key = (element.kind, element.group)
        top = element.kind == "item" and element.depth <= 1
        if key != run or (top and top_ordered is not None and element.ordered != top_ordered):
            number += 1
            top_ordered = None
        run = key
        if top:
            top_ordered = element.ordered
        out.append(attrs.evolve(element, group=number) if element.group != number else element)
    return _without_layout_tables(out)


#: a table whose cells hold this many characters on average is a layout table (prose in cells)
LAYOUT_CELL_CHARS = 200


def _without_layout_tables(elements: list[Element]) -> list[Element]:
    """Tables that only lay text out — one cell a row, or paragraphs in the cells — are paragraphs."""
    groups: dict[int, list[Element]] = {}
    for element in elements:
        if element.kind == "row":
            groups.setdefault(element.group, []).append(element)
    layout = {
        group
        for group, rows in groups.items()
        if (cells := [c for row in rows for c in row.cells if c])
        and (
            max(len([c for c in row.cells if c]) for row in rows) <= 1
            or sum(map(len, cells)) / len(cells) > LAYOUT_CELL_CHARS
        )
    }
    if not layout:
        return elements
    kept = [Element(links=e.links) if e.kind == "row" and e.group in layout else e for e in elements]
    numbers: dict[int, int] = {}
    for e in kept:
        if e.group >= 0:
            numbers.setdefault(e.group, len(numbers))
    return [attrs.evolve(e, group=numbers[e.group]) if e.group >= 0 else e for e in kept]
