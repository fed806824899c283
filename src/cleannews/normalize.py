"""Encoding repair and white-space normalisation, each step reported as a :class:`Fix`.

ftfy repairs mojibake, but with every option that would change *correct* text switched off: curly
quotes stay curly, ligatures and full-width forms stay as written, HTML entities in plain text stay.
"""

from __future__ import annotations

import re
import unicodedata

import ftfy

from .decoding import REPLACED
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
_SPACE_CHARS = ("\u00a0", "\u2007", "\u202f", "\u3000", "\t", "\u000b", "\u000c")
_ZERO_WIDTH_CHARS = ("\u200b", "\u200c", "\u2060", "\ufeff", "\u00ad")
_SURROGATES = re.compile("[\ud800-\udfff]")
_TRAILING = re.compile(r"[ \t]+(?=\n|$)")
#: the C0 controls but white space and ESC (which ftfy's terminal-escape fix reads), and DEL: removed
#: before the mojibake repair, which must see the text as it will be ("Â\x1f¡" is "Â¡", which is "¡")
_CONTROLS = re.compile("[\x01-\x08\x0e-\x1a\x1c-\x1f\x7f]")
#: what is left after the repair: any C0 control but white space, DEL, and the C1 controls ftfy keeps
#: (the five that windows-1252 leaves undefined, U+0081, U+008D, U+008F, U+0090, U+009D, and those of
#: lines it did not touch)
_LEFT_CONTROLS = re.compile("[\x01-\x08\x0e-\x1f\x7f-\x9f]")
#: after removing controls left by the repair, the lines are repaired again (the removal may join
#: mojibake that a control split); this many rounds at most
_CONTROL_ROUNDS = 3
# ftfy's mojibake detector is costly on long pages; it runs only when a cheap screen sees what mojibake
# looks like: UTF-8 read as Latin-1/cp1252 (a lead byte shown as Â-ô, then a continuation byte), C1
# controls, terminal escapes, or runs of Latin-1 letters typical of Cyrillic/Greek read as Latin-1.
_SUSPECT = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u2122]"
    "|[\u0080-\u009f\x1b]|[\u00c0-\u00ff]{4}|\ufffd"
)


# The same screen on the UTF-8 bytes, where every part starts with a literal byte that the regex engine
# finds with a fast memchr-style scan (a character class costs ~10 ns a character: a millisecond a page).
# U+0080–U+00BF is \xc2 + one byte, U+00C0–U+00FF is \xc3 + one byte; the continuation characters of
# the first part are spelled out as UTF-8 below.
_SUSPECT_UTF8 = (
    re.compile(
        rb"\xc3[\x82-\xb4](?:\xc2[\x80-\xbf]|\xc5[\x92\x93\xa0\xa1\xb8\xbd\xbe]|\xc6\x92|\xcb[\x86\x9c]"
        rb"|\xe2(?:\x80[\x93-\xbf]|[\x81-\x83][\x80-\xbf]|\x84[\x80-\xa2]))"
    ),
    re.compile(rb"\xc2[\x80-\x9f]"),
    re.compile(rb"\xc3[\x80-\xbf]\xc3[\x80-\xbf]\xc3[\x80-\xbf]\xc3[\x80-\xbf]"),
)


def _suspect(text: str) -> bool:
    """``_SUSPECT.search(text) is not None``, computed faster."""
    if "\x1b" in text or "\ufffd" in text:
        return True
    if text.isascii():
        return False
    data = text.encode("utf-8", "surrogatepass")
    lead_pairs, c1, latin_run = _SUSPECT_UTF8
    if b"\xc2" in data and c1.search(data) is not None:
        return True
    return b"\xc3" in data and (lead_pairs.search(data) is not None or latin_run.search(data) is not None)


def repair_encoding(text: str) -> tuple[str, list[Fix]]:
    """Undo mojibake with ftfy; correct text is returned unchanged.

    Like ``ftfy.fix_text``, a text of several lines is fixed line by line — here only the lines that
    hold characters mojibake is made of, so one bad line in a long page costs one short ftfy call.
    """
    if not _suspect(text):
        return text, []
    if "\n" not in text:
        return _fix(text)
    lines = text.split("\n")
    fixes: list[Fix] = []
    for i, line in enumerate(lines):
        if _latin1_or_escape(line):
            lines[i], line_fixes = _fix(line)
            fixes.extend(f for f in line_fixes if f not in fixes)
    return "\n".join(lines), fixes


def _latin1_or_escape(line: str) -> bool:
    """A line of a suspect page that ftfy should see: it holds a U+0080–U+00FF character (mojibake is
    made of them, e.g. "Â " for a no-break space), U+FFFD or ESC."""
    if line.isascii():
        return "\x1b" in line
    if "\ufffd" in line or "\x1b" in line:
        return True
    data = line.encode("utf-8", "surrogatepass")
    return b"\xc2" in data or b"\xc3" in data


def _fix(text: str) -> tuple[str, list[Fix]]:
    fixed, explanation = ftfy.fix_and_explain(text, config=_FTFY_CONFIG)
    return fixed, [Fix("ftfy", f"{step}({arg})") for step, arg in (explanation or [])]


def replace_surrogates(text: str) -> tuple[str, int]:
    """``text`` with its surrogate code points made valid: a high + low pair becomes the character it
    encodes, a lone one U+FFFD; and how many were replaced. (Only a ``str`` made by hand, or read from
    JSON's ``"\\ud800"`` escapes, holds them; no UTF-8 output can.)"""
    try:
        text.encode("utf-8")
        return text, 0
    except UnicodeEncodeError:
        pass
    fixed = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    joined = len(text) - len(fixed)  # each pair became one character
    return fixed, len(_SURROGATES.findall(text)) - 2 * joined


def surrogate_fix(count: int) -> Fix:
    return Fix(REPLACED, f"{count} lone surrogate{'s' if count != 1 else ''} replaced with U+FFFD")


def _printable(text: str) -> bool:
    """True when ``text`` has no control character (line breaks and tabs aside) and no surrogate, for sure;
    False when it may have some. Fast C scans only: odd spaces and zero-width characters, which are not
    "printable" either and which many texts have, are taken out of the probe first."""
    probe = text.replace("\n", "")
    if "\t" in probe:
        probe = probe.replace("\t", "")
    if probe.isprintable():
        return True
    for char in _SPACE_CHARS + _ZERO_WIDTH_CHARS:
        if char in probe:
            probe = probe.replace(char, "")
    return probe.isprintable()


def normalize_line(line: str) -> str:
    """NFC, odd spaces to plain spaces, runs collapsed, ends stripped."""
    line = _ZERO_WIDTH.sub("", line)
    line = _SPACES.sub(" ", line)
    line = _RUNS.sub(" ", line)
    return unicodedata.normalize("NFC", line.strip())


def normalize_text(text: str) -> tuple[str, list[Fix]]:
    """Repair encoding, then normalise white space line by line (line structure is kept).

    Idempotent: what one step changes can make another step's input anew (a form feed made a space
    after ftfy has run: "Â\x0c0" is "Â 0", which ftfy reads as a mangled no-break space), so a text
    that needed any fix is normalised again, until nothing changes (a round or two; text that needs
    no fix, nearly all of it, is normalised once)."""
    out, fixes = _normalize_once(text)
    for _ in range(_ROUNDS):
        if not fixes:
            break
        again, more = _normalize_once(out)
        if again == out:
            break
        out = again
        fixes.extend(f for f in more if f not in fixes)
    return out, fixes


#: rounds of :func:`normalize_text` after the first, at most
_ROUNDS = 3


def _normalize_once(text: str) -> tuple[str, list[Fix]]:
    fixes: list[Fix] = []
    printable = _printable(text)
    if not printable:  # (a surrogate is not printable)
        text, n_surrogates = replace_surrogates(text)
        if n_surrogates:
            fixes.append(surrogate_fix(n_surrogates))
    if "\x00" in text:
        text = text.replace("\x00", "")
        fixes.append(Fix("nul", "NUL characters removed"))
    # zero-width characters go before the mojibake repair, so that repairing the output again
    # sees the same text
    n_zero = 0 if text.isascii() or not any(c in text for c in _ZERO_WIDTH_CHARS) else len(_ZERO_WIDTH.findall(text))
    if n_zero:
        text = _ZERO_WIDTH.sub("", text)
        fixes.append(Fix("zero-width", f"{n_zero} zero-width character(s) removed"))
    # line breaks before the repair, which works line by line: the lines must be the ones the cleaned
    # text has when it is normalised again ("\x80\r\x94Ä" is two lines, each repaired on its own)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    # control characters (a text's own ones; tabs and the like become spaces below): never article text,
    # and left in they could make the cleaned text look like binary data when it is cleaned again
    n_control = 0
    if not printable:
        text, n_control = _CONTROLS.subn("", text)
    fixed, encoding_fixes = repair_encoding(text)
    for _ in range(_CONTROL_ROUNDS if encoding_fixes or not printable else 0):  # controls the repair left
        if _printable(fixed):  # (C1 it could not map, ESC out of a sequence)
            break
        fixed, n_left = _LEFT_CONTROLS.subn("", fixed)
        if not n_left:
            break
        n_control += n_left
        fixed, more = repair_encoding(fixed)
        encoding_fixes.extend(f for f in more if f not in encoding_fixes)
    fixes.extend(encoding_fixes)
    if n_control:
        fixes.append(Fix("control", f"{n_control} control character(s) removed"))
    # normalize_line on every line, done on the whole text at once (the same result, a fraction of the
    # cost on a page of hundreds of lines)
    # (``in`` tests are fast literal scans; a character-class regex scan costs ~10 ns a character)
    ascii_only = fixed.isascii()
    n_space = len(_SPACES.findall(fixed)) if any(c in fixed for c in _SPACE_CHARS) else 0
    if n_space:
        fixes.append(Fix("spaces", f"{n_space} no-break/odd space(s) made plain"))
    nfc = ascii_only or unicodedata.is_normalized("NFC", fixed)
    if not nfc:
        fixes.append(Fix("nfc", "Unicode NFC normalisation"))
    out = fixed
    if n_space:
        out = _SPACES.sub(" ", out)
    if "  " in out:
        out = _RUNS.sub(" ", out)
    out = "\n".join([line.strip() for line in out.split("\n")])
    if not nfc:
        out = unicodedata.normalize("NFC", out)
    return out, fixes
