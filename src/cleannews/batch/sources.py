"""Where documents come from: files, folders, stdin, JSON lines and WARC files — read lazily.

:func:`iter_tasks` turns the command line's inputs into a stream of :class:`Task` objects, one per
document, reading one file (or line, or WARC record) at a time: nothing is listed or read ahead, so a
folder of a million pages or a 50 GB JSONL costs no more memory than one document. Whatever cannot be
read becomes a task with ``error`` set, so it shows up as an error record in the output, in its place.
"""

from __future__ import annotations

import gzip
import io
import os
import sys
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath

import attrs

from .tasks import DEFAULT_MAX_BYTES, InputStats, Task
from .warc import read_warc

JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")
WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz", ".wet", ".wet.gz")  # .wet: Common Crawl's *.warc.wet.gz


@attrs.frozen
class SourceDoc:
    """One input document: its name (path or ``-``), raw content, and an error if it could not be read."""

    source: str
    content: bytes | str | None
    error: str | None = None


def _hidden(rel: PurePosixPath) -> bool:
    return any(part.startswith(".") for part in rel.parts)


def walk(folder: Path, glob: str | None = None, exclude: Iterable[Path] = ()) -> Iterator[Path]:
    """Files under ``folder``, depth first, each folder's entries in name order, read one folder at a time.

    Hidden files and folders are skipped, and so is anything in ``exclude`` (the output, so that a run
    writing into its own input folder never reads what it writes).
    """
    excluded = {os.path.realpath(p) for p in exclude}
    visited = {os.path.realpath(folder)}  # folders entered, so a symlink loop is walked once
    pending: list[Iterator[Path]] = []

    def entries(path: Path) -> Iterator[Path]:
        try:
            with os.scandir(path) as it:
                names = sorted(e.name for e in it if not e.name.startswith("."))
        except OSError:
            return iter(())
        return iter([path / n for n in names])

    pending.append(entries(folder))
    while pending:
        child = next(pending[-1], None)
        if child is None:
            pending.pop()
            continue
        if os.path.realpath(child) in excluded:
            continue
        if child.is_dir():
            real = os.path.realpath(child)
            if real not in visited:
                visited.add(real)
                pending.append(entries(child))
        elif child.is_file():
            rel = PurePosixPath(child.relative_to(folder).as_posix())
            if _hidden(rel):
                continue
            if glob and not rel.match(glob):
                continue
            yield child


def read_source(name: str) -> SourceDoc:
    """Read one file (or stdin) as bytes; a failure is an error record, not an exception."""
    try:
        data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    except OSError as exc:
        return SourceDoc(name, None, f"cannot read {name}: {exc.strerror or exc}")
    return SourceDoc(name, data)


def _stem(rel: str) -> str:
    """``sub/page.html`` → ``sub/page``; ``page.html.gz`` → ``page``; ``dump.jsonl.gz`` → ``dump``."""
    path = PurePosixPath(rel)
    name = path.name
    if name.endswith(".gz"):
        name = name[:-3]
    if "." in name.lstrip("."):
        name = name[: name.rindex(".")]
    return str(path.with_name(name or "document"))


def is_jsonl(name: str) -> bool:
    return name.lower().endswith(JSONL_SUFFIXES)


def is_warc(name: str) -> bool:
    return name.lower().endswith(WARC_SUFFIXES)


def _error(source: str, name: str, message: str) -> Task:
    return Task(source, "doc", None, name, error=message)


def _oserror(path: str, exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return f"cannot read {path}: {exc.strerror}"
    return f"cannot read {path}: {exc}"


def read_file(path: Path, rel: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Task:
    """One file as one document (``.gz`` files are decompressed)."""
    source = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes and not source.endswith(".gz"):
            return _error(
                source, _stem(rel), f"document too large: {size / 1e6:.1f} MB (limit {max_bytes / 1e6:.0f} MB)"
            )
        if source.endswith(".gz"):
            with gzip.open(path, "rb") as fh:
                data = fh.read(max_bytes + 1)
            if len(data) > max_bytes:
                return _error(source, _stem(rel), f"document too large: over {max_bytes / 1e6:.0f} MB uncompressed")
        else:
            data = path.read_bytes()
    except (OSError, EOFError, zlib.error) as exc:
        return _error(source, _stem(rel), _oserror(source, exc))
    return Task(source, "doc", data, _stem(rel))


def read_stdin(max_bytes: int = DEFAULT_MAX_BYTES) -> Task:
    try:
        data = sys.stdin.buffer.read(max_bytes + 1)
    except (OSError, ValueError) as exc:
        return _error("-", "stdin", f"cannot read stdin: {exc}")
    if len(data) > max_bytes:
        return _error("-", "stdin", f"document too large: over {max_bytes / 1e6:.0f} MB")
    return Task("-", "doc", data, "stdin")


def _open(path: Path) -> gzip.GzipFile | io.BufferedReader:
    return gzip.open(path, "rb") if path.name.lower().endswith(".gz") else path.open("rb")


def read_jsonl(path: Path, rel: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Task]:
    """One task per non-blank line; the line is parsed in the worker. A read error ends the file with an
    error task (e.g. a truncated ``.gz``: the lines before it are still cleaned)."""
    source = str(path)
    stem = _stem(rel)
    number = 0
    try:
        with _open(path) as fh:
            while True:
                line = fh.readline(max_bytes + 1)
                if not line:
                    break
                number += 1
                if len(line) > max_bytes and not line.endswith(b"\n"):
                    while line and not line.endswith(b"\n"):  # skip the rest of the line
                        line = fh.readline(1 << 20)
                    yield _error(
                        f"{source}:{number}",
                        f"{stem}/line-{number}",
                        f"line {number} too large: over {max_bytes / 1e6:.0f} MB",
                    )
                    continue
                if not line.strip():
                    continue
                yield Task(f"{source}:{number}", "line", line, f"{stem}/line-{number}")
    except (OSError, EOFError, zlib.error) as exc:
        what = "truncated or corrupt" if isinstance(exc, EOFError | zlib.error | gzip.BadGzipFile) else "unreadable"
        where = f" after line {number}" if number else ""
        yield _error(source, f"{stem}/error", f"{what} input{where}: {_oserror(source, exc)}")


def iter_tasks(
    inputs: Iterable[str],
    *,
    glob: str | None = None,
    exclude: Iterable[Path] = (),
    stats: InputStats | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[Task]:
    """Tasks for the command line's inputs, lazily and in order."""
    stats = stats if stats is not None else InputStats()
    exclude = list(exclude)
    for item in inputs:
        if item == "-":
            yield read_stdin(max_bytes)
            continue
        path = Path(item)
        if path.is_dir():
            for child in walk(path, glob, exclude):
                yield from _tasks_for(child, child.relative_to(path).as_posix(), stats, max_bytes)
        elif path.exists() or path.is_symlink():
            yield from _tasks_for(path, path.name, stats, max_bytes)
        else:
            yield _error(item, _stem(path.name), f"cannot read {item}: No such file or directory")


def _tasks_for(path: Path, rel: str, stats: InputStats, max_bytes: int) -> Iterator[Task]:
    name = path.name
    if is_jsonl(name):
        yield from read_jsonl(path, rel, max_bytes)
    elif is_warc(name):
        yield from read_warc(path, _stem(rel), stats, max_bytes)
    else:
        yield read_file(path, rel, max_bytes)
