"""Metadata candidates and how they are merged: each field takes the value of the first source in its
precedence that has one, and records which source that was.

A *source* is named ``kind`` or ``kind:detail`` (``json-ld``, ``meta:article:published_time``,
``byline``); the precedence lists kinds. The visible article — its headline and the byline and date
lines under it — comes before what the page declares for machines (JSON-LD, parse.ly, microdata,
then the meta tags, which are often site-wide), and those before guesses (the URL, htmldate).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

#: source kinds, in order of precedence, for each field (a kind not listed comes last)
PRECEDENCE: dict[str, tuple[str, ...]] = {
    "headline": ("h1", "declared", "json-ld", "microdata", "parsely", "opengraph", "meta", "title-element"),
    "authors": (
        "byline",
        "json-ld",
        "parsely",
        "microdata",
        "meta",
        "opengraph",
        "page-author",
        "json-ld-organization",
    ),
    "published": ("url", "opengraph", "byline", "json-ld", "parsely", "meta", "microdata", "htmldate"),
    "modified": ("json-ld", "opengraph", "microdata", "meta", "byline"),
    "site": ("opengraph", "json-ld", "meta", "url"),
    "section": ("json-ld", "opengraph", "parsely", "meta"),
    "tags": ("json-ld", "opengraph", "parsely", "meta"),
    "description": ("opengraph", "json-ld", "meta"),
    "image": ("opengraph", "json-ld", "meta", "microdata"),
    "canonical": ("link", "opengraph", "json-ld"),
    "language": ("html", "json-ld", "opengraph", "meta"),
}
#: fields whose value is a list
LIST_FIELDS = frozenset({"authors", "tags"})
#: ISO 8601 dates: the day is chosen by precedence, then the most precise value that gives that day
DATE_FIELDS = frozenset({"published", "modified"})


@attrs.frozen
class Candidate:
    """A value for a metadata field and the source it was read from."""

    field: str
    value: Any
    source: str

    @property
    def kind(self) -> str:
        return self.source.split(":", 1)[0]


@attrs.frozen
class Merged:
    """The merged metadata: field -> value, and field -> the source of the value."""

    values: dict[str, Any]
    sources: dict[str, str]

    def get(self, field: str) -> Any:
        return self.values.get(field)


def merge(candidates: Iterable[Candidate], precedence: Mapping[str, Sequence[str]] | None = None) -> Merged:
    """Per field, the first candidate in the order of precedence (among equals, the first found); for
    a date, the first candidate that gives the same day with the most precision (time and zone)."""
    by_field: dict[str, list[tuple[int, int, Candidate]]] = {}
    for n, candidate in enumerate(candidates):
        if candidate.value in (None, "", [], ()):
            continue
        order = (precedence or PRECEDENCE).get(candidate.field, ())
        rank = order.index(candidate.kind) if candidate.kind in order else len(order)
        by_field.setdefault(candidate.field, []).append((rank, n, candidate))
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for field, found in by_field.items():
        best = min(found, key=lambda item: item[:2])[2]
        if field in DATE_FIELDS:  # the same day given with its time and zone by a later source: that one
            same_day = [c for _, _, c in sorted(found, key=lambda item: item[:2]) if c.value[:10] == best.value[:10]]
            best = max(same_day, key=lambda c: len(c.value))
        values[field] = list(best.value) if field in LIST_FIELDS else best.value
        sources[field] = best.source
    return Merged(values, sources)
