"""The article's fields and their types, in one place: the Spark and Arrow schemas and the Dask
columns are made from :data:`ARTICLE`, and a test checks it against :meth:`cleannews.Article.to_dict`.

A field added to ``Article.to_dict()`` is added here, with its type; nothing else changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeAlias

import attrs


@attrs.frozen
class Scalar:
    """A nullable scalar: ``"string"``, ``"long"`` (64-bit integer) or ``"boolean"``."""

    name: str


@attrs.frozen
class ListOf:
    """A list of values of one type (never null: an empty list)."""

    item: Type


@attrs.frozen
class MapOf:
    """A mapping from strings to values of one type (never null: an empty mapping)."""

    value: Type


@attrs.frozen
class StructOf:
    """A record with named fields, in order."""

    fields: tuple[tuple[str, Type], ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.fields)


Type: TypeAlias = Scalar | ListOf | MapOf | StructOf

STRING = Scalar("string")
LONG = Scalar("long")
BOOLEAN = Scalar("boolean")
STRINGS = ListOf(STRING)

COMMENT = StructOf((("text", STRING), ("author", STRING), ("time", STRING)))
METADATA = StructOf(
    (
        ("author", STRING),
        ("published", STRING),
        ("dateline", STRING),
        ("site", STRING),
        ("source", STRING),
        ("poster", STRING),
        ("url", STRING),
        ("description", STRING),
        ("credits", STRINGS),
        ("captions", STRINGS),
        ("tags", STRINGS),
        ("blocks", STRINGS),
        ("headline", STRING),
        ("authors", STRINGS),
        ("modified", STRING),
        ("section", STRING),
        ("image", STRING),
        ("canonical", STRING),
        ("language", STRING),
        ("sources", MapOf(STRING)),
    )
)
LINK = StructOf((("start", LONG), ("end", LONG), ("href", STRING)))
ELEMENT = StructOf(
    (
        ("kind", STRING),
        ("level", LONG),
        ("depth", LONG),
        ("ordered", BOOLEAN),
        ("cells", STRINGS),
        ("header", BOOLEAN),
        ("group", LONG),
        ("marker", STRING),
        ("links", ListOf(LINK)),
    )
)
REMOVAL = StructOf((("text", STRING), ("kind", STRING), ("cleaner", STRING), ("reason", STRING), ("index", LONG)))
FIX = StructOf((("step", STRING), ("detail", STRING)))

#: :meth:`cleannews.Article.to_dict`'s fields, in its order
ARTICLE = StructOf(
    (
        ("title", STRING),
        ("body", STRING),
        ("paragraphs", STRINGS),
        ("comments", ListOf(COMMENT)),
        ("language", STRING),
        ("metadata", METADATA),
        ("removed", ListOf(REMOVAL)),
        ("fixes", ListOf(FIX)),
        ("warnings", STRINGS),
        ("mode", STRING),
        ("extractor", STRING),
        ("structure", ListOf(ELEMENT)),
    )
)

#: what every integration adds to a row: the article's fields, then ``error`` (``None``, or why the
#: document could not be cleaned; then the article's fields are empty)
OUTPUT = StructOf((*ARTICLE.fields, ("error", STRING)))


def conforms(value: Any, kind: Type) -> bool:
    """Whether ``value`` (a ``to_dict()`` value) has the shape and types ``kind`` says, keys in order."""
    if isinstance(kind, Scalar):
        if value is None:
            return True
        if kind.name == "long":
            return isinstance(value, int) and not isinstance(value, bool)
        if kind.name == "boolean":
            return isinstance(value, bool)
        return isinstance(value, str)
    if isinstance(kind, ListOf):
        return isinstance(value, list) and all(conforms(item, kind.item) for item in value)
    if isinstance(kind, MapOf):
        return isinstance(value, Mapping) and all(
            isinstance(key, str) and conforms(item, kind.value) for key, item in value.items()
        )
    return (
        isinstance(value, Mapping)
        and tuple(value) == kind.names
        and all(conforms(value[name], sub) for name, sub in kind.fields)
    )


def article_part(record: Mapping[str, Any]) -> dict[str, Any]:
    """The :data:`OUTPUT` fields of a cleaned record (``clean_record``'s output or a CLI record), in order."""
    return {name: record[name] for name in OUTPUT.names}
