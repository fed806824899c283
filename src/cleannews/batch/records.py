"""The library's batch API: :func:`clean_record` (one record dict in, one out) and :func:`clean_many`
(many documents or records, in order, on every core), and the :class:`Failure` that stands in for a
document that could not be cleaned.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import partial
from typing import Any

import attrs

from ..binary import binary_reason
from ..chain import Chain
from ..errors import ConfigError
from ..model import Article
from ..pipeline import FORMATS, Format, clean
from .pool import OrderedPool, Outcome, serial_map

#: seconds one document may take by default (``clean_many``, ``cleannews clean --timeout``): a news page
#: takes tens of milliseconds; past it the document is a failure and its worker is replaced
DEFAULT_TIMEOUT = 60.0

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


def document_of(record: Mapping[str, Any], name: str) -> str | bytes:
    value = record.get(name)
    if value is None:
        return ""
    if isinstance(value, str | bytes):
        return value
    if isinstance(value, bytearray):
        return bytes(value)
    raise RecordError(f"field {name!r} holds {type(value).__name__}, not text")


def output_record(
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


def carried_fields(record: Mapping[str, Any], field: str | None, mode: str) -> dict[str, Any]:
    """The fields of a record that are carried into its output: all but the document's."""
    try:
        pick: str | None = pick_field(record, field, mode)
    except RecordError:
        pick = None
    return {k: v for k, v in record.items() if k != pick}


def clean_mapping(
    record: Mapping[str, Any], field: str | None, mode: Format, chain: Chain | None, comments: bool
) -> tuple[dict[str, Any], dict[str, Any], str | None]:
    """(carried fields, article dict, error) for one record; never raises on data."""
    carried: dict[str, Any] = dict(record)
    try:
        name = pick_field(record, field, mode)
        carried.pop(name, None)
        document = document_of(record, name)
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
    carried, article, error = clean_mapping(record, field, mode, chain, comments)
    return output_record(carried, article, error)


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
            document = document_of(item, name)
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
    timeout: float | None = DEFAULT_TIMEOUT,
    field: str | None = None,
) -> Iterator[Article | Failure]:
    """Clean many documents on ``jobs`` processes (default: every core), yielding results in order.

    Each item is a document (``str`` or ``bytes``) or a record dict (the document in ``field``, as
    in :func:`clean_record`; its ``url`` is used). ``documents`` is read lazily, a bounded number
    ahead, so it may be a generator over a huge input. A document that cannot be cleaned — not
    text, no document field, or (with ``timeout``) one that takes longer than ``timeout`` seconds or
    crashes its worker — gives a :class:`Failure` in its place; the run goes on.

    ``timeout`` is 60 s by default; ``0`` or ``None`` turns it off. ``jobs`` is at most the cores this
    process may use. ``jobs=1`` without a timeout runs in this process (no isolation from crashes). With
    processes, ``chain`` must be picklable on platforms that spawn instead of fork (the built-in
    cleaners are).
    """
    if mode not in FORMATS:
        raise ConfigError(f"mode must be one of {', '.join(FORMATS)}, not {mode!r}")
    if timeout is not None and not (isinstance(timeout, int | float) and math.isfinite(timeout) and timeout >= 0):
        raise ConfigError(f"timeout must be a finite number of seconds (0 or None: no limit), not {timeout!r}")
    cores = default_cores()
    jobs = cores if jobs is None else jobs
    if jobs < 1:
        raise ConfigError(f"jobs must be at least 1, not {jobs}")
    jobs = min(jobs, cores)
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


# --- clean_records -------------------------------------------------------------------------------


def _record_item(
    field: str | None, mode: Format, chain: Chain | None, comments: bool, record: Mapping[str, Any]
) -> dict[str, Any]:
    if not isinstance(record, Mapping):
        return output_record({}, EMPTY_ARTICLE, f"cannot clean a {type(record).__name__}: give a record dict")
    return clean_record(record, field=field, mode=mode, chain=chain, comments=comments)


def clean_records(
    records: Iterable[Mapping[str, Any]],
    *,
    field: str | None = None,
    mode: Format = "auto",
    chain: Chain | None = None,
    comments: bool = True,
    timeout: float | None = None,
    jobs: int = 1,
) -> Iterator[dict[str, Any]]:
    """:func:`clean_record` over many records: one output dict per record, in order, read lazily.

    Without ``timeout`` and with ``jobs=1`` the records are cleaned in this process. With a
    ``timeout`` (seconds) they are cleaned in ``jobs`` worker processes, so a record that takes
    longer, or that kills its worker (a segfault, the OOM killer), gives an error record in its place
    (``error``: ``timed out after 60 s (worker killed and replaced)``, ``worker crashed (killed by
    SIGSEGV)``; the record's other fields carried as usual) and the rest go on. This is what the
    Spark, Dask and datatrove integrations run in each partition (:mod:`cleannews.integrations`).
    Raises :class:`ConfigError` for a bad ``mode`` or ``jobs`` when called (not when iterated); never on data.
    """
    if mode not in FORMATS:
        raise ConfigError(f"mode must be one of {', '.join(FORMATS)}, not {mode!r}")
    if jobs < 1:
        raise ConfigError(f"jobs must be at least 1, not {jobs}")
    return _clean_records(records, partial(_record_item, field, mode, chain, comments), field, mode, timeout, jobs)


def _clean_records(
    records: Iterable[Mapping[str, Any]],
    fn: Callable[[Mapping[str, Any]], dict[str, Any]],
    field: str | None,
    mode: Format,
    timeout: float | None,
    jobs: int,
) -> Iterator[dict[str, Any]]:
    if jobs == 1 and not timeout:
        for record in records:
            yield fn(record)
        return
    with OrderedPool(fn, jobs, timeout=timeout, weight=_record_weight, max_rss=WORKER_MAX_RSS) as pool:
        for outcome in pool.imap(records):
            if outcome.error is None and outcome.value is not None:
                yield outcome.value
            else:
                record = outcome.item if isinstance(outcome.item, Mapping) else {}
                carried = carried_fields(record, field, mode)
                yield output_record(carried, EMPTY_ARTICLE, outcome.error or "no result")


def _record_weight(record: Any) -> int:
    if not isinstance(record, Mapping):
        return 64
    return sum(len(v) for v in record.values() if isinstance(v, str | bytes)) or 64
