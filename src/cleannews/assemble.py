"""From a labelled :class:`Document` to an :class:`Article`: every block to exactly one place."""

from __future__ import annotations

from typing import Any

from . import kinds
from .document import Block, Document
from .metadata.text import name_shaped
from .metadata.values import author_names
from .model import Article, Comment, Element, Fix, Metadata, Removal
from .structure import block_element, group_elements, text_elements

_SCALAR_FIELDS = (
    "author", "published", "dateline", "site", "source", "poster", "url", "description", "modified", "section",
    "image", "canonical", "language",
)  # fmt: skip


def assemble(doc: Document, fixes: list[Fix], *, keep_comments: bool = True) -> Article:
    title: str | None = None
    paragraphs: list[str] = []
    body_blocks: list[Block] = []
    comments: list[tuple[str, list[str], dict[str, Any]]] = []  # (group, texts, data)
    removed: list[Removal] = []
    meta_scalar: dict[str, str] = {}
    meta_lists: dict[str, list[str]] = {"credits": [], "captions": [], "tags": []}
    meta_blocks: list[str] = []
    sources: dict[str, str] = {}  # field -> where its value came from

    for block in doc.blocks:
        label = doc.labels[block.index]
        kind = kinds.BODY if label is None else label.kind
        if kind == kinds.TITLE and title is None:
            title = block.text
            assert label is not None
            sources["headline"] = f"line {block.index} ({label.cleaner})"
        elif kind in (kinds.BODY, kinds.TITLE):
            paragraphs.append(block.text)
            body_blocks.append(block)
        elif kind == kinds.COMMENT:
            assert label is not None
            if not keep_comments:
                removed.append(
                    Removal(
                        block.text, "comment", label.cleaner, "comments left out (keep_comments=False)", block.index
                    )
                )
                continue
            group = str(label.data.get("comment", block.index))
            if comments and comments[-1][0] == group:
                comments[-1][1].append(block.text)
            else:
                comments.append((group, [block.text], dict(label.data)))
        elif kinds.is_metadata(kind):
            assert label is not None
            before = set(meta_scalar)
            if _fill_metadata(kind, block.text, label.data, meta_scalar, meta_lists):
                meta_blocks.append(block.text)
                for field in set(meta_scalar) - before:
                    sources[field] = f"line {block.index} ({label.cleaner})"
            else:
                removed.append(
                    Removal(block.text, kind, label.cleaner, f"{label.reason}; metadata field already set", block.index)
                )
        else:
            assert label is not None
            removed.append(Removal(block.text, kind, label.cleaner, label.reason, block.index))

    for item in doc.upstream_removed:
        removed.append(Removal(**item))
    found_sources: dict[str, str] = doc.meta.get("sources") or {}
    for field in _SCALAR_FIELDS:
        value = doc.meta.get(field)
        # the page's metadata (HTML: its byline under the headline, JSON-LD…, merged by precedence; text:
        # the byline and date under the headline) wins over another line's (a date line further down, a
        # "By" line in the extracted text), which stays in `blocks`
        if value and (field not in meta_scalar or doc.mode == "html" or field in found_sources):
            meta_scalar[field] = str(value)
            if field in found_sources:
                sources[field] = found_sources[field]
    for field in ("credits", "captions", "tags"):
        for value in doc.meta.get(field, ()) or ():
            if value not in meta_lists[field]:
                meta_lists[field].append(str(value))
    if doc.url and "url" not in meta_scalar:
        meta_scalar["url"] = doc.url

    if title is None and doc.mode == "html" and doc.meta.get("title"):
        title = str(doc.meta["title"])
    authors = _authors(doc, meta_scalar, sources)
    headline = title or doc.meta.get("title")
    if headline and headline == doc.meta.get("title") and "title" in found_sources:
        sources["headline"] = found_sources["title"]  # (HTML: the page's headline, wherever its block went)
    metadata = Metadata(
        **meta_scalar,
        **meta_lists,  # type: ignore[arg-type]
        blocks=tuple(meta_blocks),
        headline=headline,
        authors=tuple(authors),
        sources=sources,
    )

    return Article(
        title=title,
        paragraphs=tuple(paragraphs),
        comments=tuple(
            Comment("\n\n".join(texts), author=data.get("author"), time=data.get("time")) for _, texts, data in comments
        ),
        language=doc.language,
        metadata=metadata,
        removed=tuple(removed),
        fixes=tuple(fixes),
        warnings=tuple(doc.warnings),
        mode=doc.mode,
        extractor=doc.extractor,
        structure=tuple(_structure(doc, body_blocks, paragraphs)),
    )


def _structure(doc: Document, blocks: list[Block], paragraphs: list[str]) -> list[Element]:
    """What each body paragraph is: from the blocks' tags in HTML mode, from the text in text mode."""
    if doc.mode == "html":
        return group_elements([block_element(b) for b in blocks])
    return text_elements(paragraphs)


def _authors(doc: Document, scalar: dict[str, str], sources: dict[str, str]) -> list[str]:
    """The writers' names: those the page's metadata chose (HTML: see :mod:`cleannews.metadata`; text:
    the byline under the headline), else those of the ``author`` value (a byline line anywhere, an
    author bio) when they read as names."""
    found = doc.meta.get("authors") or []
    if found:
        sources["authors"] = (doc.meta.get("sources") or {}).get("authors", "page")
        return [str(n) for n in found]
    names = [n for n in author_names(scalar.get("author")) if name_shaped(n)]
    if names:
        sources["authors"] = sources.get("author", "author bio")
    return names


def _fill_metadata(
    kind: str,
    text: str,
    data: Any,
    scalar: dict[str, str],
    lists: dict[str, list[str]],
) -> bool:
    """Put a metadata block's values in place; False when its field is already taken."""
    values: dict[str, Any] = dict(data) if data else {kinds.METADATA_FIELDS[kind]: text}
    if kinds.METADATA_FIELDS[kind] not in values and kinds.METADATA_FIELDS[kind] in kinds.LIST_FIELDS:
        values[kinds.METADATA_FIELDS[kind]] = text
    placed = False
    for field, value in values.items():
        if field in kinds.LIST_FIELDS:
            items = value if isinstance(value, list | tuple) else [value]
            lists[field].extend(str(v) for v in items)
            placed = True
        elif field not in scalar and value:
            scalar[field] = str(value)
            placed = True
    return placed
