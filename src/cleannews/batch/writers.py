"""Output formats for results: JSON lines, a JSON array, plain text, Markdown."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

import orjson

from .. import markdown
from ..normalize import replace_surrogates

FORMATS = ("jsonl", "json", "txt", "md")


def render_txt(record: Mapping[str, Any]) -> str:
    if record.get("error"):
        return f"# error: {record['error']}\n"
    parts = [record["title"]] if record.get("title") else []
    parts += list(record.get("paragraphs", ()))
    text = "\n\n".join(parts) + "\n"
    comments = record.get("comments") or []
    if comments:
        text += "\n---\n\n" + "\n\n".join(markdown.comment_line(c) for c in comments) + "\n"
    return text


def render_md(record: Mapping[str, Any], *, links: bool = False) -> str:
    """The record as Markdown (see :mod:`cleannews.markdown`); ``links`` keeps the page's links."""
    return markdown.render(record, links=links)


def utf8(text: str) -> bytes:
    """``text`` in UTF-8; lone surrogates (a carried JSON field's ``"\\ud800"``, a file name that is not
    UTF-8) become U+FFFD, so the output is always valid UTF-8."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return replace_surrogates(text)[0].encode("utf-8")


def dumps(record: Mapping[str, Any], indent: bool = False) -> bytes:
    try:
        return orjson.dumps(record, option=orjson.OPT_INDENT_2 if indent else 0)
    except TypeError:  # integers beyond 64 bits or lone surrogates in a carried field
        separators = None if indent else (",", ":")  # as orjson writes them
        return utf8(
            json.dumps(record, ensure_ascii=False, indent=2 if indent else None, separators=separators, default=str)
        )


def render(record: Mapping[str, Any], fmt: str, *, links: bool = False) -> bytes:
    """One record in an output format, without the separators between records (the :class:`Writer` adds
    them); ``links``: Markdown keeps the page's links."""
    if fmt == "jsonl":
        return dumps(record) + b"\n"
    if fmt == "json":
        return dumps(record, indent=True)
    return utf8(render_txt(record) if fmt == "txt" else render_md(record, links=links))


class Writer:
    """Writes records to a binary stream in one of :data:`FORMATS`; ``close()`` ends a JSON array.

    :meth:`write_piece` takes a record already rendered by :func:`render` (the
    workers render, so the main process only adds the separators and the txt/md headers).
    """

    def __init__(self, stream: BinaryIO, fmt: str, *, flush: bool = True) -> None:
        self.stream = stream
        self.fmt = fmt
        self.count = 0
        self.flush_each = flush

    def write(self, record: dict[str, Any]) -> None:
        self.write_piece(str(record.get("source")), render(record, self.fmt))

    def write_piece(self, source: str, piece: bytes) -> None:
        if self.fmt == "jsonl":
            self.stream.write(piece)
        elif self.fmt == "json":
            self.stream.write((b"[\n" if self.count == 0 else b",\n") + piece)
        else:
            header = f"==> {source} <==\n\n" if self.fmt == "txt" else f"<!-- {source} -->\n\n"
            self.stream.write((b"\n" if self.count else b"") + utf8(header) + piece)
        self.count += 1
        if self.flush_each:
            self.stream.flush()

    def flush(self) -> None:
        self.stream.flush()

    def close(self) -> None:
        if self.fmt == "json":
            self.stream.write(b"[\n]\n" if self.count == 0 else b"\n]\n")
        self.stream.flush()


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


class AtomicFile:
    """A file written aside and renamed over ``path`` when done (:meth:`commit`): a crash never leaves
    half a file, and an existing file is replaced at once. The aside file is hidden in the same folder
    (``.NAME.XXXX.part``) and removed by :meth:`discard`. A special file (``/dev/null``, a named pipe) is
    written directly: it cannot be replaced. ``path`` a symbolic link: the file it points to is replaced.
    Raises :class:`OSError` when the folder is missing or not writable.
    """

    def __init__(self, path: Path) -> None:
        target = Path(os.path.realpath(path))
        self.path = target
        self.aside: Path | None = None
        if target.exists() and not target.is_file():
            self.stream: BinaryIO = target.open("wb")
            return
        fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
        self.aside = Path(name)
        mode = target.stat().st_mode & 0o7777 if target.exists() else 0o666 & ~_umask()
        os.fchmod(fd, mode)  # as the file it replaces, or as a new file would be
        self.stream = os.fdopen(fd, "wb")

    def commit(self) -> None:
        try:
            self.stream.close()
            if self.aside is not None:
                os.replace(self.aside, self.path)
                self.aside = None
        finally:
            self.discard()

    def discard(self) -> None:
        with contextlib.suppress(OSError):
            self.stream.close()
        if self.aside is not None:
            with contextlib.suppress(OSError):
                self.aside.unlink()
            self.aside = None


def write_atomically(path: Path, data: bytes) -> None:
    """``data`` into ``path``, replacing it at once (see :class:`AtomicFile`)."""
    out = AtomicFile(path)
    try:
        out.stream.write(data)
    except BaseException:
        out.discard()
        raise
    out.commit()


EXTENSIONS = {"txt": ".txt", "md": ".md", "json": ".json"}


class FolderWriter:
    """One file per document under ``folder``, named after the input (``sub/page.html`` → ``sub/page.txt``,
    a JSONL record by its ``id``, a WARC record by its offset). Names that would clash get ``-2``, ``-3``…
    Each file is replaced at once (:func:`write_atomically`)."""

    def __init__(self, folder: Path, fmt: str) -> None:
        if fmt not in EXTENSIONS:
            raise ValueError(f"one file per document needs --to txt, json or md, not {fmt}")
        self.folder = folder
        self.fmt = fmt
        self.ext = EXTENSIONS[fmt]
        self.used: set[str] = set()
        self.count = 0

    def path_for(self, name: str) -> Path:
        parts = [p for p in PurePosixPath(name).parts if p not in ("", ".", "..", "/")]
        base = "/".join(parts) or "document"
        candidate, n = base, 1
        while candidate in self.used:
            n += 1
            candidate = f"{base}-{n}"
        self.used.add(candidate)
        return self.folder / (candidate + self.ext)

    def write_piece(self, name: str, piece: bytes) -> Path:
        path = self.path_for(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, piece if self.fmt != "json" else piece + b"\n")
        self.count += 1
        return path

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass
