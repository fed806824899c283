"""Bytes to text: byte-order mark, then the declared charset (checked), then detection.

A declared charset is checked, not trusted:

- UTF-16 without a byte-order mark is told by its NUL bytes (the high bytes of spaces, digits and
  punctuation), before anything else: Cyrillic or Greek UTF-16 is all bytes below 0x80, valid UTF-8;
- bytes that are valid UTF-8 (and not plain ASCII) are read as UTF-8 whatever the page declares —
  text in a legacy single-byte charset is practically never valid UTF-8 by chance; so are bytes that
  are *mostly* valid UTF-8 (a stray Latin-1 byte in a UTF-8 page): the invalid bytes become U+FFFD and
  a fix says how many (the same function reads a JSON line with bad bytes, :func:`utf8_replacing`);
- a declared charset that does not decode the bytes, or decodes them into mojibake (Cyrillic bytes
  read as Latin-1: "Ïðåçèäåíò"), gives way to detection with charset-normalizer;
- labels are read the way browsers read them (WHATWG): ``iso-8859-1`` and ``ascii`` mean
  windows-1252, ``gb2312`` means GBK, ``shift_jis`` means cp932 …

Every decision is reported as a :class:`Fix`. ftfy later repairs what mojibake remains inside the text.
"""

from __future__ import annotations

import codecs
import re

from .model import Fix

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
#: the step of the fix that says how many invalid bytes became U+FFFD (the article also warns)
REPLACED = "replaced"
_DECLARED = re.compile(rb"""(?:charset|encoding)\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.I)
_HEAD_BYTES = 8192
_DETECT_BYTES = 65536
#: what browsers decode a declared label as (Python codec names; WHATWG Encoding Standard)
_SUPERSETS = {
    "ascii": "cp1252",
    "iso8859-1": "cp1252",
    "iso8859-9": "cp1254",
    "iso8859-11": "cp874",
    "tis-620": "cp874",
    "gb2312": "gbk",
    "shift_jis": "cp932",
    "euc_kr": "cp949",
    "big5": "big5hkscs",
}
#: single-byte codecs of Latin-script text (what detection often confuses with one another)
_WESTERN = frozenset({"cp1252", "cp1250", "cp1254", "cp1257", "cp1258", "iso8859-1"}) | frozenset(
    f"iso8859-{n}" for n in (2, 3, 4, 9, 10, 13, 14, 15, 16)
)
#: how much more "chaos" (charset-normalizer's mess measure) windows-1252 may show and still be preferred
_CP1252_MARGIN = 0.05
# a word made only of Latin-1 letters À-ÿ ("Ïðåçèäåíò") or mixing Latin with Cyrillic/Greek ("garзon")
_MOJIBAKE_WORD = re.compile(r"\b[\u00c0-\u00ff]{4,}\b|\b(?=\w*[a-zA-Z])(?=\w*[\u0370-\u03ff\u0400-\u04ff])\w{3,}\b")
_WORD = re.compile(r"\b\w{3,}\b")
_MOJIBAKE_SHARE = 0.15


#: mostly valid UTF-8 is UTF-8: at most this share of its non-ASCII bytes invalid (a legacy 8-bit
#: charset's text is nearly all invalid: its letters are lone bytes >= 0x80; GBK's, EUC-KR's 90 %)
_UTF8_BAD_SHARE = 0.25
_ASCII_BYTES = bytes(range(128))
_ESCAPED = re.compile("[\udc80-\udcff]")  # bytes that surrogateescape kept aside
#: UTF-16 without a byte-order mark: at least this share of the high bytes are NUL (ASCII spaces,
#: digits, punctuation, line breaks), and at most the second share of the low bytes
_UTF16_HIGH_NUL = 0.05
_UTF16_LOW_NUL = 0.01
_UTF16_SAMPLE = 4096
_UTF16_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def _codec_name(label: str) -> str | None:
    try:
        return codecs.lookup(label.strip().lower()).name
    except LookupError:
        return None


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML/XML head declares (``<meta charset>``, ``http-equiv``, ``<?xml encoding``)."""
    match = _DECLARED.search(data[:_HEAD_BYTES])
    return _codec_name(match.group(1).decode("ascii", "replace")) if match else None


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def looks_like_mojibake(text: str) -> bool:
    """True when many words of ``text`` are what a wrong single-byte charset makes of other letters."""
    sample = text[:_DETECT_BYTES]
    bad = len(_MOJIBAKE_WORD.findall(sample))
    if bad < 3:
        return False
    words = len([w for w in _WORD.findall(sample) if not w.isascii()])
    return bad >= _MOJIBAKE_SHARE * max(words, 1)


def _detect(data: bytes) -> str | None:
    """charset-normalizer's best guess; windows-1252 when it decodes as cleanly as a rival Latin codec."""
    from charset_normalizer import from_bytes

    results = from_bytes(data[:_DETECT_BYTES])
    best = results.best()
    if best is None:
        return None
    codec = _codec_name(best.encoding)
    if codec in _WESTERN and codec != "cp1252":
        if "cp1252" in best.could_be_from_charset:
            return "cp1252"
        for match in results:
            if match.encoding == "cp1252" and match.chaos <= best.chaos + _CP1252_MARGIN:
                return "cp1252"
    return codec


#: single-byte codecs that a charset given from outside must not force on valid UTF-8 (the names
#: ``codecs.lookup`` gives: "latin-1" and "iso-8859-1" are "iso8859-1")
_SINGLE_BYTE = frozenset({"iso8859-1", "iso8859-15", "cp1252", "ascii"})


def charset_name(charset: str) -> str:
    """The Python codec name of ``charset``; :class:`~cleannews.ConfigError` for a name no codec has."""
    try:
        return codecs.lookup(charset).name
    except LookupError:
        from .errors import ConfigError

        raise ConfigError(
            f"unknown charset {charset!r}: give a name Python's codecs know, such as 'utf-8', 'cp1252', "
            "'iso-8859-1' or 'cp1251'"
        ) from None


def utf8_replacing(data: bytes) -> tuple[str, int]:
    """``data`` read as UTF-8, every invalid byte replaced with U+FFFD; and how many were replaced."""
    try:
        return data.decode("utf-8"), 0
    except UnicodeDecodeError:
        pass
    return _ESCAPED.subn("\ufffd", data.decode("utf-8", "surrogateescape"))


def replaced_note(count: int) -> str:
    """What :func:`utf8_replacing` did, for a fix or a warning."""
    return f"{count} invalid UTF-8 byte{'s' if count != 1 else ''} replaced with U+FFFD"


def _mostly_utf8(data: bytes) -> tuple[str, int] | None:
    """``data`` as UTF-8 with its few invalid bytes replaced (and how many), when most of its non-ASCII
    bytes are valid UTF-8 (at least one character of two bytes or more); else ``None``."""
    text, bad = utf8_replacing(data)
    non_ascii = len(data.translate(None, _ASCII_BYTES))
    if non_ascii - bad >= 2 and bad <= _UTF8_BAD_SHARE * non_ascii:
        return text, bad
    return None


def utf16_without_bom(data: bytes) -> str | None:
    """``"utf-16-le"`` or ``"utf-16-be"`` when ``data`` reads as UTF-16 text without a byte-order mark:
    NUL bytes on one side of the byte pairs (the high bytes of ASCII characters) and almost none on the
    other, and the start decodes into text without control characters. ``None`` otherwise."""
    sample = data[:_UTF16_SAMPLE]
    sample = sample[: len(sample) // 2 * 2]
    if len(sample) < 32 or sample.count(0) < 2:  # too short to judge (random bytes pass by chance)
        return None
    pairs = len(sample) // 2
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd >= _UTF16_HIGH_NUL * pairs and even <= _UTF16_LOW_NUL * pairs:
        codec = "utf-16-le"
    elif even >= _UTF16_HIGH_NUL * pairs and odd <= _UTF16_LOW_NUL * pairs:
        codec = "utf-16-be"
    else:
        return None
    text = sample.decode(codec, "replace")
    # lone surrogates (U+FFFD) or control characters (NUL pairs, U+0001 …): not UTF-16 text
    odd_ones = text.count("\ufffd") + len(_UTF16_CONTROLS.findall(text))
    return codec if odd_ones <= 1 + len(text) // 50 else None


def decode_given(data: bytes, charset: str | None, origin: str = "given") -> tuple[str, Fix] | None:
    """``data`` decoded with a charset declared outside the document (an HTTP header, what the caller
    knows), when it is right; ``origin`` names where it came from in the fix.

    Checked like a ``<meta>`` charset: it must decode the bytes strictly, and a single-byte charset
    does not win over bytes that are valid non-ASCII UTF-8. ``None`` leaves decoding to the document.
    """
    if not charset:
        return None
    try:
        charset = codecs.lookup(charset).name
        text = data.decode(charset)
    except (UnicodeDecodeError, LookupError):
        return None
    if charset in _SINGLE_BYTE and not data.isascii():
        try:
            data.decode("utf-8")
            return None
        except UnicodeDecodeError:
            pass
    if text.startswith("\ufeff"):
        text = text[1:]
    return text, Fix("decode", f"{charset} ({origin})")


def decode(data: bytes, charset: str | None = None) -> tuple[str, list[Fix]]:
    """Decode ``data``; never raises. Undecodable bytes become U+FFFD and a fix says so.

    ``charset``, when given (the caller knows it, e.g. from an HTTP header), comes first if it fits the
    bytes (:func:`decode_given`); when it does not, the document decides as usual and a fix says so.
    """
    if charset:
        given = decode_given(data, charset)
        if given is not None:
            return given[0], [given[1]]
        decoded, fixes = decode(data)
        return decoded, [Fix("decode", f"the given charset {charset!r} does not fit the bytes"), *fixes]
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, "replace"), [Fix("decode", f"{codec} (byte-order mark)")]
    utf16 = utf16_without_bom(data)
    if utf16 is not None:
        return data.decode(utf16, "replace"), [Fix("decode", f"{utf16} (no byte-order mark; told by its NUL bytes)")]
    declared = declared_charset(data)
    if declared and declared.startswith("iso2022") and b"\x1b" in data:  # 7-bit, looks like ASCII
        text = _strict(data, declared)
        if text is not None:
            return text, [Fix("decode", f"{declared} (declared)")]
    utf8 = _strict(data, "utf-8")
    if utf8 is not None:
        if declared in (None, "utf-8") or data.isascii():
            return utf8, [Fix("decode", "utf-8 (declared)" if declared == "utf-8" else "utf-8 (valid)")]
        return utf8, [Fix("decode", f"utf-8 (valid UTF-8; the declared {declared} is wrong)")]
    mostly = _mostly_utf8(data)
    if mostly is not None:  # a stray byte of another charset in a UTF-8 document
        wrong = f"; the declared {declared} is wrong" if declared not in (None, "utf-8") else ""
        return mostly[0], [Fix("decode", f"utf-8 (mostly valid{wrong})"), Fix(REPLACED, replaced_note(mostly[1]))]
    problem = "no charset declared"
    if declared and declared != "utf-8":
        codec = _SUPERSETS.get(declared, declared)
        text = _strict(data, codec)
        if text is None and codec != declared:
            codec, text = declared, _strict(data, declared)
        if text is not None and not looks_like_mojibake(text):
            note = f"{codec} (declared {declared})" if codec != declared else f"{codec} (declared)"
            return text, [Fix("decode", note)]
        problem = f"declared {declared} {'gave mojibake' if text is not None else 'did not decode'}"
    elif declared == "utf-8":
        problem = "declared utf-8 did not decode"
    detected = _detect(data)
    if detected:
        text = _strict(data, detected)
        if text is not None:
            return text, [Fix("decode", f"{detected} (detected; {problem})")]
    return data.decode("cp1252", "replace"), [Fix("decode", f"cp1252 with replacement (undetectable; {problem})")]
