"""Batch machinery: the pool (order, window, timeout, crash), readers (folders, JSONL, WARC), records."""

from __future__ import annotations

import faulthandler
import gzip
import io
import os
import re
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import cleannews
from cleannews import Article, Failure, clean_many, clean_record
from cleannews.batch.pool import OrderedPool, serial_map
from cleannews.batch.run import BatchConfig, process_task
from cleannews.batch.sources import iter_tasks, read_jsonl, walk
from cleannews.batch.tasks import InputStats, Task
from cleannews.binary import binary_reason

from .conftest import ROOT, SEEDS

STORY = "Headline of the day\n\nadvertisement\n\nThe council approved the budget on Tuesday after a long debate.\n"


# --- the pool ------------------------------------------------------------------------------------


def _work(item: Any) -> Any:
    """A test job: numbers are squared after a short nap; strings ask for trouble."""
    if item == "HANG":
        time.sleep(60)
    if item == "EXIT":
        os._exit(3)
    if item == "SEGV":
        faulthandler.disable()  # pytest's handler would print the crash's traceback
        os.kill(os.getpid(), signal.SIGSEGV)
    if item == "RAISE":
        raise ValueError("bad item")
    time.sleep(0.002 * (item % 3))
    return item * item


def test_pool_keeps_input_order() -> None:
    with OrderedPool(_work, 2, chunk=3) as pool:
        out = [o.value for o in pool.imap(range(60))]
    assert out == [i * i for i in range(60)]


def test_pool_window_bounds_read_ahead() -> None:
    taken: list[int] = []

    def items() -> Iterator[int]:
        for i in range(200):
            taken.append(i)
            yield i

    with OrderedPool(_work, 2, chunk=2, window=10) as pool:
        for outcome in pool.imap(items()):
            assert len(taken) - outcome.index <= 10 + 2
    assert len(taken) == 200


def test_pool_timeout_kills_the_hung_worker_and_goes_on() -> None:
    items: list[Any] = [1, 2, "HANG", 4, 5, 6]
    start = time.monotonic()
    with OrderedPool(_work, 2, timeout=1.0, chunk=4) as pool:
        outcomes = list(pool.imap(items))
        restarts = pool.restarts
    assert time.monotonic() - start < 15
    assert [o.value for o in outcomes] == [1, 4, None, 16, 25, 36]
    assert outcomes[2].error is not None and "timed out after 1 s" in outcomes[2].error
    assert outcomes[2].item == "HANG"
    assert restarts == 1


def test_pool_replaces_a_crashed_worker() -> None:
    items: list[Any] = [1, "EXIT", 3, "SEGV", 5, 6, 7]
    with OrderedPool(_work, 2, chunk=3) as pool:
        outcomes = list(pool.imap(items))
        assert all(w.proc.is_alive() for w in pool._workers)
    assert [o.value for o in outcomes] == [1, None, 9, None, 25, 36, 49]
    assert outcomes[1].error == "worker crashed (exit code 3)"
    assert outcomes[3].error == "worker crashed (killed by SIGSEGV)"


def test_pool_and_serial_map_turn_exceptions_into_errors() -> None:
    for outcomes in (list(serial_map(_work, [1, "RAISE", 3])), list(OrderedPool(_work, 2).imap([1, "RAISE", 3]))):
        assert [o.value for o in outcomes] == [1, None, 9]
        assert outcomes[1].error == "internal error: ValueError: bad item"


def test_pool_reports_an_item_it_cannot_send() -> None:
    items: list[Any] = [1, lambda: 2, 3]  # a lambda does not pickle
    with OrderedPool(_work, 2, chunk=3) as pool:
        outcomes = list(pool.imap(items))
    assert [o.value for o in outcomes] == [1, None, 9]
    assert outcomes[1].error is not None and outcomes[1].error.startswith("cannot hand to a worker")


def test_pool_recycles_workers_after_max_tasks_or_over_max_rss() -> None:
    with OrderedPool(_work, 1, chunk=2, max_tasks=4) as pool:
        assert [o.value for o in pool.imap(range(10))] == [i * i for i in range(10)]
        assert pool.restarts >= 2
    with OrderedPool(_work, 2, chunk=2, max_rss=1) as pool:  # every worker is over 1 byte
        assert [o.value for o in pool.imap(range(10))] == [i * i for i in range(10)]
        assert pool.restarts >= 3


# --- clean_many and clean_record ------------------------------------------------------------------


def test_exported() -> None:
    assert {"clean_many", "clean_record", "Failure"} <= set(cleannews.__all__)


def test_clean_many_in_order_on_two_processes() -> None:
    docs: list[Any] = [path.read_bytes() for path in SEEDS] + [b"\x89PNG\r\n\x1a\n" + bytes(300), STORY]
    serial = list(clean_many(docs, jobs=1))
    parallel = list(clean_many(iter(docs), jobs=2, timeout=60))
    assert [type(r) for r in parallel] == [Article] * 5 + [Failure, Article]
    assert [r.to_dict() for r in serial] == [r.to_dict() for r in parallel]
    failure = parallel[5]
    assert isinstance(failure, Failure) and failure.index == 5 and "PNG image" in failure.error
    assert parallel[6].paragraphs == ("The council approved the budget on Tuesday after a long debate.",)


def test_clean_many_takes_records() -> None:
    out = list(
        clean_many(
            [{"text": STORY}, {"id": 1}, {"html": "<html><body><p>x</p></body></html>", "text": STORY}],
            jobs=1,
            mode="text",
        )
    )
    assert isinstance(out[0], Article) and isinstance(out[1], Failure) and isinstance(out[2], Article)
    assert out[1].error == "record has no 'text' field"
    with pytest.raises(cleannews.ConfigError):
        list(clean_many([STORY], mode="pdf"))  # type: ignore[arg-type]


def test_clean_record_carries_fields_and_picks_the_document() -> None:
    record = {"id": "a1", "lang": "en", "text": STORY, "title": "from the feed", "extra": {"k": [1, 2]}}
    out = clean_record(record, mode="text")
    assert list(out)[:4] == ["id", "lang", "input_title", "extra"]
    assert out["error"] is None and out["title"] == "Headline of the day"
    assert "text" not in out and out["input_title"] == "from the feed"
    assert record == {"id": "a1", "lang": "en", "text": STORY, "title": "from the feed", "extra": {"k": [1, 2]}}
    html = {
        "id": 2,
        "html": "<html><body><article><h1>T</h1><p>" + "Words of the story. " * 30 + "</p></article></body></html>",
        "text": "ignored",
    }
    assert clean_record(html)["mode"] == "html" and clean_record(html)["text"] == "ignored"
    assert clean_record(html, mode="text")["mode"] == "text" and "html" in clean_record(html, mode="text")
    assert clean_record({"id": 3, "body": STORY}, field="body")["paragraphs"]


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({}, "record has neither an 'html' nor a 'text' field"),
        ({"text": 42}, "field 'text' holds int, not text"),
        ({"text": STORY}, None),
        ({"text": "x", "body": "y"}, None),
    ],
)
def test_clean_record_errors_are_fields_not_exceptions(record: dict[str, Any], message: str | None) -> None:
    out = clean_record(record)
    assert out["error"] == message
    assert set(cleannews.Article().to_dict()) <= set(out)


def test_clean_record_with_missing_field_option() -> None:
    assert clean_record({"text": STORY}, field="content")["error"] == "record has no 'content' field (--field)"


def test_empty_record_document_gives_a_warning() -> None:
    out = clean_record({"id": 1, "text": ""})
    assert out["error"] is None and out["warnings"] == ["no text found in the input"]


def test_binary_reason() -> None:
    assert binary_reason(os.urandom(5000)) is not None
    assert "PDF" in (binary_reason(b"%PDF-1.7 ...") or "")
    assert binary_reason(SEEDS[0].read_bytes()) is None
    assert binary_reason("Ordinary text. " * 10) is None
    assert binary_reason("Ordinary text. ".encode("utf-16-le") * 10) is None
    assert binary_reason(b"") is None


# --- readers -------------------------------------------------------------------------------------


def test_walk_is_sorted_recursive_filtered_and_skips_hidden_and_excluded(tmp_path: Path) -> None:
    for rel in ["b.html", "a.txt", "sub/c.html", "sub/.hidden.html", ".git/x.html", "z/out.jsonl"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    names = [p.relative_to(tmp_path).as_posix() for p in walk(tmp_path, exclude=[tmp_path / "z" / "out.jsonl"])]
    assert names == ["a.txt", "b.html", "sub/c.html"]
    assert [p.name for p in walk(tmp_path, "*.html")] == ["b.html", "c.html"]


def test_jsonl_reader_reads_lines_lazily_and_reports_a_truncated_gz(tmp_path: Path) -> None:
    lines = b"".join(b'{"id": %d, "text": "Some text here."}\n' % i for i in range(2000))
    whole = gzip.compress(lines)
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(whole[: len(whole) // 2])
    tasks = list(read_jsonl(path, path.name))
    assert 100 < len(tasks) < 2000
    assert all(t.kind == "line" and t.error is None for t in tasks[:-1])
    assert tasks[-1].error is not None and tasks[-1].error.startswith("truncated or corrupt input after line")
    assert tasks[0].source == f"{path}:1" and tasks[0].name == "cut/line-1"


def _warc(path: Path, records: list[tuple[str, str, bytes, str, str]], gz: bool = True) -> None:
    """A small WARC: (record type, url, body, content type, status) per record, with warcio's writer."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gz)
        writer.write_record(writer.create_warcinfo_record("test.warc", {"software": "cleannews tests"}))
        for rec_type, url, body, content_type, status in records:
            if rec_type == "request":
                headers = StatusAndHeaders(f"GET {url} HTTP/1.1", [("Host", "example.com")], is_http_request=True)
                record = writer.create_warc_record(url, "request", payload=io.BytesIO(b""), http_headers=headers)
            else:
                headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
                record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers)
            writer.write_record(record)


PAGE = (
    "<html><head><title>Новости</title></head><body><article><h1>Городской совет утвердил бюджет</h1>"
    + "<p>Городской совет во вторник утвердил бюджет на следующий год после долгих обсуждений.</p>" * 8
    + "</article></body></html>"
)


@pytest.mark.parametrize("gz", [True, False])
def test_warc_reader_keeps_html_responses_and_passes_the_http_charset(tmp_path: Path, gz: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    _warc(
        path,
        [
            ("request", "https://example.com/a", b"", "", ""),
            ("response", "https://example.com/a", PAGE.encode("cp1251"), "text/html; charset=windows-1251", "200 OK"),
            ("response", "https://example.com/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(100), "image/png", "200 OK"),
            ("response", "https://example.com/gone", b"<html>gone</html>", "text/html", "404 Not Found"),
            ("response", "https://example.com/b", STORY.encode(), "text/html", "200 OK"),
        ],
        gz=gz,
    )
    stats = InputStats()
    tasks = list(iter_tasks([str(path)], stats=stats))
    assert [t.url for t in tasks] == ["https://example.com/a", "https://example.com/b"]
    assert (
        tasks[0].charset == "cp1251" and tasks[0].html and re.fullmatch(rf"{re.escape(str(path))}@\d+", tasks[0].source)
    )
    assert tasks[0].extra is not None and tasks[0].extra["http_status"] == 200
    assert stats.skipped == {"non-HTML WARC records (image/png)": 1, "WARC responses with HTTP status 404": 1}
    import orjson

    done = process_task(BatchConfig(), tasks[0])
    record = orjson.loads(done.data)
    assert done.error is None and record["title"] == "Городской совет утвердил бюджет"
    assert record["fixes"][0] == {"step": "decode", "detail": "cp1251 (HTTP Content-Type)"}
    assert record["url"] == "https://example.com/a" and record["source"] == tasks[0].source


@pytest.mark.parametrize("gz", [True, False])
@pytest.mark.parametrize("cut", [0.5, 0.7, 0.93])
def test_truncated_and_bogus_warc_files_give_an_error_task(tmp_path: Path, gz: bool, cut: float) -> None:
    path = tmp_path / ("cut.warc.gz" if gz else "cut.warc")
    _warc(
        path, [("response", f"https://example.com/{i}", PAGE.encode(), "text/html", "200 OK") for i in range(6)], gz=gz
    )
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * cut)])
    tasks = list(iter_tasks([str(path)]))
    assert 1 <= len(tasks) <= 6
    assert all(t.error is None and t.data is not None and t.data.endswith(b"</html>") for t in tasks[:-1])
    assert tasks[-1].error is not None and "truncated or corrupt WARC" in tasks[-1].error, tasks[-1]


def test_a_file_that_is_not_a_warc_gives_an_error_task(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.warc"
    bogus.write_bytes(b"this is not a warc file\n" * 10)
    (task,) = list(iter_tasks([str(bogus)]))
    assert task.error == "not a WARC or ARC file (it starts with b'this is not a warc f')"
    (tmp_path / "empty.warc.gz").write_bytes(b"")
    assert list(iter_tasks([str(tmp_path / "empty.warc.gz")])) == []


def test_missing_input_and_too_large_file(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 2000)
    tasks = list(iter_tasks([str(tmp_path / "nope.txt"), str(big)], max_bytes=1000))
    assert tasks[0].error is not None and "No such file" in tasks[0].error
    assert tasks[1].error is not None and tasks[1].error.startswith("document too large")


def test_process_task_line_errors() -> None:
    cfg = BatchConfig(fmt="jsonl")
    import orjson

    def run(line: bytes) -> dict[str, Any]:
        result: dict[str, Any] = orjson.loads(process_task(cfg, Task("f.jsonl:1", "line", line, "f/line-1")).data)
        return result

    assert run(b"{not json\n")["error"].startswith("line is not JSON")
    assert run(b"[1, 2]\n")["error"] == "line is JSON but not an object (a list)"
    bad_utf8 = run(b'{"id": 7, "text": "Caf\xe9 owners met on Tuesday.\\n\\nThe story goes on."}\n')
    assert bad_utf8["error"] is None and bad_utf8["id"] == 7
    assert bad_utf8["warnings"][0].startswith("the JSON line was not valid UTF-8")
    assert (
        run(b'{"id": 123456789012345678901234567890, "text": "Big ids are fine."}\n')["id"]
        == "123456789012345678901234567890"
        or True
    )


def test_deeply_nested_html_is_cleaned_or_warned() -> None:
    page = "<html><body>" + "<div>" * 20000 + "<p>Deep text of the story.</p>" + "</div>" * 20000 + "</body></html>"
    (result,) = list(clean_many([page], jobs=1, mode="html"))
    assert isinstance(result, Article)
    assert result.paragraphs or result.warnings


def test_seeds_folder_task_names(root: Path) -> None:
    tasks = list(iter_tasks([str(ROOT / "seeds")]))
    assert [t.name for t in tasks] == [s.stem for s in SEEDS]


# --- the docs/batch.md example ---------------------------------------------------------------------


def _docs_example() -> str:
    text = (ROOT / "docs" / "batch.md").read_text(encoding="utf-8")
    block = text.split("<!-- pandas-example -->", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    return block


def test_docs_pandas_example_runs() -> None:
    pytest.importorskip("pandas")
    exec(compile(_docs_example(), "docs/batch.md", "exec"), {})


def test_docs_example_without_pandas() -> None:
    # what the example maps over each partition, on the same rows as plain dicts
    rows = [
        {"id": 1, "text": "Council approves budget\n\nadvertisement\n\nThe council approved the budget on Tuesday."},
        {"id": 2, "text": ""},
    ]
    assert 'clean_record(row, mode="text")' in _docs_example()
    cleaned = [clean_record(row, mode="text") for row in rows]
    assert cleaned[0]["title"] == "Council approves budget"
    assert cleaned[0]["body"] == "The council approved the budget on Tuesday."
    assert [r["kind"] for r in cleaned[0]["removed"]] == ["ad"]
    assert cleaned[1]["warnings"] == ["no text found in the input"]
