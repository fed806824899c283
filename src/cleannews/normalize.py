"""Encoding repair and white-space normalisation, each step reported as a :class:`Fix`.

ftfy repairs mojibake, but with every option that would change *correct* text switched off: curly
quotes stay curly, ligatures and full-width forms stay as written, HTML entities in plain text stay.
"""

from __future__ import annotations

import re
import unicodedata

import ftfy

from .model import Fix

_FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    uncurl_quotes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    fix_line_breaks=True,
    normalization="NFC",
    explain=True,
)
# Characters that render as a space but are not one; zero-width ones are dropped.
_SPACES = re.compile("[\u00a0\u2007\u202f\u3000\t\u000b\u000c]")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u2060\ufeff\u00ad]")
_RUNS = re.compile(" {2,}")
_TRAILING = re.compile(r"[ \t]+(?=\n|$)")
# ftfy's mojibake detector is costly on long pages; it runs only when a cheap screen sees what mojibake
# looks like: UTF-8 read as Latin-1/cp1252 (a lead byte shown as Â-ô, then a continuation byte), C1
# controls, terminal escapes, or runs of Latin-1 letters typical of Cyrillic/Greek read as Latin-1.
_SUSPECT = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u2122]"
    "|[\u0080-\u009f\x1b]|[\u00c0-\u00ff]{4}|\ufffd"
)


def repair_encoding(text: str) -> tuple[str, list[Fix]]:
    """Undo mojibake with ftfy; correct text is returned unchanged."""
    if not _SUSPECT.search(text):
        return text, []
    fixed, explanation = ftfy.fix_and_explain(text, config=_FTFY_CONFIG)
    fixes = [Fix("ftfy", f"{step}({arg})") for step, arg in (explanation or [])]
    return fixed, fixes


def normalize_line(line: str) -> str:
    """NFC, odd spaces to plain spaces, runs collapsed, ends stripped."""
    line = _ZERO_WIDTH.sub("", line)
    line = _SPACES.sub(" ", line)
    line = _RUNS.sub(" ", line)
    return unicodedata.normalize("NFC", line.strip())


def normalize_text(text: str) -> tuple[str, list[Fix]]:
    """Repair encoding, then normalise white space line by line (line structure is kept)."""
    fixes: list[Fix] = []
    if "\x00" in text:
        text = text.replace("\x00", "")
        fixes.append(Fix("nul", "NUL characters removed"))
    fixed, encoding_fixes = repair_encoding(text)
    fixes.extend(encoding_fixes)
    if "\r" in fixed:
        fixed = fixed.replace("\r\n", "\n").replace("\r", "\n")
    n_space = len(_SPACES.findall(fixed))
    if n_space:
        fixes.append(Fix("spaces", f"{n_space} no-break/odd space(s) made plain"))
    n_zero = len(_ZERO_WIDTH.findall(fixed))
    if n_zero:
        fixes.append(Fix("zero-width", f"{n_zero} zero-width character(s) removed"))
    lines = [normalize_line(line) for line in fixed.split("\n")]
    if unicodedata.normalize("NFC", fixed) != fixed:
        fixes.append(Fix("nfc", "Unicode NFC normalisation"))
    return "\n".join(lines), fixes
