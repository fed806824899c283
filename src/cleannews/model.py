"""The public result types: :class:`Article` and the records it carries.

Every class here is a frozen attrs class; :meth:`Article.to_dict` gives the JSON object the CLI writes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs


def _tuple_of_str(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value)


def _dict_of_str(value: Any) -> dict[str, str]:
    return {str(k): str(v) for k, v in dict(value).items()}


@attrs.frozen
class Comment:
    """One reader comment: its text (paragraphs joined by a blank line), author and time if shown."""

    text: str
    author: str | None = None
    time: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "author": self.author, "time": self.time}


@attrs.frozen
class Removal:
    """A block that left the article, with the cleaner that took it out and why.

    ``kind`` names the chrome family (``ad``, ``teaser``, ``donation`` …, see ``docs/cleaners.md``);
    ``reason`` names the rule or model decision, e.g. ``"rule ads/ad-marker: 'advertisement'"``.
    ``index`` is the block's position in the input (``-1`` for a summary of upstream removals).
    """

    text: str
    kind: str
    cleaner: str
    reason: str
    index: int = -1

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "kind": self.kind,
            "cleaner": self.cleaner,
            "reason": self.reason,
            "index": self.index,
        }


@attrs.frozen
class Fix:
    """An encoding or normalisation repair applied to the input, like ftfy's explanation steps."""

    step: str
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"step": self.step, "detail": self.detail}


@attrs.frozen
class Metadata:
    """What the page says about the article besides its text.

    ``author`` is the byline as one string (as before); ``authors`` the writers' names one by one, without
    "By" or job titles. Dates are ISO 8601 (``2025-06-04``, ``2025-06-04T09:21:00-07:00`` when the page
    gives the time and zone). ``sources`` says where each value came from (field -> source, e.g.
    ``{"authors": "json-ld", "published": "byline"}``); see ``docs/metadata.md`` for the sources and
    their precedence.
    """

    author: str | None = None
    published: str | None = None
    dateline: str | None = None
    site: str | None = None
    source: str | None = None
    poster: str | None = None
    url: str | None = None
    description: str | None = None
    credits: tuple[str, ...] = attrs.field(default=(), converter=_tuple_of_str)
    captions: tuple[str, ...] = attrs.field(default=(), converter=_tuple_of_str)
    tags: tuple[str, ...] = attrs.field(default=(), converter=_tuple_of_str)
    #: the input blocks these values were read from, verbatim (so the input stays accountable)
    blocks: tuple[str, ...] = attrs.field(default=(), converter=_tuple_of_str)
    headline: str | None = None
    authors: tuple[str, ...] = attrs.field(default=(), converter=_tuple_of_str)
    modified: str | None = None
    section: str | None = None
    image: str | None = None
    canonical: str | None = None
    #: the language the page declares (``<html lang>``, ``og:locale``, JSON-LD ``inLanguage``); the
    #: detected one is ``Article.language``
    language: str | None = None
    sources: dict[str, str] = attrs.field(factory=dict, converter=_dict_of_str, hash=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "author": self.author,
            "published": self.published,
            "dateline": self.dateline,
            "site": self.site,
            "source": self.source,
            "poster": self.poster,
            "url": self.url,
            "description": self.description,
            "credits": list(self.credits),
            "captions": list(self.captions),
            "tags": list(self.tags),
            "blocks": list(self.blocks),
            "headline": self.headline,
            "authors": list(self.authors),
            "modified": self.modified,
            "section": self.section,
            "image": self.image,
            "canonical": self.canonical,
            "language": self.language,
            "sources": dict(sorted(self.sources.items())),  # (sorted: one order on every path; maps have none in Spark)
        }


#: what a body paragraph can be (:attr:`Element.kind`)
ELEMENT_KINDS = ("paragraph", "heading", "item", "row", "quote", "code", "caption", "term", "definition")


@attrs.frozen
class Element:
    """What one body paragraph is: ``Article.structure[i]`` describes ``Article.paragraphs[i]``.

    ``kind`` is one of :data:`ELEMENT_KINDS`. A ``heading`` has its ``level`` (1-6); an ``item`` its list
    ``depth`` (1 = top level) and whether the list is ``ordered``; a ``row`` its ``cells`` and whether it
    is a ``header`` row (a row without cells is the rule line under a text table's header). Items of
    one list and rows of one table share a ``group``. ``marker`` is what the paragraph prints before
    its content in text mode (``"- "``, ``"2. "``, ``"## "``): the paragraph is ``marker + content``.
    ``links`` are ``(start, end, href)`` spans of the paragraph.
    """

    kind: str = "paragraph"
    level: int = 0
    depth: int = 0
    ordered: bool = False
    cells: tuple[str, ...] = attrs.field(default=(), converter=_tuple_of_str)
    header: bool = False
    group: int = -1
    marker: str = ""
    links: tuple[tuple[int, int, str], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Every field, whatever the kind (one shape for every element: a typed column in Spark or Arrow);
        links as ``{"start", "end", "href"}`` objects."""
        return {
            "kind": self.kind,
            "level": self.level,
            "depth": self.depth,
            "ordered": self.ordered,
            "cells": list(self.cells),
            "header": self.header,
            "group": self.group,
            "marker": self.marker,
            "links": [{"start": a, "end": b, "href": h} for a, b, h in self.links],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Element:
        """The element :meth:`to_dict` wrote."""
        return cls(
            kind=str(data.get("kind") or "paragraph"),
            level=int(data.get("level") or 0),
            depth=int(data.get("depth") or 0),
            ordered=bool(data.get("ordered")),
            cells=tuple(data.get("cells") or ()),
            header=bool(data.get("header")),
            group=int(data.get("group", -1)),
            marker=str(data.get("marker") or ""),
            links=tuple(
                (int(link["start"]), int(link["end"]), str(link["href"]))
                if isinstance(link, Mapping)
                else (int(link[0]), int(link[1]), str(link[2]))
                for link in data.get("links") or ()
            ),
        )


@attrs.frozen
class Article:
    """A cleaned article.

    ``paragraphs`` is the body; ``body`` joins them with a blank line. ``structure`` says what each
    paragraph is (heading, list item, table row… see :class:`Element`; empty: all are paragraphs), and
    :meth:`markdown` writes the article with that shape. Everything that is not title, body, comment or
    metadata is in ``removed``, so the input can be accounted for block by block.
    """

    title: str | None = None
    paragraphs: tuple[str, ...] = attrs.field(default=(), converter=_tuple_of_str)
    comments: tuple[Comment, ...] = ()
    language: str | None = None
    metadata: Metadata = Metadata()
    removed: tuple[Removal, ...] = ()
    fixes: tuple[Fix, ...] = ()
    warnings: tuple[str, ...] = attrs.field(default=(), converter=_tuple_of_str)
    mode: str = "text"
    extractor: str | None = None
    structure: tuple[Element, ...] = ()

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)

    def markdown(self, *, links: bool = False) -> str:
        """The article as Markdown: the title, a line of metadata, the body with its headings, lists,
        tables, quotes and code, and the comments; ``links=True`` keeps the links the page had."""
        from .markdown import render

        return render(self.to_dict(), links=links)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object the CLI writes for this article."""
        return {
            "title": self.title,
            "body": self.body,
            "paragraphs": list(self.paragraphs),
            "comments": [c.to_dict() for c in self.comments],
            "language": self.language,
            "metadata": self.metadata.to_dict(),
            "removed": [r.to_dict() for r in self.removed],
            "fixes": [f.to_dict() for f in self.fixes],
            "warnings": list(self.warnings),
            "mode": self.mode,
            "extractor": self.extractor,
            "structure": [e.to_dict() for e in self.structure],
        }
