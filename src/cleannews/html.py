"""HTML to blocks: trafilatura for the main content, readability as its check, jusText as fallback.

The page is parsed once (lxml, through trafilatura's tolerant loader). Then:

1. **Metadata** from the page head, OpenGraph, JSON-LD and ``<title>`` (trafilatura's cheap readers) and
   the date from htmldate without its extensive, slow search.
2. **trafilatura** (fast mode, favouring recall; no internal fallbacks) gives the paragraphs,
   headings, list items, quotes and table rows of the main content (comment sections pruned: reader
   comments are read from the DOM by :mod:`.html_comments`).
3. **readability** (trafilatura's fork) is the second opinion, and :func:`choose` decides:

   - readability found clearly more and its text contains trafilatura's → readability's blocks;
   - trafilatura found far too little and readability does not back it → jusText, with the stoplist
     of the page's detected language (language-neutral when jusText has none — never English by
     default);
   - otherwise trafilatura's blocks, *checked*: blocks before or after the region both extractors
     agree on are kept only when they read like prose (a heading above the story stays); the
     others — link lists, teaser lines after the story — are dropped and recorded.
4. As a last resort (nothing found, or markup no parser takes) the page's visible text is kept.

``Extraction.extractor`` names the path taken, a warning says why a fallback was used, and
``Extraction.upstream_removed`` records what was dropped before the cleaner chain: every block the
check dropped, and one summary of the page text trafilatura left out.
"""

from __future__ import annotations

import html as html_lib
import logging
import re
from collections.abc import Iterator, Sequence
from copy import deepcopy
from functools import lru_cache
from typing import Any

import attrs

from . import html_comments  # issue 5
from .document import Block
from .normalize import normalize_line

# the extractors log every page they give up on; their failures reach the Article as warnings instead
# (a NullHandler keeps Python's last-resort handler from printing them; an application's logging
# configuration still sees them)
for _logger in ("trafilatura", "htmldate", "justext", "courlan"):
    logging.getLogger(_logger).addHandler(logging.NullHandler())

_WS = re.compile(r"\s+")
_HTML_SNIFF = re.compile(
    r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<(?:p|div|span|article|a|br|table|meta|title|script)[\s>/]",
    re.I,
)
#: below this many characters of main content, trafilatura's result counts as "far too little"
MIN_TRAFILATURA_CHARS = 250
#: the largest page handed to the parser (characters); the rest is cut off, with a warning
MAX_HTML_CHARS = 20_000_000
#: characters of text langdetect sees (the longest blocks first)
LANGUAGE_SAMPLE = 300

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
    #: the language detected on the extracted text (ISO 639-1), if any
    language: str | None = None


# ---------------------------------------------------------------- trafilatura's output tree to blocks


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
    if all(isinstance(d.tag, str) and d.tag in _INLINE for d in element.iterdescendants()):
        text = " ".join("".join(element.itertext()).split())  # inline markup only: lxml joins it
    else:
        parts: list[str] = []
        _collect(element, parts)
        text = _WS.sub(" ", "".join(parts)).strip()
    if text.startswith("|"):
        text = text.lstrip("| ")
    return normalize_line(text)


def _tag(element: Any) -> str:
    return element.tag if isinstance(element.tag, str) else ""


def _elements(root: Any, groups: list[int] | None = None) -> Iterator[tuple[str, Any, dict[str, Any]]]:
    """(block tag, element, structure fields) for every paragraph-level element of trafilatura's output
    tree; ``groups`` counts the lists and tables met so far (their blocks' ``group``)."""
    groups = [0] if groups is None else groups
    for child in root:
        tag = _tag(child)
        if tag == "list":
            groups[0] += 1
            for item in child.iterchildren("item"):
                yield from _item(item, 1, child.get("rend") == "ol", groups)
        elif tag == "table":
            groups[0] += 1
            for row in child.iter("row"):
                if not any(_tag(a) == "row" for a in row.iterancestors() if a is not child):
                    cells = [c for c in row if _tag(c) == "cell"]
                    yield "tr", row, {"cells": tuple(element_text(c) for c in cells), "group": groups[0],
                                      "header": bool(cells) and all(c.get("role") == "head" for c in cells)}  # fmt: skip
        elif tag == "head":
            rend = str(child.get("rend") or "")
            yield (rend if _HEADING_REND.match(rend) else "h"), child, {}
        elif tag == "quote":
            if any(_tag(c) in {"p", "list", "quote", "table", "head"} for c in child):
                for sub_tag, element, extra in _elements(child, groups):
                    yield ("blockquote" if sub_tag == "p" else sub_tag), element, extra
            else:
                yield "blockquote", child, {}
        elif tag == "div":
            yield from _elements(child, groups)
        elif tag:
            yield ("p" if tag in {"lb", "graphic"} else "pre" if tag == "code" else tag), child, {}


def _item(item: Any, depth: int, ordered: bool, groups: list[int]) -> Iterator[tuple[str, Any, dict[str, Any]]]:
    """A list item; a nested list is split off into items of its own, one level deeper."""
    nested = [c for c in item if _tag(c) == "list"]
    fields = {"depth": depth, "ordered": ordered, "group": groups[0]}
    if not nested:
        yield "li", item, fields
        return
    shell = item.makeelement("item", {})
    shell.text = item.text
    for child in item:
        if _tag(child) == "list":
            if child.tail:
                if len(shell):
                    shell[-1].tail = (shell[-1].tail or "") + " " + child.tail
                else:
                    shell.text = (shell.text or "") + " " + child.tail
            continue
        shell.append(deepcopy(child))
    yield "li", shell, fields
    for sub in nested:
        for sub_item in sub.iterchildren("item"):
            yield from _item(sub_item, depth + 1, sub.get("rend") == "ol", groups)


def _blocks(root: Any, zone: str, start: int) -> list[Block]:
    out: list[Block] = []
    if root is None:
        return out
    loose = (root.text or "").strip()
    if loose:
        out.append(Block(start, normalize_line(_WS.sub(" ", loose)), tag="p", zone=zone))
    for tag, element, extra in _elements(root):
        text = element_text(element)
        if text:
            out.append(Block(start + len(out), text, tag=tag, zone=zone, **extra))
        tail = (element.tail or "").strip() if element.getparent() is root else ""
        if tail:
            out.append(Block(start + len(out), normalize_line(_WS.sub(" ", tail)), tag="p", zone=zone))
    return out


# ---------------------------------------------------------------- any HTML tree to blocks

_BLOCK_ELEMENTS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "center", "dd", "details", "div", "dl", "dt",
        "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
        "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "tfoot",
        "thead", "tr", "ul",
    }
)  # fmt: skip
_KEEP_TAG = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "li", "pre", "blockquote", "dd", "dt"})
_SKIP_ELEMENTS = frozenset({"script", "style", "noscript", "template", "head", "title", "select", "option"})


def html_blocks(root: Any, zone: str = "main") -> list[Block]:
    """The text of an HTML tree split at block-level elements: one block per paragraph, heading, list
    item, table row…, text directly inside a ``div`` included."""
    from lxml import etree

    out: list[Block] = []
    parts: list[str] = []
    current = ["p"]
    skipping = 0

    def flush() -> None:
        text = normalize_line(_WS.sub(" ", "".join(parts))).lstrip("| ")
        parts.clear()
        if text:
            out.append(Block(len(out), text, tag=current[0], zone=zone))

    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = _tag(element).lower()
        if event == "start":
            if tag in _SKIP_ELEMENTS or not tag:
                skipping += 1
                continue
            if skipping:
                continue
            if tag in _BLOCK_ELEMENTS:
                flush()
                current[0] = tag if tag in _KEEP_TAG else ("tr" if tag == "tr" else "p")
            elif tag in {"td", "th"}:
                parts.append(" | ")
            if element.text:
                parts.append(element.text)
        else:
            if tag in _SKIP_ELEMENTS or not tag:
                skipping -= 1
            elif not skipping and tag in _BLOCK_ELEMENTS:
                flush()
                current[0] = "p"
            if not skipping and element.tail:
                parts.append(element.tail)
    flush()
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


def metadata(tree: Any, url: str | None) -> dict[str, Any]:
    """Title, authors, dates, site, section, tags, description, image, canonical URL, language and each
    value's source: see :func:`cleannews.metadata.html.metadata`."""
    from .metadata.html import metadata as read

    return read(tree, url)


def page_text_size(tree: Any) -> int:
    """Characters of visible text in the page body (white space collapsed) — cheaply, roughly."""
    try:
        body = tree.find(".//body")
        if body is None:
            return 0
        chars = float(body.xpath("string-length(normalize-space(.))"))
        for hidden in body.iter("script", "style", "noscript", "template"):
            if hidden.text and hidden.text.strip():
                chars -= len(" ".join(hidden.text.split())) + 1
    except Exception:
        return 0
    return max(0, int(chars))


def _upstream_summary(page_chars: int, blocks: Sequence[Block], extractor: str) -> dict[str, Any] | None:
    kept = sum(len(b.text) + 1 for b in blocks)
    dropped = page_chars - kept
    if page_chars <= 0 or dropped <= 0:
        return None
    share = round(100 * dropped / page_chars)
    return {
        "text": "",
        "kind": "boilerplate",
        "cleaner": extractor,
        "reason": (
            f"{extractor} kept {len(blocks):,} blocks, {kept:,} of the page's {page_chars:,} characters of "
            f"visible text; the other {dropped:,} characters ({share}%) were page furniture (navigation, "
            "sidebars, footers, forms), not recorded block by block"
        ),
        "index": -1,
    }


# ---------------------------------------------------------------- the second opinions


def _body_copy(tree: Any) -> Any:
    """A copy of the page's ``<body>`` in an ``<html>`` element (the head is not worth copying)."""
    body = tree.find(".//body")
    if body is None:
        return deepcopy(tree)
    root = tree.makeelement("html", {})
    root.append(deepcopy(body))
    return root


def readability_article(tree: Any) -> Any:
    """readability's article as an lxml tree, or None; ``tree`` is consumed (readability edits it)."""
    try:
        from lxml import html as lxml_html
        from trafilatura.readability_lxml import Document as Readability

        summary = Readability(tree, min_text_length=25).summary()
        if not summary or not summary.strip():
            return None
        return lxml_html.fromstring(summary)
    except Exception:  # a missing fork or hostile markup: no second opinion
        return None


def _tree_text(root: Any) -> str:
    """The text of a tree, a line break after each block-level element (inline elements run on)."""
    if root is None:
        return ""
    for element in root.iter(*_BLOCK_ELEMENTS):
        element.tail = "\n" + element.tail if element.tail else "\n"
    return normalize_line(root.text_content())


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


@lru_cache(maxsize=32)
def stoplist(language: str | None) -> frozenset[str]:
    """jusText's stoplist for an ISO 639-1 code; empty (language-neutral) when there is none."""
    import justext

    name = _STOPLISTS.get(language or "")
    return frozenset(justext.get_stoplist(name)) if name else frozenset()


def stoplist_name(language: str | None) -> str:
    return _STOPLISTS.get(language or "", "none (language-neutral)")


def justext_blocks(page: Any, language: str | None) -> list[Block]:
    """jusText's good paragraphs of ``page`` (an HTML string, or a parsed tree, which is consumed).

    The stoplist is the language's; without one (Chinese, Japanese…) the stop-word test is switched
    off rather than run with English words. A tree loses its comment sections first, so that jusText
    does not take a discussion for the article.
    """
    import justext
    from justext.core import ParagraphMaker, classify_paragraphs, revise_paragraph_classification

    words = stoplist(language)
    low, high = (0.2, 0.3) if words else (0.0, 0.0)
    try:
        if isinstance(page, str):
            paragraphs = justext.justext(page, words, stopwords_low=low, stopwords_high=high)
        else:
            paragraphs = ParagraphMaker.make_paragraphs(_without_comments(page))
            classify_paragraphs(paragraphs, words, 70, 200, low, high, 0.2, False)
            revise_paragraph_classification(paragraphs, 200)
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


def _without_comments(tree: Any) -> Any:
    """The tree without trafilatura's "basic cleaning" sections and comment sections (best effort)."""
    try:
        from trafilatura.baseline import basic_cleaning
        from trafilatura.htmlprocessing import prune_unwanted_nodes
        from trafilatura.xpaths import REMOVE_COMMENTS_XPATH

        return prune_unwanted_nodes(basic_cleaning(tree), REMOVE_COMMENTS_XPATH)
    except Exception:  # trafilatura internals moved: jusText sees the whole page
        return tree


_LANG_SAMPLES = (
    "//p//text()",  # paragraphs first: cheap (no ancestor test) and the likeliest prose
    "//body//text()[not(ancestor::script or ancestor::style or ancestor::a or ancestor::option)]",
)


def page_language(tree: Any) -> str | None:
    """The language of the page's running text (langdetect on its longest text nodes)."""
    from .language import detect, sample

    texts: list[str] = []
    for query in _LANG_SAMPLES:
        try:
            nodes = [normalize_line(_WS.sub(" ", str(t))) for t in tree.xpath(query)]
        except Exception:
            break
        texts = [n for n in nodes if len(n) > 20]
        if sum(map(len, texts)) >= 100:
            break
    return detect(sample(texts, LANGUAGE_SAMPLE)) if texts else None


# ---------------------------------------------------------------- choosing


_SENTENCE_END = re.compile(r"[.!?。！？;:]['\"”’»)\]]*$")
_ELLIPSIS = re.compile(r"(?:\.\.\.|…)['\"”’»)\]]*$")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def _key(text: str) -> str:
    """Case- and white-space-free form of a text, for "is this block inside that text" tests (without
    the "|" that separates the cells of a table row)."""
    return "".join(text.casefold().replace("|", " ").split())


def _shingles(text: str) -> set[tuple[str, ...]]:
    tokens = text.casefold().split()
    if len(tokens) < 4:
        return {tuple(tokens)} if tokens else set()
    return set(zip(tokens, tokens[1:], tokens[2:], tokens[3:], strict=False))


def _contained(a: set[tuple[str, ...]], b: set[tuple[str, ...]]) -> float:
    return len(a & b) / len(a) if a else 0.0


@attrs.frozen
class Check:
    """How trafilatura's and readability's results compare, and the thresholds of the choice."""

    #: readability wins when it is this much longer and holds this share of trafilatura's text
    longer: float = 1.5
    contains: float = 0.7
    #: below this share of the page text (and this many characters), trafilatura "found too little"
    short_share: float = 0.2
    short_chars: int = 3000
    #: jusText replaces a too-short result (below this many characters) when it is this much longer
    justext_below: int = 1000
    justext_longer: float = 2.0
    #: readability's result is used for the check only when it has this many characters…
    min_readability: int = 200
    #: …and this share of trafilatura's
    min_readability_share: float = 0.1
    #: a prose block: this many words (this many characters in CJK scripts), a sentence end,
    #: and this share of stop words (when the language has a stoplist)
    prose_words: int = 12
    prose_cjk_chars: int = 60
    prose_stopwords: float = 0.2
    #: trafilatura's result is checked when it holds less than this share of the page text
    checked_share: float = 0.5


def is_prose(text: str, words: frozenset[str], check: Check) -> bool:
    """A paragraph of running text: long enough, ends a sentence (not with "…"), and, when the
    language has a stoplist, with the stop-word share of prose."""
    if not _SENTENCE_END.search(text) or _ELLIPSIS.search(text):
        return False
    if len(_CJK.findall(text[:200])) > 0.3 * len(text[:200]):
        return len(text) >= check.prose_cjk_chars
    tokens = text.split()
    if len(tokens) < check.prose_words:
        return False
    if words:
        stop = sum(1 for t in tokens if t.strip(".,;:!?\"'()[]«»“”‘’").casefold() in words)
        return stop >= check.prose_stopwords * len(tokens)
    return True


def needs_second_opinion(main: list[Block], page_chars: int, language: str | None, check: Check = Check()) -> bool:
    """Whether readability could change trafilatura's result: it is short, or covers at most half of the
    page text, or it ends in what the check drops (two or more blocks that are not prose after its last
    paragraph). Otherwise the check is skipped: on the dev sets it then changes nothing worth its cost
    (a fifth of the extraction's)."""
    chars = sum(len(b.text) for b in main)
    if chars < MIN_TRAFILATURA_CHARS or chars < check.checked_share * page_chars:
        return True
    words = stoplist(language)
    return len(main) >= 2 and not any(is_prose(b.text, words, check) for b in main[-2:])


@attrs.frozen
class Choice:
    blocks: tuple[Block, ...]
    extractor: str
    dropped: tuple[tuple[Block, str], ...] = ()
    warning: str | None = None


def choose(
    main: list[Block],
    second: Any,
    *,
    page_chars: int,
    language: str | None,
    page: Any,
    check: Check = Check(),
) -> Choice:
    """trafilatura's main blocks, readability's (``second``: its article tree), jusText's, or
    trafilatura's checked by readability."""
    main_text = "\n".join(b.text for b in main)
    second_text = _tree_text(second)
    lf, lr = len(main_text), len(second_text)
    short = lf < check.short_share * page_chars and lf < check.short_chars
    longer = lr > check.longer * lf and lr >= check.min_readability
    if not (longer or short or lf < MIN_TRAFILATURA_CHARS):  # the overlap is not needed: spare it
        return _checked(main, second_text, lr, lf, language, check)
    sf, sr = _shingles(main_text), _shingles(second_text)
    f_in_r, r_in_f = _contained(sf, sr), _contained(sr, sf)
    agree = f_in_r >= check.contains and r_in_f >= check.contains

    if longer and (f_in_r >= check.contains or lf < MIN_TRAFILATURA_CHARS):
        found = f"trafilatura found {lf:,} characters" if lf else "trafilatura found nothing"
        held = " that hold them" if lf >= MIN_TRAFILATURA_CHARS else ""
        return Choice(
            tuple(html_blocks(second)),
            "readability",
            warning=f"{found}, readability {lr:,}{held}; used readability",
        )
    if (short or lf < MIN_TRAFILATURA_CHARS) and lf < check.justext_below and not agree:
        backed = r_in_f >= check.contains and lr >= 0.5 * lf
        if not backed:
            fallback = justext_blocks(_body_copy(page) if not isinstance(page, str) else page, language)
            lj = sum(len(b.text) + 1 for b in fallback)
            if lj > check.justext_longer * lf:
                return Choice(
                    tuple(fallback),
                    "justext",
                    warning=(
                        f"trafilatura found {lf:,} of the page's {page_chars:,} characters; used jusText "
                        f"({lj:,}; stoplist: {stoplist_name(language)})"
                    ),
                )
    return _checked(main, second_text, lr, lf, language, check)


def _checked(main: list[Block], second_text: str, lr: int, lf: int, language: str | None, check: Check) -> Choice:
    """trafilatura's blocks without the non-prose blocks outside the region readability confirms."""
    if lr < check.min_readability or lr < check.min_readability_share * lf:
        return Choice(tuple(main), "trafilatura")
    confirmed_text = _key(second_text)
    confirmed = [bool(key) and key in confirmed_text for key in (_key(b.text) for b in main)]
    inside = [i for i, yes in enumerate(confirmed) if yes]
    if not inside:
        return Choice(tuple(main), "trafilatura")
    first, last = inside[0], inside[-1]
    words = stoplist(language)
    prose = [is_prose(b.text, words, check) if not confirmed[i] else True for i, b in enumerate(main)]
    end = next((i for i in range(len(main) - 1, last, -1) if prose[i]), last)
    kept: list[Block] = []
    dropped: list[tuple[Block, str]] = []
    for i, block in enumerate(main):
        if confirmed[i] or first < i <= end or (i < first and (prose[i] or block.tag not in {"li", "tr"})):
            kept.append(block)
        elif i < first:
            dropped.append((block, "a list item above the article region readability confirms"))
        else:
            dropped.append((block, "after the article region readability confirms, and no prose follows"))
    if not dropped:
        return Choice(tuple(main), "trafilatura")
    return Choice(tuple(kept), "trafilatura", tuple(dropped))


# ---------------------------------------------------------------- extraction


def extract(html: str, *, url: str | None = None, language: str | None = None) -> Extraction:
    """Blocks and metadata from an HTML page; never raises on bad markup.

    ``language`` (ISO 639-1) skips language detection (it chooses jusText's stoplist and the prose
    test's stop words).
    """
    import trafilatura

    from .language import detect, sample

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
        # fast: trafilatura's own fallbacks are replaced by the check below, which also prunes what
        # recall mode lets in (together better than the default balanced mode on all three dev sets,
        # and cheaper: recall mode skips the retry of short results). Comments: trafilatura only prunes
        # the comment sections from the main content; the comments themselves are read from the DOM
        # (html_comments, below) — cheaper, and measured better on body F1 and comment leak. Output
        # "xml" skips the conversion of the result to plain text (only its element trees are used).
        result = trafilatura.bare_extraction(
            tree,
            url=meta.get("url") or url,
            fast=True,
            favor_recall=True,
            include_comments=False,
            with_metadata=False,
            include_tables=True,
            output_format="xml",
        )
    except Exception as exc:  # trafilatura/lxml on hostile markup
        warnings.append(f"trafilatura failed: {exc!r}")
    main: list[Block] = []
    comments: list[Block] = []
    if result is not None:
        main = _blocks(getattr(result, "body", None), "main", 0)
        comments = _blocks(getattr(result, "commentsbody", None), "comments", 0)
    page_chars = page_text_size(tree)

    if language is None:
        texts = [b.text for b in main if len(b.text) > 20]
        language = detect(sample(texts, LANGUAGE_SAMPLE)) if sum(map(len, texts)) >= 100 else page_language(tree)
    if needs_second_opinion(main, page_chars, language):
        # readability edits its tree: it gets a copy, the original stays for the comments reader
        second = readability_article(_body_copy(tree))
        choice = choose(main, second, page_chars=page_chars, language=language, page=tree)
    else:
        choice = Choice(tuple(main), "trafilatura")
    chosen = list(choice.blocks)
    extractor = choice.extractor
    if choice.warning:
        warnings.append(choice.warning)
    if not chosen and not comments:
        visible = html_blocks(tree)
        if visible:
            chosen = visible
            extractor = "visible-text"
            warnings.append("no extractor found the article; kept the page's visible text")
    blocks = [attrs.evolve(b, index=i, zone="main") for i, b in enumerate(chosen)]
    blocks += [attrs.evolve(b, index=len(blocks) + i) for i, b in enumerate(comments)]

    # issue 5: reader comments read from the DOM (html_comments.py) replace trafilatura's comment zone
    try:
        blocks = html_comments.merge(tree, blocks, meta)
    except Exception as exc:  # a bug there must not cost the article
        warnings.append(f"reading the comments from the page failed: {exc!r}")

    upstream: list[dict[str, Any]] = [
        {"text": block.text, "kind": "boilerplate", "cleaner": "readability-check", "reason": reason, "index": -1}
        for block, reason in choice.dropped
    ]
    summary = _upstream_summary(page_chars, blocks, extractor)
    if summary is not None:
        upstream.append(summary)
    return Extraction(tuple(blocks), meta, extractor, tuple(warnings), tuple(upstream), language)


_TAGS = re.compile(r"<[^>]*>", re.S)
_SCRIPTS = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>", re.S | re.I)


def _last_resort(html: str, url: str | None, warnings: list[str]) -> Extraction:
    """The page's text with the tags stripped, for markup no parser accepts."""
    text = _TAGS.sub("\n", _SCRIPTS.sub(" ", html))
    lines = [normalize_line(html_lib.unescape(line)) for line in text.split("\n")]
    blocks = [Block(i, line, tag="p") for i, line in enumerate(x for x in lines if x)]
    warnings.append("kept the page's text with its tags stripped")
    return Extraction(tuple(blocks), {"url": url} if url else {}, "tag-stripping", tuple(warnings))
