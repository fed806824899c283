"""What the README promises about the library is what the library does."""

from __future__ import annotations

import subprocess

import cleannews

from .conftest import ROOT


def test_readme_library_example() -> None:
    text = (ROOT / "seeds" / "002_10c24450e8870a78.txt").read_text(encoding="utf-8")
    article = cleannews.clean(text)
    assert article.title == "Russian Security Council Secretary Shoigu Meets With Kim Jong-Un"
    assert (article.metadata.published, article.metadata.source) == ("2025-06-04T09:21", "EFE")
    assert article.metadata.sources["source"] == "line 14 (metadata_lines)"
    assert article.markdown().startswith("# Russian Security Council Secretary Shoigu Meets With Kim Jong-Un\n")
    assert [(r.kind, r.cleaner, r.reason) for r in article.removed] == [
        ("related", "related", "rule en/related-label matched 'RELATED:'"),
        ("related", "related", "headline after the related label 'RELATED:'"),
    ]


def test_readme_has_exactly_the_two_setup_commands_ci_reads() -> None:
    script = ROOT / ".ci" / "run"
    awk = subprocess.run(
        ["bash", "-c", f"source <(sed -n '/^readme_command()/,/^}}/p' {script}); cd {ROOT}; "
         "readme_command main-command; echo ---; readme_command test-command"],
        capture_output=True, text=True, check=True,
    ).stdout.split("---\n")  # fmt: skip
    main, test = (part.strip() for part in awk)
    assert main.endswith("cleannews clean seeds/ --to txt") and "pip install ." in main
    assert test.endswith("python -m pytest") and 'pip install -e ".[dev]"' in test
