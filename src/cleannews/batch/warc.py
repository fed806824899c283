"""WARC (and ARC) files as input: one document per HTML response record, or per text record of a WET file.

The reader is warcio (Webrecorder's streaming WARC library): pure Python, so it installs everywhere
without a compiler; it reads plain and per-record-gzipped WARC and old ARC files, undoes chunked
transfer-encoding and gzip/deflate content-encoding, and has the writer the tests use to build small
WARC files. FastWARC parses faster, but parsing is not where the time goes here (a record takes well
under a millisecond to read, cleaning it tens of milliseconds), so the simpler dependency wins.

Only ``response`` (and ``resource``) records with an HTML content type and a 2xx status are documents;
the others (requests, metadata, images, scripts, redirects) are counted in the run's summary. The url
comes from ``WARC-Target-URI``; the charset of the HTTP ``Content-Type`` header goes with the document
to decoding (:func:`cleannews.decoding.decode_given`).

Common Crawl's WET files are WARC files of ``conversion`` records: the plain text of each HTML
response (UTF-8), with the url in ``WARC-Target-URI`` and the response's id in ``WARC-Refers-To``.
Each is a document cleaned in text mode (``--mode auto``).
"""

from __future__ import annotations

import codecs
import re
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .tasks import InputStats, Task, mb, printable

HTML_TYPES = ("text/html", "application/xhtml+xml", "application/xml+xhtml")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]{2,40})", re.I)
_SNIFF = re.compile(rb"<!doctype\s+html|<html[\s>]", re.I)


def charset_of(content_type: str | None) -> str | None:
    """The codec named by a ``Content-Type`` header's charset parameter, if Python knows it."""
    if not content_type:
        return None
    match = _CHARSET.search(content_type)
    if not match:
        return None
    try:
        return codecs.lookup(match.group(1).strip().lower()).name
    except LookupError:
        return None


def _is_html(content_type: str | None, head: bytes) -> bool:
    if content_type:
        return content_type.split(";", 1)[0].strip().lower() in HTML_TYPES
    return bool(_SNIFF.search(head[:2048]))


def _watch_end(records: Any) -> dict[str, bool]:
    """Notice a ``.warc.gz`` that ends inside a gzip member: warcio stops quietly there, dropping the
    cut record, so look at the decompressor's state when warcio closes it."""
    state: dict[str, bool] = {}
    reader = getattr(records, "reader", None)
    close = getattr(reader, "close_decompressor", None)
    if reader is None or close is None:  # pragma: no cover - another warcio layout
        return state

    def watched_close() -> None:
        decompressor = getattr(reader, "decompressor", None)
        if decompressor is not None and getattr(decompressor, "eof", True) is False:
            state["truncated"] = True
        close()

    reader.close_decompressor = watched_close
    return state


def _not_warc(path: Path) -> str | None:
    """Why ``path`` is not a WARC/ARC file, judged by its first bytes (warcio reads almost anything as
    ARC records); ``None`` when it starts like one."""
    with path.open("rb") as fh:
        head = fh.read(4096)
    if not head:
        return None  # an empty file: no records
    if head.startswith(b"\x1f\x8b"):
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 64)
        except zlib.error as exc:
            return f"not a WARC file: bad gzip data ({exc})"
    if not head or head.startswith((b"WARC/", b"filedesc://")):
        return None  # empty (no records), or a WARC/ARC file
    return f"not a WARC or ARC file (it starts with {head[:20]!r})"


def _failed(where: str, name: str, url: str | None, extra: dict[str, Any], error: str) -> Task:
    """The task of a WARC record that cannot be cleaned: it becomes an error record."""
    return Task(where, "doc", None, name, url=url, extra=extra, error=error)


def read_warc(path: Path, stem: str, stats: InputStats, max_bytes: int) -> Iterator[Task]:
    """One task per HTML response record of a WARC/ARC file (plain or gzipped)."""
    from warcio.archiveiterator import ArchiveIterator

    source = str(path)
    count = 0
    try:
        problem = _not_warc(path)
        if problem:
            yield Task(source, "doc", None, f"{stem}/error", error=problem)
            return
        if path.stat().st_size == 0:
            return
        with path.open("rb") as fh:
            records = ArchiveIterator(fh, arc2warc=True)
            ended = _watch_end(records)
            for record in records:
                count += 1
                if record.rec_type not in ("response", "resource", "conversion"):
                    continue
                plain = record.rec_type == "conversion"  # a WET record: text, not HTML
                offset = records.offset  # the record's start; get_record_offset() would consume the body
                where = f"{source}@{offset}"
                url = record.rec_headers.get_header("WARC-Target-URI")
                extra: dict[str, Any] = {
                    "url": url,
                    "warc_date": record.rec_headers.get_header("WARC-Date"),
                    "warc_record_id": record.rec_headers.get_header("WARC-Record-ID"),
                }
                if plain:
                    extra["warc_refers_to"] = record.rec_headers.get_header("WARC-Refers-To")
                http = record.http_headers if record.rec_type == "response" else None
                if plain:
                    content_type = None
                elif http is not None:
                    status = http.get_statuscode()
                    content_type = http.get_header("Content-Type")
                    extra["http_status"] = int(status) if status and status.isdigit() else status
                    if not (status or "").startswith("2"):
                        stats.skip(f"WARC responses with HTTP status {status or '?'}")
                        continue
                else:
                    content_type = record.rec_headers.get_header("Content-Type")
                if content_type and not _is_html(content_type, b""):
                    stats.skip(f"non-HTML WARC records ({content_type.split(';', 1)[0].strip().lower()})")
                    continue
                try:
                    body = record.content_stream().read(max_bytes + 1)
                except Exception as exc:
                    why = printable(repr(exc))
                    yield _failed(where, f"{stem}/{offset}", url, extra, f"cannot read WARC record body: {why}")
                    continue
                if len(body) <= max_bytes and getattr(record.raw_stream, "limit", 0) > 0:
                    raise EOFError(f"record at offset {offset} is cut short")
                if len(body) > max_bytes:
                    yield _failed(where, f"{stem}/{offset}", url, extra, f"document too large: over {mb(max_bytes)}")
                    continue
                if not plain and not content_type and not _is_html(None, body):
                    stats.skip("non-HTML WARC records (no content type, not HTML)")
                    continue
                yield Task(
                    where,
                    "doc",
                    body,
                    f"{stem}/{offset}",
                    url=url,
                    charset=charset_of(content_type),
                    extra=extra,
                    html=not plain,
                    text=plain,
                )
            if ended.get("truncated"):
                raise EOFError("the last gzip member is cut short")
            # warcio also stops quietly on a record whose headers are cut off: look past the last record
            tail = getattr(records, "offset", None)
            if isinstance(tail, int):
                fh.seek(tail)
                if fh.read(256).strip():
                    raise EOFError(f"the file ends inside a record at offset {tail}")
    except Exception as exc:  # not a WARC, truncated gzip, a broken header: the file ends here
        after = f" after record {count}" if count else ""
        why = printable(f"{type(exc).__name__}: {exc}")
        yield Task(source, "doc", None, f"{stem}/error", error=f"truncated or corrupt WARC{after}: {why}")
