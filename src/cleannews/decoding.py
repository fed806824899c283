"""Bytes to text: byte-order mark, then the declared charset, then detection.

A declared charset is checked, not trusted: a page that says utf-8 but is not, or says latin-1 but is
really UTF-8, is still read right. Every decision is reported as a :class:`Fix`.
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
_DECLARED = re.compile(rb"""(?:charset|encoding)\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.I)
_HEAD_BYTES = 8192
_DETECT_BYTES = 65536
_SINGLE_BYTE = frozenset({"latin_1", "iso8859_1", "cp1252", "ascii", "iso8859_15"})


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


def _detect(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:_DETECT_BYTES]).best()
    return None if best is None else _codec_name(best.encoding)


def decode(data: bytes) -> tuple[str, list[Fix]]:
    """Decode ``data``; never raises. Undecodable bytes become U+FFFD and a fix says so."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, "replace"), [Fix("decode", f"{codec} (byte-order mark)")]
    declared = declared_charset(data)
    utf8 = _strict(data, "utf-8")
    if declared and declared != "utf_8":
        text = _strict(data, declared)
        # A single-byte codec decodes anything; valid multi-byte UTF-8 is the likelier truth.
        if text is not None and not (declared in _SINGLE_BYTE and utf8 is not None and not data.isascii()):
            return text, [Fix("decode", f"{declared} (declared)")]
    if utf8 is not None:
        note = "utf-8 (declared)" if declared == "utf_8" else "utf-8 (valid)"
        return utf8, [Fix("decode", note)]
    detected = _detect(data)
    if detected:
        text = _strict(data, detected)
        if text is not None:
            why = f"declared {declared} did not decode" if declared else "no charset declared"
            return text, [Fix("decode", f"{detected} (detected; {why})")]
    return data.decode("cp1252", "replace"), [Fix("decode", "cp1252 with replacement (undetectable)")]
