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

from .tasks import DEFAULT_MAX_BYTES, InputStats, Task, mb
from .warc import read_warc

JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")
WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz", ".wet", ".wet.gz")  # .wet: Common Crawl's *.warc.wet.gz


def _hidden(rel: PurePosixPath) -> bool:
    return any(part.startswith(".") for part in rel.parts)


def walk(
    folder: Path, glob: str | None = None, exclude: Iterable[Path] = (), stats: InputStats | None = None
) -> Iterator[tuple[Path, str | None]]:
    """Files under ``folder``, depth first, each folder's entries in name order, read one folder at a time:
    ``(path, None)`` for a file to read, ``(path, why)`` for what cannot be read (a broken symbolic link,
    a folder without permission), so that it becomes an error record in its place.

    Hidden files and folders are skipped, and so is anything in or under ``exclude`` (the output, so that
    a run writing into its own input folder never reads what it writes). Special files (named pipes,
    sockets, devices) are skipped, and counted in ``stats``: reading a pipe could wait for ever.
    """
    excluded = [os.path.realpath(p) for p in exclude]
    visited = {os.path.realpath(folder)}  # folders entered, so a symlink loop is walked once
    pending: list[Iterator[Path]] = []
    problems: list[tuple[Path, str]] = []

    def entries(path: Path) -> Iterator[Path]:
        try:
            with os.scandir(path) as it:
                names = sorted(e.name for e in it if not e.name.startswith("."))
        except OSError as exc:
            problems.append((path, f"cannot read folder {path}: {exc.strerror or exc}"))
            return iter(())
        return iter([path / n for n in names])

    def wanted(child: Path) -> bool:
        rel = PurePosixPath(child.relative_to(folder).as_posix())
        return not _hidden(rel) and not (glob and not rel.match(glob))

    pending.append(entries(folder))
    while pending:
        yield from problems
        problems.clear()
        child = next(pending[-1], None)
        if child is None:
            pending.pop()
            continue
        real = os.path.realpath(child)
        if any(real == out or real.startswith(out.rstrip(os.sep) + os.sep) for out in excluded):
            continue
        if child.is_dir():
            if real not in visited:
                visited.add(real)
                pending.append(entries(child))
        elif child.is_file():
            if wanted(child):
                yield child, None
        elif child.is_symlink() and not child.exists():
            if wanted(child):
                yield child, f"cannot read {child}: broken symbolic link (to {os.readlink(child)})"
        elif stats is not None and wanted(child):
            stats.skip("special files in folders (named pipes, sockets, devices)")
    yield from problems


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
    """One file as one document (``.gz`` files are decompressed). At most ``max_bytes`` (and one more, to
    tell) are read, whatever the file: a regular file's size says so at once, but ``/dev/zero``, a
    named pipe or a process substitution ``<(…)`` have no size to ask."""
    source = str(path)
    try:
        if source.endswith(".gz"):
            with gzip.open(path, "rb") as fh:
                data = fh.read(max_bytes + 1)
            if len(data) > max_bytes:
                return _error(source, _stem(rel), f"document too large: over {mb(max_bytes)} uncompressed")
            return Task(source, "doc", data, _stem(rel))
        with path.open("rb") as fh:
            size = os.fstat(fh.fileno()).st_size if path.is_file() else 0
            if size > max_bytes:
                return _error(source, _stem(rel), f"document too large: {mb(size, 1)} (limit {mb(max_bytes)})")
            data = fh.read(max_bytes + 1)
        if len(data) > max_bytes:
            return _error(source, _stem(rel), f"document too large: over {mb(max_bytes)}")
    except (OSError, EOFError, zlib.error) as exc:
        return _error(source, _stem(rel), _oserror(source, exc))
    return Task(source, "doc", data, _stem(rel))


def read_stdin(max_bytes: int = DEFAULT_MAX_BYTES) -> Task:
    """Stdin as one document. Nothing at all on it is an error (``cat missing | cleannews clean -``: the
    command before failed), where an empty file is a document without text."""
    try:
        data = sys.stdin.buffer.read(max_bytes + 1)
    except (OSError, ValueError) as exc:
        return _error("-", "stdin", f"cannot read stdin: {exc}")
    if not data:
        return _error("-", "stdin", "nothing on stdin (0 bytes): did the command before it fail?")
    if len(data) > max_bytes:
        return _error("-", "stdin", f"document too large: over {mb(max_bytes)}")
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
                        f"line {number} too large: over {mb(max_bytes)}",
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
    """Tasks for the command line's inputs, lazily and in order. A folder without a file to read is
    noted in ``stats.empty_folders``."""
    stats = stats if stats is not None else InputStats()
    exclude = list(exclude)
    for item in inputs:
        if item == "-":
            yield read_stdin(max_bytes)
            continue
        path = Path(item)
        if path.is_dir():
            found = 0
            for child, problem in walk(path, glob, exclude, stats):
                found += 1
                rel = child.relative_to(path).as_posix()
                if problem is not None:
                    yield _error(str(child), _stem(rel), problem)
                else:
                    yield from _tasks_for(child, rel, stats, max_bytes)
            if not found:
                stats.empty_folders.append(item)
        elif path.is_symlink() and not path.exists():
            yield _error(item, _stem(path.name), f"cannot read {item}: broken symbolic link (to {os.readlink(path)})")
        elif path.exists():
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
