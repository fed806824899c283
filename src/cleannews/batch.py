"""Batch cleaning: many documents, in input order, in parallel, never stopping on bad data.

Two entry points for library users:

- :func:`clean_many` — an iterable of documents (str, bytes, or record dicts) in, an iterator of
  :class:`~cleannews.Article` (or :class:`Failure`) out, in the same order, on ``jobs`` processes;
- :func:`clean_record` — one record dict in, one output dict out: pure, for mapping over the
  partitions of a pandas, Dask or Spark data frame (see ``docs/batch.md``).

``cleannews clean`` uses the same pieces: :func:`process_task` runs in the workers on the tasks of
:mod:`cleannews.sources` and hands back the output already serialised (orjson), so the main process
only reads, orders and writes bytes.
"""

from __future__ import annotations

import itertools
import json
import os
from collections import Counter
from collections.abc import Generator, Iterable, Iterator, Mapping
from functools import partial
from typing import Any, NamedTuple

import attrs
import orjson

from .binary import binary_reason
from .chain import Chain
from .decoding import decode_given
from .errors import ConfigError
from .model import Article
from .pipeline import FORMATS, Format, clean
from .pool import OrderedPool, Outcome, serial_map
from .sources import InputStats, Task, safe_name, task_weight

#: a worker whose resident memory is above this between documents is replaced by a fresh one (a typical
#: worker holds 90-170 MB; one that cleaned a huge page keeps its grown heap otherwise)
WORKER_MAX_RSS = 256 * 2**20

#: the article's fields with empty values: what an error record holds besides ``error``
EMPTY_ARTICLE: dict[str, Any] = {**Article().to_dict(), "mode": None}
ARTICLE_KEYS = frozenset(EMPTY_ARTICLE)


@attrs.frozen
class Failure:
    """A document that could not be cleaned: why, and where it was (position in the input, source)."""

    error: str
    index: int = -1
    source: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The same keys as an :class:`~cleannews.Article`'s dict (empty), plus ``error``."""
        return {**EMPTY_ARTICLE, "error": self.error}


class RecordError(ValueError):
    """A record that holds no document to clean (missing or non-text field)."""


def default_cores() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


# --- one record ----------------------------------------------------------------------------------


def pick_field(record: Mapping[str, Any], field: str | None, mode: str) -> str:
    """The record's field holding the document: ``field``, else ``html`` (html/auto mode, when the
    record has a non-empty one), else ``text``. Raises :class:`RecordError` when there is none."""
    if field is not None:
        if field not in record:
            raise RecordError(f"record has no {field!r} field (--field)")
        return field
    html = record.get("html")
    if mode != "text" and isinstance(html, str | bytes) and html:
        return "html"
    if "text" in record:
        return "text"
    if mode != "text" and "html" in record:
        return "html"
    raise RecordError(
        "record has no 'text' field" if mode == "text" else "record has neither an 'html' nor a 'text' field"
    )


def _document(record: Mapping[str, Any], name: str) -> str | bytes:
    value = record.get(name)
    if value is None:
        return ""
    if isinstance(value, str | bytes):
        return value
    if isinstance(value, bytearray):
        return bytes(value)
    raise RecordError(f"field {name!r} holds {type(value).__name__}, not text")


def _output(
    carried: Mapping[str, Any], article: Mapping[str, Any], error: str | None, source: str | None = None
) -> dict[str, Any]:
    """``source``, the carried fields, the article's fields, ``error``. A carried field whose name the
    output uses itself is kept as ``input_<name>``."""
    out: dict[str, Any] = {} if source is None else {"source": source}
    for key, value in carried.items():
        if key in ARTICLE_KEYS or key == "error" or (source is not None and key == "source"):
            key = f"input_{key}"
        out[key] = value
    out.update(article)
    out["error"] = error
    return out


def _clean_mapping(
    record: Mapping[str, Any], field: str | None, mode: Format, chain: Chain | None, comments: bool
) -> tuple[dict[str, Any], dict[str, Any], str | None]:
    """(carried fields, article dict, error) for one record; never raises on data."""
    carried: dict[str, Any] = dict(record)
    try:
        name = pick_field(record, field, mode)
        carried.pop(name, None)
        document = _document(record, name)
    except RecordError as exc:
        return carried, EMPTY_ARTICLE, str(exc)
    reason = binary_reason(document)
    if reason:
        return carried, EMPTY_ARTICLE, f"field {name!r}: {reason}"
    url = record.get("url")
    fmt: Format = "html" if mode == "auto" and name == "html" else mode
    article = clean(document, format=fmt, url=url if isinstance(url, str) else None, chain=chain, comments=comments)
    return carried, article.to_dict(), None


def clean_record(
    record: Mapping[str, Any],
    *,
    field: str | None = None,
    mode: Format = "auto",
    chain: Chain | None = None,
    comments: bool = True,
) -> dict[str, Any]:
    """Clean the document in one record; a dict in, a dict out, nothing else touched.

    The document is ``record[field]``; by default ``html`` when the record has a non-empty one and
    ``mode`` is ``html`` or ``auto``, else ``text``. ``record["url"]`` is passed on to HTML extraction.
    The result holds every other field of the record (``id`` …), then the :class:`Article` fields
    (``title``, ``body``, ``paragraphs``, ``comments``, ``language``, ``metadata``, ``removed``,
    ``fixes``, ``warnings``, ``mode``, ``extractor``), then ``error``: ``None``, or why the record
    could not be cleaned (then the article fields are empty). A carried field named like an article
    field is renamed ``input_<name>``. Never raises on data; raises :class:`ConfigError` for a bad
    ``mode``.
    """
    if mode not in FORMATS:
        raise ConfigError(f"mode must be one of {', '.join(FORMATS)}, not {mode!r}")
    carried, article, error = _clean_mapping(record, field, mode, chain, comments)
    return _output(carried, article, error)


# --- what the workers run for `cleannews clean` ---------------------------------------------------


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
    try:  # what orjson refuses but is JSON all the same: integers beyond 64 bits, NaN
        return json.loads(line), None
    except UnicodeDecodeError:
        fixed = line.decode("utf-8", "replace")
        return json.loads(fixed), "the JSON line was not valid UTF-8; bad bytes were replaced with U+FFFD"


def dumps(record: Mapping[str, Any], indent: bool = False) -> bytes:
    try:
        return orjson.dumps(record, option=orjson.OPT_INDENT_2 if indent else 0)
    except TypeError:  # integers beyond 64 bits in a carried field
        return json.dumps(record, ensure_ascii=False, indent=2 if indent else None, default=str).encode("utf-8")


def render(record: Mapping[str, Any], fmt: str, *, links: bool = False) -> bytes:
    """One record in an output format, without the separators between records (see ``writers``);
    ``links``: Markdown keeps the page's links."""
    if fmt == "jsonl":
        return dumps(record) + b"\n"
    if fmt == "json":
        return dumps(record, indent=True)
    from .writers import render_md, render_txt

    return (render_txt(record) if fmt == "txt" else render_md(record, links=links)).encode("utf-8")


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
        record = _output(task.extra or {}, EMPTY_ARTICLE, task.error or "no content", task.source)
        return _done(cfg, task, record)
    if task.kind == "line":
        try:
            parsed, warning = loads(task.data)
        except ValueError as exc:
            record = _output({}, EMPTY_ARTICLE, f"line is not JSON: {exc}", task.source)
            return _done(cfg, task, record)
        if not isinstance(parsed, dict):
            record = _output(
                {}, EMPTY_ARTICLE, f"line is JSON but not an object (a {type(parsed).__name__})", task.source
            )
            return _done(cfg, task, record)
        carried, article, error = _clean_mapping(parsed, cfg.field, cfg.mode, cfg.chain, cfg.comments)
        if warning and error is None:
            article = {**article, "warnings": [warning, *article["warnings"]]}
        return _done(cfg, task, _output(carried, article, error, task.source), _record_name(task, parsed))
    reason = binary_reason(task.data)
    if reason:
        return _done(cfg, task, _output(task.extra or {}, EMPTY_ARTICLE, reason, task.source))
    fmt: Format = "html" if task.html and cfg.mode == "auto" else cfg.mode
    document: str | bytes = task.data
    declared = decode_given(task.data, task.charset, "HTTP Content-Type") if task.charset else None
    if declared is not None:
        document = declared[0]
    charset = cfg.charset if isinstance(document, bytes) else None
    cleaned = clean(document, format=fmt, url=task.url, chain=cfg.chain, comments=cfg.comments, charset=charset)
    if declared is not None:
        cleaned = attrs.evolve(cleaned, fixes=(declared[1], *cleaned.fixes))
    return _done(cfg, task, _output(task.extra or {}, cleaned.to_dict(), None, task.source))


def failure_done(cfg: BatchConfig, task: Task, error: str) -> Done:
    """The error record for a task whose worker timed out or crashed (runs in the main process)."""
    carried: Mapping[str, Any] = task.extra or {}
    name = None
    if task.kind == "line" and task.data is not None:
        try:
            parsed, _ = loads(task.data)
            if isinstance(parsed, dict):
                try:
                    pick: str | None = pick_field(parsed, cfg.field, cfg.mode)
                except RecordError:
                    pick = None
                carried = {k: v for k, v in parsed.items() if k != pick}
                name = _record_name(task, parsed)
        except ValueError:
            pass
    return _done(cfg, task, _output(carried, EMPTY_ARTICLE, error, task.source), name)


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
    if jobs > 1 and not timeout:  # a single document is not worth starting workers for
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
            f"cleannews: {self.documents} documents in {seconds:.1f} s ({rate:.1f} docs/s, {jobs} job{'s' if jobs != 1 else ''}): "
            f"{self.errors} errors, {self.warnings} warnings"
        ]
        if self.error_kinds:
            lines.append("errors: " + ", ".join(f"{k} {n}" for k, n in self.error_kinds.most_common()))
        if self.removed:
            lines.append("removed: " + ", ".join(f"{k} {n}" for k, n in self.removed.most_common()))
        if self.restarts:
            lines.append(f"workers replaced: {self.restarts} (after a timeout, a crash, or to give back memory)")
        if self.inputs.skipped:
            lines.append("skipped: " + ", ".join(f"{k} {n}" for k, n in self.inputs.skipped.most_common()))
        return lines


def _error_kind(error: str) -> str:
    """A short family name for an error message, for the summary."""
    head = error.split(":", 1)[0].split("(", 1)[0].strip()
    return head[:60] or "error"


# --- clean_many ----------------------------------------------------------------------------------


@attrs.frozen
class _ManyConfig:
    mode: Format
    field: str | None
    chain: Chain | None
    comments: bool


def _clean_item(cfg: _ManyConfig, item: str | bytes | Mapping[str, Any]) -> Article | Failure:
    if isinstance(item, Mapping):
        try:
            name = pick_field(item, cfg.field, cfg.mode)
            document = _document(item, name)
        except RecordError as exc:
            return Failure(str(exc))
        url = item.get("url")
        fmt: Format = "html" if cfg.mode == "auto" and name == "html" else cfg.mode
        reason = binary_reason(document)
        if reason:
            return Failure(reason)
        return clean(
            document, format=fmt, url=url if isinstance(url, str) else None, chain=cfg.chain, comments=cfg.comments
        )
    if isinstance(item, str | bytes | bytearray):
        reason = binary_reason(item)
        if reason:
            return Failure(reason)
        return clean(
            bytes(item) if isinstance(item, bytearray) else item,
            format=cfg.mode,
            chain=cfg.chain,
            comments=cfg.comments,
        )
    return Failure(f"cannot clean a {type(item).__name__}: give str, bytes or a record dict")


def _item_weight(item: Any) -> int:
    return len(item) if isinstance(item, str | bytes) else 4096


def clean_many(
    documents: Iterable[str | bytes | Mapping[str, Any]],
    *,
    jobs: int | None = None,
    mode: Format = "auto",
    chain: Chain | None = None,
    comments: bool = True,
    timeout: float | None = None,
    field: str | None = None,
) -> Iterator[Article | Failure]:
    """Clean many documents on ``jobs`` processes (default: every core), yielding results in order.

    Each item is a document (``str`` or ``bytes``) or a record dict (the document in ``field``, as
    in :func:`clean_record`; its ``url`` is used). ``documents`` is read lazily, a bounded number
    ahead, so it may be a generator over a huge input. A document that cannot be cleaned — not
    text, no document field, or (with ``timeout``) one that takes longer than ``timeout`` seconds or
    crashes its worker — gives a :class:`Failure` in its place; the run goes on.

    ``jobs=1`` without ``timeout`` runs in this process (no isolation from crashes). With processes,
    ``chain`` must be picklable on platforms that spawn instead of fork (the built-in cleaners are).
    """
    if mode not in FORMATS:
        raise ConfigError(f"mode must be one of {', '.join(FORMATS)}, not {mode!r}")
    jobs = default_cores() if jobs is None else jobs
    if jobs < 1:
        raise ConfigError(f"jobs must be at least 1, not {jobs}")
    fn = partial(_clean_item, _ManyConfig(mode, field, chain, comments))
    if jobs == 1 and not timeout:
        outcomes: Iterator[Outcome[Any, Article | Failure]] = serial_map(fn, documents)
        yield from _results(outcomes)
        return
    with OrderedPool(fn, jobs, timeout=timeout, weight=_item_weight, max_rss=WORKER_MAX_RSS) as pool:
        yield from _results(pool.imap(documents))


def _results(outcomes: Iterator[Outcome[Any, Article | Failure]]) -> Iterator[Article | Failure]:
    for outcome in outcomes:
        if outcome.error is not None or outcome.value is None:
            yield Failure(outcome.error or "no result", outcome.index)
        elif isinstance(outcome.value, Failure):
            yield attrs.evolve(outcome.value, index=outcome.index)
        else:
            yield outcome.value
