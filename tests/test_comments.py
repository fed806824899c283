"""Reader comments as output: text mode and HTML mode, authors and times, furniture, comments=False."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import cleannews
from cleannews.chain import DEFAULT_CLEANERS, Chain
from cleannews.cleaners.comments import find_time, parse_header
from cleannews.cli import main
from cleannews.document import Block
from cleannews.html import parse
from cleannews.html_comments import META_KEY, find_comments, merge

#: the chain up to the comments cleaner and the title (the page model, which learns page chrome, is
#: not what these tests are about)
# Most tests check the header-removing variant (keep_headers=False); the default keeps headers in the text.
CHAIN = Chain.from_names([n for n in DEFAULT_CLEANERS if n != "page_model"], {"comments": {"keep_headers": False}})

STORY = [
    "Harbour plan approved after long fight",
    "The city council voted on Tuesday to approve the long-debated harbour redevelopment plan, ending a "
    "dispute that has divided residents for nearly a decade.",
    "Under the plan, the old fish market will be turned into a public park, and a new ferry terminal will "
    "be built on the eastern pier by 2027, officials said.",
    "Opponents said they would consider a legal challenge to the decision in the coming weeks.",
]


def clean_text(*lines: str, **kwargs: object) -> cleannews.Article:
    return cleannews.clean("\n".join(lines), format="text", chain=CHAIN, **kwargs)  # type: ignore[arg-type]


def removed(article: cleannews.Article, kind: str) -> list[str]:
    return [r.text for r in article.removed if r.kind == kind]


# ---------------------------------------------------------------- text mode

WORDPRESS_TEXT = [
    *STORY,
    "Share this:",
    "3 Responses to “Harbour plan approved after long fight”",
    "Jane Smith says:",
    "May 3, 2012 at 8:06 pm",
    "Finally some good news for the waterfront. I have waited years for this park.",
    "Now let us hope they keep the old crane as a monument, as the first plan promised.",
    "Reply",
    "Tom Reed says:",
    "May 4, 2012 at 9:15 am",
    "The crane stays, the council confirmed it at the hearing last week.",
    "Reply",
    "Ann Lee on May 5, 2012 at 11:00 am said:",
    "What about the traffic on Mill Street? Nobody has answered that question yet.",
    "Report abuse",
    "Leave a Reply",
    "Your email address will not be published. Required fields are marked *",
]


def test_text_comments_after_a_counted_heading_with_says_headers() -> None:
    article = clean_text(*WORDPRESS_TEXT)
    assert article.paragraphs == tuple(STORY[1:])
    assert [c.author for c in article.comments] == ["Jane Smith", "Tom Reed", "Ann Lee"]
    assert [c.time for c in article.comments] == [
        "May 3, 2012 at 8:06 pm",
        "May 4, 2012 at 9:15 am",
        "May 5, 2012 at 11:00 am",
    ]
    # a multi-paragraph comment is one comment, its paragraphs joined by a blank line
    assert article.comments[0].text == (
        "Finally some good news for the waterfront. I have waited years for this park.\n\n"
        "Now let us hope they keep the old crane as a monument, as the first plan promised."
    )
    assert article.comments[2].text.startswith("What about the traffic")


def test_text_comment_furniture_and_headers_are_removed_not_lost() -> None:
    article = clean_text(*WORDPRESS_TEXT)
    furniture = removed(article, "comment_furniture")
    assert "3 Responses to “Harbour plan approved after long fight”" in furniture
    assert furniture.count("Reply") == 2 and "Report abuse" in furniture
    # the header lines are removed, and their reason says the author and time stayed on the comment
    headers = [r for r in article.removed if r.text in ("Jane Smith says:", "May 3, 2012 at 8:06 pm")]
    assert len(headers) == 2 and all(r.kind == "comment_furniture" for r in headers)
    assert all("kept on the comment" in r.reason and r.cleaner == "comments" for r in headers)
    assert removed(article, "comment_form") == [
        "Leave a Reply",
        "Your email address will not be published. Required fields are marked *",
    ]
    # every input line is accounted for exactly once
    placed = [article.title, *article.paragraphs, *(r.text for r in article.removed)]
    placed += [p for c in article.comments for p in c.text.split("\n\n")]
    assert sorted(x for x in placed if x) == sorted(WORDPRESS_TEXT)


def test_text_footer_headers_typepad_style() -> None:
    article = clean_text(
        *STORY,
        "Posted by David Editor on May 2, 2012 | Permalink",
        "Comments",
        "You can follow this conversation by subscribing to the comment feed for this post.",
        "Great piece. The ferry terminal is long overdue.",
        "Posted by: Bob James | May 3, 2012 at 08:58 AM",
        "I disagree. The old town cannot take more traffic.",
        "It is already hard to park anywhere near the market.",
        "Posted by: Samantha Stone | May 3, 2012 at 09:12 AM",
        "Verify your Comment",
    )
    assert [(c.author, c.time) for c in article.comments] == [
        ("Bob James", "May 3, 2012 at 08:58 AM"),
        ("Samantha Stone", "May 3, 2012 at 09:12 AM"),
    ]
    assert article.comments[1].text == (
        "I disagree. The old town cannot take more traffic.\n\nIt is already hard to park anywhere near the market."
    )
    assert "Posted by: Bob James | May 3, 2012 at 08:58 AM" in removed(article, "comment_furniture")
    assert article.paragraphs[-1] == "Posted by David Editor on May 2, 2012 | Permalink"


def test_text_name_over_date_headers_and_vote_furniture() -> None:
    article = clean_text(
        *STORY,
        "2 Comments",
        "Colin Roald",
        "October 1st, 2012 at 2:04 pm",
        "This is remarkably topical for me, thanks for writing it.",
        "Like or Dislike: 3 0",
        "Matt",
        "October 1st, 2012 at 2:16 pm",
        "Ever since I moved to the harbour I have wanted that park.",
        "Like or Dislike: 1 0",
    )
    assert [(c.author, c.time) for c in article.comments] == [
        ("Colin Roald", "October 1st, 2012 at 2:04 pm"),
        ("Matt", "October 1st, 2012 at 2:16 pm"),
    ]
    assert removed(article, "comment_furniture").count("Like or Dislike: 3 0") == 1


def test_text_without_a_comment_section_keeps_its_body() -> None:
    lines = [*STORY, "3 Comments", *STORY[1:], "By Jane Smith on May 3, 2012", *STORY[1:]]
    article = clean_text(*lines)
    assert article.comments == ()
    assert [p for p in article.paragraphs if p != "3 Comments"].count(STORY[1]) == 3


def test_text_byline_over_the_article_is_not_a_comment() -> None:
    long_story = [f"{s} {s} {s}" for s in STORY[1:]] * 2
    article = clean_text(
        STORY[0],
        "Comments",
        "By Jane Doe on May 3, 2012",
        *long_story,
        "Mark says:",
        "May 4, 2012 at 9:15 am",
        "Good reporting, as always from this paper.",
        "Reply",
        "Lisa says:",
        "May 4, 2012 at 9:30 am",
        "Thank you for covering the harbour vote.",
        "Reply",
    )
    assert [c.author for c in article.comments] == ["Mark", "Lisa"]
    assert all(p in article.paragraphs for p in long_story)


FORUM = [
    "Posted on 06/17/2025 3:59:51 AM PDT by harbourfan",
    "The council voted on Tuesday to approve the harbour plan, ending a decade-long dispute.",
    "Opponents said they would consider a legal challenge to the decision.",
    "(Excerpt) Read more at harbourgazette.example ...",
    "Great news at last.",
    "Not so fast, the court has not spoken yet.",
    "Disclaimer: Opinions posted on this forum are those of the individual posters.",
]


def test_forum_post_is_the_body_and_replies_are_comments() -> None:
    article = clean_text(*FORUM)
    assert article.paragraphs == tuple(FORUM[1:3])
    assert [c.text for c in article.comments] == ["Great news at last.", "Not so fast, the court has not spoken yet."]
    assert article.metadata.poster == "harbourfan"


def test_comments_false_leaves_comments_out_in_text_mode() -> None:
    article = clean_text(*WORDPRESS_TEXT, comments=False)
    assert article.comments == ()
    left_out = [r for r in article.removed if r.kind == "comment"]
    assert [r.text for r in left_out][:2] == [
        "Finally some good news for the waterfront. I have waited years for this park.",
        "Now let us hope they keep the old crane as a monument, as the first plan promised.",
    ]
    assert all("keep_comments=False" in r.reason for r in left_out)
    assert article.paragraphs == tuple(STORY[1:])


# ---------------------------------------------------------------- header and time reading


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Shelley says:", ("Shelley", None)),
        ("Carl Rahmström said...", ("Carl Rahmström", None)),
        ("Beth on August 22, 2012 at 6:29 pm said:", ("Beth", "August 22, 2012 at 6:29 pm")),
        ("nkhukuzi Says: August 9th, 2012 at 7:42 pm", ("nkhukuzi", "August 9th, 2012 at 7:42 pm")),
        ("20. Jul, 2012 / Emily says:", ("Emily", "20. Jul, 2012")),
        ("Posted by: Bob James | October 30, 2012 at 08:58 AM", ("Bob James", "October 30, 2012 at 08:58 AM")),
        (
            "posted on Wednesday, October 24, 2012 at 7:26 PM by Darren",
            ("Darren", "Wednesday, October 24, 2012 at 7:26 PM"),
        ),
        ("by Athletix Man on Aug 8, 2012 5:21 PM PDT reply actions", ("Athletix Man", "Aug 8, 2012 5:21 PM PDT")),
        ("1 Melinda October 22, 2012 at 1:57 pm", ("Melinda", "October 22, 2012 at 1:57 pm")),
        ("October 26, 2012 | José", ("José", "October 26, 2012")),
        ("He said:", None),
        ("Posted by Jane at 7:10 AM | 2 comments", None),
        ("The council said on Tuesday that it would appeal.", None),
    ],
)
def test_parse_header(line: str, expected: tuple[str | None, str | None] | None) -> None:
    assert parse_header(line) == expected


def test_find_time() -> None:
    assert find_time("Jane on May 3, 2012 at 8:06 pm said:") == "May 3, 2012 at 8:06 pm"
    assert find_time("August 9, 2012, at 3:15 pm") == "August 9, 2012, at 3:15 pm"
    assert find_time("6:46 AM") == "6:46 AM"
    assert find_time("3 hours ago") == "3 hours ago"
    assert find_time("Get it now - 19.99") is None
    assert find_time("Great piece, thanks.") is None


# ---------------------------------------------------------------- HTML mode

ARTICLE_HTML = """
<article class="post"><h1 class="entry-title">Harbour plan approved after long fight</h1>
<div class="entry-content">
<p>The city council voted on Tuesday to approve the long-debated harbour redevelopment plan, ending a dispute that
has divided residents for nearly a decade and cost the city millions in studies.</p>
<p>Under the plan, the old fish market will be turned into a public park, and a new ferry terminal will be built on
the eastern pier by 2027, officials said after the vote.</p>
<p>Opponents, who had argued that the terminal would bring heavy traffic to the narrow streets of the old town, said
they would consider a legal challenge to the decision in the coming weeks.</p>
</div></article>
"""

WORDPRESS_HTML = f"""<!DOCTYPE html><html lang="en"><head><title>Harbour plan approved after long fight</title></head>
<body><div id="page"><nav><a href="/news">News</a> <a href="/sport">Sport</a></nav>
<div id="content">{ARTICLE_HTML}
<div id="comments" class="comments-area">
<h2 class="comments-title">3 thoughts on &ldquo;Harbour plan approved after long fight&rdquo;</h2>
<ol class="commentlist">
<li class="comment depth-1" id="li-comment-101"><article id="comment-101" class="comment">
<footer class="comment-meta"><div class="comment-author vcard"><cite class="fn">Jane Smith</cite>
<span class="says">says:</span></div>
<div class="comment-metadata"><a href="#c"><time datetime="2012-05-03T20:06:00">May 3, 2012 at 8:06 pm</time></a></div>
</footer>
<div class="comment-content"><p>Finally some good news for the waterfront. I have waited years for this park.</p>
<p>Now let us hope they keep the old crane as a monument, as the first plan promised.</p></div>
<div class="reply"><a class="comment-reply-link" href="#">Reply</a></div></article>
<ul class="children"><li class="comment depth-2" id="li-comment-102"><article id="comment-102" class="comment">
<footer class="comment-meta"><div class="comment-author vcard"><cite class="fn">Tom Reed</cite>
<span class="says">says:</span></div>
<div class="comment-metadata"><time datetime="2012-05-04T09:15:00">May 4, 2012 at 9:15 am</time></div></footer>
<div class="comment-content"><p>The crane stays, the council confirmed it at the hearing last week.</p></div>
<div class="reply"><a class="comment-reply-link" href="#">Reply</a></div></article></li></ul>
</li>
<li class="comment depth-1" id="li-comment-103"><article id="comment-103" class="comment">
<footer class="comment-meta"><div class="comment-author vcard"><cite class="fn">Ann Lee</cite>
<span class="says">says:</span></div>
<div class="comment-metadata"><time datetime="2012-05-05T11:00:00">May 5, 2012 at 11:00 am</time></div></footer>
<div class="comment-content"><p>What about the traffic on Mill Street? Nobody has answered that question yet.</p></div>
<div class="reply"><a class="comment-reply-link" href="#">Reply</a></div></article></li>
</ol>
<div id="respond"><h3>Leave a Reply</h3><form><textarea name="comment"></textarea></form></div>
</div></div><footer><p>Copyright 2012 The Harbour Gazette</p></footer></div></body></html>"""


def test_html_wordpress_comment_list() -> None:
    article = cleannews.clean(WORDPRESS_HTML, format="html", chain=CHAIN)
    assert article.title == "Harbour plan approved after long fight"
    assert len(article.paragraphs) == 3 and article.paragraphs[0].startswith("The city council voted")
    assert [(c.author, c.time) for c in article.comments] == [
        ("Jane Smith", "May 3, 2012 at 8:06 pm"),
        ("Tom Reed", "May 4, 2012 at 9:15 am"),  # a reply keeps its place after its parent
        ("Ann Lee", "May 5, 2012 at 11:00 am"),
    ]
    assert article.comments[0].text == (
        "Finally some good news for the waterfront. I have waited years for this park.\n\n"
        "Now let us hope they keep the old crane as a monument, as the first plan promised."
    )
    furniture = [r for r in article.removed if r.kind == "comment_furniture"]
    assert [r.text for r in furniture].count("Reply") == 3
    header = next(r for r in furniture if r.text.startswith("Jane Smith"))
    assert "'Jane Smith'" in header.reason and "kept on the comment" in header.reason
    assert not any("waterfront" in p for p in article.paragraphs)


def test_html_comment_list_without_item_classes() -> None:
    page = f"""<html><body><div id="main">{ARTICLE_HTML}</div>
<div id="comments"><h3>2 Comments</h3><ol>
<li><p class="meta">Bob James on May 3, 2012 at 8:58 am said:</p>
<p>Great piece. The ferry terminal is long overdue, and the park will be lovely.</p></li>
<li><p class="meta">Samantha Stone on May 3, 2012 at 9:12 am said:</p>
<p>I disagree. The old town cannot take more traffic, whatever the council says.</p></li>
</ol></div></body></html>"""
    article = cleannews.clean(page, format="html", chain=CHAIN)
    assert [(c.author, c.time) for c in article.comments] == [
        ("Bob James", "May 3, 2012 at 8:58 am"),
        ("Samantha Stone", "May 3, 2012 at 9:12 am"),
    ]
    assert article.comments[1].text == "I disagree. The old town cannot take more traffic, whatever the council says."
    assert not any("ferry terminal is long overdue" in p for p in article.paragraphs)


def test_dom_comments_and_leaked_text_leave_the_body() -> None:
    tree = parse(WORDPRESS_HTML)
    comments = find_comments(tree)
    assert [c.author for c in comments] == ["Jane Smith", "Tom Reed", "Ann Lee"]
    assert [p.role for p in comments[0].pieces] == ["header", "text", "text", "furniture"]
    # an extractor that read a comment into the main text: the block leaves the main zone
    leaked = "The crane stays, the council confirmed it at the hearing last week."
    blocks = [Block(0, "The city council voted on Tuesday to approve the plan."), Block(1, leaked)]
    meta: dict[str, object] = {}
    out = merge(tree, blocks, meta)
    assert [b.text for b in out if b.zone == "main"] == ["The city council voted on Tuesday to approve the plan."]
    assert [b.text for b in out if b.zone == "comments"].count(leaked) == 1
    roles = meta[META_KEY]
    assert isinstance(roles, dict) and {r["role"] for r in roles.values()} == {"header", "text", "furniture"}


def test_comments_false_in_html_mode() -> None:
    article = cleannews.clean(WORDPRESS_HTML, format="html", chain=CHAIN, comments=False)
    assert article.comments == ()
    assert sum(r.kind == "comment" for r in article.removed) == 4


def test_keep_headers_option_keeps_the_header_line_in_the_comment() -> None:
    chain = Chain.from_names(list(CHAIN.names))  # the default: keep_headers=True
    article = cleannews.clean("\n".join(WORDPRESS_TEXT), format="text", chain=chain)
    assert article.comments[1].text.split("\n\n") == [
        "Tom Reed says:",
        "May 4, 2012 at 9:15 am",
        "The crane stays, the council confirmed it at the hearing last week.",
    ]
    assert article.comments[1].author == "Tom Reed"


# ---------------------------------------------------------------- the CLI switch


def test_cli_no_comments(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text("\n".join(WORDPRESS_TEXT), encoding="utf-8")
    config = tmp_path / "chain.toml"
    config.write_text(f"cleaners = {json.dumps(list(CHAIN.names))}\n", encoding="utf-8")
    with_comments = CliRunner().invoke(main, ["clean", str(page), "--mode", "text", "--config", str(config)])
    without = CliRunner().invoke(main, ["clean", str(page), "--mode", "text", "--config", str(config), "--no-comments"])
    assert with_comments.exit_code == 0 and without.exit_code == 0, without.output
    first = json.loads(with_comments.stdout.splitlines()[0])
    second = json.loads(without.stdout.splitlines()[0])
    assert len(first["comments"]) == 3 and second["comments"] == []
    assert first["body"] == second["body"]


def _dateline_page() -> str:
    """A news page whose "latest news" list and whose own dateline share one header shape
    ("Name, date at time"): headers with text under them, as a comment thread has."""
    menu = ["Home", "World", "Politics", "Business", "Sport", "Culture", "Opinion", "Video", "Contact us"]
    story = [
        "The city council voted on Tuesday to rebuild the old harbour bridge, ending a dispute that has lasted for "
        "more than a decade and divided the town.",
        "The new bridge will carry trams as well as cars, and work is expected to start next spring once the last "
        "permits have been granted by the regional government.",
        "Critics of the plan said the cost had doubled since it was first proposed, and that the money would be "
        "better spent on schools and on the hospital in the north of the city.",
        "The mayor said the bridge was the most important project of her term and promised that the budget would "
        "be checked by an independent auditor every year until it is finished.",
        "Residents who live near the harbour will be offered compensation for the noise, and the council will hold "
        "public meetings about the building work in January and February.",
        "The old bridge, which opened in 1931, will stay open to walkers and cyclists until the new one is ready.",
    ]
    news = [
        "Tram fares will rise in April, the transport office said today.",
        "Schools in the west get new heating systems before the winter.",
        "A new hospital wing opens in the north of the city next week.",
    ]
    lines = menu[:5]
    for k, item in enumerate(news):
        lines += [f"Anna Berg, 28 November 2011 at 1{k}:39", item]
    lines += ["Harbour bridge to be rebuilt", "Tom Hall, 28 November 2011 at 16:39", *story, *menu[5:]]
    return "\n".join(lines)


def test_a_header_run_that_would_swallow_the_story_is_not_a_comment_section() -> None:
    text = _dateline_page()
    article = cleannews.clean(text, format="text")
    assert not article.comments
    assert "The city council voted on Tuesday" in article.body
    assert "until the new one is ready." in article.body
    # the guard is what keeps it: without it the story is the last "comment"
    unguarded = Chain.from_config({"options": {"comments": {"min_story_words": 0}}})
    swallowed = cleannews.clean(text, format="text", chain=unguarded)
    assert "The city council voted on Tuesday" not in swallowed.body
    assert any("The city council voted on Tuesday" in c.text for c in swallowed.comments)


def test_a_comment_heading_ends_a_teaser_list_above_it() -> None:
    """ "46 Comments" right after a "Related posts:" list is the thread's heading, not one more item."""
    thread = []
    for name, time, text in [
        (
            "Camaleont",
            "10:31 pm",
            "These pictures look good, I will be curious to see a comparison with the older lens.",
        ),
        ("hunt", "10:32 pm", "Looks good so far, and the price is much easier on the wallet than before."),
        ("Anthony", "10:46 pm", "Took a look at the larger versions, the sharpness is there even wide open."),
    ]:
        thread += [name, f"Posted October 28, 2012 at {time} | Permalink", text, "Reply"]
    related = ["Related posts:", "More sample images from the new lens", "New sample images from the old lens"]
    article = clean_text(*STORY, *related, "46 Comments", *thread)
    kinds = {r.text: r.kind for r in article.removed}
    assert kinds["46 Comments"] == "comment_furniture"
    assert kinds["More sample images from the new lens"] == "teaser"
    assert [c.author for c in article.comments] == ["Camaleont", "hunt", "Anthony"]


def test_the_story_guard_counts_chinese_words() -> None:
    """Chinese is written without spaces: a story of 300 characters is one "word" to ``str.split``. The
    guard against a header run that swallows the story counts two CJK characters as a word, so a
    Chinese story cut up at its own dateline ("来源：新华网 2011-12-09 19:55:00") is not taken for a
    comment (a dev page lost its whole article so)."""
    from cleannews.cleaners.base import text_words
    from cleannews.cleaners.comments import Comments
    from cleannews.document import Block, Document

    sentence = "市议会周二投票决定重建旧港口大桥，结束了一场持续十多年、使全城意见分裂的争论。"
    assert len(sentence.split()) == 1 and text_words(sentence) == 1 + 36 // 2  # 36 Han characters
    assert text_words("Two words") == 2
    story = [sentence * 3] * 6  # ~100 characters a paragraph, ~330 words in all
    doc = Document([Block(i, t) for i, t in enumerate(["首页", "来源：新华网 2011-12-09 19:55:00", *story])])
    before = list(doc.labels)
    for i in range(1, len(doc.blocks)):
        doc.label(i, "comment", cleaner="comments", reason="test", data={"comment": "1"})
    assert Comments()._swallows(doc, before)
