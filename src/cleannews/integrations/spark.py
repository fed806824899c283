"""cleannews on Spark: a DataFrame with an html or text column in, the articles as typed columns out.

>>> from cleannews.integrations.spark import clean_dataframe
>>> articles = clean_dataframe(spark.read.parquet("pages/"), mode="html", config="cleannews.toml")  # doctest: +SKIP
>>> articles.select("url", "title", "body", "language", "error").show()  # doctest: +SKIP

One output row per input row, in a ``mapInArrow`` stage (Arrow record batches in and out, no pandas
and no per-row Python objects of Spark's): every input column but the document's is kept, and the
article's fields (:data:`cleannews.integrations.schema.OUTPUT`: ``title``, ``body``,
``paragraphs``, ``comments`` as structs, ``metadata`` as a struct, ``removed``, ``fixes``,
``warnings``, ``mode``, ``extractor``, ``error``) are added as columns. A row that cannot be cleaned
(binary data, a document that takes longer than ``timeout`` or kills its process) has ``error`` set
and empty article fields; the job goes on.

The config is read and checked here, on the driver (a bad one raises :class:`~cleannews.ConfigError`
before any task runs); each executor's Python worker builds the chain once and keeps it.
Needs ``pip install "cleannews[spark]"`` (pyspark with pyarrow) on the driver and the executors.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from functools import partial
from typing import TYPE_CHECKING, Any

try:
    import pyarrow as pa
    from pyspark.sql.types import (
        ArrayType,
        BooleanType,
        DataType,
        LongType,
        MapType,
        StringType,
        StructField,
        StructType,
    )
except ImportError as exc:  # pragma: no cover - the extra is not installed
    raise ImportError(
        f'{exc}: cleannews.integrations.spark needs the spark extra: pip install "cleannews[spark]"'
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
)

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

__all__ = ["arrow_type", "clean_dataframe", "spark_type"]


def spark_type(kind: schema.Type) -> DataType:
    """The Spark SQL type of a :mod:`~cleannews.integrations.schema` type (``spark_type(schema.OUTPUT)``
    is the struct of the columns :func:`clean_dataframe` adds)."""
    if isinstance(kind, schema.Scalar):
        return {"long": LongType(), "boolean": BooleanType()}.get(kind.name, StringType())
    if isinstance(kind, schema.ListOf):
        return ArrayType(spark_type(kind.item), containsNull=False)
    if isinstance(kind, schema.MapOf):
        return MapType(StringType(), spark_type(kind.value), valueContainsNull=True)
    return StructType([StructField(name, spark_type(sub), nullable=True) for name, sub in kind.fields])


def arrow_type(kind: schema.Type) -> pa.DataType:
    """The Arrow type of a :mod:`~cleannews.integrations.schema` type, as Spark reads it back."""
    if isinstance(kind, schema.Scalar):
        return {"long": pa.int64(), "boolean": pa.bool_()}.get(kind.name, pa.string())
    if isinstance(kind, schema.ListOf):
        return pa.list_(pa.field("element", arrow_type(kind.item), nullable=False))
    if isinstance(kind, schema.MapOf):
        return pa.map_(pa.string(), arrow_type(kind.value))
    return pa.struct([pa.field(name, arrow_type(sub)) for name, sub in kind.fields])


_ARTICLE_ARROW = [(name, arrow_type(kind)) for name, kind in schema.OUTPUT.fields]


def clean_dataframe(
    df: DataFrame,
    column: str | None = None,
    *,
    mode: str = "auto",
    config: Config = None,
    comments: bool = True,
    timeout: float | None = DEFAULT_TIMEOUT,
    url_column: str | None = "url",
) -> DataFrame:
    """Clean the documents in ``column`` of ``df``: one output row per input row.

    ``column`` (string or binary) defaults to ``html`` when ``df`` has it (and ``mode`` is not
    ``text``), else ``text``; in ``auto`` mode an ``html`` column is read as HTML and any other is
    told apart per document, as :func:`cleannews.clean_record` does. ``url_column`` (when ``df`` has
    it) is passed on to HTML extraction. The output has every other column of ``df`` (one named like an
    article field is renamed ``input_<name>``) and then the article's columns.

    ``config`` is a chain config (a mapping, or the path of a TOML file read here); ``timeout`` is how
    many seconds one document may take (``None``: no limit, and no isolated process: a document that
    crashes the Python worker then fails the task).
    """
    options, url = frame_options(
        df.columns, column, url_column, mode=mode, config=config, comments=comments, timeout=timeout
    )
    column = str(options.field)
    kept = [f for f in df.schema.fields if f.name != column]
    added = spark_type(schema.OUTPUT)
    assert isinstance(added, StructType)
    out = StructType([StructField(carried_name(f.name), f.dataType, f.nullable) for f in kept] + list(added.fields))
    fn = partial(_clean_batches, options, column, url, [f.name for f in kept], out.names)
    return df.mapInArrow(fn, out)


def _clean_batches(
    options: Options,
    column: str,
    url_column: str | None,
    kept: list[str],
    names: list[str],
    batches: Iterable[pa.RecordBatch],
) -> Iterator[pa.RecordBatch]:
    """Runs on the executors: every batch of a partition in, the same rows with the articles out. One
    :func:`~cleannews.integrations.common.clean_rows` over the whole partition (one isolated process)."""
    queue: deque[pa.RecordBatch] = deque()

    def records() -> Iterator[dict[str, Any]]:
        for batch in batches:
            queue.append(batch)
            documents = batch.column(column).to_pylist()
            urls = batch.column(url_column).to_pylist() if url_column else [None] * batch.num_rows
            for document, url in zip(documents, urls, strict=True):
                yield document_record(column, document, url)

    rows: list[dict[str, Any]] = []
    for result in clean_rows(records(), options):
        while not queue[0].num_rows:  # an empty batch: its (empty) output goes out in its place
            yield _output_batch(queue.popleft(), [], kept, names)
        rows.append(result)
        if len(rows) == queue[0].num_rows:
            yield _output_batch(queue.popleft(), rows, kept, names)
            rows = []
    while queue:
        yield _output_batch(queue.popleft(), [], kept, names)


def _output_batch(
    batch: pa.RecordBatch, rows: list[dict[str, Any]], kept: list[str], names: list[str]
) -> pa.RecordBatch:
    arrays = [batch.column(name) for name in kept]
    arrays += [pa.array([row[name] for row in rows], type=kind) for name, kind in _ARTICLE_ARROW]
    return pa.RecordBatch.from_arrays(arrays, names=names)
