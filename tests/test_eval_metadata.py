"""``cleannews eval --metadata``: the scores, computed by hand on small cases, and the command on a
two-record file (no network, no data set needed)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from click.testing import CliRunner

from cleannews.cli import main
from cleannews.evaluation.data import is_train, parse_record
from cleannews.evaluation.metadata import (
    Found,
    Report,
    StructureTally,
    Tally,
    author_credit,
    evaluate,
    same_date,
    same_title,
    structure_items,
    tables,
)


def test_title_exact_up_to_case_and_spaces_only() -> None:
    assert same_title("Budget  Passes", "budget passes")
    assert not same_title("Budget passes", "Budget passes!")
    assert not same_title("Budget passes", None)


def test_author_credit() -> None:
    assert author_credit("Jane Doe and John Roe", ["John Roe", "Jane Doe"]) == 1.0
    assert author_credit("Dylan Bailey, MS, RD", ["Dylan Bailey"]) == 0.5
    assert author_credit("Jane Doe", ["John Roe"]) == 0.0
    assert author_credit("Jane Doe", []) == 0.0


def test_same_day() -> None:
    assert same_date("2025-06-04", "2025-06-04T09:21:00-07:00")
    assert not same_date("2025-06-04", "2025-06-05")
    assert same_date("2015-11", "2015-11-20")
    assert not same_date("2025-06-04", None)


def test_structure_items_of_markdown() -> None:
    md = (
        "# Title\n\nText with a [link](https://x.y) and **bold**.\n\n## Part *one*\n\n"
        "- Item [one](https://x.y)\n  - Sub item\n- Item two\n\n1. First\n\n"
        "| Name | Age |\n|---|---|\n| Bob | 3 |\n| | |\n"
    )
    found = structure_items(md)
    assert found["headings"] == Counter({"title": 1, "part one": 1})
    assert found["items"] == Counter({"item one": 1, "sub item": 1, "item two": 1, "first": 1})
    assert found["cells"] == Counter({"name": 1, "age": 1, "bob": 1, "3": 1})


def test_structure_recall_and_precision_per_document() -> None:
    tally = StructureTally()
    tally.add(Counter({"a": 2, "b": 1}), Counter({"a": 1, "c": 1}))  # 1 of 3 found; 1 of 2 right
    tally.add(Counter(), Counter({"x": 1}))  # nothing to find: precision only
    tally.add(Counter({"y": 1}), Counter())  # nothing found: recall only
    assert tally.recall == [1 / 3, 0.0]
    assert tally.precision == [0.5, 0.0]


def record(**fields: object) -> dict[str, object]:
    base = {
        "id": "1",
        "set": "wcxb-dev",
        "url": "https://ex.com/2024/03/05/budget",
        "html": "<html><body><h1>Budget passes</h1><p>Body text here.</p></body></html>",
        "text": "Budget passes\nBody text here.",
        "gold_body": "Body text here.",
        "gold_title": "Budget passes",
        "gold_author": "Jane Doe",
        "gold_date": "2024-03-05",
        "gold_markdown": "## Budget passes\n\n- Body text here.\n",
    }
    base.update(fields)
    return base


def test_tally_and_table() -> None:
    rec = parse_record(record(), 1, "html")
    assert not isinstance(rec, type(None))
    tally = Tally()
    tally.add(rec, Found("Budget passes", ("Jane Doe",), "2024-03-05", "Body text here.", "- Body text here."),  # type: ignore[arg-type]
              structure_items("## Budget passes\n\n- Body text here.\n"), 0.5)  # fmt: skip
    row = tally.row()
    assert (row["title"], row["author"], row["date"], row["body_f1"]) == (1.0, 1.0, 1.0, 1.0)
    assert (row["headings_recall"], row["headings_precision"], row["items_recall"], row["items_precision"]) == (
        0.0, None, 1.0, 1.0
    )  # fmt: skip
    report = Report({"sys": {"tuned": tally, "held-out": Tally(), "all": tally}})
    text = tables(report)
    assert "| sys | tuned | 1 | 1.000 | 1.000 | 1.000 | 1.000 | 0 | 500.0 |" in text
    assert "| sys | held-out | 0 | – | – | – | – | 0 | 0.0 |" in text


def test_split_is_the_training_scripts() -> None:
    ids = [str(i) for i in range(200)]
    share = sum(is_train("wcxb-dev", i, 0.7) for i in ids) / len(ids)
    assert 0.6 < share < 0.8
    assert is_train("wcxb-dev", "7", 0.7) == is_train("wcxb-dev", "7", 0.7)


def test_evaluate_runs_every_system_on_the_same_records() -> None:
    records = [parse_record(record(id=str(i)), i, "html") for i in range(3)]
    seen: list[str] = []

    def system(name: str) -> object:
        def run(r: object) -> Found:
            seen.append(name)
            if name == "broken":
                raise RuntimeError("peer failed")
            return Found("Budget passes", ("Jane Doe",), "2024-03-05", "Body text here.", "## Budget passes")

        return run

    report = evaluate(records, {"a": system("a"), "broken": system("broken")})  # type: ignore[dict-item]
    assert sorted(seen) == ["a"] * 3 + ["broken"] * 3
    assert report.tallies["a"]["all"].row()["title"] == 1.0
    assert report.tallies["broken"]["all"].errors == 3
    parts = report.tallies["a"]
    assert len(parts["tuned"].bodies) + len(parts["held-out"].bodies) == 3


def test_eval_metadata_command(tmp_path: Path) -> None:
    data = tmp_path / "gold.jsonl"
    data.write_text("\n".join(json.dumps(record(id=str(i))) for i in range(2)) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", str(data), "--metadata", "--no-progress"])
    assert result.exit_code == 0, result.output
    assert "| cleannews html | all | 2 |" in result.stdout
    assert "| cleannews text | all | 2 |" in result.stdout
    assert "| trafilatura | all | 2 |" in result.stdout
    assert "headings R" in result.stdout
    payload = json.loads(CliRunner().invoke(main, ["eval", str(data), "--metadata", "--json"]).stdout)
    assert payload["systems"]["cleannews html"]["all"]["title"] == 1.0
