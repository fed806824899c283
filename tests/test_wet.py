"""Common Crawl WET input: `conversion` records of plain text, cleaned in text mode, with their WARC ids."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cleannews import Article, clean_record
from cleannews.batch.sources import InputStats, iter_tasks
from cleannews.cli import main

from .conftest import SEEDS

STORY = SEEDS[2].read_text(encoding="utf-8")


def article_json(record: dict[str, Any]) -> str:
    """The article fields and error of an output record, as JSON (what must match byte for byte)."""
    return json.dumps({k: record[k] for k in (*Article().to_dict(), "error")}, ensure_ascii=False)


# text that merely mentions markup: a WET record is text, whatever it looks like
TAGS = "How to write a web page\n\nStart the file with <!DOCTYPE html> and then <html><body>, like this.\n"


def _wet(path: Path, texts: list[tuple[str, str]], gz: bool = True) -> None:
    """A WET file as Common Crawl writes it: a warcinfo record, then one conversion record per page."""
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gz)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "cleannews tests"}))
        for i, (url, text) in enumerate(texts):
            headers = {"WARC-Refers-To": f"<urn:uuid:00000000-0000-0000-0000-00000000000{i}>"}
            record = writer.create_warc_record(
                url,
                "conversion",
                payload=io.BytesIO(text.encode("utf-8")),
                warc_content_type="text/plain",
                warc_headers_dict=headers,
            )
            writer.write_record(record)


@pytest.mark.parametrize("name", ["CC-MAIN-20250101-00000.warc.wet.gz", "crawl.wet"])
def test_wet_records_are_text_documents_with_their_warc_ids(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    _wet(path, [("https://example.com/story", STORY), ("https://example.com/howto", TAGS)], gz=name.endswith(".gz"))
    stats = InputStats()
    tasks = list(iter_tasks([str(path)], stats=stats))
    assert [t.url for t in tasks] == ["https://example.com/story", "https://example.com/howto"]
    assert all(t.text and not t.html and t.charset is None for t in tasks)
    assert not stats.skipped

    result = CliRunner().invoke(main, ["clean", str(path), "-q"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["url"] for r in out] == ["https://example.com/story", "https://example.com/howto"]
    assert all(r["warc_record_id"].startswith("<urn:uuid:") and r["warc_date"] for r in out)
    assert [r["warc_refers_to"] for r in out] == [f"<urn:uuid:00000000-0000-0000-0000-00000000000{i}>" for i in (0, 1)]
    assert [r["mode"] for r in out] == ["text", "text"]  # the markup-looking text too
    # the same article as the record's bytes cleaned as text (the url goes with it)
    for record, (url, text) in zip(
        out, [("https://example.com/story", STORY), ("https://example.com/howto", TAGS)], strict=True
    ):
        assert article_json(record) == article_json(clean_record({"text": text.encode(), "url": url}, mode="text"))
        assert record["fixes"] == [{"step": "decode", "detail": "utf-8 (valid)"}]
    assert out[0]["title"] == json.loads(article_json(clean_record({"text": STORY})))["title"]


def test_wet_mode_option_still_rules(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.wet.gz"
    _wet(path, [("https://example.com/howto", TAGS)])
    result = CliRunner().invoke(main, ["clean", str(path), "-q", "--mode", "html"], catch_exceptions=False)
    assert json.loads(result.stdout)["mode"] == "html"
