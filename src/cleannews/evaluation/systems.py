"""The systems ``cleannews eval`` measures: cleannews itself and the peers, on the same records.

A system maps a :class:`~.data.Record` to an :class:`Output` (body text, comment text, title, and an
error if it failed). In HTML mode every system reads the record's ``html``; in text mode its
whole-page ``text`` (peers that need HTML get the lines as ``<p>`` elements).
"""

from __future__ import annotations

import html as html_lib
from collections.abc import Callable
from typing import Protocol

import attrs

from ..chain import Chain
from ..errors import ConfigError
from .data import Record


@attrs.frozen
class Output:
    body: str = ""
    comments: str = ""
    title: str | None = None
    #: set when the system failed on the record (its output then scores as empty)
    error: str | None = None


class System(Protocol):
    @property
    def comments(self) -> bool:
        """Whether the system extracts reader comments (comment recall is shown only for those that do)."""

    @property
    def titles(self) -> bool:
        """Whether it gives a title."""

    def __call__(self, record: Record) -> Output: ...


@attrs.frozen
class FunctionSystem:
    run: Callable[[Record], Output]
    comments: bool = True
    titles: bool = False

    def __call__(self, record: Record) -> Output:
        return self.run(record)


def cleannews_system(mode: str, chain: Chain | None = None) -> System:
    """``cleannews.clean`` on the record; an Article that reports an internal error counts as an error."""
    from ..pipeline import clean

    def run(record: Record) -> Output:
        article = clean(record.source(mode) or "", format=mode, url=record.url, chain=chain)  # type: ignore[arg-type]
        error = next((w for w in article.warnings if w.startswith("internal error")), None)
        return Output(article.body, "\n\n".join(c.text for c in article.comments), article.title, error)

    return FunctionSystem(run, comments=True, titles=True)


def _lines_as_html(text: str) -> str:
    paragraphs = "".join(f"<p>{html_lib.escape(line)}</p>\n" for line in text.split("\n") if line.strip())
    return f"<html><body>{paragraphs}</body></html>"


def _page(record: Record, mode: str) -> str:
    return (record.html or "") if mode == "html" else _lines_as_html(record.text or "")


def trafilatura_system(mode: str) -> System:
    """trafilatura alone, with its defaults (balanced focus, tables, fallbacks), comments on."""
    import trafilatura

    def run(record: Record) -> Output:
        result = trafilatura.bare_extraction(_page(record, mode), url=record.url, include_comments=True)
        if result is None:
            return Output()
        return Output(getattr(result, "text", None) or "", getattr(result, "comments", None) or "")

    return FunctionSystem(run, comments=True)


def justext_system(mode: str) -> System:
    """jusText alone, with the stoplist of the page's detected language (language-neutral if it has none)."""
    from ..html import justext_blocks, page_language, parse

    def run(record: Record) -> Output:
        page = _page(record, mode)
        tree = parse(page)
        language = page_language(tree) if tree is not None else None
        return Output("\n\n".join(b.text for b in justext_blocks(page, language)))

    return FunctionSystem(run, comments=False)


def readability_system(mode: str) -> System:
    """readability-lxml alone (``Document(html).summary()``), its article's text a block a line. Needs the
    ``readability-lxml`` package (``pip install "cleannews[eval]"``)."""
    try:
        from readability import Document
    except ImportError:
        raise ConfigError(
            'the readability peer needs readability-lxml: pip install "cleannews[eval]" (or readability-lxml)'
        ) from None
    from ..html import _tree_text, parse

    def run(record: Record) -> Output:
        summary = Document(_page(record, mode)).summary(html_partial=True)
        tree = parse(summary) if summary and summary.strip() else None
        return Output(_tree_text(tree) if tree is not None else "")

    return FunctionSystem(run, comments=False)


def raw_system(mode: str) -> System:
    """The whole-page text, unextracted: the floor any extractor should beat on precision."""

    def run(record: Record) -> Output:
        return Output(record.text or "")

    return FunctionSystem(run, comments=False)


PEERS: dict[str, Callable[[str], System]] = {
    "trafilatura": trafilatura_system,
    "justext": justext_system,
    "readability": readability_system,
    "raw": raw_system,
}
