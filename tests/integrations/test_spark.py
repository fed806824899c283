"""The Spark integration on a local Spark session (local[2]): one session for the module."""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pyspark")
if shutil.which("java") is None:  # CI installs Java (.ci/run): there a missing one is a failure, not a skip
    if os.environ.get("CI"):
        pytest.fail("Spark needs a Java runtime (17+): .ci/run installs openjdk-17-jre-headless", pytrace=False)
    pytest.skip("Spark needs a Java runtime (17+) on PATH", allow_module_level=True)

import pyarrow as pa
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql.types import LongType, StringType, StructType

from cleannews import clean_record
from cleannews.errors import ConfigError, UnknownCleanerError
from cleannews.integrations import schema
from cleannews.integrations.spark import arrow_type, clean_dataframe, spark_type

from ..conftest import ROOT
from .shared import (
    ARTICLE_PAGE,
    COUNT_ROWS,
    COUNT_WARNING,
    HTML_ROWS,
    TEXT_ROWS,
    TRAP_CONFIG,
    TROUBLE_ERRORS,
    TROUBLE_ROWS,
    TROUBLE_TIMEOUT,
    by_id,
    cli_records,
    trap_plugin,
)

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    python = os.environ.get("PYSPARK_PYTHON")
    with trap_plugin():  # before the JVM starts: its Python workers inherit PYTHONPATH
        os.environ["PYSPARK_PYTHON"] = sys.executable  # the workers' Python: this one, with cleannews
        session = (
            SparkSession.builder.master("local[2]")
            .appName("cleannews-tests")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.sql.execution.arrow.maxRecordsPerBatch", "3")  # several batches per partition
            .config("spark.driver.memory", "1g")
            .getOrCreate()
        )
        session.sparkContext.setLogLevel("ERROR")
        try:
            yield session
        finally:
            session.stop()
            if python is None:
                os.environ.pop("PYSPARK_PYTHON", None)
            else:
                os.environ["PYSPARK_PYTHON"] = python


def _rows(frame: DataFrame) -> list[dict[str, Any]]:
    return [row.asDict(recursive=True) for row in frame.collect()]


def _frame(spark: SparkSession, rows: list[dict[str, Any]], partitions: int = 2) -> DataFrame:
    columns = list(rows[0])
    ddl = ", ".join(f"{c} string" for c in columns)
    return spark.createDataFrame([tuple(r.get(c) for c in columns) for r in rows], ddl).repartition(partitions)


def test_same_article_json_as_the_cli(spark: SparkSession, cli_articles: dict[str, bytes]) -> None:
    text = clean_dataframe(_frame(spark, TEXT_ROWS, 3))
    html = clean_dataframe(_frame(spark, HTML_ROWS))
    out = _rows(text) + _rows(html)
    assert len(out) == len(TEXT_ROWS) + len(HTML_ROWS)  # one output row per input row
    assert by_id(out) == cli_articles


def test_columns_are_typed_and_the_input_columns_kept(spark: SparkSession) -> None:
    frame = spark.createDataFrame(
        [("a", "https://example.com/a", HTML_ROWS[0]["html"], "kept", 7)],
        "id string, url string, html string, title string, n long",
    )
    cleaned = clean_dataframe(frame)
    added = spark_type(schema.OUTPUT)
    assert isinstance(added, StructType)
    kept = [(f.name, f.dataType) for f in cleaned.schema.fields[:4]]
    assert kept == [("id", StringType()), ("url", StringType()), ("input_title", StringType()), ("n", LongType())]
    assert cleaned.schema.fields[4:] == added.fields
    assert cleaned.columns[4:] == list(schema.OUTPUT.names)
    (row,) = _rows(cleaned)
    assert (row["id"], row["input_title"], row["n"], row["title"]) == ("a", "kept", 7, "Council approves the budget")
    assert list(row["comments"][0]) == ["text", "author", "time"]  # a struct per comment
    assert row["comments"][0]["text"].endswith("About time the roads got some money, frankly.")
    assert row["metadata"]["url"] == "https://example.com/a"  # the url column went to extraction
    assert all(isinstance(r["index"], int) for r in row["removed"])


def test_trouble_becomes_error_rows_and_the_job_finishes(spark: SparkSession, tmp_path: Path) -> None:
    config = tmp_path / "trap.toml"
    config.write_text(TRAP_CONFIG)
    frame = _frame(spark, TROUBLE_ROWS, 1)  # one partition: every document after the trouble must still come
    start = time.monotonic()
    out = sorted(_rows(clean_dataframe(frame, config=config, timeout=TROUBLE_TIMEOUT)), key=lambda r: r["id"])
    assert time.monotonic() - start < 60
    assert [r["error"] for r in out] == TROUBLE_ERRORS
    # the config reached the workers: the plugin removed the marked line, as the CLI with --config does
    assert [r["cleaner"] for r in out[5]["removed"] if r["kind"] == "trapped"] == ["trap"]
    good = [r for r in TROUBLE_ROWS if "TRAP-HANG" not in r["text"] and "TRAP-KILL" not in r["text"]]
    with trap_plugin():
        cli = by_id(cli_records(tmp_path, good, "--config", str(config)))
    assert {k: v for k, v in by_id(out).items() if k in cli} == cli


@pytest.mark.parametrize("timeout", [TROUBLE_TIMEOUT, None])
def test_the_chain_is_built_once_per_python_worker(spark: SparkSession, tmp_path: Path, timeout: float | None) -> None:
    config = tmp_path / "trap.toml"
    config.write_text(TRAP_CONFIG)
    out = _rows(clean_dataframe(_frame(spark, COUNT_ROWS, 6), config=config, timeout=timeout))
    assert len(out) == len(COUNT_ROWS)  # 6 partitions of batches of 3 rows on 2 workers
    assert all(COUNT_WARNING in r["warnings"] for r in out), {w for r in out for w in r["warnings"]}


def test_a_bad_config_fails_when_the_job_is_made(spark: SparkSession, tmp_path: Path) -> None:
    frame = _frame(spark, TEXT_ROWS)
    bad = tmp_path / "bad.toml"
    bad.write_text('cleaners = ["ads", "no_such_cleaner"]\n')
    with pytest.raises(UnknownCleanerError, match="unknown cleaner 'no_such_cleaner'"):
        clean_dataframe(frame, config=bad)  # no Spark action has run: the driver raised
    with pytest.raises(ConfigError, match="no document column"):
        clean_dataframe(frame.select("id"))
    with pytest.raises(ConfigError, match="mode must be one of"):
        clean_dataframe(frame, mode="xml")


def test_without_a_timeout_rows_are_cleaned_in_the_python_worker(
    spark: SparkSession, cli_articles: dict[str, bytes]
) -> None:
    out = _rows(clean_dataframe(_frame(spark, TEXT_ROWS), timeout=None))
    assert by_id(out) == {k: v for k, v in cli_articles.items() if k in {r["id"] for r in TEXT_ROWS}}


def test_every_schema_type_reaches_spark_and_back(spark: SparkSession) -> None:
    # the types a field added to Article.to_dict() may have (metadata's provenance is a mapping)
    kind = schema.StructOf(
        (
            ("s", schema.STRING),
            ("n", schema.LONG),
            ("l", schema.STRINGS),
            ("m", schema.MapOf(schema.STRING)),
            ("r", schema.ListOf(schema.FIX)),
        )
    )
    value = {
        "s": "x",
        "n": 3,
        "l": ["a", "b"],
        "m": {"authors": "json-ld", "date": None},
        "r": [{"step": "a", "detail": ""}],
    }
    assert schema.conforms(value, kind)
    struct = spark_type(kind)
    assert isinstance(struct, StructType)
    arrays = [pa.array([value[name]], type=arrow_type(sub)) for name, sub in kind.fields]

    def batches(_: Any) -> Iterator[pa.RecordBatch]:
        yield pa.RecordBatch.from_arrays(arrays, names=list(kind.names))

    (row,) = _rows(spark.range(1, numPartitions=1).mapInArrow(batches, struct))
    assert row == value


def test_empty_frame(spark: SparkSession) -> None:
    frame = spark.createDataFrame([], "id string, text string")
    assert clean_dataframe(frame).collect() == []


def test_the_docs_crawl_job_cleans_warc_and_wet_files(spark: SparkSession, tmp_path: Path) -> None:
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    warc, wet = tmp_path / "crawl.warc.gz", tmp_path / "crawl.warc.wet.gz"
    with warc.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, body, kind in [
            ("https://example.com/news/budget", ARTICLE_PAGE.encode("cp1252"), "text/html; charset=windows-1252"),
            ("https://example.com/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(64), "image/png"),
        ]:
            headers = StatusAndHeaders("200 OK", [("Content-Type", kind)], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers)
            )
    with wet.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        payload = io.BytesIO(TEXT_ROWS[2]["text"].encode())
        writer.write_record(
            writer.create_warc_record(
                "https://example.com/seed", "conversion", payload=payload, warc_content_type="text/plain"
            )
        )
    text = (ROOT / "docs" / "scale.md").read_text(encoding="utf-8")
    job = text.split("<!-- spark-job -->", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict[str, Any] = {"__name__": "clean_crawl"}
    exec(compile(job, "docs/scale.md", "exec"), namespace)
    namespace["clean_crawl"](spark, [str(warc), str(wet)], str(tmp_path / "out"))
    out = sorted(_rows(spark.read.parquet(str(tmp_path / "out"))), key=lambda r: r["url"])
    assert [(r["url"], r["mode"], r["error"]) for r in out] == [
        ("https://example.com/news/budget", "html", None),
        ("https://example.com/seed", "text", None),
    ]
    assert out[0]["title"] == "Council approves the budget" and out[0]["warc_record_id"].startswith("<urn:uuid:")
    assert out[1]["title"] == clean_record(TEXT_ROWS[2])["title"]
