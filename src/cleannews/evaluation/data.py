"""Reading evaluation records (one JSON object a line, plain or gzipped), lazily."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import orjson

from ..errors import ConfigError

REQUIRED = ("gold_body",)


def open_lines(path: Path) -> IO[bytes]:
    if not path.is_file():
        raise ConfigError(f"evaluation data {str(path)!r} does not exist")
    return gzip.open(path, "rb") if path.suffix == ".gz" else path.open("rb")


def read_records(path: Path, limit: int | None = None) -> Iterator[dict[str, Any]]:
    """Records with at least ``gold_body`` and one of ``html``/``text``; bad lines are skipped with a note."""
    count = 0
    with open_lines(path) as fh:
        for number, line in enumerate(fh, 1):
            if limit is not None and count >= limit:
                return
            if not line.strip():
                continue
            try:
                record = orjson.loads(line)
            except orjson.JSONDecodeError:
                record = {"id": f"line {number}", "error": "not JSON"}
            if not isinstance(record, dict):
                record = {"id": f"line {number}", "error": "not a JSON object"}
            record.setdefault("id", f"line {number}")
            count += 1
            yield record
