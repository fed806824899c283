"""What the readers make: one :class:`Task` per document, and the counts of what they skipped.

Shared by :mod:`.sources` (files, folders, stdin, JSON lines) and :mod:`.warc`, and by the workers
(:mod:`.run`) that clean the tasks.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any, NamedTuple

import attrs

#: documents larger than this are not read (an error record says so); see ``--max-mb``
DEFAULT_MAX_BYTES = 64 * 1024 * 1024


def mb(size: int, decimals: int | None = None) -> str:
    """``size`` bytes in MB as ``--max-mb`` counts them (2**20 bytes): ``64 MB``, ``11.5 MB``."""
    value = size / 2**20
    if decimals is not None and value >= 1:
        return f"{value:.{decimals}f} MB"
    return f"{value:.3g} MB"  # below 1 MB, three significant digits


class Task(NamedTuple):
    """One document to clean, as it travels to a worker (a tuple: cheap to pickle).

    ``kind`` is ``"doc"`` (``data`` is the document's bytes) or ``"line"`` (``data`` is one JSONL line,
    parsed in the worker). ``name`` is the relative output name (no extension) for ``-o FOLDER``.
    ``extra`` holds fields carried into the output record (WARC headers); ``charset`` is a declared
    charset from outside the document (the HTTP ``Content-Type`` of a WARC response).
    """

    source: str
    kind: str
    data: bytes | None
    name: str
    url: str | None = None
    charset: str | None = None
    extra: dict[str, Any] | None = None
    error: str | None = None
    html: bool = False  # known to be HTML (a WARC response with an HTML content type)
    text: bool = False  # known to be plain text (a WET conversion record)


def task_weight(task: Task) -> int:
    return len(task.data) if task.data is not None else 64


@attrs.define
class InputStats:
    """What the readers skipped or could not read, for the summary."""

    skipped: Counter[str] = attrs.field(factory=Counter)
    empty_folders: list[str] = attrs.field(factory=list)  # folder inputs without a file to read

    def skip(self, reason: str) -> None:
        self.skipped[reason] += 1


def printable(message: str, limit: int = 160) -> str:
    """An error message fit for a record and a terminal: what is not printable ASCII (the binary of a
    broken file's header that a parser quotes) escaped, at most ``limit`` characters."""
    if not (message.isascii() and message.isprintable()):
        message = "".join(c if c.isascii() and c.isprintable() else ascii(c)[1:-1] for c in message)
    return message if len(message) <= limit else message[: limit - 1] + "…"


_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(value: object, limit: int = 100) -> str:
    """A record id as a file name: unsafe characters become ``_``; empty means no name."""
    return _SAFE.sub("_", str(value)).strip("._")[:limit]
