"""HTML to blocks: trafilatura for the main content, its comments and metadata; jusText as fallback.

The page is parsed once (lxml, through trafilatura's loader). trafilatura's main-content extraction
gives the paragraphs, headings, list items, quotes and table rows that become :class:`Block` objects;
they then run through the same cleaner chain as text. Metadata comes from the page's meta tags,
OpenGraph, JSON-LD and ``<title>`` — trafilatura's cheap metadata readers plus htmldate without its
extensive (slow) search.

When trafilatura returns nothing or far too little, jusText (with the stoplist of the page's detected
language, never English by default) takes over, and as a last resort the page's visible text is used;
``Extraction.extractor`` names the path taken and a warning says why.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Iterator
from typing import Any

import attrs

from . import html_comments  # issue 5
from .document import Block
from .normalize import normalize_line

_WS = re.compile(r"\s+")
_HTML_SNIFF = re.compile(
    r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<(?:p|div|span|article|a|br|table|meta|title|script)[\s>/]",
    re.I,
)
#: below this many characters of main content, trafilatura's result counts as "far too little"
MIN_TRAFILATURA_CHARS = 250
#: the largest page handed to the parser (characters); the rest is cut off, with a warning
MAX_HTML_CHARS = 20_000_000

# trafilatura's output elements that run inside a line; every other element separates words
_INLINE = frozenset({"hi", "ref", "del", "span", "b", "i", "em", "strong", "a", "u", "sub", "sup", "small"})
_HEADING_REND = re.compile(r"^h[1-6]$")


def looks_like_html(text: str) -> bool:
    head = text[:65536]
    return len(_HTML_SNIFF.findall(head)) >= 2 or head.lstrip()[:15].lower().startswith(("<!doctype", "<html"))


@attrs.frozen
class Extraction:
    """What :func:`extract` found: blocks, page metadata, the path taken, warnings, upstream removals."""

    blocks: tuple[Block, ...]
    meta: dict[str, Any]
    extractor: str
    warnings: tuple[str, ...] = ()
    upstream_removed: tuple[dict[str, Any], ...] = ()


# ---------------------------------------------------------------- element text


def _collect(element: Any, parts: list[str]) -> None:
    if element.text:
        parts.append(element.text)
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else None
        if tag is not None:  # comments and processing instructions contribute only their tail
            separate = tag not in _INLINE
            if separate:
                parts.append(" | " if tag == "cell" and parts else " ")
            _collect(child, parts)
            if separate:
                parts.append(" ")
        if child.tail:
            parts.append(child.tail)


def element_text(element: Any) -> str:
    """The element's text on one line; child elements that are not inline separate words."""
    parts: list[str] = []
    _collect(element, parts)
    text = _WS.sub(" ", "".join(parts)).strip()
    if text.startswith("|"):
        text = text.lstrip("| ")
    return normalize_line(text)


def _tag(element: Any) -> str:
    return element.tag if isinstance(element.tag, str) else ""


def _elements(root: Any) -> Iterator[tuple[str, Any]]:
    """(block tag, element) for every paragraph-level element of trafilatura's output tree."""
    for child in root:
        tag = _tag(child)
        if tag == "list":
            for item in child.iterchildren("item"):
                yield from _item(item)
        elif tag == "table":
            rows = list(child.iter("row"))
            for row in rows:
                if not any(_tag(a) == "row" for a in row.iterancestors() if a is not child):
                    yield "tr", row
        elif tag == "head":
            rend = str(child.get("rend") or "")
            yield (rend if _HEADING_REND.match(rend) else "h"), child
        elif tag == "quote":
            if any(_tag(c) in {"p", "list", "quote", "table", "head"} for c in child):
                for sub_tag, element in _elements(child):
                    yield ("blockquote" if sub_tag == "p" else sub_tag), element
            else:
                yield "blockquote", child
        elif tag == "div":
            yield from _elements(child)
        elif tag:
            yield ("p" if tag in {"lb", "graphic"} else tag), child


def _item(item: Any) -> Iterator[tuple[str, Any]]:
    """A list item; a nested list is split off into items of its own."""
    nested = [c for c in item if _tag(c) == "list"]
    if not nested:
        yield "li", item
        return
    # the item's own text without the nested lists
    shell = item.makeelement("item", {})
    shell.text = item.text
    for child in item:
        if _tag(child) == "list":
            tail = child.tail
            if tail:
                last = shell[-1] if len(shell) else None
                if last is None:
                    shell.text = (shell.text or "") + " " + tail
                else:
                    last.tail = (last.tail or "") + " " + tail
            continue
        copied = child.__copy__()
        shell.append(copied)
    yield "li", shell
    for sub in nested:
        for sub_item in sub.iterchildren("item"):
            yield from _item(sub_item)


def _blocks(root: Any, zone: str, start: int) -> list[Block]:
    out: list[Block] = []
    if root is None:
        return out
    loose = (root.text or "").strip()
    if loose:
        out.append(Block(start, normalize_line(_WS.sub(" ", loose)), tag="p", zone=zone))
    for tag, element in _elements(root):
        text = element_text(element)
        if text:
            out.append(Block(start + len(out), text, tag=tag, zone=zone))
        tail = (element.tail or "").strip() if element.getparent() is root else ""
        if tail:
            out.append(Block(start + len(out), normalize_line(_WS.sub(" ", tail)), tag="p", zone=zone))
    return out


# ---------------------------------------------------------------- parsing and metadata


def parse(html: str) -> Any:
    """The lxml tree of ``html`` (through trafilatura's tolerant loader), or None."""
    from trafilatura.utils import load_html

    tree = load_html(html)
    if tree is None and "<" in html:
        # trafilatura refuses what looks like a fragment; a wrapper makes it a document
        tree = load_html(f"<html><body><div>{html}</div></body></html>")
    return tree


def _first(*values: Any) -> Any:
    return next((v for v in values if v), None)


def metadata(tree: Any, url: str | None) -> dict[str, Any]:
    """Title, author, date, site, description, url, categories and tags from the page head and JSON-LD.

    trafilatura's cheap readers only: no author search through the page body and no extensive date
    search (they cost more than the whole content extraction).
    """
    from htmldate import find_date
    from trafilatura import metadata as tm

    found = tm.examine_meta(tree)
    if found.author and " " not in found.author:
        found.author = None
    try:
        found = tm.extract_meta_json(tree, found)
    except Exception:  # trafilatura's JSON-LD reader on malformed data
        pass
    title = found.title or tm.extract_title(tree)
    page_url = found.url or tm.extract_url(tree, url)
    try:
        date = find_date(tree, extensive_search=False, original_date=True, url=page_url)
    except Exception:
        date = None
    site = found.sitename or tm.extract_sitename(tree)
    sections = [
        str(e.get("content")).strip()
        for e in tree.xpath('.//head//meta[@property="article:section"][@content]')
        if str(e.get("content") or "").strip()
    ]
    tags: list[str] = []
    for value in [*sections, *(found.categories or []), *(found.tags or [])]:
        for tag in str(value).split(","):
            tag = normalize_line(tag)
            if tag and tag not in tags:
                tags.append(tag)
    meta: dict[str, Any] = {
        "title": normalize_line(title) if title else None,
        "author": normalize_line(found.author) if found.author else None,
        "published": date,
        "site": normalize_line(site.lstrip("@")) if site else None,
        "description": normalize_line(found.description) if found.description else None,
        "url": _first(page_url, url),
        "tags": tags,
    }
    return {k: v for k, v in meta.items() if v}


_SKIP_TEXT = "//body//text()[not(ancestor::script or ancestor::style or ancestor::noscript or ancestor::template)]"


def page_text_size(tree: Any) -> tuple[int, int]:
    """(characters, text segments) of the page's visible text, cheaply (one XPath over text nodes)."""
    chars = segments = 0
    try:
        nodes = tree.xpath(_SKIP_TEXT)
    except Exception:
        return 0, 0
    for node in nodes:
        size = len(_WS.sub(" ", str(node)).strip())
        if size:
            chars += size
            segments += 1
    return chars, segments


def _upstream_summary(tree: Any, blocks: list[Block], extractor: str) -> dict[str, Any] | None:
    page_chars, segments = page_text_size(tree)
    kept = sum(len(b.text) for b in blocks)
    dropped = page_chars - kept
    if page_chars <= 0 or dropped <= 0:
        return None
    share = round(100 * dropped / page_chars)
    return {
        "text": "",
        "kind": "boilerplate",
        "cleaner": extractor,
        "reason": (
            f"{extractor} kept {kept:,} of {page_chars:,} characters of visible page text; about "
            f"{dropped:,} characters ({share}%) of the page's {segments:,} text segments were left out as "
            "page furniture (navigation, sidebars, footers, forms)"
        ),
        "index": -1,
    }


# ---------------------------------------------------------------- extraction


def extract(html: str, *, url: str | None = None, language: str | None = None) -> Extraction:
    """Blocks and metadata from an HTML page; never raises on bad markup.

    ``language`` (ISO 639-1) chooses jusText's stoplist if a fallback is needed; by default the page's
    language is detected.
    """
    import trafilatura

    warnings: list[str] = []
    if len(html) > MAX_HTML_CHARS:
        warnings.append(f"page of {len(html):,} characters cut to the first {MAX_HTML_CHARS:,}")
        html = html[:MAX_HTML_CHARS]
    tree: Any = None
    try:
        tree = parse(html)
    except Exception as exc:  # lxml on hostile markup
        warnings.append(f"the HTML parser failed: {exc!r}")
    if tree is None:
        if not warnings:
            warnings.append("the HTML could not be parsed")
        return _last_resort(html, url, warnings)

    meta: dict[str, Any] = {}
    try:
        meta = metadata(tree, url)
    except Exception as exc:
        warnings.append(f"metadata extraction failed: {exc!r}")
    if url and not meta.get("url"):
        meta["url"] = url

    result = None
    try:
        result = trafilatura.bare_extraction(
            tree, url=meta.get("url") or url, include_comments=True, with_metadata=False, include_tables=True
        )
    except Exception as exc:  # trafilatura/lxml on hostile markup
        warnings.append(f"trafilatura failed: {exc!r}")
    blocks: list[Block] = []
    extractor = "trafilatura"
    if result is not None:
        blocks = _blocks(getattr(result, "body", None), "main", 0)
        blocks += _blocks(getattr(result, "commentsbody", None), "comments", len(blocks))

    main_chars = sum(len(b.text) for b in blocks if b.zone == "main")
    if main_chars < MIN_TRAFILATURA_CHARS:
        if language is None:
            language = page_language(tree)
        fallback = justext_blocks(html, language)
        if sum(len(b.text) for b in fallback) > main_chars:
            comments = [b for b in blocks if b.zone == "comments"]
            blocks = [attrs.evolve(b, index=i) for i, b in enumerate(fallback + comments)]
            extractor = "justext"
            warnings.append(
                f"trafilatura found {main_chars} characters of content; used jusText "
                f"(stoplist: {_STOPLISTS.get(language or '', 'none, language-neutral')})"
            )
    if not blocks:
        visible = _visible_blocks(tree)
        if visible:
            blocks = visible
            extractor = "visible-text"
            warnings.append("neither trafilatura nor jusText found content; kept the page's visible text")

    # issue 5: reader comments read from the DOM (html_comments.py) replace trafilatura's comment zone
    blocks = html_comments.merge(tree, blocks, meta)

    upstream: list[dict[str, Any]] = []
    summary = _upstream_summary(tree, blocks, extractor)
    if summary is not None:
        upstream.append(summary)
    return Extraction(tuple(blocks), meta, extractor, tuple(warnings), tuple(upstream))


def _last_resort(html: str, url: str | None, warnings: list[str]) -> Extraction:
    """The page's text with the tags stripped, for markup no parser accepts."""
    text = _TAGS.sub("\n", _SCRIPTS.sub(" ", html))
    lines = [normalize_line(html_lib.unescape(line)) for line in text.split("\n")]
    blocks = [Block(i, line, tag="p") for i, line in enumerate(x for x in lines if x)]
    warnings.append("kept the page's text with its tags stripped")
    return Extraction(tuple(blocks), {"url": url} if url else {}, "tag-stripping", tuple(warnings))


_VISIBLE_BLOCKS = "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th", "pre", "blockquote", "dd", "dt"


def _visible_blocks(tree: Any) -> list[Block]:
    out: list[Block] = []
    try:
        elements = list(tree.iter(*_VISIBLE_BLOCKS))
    except Exception:
        return out
    for element in elements:
        if any(_tag(a) in _VISIBLE_BLOCKS for a in element.iterancestors()):
            continue
        text = normalize_line(_WS.sub(" ", element.text_content()))
        if text:
            tag = element.tag if element.tag != "td" else "tr"
            out.append(Block(len(out), text, tag=tag, zone="main"))
    return out


# ---------------------------------------------------------------- jusText

_STOPLISTS = {
    "en": "English", "pl": "Polish", "ru": "Russian", "el": "Greek", "de": "German", "fr": "French",
    "es": "Spanish", "it": "Italian", "pt": "Portuguese", "nl": "Dutch", "uk": "Ukrainian", "cs": "Czech",
    "sk": "Slovak", "sv": "Swedish", "da": "Danish", "fi": "Finnish", "hu": "Hungarian", "ro": "Romanian",
    "tr": "Turkish", "bg": "Bulgarian", "hr": "Croatian", "sr": "Serbian", "sl": "Slovenian", "no": "Norwegian_Bokmal",
    "id": "Indonesian", "vi": "Vietnamese", "ar": "Arabic", "fa": "Persian", "he": "Hebrew", "hi": "Hindi",
    "ko": "Korean", "lt": "Lithuanian", "lv": "Latvian", "et": "Estonian", "ca": "Catalan", "af": "Afrikaans",
    "sq": "Albanian", "hy": "Armenian", "eu": "Basque", "be": "Belarusian", "bn": "Bengali", "bs": "Bosnian",
    "eo": "Esperanto", "gl": "Galician", "ka": "Georgian", "gu": "Gujarati", "is": "Icelandic", "ga": "Irish",
    "kn": "Kannada", "kk": "Kazakh", "la": "Latin", "lb": "Luxembourgish", "mk": "Macedonian", "ms": "Malay",
    "ml": "Malayalam", "mt": "Maltese", "mr": "Marathi", "ne": "Nepali", "nn": "Norwegian_Nynorsk",
    "sw": "Swahili", "tl": "Tagalog", "ta": "Tamil", "te": "Telugu", "ur": "Urdu", "uz": "Uzbek", "cy": "Welsh",
}  # fmt: skip


def stoplist(language: str | None) -> frozenset[str]:
    """jusText's stoplist for an ISO 639-1 code; empty (language-neutral) when there is none."""
    import justext

    name = _STOPLISTS.get(language or "")
    return frozenset(justext.get_stoplist(name)) if name else frozenset()


_TAGS = re.compile(r"<[^>]*>", re.S)
_SCRIPTS = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>", re.S | re.I)
_LANG_SAMPLE = "//body//text()[not(ancestor::script or ancestor::style or ancestor::a or ancestor::option)]"


def page_language(tree: Any) -> str | None:
    """The language of the page's running text (langdetect on its longest text nodes)."""
    from .language import detect, sample

    try:
        nodes = [normalize_line(_WS.sub(" ", str(t))) for t in tree.xpath(_LANG_SAMPLE)]
    except Exception:
        return None
    return detect(sample([n for n in nodes if len(n) > 20]))


def justext_blocks(html: str, language: str | None) -> list[Block]:
    """jusText's good paragraphs. Without a stoplist for the language, its stop-word test is switched off."""
    import justext

    words = stoplist(language)
    try:
        paragraphs = justext.justext(
            html, words, stopwords_low=0.2 if words else 0.0, stopwords_high=0.3 if words else 0.0
        )
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

