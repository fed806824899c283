"""What the built-in cleaners share: the protocol, text shape tests, and the rule-driven base."""

from __future__ import annotations

from typing import ClassVar, Protocol, runtime_checkable

import attrs

from ..document import Document
from ..language import CJK
from ..rulebook import Rule, Rulebook
from ..rulescan import block_rules


@runtime_checkable
class Cleaner(Protocol):
    """Labels blocks of a document. ``name`` appears in every label it makes."""

    name: str

    def __call__(self, doc: Document) -> None: ...


def words(text: str) -> int:
    return len(text.split())


def text_words(text: str) -> int:
    """The length of ``text`` in words, two CJK characters counting as one: Chinese and Japanese are
    written without spaces, so :func:`words` takes a whole paragraph of them for one word."""
    n = len(text.split())
    return n if text.isascii() else n + len(CJK.findall(text)) // 2


_SENTENCE_CHARS = frozenset(".!?…:;")
_CLOSERS = "'\"”’»)]"


def ends_sentence(text: str) -> bool:
    """Whether ``text`` ends like a sentence (``[.!?…:;]`` and closing quotes or brackets), read from
    its end instead of searching the whole line."""
    if text.endswith("\n"):
        text = text[:-1]
    return text.rstrip(_CLOSERS)[-1:] in _SENTENCE_CHARS


def ends_with_ellipsis(text: str) -> bool:
    """Whether ``text`` ends with "..." or "…" (and white space), read from its end."""
    return text.rstrip().endswith(("...", "…"))


def is_headline(text: str, max_words: int = 22) -> bool:
    """Short, no sentence-final punctuation (a question mark is allowed), not a list fragment."""
    n = words(text)
    if n == 0 or n > max_words or len(text) > 220:
        return False
    return not ends_sentence(text) or text.rstrip().endswith("?")


def snippet(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


_BOOKS: dict[tuple[str, str | None], Rulebook] = {}


def rulebook(cleaner: str, rules_file: str | None) -> Rulebook:
    """One cached rulebook per cleaner name and user rule file."""
    key = (cleaner, rules_file)
    book = _BOOKS.get(key)
    if book is None:
        book = _BOOKS[key] = Rulebook(cleaner, rules_file)
    return book


def rule_reason(rule: Rule, text: str) -> str:
    return f"rule {rule.language}/{rule.id} matched {snippet(text, 40)!r}"


@attrs.frozen
class RuleCleaner:
    """Labels every free block that one of this cleaner's data rules matches.

    Options: ``rules_file`` — a TOML file of extra ``[[rule]]`` tables (same shape as the shipped ones).
    """

    name: ClassVar[str] = "rules"
    rules_file: str | None = None

    def __attrs_post_init__(self) -> None:
        rulebook(self.name, self.rules_file).rules(None)  # a bad rule file fails here, not mid-batch

    def __call__(self, doc: Document) -> None:
        hits = block_rules(rulebook(self.name, self.rules_file), doc)  # the whole document at once
        for block, rule in zip(doc.blocks, hits, strict=True):
            if rule is not None and doc.is_free(block.index):
                doc.label(block.index, rule.kind, cleaner=self.name, reason=rule_reason(rule, block.text))
