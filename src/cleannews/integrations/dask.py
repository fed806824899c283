"""cleannews on Dask: a bag of record dicts, or a DataFrame with an html or text column.

>>> import dask.bag as db
>>> from cleannews.integrations.dask import clean_bag
>>> records = db.read_text("dump-*.jsonl.gz").map(orjson.loads)  # doctest: +SKIP
>>> clean_bag(records, config="cleannews.toml").map(orjson.dumps).to_textfiles("out/*.jsonl")  # doctest: +SKIP

- :func:`clean_bag`: each record becomes :func:`cleannews.clean_record`'s output (its other fields,
  then the article's, then ``error``);
- :func:`clean_dataframe`: one output row per input row, the input's other columns kept and the
  article's fields (:data:`cleannews.integrations.schema.OUTPUT`) added as columns of Python
  objects (strings, lists, dicts; ``None`` where empty).

The config is read and checked when the graph is built (a bad one raises
:class:`~cleannews.ConfigError` there); each worker process builds the chain once and keeps it.
With a ``timeout`` (the default), each partition is cleaned in one child process of the worker, so a
document that hangs or kills it is an error row; Dask's workers are daemonic processes by default,
which may not start children: start the cluster after
``dask.config.set({"distributed.worker.daemon": False})`` (or pass ``timeout=None``).
Needs ``pip install "cleannews[dask]"``.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING, Any

try:
    import pandas as pd
except ImportError as exc:  # pragma: no cover - the extra is not installed
    raise ImportError(
        f'{exc}: cleannews.integrations.dask needs the dask extra: pip install "cleannews[dask]"'
    ) from exc

from . import schema
from .common import (
    DEFAULT_TIMEOUT,
    Config,
    Options,
    carried_name,
    clean_rows,
    document_record,
    frame_options,
    make_options,
)

if TYPE_CHECKING:
    import dask.bag
    import dask.dataframe

__all__ = ["clean_bag", "clean_dataframe"]


def clean_bag(
    bag: dask.bag.Bag,
    *,
    field: str | None = None,
    mode: str = "auto",
    config: Config = None,
    comments: bool = True,
    timeout: float | None = DEFAULT_TIMEOUT,
) -> dask.bag.Bag:
    """Clean a bag of record dicts: each becomes :func:`cleannews.clean_record`'s output, in order.

    ``field``, ``mode`` and ``comments`` as in :func:`cleannews.clean_record`; ``config`` a chain
    config (a mapping, or a TOML file's path, read here); ``timeout`` the seconds one document may take
    (``None``: no limit and no child process).
    """
    options = make_options(field=field, mode=mode, config=config, comments=comments, timeout=timeout)
    cleaned: dask.bag.Bag = bag.map_partitions(_clean_records, options)  # type: ignore[no-untyped-call]
    return cleaned


def _clean_records(records: Iterable[Any], options: Options) -> list[dict[str, Any]]:
    return list(clean_rows(records, options))


def clean_dataframe(
    ddf: dask.dataframe.DataFrame,
    column: str | None = None,
    *,
    mode: str = "auto",
    config: Config = None,
    comments: bool = True,
    timeout: float | None = DEFAULT_TIMEOUT,
    url_column: str | None = "url",
) -> dask.dataframe.DataFrame:
    """Clean the documents in ``column`` of ``ddf``: one output row per input row, index kept.

    ``column`` defaults to ``html`` when ``ddf`` has it (and ``mode`` is not ``text``), else ``text``;
    the other arguments as in :func:`cleannews.integrations.spark.clean_dataframe`.
    """
    columns = [str(c) for c in ddf.columns]
    options, url = frame_options(
        columns, column, url_column, mode=mode, config=config, comments=comments, timeout=timeout
    )
    column = str(options.field)
    fn = partial(_clean_frame, options, column, url)
    cleaned: dask.dataframe.DataFrame = ddf.map_partitions(fn, meta=fn(ddf._meta))  # type: ignore[no-untyped-call]
    return cleaned


def _clean_frame(options: Options, column: str, url_column: str | None, part: pd.DataFrame) -> pd.DataFrame:
    documents = _values(part[column])
    urls = _values(part[url_column]) if url_column else [None] * len(part)
    records = (document_record(column, d, u) for d, u in zip(documents, urls, strict=True))
    results = list(clean_rows(records, options)) if len(part) else []
    kept = part.drop(columns=[column])
    kept.columns = [carried_name(str(c)) for c in kept.columns]
    article = pd.DataFrame(
        {name: pd.Series([r[name] for r in results], index=part.index, dtype=object) for name in schema.OUTPUT.names},
        index=part.index,
    )
    return pd.concat([kept, article], axis=1)


def _values(series: pd.Series) -> list[Any]:
    """A column's values as Python objects, missing ones (``NaN``, ``pd.NA``) as ``None``."""
    return [None if v is None or v is pd.NA or (isinstance(v, float) and v != v) else v for v in series.tolist()]
