"""Cleaners that are their rules and little more: ads, prompts, comment forms, forum furniture, related."""

from __future__ import annotations

from typing import ClassVar

import attrs

from ..document import Document
from ..rulescan import block_rules
from .base import RuleCleaner, is_headline, rule_reason, rulebook


@attrs.frozen
class Ads(RuleCleaner):
    """Ad markers and placeholders interleaved with paragraphs ("advertisement", "spot_img")."""

    name: ClassVar[str] = "ads"


@attrs.frozen
class Prompts(RuleCleaner):
    """Newsletter, cookie and share prompts."""

    name: ClassVar[str] = "prompts"


@attrs.frozen
class CommentForm(RuleCleaner):
    """Comment-form furniture: "Leave a Reply", "Your email address will not be published" …"""

    name: ClassVar[str] = "comment_form"


@attrs.frozen
class Forum(RuleCleaner):
    """Forum furniture: site disclaimers, reply navigation."""

    name: ClassVar[str] = "forum"


@attrs.frozen
class Related(RuleCleaner):
    """Inline links to other stories: "Also Read – …", and a "RELATED:" label with the headline after it.

    Options: ``max_headline_words`` — how long the headline after a bare label may be (default 22).
    """

    name: ClassVar[str] = "related"
    max_headline_words: int = 22

    def __call__(self, doc: Document) -> None:
        rules = block_rules(rulebook(self.name, self.rules_file), doc)
        blocks = doc.blocks
        for block in doc.free():
            if not doc.is_free(block.index):
                continue
            rule = rules[block.index]
            if rule is None:
                continue
            nxt = block.index + 1
            if rule.id != "related-label":
                doc.label(block.index, rule.kind, cleaner=self.name, reason=rule_reason(rule, block.text))
                continue
            # A bare label takes the one headline after it; a label over a list is a teaser heading.
            if not (nxt < len(blocks) and doc.is_free(nxt) and is_headline(blocks[nxt].text, self.max_headline_words)):
                continue
            after = nxt + 1
            # inline, the story goes on after the linked headline; under a section heading a list does
            if after >= len(blocks) or is_headline(blocks[after].text, self.max_headline_words):
                continue
            doc.label(block.index, rule.kind, cleaner=self.name, reason=rule_reason(rule, block.text))
            doc.label(nxt, rule.kind, cleaner=self.name, reason=f"headline after the related label {block.text!r}")
