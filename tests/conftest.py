from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))

# Hypothesis profiles (docs/reliability.md):
# - "ci", the default: derandomised (each test's examples follow from its own code) and no example
#   database, so the README's test command gives the same result on every run and every machine;
# - "seeded": what `pytest --hypothesis-seed=N` runs (the seed decides; without this profile the
#   derandomised "ci" would ignore it);
# - "fuzz": the long local run, `pytest tests/test_properties.py --hypothesis-profile=fuzz`: random
#   examples, 100 times as many (over 10,000 per property); failures are printed with the
#   @reproduce_failure blob and kept in the local .hypothesis/ database (git-ignored) to be replayed.
_COMMON = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow], "print_blob": True}
settings.register_profile("ci", derandomize=True, database=None, max_examples=100, **_COMMON)
settings.register_profile("seeded", derandomize=False, database=None, max_examples=100, **_COMMON)
settings.register_profile("fuzz", derandomize=False, max_examples=10_000, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("hypothesis_seed", None) is not None and not config.getoption("hypothesis_profile", None):
        settings.load_profile("seeded")


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT
