"""The five seeds cleaned to their hand-made goldens (tests/golden/FORMAT.md), exactly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import cleannews

from .conftest import ROOT, SEEDS

GOLDEN = ROOT / "tests" / "golden"


def test_every_seed_has_a_golden() -> None:
    assert len(SEEDS) == 5
    assert all((GOLDEN / f"{s.stem}.json").is_file() for s in SEEDS)


@pytest.mark.parametrize("seed", SEEDS, ids=[s.stem for s in SEEDS])
def test_seed_matches_golden(seed: Path) -> None:
    golden = json.loads((GOLDEN / f"{seed.stem}.json").read_text(encoding="utf-8"))
    article = cleannews.clean(seed.read_text(encoding="utf-8"), format="text")
    assert article.title == golden["title"]
    assert list(article.paragraphs) == golden["paragraphs"]
    assert [c.to_dict() for c in article.comments] == golden["comments"]
    got_meta = article.metadata.to_dict()
    assert {k: got_meta[k] for k in golden["metadata"]} == golden["metadata"]
    assert [r.kind for r in article.removed] == golden["removed"]
    assert article.warnings == ()
