"""What the engine integrations stand on, without an engine: the schema, clean_records, the options."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import cleannews
from cleannews import Article, Comment, Fix, Metadata, Removal, clean_record, clean_records
from cleannews.errors import ConfigError, UnknownCleanerError
from cleannews.integrations import common, schema
from cleannews.model import Element

from .integrations.shared import (
    HTML_ROWS,
    PDF_ERROR,
    TEXT_ROWS,
    TRAP_CONFIG,
    TROUBLE_ERRORS,
    TROUBLE_ROWS,
    TROUBLE_TIMEOUT,
    article_json,
    by_id,
    cli_records,
    trap_plugin,
)

ENGINES = ("pyspark", "py4j", "dask", "distributed", "datatrove", "pandas", "pyarrow")


def test_import_cleannews_imports_no_engine() -> None:
    code = (
        "import sys, cleannews, cleannews.integrations, cleannews.integrations.schema, cleannews.integrations.common\n"
        "cleannews.clean('Title\\n\\nThe body of the story, in a sentence.')\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {ENGINES!r}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def _full_article() -> Article:
    """An article with every field set, lists non-empty, so every nested key shows in to_dict()."""
    return Article(
        title="T",
        paragraphs=("p",),
        comments=(Comment("c", "a", "t"),),
        language="en",
        metadata=Metadata(
            *(f"m{i}" for i in range(8)),
            credits=("c",),
            captions=("c",),
            tags=("t",),
            blocks=("b",),
            headline="h",
            authors=("a",),
            modified="m",
            section="s",
            image="i",
            canonical="c",
            language="en",
            sources={"author": "x"},
        ),
        removed=(Removal("x", "ad", "ads", "rule", 3),),
        fixes=(Fix("decode", "utf-8"),),
        warnings=("w",),
        mode="html",
        extractor="trafilatura",
        structure=(Element(kind="row", cells=("a", "b"), header=True, group=0, links=((0, 1, "https://e.com"),)),),
    )


def _filled(value: Any) -> bool:
    """Whether every list and mapping in a to_dict() value is non-empty (so conforms() sees their items)."""
    if isinstance(value, dict):
        return all(_filled(v) for v in value.values())
    if isinstance(value, list):
        return bool(value) and all(_filled(v) for v in value)
    return True


def test_schema_matches_article_to_dict() -> None:
    # a field added to Article.to_dict() (or to a nested record) must be added to integrations/schema.py
    full = _full_article().to_dict()
    assert list(full) == list(schema.ARTICLE.names)
    assert _filled(full), "give _full_article() a value for every list and mapping field, so its items are checked"
    assert schema.conforms(full, schema.ARTICLE)  # every struct's keys in order, every value's type
    assert schema.conforms(Article().to_dict(), schema.ARTICLE)
    assert schema.OUTPUT.names == (*schema.ARTICLE.names, "error")


def test_schema_maps() -> None:
    sources = schema.MapOf(schema.STRING)
    assert schema.conforms({"authors": "json-ld", "published": None}, sources)
    assert not schema.conforms({"authors": 1}, sources)
    assert not schema.conforms(["authors"], sources)


def test_schema_conforms_is_strict() -> None:
    good = _full_article().to_dict()
    assert not schema.conforms({**good, "title": 3}, schema.ARTICLE)
    assert not schema.conforms({**good, "removed": [{**good["removed"][0], "index": "3"}]}, schema.ARTICLE)
    assert not schema.conforms({k: good[k] for k in reversed(good)}, schema.ARTICLE)
    assert not schema.conforms({**good, "extra": None}, schema.ARTICLE)


def test_every_cleaned_record_conforms_to_the_output_schema() -> None:
    for row in TEXT_ROWS + HTML_ROWS:
        assert schema.conforms(schema.article_part(clean_record(row)), schema.OUTPUT), row["id"]


def test_clean_record_gives_the_cli_article_byte_for_byte(tmp_path: Path) -> None:
    rows = TEXT_ROWS + HTML_ROWS
    cli = by_id(cli_records(tmp_path, rows))
    assert set(cli) == {r["id"] for r in rows}
    assert {r["id"]: article_json(clean_record(r)) for r in rows} == cli
    errors = {r["id"]: json.loads(cli[r["id"]])["error"] for r in rows}
    assert errors["pdf"] == PDF_ERROR
    assert json.loads(cli["page"])["comments"], "the HTML page's comments are found (the test covers structs)"


@pytest.mark.parametrize("timeout", [None, 30.0])
def test_clean_records_is_clean_record_over_many(timeout: float | None) -> None:
    rows = [*TEXT_ROWS, *HTML_ROWS, {"id": "none"}, {"id": "bad", "text": 3}]
    assert list(clean_records(rows, timeout=timeout)) == [clean_record(r) for r in rows]


def test_clean_records_isolates_hangs_and_crashes() -> None:
    with trap_plugin():
        chain = cleannews.Chain.from_names([*cleannews.DEFAULT_CLEANERS, "trap"])
        rows = [{**r, "lang": "en"} for r in TROUBLE_ROWS]
        start = time.monotonic()
        out = list(clean_records(rows, chain=chain, timeout=TROUBLE_TIMEOUT))
        assert time.monotonic() - start < 30
    assert [r["error"] for r in out] == TROUBLE_ERRORS
    assert [(r["id"], r["lang"]) for r in out] == [(r["id"], "en") for r in TROUBLE_ROWS]  # carried, in order
    assert all("text" not in r for r in out)
    assert out[0]["body"] == "The council approved the budget on Tuesday after a long debate."
    assert [r["cleaner"] for r in out[5]["removed"] if r["kind"] == "trapped"] == ["trap"]


def test_clean_records_rejects_bad_arguments_at_once() -> None:
    with pytest.raises(ConfigError, match="mode must be one of"):
        clean_records([], mode="xml")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="jobs must be at least 1"):
        clean_records([], jobs=0)


def test_options_read_a_toml_config_once_and_reject_a_bad_one(tmp_path: Path) -> None:
    good = tmp_path / "good.toml"
    good.write_text('cleaners = ["ads", "title", "story"]\n[options.ads]\n')
    options = common.make_options(config=good)
    assert options.config == {"cleaners": ["ads", "title", "story"], "options": {"ads": {}}}
    assert common.chain_of(options.config) is common.chain_of(dict(options.config))  # built once per process
    assert common.chain_of(options.config).names == ("ads", "title", "story")
    assert common.chain_of(None) is cleannews.Chain.default()
    unknown = tmp_path / "unknown.toml"
    unknown.write_text('cleaners = ["ads", "no_such_cleaner"]\n')
    with pytest.raises(UnknownCleanerError, match="unknown cleaner 'no_such_cleaner'; valid cleaners: "):
        common.make_options(config=unknown)
    with pytest.raises(ConfigError, match="cleaner 'ads' has no option"):
        common.make_options(config={"cleaners": ["ads"], "options": {"ads": {"bogus": 1}}})
    with pytest.raises(ConfigError, match="does not exist"):
        common.make_options(config=tmp_path / "missing.toml")
    with pytest.raises(ConfigError, match="mode must be one of"):
        common.make_options(mode="xml")
    with pytest.raises(ConfigError, match="timeout must be"):
        common.make_options(timeout=0)


def test_trap_config_is_the_default_chain_and_the_plugin() -> None:
    with trap_plugin():
        options = common.make_options(config={"cleaners": json.loads(TRAP_CONFIG.split("=", 1)[1])})
        assert common.chain_of(options.config).names[-1] == "trap"


def test_pick_column_and_carried_names() -> None:
    assert common.pick_column(["id", "html", "text"], None, "auto") == "html"
    assert common.pick_column(["id", "html", "text"], None, "text") == "text"
    assert common.pick_column(["id", "body_html"], "body_html", "auto") == "body_html"
    with pytest.raises(ConfigError, match="no document column"):
        common.pick_column(["id"], None, "auto")
    with pytest.raises(ConfigError, match="no column 'x'"):
        common.pick_column(["id"], "x", "auto")
    assert [common.carried_name(n) for n in ("id", "title", "error", "url")] == [
        "id",
        "input_title",
        "input_error",
        "url",
    ]


@pytest.mark.parametrize(("module", "engine"), [("spark", "pyspark"), ("dask", "pandas"), ("datatrove", "datatrove")])
def test_an_integration_without_its_engine_says_which_extra_to_install(module: str, engine: str) -> None:
    code = (
        f"import sys; sys.modules[{engine!r}] = None\n"
        f"try:\n    import cleannews.integrations.{module}\nexcept ImportError as exc:\n    print(exc)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert f'needs the {module} extra: pip install "cleannews[{module}]"' in out
