"""The title: the first free block, when it reads like a headline."""

from __future__ import annotations

from typing import ClassVar

import attrs

from ..document import Document
from ..metadata.text import headline_below_title
from .base import is_headline


@attrs.frozen
class Title:
    """Labels the first unlabelled block as the title when it is headline-shaped (before any body
    block; comments are passed over).

    In HTML mode an extractor's title (``doc.meta['title']``) wins: a block equal to it is the title.
    When the first block is the page's ``<title>`` line with more than the headline ("Headline - Site")
    and a block below it is the headline part, that block is the title and the ``<title>`` line is
    boilerplate. Options: ``max_words`` (default 30).
    """

    name: ClassVar[str] = "title"
    max_words: int = 30

    def __call__(self, doc: Document) -> None:
        known = doc.meta.get("title")
        for block in doc.blocks:
            kind = doc.kind_of(block.index)
            if kind == "title":
                return
            if known and block.text == known and kind is None:
                doc.label(block.index, "title", cleaner=self.name, reason="the page's declared title")
                return
        if known:
            return
        if doc.blocks and doc.is_free(0):
            below = headline_below_title([b.text for b in doc.blocks], [label is None for label in doc.labels])
            if below is not None and is_headline(doc.blocks[below].text, self.max_words):
                doc.label(
                    0, "boilerplate", cleaner=self.name, reason="the page's <title> line: the headline below repeats it"
                )
                doc.label(below, "title", cleaner=self.name, reason="the headline part of the page's <title> line")
                return
        for block in doc.blocks:
            kind = doc.kind_of(block.index)
            if kind is None:
                if is_headline(block.text, self.max_words) and len(block.text.split()) >= 2:
                    doc.label(block.index, "title", cleaner=self.name, reason="first free block, headline-shaped")
                return
            if kind == "body":
                return
            # (a comment is passed over: the cleaned text, cleaned again, has no comments above the title)
