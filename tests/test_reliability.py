"""Issue 14: no lost input, no unbounded time or memory (the caps), and what the CLI promises about both."""

from __future__ import annotations

import subprocess
import sys
import tracemalloc

import numpy as np
import pytest

import cleannews
from cleannews import pipeline

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
