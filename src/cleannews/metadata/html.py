"""Metadata from an HTML page, every source read and each value's source recorded.

Sources (see :mod:`.candidates` for their precedence):

- ``h1``: the page's headline element (:func:`headline`), and under it the visible ``byline`` — the
  author and date lines of the article (``By …``, elements marked as byline, author or date,
  ``<time>``);
- ``json-ld``: the article object of the page's JSON-LD (``@graph`` and nested objects included; an
  author that is an organisation is ``json-ld-organization``);
- ``microdata``: ``itemprop`` values (``author``, ``datePublished`` …);
- ``parsely``: parse.ly's ``parsely-page`` object and ``parsely-*`` meta tags;
- ``opengraph``: ``og:*`` and ``article:*``; ``meta``: other named meta tags (``author``, ``dc.*``,
  ``sailthru.*``, ``citation_*`` …); ``link``: ``<link rel="canonical">``; ``html``: ``<html lang>``;
  ``title-element``: ``<title>``;
- ``url``: a date in the page's URL; ``htmldate``: htmldate's reading of the page (its quick search).
"""

from __future__ import annotations

import calendar
import json
import re
from collections.abc import Iterator
from typing import Any

import attrs

from ..dates import MONTHS
from ..normalize import normalize_line
from .candidates import Candidate, Merged, merge
from .text import name_shaped
from .values import author_names, clean_text, iso_date

_WS = re.compile(r"\s+")

# ---------------------------------------------------------------- JSON-LD

#: JSON-LD types that are the article itself (lower case)
ARTICLE_TYPES = frozenset(
    [
        "article",
        "newsarticle",
        "blogposting",
        "reportagenews",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "reviewnewsarticle",
        "backgroundnewsarticle",
        "askpublicnewsarticle",
        "livblogposting",
        "liveblogposting",
        "socialmediaposting",
        "discussionforumposting",
        "techarticle",
        "scholarlyarticle",
        "report",
        "review",
        "recipe",
        "howto",
        "medicalwebpage",
        "medicalscholarlyarticle",
        "advertisercontentarticle",
        "satiricalarticle",
        "posting",
        "creativework",
    ]
)
PAGE_TYPES = frozenset({"webpage", "itempage", "aboutpage", "collectionpage", "faqpage", "qapage"})
ORGANIZATION_TYPES = frozenset({"organization", "newsmediaorganization", "corporation", "localbusiness", "brand"})
_JSON_CLEAN = re.compile(r"^\s*(?:<!--|//\s*<!\[CDATA\[|<!\[CDATA\[)|(?:-->|//\s*\]\]>|\]\]>)\s*$")
_TRAILING_COMMA = re.compile(r",\s*([}\]])")


def _json_objects(text: str) -> list[Any]:
    """The JSON values in a script (lenient: comments and CDATA around it, trailing commas, raw control
    characters in strings, several values in a row)."""
    text = _JSON_CLEAN.sub("", text.strip())
    decoder = json.JSONDecoder(strict=False)
    for attempt in (text, _TRAILING_COMMA.sub(r"\1", text)):
        out: list[Any] = []
        at = 0
        try:
            while at < len(attempt):
                while at < len(attempt) and attempt[at] in " \t\r\n;":
                    at += 1
                if at >= len(attempt):
                    break
                value, at = decoder.raw_decode(attempt, at)
                out.append(value)
            return out
        except ValueError:
            if out:
                return out
    return []


def _types(node: dict[str, Any]) -> set[str]:
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).rsplit("/", 1)[-1].lower() for k in kinds if isinstance(k, str)}


def _walk(value: Any, depth: int = 0) -> Iterator[tuple[dict[str, Any], int]]:
    """Every object in a JSON-LD value with its nesting depth (a ``@graph``'s members count as top level)."""
    if depth > 12:
        return
    if isinstance(value, list):
        for item in value:
            yield from _walk(item, depth)
    elif isinstance(value, dict):
        yield value, depth
        for key, item in value.items():
            if isinstance(item, dict | list):
                yield from _walk(item, depth if key == "@graph" else depth + 1)


def _text_of(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value") or value.get("url")
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str | dict)), None)
        return _text_of(value) if value is not None else None
    return clean_text(value)


def _image(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("url") or value.get("contentUrl") or value.get("@id")
    return clean_text(value)


def _people(value: Any, index: dict[str, dict[str, Any]]) -> tuple[list[str], list[str]]:
    """(people's names, organisations' names) of a JSON-LD ``author``."""
    people: list[str] = []
    organisations: list[str] = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, dict) and set(item) <= {"@id", "@type"} and item.get("@id") in index:
            item = index[str(item["@id"])]
        if isinstance(item, str):
            people += author_names(item)
            continue
        if not isinstance(item, dict):
            continue
        name = item.get("name")
        if not name and (item.get("givenName") or item.get("familyName")):
            name = f"{item.get('givenName') or ''} {item.get('familyName') or ''}"
        if isinstance(name, list):
            name = ", ".join(str(n) for n in name)
        names = author_names(name) if name else []
        (organisations if _types(item) & ORGANIZATION_TYPES else people).extend(names)
    return people, organisations


def _url_key(url: str | None) -> str:
    return re.sub(r"^https?://(www\.)?|[?#].*$|/$", "", (url or "").strip().lower())


def read_json_ld(tree: Any, url: str | None) -> list[Candidate]:
    """Candidates from the page's JSON-LD: its article object (the one whose URL is the page's, else the
    least nested one with a headline), the web site's name and the page object's dates."""
    nodes: list[tuple[dict[str, Any], int]] = []
    for script in tree.iterfind(".//script[@type]"):
        if "ld+json" in str(script.get("type") or "").lower() and script.text:
            for value in _json_objects(script.text):
                nodes.extend(_walk(value))
    if not nodes:
        return []
    index = {str(n["@id"]): n for n, _ in nodes if isinstance(n.get("@id"), str) and len(n) > 2}
    page_key = _url_key(url)
    articles: list[tuple[int, int, dict[str, Any]]] = []
    pages: list[dict[str, Any]] = []
    out: list[Candidate] = []
    for n, (node, depth) in enumerate(nodes):
        types = _types(node)
        if types & ARTICLE_TYPES:
            own = {_url_key(_text_of(node.get(k))) for k in ("url", "@id", "mainEntityOfPage")}
            matches = bool(page_key) and page_key in own
            articles.append((0 if matches else 1 + depth + (0 if node.get("headline") else 5), n, node))
        elif types & PAGE_TYPES:
            pages.append(node)
        elif "website" in types:
            out.append(Candidate("site", _text_of(node.get("name")), "json-ld:WebSite"))
    for article in [min(articles, key=lambda a: a[:2])[2]] if articles else pages[:1]:
        kind = "/".join(sorted(_types(article)))
        source = f"json-ld:{kind}"
        out.append(Candidate("headline", _text_of(article.get("headline") or article.get("name")), source))
        people, organisations = _people(article.get("author") or article.get("creator"), index)
        out.append(Candidate("authors", people, source))
        out.append(Candidate("authors", organisations, f"json-ld-organization:{kind}"))
        published = article.get("datePublished") or article.get("dateCreated") or article.get("uploadDate")
        out.append(Candidate("published", iso_date(_text_of(published)), source))
        out.append(Candidate("modified", iso_date(_text_of(article.get("dateModified"))), source))
        publisher = article.get("publisher")
        if isinstance(publisher, dict) and set(publisher) <= {"@id", "@type"}:
            publisher = index.get(str(publisher.get("@id")), publisher)
        out.append(Candidate("site", _text_of(publisher), source))
        section = article.get("articleSection")
        out.append(Candidate("section", _text_of(section), source))
        out.append(Candidate("tags", _keywords(article.get("keywords")), source))
        out.append(Candidate("description", _text_of(article.get("description")), source))
        out.append(Candidate("image", _image(article.get("image") or article.get("thumbnailUrl")), source))
        out.append(Candidate("language", _text_of(article.get("inLanguage")), source))
        out.append(Candidate("canonical", _text_of(article.get("mainEntityOfPage") or article.get("url")), source))
    for page in pages[:1]:
        out.append(Candidate("published", iso_date(_text_of(page.get("datePublished"))), "json-ld:WebPage"))
        out.append(Candidate("modified", iso_date(_text_of(page.get("dateModified"))), "json-ld:WebPage"))
    return out


def _keywords(value: Any) -> list[str]:
    items = value if isinstance(value, list) else str(value or "").split(",")
    out: list[str] = []
    for item in items:
        text = clean_text(item, 100)
        if text and text not in out:
            out.append(text)
    return out


# ---------------------------------------------------------------- meta tags

#: meta name/property (lower case) -> (field, source kind)
META: dict[str, tuple[str, str]] = {
    "og:title": ("headline", "opengraph"),
    "twitter:title": ("headline", "meta"),
    "dc.title": ("headline", "meta"),
    "parsely-title": ("headline", "parsely"),
    "sailthru.title": ("headline", "meta"),
    "author": ("authors", "meta"),
    "byl": ("authors", "meta"),
    "dc.creator": ("authors", "meta"),
    "dcterms.creator": ("authors", "meta"),
    "sailthru.author": ("authors", "meta"),
    "citation_author": ("authors", "meta"),
    "cxenseparse:author": ("authors", "meta"),
    "parsely-author": ("authors", "parsely"),
    "article:author": ("authors", "opengraph"),
    "og:article:author": ("authors", "opengraph"),
    "article:published_time": ("published", "opengraph"),
    "og:article:published_time": ("published", "opengraph"),
    "og:published_time": ("published", "opengraph"),
    "parsely-pub-date": ("published", "parsely"),
    "datepublished": ("published", "meta"),
    "dc.date": ("published", "meta"),
    "dc.date.issued": ("published", "meta"),
    "dc.date.created": ("published", "meta"),
    "dcterms.created": ("published", "meta"),
    "dcterms.issued": ("published", "meta"),
    "dcterms.date": ("published", "meta"),
    "date": ("published", "meta"),
    "pubdate": ("published", "meta"),
    "publishdate": ("published", "meta"),
    "publish-date": ("published", "meta"),
    "publish_date": ("published", "meta"),
    "published_time": ("published", "meta"),
    "sailthru.date": ("published", "meta"),
    "citation_publication_date": ("published", "meta"),
    "citation_date": ("published", "meta"),
    "article.published": ("published", "meta"),
    "release_date": ("published", "meta"),
    "article:modified_time": ("modified", "opengraph"),
    "og:updated_time": ("modified", "opengraph"),
    "datemodified": ("modified", "meta"),
    "dcterms.modified": ("modified", "meta"),
    "last-modified": ("modified", "meta"),
    "og:site_name": ("site", "opengraph"),
    "application-name": ("site", "meta"),
    "dc.publisher": ("site", "meta"),
    "og:description": ("description", "opengraph"),
    "description": ("description", "meta"),
    "twitter:description": ("description", "meta"),
    "dc.description": ("description", "meta"),
    "og:image": ("image", "opengraph"),
    "og:image:url": ("image", "opengraph"),
    "og:image:secure_url": ("image", "opengraph"),
    "twitter:image": ("image", "meta"),
    "twitter:image:src": ("image", "meta"),
    "article:section": ("section", "opengraph"),
    "og:article:section": ("section", "opengraph"),
    "parsely-section": ("section", "parsely"),
    "article:tag": ("tags", "opengraph"),
    "og:article:tag": ("tags", "opengraph"),
    "news_keywords": ("tags", "meta"),
    "keywords": ("tags", "meta"),
    "parsely-tags": ("tags", "parsely"),
    "sailthru.tags": ("tags", "meta"),
    "og:url": ("canonical", "opengraph"),
    "og:locale": ("language", "opengraph"),
    "dc.language": ("language", "meta"),
    "content-language": ("language", "meta"),
}
_URL_VALUE = re.compile(r"^(?:https?:)?//|^/[\w-]+/")


def read_meta(tree: Any) -> list[Candidate]:
    """Candidates from the meta tags (OpenGraph, ``article:*``, ``dc.*``, parse.ly …), the canonical
    link, ``<html lang>`` and ``<title>``."""
    out: list[Candidate] = []
    lists: dict[tuple[str, str], list[str]] = {}
    for meta in tree.iter("meta"):
        key = str(meta.get("property") or meta.get("name") or meta.get("itemprop") or meta.get("http-equiv") or "")
        key = key.strip().lower()
        content = meta.get("content")
        if not key or content is None:
            continue
        if key == "parsely-page":
            out += _parsely_page(str(content))
            continue
        found = META.get(key)
        if found is None:
            continue
        field, kind = found
        source = f"{kind}:{key}"
        if field == "authors":
            if not _URL_VALUE.match(str(content).strip()):
                lists.setdefault((field, source), []).extend(author_names(content))
        elif field == "tags":
            lists.setdefault((field, source), []).extend(_keywords(content))
        elif field in ("published", "modified"):
            out.append(Candidate(field, iso_date(content), source))
        else:
            out.append(Candidate(field, clean_text(content), source))
    for (field, source), values in lists.items():
        out.append(Candidate(field, list(dict.fromkeys(values)), source))
    for link in tree.iterfind(".//link[@rel]"):
        if "canonical" in str(link.get("rel")).lower().split():
            out.append(Candidate("canonical", clean_text(link.get("href")), "link:canonical"))
            break
    root = tree.getroottree().getroot() if hasattr(tree, "getroottree") else tree
    out.append(Candidate("language", clean_text(root.get("lang") or root.get("xml:lang")), "html:lang"))
    title = tree.find(".//head/title")
    if title is None:
        title = tree.find(".//title")
    if title is not None:
        out.append(Candidate("headline", clean_text(title.text_content()), "title-element"))
    return out


def _parsely_page(content: str) -> list[Candidate]:
    values = _json_objects(content)
    page = values[0] if values and isinstance(values[0], dict) else {}
    source = "parsely:parsely-page"
    authors = page.get("authors") or page.get("author")
    names = [n for a in (authors if isinstance(authors, list) else [authors]) if a for n in author_names(a)]
    return [
        Candidate("headline", clean_text(page.get("title")), source),
        Candidate("authors", names, source),
        Candidate("published", iso_date(page.get("pub_date")), source),
        Candidate("section", clean_text(page.get("section")), source),
        Candidate("tags", _keywords(page.get("tags")), source),
        Candidate("image", clean_text(page.get("image_url")), source),
    ]


# ---------------------------------------------------------------- microdata

_ITEMPROPS = {"author": "authors", "creator": "authors", "datepublished": "published", "datemodified": "modified",
              "headline": "headline"}  # fmt: skip


def _item_value(element: Any) -> str | None:
    for attribute in ("content", "datetime"):
        if element.get(attribute):
            return clean_text(element.get(attribute))
    if element.tag == "time" or element.tag == "meta":
        return clean_text(element.get("datetime") or element.text_content())
    return clean_text(element.text_content(), 300)


def read_microdata(tree: Any) -> list[Candidate]:
    """Candidates from ``itemprop`` values in the page body (an author's ``name`` inside it when it is
    an item of its own)."""
    out: list[Candidate] = []
    authors: list[str] = []
    for element in tree.xpath("//body//*[@itemprop]"):
        props = str(element.get("itemprop")).lower().split()
        field = next((_ITEMPROPS[p] for p in props if p in _ITEMPROPS), None)
        if field is None:
            continue
        if field == "authors":
            named = element.xpath(".//*[@itemprop='name']") if element.get("itemscope") is not None else []
            value = _item_value(named[0]) if named else _item_value(element)
            for name in author_names(value):
                if name not in authors:
                    authors.append(name)
        elif field in ("published", "modified"):
            out.append(Candidate(field, iso_date(_item_value(element)), f"microdata:{props[0]}"))
        else:
            out.append(Candidate(field, _item_value(element), f"microdata:{props[0]}"))
    out.append(Candidate("authors", authors, "microdata:author"))
    return out


# ---------------------------------------------------------------- the headline and the byline under it

_TITLE_SEPARATOR = re.compile(r"\s+[|\-–—•·:»]\s+")
_TITLE_KEY = re.compile(r"[\W_]+")


def title_key(text: str) -> str:
    return _TITLE_KEY.sub(" ", text.casefold()).strip()


_BREAKS = frozenset({"br", "div", "p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "section", "header", "small", "time"})


def _element_text(element: Any) -> str:
    """The element's text, with a space where a line break or block element separates words."""
    parts: list[str] = []
    _gather(element, parts)
    return clean_text("".join(parts), 100_000) or ""


def _gather(element: Any, parts: list[str]) -> None:
    if element.text:
        parts.append(element.text)
    for child in element:
        if isinstance(child.tag, str) and child.tag not in _SKIP:
            if child.tag in _BREAKS:
                parts.append(" ")
            _gather(child, parts)
            if child.tag in _BREAKS:
                parts.append(" ")
        if child.tail:
            parts.append(child.tail)


def _segments(title: str) -> list[str]:
    return [p for p in _TITLE_SEPARATOR.split(title) if p.strip()]


_SITE_PREFIX = re.compile(r"^([^:]{2,40}):\s+(?=\S)")


def _without_site(title: str, site_keys: list[str]) -> str:
    """The declared title without the site's name: the first of its parts that is not the site's name
    ("Headline | Site", "Site - Headline", "Site: Headline")."""
    prefix = _SITE_PREFIX.match(title)
    if prefix and _is_site(prefix.group(1), site_keys):
        title = title[prefix.end() :]
    parts = _segments(title)
    named = [p for p in parts if not _is_site(p, site_keys)]
    return (named or parts or [title])[0]


def _site_keys(site: str | None, url: str | None) -> list[str]:
    """The site's name and its domain's own label ("blog.antoyo.xyz" → "antoyo"), as title keys
    without spaces."""
    keys = [title_key(site).replace(" ", "")] if site else []
    host = re.sub(r"^[a-z]+://|[/:?#].*$", "", (url or "").lower())
    labels = [x for x in host.split(".") if x and x not in _HOST_NOISE]
    if labels:
        keys.append(max(labels, key=len).replace("-", ""))
    return [k for k in keys if len(k) >= 3]


def _is_site(text: str, site_keys: list[str]) -> bool:
    key = title_key(text).replace(" ", "")
    return bool(key) and any(k in key or key in k for k in site_keys)


_HOST_NOISE = frozenset(
    {"www", "blog", "blogs", "news", "com", "org", "net", "co", "uk", "io", "de", "edu", "gov", "ai"}
)
#: elements that may hold the headline when no ``<h1>`` is it
_HEADLINE_XPATH = "//h2 | //h3 | //*[@itemprop='headline'] | //*[contains(@class, 'title')][not(self::body)]"


def _relation(key: str, declared: list[str], site_keys: list[str]) -> int:
    """How a headline candidate relates to the declared titles: 3 equal to one, 2 equal to the first part
    of one that is not the site's name ("Headline | Site", "Site: Headline"), 1 inside one or holding
    one, 0 none."""
    best = 0
    for title in declared:
        whole = title_key(title)
        parts = [p for p in _segments(title) if not _is_site(p, site_keys)]
        if key == whole:
            return 3
        if parts and key == title_key(parts[0]):
            best = max(best, 2)
        elif len(key) >= 12 and (whole.startswith(key) or (len(whole) >= 12 and key.startswith(whole))):
            best = max(best, 1)
    return best


def _unlikely(element: Any, text: str, declared: list[str], site_keys: list[str]) -> bool:
    """A heading that is not the article's headline: the site's name (a link to the home page, the name
    a declared title ends with), a shout in capitals, a label of one or two words, a lead-in ending in
    ":", or a paragraph."""
    words = text.split()
    if (
        _is_site(text, site_keys)
        or (text.isupper() and len(words) > 1)
        or len(words) <= 2
        or text.rstrip().endswith(":")
        or len(text) > 150
    ):
        return True
    key = title_key(text)
    if any(key == title_key(p) for t in declared for p in _segments(t)[1:]):
        return True
    keys = [title_key(t) for t in declared]
    if any(whole in (f"{key} {other}", f"{other} {key}") for whole in keys for other in keys):
        return True  # "Site: Headline" declared beside "Headline"
    links = element.xpath(".//a[@href]")
    return (
        len(links) == 1
        and re.fullmatch(r"(?:https?://[^/]+)?/?(?:index\.\w+)?", links[0].get("href").strip()) is not None
    )


def headline_element(
    tree: Any, declared: list[str], site: str | None, url: str | None = None
) -> tuple[str | None, Any]:
    """The article's visible headline and its element.

    An ``<h1>`` that is (or begins) one of the declared titles (OpenGraph, JSON-LD, ``<title>``…); else
    the page's ``<h1>`` unless it is unlikely (the site's name, a label, capitals, a paragraph); else a
    heading or title element that is (or begins) a declared title; else the declared title without the
    site name around it (no element).
    """
    site_keys = _site_keys(site, url)
    h1s: list[tuple[str, Any]] = []
    for element in tree.iter("h1"):
        text = _element_text(element)
        if text and len(text) < 300 and all(text != t for t, _ in h1s):
            h1s.append((text, element))
    likely = [(t, e) for t, e in h1s if not _unlikely(e, t, declared, site_keys)]
    if declared:
        ranked = sorted(
            (-relation, k, t, e)
            for k, (t, e) in enumerate(h1s)
            if (relation := _relation(title_key(t), declared, site_keys)) >= 2 or (relation and (t, e) in likely)
        )
        if ranked:
            return ranked[0][2], ranked[0][3]
    if likely and (len(likely) == 1 or not declared):
        return likely[0]
    if not declared:  # nothing to prefer: the page's first <h1>
        return h1s[0] if h1s else (None, None)
    for element in tree.xpath(_HEADLINE_XPATH):
        text = _element_text(element)
        if text and len(text) < 300 and _relation(title_key(text), declared, site_keys) >= 2:
            return text, element
    return _without_site(declared[0], site_keys), None


_BYLINE_HINT = re.compile(r"author|byline|by-line|writer|contributor|posted-by|article__by", re.I)
_DATE_HINT = re.compile(r"date|time|publish|posted|updated|meta", re.I)
_UPDATED = re.compile(r"\b(?:updated|modified|last (?:updated|modified|reviewed)|reviewed)\b", re.I)
_PUBLISHED = re.compile(r"\b(?:published|posted|written|created)\b", re.I)
_BY_ALONE = re.compile(r"^(?:by|written by|posted by|author|words by|by:)\s*:?$", re.I)
_WORD = re.compile(r"\w+")
_BY_IN = re.compile(r"^by\b|\b(?:written|posted|text|words|story|reported|authored) by\b", re.I)
_SKIP = frozenset({"script", "style", "noscript", "template", "button", "select", "option", "svg", "nav", "form"})
#: text nodes read after the headline (and before it, for dates)
AFTER = 60
BEFORE = 12


def _hinted(element: Any, hint: re.Pattern[str], levels: int = 4) -> Any:
    """The element or one of its ``levels`` nearest ancestors whose class, id, rel or itemprop ``hint``
    matches."""
    for _ in range(levels):
        if element is None or not isinstance(element.tag, str):
            return None
        attributes = " ".join(str(element.get(a) or "") for a in ("class", "id", "rel", "itemprop"))
        if attributes.strip() and hint.search(attributes):
            return element
        element = element.getparent()
    return None


def _text_nodes(nodes: list[Any]) -> Iterator[tuple[str, Any]]:
    for node in nodes:
        parent = node.getparent()
        if parent is None or parent.tag in _SKIP or any(a.tag in _SKIP for a in parent.iterancestors()):
            continue
        text = normalize_line(_WS.sub(" ", str(node)))
        if text:
            yield text, parent


_LINE_BLOCKS = frozenset(
    {"p", "div", "li", "header", "footer", "section", "article", "aside", "main", "td", "th", "dd", "dt", "h2", "h3",
     "h4", "h5", "h6", "figcaption", "address", "blockquote", "ul", "ol", "table", "tr", "body"}
)  # fmt: skip


@attrs.frozen
class _Line:
    """Visible text nodes that share their nearest block element: their texts and elements."""

    pieces: tuple[tuple[str, Any], ...]

    @property
    def text(self) -> str:
        """The pieces joined by " | " (they come from separate elements)."""
        return " | ".join(text for text, _ in self.pieces)

    @property
    def parents(self) -> list[Any]:
        return [parent for _, parent in self.pieces]


def _lines(nodes: list[Any]) -> list[_Line]:
    """Text nodes (visible ones) grouped into lines by their nearest block element."""
    lines: list[list[tuple[str, Any]]] = []
    current: Any = None
    for text, parent in _text_nodes(nodes):
        block = parent
        while block is not None and block.tag not in _LINE_BLOCKS:
            block = block.getparent()
        if lines and block is current:
            lines[-1].append((text, parent))
        else:
            lines.append([(text, parent)])
            current = block
    return [_Line(tuple(pieces)) for pieces in lines]


def _byline_names(line: str, parents: list[Any], words: int, near: bool) -> list[str]:
    """The writers' names on a line under the headline, when it is a byline: a line in an element marked
    as author or byline, a short line with "By" ("By …", "Posted by …"), or — ``near`` the headline — a
    short line with a date and a name ("Dec 17, 2025 | Julian K. Arni")."""
    if any(_hinted(p, _BYLINE_HINT) is not None for p in parents) or (words <= 15 and _BY_IN.search(line)):
        return author_names(line)
    if near and words <= 12 and "|" in line and iso_date(line):
        names = author_names(line)
        if names and all(name_shaped(n) for n in names):
            return names
    return []


def read_byline(h1: Any) -> list[Candidate]:
    """Candidates from the article's visible byline: the lines under the headline up to the first
    paragraph of prose (and a few above it) — the first byline ("By …", an element marked as author or
    byline), ``<time>`` elements and date lines. ``h1`` is the headline's element, or the ``<body>`` when
    the headline is not found on the page (its first lines are read then)."""
    if h1.tag == "body":
        after = _lines(h1.xpath(f".//text()[normalize-space()][position() <= {AFTER}]"))
        before = []
    else:
        after = _lines(h1.xpath(f"following::text()[normalize-space()][position() <= {AFTER}]"))
        before = _lines(h1.xpath(f"preceding::text()[normalize-space()][position() <= {BEFORE}]"))
    authors: list[str] = []
    dates: list[tuple[int, str, str]] = []  # (rank, iso, source)
    for lines, penalty in ((after, 0), (before[::-1], 1)):
        pending = ""
        prose = 0
        for k, found_line in enumerate(lines):
            line, parents = found_line.text, found_line.parents
            words = len(_WORD.findall(line))
            prose += words >= 25
            if prose >= 2 and not penalty:
                break  # the story has begun (a standfirst may come first)
            if _BY_ALONE.match(line):
                pending = line + " "
                continue
            if not authors:
                authors = _byline_names(pending + line, parents, words, k < 4 and h1.tag != "body")
            pending = ""
            if words <= 25:
                dates += [(rank + penalty, value, f"byline:{what}") for rank, value, what in _dates_in(found_line)]
    out = [Candidate("authors", authors, "byline")]
    if dates:
        published = [d for d in dates if d[0] < 3]
        best = min(published or dates, key=lambda d: d[0])
        out.append(Candidate("published", best[1], best[2]))
        updated = [d for d in dates if d[0] >= 3]
        if updated:
            out.append(Candidate("modified", updated[0][1], updated[0][2]))
    return out


def _dates_in(line: _Line) -> list[tuple[int, str, str]]:
    """(rank, ISO date, what) for the dates on a short line: rank 0 said to be the publication date
    ("Published …"), 1 in a ``<time>`` or an element marked as a date, 2 otherwise, 3 said to be an
    update ("Updated …"). A label applies to the dates after it on the line; a ``<time>``'s
    ``datetime`` is read for its date."""
    out: list[tuple[int, str, str]] = []
    label: int | None = None
    for piece, parent in ((part, parent) for text, parent in line.pieces for part in text.split("|")):
        if _UPDATED.search(piece):
            label = 3
        elif _PUBLISHED.search(piece):
            label = 0
        time = parent if parent.tag == "time" else parent.getparent() if parent.getparent() is not None else parent
        stamp = time.get("datetime") if time.tag == "time" else None
        value = iso_date(stamp) if stamp else iso_date(piece) if any(c.isdigit() for c in piece) else None
        if value is None:
            continue
        if label is not None:
            out.append((label, value, "updated" if label == 3 else "published"))
        elif stamp or _hinted(parent, _DATE_HINT, 3) is not None:
            out.append((1, value, "time" if stamp else "date"))
        else:
            out.append((2, value, "text"))
    return out


# ---------------------------------------------------------------- the URL and htmldate

_URL_DATE = re.compile(
    r"/((?:19|20)\d{2})[/-](\d{1,2}|[a-z]{3,9})[/-](\d{1,2})(?:/|[-_]|$)|/((?:19|20)\d{2})(\d{2})(\d{2})/", re.I
)


#: a month as a URL writes it: its number, or its name (whole or the first three letters)
_URL_MONTHS = {
    name: number for short, number in MONTHS.items() for name in (short, calendar.month_name[number].lower())
}


def read_url(url: str | None) -> list[Candidate]:
    """A date in the URL's path (``/2025/06/04/``, ``/2025-06-04-…``, ``/20250604/``)."""
    if not url:
        return []
    match = _URL_DATE.search(url)
    if not match:
        return []
    y, m, d = match.group(1, 2, 3) if match.group(1) else match.group(4, 5, 6)
    month = int(m) if m.isdigit() else _URL_MONTHS.get(m.lower(), 0)
    if not month:
        return []
    return [Candidate("published", iso_date(f"{y}-{month:02d}-{int(d):02d}"), "url")]


def read_htmldate(tree: Any, url: str | None) -> list[Candidate]:
    from htmldate import find_date

    try:
        date = find_date(tree, extensive_search=False, original_date=True, url=url)
    except Exception:  # htmldate on odd markup
        date = None
    return [Candidate("published", iso_date(date), "htmldate")]


# ---------------------------------------------------------------- all together


def candidates(tree: Any, url: str | None) -> tuple[list[Candidate], Any]:
    """Every candidate of the page, and the headline element (None when there is none)."""
    found = read_json_ld(tree, url) + read_meta(tree) + read_microdata(tree)
    text, h1, where = _headline(tree, found, url)
    found.append(Candidate("headline", text, where))
    anchor = h1 if h1 is not None else _element_with(tree, text)
    if anchor is None:
        anchor = tree.find(".//body")
    if anchor is not None:
        found += read_byline(anchor)
    found += read_page_author(tree) + read_url(url) + read_htmldate(tree, url)
    return found, h1


def _element_with(tree: Any, text: str | None) -> Any:
    """The first heading or title element whose text is ``text``."""
    if not text:
        return None
    key = title_key(text)
    for element in tree.xpath("//h1 | //h2 | //h3 | //*[contains(@class, 'title')][not(self::body)]"):
        if title_key(_element_text(element)) == key:
            return element
    return None


_AUTHOR_ELEMENTS = (
    "//body//a[@rel='author'] | //body//*[contains(@class, 'author-name') or contains(@class, 'author__name') "
    "or contains(@class, 'authorName') or contains(@class, 'post-author')]"
)


_WRITTEN_BY_TEXT = (
    "//body//text()[starts-with(normalize-space(.), 'Written by') or starts-with(normalize-space(.), 'Written By')"
    " or starts-with(normalize-space(.), 'This post was written by')]"
)


def read_page_author(tree: Any) -> list[Candidate]:
    """The first author link or author-name element anywhere on the page (an author box after the
    story, a sidebar), else a "Written by NAME" line: the last resort for the authors."""
    for element in tree.xpath(_AUTHOR_ELEMENTS)[:5]:
        names = author_names(_element_text(element))
        if names:
            return [Candidate("authors", names, "page-author")]
    for node in tree.xpath(_WRITTEN_BY_TEXT)[:3]:
        parent = node.getparent()
        if parent is None or parent.tag in _SKIP:
            continue
        names = [n for n in author_names(_element_text(parent)) if name_shaped(n)]
        if names:
            return [Candidate("authors", names, "page-author")]
    return []


def read(tree: Any, url: str | None) -> Merged:
    """The page's metadata, merged by the precedence of :mod:`.candidates`."""
    found, _ = candidates(tree, url)
    return merge(found)


#: the declared titles, in the order they are tried (source kinds)
DECLARED = ("opengraph", "json-ld", "parsely", "meta", "title-element", "microdata")


_PIPE = re.compile(r"\s+\|\s+")


def _headline(tree: Any, found: list[Candidate], url: str | None) -> tuple[str | None, Any, str]:
    """(headline, its element or None, its source) from the page and its declared titles. What follows
    a " | " in a visible headline is a kicker or the site's name ("… | Opinion"), not the headline."""
    titles = sorted(
        (DECLARED.index(c.kind), n, c) for n, c in enumerate(found) if c.field == "headline" and c.kind in DECLARED
    )
    declared = [c.value for _, _, c in titles if c.value]
    site = merge(c for c in found if c.field == "site").get("site")
    text, element = headline_element(tree, list(dict.fromkeys(declared)), site, url)
    if element is not None and text:
        text = _PIPE.split(text, maxsplit=1)[0]
        return text, element, "h1" if element.tag == "h1" else f"h1:{element.tag}"
    source = next((c.source for _, _, c in titles if c.value), "none")
    return text, None, f"declared:{source}"


def headline(tree: Any, meta: dict[str, Any] | None = None, url: str | None = None) -> str | None:
    """The article's headline on the page (what :func:`metadata` gives as ``title``): for the block
    model, the block with this text is the title. ``meta``: what :func:`metadata` found already."""
    if meta is not None and "title" in meta:
        return str(meta["title"]) if meta["title"] else None
    return _headline(tree, read_json_ld(tree, url) + read_meta(tree), url)[0]


def metadata(tree: Any, url: str | None) -> dict[str, Any]:
    """The page's metadata as :func:`cleannews.html.metadata` gives it to the pipeline: ``title`` (the
    headline), ``author`` (the names joined by "; "), ``authors``, ``published``, ``modified``, ``site``,
    ``section``, ``tags`` (the section first), ``description``, ``image``, ``canonical``, ``language``,
    ``url`` (the canonical URL, else ``url``) and ``sources`` (field -> source); fields without a value
    are left out."""
    merged = read(tree, url)
    values = merged.values
    authors = values.get("authors") or []
    section = values.get("section")
    tags = list(dict.fromkeys([*([section] if section else []), *(values.get("tags") or [])]))
    meta: dict[str, Any] = {
        "title": values.get("headline"),
        "author": "; ".join(authors) or None,
        "authors": authors,
        "published": values.get("published"),
        "modified": values.get("modified"),
        "site": (values.get("site") or "").lstrip("@") or None,
        "section": section,
        "tags": tags,
        "description": values.get("description"),
        "image": values.get("image"),
        "canonical": values.get("canonical"),
        "language": values.get("language"),
        "url": values.get("canonical") or url,
    }
    sources = {k: v for k, v in merged.sources.items() if k != "headline"}
    if "headline" in merged.sources:
        sources["title"] = merged.sources["headline"]
    if "authors" in merged.sources:
        sources["author"] = merged.sources["authors"]
    meta["sources"] = sources
    return {k: v for k, v in meta.items() if v}
