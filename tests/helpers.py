"""Small builders shared by the tests."""

from __future__ import annotations

from cleannews import chain as chain_mod
from cleannews.document import Document
from cleannews.pipeline import text_blocks


def doc_of(*lines: str, language: str | None = "en") -> Document:
    return Document(text_blocks("\n".join(lines)), mode="text", language=language)


def run(name: str, *lines: str, **options: object) -> Document:
    """Run the single registered cleaner ``name`` over a text document made of ``lines``."""
    doc = doc_of(*lines)
    chain_mod.load(name, options)(doc)
    return doc


def kinds(doc: Document) -> list[str | None]:
    return [doc.kind_of(i) for i in range(len(doc))]
