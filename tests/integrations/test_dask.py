"""The Dask integration on a distributed.LocalCluster with two worker processes (one for the module)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("dask.dataframe")
pytest.importorskip("distributed")

import dask
import dask.bag as db
import dask.dataframe as dd
import pandas as pd
from distributed import Client, LocalCluster

from cleannews import clean_record
from cleannews.errors import ConfigError, UnknownCleanerError
from cleannews.integrations import schema
from cleannews.integrations.dask import clean_bag, clean_dataframe

from .shared import (
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
def client() -> Iterator[Client]:
    # workers are spawned with this process's sys.path, so they find the test plugin's entry point;
    # not daemonic, so that each partition can clean in a child process (the per-document timeout)
    with (
        trap_plugin(),
        dask.config.set({"distributed.worker.daemon": False}),
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster,
        Client(cluster) as connected,
    ):
        yield connected


def _frame(rows: list[dict[str, Any]], partitions: int = 2) -> dd.DataFrame:
    return dd.from_pandas(pd.DataFrame(rows), npartitions=partitions)


def _rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [dict(zip(frame.columns, values, strict=True)) for values in frame.itertuples(index=False)]


def test_dataframe_gives_the_cli_article_json(client: Client, cli_articles: dict[str, bytes]) -> None:
    text = clean_dataframe(_frame(TEXT_ROWS, 3)).compute()
    html = clean_dataframe(_frame(HTML_ROWS)).compute()
    assert list(text.index) == list(range(len(TEXT_ROWS)))  # one row per input row, index kept
    assert list(text.columns) == ["id", *schema.OUTPUT.names]
    assert list(html.columns) == ["id", "url", *schema.OUTPUT.names]
    assert by_id(_rows(text) + _rows(html)) == cli_articles
    assert all(schema.conforms({k: r[k] for k in schema.OUTPUT.names}, schema.OUTPUT) for r in _rows(text))


def test_dataframe_meta_matches_what_the_partitions_give(client: Client) -> None:
    frame = clean_dataframe(_frame(HTML_ROWS).rename(columns={"id": "title"}))
    assert list(frame.columns) == ["input_title", "url", *schema.OUTPUT.names]
    assert list(frame.compute().columns) == list(frame.columns)


def test_bag_is_clean_record_on_the_workers(client: Client) -> None:
    rows = TEXT_ROWS + HTML_ROWS + [{"id": "none"}]
    out = clean_bag(db.from_sequence(rows, npartitions=3)).compute()
    assert out == [clean_record(r) for r in rows]  # whole records: carried fields, article, error


def test_trouble_becomes_error_rows_and_the_job_finishes(client: Client, tmp_path: Path) -> None:
    config = tmp_path / "trap.toml"
    config.write_text(TRAP_CONFIG)
    start = time.monotonic()
    out = clean_bag(db.from_sequence(TROUBLE_ROWS, npartitions=1), config=config, timeout=TROUBLE_TIMEOUT).compute()
    frame = clean_dataframe(_frame(TROUBLE_ROWS, 2), config=config, timeout=TROUBLE_TIMEOUT).compute()
    assert time.monotonic() - start < 60
    assert [r["error"] for r in out] == TROUBLE_ERRORS
    assert list(frame["error"]) == TROUBLE_ERRORS
    assert [r["id"] for r in out] == [r["id"] for r in TROUBLE_ROWS]
    # the config reached the workers: the plugin removed the marked line, as the CLI with --config does
    assert [r["cleaner"] for r in out[5]["removed"] if r["kind"] == "trapped"] == ["trap"]
    good = [r for i, r in enumerate(TROUBLE_ROWS) if i not in (1, 3)]
    with trap_plugin():
        cli = by_id(cli_records(tmp_path, good, "--config", str(config)))
    assert {k: v for k, v in by_id(out).items() if k in cli} == cli
    assert {k: v for k, v in by_id(_rows(frame)).items() if k in cli} == cli


def test_the_chain_is_built_once_per_worker_process(client: Client, tmp_path: Path) -> None:
    config = tmp_path / "trap.toml"
    config.write_text(TRAP_CONFIG)
    out = clean_bag(db.from_sequence(COUNT_ROWS, npartitions=8), config=config).compute()
    assert len(out) == len(COUNT_ROWS)
    assert all(COUNT_WARNING in r["warnings"] for r in out), {w for r in out for w in r["warnings"]}


def test_a_bad_config_fails_when_the_graph_is_made(client: Client) -> None:
    bag = db.from_sequence(TEXT_ROWS, npartitions=2)
    with pytest.raises(UnknownCleanerError, match="unknown cleaner 'no_such_cleaner'"):
        clean_bag(bag, config={"cleaners": ["no_such_cleaner"]})
    with pytest.raises(ConfigError, match="cleaner 'ads' has no option"):
        clean_dataframe(_frame(TEXT_ROWS), config={"cleaners": ["ads"], "options": {"ads": {"bogus": 1}}})


def test_daemonic_workers_get_a_message_saying_how_to_fix_it(tmp_path: Path) -> None:
    with (
        dask.config.set({"distributed.worker.daemon": True}),
        LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster,
        Client(cluster),
    ):
        with pytest.raises(ConfigError, match=r"distributed\.worker\.daemon"):
            clean_bag(db.from_sequence(TEXT_ROWS[:1], npartitions=1)).compute()
        # without the timeout it cleans in the worker itself
        assert clean_bag(db.from_sequence(TEXT_ROWS[:1]), timeout=None).compute() == [clean_record(TEXT_ROWS[0])]
