"""One test (at least) per built-in cleaner, each on hand-made lines unlike the seeds'."""

from __future__ import annotations

from .helpers import kinds, run

PROSE = "The council voted on Tuesday to extend the programme for another three years, officials said."
PROSE2 = "Critics argued that the money would be better spent on repairing the town's ageing roads."


def test_ads_labels_markers_between_paragraphs() -> None:
    doc = run("ads", PROSE, "ADVERTISEMENT", PROSE2, "- Advertisement -", "Story continues below advertisement")
    assert kinds(doc) == [None, "ad", None, "ad", "ad"]
    assert "ad-marker" in doc.labels[1].reason  # type: ignore[union-attr]


def test_ads_leave_prose_that_mentions_advertising() -> None:
    doc = run("ads", "The advertisement campaign cost the company two million dollars last year.")
    assert kinds(doc) == [None]


def test_donations_take_a_multi_paragraph_appeal_with_its_middle() -> None:
    doc = run(
        "donations",
        "Help us keep local news alive",
        "Readers like you make our reporting possible.",
        "We have covered this valley for 120 years, through floods and fires and elections.",
        "Please consider making a donation today: every gift counts.",
        PROSE,
    )
    assert kinds(doc) == ["donation", "donation", "donation", "donation", None]


def test_donations_leave_news_about_donations() -> None:
    doc = run("donations", "The billionaire pledged to donate to the hospital's new cancer wing, a spokesman said.")
    assert kinds(doc) == [None]


def test_teasers_take_heading_and_items() -> None:
    doc = run(
        "teasers",
        PROSE,
        "More Stories",
        "Floods close main road for third day",
        "Residents were told to avoid the area while crews...",
        "School wins national robotics prize",
        "A team of twelve pupils beat forty rivals to...",
    )
    assert kinds(doc) == [None, "teaser", "teaser", "teaser", "teaser", "teaser"]


def test_teasers_without_heading_need_two_pairs() -> None:
    one_pair = run("teasers", PROSE, "Floods close main road", "Residents were told to avoid...", PROSE2)
    assert kinds(one_pair) == [None, None, None, None]
    two_pairs = run(
        "teasers",
        PROSE,
        "Floods close main road",
        "Residents were told...",
        "Mayor resigns",
        "In a letter the mayor...",
    )
    assert kinds(two_pairs) == [None, "teaser", "teaser", "teaser", "teaser"]


def test_related_inline_link_and_label_with_headline() -> None:
    doc = run(
        "related", PROSE, "READ MORE: Mayor defends budget cuts", PROSE2, "See also:", "How the vote was won", PROSE
    )
    assert kinds(doc) == [None, "related", None, "related", "related", None]


def test_prompts_newsletter_cookie_share() -> None:
    doc = run(
        "prompts",
        PROSE,
        "Sign up for our free morning newsletter and get the news delivered to your inbox.",
        "We use cookies to improve your experience on our site.",
        "Share this article",
    )
    assert kinds(doc) == [None, "newsletter", "cookie", "share"]


def test_comment_form_phrases() -> None:
    doc = run("comment_form", PROSE, "Leave a comment", "You must be logged in to post a comment.")
    assert kinds(doc) == [None, "comment_form", "comment_form"]


def test_forum_disclaimer() -> None:
    doc = run("forum", PROSE, "Disclaimer: The views expressed here are those of the members and not of the site.")
    assert kinds(doc) == [None, "forum_chrome"]


def test_metadata_lines_date_byline_caption_credit_source() -> None:
    doc = run(
        "metadata_lines",
        "Harbour plan approved",
        "By Maria Lopez and Tom Reed",
        "Updated: 3 March 2024, 14:05 GMT",
        "The new pier at dusk. Photo: Jan Novak",
        PROSE,
        "(With inputs from agencies)",
        "Source: Reuters",
    )
    assert kinds(doc) == [None, "byline", "published", "caption", None, "credit", "source"]
    assert doc.labels[2].data == {"published": "2024-03-03T14:05+00:00"}  # type: ignore[union-attr]
    assert doc.labels[6].data == {"source": "Reuters"}  # type: ignore[union-attr]


def test_metadata_lines_poster_header() -> None:
    doc = run("metadata_lines", "Posted by riverfan on 12/01/2023 10:15:00 PM EST", PROSE)
    label = doc.labels[0]
    assert label is not None and label.kind == "poster"
    assert label.data == {"poster": "riverfan", "published": "2023-12-01T22:15:00-05:00"}


def test_author_bio_at_the_end_sets_author() -> None:
    doc = run(
        "author_bio",
        "Harbour plan approved",
        PROSE,
        PROSE2,
        PROSE,
        "Tom Reed is a senior reporter who covers transport and local politics for the paper.",
    )
    assert kinds(doc)[-1] == "author_bio"
    assert doc.meta["author"] == "Tom Reed"


def test_author_bio_not_in_the_lead() -> None:
    doc = run("author_bio", "Tom Reed is a reporter who was arrested on Monday, police said.", PROSE, PROSE2, PROSE)
    assert kinds(doc)[0] is None


def test_comments_section_after_heading() -> None:
    doc = run("comments", PROSE, PROSE2, "3 Comments", "Great piece, thanks.", "I disagree with the mayor.")
    assert kinds(doc) == [None, None, "comment_furniture", "comment", "comment"]


def test_title_first_headline_shaped_block() -> None:
    doc = run("title", "Harbour plan approved after long fight", PROSE)
    assert kinds(doc) == ["title", None]
    doc = run("title", PROSE, "Not a title")
    assert kinds(doc) == [None, None]


def test_story_dateline_and_wire_credit() -> None:
    doc = run(
        "story", "LONDON (Reuters) - Prices rose again in May, the statistics office said.", "More followed. (AFP)"
    )
    assert doc.meta == {"dateline": "LONDON", "source": "Reuters"}
