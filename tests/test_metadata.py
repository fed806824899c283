"""Metadata (issue 12): names and dates as the metadata wants them, every HTML source (JSON-LD with
@graph and nested articles, OpenGraph, article:* and dc.* meta, parse.ly, microdata, the byline under
the headline, the URL), their precedence and the record of where each value came from, the headline
choice, and text mode's byline and date lines."""

from __future__ import annotations

import json

import pytest

import cleannews
from cleannews.html import parse
from cleannews.metadata import author_names, headline, iso_date
from cleannews.metadata.candidates import Candidate, merge
from cleannews.metadata.html import metadata, read_json_ld, read_url

PROSE = (
    "The city council approved the new budget on Tuesday after a long debate about school funding and the "
    "future of the old library building downtown, officials said."
)
STORY = "".join(f"<p>{PROSE} Paragraph {i}.</p>" for i in range(4))


def page(head: str = "", body: str = "", lang: str = "en") -> str:
    return f"<!DOCTYPE html><html lang='{lang}'><head>{head}</head><body>{body}</body></html>"


def ld(obj: object) -> str:
    return f"<script type='application/ld+json'>{json.dumps(obj)}</script>"


# ---------------------------------------------------------------- values


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("By Jane Doe and John Roe, Staff Writers | June 4, 2025", ["Jane Doe", "John Roe"]),
        ("Dylan Bailey, MS, RD, FAND", ["Dylan Bailey"]),
        ("Genevieve Carlton, Ph.D.", ["Genevieve Carlton"]),
        ("by Jason Rostar | SEO | 8 min Read", ["Jason Rostar"]),
        ("By Scott Levine – Updated Sep 9, 2025 at 1:00 PM EST | Fact-checked by Frank Bass", ["Scott Levine"]),
        ("Published August 7, 2023 by Nicole Burke", ["Nicole Burke"]),
        ("By Gabby Boucher In Budget Travel, Budget Travel Guides", ["Gabby Boucher"]),
        ("Written by | Moses Kim and Kate Shokurova", ["Moses Kim", "Kate Shokurova"]),
        ("Matt Check Head Winemaker", ["Matt Check"]),
        ("Catherine Boeckmann | Master Gardener", ["Catherine Boeckmann"]),
        ("Dr Marna van der Merwe, Erik van Vulpen", ["Dr Marna van der Merwe", "Erik van Vulpen"]),
        ("Podium Staff", ["Podium Staff"]),  # a role that stands alone is the name the page gives
        ("The Upwork Team", ["The Upwork Team"]),
        ("jane@example.com", []),
        ("Read later", []),
        ("https://example.com/author/jane", []),
        ("", []),
        (None, []),
    ],
)
def test_author_names_are_names_only(text: str | None, names: list[str]) -> None:
    assert author_names(text) == names


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2025-01-29T10:00:00Z", "2025-01-29T10:00:00+00:00"),
        ("2025-01-29T10:00:00.000-05:00", "2025-01-29T10:00:00-05:00"),
        ("2025-01-29 10:00", "2025-01-29T10:00"),
        ("2025-01-29", "2025-01-29"),
        ("20250129", "2025-01-29"),
        ("Wed, 29 Jan 2025 10:00:00 GMT", "2025-01-29T10:00:00+00:00"),
        ("January 29, 2025", "2025-01-29"),
        ("Jan 29 2025 3:00 PM EST", "2025-01-29T15:00-05:00"),
        ("1735689600", "2025-01-01T00:00:00+00:00"),
        ("2025-13-01", None),
        ("0001-01-01", None),  # no plausible publication year
        ("soon", None),
    ],
)
def test_dates_are_iso_8601_with_time_and_zone_when_given(value: str, iso: str | None) -> None:
    assert iso_date(value) == iso


# ---------------------------------------------------------------- JSON-LD


def test_json_ld_graph_with_references() -> None:
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "@id": "https://ex.com/#site", "name": "Example Times"},
            {"@type": "Person", "@id": "https://ex.com/#jane", "name": "Jane Doe"},
            {
                "@type": "NewsArticle",
                "headline": "Budget passes",
                "author": [{"@id": "https://ex.com/#jane"}, {"@type": "Person", "name": "John Roe"}],
                "datePublished": "2024-03-05T10:00:00+01:00",
                "dateModified": "2024-03-06",
                "articleSection": "Politics",
                "keywords": "budget, council",
                "image": {"@type": "ImageObject", "url": "https://ex.com/a.jpg"},
                "inLanguage": "en-GB",
                "publisher": {"@type": "Organization", "name": "Example Times"},
            },
        ],
    }
    found = merge(read_json_ld(parse(page(ld(graph))), None))
    assert found.values["authors"] == ["Jane Doe", "John Roe"]
    assert found.values["published"] == "2024-03-05T10:00:00+01:00"
    assert found.values["modified"] == "2024-03-06"
    assert found.values["section"] == "Politics"
    assert found.values["tags"] == ["budget", "council"]
    assert found.values["image"] == "https://ex.com/a.jpg"
    assert found.values["language"] == "en-GB"
    assert found.values["site"] == "Example Times"
    assert found.sources["authors"] == "json-ld:newsarticle"


def test_json_ld_nested_article_matching_the_page_wins_over_a_listing() -> None:
    listing = {
        "@type": "ItemList",
        "itemListElement": [
            {"@type": "BlogPosting", "headline": "Other post", "url": "https://ex.com/other", "author": "Al Other"}
        ],
    }
    own = {
        "@type": "WebPage",
        "mainEntity": {
            "@type": "BlogPosting",
            "headline": "My post",
            "url": "https://ex.com/mine",
            "author": {"@type": "Person", "name": "Mia Mine"},
        },
    }
    tree = parse(page(ld(listing) + ld(own)))
    found = merge(read_json_ld(tree, "https://ex.com/mine"))
    assert found.values["authors"] == ["Mia Mine"]
    assert found.values["headline"] == "My post"


def test_json_ld_organisation_author_is_a_last_resort_and_bad_json_is_survived() -> None:
    org = {"@type": "Article", "headline": "H", "author": {"@type": "Organization", "name": "Acme Corp"}}
    broken = '<script type=\'application/ld+json\'>{"@type": "Article", </script>'
    meta = "<meta name='author' content='Jane Doe'>"
    found = merge(read_json_ld(parse(page(ld(org) + broken + meta)), None))
    assert found.values["authors"] == ["Acme Corp"]
    assert found.sources["authors"].startswith("json-ld-organization")
    html_meta = metadata(parse(page(ld(org) + broken + meta, "<h1>H</h1>" + STORY)), None)
    assert html_meta["authors"] == ["Jane Doe"] and html_meta["sources"]["authors"] == "meta:author"


# ---------------------------------------------------------------- meta tags, parse.ly, microdata, URL


def test_opengraph_dc_and_parsely_meta() -> None:
    head = (
        "<title>Budget passes | Example Times</title>"
        "<meta property='og:title' content='Budget passes'>"
        "<meta property='og:site_name' content='Example Times'>"
        "<meta property='og:image' content='https://ex.com/i.jpg'>"
        "<meta property='og:description' content='The council voted.'>"
        "<meta property='article:published_time' content='2024-03-05T10:00:00Z'>"
        "<meta property='article:modified_time' content='2024-03-07T08:00:00Z'>"
        "<meta property='article:section' content='Local'>"
        "<meta property='article:tag' content='budget'><meta property='article:tag' content='council'>"
        "<meta name='dc.creator' content='Jane Doe'>"
        "<link rel='canonical' href='https://ex.com/budget'>"
    )
    meta = metadata(parse(page(head, "<h1>Budget passes</h1>" + STORY)), "https://ex.com/budget?utm=x")
    assert meta["title"] == "Budget passes" and meta["sources"]["title"] == "h1"
    assert meta["authors"] == ["Jane Doe"] and meta["author"] == "Jane Doe"
    assert meta["published"] == "2024-03-05T10:00:00+00:00"
    assert meta["sources"]["published"] == "opengraph:article:published_time"
    assert meta["modified"] == "2024-03-07T08:00:00+00:00"
    assert meta["site"] == "Example Times" and meta["section"] == "Local"
    assert meta["tags"] == ["Local", "budget", "council"]  # the section first, as before
    assert meta["canonical"] == meta["url"] == "https://ex.com/budget"
    assert meta["image"] == "https://ex.com/i.jpg" and meta["description"] == "The council voted."
    assert meta["language"] == "en"

    parsely = (
        '<meta name=\'parsely-page\' content=\'{"title": "T", "author": "Pat Parse", '
        '"pub_date": "2023-01-02T03:04:05Z", "section": "Tech"}\'>'
    )
    found = metadata(parse(page(parsely, "<h1>T</h1>" + STORY)), None)
    assert found["authors"] == ["Pat Parse"] and found["sources"]["authors"] == "parsely:parsely-page"
    assert found["published"] == "2023-01-02T03:04:05+00:00"


def test_microdata_author_and_date() -> None:
    body = (
        "<article itemscope itemtype='https://schema.org/Article'><h1 itemprop='headline'>Budget passes</h1>"
        "<span itemprop='author' itemscope itemtype='https://schema.org/Person'><span itemprop='name'>"
        "Mia Micro</span></span><meta itemprop='datePublished' content='2022-02-03'>" + STORY + "</article>"
    )
    meta = metadata(parse(page("", body)), None)
    assert meta["authors"] == ["Mia Micro"]
    assert meta["published"] == "2022-02-03"


def test_url_dates() -> None:
    assert [c.value for c in read_url("https://ex.com/2025/06/04/story")] == ["2025-06-04"]
    assert [c.value for c in read_url("https://ex.com/blog/2023/october/03/story")] == ["2023-10-03"]
    assert [c.value for c in read_url("https://ex.com/news/20240102/story")] == ["2024-01-02"]
    assert read_url("https://ex.com/2025/foo/04/story") == []
    assert read_url(None) == []


# ---------------------------------------------------------------- the visible byline, precedence, provenance


def test_visible_byline_wins_over_site_wide_meta_and_is_recorded() -> None:
    head = (
        "<meta name='author' content='Example Times Staff'>"
        "<meta property='article:published_time' content='2024-03-05T10:00:00Z'>"
    )
    body = (
        "<h1>Budget passes</h1><div class='byline'>By <a href='/a/jane'>Jane Doe</a> and "
        "<a href='/a/john'>John Roe</a>, Senior Editors</div><time datetime='2024-03-05T09:00:00Z'>"
        "March 5</time>" + STORY
    )
    article = cleannews.clean(page(head, body), format="html", url="https://ex.com/budget")
    meta = article.metadata
    assert meta.authors == ("Jane Doe", "John Roe")
    assert meta.sources["authors"] == "byline"
    assert meta.author == "Jane Doe; John Roe"
    # the page's declared publication date comes before a date shown under the headline (often the update)
    assert meta.published == "2024-03-05T10:00:00+00:00"
    assert meta.headline == article.title == "Budget passes"
    assert meta.to_dict()["sources"]["headline"] == "h1"


def test_byline_line_with_by_and_a_published_date_and_an_update() -> None:
    body = "<h1>Budget passes</h1><p>By Jane Doe</p><p>Published 4 June 2025 | Updated 6 June 2025</p>" + STORY
    meta = metadata(parse(page("", body)), None)
    assert meta["authors"] == ["Jane Doe"]
    assert meta["published"] == "2025-06-04" and meta["sources"]["published"] == "byline:published"
    assert meta["modified"] == "2025-06-06"


def test_a_credit_is_not_the_writer() -> None:
    body = "<h1>Budget passes</h1><div class='author'>Reviewed by Dr Rev Iewer</div>" + STORY
    assert "authors" not in metadata(parse(page("", body)), None)


def test_merge_precedence_and_first_found_among_equals() -> None:
    found = merge(
        [
            Candidate("authors", ["Meta Person"], "meta:author"),
            Candidate("authors", ["Ld Person"], "json-ld:article"),
            Candidate("published", "2020-01-01", "htmldate"),
            Candidate("published", "2021-01-01", "url"),
            Candidate("site", "First", "opengraph:og:site_name"),
            Candidate("site", "Second", "opengraph:og:site_name"),
            Candidate("section", "", "json-ld:article"),
        ]
    )
    assert found.values == {"authors": ["Ld Person"], "published": "2021-01-01", "site": "First"}
    assert found.sources == {"authors": "json-ld:article", "published": "url", "site": "opengraph:og:site_name"}


# ---------------------------------------------------------------- the headline


def test_headline_is_the_h1_that_agrees_with_the_declared_title() -> None:
    head = "<title>Budget passes after long debate | Example Times</title>"
    body = "<h1><a href='/'>Example Times</a></h1><h1>Budget passes after long debate</h1>" + STORY
    tree = parse(page(head, body))
    assert headline(tree) == "Budget passes after long debate"


def test_headline_site_name_h1_and_promo_h1_are_passed_over() -> None:
    head = "<meta property='og:title' content='Small adventures with small language models'>"
    head += "<title>Engora Data Blog: Small adventures with small language models</title>"
    body = "<h1><a href='https://blog.engora.com/'>Engora Data Blog</a></h1>" + STORY
    assert headline(parse(page(head, body)), url="https://blog.engora.com/x") == (
        "Small adventures with small language models"
    )
    promo_head = "<meta property='og:title' content='How Google Cloud runs AI inference at scale - SiliconANGLE'>"
    promo = "<h1>A message from John Furrier, co-founder of SiliconANGLE:</h1>" + STORY
    assert headline(parse(page(promo_head, promo)), url="https://siliconangle.com/x") == (
        "How Google Cloud runs AI inference at scale"
    )


def test_headline_kicker_after_a_pipe_is_dropped_and_metadata_title_is_reused() -> None:
    body = "<h1>How meditation rewires brains | Opinion</h1>" + STORY
    meta = metadata(parse(page("", body)), None)
    assert meta["title"] == "How meditation rewires brains"
    assert headline(parse(page("", body)), meta) == "How meditation rewires brains"
    assert headline(parse(page("", STORY)), {"title": None}) is None


# ---------------------------------------------------------------- text mode


TEXT_PROSE = (
    "The council voted on Tuesday to extend the programme for another three years, officials said after "
    "a long debate that ran late into the night."
)


def text_page(*lines: str) -> str:
    return "\n".join([*lines, *(f"{TEXT_PROSE} ({i})" for i in range(6))])


def test_text_byline_with_date_gives_names_only_and_stays_in_the_body() -> None:
    article = cleannews.clean(
        text_page("Harbour plan approved after long fight", "By Jane Doe, Senior Writer | June 4, 2025 9:21 am"),
        format="text",
    )
    assert article.title == "Harbour plan approved after long fight"
    assert article.metadata.authors == ("Jane Doe",)
    assert article.metadata.published == "2025-06-04T09:21"
    assert article.metadata.sources["authors"] == article.metadata.sources["published"] == "line 1 (byline)"
    # a line of the article stays in the body; its values are also reported (as an inline dateline is)
    assert "By Jane Doe, Senior Writer | June 4, 2025 9:21 am" in article.paragraphs


def test_text_written_by_credit_and_name_beside_a_date_line() -> None:
    credit = cleannews.clean(
        text_page("Harbour plan approved after long fight", "Written by Sam Lee", "May 3, 2024"), format="text"
    )
    assert credit.metadata.authors == ("Sam Lee",)
    assert credit.metadata.published == "2024-05-03"
    assert [r.kind for r in credit.removed] == []
    assert "Written by Sam Lee" in credit.metadata.blocks
    beside = cleannews.clean(
        text_page("Harbour plan approved after long fight", "Dylan Bailey, MS, RD", "Published Jun 4, 2025"),
        format="text",
    )
    assert beside.metadata.authors == ("Dylan Bailey",)
    assert beside.metadata.published == "2025-06-04"


def test_text_no_byline_means_no_authors() -> None:
    article = cleannews.clean(text_page("Harbour plan approved after long fight", "Filter by Role"), format="text")
    assert article.metadata.authors == ()


def test_text_headline_below_the_title_line() -> None:
    article = cleannews.clean(
        "\n".join(
            ["Harbour plan approved after long fight - The Example Times", "Harbour plan approved after long fight"]
            + [f"{TEXT_PROSE} ({i})" for i in range(3)]
        ),
        format="text",
    )
    assert article.title == "Harbour plan approved after long fight"
    assert [(r.kind, r.cleaner) for r in article.removed] == [("boilerplate", "title")]


def test_a_short_line_with_a_date_and_a_name_under_the_headline() -> None:
    body = "<h1>Budget passes</h1><div><span>Dec 17, 2025</span><span>Julian K. Arni</span></div>" + STORY
    meta = metadata(parse(page("", body)), None)
    assert meta["authors"] == ["Julian K. Arni"] and meta["sources"]["authors"] == "byline"
    assert meta["published"] == "2025-12-17"
    not_names = "<h1>Budget passes</h1><div><span>Dec 17, 2025</span><span>more stories</span></div>" + STORY
    assert "authors" not in metadata(parse(page("", not_names)), None)


def test_text_url_date_only_without_a_date_line() -> None:
    text = text_page("Harbour plan approved after long fight")
    dated = cleannews.clean(text, format="text", url="https://ex.com/2024/05/03/harbour")
    assert dated.metadata.published == "2024-05-03" and dated.metadata.sources["published"] == "url"
    with_line = cleannews.clean(
        text_page("Harbour plan approved after long fight", "May 9, 2024"), url="https://ex.com/2024/05/03/h"
    )
    assert with_line.metadata.published == "2024-05-09"


def test_the_day_by_precedence_the_time_from_whoever_gives_it() -> None:
    found = merge(
        [
            Candidate("published", "2024-03-05", "url"),
            Candidate("published", "2024-03-05T10:00:00+00:00", "opengraph:article:published_time"),
            Candidate("published", "2024-03-09T08:00", "byline:time"),
        ]
    )
    assert found.values["published"] == "2024-03-05T10:00:00+00:00"
    assert found.sources["published"] == "opengraph:article:published_time"
