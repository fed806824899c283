"""Reader comments in plain text: the replies under a forum post, and the blocks of a comment section.

A forum page is one whose first blocks hold a post header ("Posted on … by …"); its post ends at the
source line ("(Excerpt) Read more at …"), a donation block or forum furniture, and every free block
after that is a reply. Elsewhere a comment section starts at a heading ("12 Comments", "Comments") and
runs to the comment form or the end of the page.
"""

from __future__ import annotations

import re
from typing import ClassVar

import attrs

from ..document import Document

_SECTION_HEADING = re.compile(
    r"^(?:\d[\d,.]*\s+(?:comments?|responses?|replies|thoughts on .+|reactions?)|comments?(?:\s*\(\d+\))?|"
    r"(?:reader|readers'?|user|visitor) comments|discussion|responses?(?: to .+)?|\d+ (?:thoughts|replies) on .+|"
    r"what (?:readers|people|you) (?:are )?say(?:ing)?|conversation)\s*:?$",
    re.I,
)
_POST_END_KINDS = frozenset({"source", "donation", "forum_chrome"})


@attrs.frozen
class Comments:
    """Labels reader comments in text mode; section headings become ``comment_furniture``.

    Options: ``forum_header_zone`` (default 3) — how near the top a post header must be.
    """

    name: ClassVar[str] = "comments"
    forum_header_zone: int = 3

    def __call__(self, doc: Document) -> None:
        if doc.mode != "text":
            return
        if self._forum(doc):
            return
        self._section(doc)

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

    def _section(self, doc: Document) -> None:
        start = next((b.index for b in doc.free() if _SECTION_HEADING.match(b.text)), None)
        if start is None:
            return
        doc.label(start, "comment_furniture", cleaner=self.name, reason=f"comment section heading {doc.blocks[start].text!r}")
        for block in doc.blocks[start + 1 :]:
            kind = doc.kind_of(block.index)
            if kind == "comment_form":
                break
            doc.label(
                block.index,
                "comment",
                cleaner=self.name,
                reason=f"in the comment section under {doc.blocks[start].text!r}",
                data={"comment": str(block.index)},
            )
