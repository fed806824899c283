"""The whole-page text model: features, the shipped weights, decisions on synthetic pages."""

from __future__ import annotations

import json
from importlib import resources

import numpy as np
import pytest

import cleannews
from cleannews.document import Document
from cleannews.pagemodel import features as F
from cleannews.pagemodel import load_model
from cleannews.pagemodel.model import Decoder, Forest, PageModel
from cleannews.pipeline import make_document

ARTICLE = [
    "The city council voted on Tuesday to expand the bus network to three new districts, a plan that "
    "had been debated for more than a year.",
    "The vote was close, with seven members in favour and five against, and the mayor said the first "
    "new routes would open in the spring.",
    "Supporters said the expansion would help thousands of residents who live far from the nearest "
    "station and have no car of their own.",
    "Critics argued that the cost, which the city puts at forty million dollars, should have been spent "
    "on repairing the roads that the buses already use.",
    "The transport department will now draw up timetables and hire about sixty drivers, a process it "
    "expects to take several months.",
    "Residents will be able to comment on the proposed routes at three public meetings, the first of "
    "which is scheduled for next week at the central library.",
]
HEADLINE = "Council approves bus network expansion"
MENU = ["Home", "News", "Sport", "Business", "Culture", "Opinion", "Weather", "Contact", "Log in", "Search"]
FOOTER = [
    "About us",
    "Careers",
    "Privacy Policy",
    "Terms of Use",
    "Cookie settings",
    "© 2025 The Daily Example. All rights reserved.",
]
TEASERS = [
    "More from News",
    "Storm closes schools across the region",
    "Local team wins the championship final",
    "New library opens after two years of work",
]


def whole_page(article: list[str] = ARTICLE, headline: str = HEADLINE) -> str:
    lines = [f"{headline} | The Daily Example", *MENU, headline, "By Jane Smith", *article, *TEASERS, *FOOTER]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------- features


def test_feature_names_are_unique_and_match_the_matrix() -> None:
    assert len(set(F.FEATURES)) == len(F.FEATURES)
    texts = ["Menu", "A sentence of ordinary prose, with the words of a real paragraph in it.", "Home | About"]
    x = F.feature_matrix(texts, [None, None, "navigation"], "en")
    assert x.shape == (3, len(F.FEATURES))
    assert np.isfinite(x).all()


def test_line_features_on_hand_made_lines() -> None:
    texts = [
        "Newsletter",
        "It was the best of times and it was the worst of times, and that is all there is to say about it.",
        "Privacy | Terms | Contact",
        "© 2025 Example Ltd. All rights reserved.",
    ]
    x = F.feature_matrix(texts, [None, None, None, "boilerplate"], "en")
    col = {name: i for i, name in enumerate(F.FEATURES)}
    prose, menu, sep, legal = x[1], x[0], x[2], x[3]
    assert prose[col["stop_density"]] > 0.4 > menu[col["stop_density"]]
    assert prose[col["ends_sentence"]] == 1.0 and menu[col["ends_sentence"]] == 0.0
    assert prose[col["prose"]] == 1.0 and menu[col["prose"]] == 0.0
    assert sep[col["separators"]] > 0
    assert legal[col["copyright"]] == 1.0 and legal[col["label_chrome"]] == 1.0
    # a neighbour's feature is the neighbour's own value
    assert x[2][col["n-1_log_words"]] == pytest.approx(x[1][col["log_words"]])
    assert x[0][col["n-1_log_words"]] == 0.0  # nothing before the first line
    assert menu[col["is_first"]] == 1.0


def test_chinese_lines_use_function_characters() -> None:
    texts = ["首页", "近来韩国娱乐圈的负面新闻不断，先是女主播的视频闹得沸沸扬扬，接着这个节目也被禁播了。"]
    x = F.feature_matrix(texts, [None, None], "zh")
    col = {name: i for i, name in enumerate(F.FEATURES)}
    assert x[1][col["cjk_stop_density"]] > x[0][col["cjk_stop_density"]]
    assert x[1][col["log_words"]] > x[0][col["log_words"]]


def test_sequence_features_shape() -> None:
    x = F.feature_matrix(["a b c", "d e f."], [None, None], "en")
    s = F.sequence_features(np.array([0.5, -1.0]), x)
    assert s.shape == (2, len(F.SEQUENCE))
    assert F.sequence_features(np.zeros(0), x[:0]).shape == (0, len(F.SEQUENCE))


# ---------------------------------------------------------------------------------------- model parts


def test_forest_decision_follows_the_splits() -> None:
    forest = Forest(
        base=0.5,
        split_features=np.array([[0, 1]]),
        thresholds=np.array([[0.0, 10.0]]),
        values=np.array([[1.0, 2.0, 3.0, 4.0]]),
    )
    x = np.array([[-1.0, 5.0], [-1.0, 20.0], [1.0, 5.0], [1.0, 20.0]])
    assert forest.decision(x).tolist() == [1.5, 2.5, 3.5, 4.5]
    assert forest.decision(np.zeros((0, 2))).shape == (0,)


def test_decoder_smooths_runs() -> None:
    p = [0.1, 0.1, 0.9, 0.9, 0.4, 0.9, 0.9, 0.1, 0.1]
    assert Decoder(0.0, 0.0, 0.0)(p) == [x >= 0.5 for x in p]
    smoothed = Decoder(0.0, 2.0, 2.0)(p)
    assert smoothed == [False, False, True, True, True, True, True, False, False]
    assert Decoder()([]) == []


def test_weights_file_loads_and_round_trips() -> None:
    text = (resources.files("cleannews.pagemodel") / "weights.json").read_text(encoding="utf-8")
    data = json.loads(text)
    assert data["features"] == list(F.FEATURES)
    model = load_model()
    assert isinstance(model, PageModel)
    again = PageModel.from_dict(model.to_dict())
    assert again.decoder == model.decoder
    assert np.array_equal(again.stage1.values, model.stage1.values)
    assert len(text) < 1_000_000  # a few hundred KB at most


def test_weights_for_other_features_are_refused() -> None:
    data = load_model().to_dict()
    data["features"] = data["features"][:-1]
    with pytest.raises(ValueError, match="retrain"):
        PageModel.from_dict(data)


# ---------------------------------------------------------------------------------------- on pages


def test_keeps_the_article_and_removes_menu_teasers_and_footer() -> None:
    article = cleannews.clean(whole_page(), format="text")
    assert list(article.paragraphs) == ARTICLE
    assert article.title == HEADLINE
    removed = {r.text: r for r in article.removed}
    for line in MENU[:8] + FOOTER + TEASERS[1:]:
        assert line in removed, line
    by_model = [r for r in article.removed if r.cleaner == "page_model"]
    assert by_model and all(r.reason.startswith("model: p=") for r in by_model)
    assert {r.kind for r in by_model} <= {"navigation", "boilerplate", "teaser"}
    assert removed["Sport"].kind == "navigation"


def test_every_block_is_accounted_for() -> None:
    page = whole_page()
    article = cleannews.clean(page, format="text")
    placed = len(article.paragraphs) + len(article.removed) + len(article.metadata.blocks) + (article.title is not None)
    assert placed == len([line for line in page.split("\n") if line.strip()])


def test_decisions_are_deterministic() -> None:
    page = whole_page()
    first = cleannews.clean(page, format="text").to_dict()
    for _ in range(3):
        assert cleannews.clean(page, format="text").to_dict() == first


@pytest.mark.parametrize(
    "page",
    [
        whole_page(),
        whole_page(ARTICLE[:3], "Three paragraphs about the buses"),
        "\n".join(
            [
                "Sunny days ahead for the city | Example News",
                *MENU,
                "Sunny days ahead for the city",
                *ARTICLE[::-1],
                *FOOTER,
            ]
        ),
    ],
)
def test_cleaning_the_result_again_keeps_title_and_paragraphs(page: str) -> None:
    once = cleannews.clean(page, format="text")
    assert once.title is not None
    twice = cleannews.clean(f"{once.title}\n\n{once.body}", format="text")
    assert twice.title == once.title
    assert twice.paragraphs == once.paragraphs


def test_a_clean_article_is_left_alone() -> None:
    text = HEADLINE + "\n\n" + "\n\n".join(ARTICLE)
    article = cleannews.clean(text, format="text")
    assert article.title == HEADLINE
    assert list(article.paragraphs) == ARTICLE
    assert not [r for r in article.removed if r.cleaner == "page_model"]


def test_html_documents_are_not_touched() -> None:
    from cleannews.cleaners.page_model import PageModel as PageModelCleaner

    doc = Document([], mode="html")
    PageModelCleaner()(doc)  # nothing to do, no error
    html_doc, _ = make_document("<html><body><p>Home</p><p>" + ARTICLE[0] + "</p></body></html>", format="html")
    before = list(html_doc.labels)
    PageModelCleaner()(html_doc)
    assert html_doc.labels == before


def test_option_validation() -> None:
    from cleannews.cleaners.page_model import PageModel as PageModelCleaner

    with pytest.raises(ValueError):
        PageModelCleaner(min_drop_share=2.0)
