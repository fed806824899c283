"""ftfy repairs mojibake and leaves correct text alone; normalisation; deterministic language."""

from __future__ import annotations

import subprocess
import sys

import cleannews
from cleannews.language import detect
from cleannews.normalize import normalize_line, normalize_text

from .conftest import SEEDS


def test_mojibake_is_repaired_and_reported() -> None:
    broken = "The countryâ€™s leader said â€œnoâ€\x9d to the plan â€” again."
    article = cleannews.clean(f"Headline here\n\n{broken}", format="text")
    assert article.paragraphs == ("The country’s leader said “no” to the plan — again.",)
    assert any(f.step == "ftfy" for f in article.fixes)


def test_latin1_mojibake_of_accents() -> None:
    article = cleannews.clean("Le prÃ©sident a dÃ©clarÃ© que la rÃ©forme Ã©tait nÃ©cessaire.", format="text")
    assert article.paragraphs == ("Le président a déclaré que la réforme était nécessaire.",)


def test_seeds_curly_quotes_and_dashes_survive() -> None:
    for seed in SEEDS:
        raw = seed.read_text(encoding="utf-8")
        article = cleannews.clean(raw, format="text")
        assert not [f for f in article.fixes if f.step == "ftfy"], seed.name
        out = " ".join(article.paragraphs)
        for ch in "’“”—–":
            if ch in raw:
                assert out.count(ch) <= raw.count(ch)
        assert out.count("’") + out.count("“") + out.count("—") > 0 or seed.name.startswith("001")


def test_correct_non_latin_text_is_untouched() -> None:
    for text in ("Ελληνικά: «Καλημέρα» — είπε.", "Москва — столица России, «сказал он».", "东京—大阪，“新闻”。", "ﬁne ＡＢＣ"):
        assert normalize_text(text)[0] == text


def test_spaces_normalised() -> None:
    assert normalize_line("a\u00a0\u00a0b \u202fc   ") == "a b c"
    text, fixes = normalize_text("one\u00a0two  \nthree\u200b")
    assert text == "one two\nthree"
    assert {f.step for f in fixes} >= {"spaces", "zero-width"}


def test_nfc() -> None:
    assert normalize_line("cafe\u0301") == "café"


def test_language_detection_is_deterministic_and_bounded() -> None:
    text = "Dies ist ein kurzer deutscher Text über die Politik in Berlin und die Wahlen im Herbst. " * 2000
    assert detect(text) == "de"
    assert detect("ok") is None
    code = (
        "import cleannews.language as l;"
        "print(l.detect('Ceci est un petit texte en français sur la politique et les élections.'))"
    )
    outs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout for _ in range(3)}
    assert outs == {"fr\n"}


def test_article_language_tag() -> None:
    article = cleannews.clean(SEEDS[1].read_text(encoding="utf-8"), format="text")
    assert article.language == "en"
