"""The chain: entry-point registry, config files, errors that say how to fix them, plugins."""

from __future__ import annotations

import re
from importlib.metadata import EntryPoint
from pathlib import Path
from typing import ClassVar

import attrs
import pytest

import cleannews
from cleannews import chain as chain_mod
from cleannews.document import Document

from .conftest import SEEDS

ROOT_SEED = SEEDS[0]


def test_builtins_are_registered_as_entry_points() -> None:
    names = set(chain_mod.available())
    assert set(cleannews.DEFAULT_CLEANERS) <= names
    assert chain_mod.registry()["ads"].group == chain_mod.ENTRY_POINT_GROUP


def test_unknown_cleaner_lists_valid_ones() -> None:
    with pytest.raises(cleannews.UnknownCleanerError) as err:
        cleannews.Chain.from_names(["ads", "no_such_cleaner"])
    assert "no_such_cleaner" in str(err.value) and "teasers" in str(err.value)


def test_unknown_option_is_a_config_error() -> None:
    with pytest.raises(cleannews.ConfigError, match="min_pairs"):
        cleannews.Chain.from_names(["teasers"], {"teasers": {"min_pair": 3}})


def test_config_file_picks_orders_and_tunes(tmp_path: Path) -> None:
    config = tmp_path / "cleannews.toml"
    config.write_text('cleaners = ["ads", "title"]\n[options.title]\nmax_words = 5\n')
    chain = cleannews.Chain.from_config(config)
    assert chain.names == ("ads", "title")
    article = cleannews.clean("A headline of six words here\n\nadvertisement\n\nBody text.", chain=chain)
    assert article.title is None  # six words > max_words 5
    assert [r.kind for r in article.removed] == ["ad"]


def test_pyproject_section(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.cleannews]\ncleaners = ["ads"]\n')
    found = chain_mod.project_config(tmp_path)
    assert found == {"cleaners": ["ads"]}


def test_bad_config_messages(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("cleaners = [")
    with pytest.raises(cleannews.ConfigError, match="not valid TOML"):
        cleannews.Chain.from_config(bad)
    with pytest.raises(cleannews.ConfigError, match="unknown config key"):
        cleannews.Chain.from_config({"cleanerz": []})


def test_bad_user_rules_file(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text('[[rule]]\nid = "x"\ncleaner = "ads"\nkind = "ad"\npattern = "("\n')
    with pytest.raises(cleannews.ConfigError, match="bad pattern"):
        cleannews.Chain.from_names(["ads"], {"ads": {"rules_file": str(rules)}})


def test_user_rules_file_adds_phrases(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text('[[rule]]\nid = "house-ad"\ncleaner = "ads"\nkind = "ad"\nlines = ["buy our mugs"]\n')
    chain = cleannews.Chain.from_names(["ads"], {"ads": {"rules_file": str(rules)}})
    article = cleannews.clean("Body text here.\n\nBuy our mugs!", chain=chain)
    assert [(r.kind, r.reason) for r in article.removed] == [("ad", "rule user/house-ad matched 'Buy our mugs!'")]


@attrs.frozen
class ShoutCleaner:
    """A third-party cleaner: lines in capitals are chrome."""

    name: ClassVar[str] = "shout"

    def __call__(self, doc: Document) -> None:
        for block in list(doc.free()):
            if block.text.isupper():
                doc.label(block.index, "shouting", cleaner=self.name, reason="all capitals")


def test_plugin_registered_through_the_entry_point_group(monkeypatch: pytest.MonkeyPatch) -> None:
    registry = dict(chain_mod.registry())
    registry["shout"] = EntryPoint("shout", f"{__name__}:ShoutCleaner", chain_mod.ENTRY_POINT_GROUP)
    monkeypatch.setattr(chain_mod, "registry", lambda: registry)
    chain = cleannews.Chain.from_names(["shout", "title"])
    article = cleannews.clean("Quiet headline\n\nBUY NOW\n\nThe body.", chain=chain)
    assert article.title == "Quiet headline"
    assert [(r.kind, r.cleaner) for r in article.removed] == [("shouting", "shout")]


def test_a_failing_cleaner_does_not_lose_the_document() -> None:
    class Broken:
        name = "broken"

        def __call__(self, doc: Document) -> None:
            doc.label(0, "ad", cleaner="broken", reason="about to fail")
            raise RuntimeError("boom")

    chain = cleannews.Chain([Broken(), chain_mod.load("title")])
    article = cleannews.clean("Big headline\n\nBody.", chain=chain)
    assert article.title == "Big headline" and article.removed == ()
    assert any("broken" in w and "boom" in w for w in article.warnings)


def test_clean_rejects_bad_format_and_type() -> None:
    with pytest.raises(cleannews.ConfigError, match="format"):
        cleannews.clean("x", format="pdf")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        cleannews.clean(123)  # type: ignore[arg-type]


def test_to_dict_is_the_cli_record_shape() -> None:
    d = cleannews.clean("Big headline\n\nadvertisement\n\nBody.").to_dict()
    assert d["body"] == "Body." and d["removed"][0]["kind"] == "ad" and d["metadata"]["credits"] == []


# --- issue 14, item 11: a wrong config fails when it is loaded, not once per document -----------------


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"teasers": {"min_pairs": "three"}}, "option min_pairs must be a whole number, not 'three' (str)"),
        ({"teasers": {"min_pairs": -1}}, "option min_pairs must be at least 0, not -1 (its default: min_pairs = 2)"),
        ({"teasers": {"min_pairs": True}}, "option min_pairs must be a whole number, not True (bool)"),
        ({"author_bio": {"tail_share": 3}}, "option tail_share is a share, 0 to 1, not 3"),
        ({"comments": {"main_zone": 1}}, "option main_zone must be true or false, not 1 (int)"),
        ({"ads": {"rules_file": 3}}, "option rules_file must be a string, not 3 (int)"),
        ({"page_model": {"min_drop_share": float("nan")}}, "option min_drop_share must be at least 0, not nan"),
    ],
)
def test_wrong_option_types_and_values_are_config_errors_at_load(
    options: dict[str, dict[str, object]], message: str
) -> None:
    with pytest.raises(cleannews.ConfigError, match=re.escape(message)):
        cleannews.Chain.from_names(list(options), options)


def test_right_options_still_load() -> None:
    chain = cleannews.Chain.from_names(
        ["teasers", "author_bio", "comments"],
        {"teasers": {"min_pairs": 3}, "author_bio": {"tail_share": 1}, "comments": {"main_zone": False}},
    )
    assert chain.names == ("teasers", "author_bio", "comments")
    assert cleannews.Chain.from_names(["author_bio"], {"author_bio": {"tail_share": 0}}).cleaners  # an int for a float


def test_a_config_file_with_a_wrong_type_fails_in_the_cli_with_one_line(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from cleannews.cli import main

    config = tmp_path / "c.toml"
    config.write_text('cleaners = ["teasers"]\n[options.teasers]\nmin_pairs = "three"\n')
    result = CliRunner().invoke(main, ["clean", str(ROOT_SEED), "--config", str(config)])
    assert result.exit_code == 2 and result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and "option min_pairs must be a whole number" in result.stderr


def test_a_chain_of_names_is_a_type_error_saying_what_to_call() -> None:
    with pytest.raises(TypeError, match=re.escape("Chain.from_names(['ads', 'nope'])")):
        cleannews.Chain(["ads", "nope"])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="not a string"):
        cleannews.Chain("ads")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="is not one"):
        cleannews.Chain([42])  # type: ignore[list-item]
