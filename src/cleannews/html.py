"""HTML to blocks: trafilatura for the main content, its comments and metadata; jusText as fallback.

The extracted elements become :class:`Block` objects (one per paragraph, heading, list item, quote or
table row) that then run through the same cleaner chain as text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import attrs

from .document import Block
from .normalize import normalize_line

_WS = re.compile(r"\s+")
_HTML_SNIFF = re.compile(
    r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<(?:p|div|span|article|a|br|table|meta|title|script)[\s>/]",
    re.I,
)
MIN_TRAFILATURA_CHARS = 250


def looks_like_html(text: str) -> bool:
    head = text[:65536]
    return len(_HTML_SNIFF.findall(head)) >= 2 or head.lstrip()[:15].lower().startswith(("<!doctype", "<html"))


@attrs.frozen
class Extraction:
    blocks: tuple[Block, ...]
    meta: dict[str, Any]
    extractor: str
    warnings: tuple[str, ...] = ()
    upstream_removed: tuple[dict[str, Any], ...] = ()


def _text(element: Any) -> str:
    return normalize_line(_WS.sub(" ", "".join(element.itertext())))


def _elements(root: Any) -> Iterator[tuple[str, Any]]:
    for child in root:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "list":
            for item in child.iter("item"):
                yield "li", item
        elif tag == "table":
            for row in child.iter("row"):
                yield "tr", row
        elif tag == "head":
            yield "h", child
        elif tag == "quote":
            yield "blockquote", child
        elif tag in {"p", "code", "lb", "graphic", "div"} or tag:
            yield tag or "p", child


def _blocks(root: Any, zone: str, start: int) -> list[Block]:
    out: list[Block] = []
    if root is None:
        return out
    for tag, element in _elements(root):
        text = _text(element)
        if text:
            out.append(Block(start + len(out), text, tag=tag, zone=zone))
    return out


def _meta(result: Any, url: str | None) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "title": result.title,
        "author": result.author,
        "published": result.date,
        "site": result.sitename,
        "description": result.description,
        "url": result.url or url,
        "tags": [t for t in (list(result.categories or []) + list(result.tags or [])) if t],
    }
    return {k: v for k, v in meta.items() if v}


def extract(html: str, *, url: str | None = None, language: str | None = None) -> Extraction:
    """Blocks and metadata from an HTML page; never raises on bad markup."""
    import trafilatura

    warnings: list[str] = []
    result = None
    try:
        result = trafilatura.bare_extraction(
            html, url=url, include_comments=True, with_metadata=True, include_tables=True, favor_precision=False
        )
    except Exception as exc:  # trafilatura/lxml on hostile markup
        warnings.append(f"trafilatura failed: {exc!r}")
    blocks: list[Block] = []
    meta: dict[str, Any] = {}
    extractor = "trafilatura"
    if result is not None:
        blocks = _blocks(result.body, "main", 0)
        blocks += _blocks(result.commentsbody, "comments", len(blocks))
        meta = _meta(result, url)
    main_chars = sum(len(b.text) for b in blocks if b.zone == "main")
    if main_chars < MIN_TRAFILATURA_CHARS:
        if language is None:
            language = _page_language(html)
        fallback = _justext_blocks(html, language)
        if sum(len(b.text) for b in fallback) > main_chars:
            comments = [b for b in blocks if b.zone == "comments"]
            blocks = [attrs.evolve(b, index=i) for i, b in enumerate(fallback + comments)]
            extractor = "justext"
            warnings.append(f"trafilatura found {main_chars} characters of content; used jusText instead")
    return Extraction(tuple(blocks), meta, extractor, tuple(warnings))


_STOPLISTS = {
    "en": "English", "pl": "Polish", "ru": "Russian", "el": "Greek", "de": "German", "fr": "French",
    "es": "Spanish", "it": "Italian", "pt": "Portuguese", "nl": "Dutch", "uk": "Ukrainian", "cs": "Czech",
    "sk": "Slovak", "sv": "Swedish", "da": "Danish", "fi": "Finnish", "hu": "Hungarian", "ro": "Romanian",
    "tr": "Turkish", "bg": "Bulgarian", "hr": "Croatian", "sr": "Serbian", "sl": "Slovenian", "no": "Norwegian_Bokmal",
    "id": "Indonesian", "vi": "Vietnamese", "ar": "Arabic", "fa": "Persian", "he": "Hebrew", "hi": "Hindi",
    "ko": "Korean", "lt": "Lithuanian", "lv": "Latvian", "et": "Estonian", "ca": "Catalan",
}  # fmt: skip


def stoplist(language: str | None) -> frozenset[str]:
    """jusText's stoplist for an ISO 639-1 code; empty (language-neutral) when there is none."""
    import justext

    name = _STOPLISTS.get(language or "")
    return frozenset(justext.get_stoplist(name)) if name else frozenset()


_TAGS = re.compile(r"<script.*?</script>|<style.*?</style>|<[^>]+>", re.S | re.I)


def _page_language(html: str) -> str | None:
    from .language import detect

    return detect(_WS.sub(" ", _TAGS.sub(" ", html[:200_000]))[:20_000][-4000:])


def _justext_blocks(html: str, language: str | None) -> list[Block]:
    import justext

    try:
        paragraphs = justext.justext(html, stoplist(language) or frozenset(), stopwords_low=0.2 if language else 0.0)
    except Exception:
        return []
    out: list[Block] = []
    for p in paragraphs:
        if p.is_boilerplate:
            continue
        text = normalize_line(_WS.sub(" ", p.text))
        if text:
            out.append(Block(len(out), text, tag="h" if p.is_heading else "p", zone="main"))
    return out
