"""The public result types: :class:`Article` and the records it carries.

Every class here is a frozen attrs class; :meth:`Article.to_dict` gives the JSON object the CLI writes.
"""

from __future__ import annotations

from typing import Any

import attrs


def _tuple_of_str(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value)


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
    """What the page says about the article besides its text."""

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
        }


@attrs.frozen
class Article:
    """A cleaned article.

    ``paragraphs`` is the body; ``body`` joins them with a blank line. Everything that is not title,
    body, comment or metadata is in ``removed``, so the input can be accounted for block by block.
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

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)

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
        }
