"""Text mode: the article's byline and date under the headline become its authors and publication date."""

from __future__ import annotations

from typing import ClassVar

import attrs

from ..document import Document
from ..metadata.html import read_url
from ..metadata.text import read_byline


@attrs.frozen
class Byline:
    """Reads the lines under the headline (see :func:`cleannews.metadata.text.read_byline`): the byline
    ("By Jane Doe | June 4, 2025", "Written by Jane Doe", a name beside a date line) gives the authors —
    names only — and the date line said to be the publication date (else the nearest) gives
    ``published``; both win over other lines of the page. A line the page model took for chrome (or a
    "Written by" credit) is relabelled ``byline`` / ``published`` (it becomes metadata); a line of the
    article stays in the body and its values are also reported, as an inline dateline is. HTML mode
    reads the page itself (see :mod:`cleannews.metadata.html`): the cleaner leaves it alone. Without a
    date line anywhere, a date in the document's URL (``/2025/06/04/``) is the publication date.

    Options: ``after`` (default 6) and ``before`` (default 2) — free lines read below and above the
    headline.
    """

    name: ClassVar[str] = "byline"
    after: int = 6
    before: int = 2

    def __call__(self, doc: Document) -> None:
        if doc.mode != "text":
            return
        found = read_byline(doc, after=self.after, before=self.before)
        sources = doc.meta.setdefault("sources", {})
        date = found.published
        if found.authors is not None:
            i = found.authors.index
            names = list(found.authors.value)
            data = {"author": ", ".join(names)}
            if date is not None and date.index == i:
                data["published"] = date.value
            if not doc.is_free(i) and doc.kind_of(i) != "published":
                doc.label(
                    i, "byline", cleaner=self.name, reason="the byline under the headline", data=data, override=True
                )
            doc.meta["author"] = data["author"]
            doc.meta["authors"] = names
            sources["author"] = sources["authors"] = f"line {i} ({self.name})"
        if date is not None:
            if not doc.is_free(date.index) and doc.kind_of(date.index) not in ("published", "byline"):
                doc.label(date.index, "published", cleaner=self.name, reason="the date line under the headline",
                          data={"published": date.value}, override=True)  # fmt: skip
            doc.meta["published"] = date.value
            sources["published"] = f"line {date.index} ({self.name})"
        elif doc.url and not any(doc.kind_of(b.index) == "published" for b in doc.blocks):
            for candidate in read_url(doc.url):  # the URL's date, when no line gives one
                doc.meta["published"] = candidate.value
                sources["published"] = candidate.source
