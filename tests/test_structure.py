"""Structure (issue 12): every body block knows what it is — from the DOM in HTML mode, from the text in
text mode — ``Article.structure`` and ``to_dict()`` carry it, and ``Article.markdown`` / ``--to md``
write real Markdown (links on request)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

import cleannews
from cleannews.assemble import assemble
from cleannews.batch.writers import render_md
from cleannews.cli import main
from cleannews.document import Block, Document
from cleannews.markdown import body
from cleannews.model import Element
from cleannews.structure import block_element, group_elements, text_elements

PROSE = (
    "The city council approved the new budget on Tuesday after a long debate about school funding and the "
    "future of the old library building downtown, officials said."
)


def html_doc(blocks: list[Block]) -> Document:
    """A hand-built HTML document, as HTML segmentation would fill it (nothing labelled: all body)."""
    return Document([Block(i, b.text, b.tag, b.zone, b.depth, b.ordered, b.cells, b.header, b.group, b.links)
                     for i, b in enumerate(blocks)], mode="html")  # fmt: skip


def test_blocks_default_to_no_structure() -> None:
    block = Block(0, "text")
    assert (block.tag, block.depth, block.ordered, block.cells, block.header, block.group, block.links) == (
        None, 0, False, (), False, -1, ()
    )  # fmt: skip


def test_html_blocks_become_elements() -> None:
    assert block_element(Block(0, "Heading", tag="h3")) == Element("heading", level=3)
    assert block_element(Block(0, "Heading", tag="h")).level == 2
    assert block_element(Block(0, "item", tag="li", depth=2, ordered=True, group=4)) == Element(
        "item", depth=2, ordered=True, group=4
    )
    assert block_element(Block(0, "item", tag="li")).depth == 1  # (depth 0: not filled, top level)
    row = block_element(Block(0, "Libraries | 4.1", tag="tr"))
    assert row.kind == "row" and row.cells == ("Libraries", "4.1")  # cells from the text when not filled
    assert block_element(Block(0, "a", tag="tr", cells=("a", "b | c"), header=True)).cells == ("a", "b | c")
    kinds = {t: block_element(Block(0, "x", tag=t)).kind for t in ("p", "blockquote", "pre", "figcaption", "dt", "dd")}
    assert kinds == {"p": "paragraph", "blockquote": "quote", "pre": "code", "figcaption": "caption",
                     "dt": "term", "dd": "definition"}  # fmt: skip


def test_groups_are_renumbered_and_runs_grouped() -> None:
    elements = [
        Element("item", depth=1, group=-1),
        Element("item", depth=1, group=-1),
        Element("paragraph"),
        Element("item", depth=1, group=-1),
        Element("item", depth=1, ordered=True, group=-1),  # numbered after bulleted: another list
        Element("row", cells=("a", "1"), group=7),
        Element("row", cells=("b", "2"), group=8),  # another table, right after
    ]
    assert [e.group for e in group_elements(elements)] == [0, 0, -1, 1, 2, 3, 4]


def test_layout_tables_are_paragraphs() -> None:
    prose = "A paragraph of the story that a layout table holds in one of its cells, " * 8
    elements = [
        Element("row", cells=("Only one cell",), group=0),
        Element("row", cells=("Another",), group=0),
        Element("row", cells=(prose, "side"), group=1),
        Element("row", cells=("Name", "Age"), group=2),
        Element("row", cells=("Bob", "3"), group=2),
    ]
    assert [(e.kind, e.group) for e in group_elements(elements)] == [
        ("paragraph", -1), ("paragraph", -1), ("paragraph", -1), ("row", 0), ("row", 0)
    ]  # fmt: skip


def test_text_structure_from_what_the_text_shows() -> None:
    texts = [
        "## Section heading",
        "- first point",
        "- second point",
        "* a sub-point",
        "1. Step one",
        "2. Step two",
        "> A quoted line",
        "| Name | Age |",
        "|---|---|",
        "| Bob | 3 |",
        "2024. The year everything changed",  # not a list: no number beside it
        "— said the mayor, in dialogue",  # a dash of dialogue is no bullet
        "#hashtag",
        "* * *",
    ]
    elements = text_elements(texts)
    assert elements[0] == Element("heading", level=2, marker="## ")
    assert [(e.kind, e.depth, e.ordered, e.marker) for e in elements[1:6]] == [
        ("item", 1, False, "- "),
        ("item", 1, False, "- "),
        ("item", 2, False, "* "),
        ("item", 1, True, "1. "),
        ("item", 1, True, "2. "),
    ]
    assert elements[1].group == elements[3].group != elements[4].group == elements[5].group
    assert elements[6] == Element("quote", marker="> ")
    assert [(e.kind, e.cells, e.header) for e in elements[7:10]] == [
        ("row", ("Name", "Age"), True),
        ("row", (), False),  # the rule line under the header
        ("row", ("Bob", "3"), False),
    ]
    assert [e.kind for e in elements[10:]] == ["paragraph"] * 4


def test_markdown_of_every_kind() -> None:
    paragraphs = [
        "Intro",
        "Heading",
        "one",
        "one-a",
        "one-b",
        "two",
        "Name | Age",
        "Bob | 3",
        "x = 1",
        "y = 2",
        "A quote",
        "More of it",
        "A caption",
        "1. Not a list",
        "# not a heading",
    ]
    structure = [
        Element(),
        Element("heading", level=2),
        Element("item", depth=1, group=0),
        Element("item", depth=2, ordered=True, group=0),
        Element("item", depth=2, ordered=True, group=0),
        Element("item", depth=1, group=0),
        Element("row", cells=("Name", "Age"), header=True, group=1),
        Element("row", cells=("Bob", "3"), group=1),
        Element("code"),
        Element("code"),
        Element("quote"),
        Element("quote"),
        Element("caption"),
        Element(),
        Element(),
    ]
    assert body(paragraphs, structure) == "\n\n".join(
        [
            "Intro",
            "## Heading",
            "- one\n  1. one-a\n  2. one-b\n- two",
            "| Name | Age |\n| --- | --- |\n| Bob | 3 |",
            "```\nx = 1\ny = 2\n```",
            "> A quote\n>\n> More of it",
            "*A caption*",
            "1\\. Not a list",
            "\\# not a heading",
        ]
    )


def test_markdown_lists_tables_fences_and_links() -> None:
    # adjacent lists alternate their bullet so that they stay two lists; text-mode markers are not doubled
    items = body(
        ["- a", "b", "3. c", "4. d"],
        [
            Element("item", depth=1, group=0, marker="- "),
            Element("item", depth=1, group=1),
            Element("item", depth=1, ordered=True, group=2, marker="3. "),
            Element("item", depth=1, ordered=True, group=2, marker="4. "),
        ],
    )
    assert items == "- a\n\n* b\n\n3. c\n4. d"
    # a table without a header row has its first row promoted; short rows are padded; pipes escaped
    table = body(["a | b", "c"], [Element("row", cells=("a", "b|c"), group=0), Element("row", cells=("c",), group=0)])
    assert table == "| a | b\\|c |\n| --- | --- |\n| c |  |"
    assert body(["``` inside"], [Element("code")]) == "````\n``` inside\n````"
    linked = [Element(links=((4, 8, "https://ex.com/a"), (13, 17, "https://ex.com/b (2)")))]
    assert body(["See this and that."], linked, links=True) == (
        "See [this](https://ex.com/a) and [that](<https://ex.com/b (2)>)."
    )
    assert body(["See this and that."], linked) == "See this and that."


def test_html_mode_fills_structure_from_the_dom() -> None:
    page = (
        "<html><body><article><h1>Council approves budget</h1>"
        f"<p>{PROSE}</p><h2>What changes</h2>"
        "<ul><li>Libraries get more money</li><li>Parks too<ol><li>North park</li><li>South park</li></ol></li></ul>"
        f"<p>{PROSE}</p>"
        "<table><tr><th>Department</th><th>2024</th></tr><tr><td>Libraries</td><td>4.6</td></tr></table>"
        f"<blockquote><p>We are pleased with the result of this long debate, the mayor said.</p></blockquote>"
        f"<p>{PROSE}</p></article></body></html>"
    )
    article = cleannews.clean(page, format="html")
    by_text = dict(zip(article.paragraphs, article.structure, strict=True))
    assert by_text["What changes"] == Element("heading", level=2)
    assert (by_text["Parks too"].depth, by_text["Parks too"].ordered) == (1, False)
    assert (by_text["South park"].depth, by_text["South park"].ordered) == (2, True)
    assert by_text["Parks too"].group == by_text["South park"].group
    assert by_text["Department | 2024"] == Element("row", cells=("Department", "2024"), header=True,
                                                   group=by_text["Department | 2024"].group)  # fmt: skip
    assert by_text["Libraries | 4.6"].header is False
    md = article.markdown()
    assert "## What changes" in md
    assert "- Libraries get more money\n- Parks too\n  1. North park\n  2. South park" in md
    assert "| Department | 2024 |\n| --- | --- |\n| Libraries | 4.6 |" in md
    assert "> We are pleased" in md


def test_article_exposes_structure_and_keeps_paragraphs_and_body() -> None:
    doc = html_doc([Block(0, "Steps", "h2"), Block(0, "Mix", "li", depth=1, ordered=True, group=5),
                    Block(0, "Bake", "li", depth=1, ordered=True, group=5)])  # fmt: skip
    article = assemble(doc, [])
    assert article.paragraphs == ("Steps", "Mix", "Bake")
    assert article.body == "Steps\n\nMix\n\nBake"
    blank = {"kind": "", "level": 0, "depth": 0, "ordered": False, "cells": [], "header": False, "group": -1,
             "marker": "", "links": []}  # fmt: skip
    assert article.to_dict()["structure"] == [
        {**blank, "kind": "heading", "level": 2},
        {**blank, "kind": "item", "depth": 1, "ordered": True, "group": 0},
        {**blank, "kind": "item", "depth": 1, "ordered": True, "group": 0},
    ]
    assert article.markdown() == "## Steps\n\n1. Mix\n2. Bake\n"


def test_links_on_request_and_markdown_through_the_cli(tmp_path: Path) -> None:
    record = cleannews.Article(
        title="T",
        paragraphs=("Read the report here.",),
        structure=(Element(links=((16, 20, "https://ex.com/r"),)),),
    ).to_dict()
    assert render_md(record, links=True) == "# T\n\nRead the report [here](https://ex.com/r).\n"
    assert render_md(record) == "# T\n\nRead the report here.\n"
    page = tmp_path / "page.txt"
    page.write_text("Harbour plan approved after long fight\n\n- first point\n- second point\n" + PROSE + "\n")
    result = CliRunner().invoke(main, ["clean", str(page), "--to", "md", "--md-links"])
    assert result.exit_code == 0
    assert "- first point\n- second point" in result.stdout


def test_text_mode_markdown_and_the_seeds_stay_flat() -> None:
    article = cleannews.clean(
        "Harbour plan approved after long fight\n\n## The plan\n\n1. Dredge the harbour\n2. Build the quay\n\n" + PROSE,
        format="text",
    )
    assert article.paragraphs[:3] == ("## The plan", "1. Dredge the harbour", "2. Build the quay")
    assert "## The plan\n\n1. Dredge the harbour\n2. Build the quay" in article.markdown()
    seed = (Path(__file__).parent.parent / "seeds" / "002_10c24450e8870a78.txt").read_text(encoding="utf-8")
    assert {e.kind for e in cleannews.clean(seed, format="text").structure} == {"paragraph"}
