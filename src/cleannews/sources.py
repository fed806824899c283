"""Where documents come from: files, folders and stdin, read lazily one document at a time."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import attrs


@attrs.frozen
class SourceDoc:
    """One input document: its name (path or ``-``), raw content, and an error if it could not be read."""

    source: str
    content: bytes | str | None
    error: str | None = None


def iter_paths(inputs: Iterable[str], glob: str | None = None) -> Iterator[str]:
    """Expand inputs: a folder means its files (recursive, sorted), ``-`` is stdin."""
    for item in inputs:
        if item == "-":
            yield item
            continue
        path = Path(item)
        if path.is_dir():
            pattern = glob or "*"
            for child in sorted(path.rglob(pattern)):
                if child.is_file() and not any(part.startswith(".") for part in child.relative_to(path).parts):
                    yield str(child)
        else:
            yield item


def read_source(name: str) -> SourceDoc:
    """Read one file (or stdin) as bytes; a failure is an error record, not an exception."""
    try:
        data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    except OSError as exc:
        return SourceDoc(name, None, f"cannot read {name}: {exc.strerror or exc}")
    return SourceDoc(name, data)
