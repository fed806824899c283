"""Issue 14: no lost input, no unbounded time or memory (the caps), and what the CLI promises about both."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner, Result

import cleannews
from cleannews import pipeline
from cleannews.batch import writers
from cleannews.cli import main
from cleannews.cli.clean_cmd import clean_command

from .conftest import SEEDS

# --- blocks per document (item 3) -------------------------------------------------------------------


def test_a_document_is_cleaned_up_to_max_blocks_and_the_rest_is_one_removal(monkeypatch: pytest.MonkeyPatch) -> None:
    """A million lines were a million blocks (6 GB, 100 s); past MAX_BLOCKS the rest is one removed
    block of kind 'truncated' with a warning, so nothing is lost and the cost is bounded."""
    monkeypatch.setattr(pipeline, "MAX_BLOCKS", 40)
    lines = [f"The council voted on item {i} on Tuesday." for i in range(100)]
    text = "\n\n".join(lines)
    for source in (text, text.encode(), "<html><body>" + "".join(f"<p>{x}</p>" for x in lines) + "</body></html>"):
        article = cleannews.clean(source)
        cut = [r for r in article.removed if r.kind == "truncated"]
        assert len(cut) == 1 and cut[0].index == 40 and cut[0].cleaner == "input"
        assert [x for x in cut[0].text.split("\n") if x] == lines[40:]  # the rest, as it was
        kept = [article.title, *article.paragraphs, *article.metadata.blocks, *(r.text for r in article.removed)]
        assert sum(line in kept for line in lines[:40]) == 40  # the first 40 are cleaned as usual
        assert any(w.startswith("document cut after 40 blocks") for w in article.warnings)
    assert not any(r.kind == "truncated" for r in cleannews.clean("\n".join(lines[:40])).removed)


def test_split_lines_is_linear_and_drops_only_blank_lines() -> None:
    from cleannews.pipeline import split_lines

    assert split_lines("a\nb\n\nc\nd", 2) == ("a\nb", "c\nd")
    assert split_lines("a\r\n\r\nb\rc\n", 2) == ("a\nb", "c\n")
    assert split_lines("a\nb\n \t\n", 2) == ("a\nb", "")
    assert split_lines("\n" * 1000 + "a" + "\n" * 1000, 10) == ("a", "")  # blank lines make no blocks
    assert split_lines("short text\nof two lines", 10) == ("short text\nof two lines", "")


def test_the_page_model_scores_a_long_page_in_slices() -> None:
    """The forests' temporaries were some 5 KB a line, for all the lines of a page at once; scored in
    slices of LINES_AT_ONCE lines they stay bounded, with the same scores."""
    from cleannews.pagemodel import features
    from cleannews.pagemodel import model as page_model

    forest = page_model.load_model().stage1
    columns = np.ascontiguousarray(np.random.default_rng(0).random((len(features.FEATURES), 40_000)) * 10)
    tracemalloc.start()
    try:
        sliced = forest.decision_columns(columns)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 40 * 2**20  # 158 MB at once
    whole = np.concatenate([forest.decision_columns(columns[:, i : i + 2000]) for i in range(0, 40_000, 2000)])
    assert np.array_equal(sliced, whole)


# --- bytes read from any source (item 4) ------------------------------------------------------------


def _cli(*args: str, shell: str | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "cleannews", "clean", *args]
    if shell is not None:
        command = ["bash", "-c", shell.replace("CLEANNEWS", " ".join(command))]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout)


@pytest.mark.parametrize(
    "how",
    ["/dev/zero", "process substitution"],
)
def test_max_mb_bounds_what_is_read_from_any_file(how: str) -> None:
    """--max-mb checked only a file's size on disk: /dev/zero and <(…) were read without end."""
    if how == "/dev/zero":
        result = _cli("/dev/zero", "--max-mb", "1", "-q")
    else:
        result = _cli(shell='CLEANNEWS <(yes "The council voted on Tuesday." | head -c 3000000) --max-mb 1 -q')
    assert result.returncode == 1, result.stderr
    assert '"error":"document too large: over 1 MB"' in result.stdout


# --- the CLI: output never overlaps input, replaced atomically (item 1) ------------------------------


def run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(main, ["clean", *args], input=input, catch_exceptions=False)


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    folder = tmp_path / "d"
    folder.mkdir()
    for seed in SEEDS:
        (folder / seed.name).write_bytes(seed.read_bytes())
    return folder


def _contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_output_into_the_input_folder_is_refused_and_the_inputs_stay(pages: Path, tmp_path: Path) -> None:
    """`cleannews clean d -o d --to txt` overwrote the five inputs with their output, exit 0."""
    before = _contents(pages)
    (tmp_path / "link").symlink_to(pages)
    for args in (
        [str(pages), "-o", str(pages), "--to", "txt"],  # the command
        [str(pages), "-o", str(pages) + "/", "--to", "txt"],
        [str(tmp_path / "link"), "-o", str(pages), "--to", "txt"],  # the same folder through a link
        [str(pages), "-o", str(tmp_path / "link") + "/", "--to", "txt"],
        [str(pages / SEEDS[0].name), "-o", str(tmp_path), "--to", "txt"],  # a folder holding an input file
        [str(pages), "-o", str(pages / SEEDS[0].name)],  # an input file inside an input folder
        [str(pages / SEEDS[0].name), "-o", str(tmp_path / "link" / SEEDS[0].name)],
    ):
        result = run(*args)
        assert result.exit_code == 2, args
        assert len(result.stderr.splitlines()) == 1 and "input" in result.stderr
    assert _contents(pages) == before
    # a new output inside an input folder is fine: the walk never reads it
    assert run(str(pages), "-o", str(pages / "out.jsonl"), "-q").exit_code == 0
    assert _contents(pages).keys() - before.keys() == {"out.jsonl"}


def test_an_existing_output_is_replaced_at_once_and_kept_when_the_run_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text("previous output\n")
    out.chmod(0o640)
    assert run(str(SEEDS[0]), "-o", str(out), "-q").exit_code == 0
    assert json.loads(out.read_text())["title"] and (out.stat().st_mode & 0o777) == 0o640
    previous = out.read_bytes()

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(writers.Writer, "write_piece", broken)
    with pytest.raises(RuntimeError):
        run(str(SEEDS[1]), "-o", str(out))
    assert out.read_bytes() == previous  # no half file
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]  # nothing left aside
    # one file per document: each replaced at once too
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / (SEEDS[1].stem + ".txt")).write_text("previous")
    monkeypatch.setattr(writers.os, "replace", broken_replace)
    result = run(str(SEEDS[1]), "-o", f"{folder}/", "--to", "txt")
    assert result.exit_code == 1 and "cannot write" in result.stderr
    assert _contents(folder) == {SEEDS[1].stem + ".txt": b"previous"}  # nothing left aside either


def broken_replace(*_args: object) -> None:
    raise OSError(28, "No space left on device")


# --- usage errors: exit 2, one line, no traceback (item 10) -------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["-o", "/missing/dir/out.jsonl"],
        ["-o", "/proc/out.jsonl"],  # a folder no file can be made in (root may write anywhere else)
        ["--timeout", "inf"],
        ["--timeout", "nan"],
        ["--timeout", "-1"],
        ["--max-mb", "nan"],
        ["--max-mb", "0"],
        ["--config", "NOT-UTF8"],
        ["--jobs", "0"],
    ],
)
def test_usage_errors_are_one_line_and_exit_2(args: list[str], tmp_path: Path) -> None:
    if "NOT-UTF8" in args:
        config = tmp_path / "c.toml"
        config.write_bytes(b'cleaners = ["ads"]\n# caf\xe9\n')
        args = ["--config", str(config)]
    result = subprocess.run(
        [sys.executable, "-m", "cleannews", "clean", str(SEEDS[0]), *args], capture_output=True, text=True
    )
    assert result.returncode == 2, result.stderr
    assert result.stdout == "" and len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith("cleannews clean: error: ") and "Traceback" not in result.stderr


def test_a_config_file_that_is_not_utf8_is_a_config_error(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_bytes(b'cleaners = ["ads"]\n# caf\xe9\n')
    with pytest.raises(cleannews.ConfigError, match="is not UTF-8"):
        cleannews.Chain.from_config(config)


# --- the smaller ones (item 12), exit codes, the default timeout ---------------------------------------


def test_broken_links_and_special_files_in_a_folder_are_named(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Headline\n\nThe council met on Tuesday.\n")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    os.mkfifo(tmp_path / "pipe.txt")  # reading it would wait for ever
    result = run(str(tmp_path))
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [Path(r["source"]).name for r in out] == ["a.txt", "gone.txt"]
    assert (
        out[1]["error"] == f"cannot read {tmp_path / 'gone.txt'}: broken symbolic link (to {tmp_path / 'nowhere.txt'})"
    )
    assert result.exit_code == 1
    assert "skipped: special files in folders (named pipes, sockets, devices) 1" in result.stderr


def test_a_glob_that_matches_nothing_is_a_usage_error(pages: Path) -> None:
    result = run(str(pages), "--glob", "*.htm")
    assert result.exit_code == 2 and result.stdout == ""
    assert (
        result.stderr
        == f"main clean: error: no documents: no file matching --glob '*.htm' in {pages} (main clean -h for help)\n"
    )


def test_summary_counts_in_the_singular_and_max_mb_in_its_own_unit(tmp_path: Path) -> None:
    result = run(str(SEEDS[0]))
    assert "cleannews: 1 document in" in result.stderr and "0 errors, 0 warnings" in result.stderr
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * (64 * 2**20 + 1))
    (record,) = [json.loads(line) for line in run(str(big)).stdout.splitlines()]
    assert record["error"] == "document too large: 64.0 MB (limit 64 MB)"  # "limit 67 MB" before


def test_jobs_are_capped_at_the_cores() -> None:
    from cleannews.batch.records import default_cores

    cores = default_cores()
    result = run(str(SEEDS[0]), str(SEEDS[1]), "--jobs", str(cores + 14))
    assert f"--jobs {cores + 14} is more than the {cores} cores this process may use: {cores} jobs" in result.stderr
    assert f"docs/s, {cores} job" in result.stderr


def test_nothing_on_stdin_is_an_error() -> None:
    """`cat missing | cleannews clean -` exited 0: the command before failed, nothing came."""
    result = run("-", input="")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["error"] == "nothing on stdin (0 bytes): did the command before it fail?"


def test_a_corrupt_warc_error_is_printable(tmp_path: Path) -> None:
    from .test_batch import PAGE, _warc

    path = tmp_path / "bad.warc"
    _warc(path, [("response", "https://example.com/a", PAGE.encode(), "text/html", "200 OK")], gz=False)
    path.write_bytes(path.read_bytes() + b"\x00\x01\x02\xff\xfe garbage \x89PNG\r\n\r\n" + bytes(range(256)) * 4)
    (last,) = [json.loads(line) for line in run(str(path)).stdout.splitlines()][-1:]
    assert last["error"].startswith("truncated or corrupt WARC after record 2: ")
    assert last["error"].isascii() and last["error"].isprintable() and len(last["error"]) <= 160


def test_default_timeout_is_60_seconds_and_0_turns_it_off() -> None:
    import inspect

    (timeout,) = [p for p in clean_command.params if p.name == "timeout"]
    assert timeout.default == 60
    assert inspect.signature(cleannews.clean_many).parameters["timeout"].default == 60
    assert [type(r) for r in cleannews.clean_many(["Headline\n\nBody text here."], jobs=1, timeout=0)] == [
        cleannews.Article
    ]
    for bad in (float("inf"), float("nan"), -1):
        with pytest.raises(cleannews.ConfigError, match="timeout must be a finite number"):
            list(cleannews.clean_many(["x"], timeout=bad))


def test_ctrl_c_exits_130_with_a_summary_and_well_formed_json(tmp_path: Path) -> None:
    story = SEEDS[0].read_text(encoding="utf-8")
    data = tmp_path / "many.jsonl"
    data.write_text("".join(json.dumps({"id": i, "text": story}) + "\n" for i in range(20000)))
    out = tmp_path / "out.json"
    proc = subprocess.Popen(
        [sys.executable, "-m", "cleannews", "clean", str(data), "--to", "json", "-o", str(out)],
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not any(p.name.endswith(".part") and p.stat().st_size > 0 for p in tmp_path.iterdir()):
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    stderr = proc.communicate(timeout=60)[1]
    assert proc.returncode == 130, stderr
    written = json.loads(out.read_text())  # closed: a well-formed array
    assert 0 < len(written) < 20000 and [r["id"] for r in written] == list(range(len(written)))
    assert f"interrupted: {len(written)} document{'s' if len(written) != 1 else ''} written to {out}" in stderr
