"""What every engine's integration shares: options checked once where the job starts, the chain built
once per worker process, and partitions cleaned by :func:`cleannews.clean_records`.

The options travel to the workers inside the engine's task (pickled); the chain travels as its
config, a plain mapping, and each worker process builds it the first time it needs it and keeps it
(:func:`chain_of`). A config that cannot make a chain raises :class:`~cleannews.ConfigError` in
:func:`make_options`, on the driver, before any task runs.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar, cast

import attrs

from ..batch import clean_records
from ..chain import Chain, read_config
from ..errors import ConfigError
from ..pipeline import FORMATS, Format, clean
from .schema import OUTPUT

T = TypeVar("T")

#: seconds one document may take by default; past it the document is an error row (see docs/scale.md)
DEFAULT_TIMEOUT = 60.0

#: the config of a chain, as :meth:`cleannews.Chain.from_config` takes it
Config = Mapping[str, Any] | str | os.PathLike[str] | None


@attrs.frozen
class Options:
    """How to clean every document of a job; small and picklable (the chain goes as its config)."""

    mode: Format = "auto"
    field: str | None = None
    config: Mapping[str, Any] | None = attrs.field(default=None, eq=False)
    comments: bool = True
    timeout: float | None = DEFAULT_TIMEOUT


def make_options(
    *,
    field: str | None = None,
    mode: str = "auto",
    config: Config = None,
    comments: bool = True,
    timeout: float | None = DEFAULT_TIMEOUT,
) -> Options:
    """Check everything once, on the driver: the mode, the timeout, and the config (a TOML file is read
    here, and the chain built once, so a bad config raises :class:`ConfigError` at job start)."""
    if mode not in FORMATS:
        raise ConfigError(f"mode must be one of {', '.join(FORMATS)}, not {mode!r}")
    if timeout is not None and not timeout > 0:
        raise ConfigError(f"timeout must be a number of seconds above 0, or None for no limit; not {timeout!r}")
    mapping: Mapping[str, Any] | None = None
    if isinstance(config, str | os.PathLike):
        mapping = read_config(Path(config))
    elif config is not None:
        if not isinstance(config, Mapping):
            raise ConfigError(f"config must be a mapping or a TOML file's path, not {type(config).__name__}")
        mapping = config
    if mapping is not None:
        mapping = dict(mapping)
        chain_of(mapping)  # raises ConfigError now, not once per row on the workers
    return Options(mode=cast(Format, mode), field=field, config=mapping, comments=comments, timeout=timeout)


_CHAINS: dict[str, Chain] = {}


def chain_of(config: Mapping[str, Any] | None) -> Chain:
    """The chain for ``config`` (``None``: the default chain), built once per process."""
    if config is None:
        return Chain.default()
    key = repr(config)
    chain = _CHAINS.get(key)
    if chain is None:
        chain = _CHAINS[key] = Chain.from_config(config)
    return chain


def clean_rows(records: Iterable[Mapping[str, Any]], options: Options) -> Iterator[dict[str, Any]]:
    """:func:`cleannews.clean_records` with ``options``: one output dict per record, in order. With a
    timeout the records are cleaned in one child process, so a document that hangs or kills it is an
    error row and the rest of the partition goes on."""
    if options.timeout is not None and multiprocessing.current_process().daemon:
        raise ConfigError(
            "cleannews cannot start its isolated worker inside a daemonic process (a Dask worker started with "
            "distributed.worker.daemon: true). Set dask.config.set({'distributed.worker.daemon': False}) before "
            "starting the cluster (or DASK_DISTRIBUTED__WORKER__DAEMON=False in its environment), or pass "
            "timeout=None to clean in the worker itself, without a per-document timeout"
        )
    chain = chain_of(options.config)
    if options.timeout is not None:
        _warm_up(chain)
    return clean_records(
        records,
        field=options.field,
        mode=options.mode,
        chain=chain,
        comments=options.comments,
        timeout=options.timeout,
    )


_WARM: set[int] = set()
_WARM_TEXT = "A headline\n\nadvertisement\n\nThe council approved the budget on Tuesday after a long debate.\n"
_WARM_HTML = "<!DOCTYPE html><html><body><article><h1>A headline</h1><p>" + _WARM_TEXT + "</p></article></body></html>"


def _warm_up(chain: Chain) -> None:
    """Clean a text and an HTML page once in this process before forking the isolated worker: its child
    then starts with the extractors imported and the language profiles loaded (about a second each
    partition would otherwise pay)."""
    if id(chain) in _WARM:
        return
    clean(_WARM_TEXT, format="text", chain=chain)
    clean(_WARM_HTML, format="html", chain=chain)
    _WARM.add(id(chain))


def clean_paired(
    items: Iterable[T], to_record: Callable[[T], Mapping[str, Any]], options: Options
) -> Iterator[tuple[T, dict[str, Any]]]:
    """Each item with its cleaned record, in order, reading ``items`` lazily (a bounded number ahead)."""
    pending: deque[T] = deque()

    def records() -> Iterator[Mapping[str, Any]]:
        for item in items:
            pending.append(item)
            yield to_record(item)

    for result in clean_rows(records(), options):
        yield pending.popleft(), result


def document_record(field: str, document: Any, url: Any) -> dict[str, Any]:
    """The record :func:`cleannews.clean_record` gets for a row's document (and url, when a string)."""
    record = {field: document}
    if isinstance(url, str):
        record["url"] = url
    return record


def pick_column(columns: Sequence[str], column: str | None, mode: str) -> str:
    """The column holding the documents: ``column``, else ``html`` (unless ``mode`` is text), else ``text``."""
    if column is not None:
        if column not in columns:
            raise ConfigError(f"no column {column!r}; the columns are {', '.join(map(str, columns))}")
        return column
    for name in ("text",) if mode == "text" else ("html", "text"):
        if name in columns:
            return name
    wanted = "a 'text' column" if mode == "text" else "an 'html' or a 'text' column"
    raise ConfigError(
        f"no document column: give column=NAME or {wanted}; the columns are {', '.join(map(str, columns))}"
    )


def frame_options(
    columns: Sequence[str],
    column: str | None,
    url_column: str | None,
    *,
    mode: str,
    config: Config,
    comments: bool,
    timeout: float | None,
) -> tuple[Options, str | None]:
    """The options for cleaning a data frame's document column (``options.field``, picked by
    :func:`pick_column`), and the url column to pass on when the frame has it."""
    field = pick_column(columns, column, mode)
    options = make_options(field=field, mode=mode, config=config, comments=comments, timeout=timeout)
    return options, url_column if url_column in columns and url_column != field else None


def carried_name(name: str) -> str:
    """An input column's name in the output: ``input_<name>`` when the output uses the name itself (as
    :func:`cleannews.clean_record` renames carried fields)."""
    return f"input_{name}" if name in OUTPUT.names else name
