from __future__ import annotations

import pytest

from .shared import HTML_ROWS, TEXT_ROWS, by_id, cli_records


@pytest.fixture(scope="session")
def cli_articles(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The CLI's article JSON for every test document, by id: what every engine must give, byte for byte."""
    return by_id(cli_records(tmp_path_factory.mktemp("cli"), TEXT_ROWS + HTML_ROWS))
