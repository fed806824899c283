"""The systems ``cleannews eval`` measures: cleannews itself and the peers, on the same records.

A system maps a record to ``(body, comments)`` text. Text-mode peers read the record's whole-page
``text``; HTML-mode peers its ``html``.
"""

from __future__ import annotations

import html as html_lib
from collections.abc import Callable
from typing import Any

from ..chain import Chain

System = Callable[[dict[str, Any]], tuple[str, str]]


def cleannews_system(mode: str, chain: Chain | None = None) -> System:
    from ..pipeline import clean

    field = "html" if mode == "html" else "text"

    def run(record: dict[str, Any]) -> tuple[str, str]:
        article = clean(record.get(field) or "", format=mode, url=record.get("url"), chain=chain)  # type: ignore[arg-type]
        return article.body, "\n\n".join(c.text for c in article.comments)

    return run


def _lines_as_html(text: str) -> str:
    paragraphs = "".join(f"<p>{html_lib.escape(line)}</p>\n" for line in text.split("\n") if line.strip())
    return f"<html><body>{paragraphs}</body></html>"


def trafilatura_system(mode: str) -> System:
    import trafilatura

    def run(record: dict[str, Any]) -> tuple[str, str]:
        page = record.get("html") or "" if mode == "html" else _lines_as_html(record.get("text") or "")
        result = trafilatura.bare_extraction(page, url=record.get("url"), include_comments=True, with_metadata=False)
        if result is None:
            return "", ""
        return result.text or "", result.comments or ""

    return run


def justext_system(mode: str) -> System:
    """jusText with the stoplist of the record's detected language (English when undetected)."""
    import justext

    from ..html import stoplist
    from ..language import detect, sample

    def run(record: dict[str, Any]) -> tuple[str, str]:
        page = record.get("html") or "" if mode == "html" else _lines_as_html(record.get("text") or "")
        text = record.get("text") or ""
        language = detect(sample(text.split("\n"))) if text else None
        words = stoplist(language) or stoplist("en")
        try:
            paragraphs = justext.justext(page.encode("utf-8"), words, encoding="utf-8")
        except Exception:
            return "", ""
        return "\n\n".join(p.text for p in paragraphs if not p.is_boilerplate), ""

    return run


def raw_system(mode: str) -> System:
    def run(record: dict[str, Any]) -> tuple[str, str]:
        return record.get("text") or "", ""

    return run


PEERS: dict[str, Callable[[str], System]] = {
    "trafilatura": trafilatura_system,
    "justext": justext_system,
    "raw": raw_system,
}
