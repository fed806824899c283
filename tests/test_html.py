"""HTML mode (html.py) on small hand-written pages: content kept, chrome removed and recorded, the
fallback paths, hostile markup, and format="auto"."""

from __future__ import annotations

from typing import Any

import pytest

import cleannews
from cleannews import html as html_mode
from cleannews.document import Block

STORY = [
    "The city council approved the new budget on Tuesday after a long debate about school funding and "
    "the future of the old library building downtown.",
    "Council members said the plan raises spending on libraries and parks while keeping property taxes "
    "flat for the third year in a row.",
    "The mayor is expected to sign the budget next week, according to officials familiar with the "
    "negotiations who spoke on condition of anonymity.",
    "Opponents argued that the spending increases were not sustainable and warned that a deficit could "
    "follow within two years if revenues fall short.",
]
NEWSLETTER = "Sign up for our newsletter to get the latest local news delivered to your inbox every morning."

HEAD = (
    "<head><title>Council approves budget | Example News</title>"
    "<meta property='og:title' content='Council approves budget'>"
    "<meta name='author' content='Jane Doe'>"
    "<meta property='article:published_time' content='2024-03-05T10:00:00Z'>"
    "<meta property='og:site_name' content='Example News'>"
    "<meta name='keywords' content='budget, city council'></head>"
)
NAV = (
    "<header><nav><ul><li><a href='/'>Home</a></li><li><a href='/news'>News</a></li>"
    "<li><a href='/sport'>Sport</a></li><li><a href='/weather'>Weather</a></li></ul></nav></header>"
)
FOOTER = "<footer><p>Copyright 2024 Example News. All rights reserved. Privacy policy. Terms of use.</p></footer>"


def page(body: str, head: str = HEAD) -> str:
    return f"<!DOCTYPE html><html lang='en'>{head}<body>{NAV}{body}{FOOTER}</body></html>"


def article(paragraphs: list[str], title: str = "Council approves budget") -> str:
    return f"<article><h1>{title}</h1>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</article>"


# ---------------------------------------------------------------- content kept, chrome removed and recorded


def test_article_content_is_kept_and_chrome_removed() -> None:
    paragraphs = [STORY[0], STORY[1], "Advertisement", STORY[2], NEWSLETTER, STORY[3]]
    result = cleannews.clean(page(article(paragraphs)), format="html", url="https://example.com/budget")
    assert result.mode == "html"
    assert result.extractor == "trafilatura"
    assert result.title == "Council approves budget"
    assert list(result.paragraphs) == STORY
    assert "Home" not in result.body and "Copyright" not in result.body
    assert result.language == "en"
    assert result.warnings == ()


def test_removals_are_recorded_with_kind_cleaner_and_reason() -> None:
    paragraphs = [STORY[0], STORY[1], "Advertisement", STORY[2], NEWSLETTER, STORY[3]]
    result = cleannews.clean(page(article(paragraphs)), format="html")
    by_kind = {r.kind: r for r in result.removed}
    assert by_kind["ad"].text == "Advertisement" and by_kind["ad"].cleaner == "ads"
    assert by_kind["newsletter"].text == NEWSLETTER and by_kind["newsletter"].cleaner == "prompts"
    assert by_kind["ad"].index >= 0 and "rule" in by_kind["ad"].reason
    # what trafilatura left out upstream: one summary, not block by block
    upstream = [r for r in result.removed if r.index == -1]
    assert len(upstream) == 1
    summary = upstream[0]
    assert (summary.kind, summary.cleaner, summary.text) == ("boilerplate", "trafilatura", "")
    assert "characters of visible text" in summary.reason and "blocks" in summary.reason


def test_metadata_comes_from_the_page_head() -> None:
    result = cleannews.clean(page(article(STORY)), format="html", url="https://example.com/budget")
    meta = result.metadata
    assert meta.author == "Jane Doe"
    assert meta.published == "2024-03-05T10:00:00+00:00"  # (the time and zone the page gives)
    assert meta.site == "Example News"
    assert meta.url == "https://example.com/budget"
    assert "budget" in meta.tags


def test_json_ld_metadata() -> None:
    head = (
        "<head><title>Some page</title><script type='application/ld+json'>"
        '{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Budget passes",'
        ' "datePublished": "2023-11-02", "author": {"@type": "Person", "name": "John Smith"}}'
        "</script></head>"
    )
    result = cleannews.clean(page(article(STORY, title="Budget passes"), head=head), format="html")
    assert result.title == "Budget passes"
    assert result.metadata.author == "John Smith"
    assert result.metadata.published == "2023-11-02"


def test_table_rows_keep_their_cells_apart() -> None:
    table = (
        "<table><tr><th>Department</th><th>2023</th><th>2024</th></tr>"
        "<tr><td>Libraries</td><td>4.1</td><td>4.6</td></tr>"
        "<tr><td>Parks</td><td>2.0</td><td>2.3</td></tr></table>"
    )
    body = article(STORY[:2]).replace("</article>", f"{table}</article>")
    result = cleannews.clean(page(body), format="html")
    assert "Libraries | 4.1 | 4.6" in result.paragraphs
    assert "Libraries4.1" not in result.body


def test_nested_list_items_are_not_duplicated() -> None:
    extraction_body = _tei("<list><item>Parks<list><item>North park</item><item>South park</item></list></item>"
                           "<item>Libraries</item></list>")  # fmt: skip
    blocks = html_mode._blocks(extraction_body, "main", 0)
    assert [(b.tag, b.text) for b in blocks] == [
        ("li", "Parks"),
        ("li", "North park"),
        ("li", "South park"),
        ("li", "Libraries"),
    ]


def test_inline_markup_does_not_split_words_but_line_breaks_do() -> None:
    body = _tei("<p>Coun<hi>cil</hi> approved<lb/>the budget</p>")
    assert [b.text for b in html_mode._blocks(body, "main", 0)] == ["Council approved the budget"]


def _tei(xml: str) -> Any:
    from lxml import etree

    return etree.fromstring(f"<body>{xml}</body>")


def test_html_blocks_splits_at_block_elements() -> None:
    from lxml import html as lxml_html

    root = lxml_html.fromstring(
        "<div>Loose text in a div<p>A paragraph with <b>bold</b> words.</p><ul><li>one</li><li>two</li></ul>"
        "<table><tr><td>a</td><td>b</td></tr></table><script>var x = 1;</script>tail text</div>"
    )
    assert [(b.tag, b.text) for b in html_mode.html_blocks(root)] == [
        ("p", "Loose text in a div"),
        ("p", "A paragraph with bold words."),
        ("li", "one"),
        ("li", "two"),
        ("tr", "a | b"),
        ("p", "tail text"),
    ]


# ---------------------------------------------------------------- the second opinion and the fallbacks


def test_readability_is_used_when_trafilatura_finds_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    import trafilatura

    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *a, **k: None)
    result = cleannews.clean(page(article(STORY)), format="html")
    assert result.extractor == "readability"
    assert any("trafilatura found nothing" in w and "used readability" in w for w in result.warnings)
    assert list(result.paragraphs) == STORY


def test_fallback_when_trafilatura_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    import trafilatura

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("simulated failure")

    monkeypatch.setattr(trafilatura, "bare_extraction", broken)
    result = cleannews.clean(page(article(STORY)), format="html")
    assert any("trafilatura failed" in w and "simulated failure" in w for w in result.warnings)
    assert result.extractor in {"readability", "justext", "visible-text"}
    assert STORY[0] in result.paragraphs


def test_visible_text_is_the_last_resort(monkeypatch: pytest.MonkeyPatch) -> None:
    import trafilatura

    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *a, **k: None)
    monkeypatch.setattr(html_mode, "readability_article", lambda tree: None)
    monkeypatch.setattr(html_mode, "justext_blocks", lambda page, language: [])
    result = cleannews.clean(page(article(STORY)), format="html")
    assert result.extractor == "visible-text"
    assert any("visible text" in w for w in result.warnings)
    assert STORY[1] in result.paragraphs


def test_choose_falls_back_to_justext_with_the_page_language() -> None:
    polish = [
        "Rada miasta zatwierdziła we wtorek nowy budżet po długiej debacie o finansowaniu szkół i o "
        "przyszłości starej biblioteki w centrum miasta, która od lat czeka na remont i na nowe książki, "
        "a jej czytelnicy nie chcą, aby ją zamknięto.",
        "Radni powiedzieli, że plan zwiększa wydatki na biblioteki i parki, a podatki od nieruchomości "
        "pozostaną na tym samym poziomie już trzeci rok z rzędu, co ma być dobrą wiadomością dla "
        "mieszkańców, którzy od dawna na to czekali.",
        "Burmistrz ma podpisać budżet w przyszłym tygodniu, jak poinformowali urzędnicy, którzy znają "
        "przebieg negocjacji i nie chcieli podawać nazwisk, ponieważ nie byli upoważnieni do rozmowy z "
        "dziennikarzami w tej sprawie.",
    ]
    html = "<html><body>" + "".join(f"<p>{p}</p>" for p in polish) + "</body></html>"
    main = [Block(0, "Strona główna", tag="p")]
    choice = html_mode.choose(main, None, page_chars=len("".join(polish)), language="pl", page=html)
    assert choice.extractor == "justext"
    assert choice.warning is not None and "Polish" in choice.warning
    assert [b.text for b in choice.blocks] == polish


def test_choose_keeps_trafilatura_when_readability_agrees() -> None:
    from lxml import html as lxml_html

    main = [Block(i, p, tag="p") for i, p in enumerate(STORY)]
    second = lxml_html.fromstring("<div>" + "".join(f"<p>{p}</p>" for p in STORY) + "</div>")
    choice = html_mode.choose(main, second, page_chars=1000, language="en", page="<html></html>")
    assert choice.extractor == "trafilatura" and list(choice.blocks) == main and choice.dropped == ()


def test_check_drops_link_lists_after_the_article_and_records_them() -> None:
    from lxml import html as lxml_html

    teasers = ["Mayor opens new park", "School funding debate continues", "Weather: rain all week"]
    main = [Block(i, p, tag="p") for i, p in enumerate(STORY)]
    main += [Block(len(main) + i, t, tag="li") for i, t in enumerate(teasers)]
    second = lxml_html.fromstring("<div>" + "".join(f"<p>{p}</p>" for p in STORY) + "</div>")
    choice = html_mode.choose(main, second, page_chars=5000, language="en", page="<html></html>")
    assert [b.text for b in choice.blocks] == STORY
    assert [b.text for b, _ in choice.dropped] == teasers
    assert all("readability confirms" in reason for _, reason in choice.dropped)


def test_readability_check_removals_reach_the_article() -> None:
    teasers = (
        "<ul>" + "".join(f"<li><a href='/s{i}'>Another story headline number {i}</a></li>" for i in range(6)) + "</ul>"
    )
    body = article(STORY).replace("</article>", f"{teasers}</article>")
    result = cleannews.clean(page(body), format="html")
    checked = [r for r in result.removed if r.cleaner == "readability-check"]
    assert all(r.kind == "boilerplate" and r.index == -1 for r in checked)
    assert "Another story headline number 3" not in result.body


def test_stoplists_are_never_english_by_default() -> None:
    assert html_mode.stoplist(None) == frozenset()
    assert html_mode.stoplist("zh") == frozenset()
    polish, greek, russian = html_mode.stoplist("pl"), html_mode.stoplist("el"), html_mode.stoplist("ru")
    import justext

    english = html_mode.stoplist("en")
    assert polish == frozenset(justext.get_stoplist("Polish")) != english
    assert greek == frozenset(justext.get_stoplist("Greek")) != english
    assert russian == frozenset(justext.get_stoplist("Russian")) != english
    assert "nie" in polish and "και" in greek and "и" in russian
    assert html_mode.stoplist_name("zh") == "none (language-neutral)"


def test_language_is_detected_on_the_extracted_text() -> None:
    greek = [
        "Το δημοτικό συμβούλιο ενέκρινε την Τρίτη τον νέο προϋπολογισμό μετά από μακρά συζήτηση για τη "
        "χρηματοδότηση των σχολείων και το μέλλον της παλιάς βιβλιοθήκης.",
        "Τα μέλη του συμβουλίου είπαν ότι το σχέδιο αυξάνει τις δαπάνες για βιβλιοθήκες και πάρκα, ενώ οι "
        "φόροι ακινήτων παραμένουν σταθεροί για τρίτη συνεχή χρονιά.",
    ]
    result = cleannews.clean(page(article(greek, title="Ο προϋπολογισμός εγκρίθηκε")), format="html")
    assert result.language == "el"
    assert greek[0] in result.paragraphs


# ---------------------------------------------------------------- broken and hostile HTML


@pytest.mark.parametrize(
    "source",
    [
        "",
        "   ",
        "<html></html>",
        "<<<>>>",
        "\x00\x01\x02 binary-ish \xff\xfe",
        "<html><body>" + "<div>" * 20_000 + "deep" + "</div>" * 20_000 + "</body></html>",
        "<html><body><p>" + "x" * 2_000_000 + "</p></body></html>",
        "<html><body><p class='" + "a" * 100_000 + "'>attribute bomb</p></body></html>",
        "<html><body><p>unclosed <b><i><table><tr><td>cells <p>everywhere</body>",
        "<?xml version='1.0' encoding='utf-8'?><!DOCTYPE html><html><body><p>xml prolog</p></body></html>",
        "<html><body><p>lone surrogate \ud800 here</p></body></html>",
        "<html><body><script>" + "var a = '<p>not text</p>';" * 1000 + "</script></body></html>",
        "<frameset><frame src='a.html'></frameset>",
    ],
)
def test_hostile_html_gives_an_article(source: str) -> None:
    result = cleannews.clean(source, format="html")
    assert isinstance(result, cleannews.Article)
    assert result.mode == "html"
    assert not any(w.startswith("internal error") for w in result.warnings)
    if not result.paragraphs and result.title is None:
        assert result.warnings  # an empty article always says why


def test_unparseable_input_warns_and_keeps_the_text() -> None:
    result = cleannews.clean("\x00\x01 only <<<", format="html")
    assert result.warnings


def test_bytes_input_in_html_mode() -> None:
    result = cleannews.clean(page(article(STORY)).encode("utf-8"), format="html")
    assert list(result.paragraphs) == STORY


# ---------------------------------------------------------------- format="auto"


def test_auto_detects_html() -> None:
    result = cleannews.clean(page(article(STORY)))
    assert result.mode == "html" and result.extractor == "trafilatura"


def test_auto_detects_text() -> None:
    text = "Council approves budget\n\n" + "\n\n".join(STORY)
    result = cleannews.clean(text)
    assert result.mode == "text" and result.extractor is None
    assert STORY[0] in result.paragraphs


@pytest.mark.parametrize(
    ("text", "is_html"),
    [
        ("<!DOCTYPE html><html><body>x</body></html>", True),
        ("  <html lang='en'><p>x</p></html>", True),
        ("<div><p>fragment</p></div>", True),
        ("A story that mentions <b>one</b> tag in passing.", False),
        ("Plain text, 3 < 4 and 5 > 2.", False),
    ],
)
def test_looks_like_html(text: str, is_html: bool) -> None:
    assert html_mode.looks_like_html(text) is is_html
