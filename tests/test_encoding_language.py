"""ftfy repairs mojibake and leaves correct text alone; normalisation; deterministic language."""

from __future__ import annotations

import subprocess
import sys

import pytest

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
    for text in (
        "Ελληνικά: «Καλημέρα» — είπε.",
        "Москва — столица России, «сказал он».",
        "东京—大阪，“新闻”。",
        "ﬁne ＡＢＣ",
    ):
        assert normalize_text(text)[0] == text


def test_spaces_normalised() -> None:
    assert normalize_line("a\u00a0\u00a0b \u202fc   ") == "a b c"
    text, fixes = normalize_text("one\u00a0two  \nthree\u200b")
    assert text == "one two\nthree"
    assert {f.step for f in fixes} >= {"spaces", "zero-width"}


def test_control_characters_are_removed_and_reported() -> None:
    """C0 controls are never article text; left in, a cleaned text could read as binary data when it is
    cleaned again (hypothesis found "0\\x1f0" lines doing so once the chrome around them was gone)."""
    text, fixes = normalize_text("Mayor resigns\n0\x1f0 \x07bell\x7f\nlast line")
    assert text == "Mayor resigns\n00 bell\nlast line"
    assert [f.detail for f in fixes if f.step == "control"] == ["3 control character(s) removed"]
    assert normalize_text("Ordinary text, “quoted”, été, 東京.\nSecond line")[1] == []


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


def test_shortcuts_answer_without_langdetect(monkeypatch: pytest.MonkeyPatch) -> None:
    """Russian, Polish and English text that leaves no doubt is answered by the shortcut; text in the
    other Cyrillic alphabets, or Czech, still goes to langdetect."""
    from cleannews import language

    asked: list[str] = []
    real = language._langdetect
    monkeypatch.setattr(language, "_langdetect", lambda text, letters: asked.append(text) or real(text, letters))
    russian = "Это был первый снег в городе, и он выпал уже в ноябре. Дети были рады, что школы закрыты. " * 3
    polish = (
        "To był pierwszy śnieg w mieście, który spadł już w listopadzie. Dzieci są zadowolone, że szkoły są zamknięte. "
        * 3
    )
    assert detect(russian) == "ru"
    assert detect(polish) == "pl"
    assert not asked
    ukrainian = "Це був перший сніг у місті, і він випав уже в листопаді. Діти були раді, що школи зачинені. " * 3
    assert detect(ukrainian) != "ru" and asked
    asked.clear()
    czech = "To byl první sníh ve městě, který napadl už v listopadu. Děti jsou rády, že školy jsou zavřené. " * 3
    assert detect(czech) != "pl" and asked


def test_chinese_with_a_katakana_middle_dot_is_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chinese writes "・" (U+30FB, in the katakana block) between the parts of a foreign name; it is no
    sign of Japanese, so the Han shortcut still answers (langdetect had left 4 such dev pages untagged)."""
    from cleannews import language

    asked: list[str] = []
    monkeypatch.setattr(language, "_langdetect", lambda text, letters: asked.append(text) or None)
    chinese = "传统基金会主席埃德温・福乐表示，造成这种下降的原因主要是由于全球范围内政府开支的增加。" * 3
    assert detect(chinese) == "zh"
    assert not asked
    japanese = "東京都の小池百合子知事は、新しい計画について記者会見で説明しました。" * 3
    assert detect(japanese) != "zh" and asked


def test_a_page_whose_longest_lines_are_lists_is_read_wider(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sample is the longest sentence-like lines; on a blog it may be archive lists with no function
    words. The shortcut then reads more of the page (and langdetect is not asked)."""
    from cleannews import language

    asked: list[str] = []
    real = language._langdetect
    monkeypatch.setattr(language, "_langdetect", lambda text, letters: asked.append(text) or real(text, letters))
    archive = [
        ("Archives October (4) September (3) August (1) July (1) June (2) May (1) April (2) March (7) " * 3).strip()
    ] * 3
    prose = ["The council said that the new bridge would be open to walkers and cyclists by the end of the year."] * 12
    assert language.sample(archive + prose).startswith("Archives")
    assert language.detect_lines(archive + prose) == "en"
    assert not asked


def test_sparse_profiles_give_langdetects_own_answers() -> None:
    """The detector over the sparse profiles computes what langdetect's own detector computes (the
    languages' order differs, so sums may differ in the last bits)."""
    from langdetect import detector_factory

    from cleannews import language

    own = detector_factory.DetectorFactory()
    own.load_profile(detector_factory.PROFILES_DIRECTORY)
    own.set_seed(0)
    texts = [
        "Dies ist ein kurzer deutscher Text über die Politik in Berlin und die Wahlen im Herbst.",
        "Ceci est un petit texte en français sur la politique et les élections.",
        "Questo è un breve testo italiano sulla politica a Roma e sulle elezioni in autunno.",
        "Dit is een korte Nederlandse tekst over de politiek in Den Haag en de verkiezingen.",
    ]
    for text in texts:
        theirs = own.create()
        ours = language._new_detector(language._get_factory())
        for detector in (theirs, ours):
            detector.n_trial = language.TRIALS
            detector.append(text)
        a, b = theirs.get_probabilities(), ours.get_probabilities()
        assert [c.lang for c in a] == [c.lang for c in b]
        assert all(abs(x.prob - y.prob) < 1e-9 for x, y in zip(a, b, strict=True))
