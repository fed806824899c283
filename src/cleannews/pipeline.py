"""``clean()``: decode, normalise, make blocks, detect the language, run the chain, assemble."""

from __future__ import annotations

import re
import traceback
from typing import Literal

from . import html as html_mode
from .assemble import assemble
from .binary import binary_reason
from .chain import Chain
from .decoding import REPLACED, decode
from .document import Block, Document
from .language import detect_lines
from .model import Article, Fix
from .normalize import normalize_line, normalize_text, replace_surrogates, surrogate_fix

Format = Literal["auto", "text", "html"]
FORMATS = ("auto", "text", "html")

#: a document is cleaned up to this many blocks (lines of text, HTML blocks); the rest is one removed
#: block of kind ``truncated``, with a warning. The longest of 2,835 dev pages has 2,238 lines; a block
#: costs about 50 µs and 3 KB to clean, so one document costs at most a few seconds and 150 MB.
MAX_BLOCKS = 50_000


def split_lines(text: str, limit: int) -> tuple[str, str]:
    """The first ``limit`` non-blank lines of ``text``, and the rest from the next one on ("" when there
    is none), line breaks as ``\\n``. A text with as many line breaks as that loses its blank lines
    (they make no blocks); linear, and never more than ``limit`` lines split out (a text of a million
    lines, or 64 MB of line breaks, is not split into millions of strings)."""
    if text.count("\n") + text.count("\r") < limit:  # fast C scans: the usual answer
        return text, ""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines: list[str] = []
    pos = 0
    while (match := _NON_SPACE.search(text, pos)) is not None:  # the next non-blank line (C scans)
        start = text.rfind("\n", 0, match.start()) + 1
        if len(lines) == limit:
            return "\n".join(lines), text[start:]
        end = text.find("\n", match.start())
        if end < 0:
            lines.append(text[start:])
            break
        lines.append(text[start:end])
        pos = end + 1
    return "\n".join(lines), ""


_NON_SPACE = re.compile(r"\S")


def _cut_note(doc: Document, rest: str, index: int) -> None:
    """The rest of a document past :data:`MAX_BLOCKS`, as one removed block and a warning."""
    doc.upstream_removed.append(
        {
            "text": rest,
            "kind": "truncated",
            "cleaner": "input",
            "reason": f"past the first {MAX_BLOCKS:,} blocks, the most one document is cleaned for",
            "index": index,
        }
    )
    doc.warn(
        f"document cut after {MAX_BLOCKS:,} blocks: the rest ({len(rest):,} characters) is not cleaned; "
        "it is in removed (kind 'truncated')"
    )


def text_blocks(text: str) -> list[Block]:
    """One block per non-blank line."""
    return [Block(i, line) for i, line in enumerate(line for line in text.split("\n") if line)]


def make_document(
    source: str | bytes, *, format: Format = "auto", url: str | None = None, charset: str | None = None
) -> tuple[Document, list[Fix]]:
    """The unlabelled document for ``source`` and the fixes made on the way (``charset``: see
    :func:`cleannews.decoding.decode`)."""
    fixes: list[Fix] = []
    if isinstance(source, bytes | bytearray):
        text, fixes = decode(bytes(source), charset)
    else:
        text = source
    mode = format if format != "auto" else ("html" if html_mode.looks_like_html(text) else "text")
    if mode == "html":
        if not text.isascii():
            text, n_surrogates = replace_surrogates(text)
            if n_surrogates:
                fixes.append(surrogate_fix(n_surrogates))
        if "\x00" in text:
            text = text.replace("\x00", "")
            fixes.append(Fix("nul", "NUL characters removed"))
        extraction = html_mode.extract(text, url=url)
        extracted = extraction.blocks
        blocks = [_repair_block(b, fixes) for b in extracted[:MAX_BLOCKS]]
        doc = Document(blocks, mode="html", url=url)
        if len(extracted) > MAX_BLOCKS:
            _cut_note(doc, "\n".join(b.text for b in extracted[MAX_BLOCKS:]), MAX_BLOCKS)
        doc.meta.update(extraction.meta)
        doc.extractor = extraction.extractor
        doc.upstream_removed.extend(extraction.upstream_removed)
        for warning in extraction.warnings:
            doc.warn(warning)
        # html.extract detected the language on the extracted text (it needs it for its stoplists)
        doc.language = extraction.language or detect_lines([b.text for b in doc.blocks])
    else:
        text, rest = split_lines(text, MAX_BLOCKS)
        normalised, text_fixes = normalize_text(text)
        fixes.extend(text_fixes)
        doc = Document(text_blocks(normalised), mode="text", url=url)
        if rest:
            _cut_note(doc, rest, len(doc.blocks))
        doc.language = detect_lines([b.text for b in doc.blocks])
    for fix in fixes:
        if fix.step == REPLACED:  # invalid bytes or lone surrogates: the text is not quite what was given
            doc.warn(fix.detail)
    if not doc.blocks:
        doc.warn("no text found in the input")
    return doc, fixes


def _repair_block(block: Block, fixes: list[Fix]) -> Block:
    from attrs import evolve

    from .normalize import repair_encoding

    repaired, block_fixes = repair_encoding(block.text)
    if block_fixes:
        fixes.extend(f for f in block_fixes if f not in fixes)
        return evolve(block, text=normalize_line(repaired))
    return block


def clean(
    source: str | bytes,
    *,
    format: Format = "auto",
    url: str | None = None,
    chain: Chain | None = None,
    comments: bool = True,
    charset: str | None = None,
) -> Article:
    """Clean one document (text or HTML, str or bytes) into an :class:`Article`.

    Never raises on data: a document that breaks something inside gives an Article with a warning and
    its text kept as body; binary data (an image, a PDF, random bytes) gives an Article with a warning
    and every line in ``removed`` (kind ``binary``). Raises :class:`~cleannews.ConfigError` for a bad ``format``.
    ``comments=False`` leaves reader comments out (they go to ``removed`` with kind ``comment``).
    ``charset`` names the encoding of ``bytes`` when the caller knows it (an HTTP header): it is used
    when it fits the bytes, else the document's own declaration and detection decide (a fix says so).
    """
    from .errors import ConfigError

    if format not in FORMATS:
        raise ConfigError(f"format must be one of {', '.join(FORMATS)}, not {format!r}")
    if not isinstance(source, str | bytes | bytearray):
        raise TypeError(f"clean() takes str or bytes, not {type(source).__name__}")
    if charset is not None:
        _check_charset(charset, source)
    try:
        doc, fixes = labelled_document(source, format=format, url=url, chain=chain, charset=charset)
        return assemble(doc, fixes, keep_comments=comments)
    except Exception as exc:  # never lose a document to a bug
        text = source.decode("utf-8", "replace") if isinstance(source, bytes | bytearray) else source
        text = replace_surrogates(text)[0]
        lines = tuple(normalize_line(x) for x in text.split("\n") if normalize_line(x))
        detail = traceback.format_exception_only(type(exc), exc)[-1].strip()
        return Article(paragraphs=lines, warnings=(f"internal error, text returned uncleaned: {detail}",))


def labelled_document(
    source: str | bytes,
    *,
    format: Format = "auto",
    url: str | None = None,
    chain: Chain | None = None,
    charset: str | None = None,
) -> tuple[Document, list[Fix]]:
    """What :func:`clean` assembles (and ``cleannews explain`` shows): the document of ``source`` labelled
    by ``chain`` (default: the default chain), or, for binary data, every line labelled ``binary``."""
    binary = binary_reason(source)
    if binary is not None:  # an image, a PDF, random bytes: every "line" of it is noise, removed
        doc, fixes = make_document(source, format="text", url=url, charset=charset)
        _label_binary(doc, binary)
    else:
        doc, fixes = make_document(source, format=format, url=url, charset=charset)
        (chain if chain is not None else Chain.default())(doc)
    if doc.mode == "html" and doc.blocks and all(doc.kind_of(b.index) not in (None, "body") for b in doc.blocks):
        doc.warn("no article text left: every extracted block is a title, metadata, a comment or chrome")
    return doc, fixes


def _label_binary(doc: Document, reason: str) -> None:
    for block in doc.blocks:
        doc.label(block.index, "binary", cleaner="input", reason=reason)
    doc.warn(f"{reason}: nothing cleaned")


def _check_charset(charset: str, source: str | bytes | bytearray) -> None:
    from .decoding import charset_name
    from .errors import ConfigError

    if isinstance(source, str):
        raise ConfigError("charset applies to bytes; this source is a str, already decoded (leave charset out)")
    charset_name(charset)
