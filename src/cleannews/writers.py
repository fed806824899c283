"""Output formats for results: JSON lines, a JSON array, plain text, Markdown."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from .markdown import comment_line, render

FORMATS = ("jsonl", "json", "txt", "md")


def render_txt(record: Mapping[str, Any]) -> str:
    if record.get("error"):
        return f"# error: {record['error']}\n"
    parts = [record["title"]] if record.get("title") else []
    parts += list(record.get("paragraphs", ()))
    text = "\n\n".join(parts) + "\n"
    comments = record.get("comments") or []
    if comments:
        text += "\n---\n\n" + "\n\n".join(comment_line(c) for c in comments) + "\n"
    return text


def render_md(record: Mapping[str, Any], *, links: bool = False) -> str:
    """The record as Markdown (see :mod:`cleannews.markdown`); ``links`` keeps the page's links."""
    return render(record, links=links)


class Writer:
    """Writes records to a binary stream in one of :data:`FORMATS`; ``close()`` ends a JSON array.

    :meth:`write_piece` takes a record already rendered by :func:`cleannews.batch.render` (the
    workers render, so the main process only adds the separators and the txt/md headers).
    """

    def __init__(self, stream: BinaryIO, fmt: str, *, flush: bool = True) -> None:
        self.stream = stream
        self.fmt = fmt
        self.count = 0
        self.flush_each = flush

    def write(self, record: dict[str, Any]) -> None:
        from .batch import render

        self.write_piece(str(record.get("source")), render(record, self.fmt))

    def write_piece(self, source: str, piece: bytes) -> None:
        if self.fmt == "jsonl":
            self.stream.write(piece)
        elif self.fmt == "json":
            self.stream.write((b"[\n" if self.count == 0 else b",\n") + piece)
        else:
            header = f"==> {source} <==\n\n" if self.fmt == "txt" else f"<!-- {source} -->\n\n"
            self.stream.write((b"\n" if self.count else b"") + header.encode("utf-8") + piece)
        self.count += 1
        if self.flush_each:
            self.stream.flush()

    def flush(self) -> None:
        self.stream.flush()

    def close(self) -> None:
        if self.fmt == "json":
            self.stream.write(b"[\n]\n" if self.count == 0 else b"\n]\n")
        self.stream.flush()


EXTENSIONS = {"txt": ".txt", "md": ".md", "json": ".json"}


class FolderWriter:
    """One file per document under ``folder``, named after the input (``sub/page.html`` → ``sub/page.txt``,
    a JSONL record by its ``id``, a WARC record by its offset). Names that would clash get ``-2``, ``-3``…"""

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
        path.write_bytes(piece if self.fmt != "json" else piece + b"\n")
        self.count += 1
        return path

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass
