"""`cleannews clean` on batches: mixed bad inputs, order with --jobs 2, timeout, crash, outputs."""

from __future__ import annotations

import gzip
import json
import os
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import cleannews.batch.records
import cleannews.batch.run
from cleannews.cli import main

from .conftest import ROOT, SEEDS
from .test_batch import PAGE, STORY, _warc

ARTICLE_HTML = (
    "<html><head><title>Budget approved</title></head><body><nav>Home | World | Sport</nav><article>"
    "<h1>Budget approved</h1>"
    + "<p>The council approved the budget on Tuesday after a long debate about schools and roads.</p>" * 4
    + "</article><footer>Copyright 2025</footer></body></html>"
)


def run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(main, ["clean", *args], input=input, catch_exceptions=False)


def records(result: Result) -> list[dict[str, Any]]:
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.fixture
def bad_batch(tmp_path: Path) -> list[str]:
    """A folder, a JSONL file, a truncated JSONL.gz and a WARC, each with bad documents among good ones."""
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "000_seed.txt").write_bytes(SEEDS[0].read_bytes())
    (folder / "001_empty.txt").write_bytes(b"")
    (folder / "002_garbage.bin").write_bytes(os.urandom(20000))
    (folder / "003_bad_utf8.txt").write_bytes(
        b"Caf\xe9 owners meet\n\nThe caf\xe9 owners met the mayor on Tuesday to talk about rents.\n\xff\xfe\xfd\n"
    )
    (folder / "004_big.txt").write_bytes(b"x" * (11 * 2**20))  # over --max-mb 10
    nested = "<html><body>" + "<div>" * 30000 + "<p>Deep text of the story.</p>" + "</div>" * 30000 + "</body></html>"
    (folder / "005_nested.html").write_text(nested)
    (folder / "006_page.html").write_text(ARTICLE_HTML)
    jsonl = tmp_path / "records.jsonl"
    lines = [
        json.dumps({"id": "r1", "lang": "en", "text": STORY}).encode(),
        b"{}",
        b"{this is not json",
        b"",
        b"[1, 2, 3]",
        json.dumps({"id": "r5", "text": ""}).encode(),
        b'{"id": "r6", "text": "Caf\xe9 owners meet\\n\\nThe story goes on and on."}',
        json.dumps({"id": "r7", "html": ARTICLE_HTML, "url": "https://example.com/r7", "section": "local"}).encode(),
    ]
    jsonl.write_bytes(b"\n".join(lines) + b"\n")
    cut = tmp_path / "cut.jsonl.gz"
    whole = gzip.compress(b"".join(json.dumps({"id": i, "text": STORY}).encode() + b"\n" for i in range(100)))
    cut.write_bytes(whole[: len(whole) - 30])
    warc = tmp_path / "crawl.warc.gz"
    _warc(
        warc,
        [
            ("request", "https://example.com/a", b"", "", ""),
            ("response", "https://example.com/a", PAGE.encode("cp1251"), "text/html; charset=windows-1251", "200 OK"),
            ("response", "https://example.com/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(100), "image/png", "200 OK"),
            ("response", "https://example.com/app.js", b"var x = 1;", "application/javascript", "200 OK"),
        ],
    )
    return [str(folder), str(jsonl), str(cut), str(warc)]


def test_a_batch_of_bad_inputs_gives_error_records_in_place_and_cleans_the_rest(bad_batch: list[str]) -> None:
    result = run(*bad_batch, "--jobs", "2", "--max-mb", "10")
    assert result.exit_code == 1
    out = records(result)
    by = {Path(r["source"]).name: r for r in out}
    names = [Path(r["source"]).name for r in out]
    assert names[:7] == [
        "000_seed.txt",
        "001_empty.txt",
        "002_garbage.bin",
        "003_bad_utf8.txt",
        "004_big.txt",
        "005_nested.html",
        "006_page.html",
    ]
    assert names[7:14] == [f"records.jsonl:{n}" for n in (1, 2, 3, 5, 6, 7, 8)]  # the blank line 4 is no document
    assert by["000_seed.txt"]["error"] is None and by["000_seed.txt"]["title"]
    assert by["001_empty.txt"]["error"] is None and by["001_empty.txt"]["warnings"] == ["no text found in the input"]
    assert "binary data" in by["002_garbage.bin"]["error"]
    assert by["003_bad_utf8.txt"]["error"] is None and "owners met the mayor" in by["003_bad_utf8.txt"]["body"]
    assert by["004_big.txt"]["error"].startswith("document too large: 11.5 MB")
    assert by["005_nested.html"]["error"] is None
    assert by["005_nested.html"]["paragraphs"] or by["005_nested.html"]["warnings"]
    assert by["006_page.html"]["error"] is None and by["006_page.html"]["mode"] == "html"
    jl = out[7:14]
    assert jl[0]["id"] == "r1" and jl[0]["lang"] == "en" and jl[0]["error"] is None and "text" not in jl[0]
    assert jl[1]["error"] == "record has neither an 'html' nor a 'text' field"
    assert jl[2]["error"].startswith("line is not JSON")
    assert jl[3]["error"] == "line is JSON but not an object (a list)"
    assert jl[4]["error"] is None and jl[4]["warnings"] == ["no text found in the input"]
    assert jl[5]["error"] is None and jl[5]["warnings"][0].startswith("the JSON line was not valid UTF-8")
    assert jl[6]["mode"] == "html" and jl[6]["section"] == "local" and jl[6]["url"] == "https://example.com/r7"
    cut = [r for r in out if "cut.jsonl.gz" in r["source"]]
    assert len(cut) >= 50 and all(r["error"] is None for r in cut[:-1])
    assert cut[-1]["error"].startswith("truncated or corrupt input after line")
    assert [r["id"] for r in cut[:-1]] == list(range(len(cut) - 1))
    warc = [r for r in out if "crawl.warc.gz" in r["source"]]
    assert len(warc) == 1 and warc[0]["error"] is None and warc[0]["title"] == "Городской совет утвердил бюджет"
    assert warc[0]["url"] == "https://example.com/a" and warc[0]["fixes"][0]["detail"] == "cp1251 (HTTP Content-Type)"
    assert len(out) == len(result.stdout.splitlines()) == 7 + 7 + len(cut) + 1
    err = result.stderr
    assert f"cleannews: {len(out)} documents" in err and "errors" in err
    assert "skipped: non-HTML WARC records (image/png) 1, non-HTML WARC records (application/javascript) 1" in err
    serial = run(*bad_batch, "--jobs", "1", "--max-mb", "10")
    assert serial.stdout == result.stdout  # the same records, in the same order


def test_a_20_mb_document_is_cleaned_in_a_batch(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"Budget approved\n\nThe council approved the budget on Tuesday.\n\n" + b" " * (20 * 2**20))
    result = run(str(SEEDS[1]), str(big), str(SEEDS[2]), "--jobs", "2")
    assert result.exit_code == 0
    out = records(result)
    assert [r["error"] for r in out] == [None, None, None]
    assert out[1]["paragraphs"] == ["The council approved the budget on Tuesday."]


def _troublesome_clean(original: Any) -> Any:
    def clean(source: Any, **kwargs: Any) -> Any:
        text = source.decode("utf-8", "replace") if isinstance(source, bytes) else source
        if "HANG-ME" in text:
            time.sleep(60)
        if "CRASH-ME" in text:
            os._exit(7)
        return original(source, **kwargs)

    return clean


def _make_trouble(monkeypatch: pytest.MonkeyPatch) -> None:
    """clean() hangs on HANG-ME and crashes on CRASH-ME, for records (JSONL) and documents (files) alike."""
    for module in (cleannews.batch.records, cleannews.batch.run):
        monkeypatch.setattr(module, "clean", _troublesome_clean(module.clean))


def test_a_hung_document_and_a_crashing_one_become_error_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the workers are forked from this process, so they run the patched clean()
    _make_trouble(monkeypatch)
    data = tmp_path / "trouble.jsonl"
    texts = [STORY, "HANG-ME\n\nforever", STORY, "CRASH-ME\n\nnow", STORY, STORY]
    data.write_text("".join(json.dumps({"id": f"d{i}", "text": t}) + "\n" for i, t in enumerate(texts)))
    start = time.monotonic()
    result = run(str(data), "--jobs", "2", "--timeout", "1")
    assert time.monotonic() - start < 20
    assert result.exit_code == 1
    out = records(result)
    assert [r["id"] for r in out] == [f"d{i}" for i in range(6)]
    assert [r["error"] for r in out] == [
        None,
        "timed out after 1 s (worker killed and replaced)",
        None,
        "worker crashed (exit code 7)",
        None,
        None,
    ]
    assert all(r["paragraphs"] for i, r in enumerate(out) if i not in (1, 3))
    assert "errors: timed out after 1 s 1, worker crashed 1" in result.stderr


def test_timeout_with_one_job_runs_in_a_worker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _make_trouble(monkeypatch)
    crash = tmp_path / "crash.txt"
    crash.write_text("CRASH-ME\n\nnow")
    result = run(str(SEEDS[0]), str(crash), str(SEEDS[1]), "--jobs", "1", "--timeout", "30")
    assert [r["error"] for r in records(result)] == [None, "worker crashed (exit code 7)", None]


def test_seeds_to_txt_prints_the_five_articles() -> None:
    result = run(str(ROOT / "seeds"), "--to", "txt")
    assert result.exit_code == 0
    assert result.stdout.count("==> ") == 5
    assert result.stdout.startswith("==> ") and "cleannews: 5 documents" in result.stderr


def test_folder_output_mirrors_input_names(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    (pages / "sub").mkdir(parents=True)
    (pages / "a.html").write_text(ARTICLE_HTML)
    (pages / "sub" / "b.txt").write_text(STORY)
    jsonl = tmp_path / "dump.jsonl.gz"
    jsonl.write_bytes(
        gzip.compress(
            b'{"id": "x/1", "text": "One story.\\n\\nWith a body."}\n{"text": "No id here."}\n{"id": "x/1", "text": "Same id."}\n'
        )
    )
    out = tmp_path / "out"
    result = run(str(pages), str(jsonl), "-o", str(out) + "/", "--to", "txt")
    assert result.exit_code == 0 and result.stdout == ""
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert files == ["a.txt", "dump/line-2.txt", "dump/x_1-2.txt", "dump/x_1.txt", "sub/b.txt"]
    assert (out / "sub" / "b.txt").read_text().startswith("Headline of the day")
    result = run(str(pages), "-o", str(out), "--to", "json")  # an existing folder
    assert json.loads((out / "a.json").read_text())["mode"] == "html"
    assert run(str(pages), "-o", str(out)).exit_code == 2  # jsonl needs a file


def test_output_inside_the_input_folder_is_not_read_back(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(STORY)
    target = tmp_path / "out.jsonl"
    result = run(str(tmp_path), "-o", str(target))
    assert result.exit_code == 0
    assert [Path(r["source"]).name for r in map(json.loads, target.read_text().splitlines())] == ["a.txt"]


def test_field_and_mode_options(tmp_path: Path) -> None:
    data = tmp_path / "d.jsonl"
    data.write_text(json.dumps({"id": 1, "body": STORY, "html": ARTICLE_HTML, "text": "Plain text version."}) + "\n")
    (rec,) = records(run(str(data), "--field", "body"))
    assert rec["title"] == "Headline of the day" and "body" in rec and rec["html"] == ARTICLE_HTML
    (rec,) = records(run(str(data), "--mode", "text"))
    assert rec["mode"] == "text" and rec["paragraphs"] == ["Plain text version."]
    (rec,) = records(run(str(data)))
    assert rec["mode"] == "html" and rec["text"] == "Plain text version."
    (rec,) = records(run(str(data), "--field", "nope"))
    assert rec["error"] == "record has no 'nope' field (--field)"


def test_no_comments_and_quiet(tmp_path: Path) -> None:
    result = run(str(SEEDS[4]), "--no-comments", "-q")
    (rec,) = records(result)
    assert rec["comments"] == [] and result.stderr == ""


def test_usage_errors(tmp_path: Path) -> None:
    assert run(str(SEEDS[0]), "--jobs", "0").exit_code == 2
    assert run(str(SEEDS[0]), "--timeout", "-1").exit_code == 2
    data = tmp_path / "d.jsonl"
    data.write_text('{"text": "x"}\n')
    result = run(str(data), "-o", str(data))
    assert result.exit_code == 2 and "also an input" in result.output and data.read_text() == '{"text": "x"}\n'


def test_charset_option_reads_files_in_that_charset(tmp_path: Path) -> None:
    text = "Президент подписал закон о бюджете на следующий год."
    page = tmp_path / "a.txt"
    page.write_bytes(text.encode("cp1251"))
    result = run(str(page), "--mode", "text", "--charset", "windows-1251", "-j", "1")
    assert result.exit_code == 0
    [record] = records(result)
    assert record["body"] == text
    assert record["fixes"][0] == {"step": "decode", "detail": "cp1251 (given)"}


def test_charset_option_rejects_an_unknown_name(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["clean", str(tmp_path), "--charset", "latin-9000"])
    assert result.exit_code == 2
    assert "unknown charset 'latin-9000'" in result.output
