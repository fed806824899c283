"""From a labelled :class:`Document` to an :class:`Article`: every block to exactly one place."""

from __future__ import annotations

from typing import Any

from . import kinds
from .document import Document
from .model import Article, Comment, Fix, Metadata, Removal

_SCALAR_FIELDS = ("author", "published", "dateline", "site", "source", "poster", "url", "description")


def assemble(doc: Document, fixes: list[Fix], *, keep_comments: bool = True) -> Article:
    title: str | None = None
    paragraphs: list[str] = []
    comments: list[tuple[str, list[str], dict[str, Any]]] = []  # (group, texts, data)
    removed: list[Removal] = []
    meta_scalar: dict[str, str] = {}
    meta_lists: dict[str, list[str]] = {"credits": [], "captions": [], "tags": []}
    meta_blocks: list[str] = []

    for block in doc.blocks:
        label = doc.labels[block.index]
        kind = kinds.BODY if label is None else label.kind
        if kind == kinds.TITLE and title is None:
            title = block.text
        elif kind in (kinds.BODY, kinds.TITLE):
            paragraphs.append(block.text)
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
            if _fill_metadata(kind, block.text, label.data, meta_scalar, meta_lists):
                meta_blocks.append(block.text)
            else:
                removed.append(
                    Removal(block.text, kind, label.cleaner, f"{label.reason}; metadata field already set", block.index)
                )
        else:
            assert label is not None
            removed.append(Removal(block.text, kind, label.cleaner, label.reason, block.index))

    for item in doc.upstream_removed:
        removed.append(Removal(**item))
    for field in _SCALAR_FIELDS:
        value = doc.meta.get(field)
        if value and field not in meta_scalar:
            meta_scalar[field] = str(value)
    for field in ("credits", "captions", "tags"):
        for value in doc.meta.get(field, ()) or ():
            if value not in meta_lists[field]:
                meta_lists[field].append(str(value))
    if doc.url and "url" not in meta_scalar:
        meta_scalar["url"] = doc.url

    if title is None and doc.mode == "html" and doc.meta.get("title"):
        title = str(doc.meta["title"])
    metadata = Metadata(**meta_scalar, **meta_lists, blocks=tuple(meta_blocks))  # type: ignore[arg-type]
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
    )


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
