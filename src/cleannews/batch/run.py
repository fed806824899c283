"""What ``cleannews clean`` runs: :func:`process_task` cleans one :class:`~cleannews.batch.tasks.Task`
in a worker and hands back the output already rendered (orjson), so the main process only reads,
orders and writes bytes; :func:`iter_done` runs the tasks in order, in a pool or in this process;
:class:`BatchStats` counts for the summary.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from collections.abc import Generator, Iterable, Iterator, Mapping
from functools import partial
from typing import Any, NamedTuple

import attrs
import orjson

from ..binary import binary_reason
from ..chain import Chain
from ..decoding import decode_given, replaced_note, utf8_replacing
from ..pipeline import Format, clean
from .pool import OrderedPool, Outcome, serial_map
from .records import (
    EMPTY_ARTICLE,
    WORKER_MAX_RSS,
    carried_fields,
    clean_mapping,
    output_record,
)
from .tasks import InputStats, Task, safe_name, task_weight
from .writers import render


@attrs.frozen
class BatchConfig:
    """Everything a worker needs besides the task; ``fmt`` is the output format the worker renders."""

    mode: Format = "auto"
    field: str | None = None
    chain: Chain | None = None
    comments: bool = True
    fmt: str = "jsonl"
    charset: str | None = None  # of documents read as bytes (files, stdin, WARC without an HTTP charset)
    md_links: bool = False  # --to md: keep the page's links as Markdown links


class Done(NamedTuple):
    """A cleaned document as the main process gets it: the output already rendered, and counts."""

    source: str
    name: str  # relative output name for -o FOLDER (no extension)
    data: bytes
    error: str | None
    warnings: int
    removed: tuple[str, ...]


def loads(line: bytes) -> tuple[Any, str | None]:
    """A JSON line, and a warning if its bad UTF-8 had to be replaced. Raises ValueError if not JSON."""
    try:
        return orjson.loads(line), None
    except orjson.JSONDecodeError:
        pass
    try:  # what orjson refuses but is JSON all the same: integers beyond 64 bits, NaN, lone surrogates
        return json.loads(line), None
    except UnicodeDecodeError:
        fixed, count = utf8_replacing(line)
        return json.loads(fixed), f"the JSON line was not valid UTF-8: {replaced_note(count)}"


def _done(cfg: BatchConfig, task: Task, record: dict[str, Any], name: str | None = None) -> Done:
    removed = tuple(r["kind"] for r in record.get("removed") or ())
    return Done(
        task.source,
        name or task.name,
        render(record, cfg.fmt, links=cfg.md_links),
        record.get("error"),
        len(record.get("warnings") or ()),
        removed,
    )


def _record_name(task: Task, record: Mapping[str, Any]) -> str | None:
    ident = record.get("id")
    if ident is None or isinstance(ident, dict | list):
        return None
    safe = safe_name(ident)
    return f"{task.name.rsplit('/', 1)[0]}/{safe}" if safe else None


def process_task(cfg: BatchConfig, task: Task) -> Done:
    """Clean one task (runs in a worker). Never raises on data."""
    if task.error is not None or task.data is None:
        record = output_record(task.extra or {}, EMPTY_ARTICLE, task.error or "no content", task.source)
        return _done(cfg, task, record)
    if task.kind == "line":
        try:
            parsed, warning = loads(task.data)
        except ValueError as exc:
            record = output_record({}, EMPTY_ARTICLE, f"line is not JSON: {exc}", task.source)
            return _done(cfg, task, record)
        if not isinstance(parsed, dict):
            record = output_record(
                {}, EMPTY_ARTICLE, f"line is JSON but not an object (a {type(parsed).__name__})", task.source
            )
            return _done(cfg, task, record)
        carried, article, error = clean_mapping(parsed, cfg.field, cfg.mode, cfg.chain, cfg.comments)
        if warning and error is None:
            article = {**article, "warnings": [warning, *article["warnings"]]}
        return _done(cfg, task, output_record(carried, article, error, task.source), _record_name(task, parsed))
    reason = binary_reason(task.data)
    if reason:
        return _done(cfg, task, output_record(task.extra or {}, EMPTY_ARTICLE, reason, task.source))
    fmt: Format = cfg.mode
    if cfg.mode == "auto" and (task.html or task.text):
        fmt = "html" if task.html else "text"
    document: str | bytes = task.data
    declared = decode_given(task.data, task.charset, "HTTP Content-Type") if task.charset else None
    if declared is not None:
        document = declared[0]
    charset = cfg.charset if isinstance(document, bytes) else None
    cleaned = clean(document, format=fmt, url=task.url, chain=cfg.chain, comments=cfg.comments, charset=charset)
    if declared is not None:
        cleaned = attrs.evolve(cleaned, fixes=(declared[1], *cleaned.fixes))
    return _done(cfg, task, output_record(task.extra or {}, cleaned.to_dict(), None, task.source))


def failure_done(cfg: BatchConfig, task: Task, error: str) -> Done:
    """The error record for a task whose worker timed out or crashed (runs in the main process)."""
    carried: Mapping[str, Any] = task.extra or {}
    name = None
    if task.kind == "line" and task.data is not None:
        try:
            parsed, _ = loads(task.data)
            if isinstance(parsed, dict):
                carried = carried_fields(parsed, cfg.field, cfg.mode)
                name = _record_name(task, parsed)
        except ValueError:
            pass
    return _done(cfg, task, output_record(carried, EMPTY_ARTICLE, error, task.source), name)


def iter_done(
    tasks: Iterable[Task],
    cfg: BatchConfig,
    *,
    jobs: int = 1,
    timeout: float | None = None,
    max_tasks: int | None = None,
    stats: BatchStats | None = None,
) -> Generator[Done, None, None]:
    """Clean tasks in order: in this process for ``jobs=1`` without a timeout, else in a worker pool."""
    fn = partial(process_task, cfg)
    tasks = iter(tasks)
    if jobs > 1:  # a single document needs one worker at most
        first = list(itertools.islice(tasks, 2))
        tasks = itertools.chain(first, tasks)
        if len(first) < 2:
            jobs = 1
    if jobs <= 1 and not timeout:
        outcomes: Iterator[Outcome[Task, Done]] = serial_map(fn, tasks)
        for outcome in outcomes:
            yield _from_outcome(cfg, outcome)
        return
    with OrderedPool(
        fn, jobs, timeout=timeout, weight=task_weight, max_tasks=max_tasks, max_rss=WORKER_MAX_RSS
    ) as pool:
        try:
            for outcome in pool.imap(tasks):
                yield _from_outcome(cfg, outcome)
        finally:
            if stats is not None:
                stats.restarts = pool.restarts


def _from_outcome(cfg: BatchConfig, outcome: Outcome[Task, Done]) -> Done:
    if outcome.error is None and outcome.value is not None:
        return outcome.value
    assert outcome.item is not None
    return failure_done(cfg, outcome.item, outcome.error or "no result")


@attrs.define
class BatchStats:
    """Counts for the end-of-run summary."""

    documents: int = 0
    errors: int = 0
    warnings: int = 0
    removed: Counter[str] = attrs.field(factory=Counter)
    inputs: InputStats = attrs.field(factory=InputStats)
    error_kinds: Counter[str] = attrs.field(factory=Counter)
    restarts: int = 0  # workers replaced (timeout, crash, memory)

    def add(self, done: Done) -> None:
        self.documents += 1
        self.warnings += done.warnings
        self.removed.update(done.removed)
        if done.error is not None:
            self.errors += 1
            self.error_kinds[_error_kind(done.error)] += 1

    def summary(self, seconds: float, jobs: int) -> list[str]:
        rate = self.documents / seconds if seconds > 0 else 0.0
        lines = [
            f"cleannews: {_count(self.documents, 'document')} in {seconds:.1f} s ({rate:.1f} docs/s, "
            f"{_count(jobs, 'job')}): {_count(self.errors, 'error')}, {_count(self.warnings, 'warning')}"
        ]
        if self.error_kinds:
            lines.append("errors: " + ", ".join(f"{k} {n}" for k, n in self.error_kinds.most_common()))
        if self.removed:
            lines.append("removed: " + ", ".join(f"{k} {n}" for k, n in self.removed.most_common()))
        if self.restarts:
            lines.append(f"workers replaced: {self.restarts} (after a timeout, a crash, or to give back memory)")
        if self.inputs.skipped:
            lines.append("skipped: " + ", ".join(f"{k} {n}" for k, n in self.inputs.skipped.most_common()))
        if self.inputs.empty_folders:
            lines.append("no file to read in: " + ", ".join(self.inputs.empty_folders))
        return lines


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _error_kind(error: str) -> str:
    """A short family name for an error message, for the summary."""
    head = error.split(":", 1)[0].split("(", 1)[0].strip()
    return head[:60] or "error"
