"""What the engine tests share: the documents, the CLI's answer for them, the test cleaner plugin."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson
from click.testing import CliRunner

from cleannews import chain as chain_mod
from cleannews.chain import DEFAULT_CLEANERS
from cleannews.cli import main
from cleannews.integrations.schema import OUTPUT, article_part

from ..conftest import SEEDS

TRAP_PLUGIN = Path(__file__).resolve().parent / "trap_plugin"

ARTICLE_PAGE = (
    "<!DOCTYPE html><html lang='en'><head><title>Council approves the budget | Example News</title>"
    "<meta name='author' content='Ann Writer'></head><body><nav><a href='/'>Home</a> | <a href='/world'>World</a></nav>"
    "<article><h1>Council approves the budget</h1><p class='byline'>By Ann Writer</p>"
    + "".join(
        f"<p>The city council approved the budget on Tuesday after a debate about {topic} that went on for hours.</p>"
        for topic in ("schools", "roads", "parks", "buses", "libraries", "housing")
    )
    + "<p>Advertisement</p></article>"
    "<section id='comments'><h2>Comments</h2>"
    "<div class='comment'><p class='comment-author'>reader42</p><p>About time the roads got some money, frankly.</p></div>"
    "<div class='comment'><p class='comment-author'>jo</p><p>What about the buses on the east side?</p></div>"
    "</section><footer>Copyright 2025 Example News. All rights reserved.</footer></body></html>"
)
SMALL_PAGE = "<!DOCTYPE html><html><body><p>Short note.</p></body></html>"
STORY = "Headline of the day\n\nadvertisement\n\nThe council approved the budget on Tuesday after a long debate.\n"
PDF = "%PDF-1.7\n" + "\x00\x01\x02\x03binary stream\x04\x05" * 50

#: text documents (column ``text``) and HTML documents (column ``html``, with a url)
TEXT_ROWS: list[dict[str, Any]] = [
    *({"id": f"seed{i}", "text": path.read_text(encoding="utf-8")} for i, path in enumerate(SEEDS)),
    {"id": "story", "text": STORY},
    {"id": "empty", "text": ""},
    {"id": "pdf", "text": PDF},
]
HTML_ROWS: list[dict[str, Any]] = [
    {"id": "page", "url": "https://example.com/news/budget", "html": ARTICLE_PAGE},
    {"id": "small", "url": "https://example.com/small", "html": SMALL_PAGE},
    {"id": "nourl", "url": None, "html": ARTICLE_PAGE.replace("budget", "plan")},
]

#: a chain from TOML: the default cleaners and the test plugin (it removes CLEANNEWS-TRAP-MARK lines)
PDF_ERROR = "field 'text': binary data (31% control characters in the first 959 characters), not text or HTML"

TRAP_CONFIG = "cleaners = [" + ", ".join(json.dumps(n) for n in (*DEFAULT_CLEANERS, "trap")) + "]\n"
#: documents for the trouble tests, in order: fine, hangs, fine, kills its process, binary, marked
TROUBLE_ROWS: list[dict[str, Any]] = [
    {"id": "t0", "text": STORY},
    {"id": "t1", "text": "Stuck\n\nCLEANNEWS-TRAP-HANG\n\nThis one never ends."},
    {"id": "t2", "text": SEEDS[1].read_text(encoding="utf-8")},
    {"id": "t3", "text": "Killer\n\nCLEANNEWS-TRAP-KILL\n\nThis one kills its process."},
    {"id": "t4", "text": PDF},
    {"id": "t5", "text": STORY.replace("advertisement", "CLEANNEWS-TRAP-MARK then more")},
]
TROUBLE_TIMEOUT = 3
TROUBLE_ERRORS = [
    None,
    f"timed out after {TROUBLE_TIMEOUT} s (worker killed and replaced)",
    None,
    "worker crashed (killed by SIGKILL)",
    PDF_ERROR,
    None,
]


#: many documents asking the trap cleaner how often its process built it: the chain is built once per process
COUNT_ROWS: list[dict[str, Any]] = [
    {"id": f"c{i}", "text": f"Count {i}\n\nCLEANNEWS-TRAP-COUNT in this story."} for i in range(24)
]
COUNT_WARNING = "trap cleaners built in this process: 1"


@contextmanager
def trap_plugin() -> Iterator[None]:
    """The test plugin on this process's path and on its children's (PYTHONPATH): engine workers that
    are not forked from this process find it through its entry point, as they would an installed one."""
    old = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(TRAP_PLUGIN), old) if p)
    sys.path.insert(0, str(TRAP_PLUGIN))
    chain_mod.registry.cache_clear()
    try:
        yield
    finally:
        sys.path.remove(str(TRAP_PLUGIN))
        if old is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = old
        chain_mod.registry.cache_clear()


def cli_records(tmp: Path, rows: list[dict[str, Any]], *args: str) -> list[dict[str, Any]]:
    """``cleannews clean`` on ``rows`` written as JSON lines: its output records, in order."""
    path = tmp / "rows.jsonl"
    path.write_bytes(b"".join(orjson.dumps(row) + b"\n" for row in rows))
    result = CliRunner().invoke(main, ["clean", str(path), "--jobs", "1", "-q", *args], catch_exceptions=False)
    return [json.loads(line) for line in result.stdout.splitlines()]


def article_json(record: Mapping[str, Any]) -> bytes:
    """A cleaned record's article fields and ``error`` as JSON: what must be byte-identical on every path.

    ``metadata.sources`` is a map, which Spark keeps in no order: it is compared with its keys in order
    (``Article.to_dict`` writes them so; a Spark row's dict has them in the order of a Java hash map)."""
    part = article_part(record)
    metadata = part.get("metadata")
    if isinstance(metadata, Mapping) and isinstance(metadata.get("sources"), Mapping):
        part["metadata"] = {**metadata, "sources": dict(sorted(metadata["sources"].items()))}
    return orjson.dumps(part)


def by_id(records: list[dict[str, Any]], key: str = "id") -> dict[str, bytes]:
    return {str(r[key]): article_json(r) for r in records}


assert OUTPUT.names[-1] == "error"
