"""Block labels: where each kind of block goes in the :class:`~cleannews.Article`.

A label's *kind* is a plain string so that plugins can add their own; the kinds below are the ones the
built-in cleaners use. ``title``, ``body`` and ``comment`` are content; the metadata kinds fill
:class:`~cleannews.Metadata`; every other kind is chrome and lands in ``Article.removed``.
"""

from __future__ import annotations

TITLE = "title"
BODY = "body"
COMMENT = "comment"

#: metadata kind -> the Metadata field its block text fills (list fields collect every block)
METADATA_FIELDS: dict[str, str] = {
    "caption": "captions",
    "credit": "credits",
    "tag": "tags",
    "dateline": "dateline",
    "published": "published",
    "byline": "author",
    "source": "source",
    "poster": "poster",
}
LIST_FIELDS = frozenset({"captions", "credits", "tags"})

#: chrome kinds used by the built-in cleaners (plugins may use others)
CHROME_KINDS: dict[str, str] = {
    "ad": "advertisement markers and sponsored slots",
    "teaser": "teaser / recommendation lists and their headings",
    "related": "inline links to other stories ('Also Read – …', 'RELATED:')",
    "donation": "donation and support appeals",
    "newsletter": "newsletter and sign-up prompts",
    "cookie": "cookie and consent notices",
    "share": "share / follow prompts",
    "author_bio": "author biographies",
    "comment_form": "comment form furniture ('Leave a Reply', 'Your email address …')",
    "comment_furniture": "comment-section furniture (counts, 'Reply', sort controls, pagination)",
    "forum_chrome": "forum furniture (disclaimers, navigation of replies)",
    "navigation": "menus, breadcrumbs, headers and footers",
    "boilerplate": "other page furniture (copyright lines, legal notices)",
    "binary": "binary data (an image, a PDF, random bytes) given as a document: all of it",
    "truncated": "the rest of a document past the most blocks one document is cleaned for (50,000)",
}

CONTENT_KINDS = frozenset({TITLE, BODY, COMMENT})


def is_metadata(kind: str) -> bool:
    return kind in METADATA_FIELDS


def is_chrome(kind: str) -> bool:
    return kind not in CONTENT_KINDS and kind not in METADATA_FIELDS
