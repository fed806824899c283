"""The CLI: clean (stdout, -o, formats, stdin, folders), explain, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from cleannews.cli import main

from .conftest import ROOT, SEEDS


def test_clean_seeds_folder_to_jsonl() -> None:
    result = CliRunner().invoke(main, ["clean", str(ROOT / "seeds")])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [Path(r["source"]).name for r in records] == [s.name for s in SEEDS]
    assert all(r["error"] is None for r in records)
    assert records[4]["comments"][0]["text"] == "You post the best content on FR."


def test_clean_to_txt_and_md(tmp_path: Path) -> None:
    out = tmp_path / "out.md"
    result = CliRunner().invoke(main, ["clean", str(SEEDS[2]), "--to", "md", "-o", str(out)])
    assert result.exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert text.count("# Russian Security Council Secretary Shoigu Meets With Kim Jong-Un") == 1
    assert "RELATED:" not in text
    txt = CliRunner().invoke(main, ["clean", str(SEEDS[0]), "--to", "txt"]).stdout
    assert "advertisement" not in txt and "Hot this week" not in txt


def test_clean_json_array() -> None:
    result = CliRunner().invoke(main, ["clean", str(SEEDS[0]), str(SEEDS[1]), "--to", "json"])
    assert [r["title"] is not None for r in json.loads(result.stdout)] == [True, True]


def test_stdin() -> None:
    result = CliRunner().invoke(main, ["clean", "-", "--to", "txt"], input="Headline\n\nadvertisement\n\nBody.\n")
    assert result.exit_code == 0
    assert "Body." in result.stdout and "advertisement" not in result.stdout


def test_missing_file_is_an_error_record_and_exit_1(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["clean", str(SEEDS[0]), str(tmp_path / "nope.txt")])
    assert result.exit_code == 1
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records[0]["error"] is None and "nope.txt" in records[1]["error"]


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert CliRunner().invoke(main, ["clean"]).exit_code == 2
    assert CliRunner().invoke(main, ["clean", str(SEEDS[0]), "--to", "pdf"]).exit_code == 2
    config = tmp_path / "c.toml"
    config.write_text('cleaners = ["nope"]')
    result = CliRunner().invoke(main, ["clean", str(SEEDS[0]), "--config", str(config)])
    assert result.exit_code == 2 and "valid cleaners" in result.output


def test_explain_shows_every_block_with_reason() -> None:
    seed = ROOT / "seeds" / "004_e2865d0f7c67fbf2.txt"
    result = CliRunner().invoke(main, ["explain", str(seed), "--width", "240"])
    assert result.exit_code == 0
    out = result.output
    assert "forum_chrome" in out and "comment" in out and "donation" in out and "poster" in out
    assert "17 blocks" in out


def test_console_script_installed() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "cleannews", "clean", str(SEEDS[1]), "--to", "txt"], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[2] == "Sergei Shoigu plans to meet Kim Jong Un"
