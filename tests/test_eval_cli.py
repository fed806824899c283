"""``cleannews eval`` on tiny JSONL files written here (the dev datasets are not needed)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cleannews.cli import main
from cleannews.evaluation.data import Problem, Record, parse_record, read_records, sample_positions
from cleannews.evaluation.runner import evaluate, problems_note, table
from cleannews.evaluation.systems import FunctionSystem, Output

STORY = [
    "The city council approved the new budget on Tuesday after a long debate about school funding.",
    "Council members said the plan raises spending on libraries and parks while keeping taxes flat.",
    "The mayor is expected to sign the budget next week, according to officials familiar with it.",
]
COMMENT = "I think the council made the right call here, finally some money for the parks."


def html_page(title: str, paragraphs: list[str], extra: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<html><head><title>{title}</title></head><body>"
        f"<nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a></nav>"
        f"<article><h1>{title}</h1>{body}</article>{extra}"
        "<footer><p>Copyright 2024 Example News. All rights reserved.</p></footer></body></html>"
    )


def record(i: int, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": f"doc{i}",
        "lang": "en",
        "url": f"https://example.com/{i}",
        "html": html_page(f"Budget approved {i}", STORY),
        "text": "Home News Sport\n" + "\n".join(STORY) + "\nCopyright 2024 Example News.",
        "gold_body": "\n".join(STORY),
        "gold_comments": "",
        "gold_title": f"Budget approved {i}",
    }
    base.update(fields)
    return base


def write_jsonl(path: Path, lines: list[Any]) -> Path:
    text = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n"
    if path.suffix == ".gz":
        with gzip.open(path, "wt", encoding="utf-8") as fh:
            fh.write(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def run(*args: str) -> Any:
    result = CliRunner().invoke(main, ["eval", *args], catch_exceptions=False)
    return result


def rows(output: str) -> dict[str, list[str]]:
    out = {}
    for line in output.splitlines():
        if line.startswith("| ") and not line.startswith("| system"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            out[cells[0]] = cells[1:]
    return out


# ---------------------------------------------------------------- the command


def test_eval_html_with_peers(tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "gold.jsonl", [record(i) for i in range(3)])
    result = run(str(data), "--compare", "trafilatura,justext")
    assert result.exit_code == 0, result.output
    table_rows = rows(result.output)
    assert set(table_rows) == {"cleannews", "trafilatura", "justext"}
    docs, precision, recall, f1 = table_rows["cleannews"][:4]
    assert docs == "3"
    assert float(f1) > 0.9 and float(precision) > 0.9 and float(recall) > 0.9
    assert table_rows["cleannews"][7] == "0"  # errors
    assert "3 record(s) scored" in result.output


def test_eval_text_mode_and_gzip(tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "gold.jsonl.gz", [record(i) for i in range(2)])
    result = run(str(data), "--mode", "text", "--compare", "raw")
    assert result.exit_code == 0, result.output
    table_rows = rows(result.output)
    assert table_rows["cleannews"][0] == "2"
    assert float(table_rows["raw"][1]) < float(table_rows["cleannews"][1])  # raw text has the chrome


def test_eval_per_language_rows(tmp_path: Path) -> None:
    records = [record(0), record(1, lang="de"), record(2, lang=None)]
    data = write_jsonl(tmp_path / "gold.jsonl", records)
    result = run(str(data), "--per-language", "--compare", "trafilatura")
    table_rows = rows(result.output)
    assert {"cleannews [en]", "cleannews [de]", "cleannews [?]", "trafilatura [de]"} <= set(table_rows)
    assert table_rows["cleannews [de]"][0] == "1"


def test_eval_comment_and_title_columns(tmp_path: Path) -> None:
    comments = (
        "<section id='comments'><h2>3 Comments</h2><ol class='commentlist'>"
        f"<li class='comment' id='comment-1'><div class='comment-author'>Jane says:</div><p>{COMMENT}</p></li>"
        "</ol></section>"
    )
    rec = record(0, html=html_page("Budget approved 0", STORY, comments), gold_comments=COMMENT)
    data = write_jsonl(tmp_path / "gold.jsonl", [rec])
    result = run(str(data), "--compare", "justext")
    table_rows = rows(result.output)
    comment_recall, comment_leak, title = table_rows["cleannews"][4:7]
    assert 0.0 <= float(comment_recall) <= 1.0 and float(comment_leak) == 0.0
    assert float(title) == 1.0
    assert table_rows["justext"][4] == "–"  # jusText does not extract comments


def test_eval_json_output(tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "gold.jsonl", [record(0), {"id": "x"}])
    result = run(str(data), "--json")
    payload = json.loads(result.output)
    assert payload["mode"] == "html"
    assert payload["systems"]["cleannews"]["documents"] == 1
    assert payload["systems"]["cleannews"]["by_language"]["en"]["documents"] == 1
    assert payload["not_scored"][0]["reason"] == "no gold_body (nor gold_with/gold_without snippets)"


def test_eval_records_with_problems_never_crash(tmp_path: Path) -> None:
    lines: list[Any] = [
        record(0),
        "",  # blank line: not a record
        "{not json",
        "[1, 2, 3]",
        {"id": "no-gold", "html": "<html><body><p>x</p></body></html>"},
        record(1, html=None),  # html mode needs html
        record(2, html=12345),  # wrong type
        record(3, url="None", lang=None, gold_title="None", gold_comments=None),  # "None" strings are missing
        record(4, gold_body=""),  # an empty gold is a document with no article
        {"gold_body": "A record without id, lang, url or title still counts.", "html": "<p>Some text here.</p>"},
        record(5, html="<html><body>" + "<div>" * 5000 + "deep" + "</div>" * 5000 + "</body></html>"),
        record(6, html="\x00\x01<<<>>>&&&;;<p"),
    ]
    data = write_jsonl(tmp_path / "gold.jsonl", lines)
    result = run(str(data), "--compare", "trafilatura,justext")
    assert result.exit_code == 0, result.output
    table_rows = rows(result.output)
    assert table_rows["cleannews"][0] == "6"
    assert table_rows["cleannews"][7] == "0"  # cleannews errors
    note = next(line for line in result.output.splitlines() if line.startswith("not scored"))
    assert "5 record(s)" in note
    for reason in (
        "not JSON",
        "not a JSON object",
        "no gold_body",
        "no 'html' for --mode html",
        "is int, not a string",
    ):
        assert reason in note


def test_eval_limit_and_sample(tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "gold.jsonl", [record(i) for i in range(10)])
    assert rows(run(str(data), "--limit", "3").output)["cleannews"][0] == "3"
    assert rows(run(str(data), "--sample", "4").output)["cleannews"][0] == "4"
    both = run(str(data), "--limit", "3", "--sample", "4")
    assert both.exit_code == 2 and "not both" in both.output


def test_eval_unknown_peer_and_missing_file(tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "gold.jsonl", [record(0)])
    bad = run(str(data), "--compare", "boilerpipe")
    assert bad.exit_code == 2 and "unknown peer 'boilerpipe'" in bad.output
    missing = run(str(tmp_path / "nope.jsonl"))
    assert missing.exit_code == 2


def test_eval_empty_file(tmp_path: Path) -> None:
    data = tmp_path / "empty.jsonl"
    data.write_text("", encoding="utf-8")
    result = run(str(data))
    assert result.exit_code == 0
    assert "0 record(s) scored" in result.output


def test_eval_progress_flag_keeps_stdout_clean(tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "gold.jsonl", [record(i) for i in range(2)])
    result = (
        CliRunner(mix_stderr=False).invoke(main, ["eval", str(data), "--progress"])
        if _mix_stderr()
        else run(str(data), "--progress")
    )
    assert result.exit_code == 0
    assert rows(result.stdout)["cleannews"][0] == "2"


def _mix_stderr() -> bool:
    import inspect

    return "mix_stderr" in inspect.signature(CliRunner.__init__).parameters


# ---------------------------------------------------------------- the library pieces


def test_parse_record_normalises_missing_values() -> None:
    rec = parse_record({"id": 7, "url": "None", "lang": "null", "gold_body": "x", "html": "<p>x</p>"}, 1, "html")
    assert isinstance(rec, Record)
    assert (rec.id, rec.url, rec.lang) == ("7", None, None)
    assert isinstance(parse_record({"gold_body": "x"}, 2, "text"), Problem)
    assert isinstance(parse_record("just a string", 3, "html"), Problem)


def test_sample_positions_spread_evenly() -> None:
    assert sample_positions(10, 5) == frozenset({0, 2, 4, 6, 8})
    assert sample_positions(3, 10) == frozenset({0, 1, 2})


def test_truncated_gzip_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "gold.jsonl.gz", [record(i) for i in range(50)])
    raw = data.read_bytes()
    data.write_bytes(raw[: len(raw) // 2])
    items = list(read_records(data))
    assert isinstance(items[-1], Problem) and "unreadable" in items[-1].reason


def test_evaluate_counts_errors_and_runs_every_system_on_every_record() -> None:
    seen: dict[str, list[str]] = {"good": [], "bad": []}

    def good(rec: Record) -> Output:
        seen["good"].append(rec.id)
        return Output(rec.gold_body)

    def bad(rec: Record) -> Output:
        seen["bad"].append(rec.id)
        raise RuntimeError("boom")

    items: list[Record | Problem] = [
        Record(id="a", line=1, gold_body="one two three four five"),
        Problem(2, "line 2", "not JSON"),
        Record(id="b", line=3, gold_body="six seven eight nine ten"),
    ]
    report = evaluate(items, {"good": FunctionSystem(good), "bad": FunctionSystem(bad)})
    assert seen == {"good": ["a", "b"], "bad": ["a", "b"]}
    good_result, bad_result = report.results
    assert good_result.total.scores().f1 == 1.0
    assert bad_result.total.errors == 2 and bad_result.total.empty == 2
    assert "1 not JSON (line 2)" in problems_note(report)
    assert table(report).count("\n") == 3


@pytest.mark.parametrize("mode", ["html", "text"])
def test_cleannews_system_reads_the_mode_field(mode: str) -> None:
    from cleannews.evaluation.systems import cleannews_system

    rec = parse_record(record(0), 1, mode)
    assert isinstance(rec, Record)
    output = cleannews_system(mode)(rec)
    assert "approved the new budget" in output.body
    assert output.error is None


def test_a_gold_that_is_utf16_read_as_latin1_is_decoded_and_reported(tmp_path: Path) -> None:
    """Four dragnet-train golds are UTF-16 bytes read as Latin-1 ("ÿþP\\x00a\\x00…"): scored as they are,
    every system scores 0 on them. They are decoded, and the report says so."""
    garbled = "\n".join(STORY).encode("utf-16").decode("latin-1")
    assert garbled.startswith("ÿþ") and "\x00" in garbled
    data = write_jsonl(tmp_path / "gold.jsonl", [record(0), record(1, gold_body=garbled)])
    result = run(str(data), "--mode", "text")
    assert result.exit_code == 0, result.output
    assert "gold repaired: 1 record(s)" in result.output and "(doc1)" in result.output
    assert float(rows(result.output)["cleannews"][3]) > 0.9  # both documents score: the gold is the story
    odd = garbled + "\n"  # an odd number of bytes: half a character at the end
    parsed = parse_record(record(2, gold_body=odd), 1, "text")
    assert isinstance(parsed, Record) and parsed.repaired == ("gold_body",)
    assert parsed.gold_body.startswith(STORY[0])
    plain = parse_record(record(3), 1, "text")
    assert isinstance(plain, Record) and plain.repaired == () and plain.gold_body == "\n".join(STORY)


def test_eval_scores_snippet_gold(tmp_path: Path) -> None:
    # trafilatura's evaluation data: strings the article must contain and page chrome it must not
    snippet_record = {
        "id": "s1",
        "lang": "de",
        "html": html_page("Haushalt beschlossen", STORY),
        "gold_with": ["approved the new budget on Tuesday", "a sentence that is not on the page"],
        "gold_without": ["Copyright 2024 Example News", "Home News Sport"],
    }
    lines: list[Any] = [snippet_record, {**snippet_record, "id": "bad", "gold_with": "not a list"}]
    data = write_jsonl(tmp_path / "snippets.jsonl", lines)
    result = run(str(data), "--per-language")
    assert result.exit_code == 0, result.output
    header = next(line for line in result.output.splitlines() if line.startswith("| system"))
    assert "snippet F1" in header and "| precision |" not in header  # no body gold: no shingle columns
    cells = rows(result.output)["cleannews"]
    # the story is kept and the chrome removed: 1 of 2 wanted found, 0 of 2 unwanted found
    assert cells[:5] == ["1", "1.000", "0.500", "0.667", "0.750"]
    assert "cleannews [de]" in rows(result.output)
    assert "not a list of strings" in result.output
    payload = json.loads(run(str(data), "--json").output)
    snippets = payload["systems"]["cleannews"]["snippets"]
    assert (snippets["tp"], snippets["fn"], snippets["fp"], snippets["tn"]) == (1, 1, 0, 2)
    assert payload["systems"]["cleannews"]["f1"] is None


def test_eval_readability_peer(tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "gold.jsonl", [record(0), record(1)])
    result = run(str(data), "--compare", "readability")
    assert result.exit_code == 0, result.output
    cells = rows(result.output)["readability"]
    assert cells[0] == "2" and float(cells[3]) > 0.9  # the three story paragraphs, not the nav or footer


def test_eval_readability_peer_missing_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "readability", None)  # import readability -> ImportError
    data = write_jsonl(tmp_path / "gold.jsonl", [record(0)])
    result = run(str(data), "--compare", "readability")
    assert result.exit_code == 2
    assert "readability-lxml" in result.output and "Traceback" not in result.output
