"""The working document the cleaner chain annotates.

Like spaCy's ``Doc``: cleaners never delete text, they *label* blocks. A block keeps its first label
unless a later cleaner explicitly overrides it, so the order of the chain is the order of authority.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from .rulebook import line_key


@attrs.frozen(slots=False)  # (not slotted: attrs then fills the instance dict directly, and a text page
class Block:  # makes one block a line — ten fields cost a third more than four did, not three times)
    """One unit of input: a non-blank line of text, or one paragraph-level element of HTML.

    ``tag`` is the HTML element (``p``, ``h1``…``h6``, ``li``, ``tr``, ``blockquote``, ``pre``,
    ``figcaption``, ``dt``, ``dd``) or ``None`` in text mode; ``zone`` says where an HTML block came
    from (``main`` or ``comments``). The structure fields say more where the tag needs it (text mode
    finds its structure when the article is assembled, see :mod:`cleannews.structure`):

    - ``depth``: list nesting of an ``li`` (1 = top level); ``ordered``: its list is numbered;
    - ``cells``: a ``tr``'s cells; ``header``: it is a header row;
    - ``group``: blocks of the same list or table share it (``-1``: none);
    - ``links``: ``(start, end, href)`` spans of ``text`` that are links.
    """

    index: int
    text: str
    tag: str | None = None
    zone: str = "main"
    depth: int = 0
    ordered: bool = False
    cells: tuple[str, ...] = ()
    header: bool = False
    group: int = -1
    links: tuple[tuple[int, int, str], ...] = ()


@attrs.frozen
class Label:
    """A decision about a block: its kind, which cleaner made it and why.

    ``data`` carries structured values: metadata fields a block fills (``{"published": "…"}``) or
    comment grouping (``{"comment": "3", "author": "…", "time": "…"}``).
    """

    kind: str
    cleaner: str
    reason: str
    data: Mapping[str, Any] = attrs.field(factory=dict)


class Document:
    """Blocks plus their labels, the page's metadata candidates and warnings."""

    def __init__(
        self,
        blocks: list[Block],
        *,
        mode: str = "text",
        language: str | None = None,
        url: str | None = None,
    ) -> None:
        self.blocks: tuple[Block, ...] = tuple(blocks)
        self.mode = mode
        self.language = language
        self.url = url
        self.labels: list[Label | None] = [None] * len(self.blocks)
        #: document-level metadata found by cleaners or an extractor (field -> value)
        self.meta: dict[str, Any] = {}
        self.warnings: list[str] = []
        #: chrome removed before the blocks were made (e.g. by an HTML extractor), as Removal dicts
        self.upstream_removed: list[dict[str, Any]] = []
        self.extractor: str | None = None
        self._keys: list[str | None] = [None] * len(self.blocks)

    def key(self, index: int) -> str:
        """The block's rule-comparison form (see :func:`cleannews.rulebook.line_key`), computed once."""
        key = self._keys[index]
        if key is None:
            key = self._keys[index] = line_key(self.blocks[index].text)
        return key

    def seed_keys(self, keys: list[str]) -> None:
        """Every block's key at once (computed by someone who had the lower-cased lines at hand)."""
        self._keys = list(keys)

    def __len__(self) -> int:
        return len(self.blocks)

    def label(
        self,
        index: int,
        kind: str,
        *,
        cleaner: str,
        reason: str,
        data: Mapping[str, Any] | None = None,
        override: bool = False,
    ) -> bool:
        """Label block ``index``; returns False (and changes nothing) if it is already labelled."""
        if self.labels[index] is not None and not override:
            return False
        self.labels[index] = Label(kind, cleaner, reason, dict(data or {}))
        return True

    def is_free(self, index: int) -> bool:
        return self.labels[index] is None

    def kind_of(self, index: int) -> str | None:
        label = self.labels[index]
        return None if label is None else label.kind

    def free(self) -> list[Block]:
        """The blocks no cleaner has labelled yet (a list: labelling them as you go is safe)."""
        return [b for b, label in zip(self.blocks, self.labels, strict=True) if label is None]

    def set_meta(self, field: str, value: Any) -> None:
        """Record a document-level metadata value unless one is already known."""
        if value and not self.meta.get(field):
            self.meta[field] = value

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)
