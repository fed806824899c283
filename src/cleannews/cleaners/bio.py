"""Author bios: "Jane Doe is a reporter who covers …" after the article, or under "About the author"."""

from __future__ import annotations

import re
from typing import ClassVar

import attrs

from ..document import Document
from ..rulescan import block_rules
from .base import RuleCleaner, rule_reason, rulebook

_NAME = r"(?P<name>[A-Z][\w'’-]+(?:\s+(?:[A-Z]\.|[A-Z][\w'’-]+|de|van|von|al|bin|da|di|le)){1,3})"
_BIO_START = re.compile(_NAME + r"\s+(?:is|was|has been|covers|writes|joined|reports|serves|works)\b")
_BIO_WORDS = re.compile(
    r"\b(writer|journalist|reporter|editor|author|correspondent|contributor|columnist|freelance|"
    r"loves to write|writes about|writing|covers|graduate|degree|hobby|based in|has written|blogger|"
    r"analyst|staff|desk|newsroom|her work|his work|their work|follow (?:her|him|them))\b",
    re.I,
)


@attrs.frozen
class AuthorBio(RuleCleaner):
    """Author biographies near the end of the article; the name becomes ``metadata.author``.

    Options: ``tail_share`` (default 0.4) — a bio without a heading must lie in this last share of the
    blocks; ``max_words`` (default 120).
    """

    name: ClassVar[str] = "author_bio"
    tail_share: float = 0.4
    max_words: int = 120

    def __call__(self, doc: Document) -> None:
        rules = block_rules(rulebook(self.name, self.rules_file), doc)
        n = len(doc.blocks)
        start_tail = int(n * (1 - self.tail_share))
        for block in doc.free():
            i = block.index
            if not doc.is_free(i):
                continue
            rule = rules[block.index]
            if rule is not None:
                doc.label(i, "author_bio", cleaner=self.name, reason=rule_reason(rule, block.text))
                nxt = i + 1
                if nxt < n and doc.is_free(nxt) and _BIO_START.match(doc.blocks[nxt].text):
                    self._take(doc, nxt, f"bio under the heading {block.text!r}")
                continue
            if i >= start_tail and len(block.text.split()) <= self.max_words:
                match = _BIO_START.match(block.text)
                if match and _BIO_WORDS.search(block.text):
                    self._take(doc, i, f"'{match.group('name')} is …' with biography words, in the last part")

    def _take(self, doc: Document, index: int, reason: str) -> None:
        doc.label(index, "author_bio", cleaner=self.name, reason=reason)
        match = _BIO_START.match(doc.blocks[index].text)
        if match:
            doc.set_meta("author", match.group("name"))
