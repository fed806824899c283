"""Lines that are metadata, not prose: date lines, forum post headers, bylines, captions, credits, sources,
tags. They leave the body and fill :class:`~cleannews.Metadata`; nothing is lost.
"""

from __future__ import annotations

import itertools
import operator
import re
from collections.abc import Iterable
from typing import Any, ClassVar

import attrs

from ..dates import YEAR_RUN, find_date, year_marks
from ..document import Document
from ..rulebook import Rule
from ..rulescan import block_rules, lines_with, page_of
from .base import RuleCleaner, ends_sentence, rule_reason, rulebook, words
from .comment_rules import is_comment_counter

# what may stand around a date on a date line: "Hour:", "Updated", "Published on", a zone, separators
_DATE_WORDS = re.compile(
    r"\b(hour|time|updated|update|published|posted|last|modified|on|at|date|am|pm|a\.m|p\.m|ist|gmt|utc|et|"
    r"pt|bst|cet|est|edt|pst|pdt|hrs|first|issued|created)\b|[|:•·,–—()\-]",
    re.I,
)
_POSTER = re.compile(
    r"^posted (?:on|at)\s+(?P<date>.+?)\s+by\s+(?P<user>\S+)\s*$|^posted by\s+(?P<user2>\S+)\s+(?:on|at)\s+(?P<date2>.+)$",
    re.I,
)
_SOURCE_PREFIX = re.compile(
    r"^(?:\(excerpt\)\s*read more at|source[s]?|via|courtesy(?: of)?|originally published (?:at|in|on|by)|"
    r"this (?:article|story) (?:was )?(?:first|originally) (?:appeared|published) (?:in|on|at))\s*:?\s*",
    re.I,
)
_TAG_PREFIX = re.compile(
    r"^(?:tags?|topics?|categor(?:y|ies)|filed (?:under|in)|posted in|keywords?|section)\s*:\s*", re.I
)
_BYLINE_PREFIX = re.compile(r"^(?:by|written by|author:|words by)\s+", re.I)
_LOWER_TAG = re.compile(r"^[a-z][a-z0-9' -]*(?:,\s*[a-z][a-z0-9' -]*)*$")


def tag_shaped(text: str) -> bool:
    """A bare lower-case line of up to four words ("north korea"): what :class:`CategoryTag` takes for a
    category tag when it stands at the top of the story."""
    return words(text) <= 4 and _LOWER_TAG.match(text) is not None


def _source_value(text: str) -> str:
    value = _SOURCE_PREFIX.sub("", text).strip()
    return re.sub(r"\s*(\.\.\.|…)$", "", value).strip()


def _asked(doc: Document, rules: list[Rule | None]) -> Iterable[int]:
    """The blocks :class:`MetadataLines` may label, in order: those a rule matches, those that start
    with "posted " and those with four digits in a row (what every date has) — a few of a page's lines,
    found in its lower-cased lines at once. A page where lower-casing is not case folding ("ſ" matches
    "s" in "Posted") has every block asked."""
    page = page_of(doc)
    if page.traps:
        return range(len(doc.blocks))
    asked = set(itertools.compress(itertools.count(), map(operator.is_not, rules, itertools.repeat(None))))
    asked.update(lines_with(year_marks(page.lowered), page.starts, YEAR_RUN))
    asked.update(k for k in page.lines_with("posted ") if page.lowered_lines[k].startswith("posted "))
    return sorted(asked)


@attrs.frozen
class MetadataLines(RuleCleaner):
    """Date lines, "Posted on … by …" headers, bylines, captions, credits, source lines and tag lines.

    Options: ``max_date_extra_words`` (default 2) — words beside the date on a date line.
    """

    name: ClassVar[str] = "metadata_lines"
    max_date_extra_words: int = 2

    def __call__(self, doc: Document) -> None:
        rules = block_rules(rulebook(self.name, self.rules_file), doc)
        labels, blocks = doc.labels, doc.blocks
        for i in _asked(doc, rules):
            block = blocks[i]
            if labels[i] is not None or block.zone == "comments" or block.tag == "tr":
                continue  # (an HTML table row is data, not a dateline)
            text = block.text
            # (the regex's IGNORECASE also takes "ſ" for "s": a line that does not start in ASCII is searched)
            poster = _POSTER.match(text) if text[:7].lower() == "posted " or not text[:7].isascii() else None
            if poster:
                user = poster.group("user") or poster.group("user2")
                found = find_date(poster.group("date") or poster.group("date2") or "")
                data: dict[str, Any] = {"poster": user}
                if found:
                    data["published"] = found[0]
                doc.label(i, "poster", cleaner=self.name, reason="forum post header 'Posted on … by …'", data=data)
                continue
            date = self._date_line(text)
            if date:
                doc.label(i, "published", cleaner=self.name, reason="a line that is a date", data={"published": date})
                continue
            rule = rules[i]
            if rule is not None:
                doc.label(
                    i, rule.kind, cleaner=self.name, reason=rule_reason(rule, text), data=self._data(rule.kind, text)
                )

    def _date_line(self, text: str) -> str | None:
        if len(text) > 80:
            return None
        found = find_date(text)
        if not found:
            return None
        iso, (start, end) = found
        rest = _DATE_WORDS.sub(" ", text[:start] + " " + text[end:])
        return iso if len(rest.split()) <= self.max_date_extra_words else None

    @staticmethod
    def _data(kind: str, text: str) -> dict[str, Any]:
        if kind == "source":
            return {"source": _source_value(text)}
        if kind == "byline":
            return {"author": _BYLINE_PREFIX.sub("", text).strip()}
        if kind == "tag":
            return {"tags": [t.strip() for t in _TAG_PREFIX.sub("", text).split(",") if t.strip()]}
        return {}


@attrs.frozen
class CategoryTag:
    """A bare lower-case line at the top of the story ("north korea") is its category tag.

    It runs after the chrome cleaners and counts only the blocks they left (and not a comment counter,
    which the comments cleaner takes), so the decision is the same when the text is cleaned again. Options: ``zone`` (default 4) — among the first free blocks, before
    any prose.
    """

    name: ClassVar[str] = "category_tag"
    zone: int = 4

    def __call__(self, doc: Document) -> None:
        position = 0
        for block in doc.free():
            text = block.text
            if block.zone == "comments" or is_comment_counter(doc, block.index):
                continue  # a counter ("3 Comments") is the comments cleaner's, gone when cleaned again
            if position >= self.zone or (words(text) >= 8 and ends_sentence(text)):
                return
            if tag_shaped(text):
                doc.label(block.index, "tag", cleaner=self.name, reason="short lower-case line at the top (category tag)",
                          data={"tags": [text]})  # fmt: skip
                continue
            position += 1
