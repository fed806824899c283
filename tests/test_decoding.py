"""Bytes to text (decoding.py): BOM, declared charset (checked), detection; then ftfy in the pipeline."""

from __future__ import annotations

import codecs

import pytest

import cleannews
from cleannews.decoding import declared_charset, decode, looks_like_mojibake

FRENCH = (
    "<html><head>{meta}<title>Le café du coin</title></head><body>"
    "<p>Le garçon a mangé une crème brûlée à côté de l’église. Où êtes-vous allés cet été ? "
    "Déjà vu, naïve façade, coïncidence : les élèves étudient le français avec persévérance.</p>"
    "<p>Le maître d’hôtel a commandé un pâté de foie et une bûche de Noël pour les fêtes.</p>"
    "</body></html>"
)
#: the same page in what ISO-8859-1 can hold (no curly apostrophe)
FRENCH_LATIN1 = FRENCH.replace("’", "'")
RUSSIAN = (
    "<html><head>{meta}<title>Новости дня</title></head><body>"
    "<p>Президент России заявил сегодня, что экономика страны продолжает расти несмотря на санкции. "
    "Эксперты считают, что рост будет медленным, но устойчивым.</p>"
    "<p>В Москве прошла встреча министров иностранных дел, на которой обсуждались вопросы торговли.</p>"
    "</body></html>"
)


def page(template: str, charset: str | None) -> str:
    return template.format(meta=f'<meta charset="{charset}">' if charset else "")


def detail(data: bytes) -> str:
    return " ".join(f.detail for f in decode(data)[1])


# ---------------------------------------------------------------- the three pages of the issue


def test_latin1_page_declared() -> None:
    text, fixes = decode(page(FRENCH_LATIN1, "iso-8859-1").encode("latin-1"))
    assert "Le garçon a mangé une crème brûlée" in text
    assert fixes[0].step == "decode" and "declared" in fixes[0].detail


def test_latin1_page_undeclared_is_detected_as_windows_1252() -> None:
    text, fixes = decode(page(FRENCH, None).encode("cp1252"))
    assert "crème brûlée à côté de l’église" in text
    assert fixes[0].detail.startswith("cp1252 (detected")


def test_cp1251_page_declared() -> None:
    text, _ = decode(page(RUSSIAN, "windows-1251").encode("cp1251"))
    assert "Президент России заявил сегодня" in text


def test_cp1251_page_undeclared() -> None:
    text, fixes = decode(page(RUSSIAN, None).encode("cp1251"))
    assert "Президент России заявил сегодня" in text
    assert "detected" in fixes[0].detail


@pytest.mark.parametrize(
    ("template", "codec", "expected"),
    [
        (FRENCH, "cp1252", "Le garçon a mangé une crème brûlée"),
        (FRENCH_LATIN1, "latin-1", "Le garçon a mangé une crème brûlée"),
        (RUSSIAN, "cp1251", "Президент России заявил сегодня"),
        (RUSSIAN, "koi8-r", "Президент России заявил сегодня"),
    ],
)
def test_page_that_declares_utf8_but_is_not(template: str, codec: str, expected: str) -> None:
    text, fixes = decode(page(template, "utf-8").encode(codec))
    assert expected in text
    assert "declared utf-8 did not decode" in fixes[0].detail


def test_cp1251_page_that_declares_latin1_is_not_left_as_mojibake() -> None:
    text, fixes = decode(page(RUSSIAN, "iso-8859-1").encode("cp1251"))
    assert "Президент России" in text
    assert "Ïðåçèäåíò" not in text
    assert "gave mojibake" in fixes[0].detail


@pytest.mark.parametrize(("template", "charset"), [(FRENCH, "iso-8859-1"), (RUSSIAN, "windows-1251")])
def test_utf8_page_with_a_wrong_single_byte_declaration_is_read_as_utf8(template: str, charset: str) -> None:
    source = page(template, charset)
    text, fixes = decode(source.encode("utf-8"))
    assert text == source
    assert "valid UTF-8" in fixes[0].detail


# ---------------------------------------------------------------- the rest of the order


@pytest.mark.parametrize("codec", ["utf-8", "utf-16-le", "utf-16-be", "utf-32-le"])
def test_byte_order_mark_wins(codec: str) -> None:
    boms = {
        "utf-8": codecs.BOM_UTF8,
        "utf-16-le": codecs.BOM_UTF16_LE,
        "utf-16-be": codecs.BOM_UTF16_BE,
        "utf-32-le": codecs.BOM_UTF32_LE,
    }
    source = page(FRENCH, "iso-8859-1")  # the BOM outranks the declaration
    text, fixes = decode(boms[codec] + source.encode(codec))
    assert text == source
    assert "byte-order mark" in fixes[0].detail


def test_browser_label_mapping_latin1_means_windows_1252() -> None:
    # 0x92 is a curly apostrophe in windows-1252 and a C1 control in ISO-8859-1
    text, fixes = decode(page(FRENCH, "iso-8859-1").encode("cp1252"))
    assert "l’église" in text
    assert "\x92" not in text
    assert fixes[0].detail == "cp1252 (declared iso8859-1)"


@pytest.mark.parametrize(
    ("charset", "codec", "words"),
    [("gb2312", "gbk", "中华人民共和国"), ("shift_jis", "cp932", "日本の首相"), ("euc-kr", "cp949", "대한민국")],
)
def test_cjk_declarations(charset: str, codec: str, words: str) -> None:
    data = f'<html><head><meta charset="{charset}"></head><body><p>{words}</p></body></html>'
    text, _ = decode(data.encode(codec))
    assert words in text


def test_declared_charset_forms() -> None:
    assert declared_charset(b'<meta charset="windows-1251">') == "cp1251"
    assert declared_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">') == "iso8859-1"
    assert declared_charset(b'<?xml version="1.0" encoding="utf-8"?>') == "utf-8"
    assert declared_charset(b'<meta charset="no-such-charset">') is None
    assert declared_charset(b"<p>nothing declared</p>") is None


def test_undecodable_bytes_never_raise() -> None:
    text, fixes = decode(bytes(range(256)) * 4)
    assert isinstance(text, str)
    assert fixes and fixes[0].step == "decode"


def test_empty_and_ascii() -> None:
    assert decode(b"")[0] == ""
    text, fixes = decode(b"<p>plain ascii</p>")
    assert text == "<p>plain ascii</p>"
    assert fixes[0].detail == "utf-8 (valid)"


def test_mojibake_screen() -> None:
    assert looks_like_mojibake("Ïðåçèäåíò Ðîññèè çàÿâèë ñåãîäíÿ, ÷òî ýêîíîìèêà ñòðàíû")
    assert not looks_like_mojibake("Le garçon a mangé une crème brûlée à côté de l’église.")
    assert not looks_like_mojibake("Президент России заявил сегодня, что экономика растёт.")


# ---------------------------------------------------------------- through clean()


def test_clean_bytes_html_in_cp1251() -> None:
    article = cleannews.clean(page(RUSSIAN, None).encode("cp1251"), format="html")
    assert "Президент России заявил сегодня" in article.body
    assert any(f.step == "decode" and "cp1251" in f.detail for f in article.fixes)


def test_ftfy_repairs_mojibake_left_inside_the_text() -> None:
    # UTF-8 text that was once read as windows-1252 and saved again: the bytes are valid UTF-8
    broken = page(FRENCH, "utf-8").replace("crème brûlée", "crème brûlée".encode().decode("cp1252"))
    article = cleannews.clean(broken.encode("utf-8"), format="html")
    assert "crème brûlée" in article.body
    assert any(f.step == "ftfy" for f in article.fixes)


def test_a_given_charset_decides_when_it_fits_the_bytes() -> None:
    # a plain-text page in cp1251 with no declaration of its own: detection alone may guess wrong on
    # short text; the charset the caller knows (an HTTP header) is used
    text = "Президент подписал закон о бюджете на следующий год."
    data = text.encode("cp1251")
    decoded, fixes = decode(data, "windows-1251")
    assert decoded == text
    assert fixes[0].detail == "cp1251 (given)"
    article = cleannews.clean(data, format="text", charset="windows-1251")
    assert article.body == text
    assert article.fixes[0].detail == "cp1251 (given)"


def test_a_given_charset_that_does_not_fit_gives_way_and_says_so() -> None:
    text = "Le président a signé la loi de finances pour l’année prochaine, à l’Élysée."
    data = text.encode("utf-8")  # valid UTF-8: a single-byte charset must not win over it
    decoded, fixes = decode(data, "iso-8859-1")
    assert decoded == text
    assert fixes[0].detail == "the given charset 'iso-8859-1' does not fit the bytes"
    assert fixes[1].detail.startswith("utf-8")
    # bytes the given codec cannot decode at all
    decoded, fixes = decode("日本語のテキスト".encode(), "ascii")
    assert decoded == "日本語のテキスト" and "does not fit" in fixes[0].detail


def test_charset_mistakes_are_config_errors() -> None:
    with pytest.raises(cleannews.ConfigError, match="unknown charset 'latin-9000'"):
        cleannews.clean(b"text", charset="latin-9000")
    with pytest.raises(cleannews.ConfigError, match="applies to bytes"):
        cleannews.clean("already text", charset="utf-8")


@pytest.mark.parametrize(
    "data",
    [bytes(range(256)) * 20, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" * 5],
    ids=["random-bytes", "pdf"],
)
def test_binary_data_gives_a_warning_and_no_article(data: bytes) -> None:
    """Binary data given to clean() is not cleaned into noise paragraphs: a warning says what it is and
    every line of it is in ``removed`` (kind ``binary``), so nothing is lost."""
    article = cleannews.clean(data)
    assert article.paragraphs == () and article.title is None and article.comments == ()
    assert any("binary data" in w for w in article.warnings)
    assert article.removed and {r.kind for r in article.removed} == {"binary"}
    assert cleannews.clean(data, format="html").paragraphs == ()


# ---------------------------------------------------------------- issue 14, items 5, 7 and 8


STRAY_BYTE = b"It\xe2\x80\x99s a story \xe2\x80\x94 the council said. Caf\xe9 owners agreed."


def test_mostly_valid_utf8_is_utf8_with_the_bad_bytes_replaced_and_counted() -> None:
    """One stray Latin-1 byte in a UTF-8 document garbled all of it (read as mac-latin2: 'It‚Äôs'),
    silently; files and clean(bytes) now read it as the JSONL path does (item 5)."""
    article = cleannews.clean(STRAY_BYTE)
    assert article.body == "It’s a story — the council said. Caf\ufffd owners agreed."
    assert [f.detail for f in article.fixes] == ["utf-8 (mostly valid)", "1 invalid UTF-8 byte replaced with U+FFFD"]
    assert article.warnings == ("1 invalid UTF-8 byte replaced with U+FFFD",)
    page_text = page(FRENCH, "utf-8")
    page_bytes = page_text.encode("utf-8").replace("é".encode(), b"\xe9", 1)  # one é in Latin-1
    text, fixes = decode(page_bytes)
    assert text == page_text.replace("é", "\ufffd", 1) and "1 invalid UTF-8 byte" in fixes[1].detail
    # a text in a legacy charset is not "mostly UTF-8"; a valid UTF-8 sequence by chance does not change that
    assert detail("Le garçon a mangé à côté; Â\xa0voilà".encode("cp1252")).startswith("cp1252")
    assert not detail(page(RUSSIAN, None).encode("cp1251")).startswith("utf-8")


def test_utf16_without_a_byte_order_mark_is_text(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """UTF-16 without a BOM was rejected as binary data when it was not Latin text (its bytes are 'control
    characters'), and `explain` read Cyrillic UTF-16 as UTF-8 (all its bytes are below 0x80) (item 7)."""
    from click.testing import CliRunner

    from cleannews.binary import binary_reason
    from cleannews.cli import main

    russian = "Президент подписал закон о бюджете\n\nГородской совет во вторник утвердил бюджет на следующий год.\n"
    greek = "Ελληνικά νέα\n\nΗ κυβέρνηση ανακοίνωσε σήμερα νέα μέτρα για την οικονομία της χώρας.\n"
    for text, codec in (
        (russian, "utf-16-le"),
        (greek, "utf-16-be"),
        ("Council meets\n\nThe council met.\n", "utf-16-le"),
    ):
        data = text.encode(codec)
        assert binary_reason(data) is None
        assert decode(data) == (text, [cleannews.Fix("decode", f"{codec} (no byte-order mark; told by its NUL bytes)")])
    path = tmp_path / "ru.txt"
    path.write_bytes(russian.encode("utf-16-le"))
    cleaned = CliRunner().invoke(main, ["clean", str(path), "--to", "txt", "-q"])
    assert cleaned.exit_code == 0 and "Городской совет во вторник" in cleaned.stdout
    explained = CliRunner().invoke(main, ["explain", str(path), "--width", "200"])
    assert "Городской совет во вторник" in explained.stdout and "utf-16-le" in explained.stdout
    assert binary_reason(bytes(range(256)) * 20) is not None and binary_reason(bytes(2000)) is not None


def test_lone_surrogates_are_replaced_so_the_output_serialises() -> None:
    """clean('a \\ud800 b') gave an article orjson cannot write (item 8); a pair of surrogates is the
    character it encodes."""
    import orjson

    article = cleannews.clean("The council voted \ud800 on Tuesday \ud83d\ude00.")
    assert article.body == "The council voted \ufffd on Tuesday 😀."
    assert article.warnings == ("1 lone surrogate replaced with U+FFFD",)
    orjson.dumps(article.to_dict())
    html = cleannews.clean(
        "<html><body><p>The council voted \udfff on Tuesday to approve the budget.</p></body></html>"
    )
    assert "\ufffd" in html.body and html.warnings == ("1 lone surrogate replaced with U+FFFD",)
    orjson.dumps(html.to_dict())
