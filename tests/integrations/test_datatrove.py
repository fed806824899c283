"""The datatrove step in LocalPipelineExecutor pipelines: WarcReader → CleannewsExtractor → JsonlWriter."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("datatrove")
pytest.importorskip("warcio")

from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.readers import JsonlReader, WarcReader
from datatrove.pipeline.writers import JsonlWriter

from cleannews.errors import ConfigError, UnknownCleanerError
from cleannews.integrations import schema
from cleannews.integrations.datatrove import CleannewsExtractor

from .shared import (
    ARTICLE_PAGE,
    HTML_ROWS,
    SMALL_PAGE,
    TEXT_ROWS,
    TRAP_CONFIG,
    TROUBLE_ROWS,
    TROUBLE_TIMEOUT,
    article_json,
    by_id,
    cli_records,
    trap_plugin,
)

pytestmark = pytest.mark.integration


def _warc(path: Path, responses: list[tuple[str, bytes, str, str]]) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, body, content_type, status in responses:
            headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers)
            )


def _run(tmp: Path, reader: Any, step: CleannewsExtractor, tasks: int = 1, excluded: bool = False) -> Any:
    pipeline = [reader, step, JsonlWriter(str(tmp / "out"), compression=None)]
    if excluded:
        step.exclusion_writer = JsonlWriter(str(tmp / "dropped"), compression=None)
    executor = LocalPipelineExecutor(pipeline, tasks=tasks, workers=tasks, logging_dir=str(tmp / "logs"))
    return executor.run()


def _docs(folder: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for path in sorted(folder.glob("*.jsonl")) for line in path.read_text().splitlines()]


def _step_stats(tmp: Path) -> dict[str, int]:
    stats = json.loads((tmp / "logs" / "stats.json").read_text())
    (step,) = [s for s in stats if s["name"].endswith(CleannewsExtractor.name)]
    return {k: v["total"] if isinstance(v, dict) else v for k, v in step["stats"].items()}


def _article(doc: dict[str, Any]) -> dict[str, Any]:
    """The article a datatrove document carries, as clean_record gives it (body in ``text``)."""
    meta = doc["metadata"]["cleannews"]
    return {name: doc["text"] if name == "body" else meta[name] for name in schema.ARTICLE.names} | {"error": None}


def test_warc_pipeline(tmp_path: Path) -> None:
    crawl = tmp_path / "crawl"
    crawl.mkdir()
    _warc(
        crawl / "a.warc.gz",
        [
            ("https://example.com/news/budget", ARTICLE_PAGE.encode(), "text/html; charset=utf-8", "200 OK"),
            ("https://example.com/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(200), "image/png", "200 OK"),
            ("https://example.com/small", SMALL_PAGE.encode(), "text/html", "200 OK"),
            (
                "https://example.com/ad",
                b"<!DOCTYPE html><html><body><p>Advertisement</p></body></html>",
                "text/html",
                "200 OK",
            ),
        ],
    )
    _warc(
        crawl / "b.warc.gz",
        [("https://example.com/b", ARTICLE_PAGE.replace("budget", "plan").encode(), "text/html", "200 OK")],
    )
    _run(tmp_path, WarcReader(str(crawl)), CleannewsExtractor(), tasks=2)
    docs = sorted(_docs(tmp_path / "out"), key=lambda d: d["metadata"]["url"])
    urls = ["https://example.com/b", "https://example.com/news/budget", "https://example.com/small"]
    assert [d["metadata"]["url"] for d in docs] == urls  # not the image (the reader skips it), nor the ad page
    budget = docs[1]
    assert budget["id"].startswith("<urn:uuid:")
    assert budget["text"].startswith("The city council approved the budget on Tuesday")
    assert "Advertisement" not in budget["text"] and "Copyright" not in budget["text"]
    meta = budget["metadata"]["cleannews"]
    assert list(meta) == [n for n in schema.ARTICLE.names if n != "body"]
    assert meta["title"] == "Council approves the budget" and meta["mode"] == "html" and meta["language"] == "en"
    assert meta["comments"] and meta["removed"]
    # the same article as the CLI gives for the same HTML and url (datatrove decoded the bytes itself)
    cli = cli_records(tmp_path, [{"id": "x", "url": "https://example.com/news/budget", "html": ARTICLE_PAGE}])[0]
    assert article_json(_article(budget)) == article_json(cli)
    stats = _step_stats(tmp_path)
    assert stats["total"] == 4 and stats["forwarded"] == 3 and stats["dropped"] == 1
    assert stats["dropped_no_article"] == 1  # the ad page: no body left


def test_same_article_json_as_the_cli(tmp_path: Path, cli_articles: dict[str, bytes]) -> None:
    source = tmp_path / "in"
    source.mkdir()
    (source / "rows.jsonl").write_text("".join(json.dumps(r) + "\n" for r in TEXT_ROWS + HTML_ROWS))

    def adapter(self: Any, data: dict[str, Any], path: str, id_in_file: int | str) -> dict[str, Any]:
        return {"text": data.get("html") or data.get("text"), "id": data["id"], "metadata": {"url": data.get("url")}}

    _run(tmp_path, JsonlReader(str(source), adapter=adapter), CleannewsExtractor())
    docs = _docs(tmp_path / "out")
    kept = {d["id"]: article_json(_article(d)) for d in docs}
    assert kept == {k: v for k, v in cli_articles.items() if k in kept}
    dropped = {"empty", "pdf"} | {k for k, v in cli_articles.items() if json.loads(v)["body"] == ""}
    assert set(kept) == set(cli_articles) - dropped
    stats = _step_stats(tmp_path)
    assert stats["dropped_error"] == 1  # the PDF; the empty record never left the reader


def test_trouble_is_dropped_and_counted_and_the_job_finishes(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    (source / "rows.jsonl").write_text("".join(json.dumps(r) + "\n" for r in TROUBLE_ROWS))
    config = tmp_path / "trap.toml"
    config.write_text(TRAP_CONFIG)
    with trap_plugin():
        step = CleannewsExtractor(config=config, timeout=TROUBLE_TIMEOUT)
        _run(tmp_path, JsonlReader(str(source)), step, excluded=True)
        cli = by_id(cli_records(tmp_path, [TROUBLE_ROWS[i] for i in (0, 2, 5)], "--config", str(config)))
    docs = _docs(tmp_path / "out")
    assert [d["id"] for d in docs] == ["t0", "t2", "t5"]
    assert {d["id"]: article_json(_article(d)) for d in docs} == cli  # the config's chain ran in the task
    assert [r["cleaner"] for r in docs[2]["metadata"]["cleannews"]["removed"] if r["kind"] == "trapped"] == ["trap"]
    stats = _step_stats(tmp_path)
    assert (stats["dropped_timeout"], stats["dropped_worker_crashed"], stats["dropped_error"]) == (1, 1, 1)
    assert stats["total"] == 6 and stats["forwarded"] == 3
    dropped = {d["id"]: d["metadata"]["cleannews_dropped"] for d in _docs(tmp_path / "dropped")}
    assert dropped == {
        "t1": f"timed out after {TROUBLE_TIMEOUT} s (worker killed and replaced)",
        "t3": "worker crashed (killed by SIGKILL)",
        "t4": "field 'text': binary data (31% control characters in the first 959 characters), not text or HTML",
    }


def test_a_bad_config_fails_when_the_step_is_made(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('cleaners = ["no_such_cleaner"]\n')
    with pytest.raises(UnknownCleanerError, match="unknown cleaner 'no_such_cleaner'"):
        CleannewsExtractor(config=bad)
    with pytest.raises(ConfigError, match="mode must be one of"):
        CleannewsExtractor(mode="xml")


def test_extract_gives_the_body() -> None:
    assert (
        CleannewsExtractor().extract(TEXT_ROWS[5]["text"])
        == "The council approved the budget on Tuesday after a long debate."
    )
