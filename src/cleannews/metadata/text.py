"""Metadata in text mode: the headline under the page's ``<title>`` line, and the byline and date lines.

The lines themselves are labelled by the ``metadata_lines`` cleaner (date lines, "By NAME" lines,
datelines, sources, credits, tags); what they say becomes :class:`~cleannews.Metadata` when the article
is assembled. Here: the choice of the headline line when the page starts with its ``<title>``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import attrs

from ..dates import find_date
from ..document import Document
from ..pagemodel.model import title_keys
from .values import author_names


def words(text: str) -> int:
    return len(_WORD.findall(text))


_WORD = re.compile(r"\w+")
#: how far below the ``<title>`` line the headline is looked for (lines)
HEADLINE_WINDOW = 20


def headline_below_title(texts: Sequence[str], free: Sequence[bool]) -> int | None:
    """The line that is the headline part of the first line when the first line is a ``<title>`` with
    more ("Headline - Site", "Headline | Section | Site"): the first free line within
    :data:`HEADLINE_WINDOW` lines below it whose words are exactly one of its parts. None otherwise."""
    if not texts:
        return None
    keys = title_keys(texts[0]) - {" ".join(_WORD.findall(texts[0].lower()))}
    if not keys:
        return None
    for i in range(1, min(len(texts), HEADLINE_WINDOW + 1)):
        if free[i] and " ".join(_WORD.findall(texts[i].lower())) in keys:
            return i
    return None


# ---------------------------------------------------------------- the byline and date under the headline

_BY_IN = re.compile(r"^(?:by|written by|posted by|words by|text by|story by)\b|\b(?:written|posted) by\b", re.I)
_WRITTEN_BY = re.compile(r"^written by\b", re.I)
_LABEL_UPDATED = re.compile(r"\b(?:updated|modified|last reviewed|reviewed)\b", re.I)
_LABEL_PUBLISHED = re.compile(r"\b(?:published|posted|written|created|on)\b", re.I)
_NAME_SHAPED = re.compile(r"^[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|van|von|de|der|la|da|di)){1,3}$")
#: kinds a line may have and still be read as the byline (the page model's chrome, a "Written by" credit)
READABLE = frozenset({"navigation", "boilerplate", "teaser", "share", "credit", "published"})


@attrs.frozen
class Found:
    """A value read from a line: the line, what to label it, the value and how sure (lower: surer)."""

    index: int
    kind: str
    value: Any
    rank: int = 0


@attrs.frozen
class TextByline:
    """What :func:`read_byline` found under the headline: the authors' line and the date line."""

    authors: Found | None = None
    published: Found | None = None


#: a line of the story: this many words or more
PROSE_WORDS = 25


def _window(doc: Document, start: int, after: int, before: int) -> list[int]:
    """Block indices around ``start``: down to the ``after``-th free block below it or the second line
    of prose (a standfirst may come before the byline), then up to the ``before``-th free block above it
    (the free blocks are the ones the cleaned text keeps, so cleaning it again sees the same window)."""
    out: list[int] = []
    for step, limit in ((1, after), (-1, before)):
        seen = prose = 0
        i = start + step
        while 0 <= i < len(doc.blocks) and seen < limit:
            if doc.is_free(i):
                seen += 1
                prose += words(doc.blocks[i].text) >= PROSE_WORDS
                if prose >= 2 and step == 1:
                    break
            out.append(i)
            i += step
    return out


def _readable(doc: Document, i: int) -> bool:
    label = doc.labels[i]
    if label is None:
        return True
    if label.kind == "credit":
        return _WRITTEN_BY.match(doc.blocks[i].text) is not None
    return label.kind in READABLE and (label.cleaner == "page_model" or label.kind == "published")


def _line_date(text: str) -> tuple[int, str] | None:
    """(rank, ISO date) of a date line's date: 0 labelled as published, 1 plain, 3 labelled as updated.
    A line is a date line when a byline or a few words at most stand beside the date (not a sentence
    of the story that names a day)."""
    found = find_date(text)
    if found is None:
        return None
    iso, (start, end) = found
    lead = text[:start]
    if words(lead + " " + text[end:]) > 6 and not _BY_IN.search(text):
        return None
    if _LABEL_UPDATED.search(lead):
        return 3, iso
    return (0 if _LABEL_PUBLISHED.search(lead) else 1), iso


def _name_line(text: str) -> bool:
    """A line that is a name of two or three words (credentials may follow a comma): "Jane Doe",
    "Dylan Bailey, MS, RD"."""
    name = text.split(",", 1)[0].strip()
    return len(name.split()) <= 3 and _NAME_SHAPED.match(name) is not None and not name.isupper()


def name_shaped(name: str) -> bool:
    """Names as a byline prints them: two to four words, each capitalised (particles aside)."""
    return _NAME_SHAPED.match(name) is not None


def _anchors(doc: Document) -> list[int]:
    """Where the headline is: the title line, and the lines before the article that repeat it (the
    ``<title>`` line, a breadcrumb); without a title, the line before the article's first line."""
    title = next((b.index for b in doc.blocks if doc.kind_of(b.index) == "title"), None)
    first = next((b.index for b in doc.blocks if doc.is_free(b.index)), None)
    if title is None:
        return [] if first is None else [first - 1]
    key = " ".join(_WORD.findall(doc.blocks[title].text.lower()))
    repeats = [
        b.index
        for b in doc.blocks[: first if first is not None else len(doc.blocks)]
        if b.index != title and len(key) > 10 and " ".join(_WORD.findall(b.text.lower())) == key
    ]
    return [title, *repeats]


_BY_ALONE = re.compile(r"^(?:by|written by|posted by|words by|author)\s*:?$", re.I)


def read_byline(doc: Document, *, after: int = 6, before: int = 2) -> TextByline:
    """The byline and date lines under the headline (or above the article's first line when there is
    no headline; under a line that repeats the headline too): the first line with "By" (or a "Written
    by" credit, or "By" on a line of its own and the name on the next), else a name on a line beside a
    date or right under the headline; the date line said to be the publication date, else the nearest
    one (an "Updated" date last)."""
    authors: Found | None = None
    published: Found | None = None
    for anchor in _anchors(doc):
        window = [i for i in _window(doc, anchor, after, before) if _readable(doc, i)]
        dates = _dates(doc, window)
        if published is None and dates:
            published = min(dates, key=lambda f: f.rank)
        if authors is None:
            authors = _authors(doc, window, dates, anchor)
    return TextByline(authors, published)


def _dates(doc: Document, window: list[int]) -> list[Found]:
    dates: list[Found] = []
    for i in window:
        label = doc.labels[i]
        if label is not None and label.kind == "published":
            value = label.data.get("published")
            if value:
                dates.append(Found(i, "published", value, 1))
        elif words(doc.blocks[i].text) <= PROSE_WORDS:
            found = _line_date(doc.blocks[i].text)
            if found:
                dates.append(Found(i, "published", found[1], found[0]))
    return dates


def _authors(doc: Document, window: list[int], dates: list[Found], anchor: int) -> Found | None:
    for k, i in enumerate(window):
        text = doc.blocks[i].text
        label = doc.labels[i]
        if words(text) > 20 or (label is not None and label.kind == "published"):
            continue
        if _BY_ALONE.match(text) and k + 1 < len(window) and window[k + 1] == i + 1:
            names = author_names(f"{text} {doc.blocks[i + 1].text}")
            i = i + 1
        elif _BY_IN.search(text) or (any(abs(d.index - i) == 1 for d in dates) and _name_line(text)):
            names = author_names(text)
        else:
            continue
        if names:
            return Found(i, "byline", names)
    return None
