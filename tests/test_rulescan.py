"""The page-at-once rule scan (rulescan.py) answers exactly what ``Rulebook.match`` answers line by line.

The scan screens lines by strings read off the patterns (anchored ones by the line start), by hashes of
3- and 5-character runs, and searches joined lines; every shortcut must keep the answer. These tests
compare the two on the seed pages and on lines made to trip the shortcuts: leading white space, upper
case, line breaks inside a block, the case-folding traps (İ, ı, ſ, the Kelvin sign), Greek final sigma,
and user rules with anchors, scoped flags, lookbehinds and back-references.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleannews.cleaners.base import rulebook
from cleannews.document import Block, Document
from cleannews.rulebook import Rulebook
from cleannews.rulescan import block_rules

from .conftest import SEEDS

BOOKS = ("ads", "prompts", "comment_form", "forum", "metadata_lines", "related", "donations", "teasers",
         "author_bio", "comments")  # fmt: skip

USER_RULES = r"""
[[rule]]
id = "u-anchored"
cleaner = "ads"
kind = "ad"
pattern = '^\s*(sponsored|promoted)\b'

[[rule]]
id = "u-multiline"
cleaner = "ads"
kind = "ad"
pattern = '(?m)^\s*paid (post|content)'
max_words = 9

[[rule]]
id = "u-traps"
cleaner = "ads"
kind = "ad"
pattern = 'ſtraße|STRASSE|İstanbul|ıi'

[[rule]]
id = "u-text-start"
cleaner = "related"
kind = "related"
pattern = '\Aweiter ?lesen\s*:'

[[rule]]
id = "u-unjoinable"
cleaner = "related"
kind = "related"
pattern = '(?:^|\|)\s*mehr (zum|dazu)|\bkelvin\b|(?<=x)yz|(a)b\1'

[[rule]]
id = "u-scoped-flags"
cleaner = "related"
kind = "related"
prefixes = ["lesen sie auch"]
pattern = '^(?-i:READ) ?(?i:NEXT)'

[[rule]]
id = "u-spaces"
cleaner = "related"
kind = "related"
pattern = '^ *[-–] *(voir|lire) aussi'

[[rule]]
id = "u-greek"
cleaner = "related"
kind = "related"
pattern = '«\s*(lesen|ΔΙΑΒΑΣΤΕ|διαβάστε|é(crit|té)) par|^Σ|σ$|^(ﬅ|ß)'
"""

TRICKY = [
    "  by John Smith", "\tAlso read: x", "BY JOHN SMITH", "By İsmail Kaya", "ſource: x", "Sponsored",
    "  sponsored content", "x\npaid post here", "Weiter lesen: x", "| mehr zum thema", "KELVIN scale",
    "\u212aelvin scale", "xyz", "abab", "READ Next", "read next", "  - voir aussi x", "\u2003Related: foo",
    "Thank you for reading", "thanks", "(Photo by X)", "P.O. Box 12", " ", "\n", "Tags: a, b", "\nby John",
    "« ΔΙΑΒΑΣΤΕ par x", "« διαβάστε par", "« ÉCRIT PAR x", "ΣΟΦΙΑ", "ΟΔΟΣ", "STRAẞE", "ﬆ", "ß", "ss",
    "Advertisement", "ADVERTISEMENT", "Also Read – Mayor defends budget cuts", "RELATED:", "Support Now",
    "Your support helps us to tell the story", "Leave a Reply", "Share this article", "Source: EFE",
    "teleSUR/ JF", "3 Comments", "Sign up for our newsletter", "More from Politics", "Follow us on Twitter",
]  # fmt: skip
SEED_LINES = sorted({line.strip() for path in SEEDS for line in path.read_text(encoding="utf-8").splitlines()} - {""})


def _books(tmp_path: Path) -> list[Rulebook]:
    user = tmp_path / "rules.toml"
    user.write_text(USER_RULES, encoding="utf-8")
    return [rulebook(name, None) for name in BOOKS] + [Rulebook("ads", str(user)), Rulebook("related", str(user))]


def _differences(books: list[Rulebook], lines: list[str], language: str | None) -> list[tuple[str, str]]:
    doc = Document([Block(i, text) for i, text in enumerate(lines)], language=language)
    found = []
    for book in books:
        scanned = block_rules(book, doc)
        for i, text in enumerate(lines):
            if scanned[i] is not book.match(text, language):
                found.append((book.cleaner, text))
    return found


def test_the_scan_matches_line_by_line_on_the_seeds_and_tricky_lines(tmp_path: Path) -> None:
    books = _books(tmp_path)
    for language in (None, "en", "de", "el"):
        assert _differences(books, SEED_LINES + TRICKY, language) == []
        assert _differences(books, [t.upper() for t in TRICKY] + [" " + t for t in SEED_LINES[:40]], language) == []


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(
    lines=st.lists(
        st.one_of(
            st.sampled_from(TRICKY),
            st.sampled_from(SEED_LINES),
            st.tuples(st.sampled_from([" ", "\t", "\u00a0", "\n", ""]), st.sampled_from(TRICKY)).map("".join),
            st.text(alphabet=st.sampled_from("abyBY ()|:-\nſıİK\u212aσΣß"), max_size=30),
        ),
        min_size=1,
        max_size=40,
    ),
    language=st.sampled_from([None, "en", "fr"]),
)
def test_the_scan_matches_line_by_line_on_any_page(tmp_path: Path, lines: list[str], language: str | None) -> None:
    assert _differences(_books(tmp_path), lines, language) == []
