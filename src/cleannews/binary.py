"""Telling binary data (an image, a PDF, random bytes) from a text or HTML document, cheaply.

``clean()`` answers such input with a warning and every line in ``removed`` (kind ``binary``); the
batch paths make it a failed document (an error record).
"""

from __future__ import annotations

from .decoding import utf16_without_bom

_MAGIC = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF file"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x1f\x8b", "gzip data"),
    (b"\x7fELF", "an executable"),
    (b"wOFF", "a web font"),
    (b"wOF2", "a web font"),
    (b"\x00\x00\x01\x00", "an icon"),
    (b"OggS", "audio"),
    (b"ID3", "audio"),
    (b"\x28\xb5\x2f\xfd", "zstd data"),
)
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27)) + b"\x7f"
_CONTROL_STR = {ord(c): None for c in _CONTROL.decode("latin-1")}
BINARY_SHARE = 0.10
BINARY_SHARE_WITH_NUL = 0.03  # NUL bytes are rare in text: with them, fewer control characters suffice


def _magic(sample: bytes) -> str | None:
    for magic, what in _MAGIC:
        if sample.startswith(magic):
            return f"binary data ({what}), not text or HTML"
    return None


def binary_reason(data: bytes | str) -> str | None:
    """Why ``data`` is not a text or HTML document (a known file signature, or many control
    characters near the start, like random bytes); ``None`` when it looks like text."""
    sample = data[:4096]
    if len(sample) < 32:  # too short to judge by shares; a file signature needs no more
        return _magic(sample) if isinstance(sample, bytes) else None
    if isinstance(sample, str):
        if sample.replace("\n", " ").replace("\t", " ").replace("\r", " ").isprintable():
            return None  # no control character at all (a fast C scan; text almost always)
        control = len(sample) - len(sample.translate(_CONTROL_STR))
    else:
        if sample.startswith(_BOMS):
            return None
        signature = _magic(sample)
        if signature:
            return signature
        if b"\x00" in sample and utf16_without_bom(sample) is not None:
            return None  # UTF-16 text without a byte-order mark (decoding reads it as such)
        control = len(sample) - len(sample.translate(None, _CONTROL))
    share = control / len(sample)
    nul = (b"\x00" if isinstance(sample, bytes) else "\x00") in sample  # type: ignore[operator]
    if share > BINARY_SHARE or (nul and share > BINARY_SHARE_WITH_NUL):
        return f"binary data ({share:.0%} control characters in the first {len(sample)} characters), not text or HTML"
    return None
