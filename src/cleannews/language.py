"""Deterministic, bounded language detection with langdetect.

One detector factory per process, a fixed seed, and a bounded sample of the text: the same input
gives the same answer in any process, and a megabyte page costs no more than a few kilobytes.

langdetect costs a millisecond or more per call, so the cases it cannot get wrong are answered first:

- text in the Greek alphabet is Greek; text in Han characters without kana or hangul is Chinese;
- Latin-script text in which one word in twenty is an English-only function word ("the", "which",
  "were" …) is English; one in which one word in twenty is Polish-only ("się", "przez", "który" …), or
  one in forty with three of Polish's own letters (ą ę ł …), is Polish;
- Cyrillic text with ы or э, none of the letters of the other Cyrillic alphabets (і, ў, ј, қ …) and one
  word in forty a Russian function word is Russian.

Everything else goes to langdetect. On the dev data the shortcuts agree with langdetect wherever
langdetect is right (they are right more often: on blog pages whose longest lines are archive lists,
:func:`detect_lines` reads more of the page before it gives up).
"""

from __future__ import annotations

import re
import threading
from typing import Any

SAMPLE_CHARS = 800
#: langdetect's random trials (it defaults to 7; 3 measured as accurate on the dev data at half the cost)
TRIALS = 3
MIN_CHARS = 20
MIN_PROBABILITY = 0.80

_lock = threading.Lock()
_factory: object | None = None

# langdetect codes that are not plain ISO 639-1
_CODE_MAP = {"zh-cn": "zh", "zh-tw": "zh"}


def _get_factory() -> object:
    global _factory
    with _lock:
        if _factory is None:
            from langdetect import detector_factory

            factory = detector_factory.DetectorFactory()
            factory.langlist, factory.word_lang_prob_map = _load_profiles(detector_factory.PROFILES_DIRECTORY)
            factory.set_seed(0)
            _factory = factory
        return _factory


def _load_profiles(directory: str) -> tuple[list[str], dict[str, list[float]]]:
    """langdetect's profiles, as ``DetectorFactory.load_profile`` reads them, kept sparse.

    langdetect keeps, for each of its 88k n-grams, a list of 55 probabilities (one a language) of which
    two are not zero on average: 62 MB in every process. Here each n-gram keeps a flat list of its
    non-zero entries, language index then probability (about 20 MB), which :func:`_new_detector` reads. The files are read in sorted order (langdetect
    takes the directory's order, which differs between file systems).
    """
    import json
    import os

    languages: list[str] = []
    table: dict[str, list[float]] = {}
    names = sorted(n for n in os.listdir(directory) if not n.startswith("."))
    for index, name in enumerate(names):
        with open(os.path.join(directory, name), encoding="utf-8") as fh:
            profile = json.load(fh)
        languages.append(profile["name"])
        n_words = profile["n_words"]
        for word, count in profile["freq"].items():
            entry = table.setdefault(word, [])
            if 1 <= len(word) <= 3:
                entry += (index, 1.0 * count / n_words[len(word) - 1])
    return languages, table


def _new_detector(factory: object) -> Any:
    """A langdetect detector that reads the sparse probabilities :func:`_get_factory` keeps."""
    global _detector_class
    if _detector_class is None:
        from langdetect.detector import Detector

        class SparseDetector(Detector):  # type: ignore[misc]
            def _update_lang_prob(self, prob: list[float], word: str | None, alpha: float) -> bool:
                # langdetect's own loop, prob[i] *= weight + lang_prob_map[i], with the zeros left out
                # of the table: weight + 0.0 is weight, so every product is the same
                if word is None or word not in self.word_lang_prob_map:
                    return False
                weight = alpha / self.BASE_FREQ
                factors = [weight] * len(prob)
                entries = self.word_lang_prob_map[word]
                for k in range(0, len(entries), 2):
                    factors[int(entries[k])] = weight + entries[k + 1]
                for i, factor in enumerate(factors):
                    prob[i] *= factor
                return True

        _detector_class = SparseDetector
    return _detector_class(factory)


_detector_class: Any = None


_PROSE_END = (".", "!", "?", "。", "！", "？", '"', "”", "»", ")")


def _prose_first(text: str) -> tuple[bool, int]:
    return (text.endswith(_PROSE_END) and " " in text.strip()) or "。" in text, len(text)


def sample(texts: list[str], limit: int = SAMPLE_CHARS) -> str:
    """The longest sentence-like texts first, then the longest others, up to ``limit`` characters.

    Sentences are the most likely prose; on a whole page the longest lines are often a menu or a
    list of countries in one line.
    """
    return _take(sorted(texts, key=_prose_first, reverse=True), limit)


def _take(ordered: list[str], limit: int) -> str:
    picked: list[str] = []
    size = 0
    for text in ordered:
        if size >= limit:
            break
        picked.append(text[: limit - size])
        size += len(picked[-1])
    return "\n".join(picked)


_LETTER = re.compile(r"[^\W\d_]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_GREEK = re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
#: the characters of Chinese, Japanese and Korean writing (written without spaces between words)
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
#: kana and hangul; not U+30FB "・" (katakana middle dot), which Chinese writes between the parts of a
#: foreign name ("埃德温・福乐")
_KANA_HANGUL = re.compile(r"[\u3040-\u30fa\u30fc-\u30ff\u1100-\u11ff\uac00-\ud7af]")
#: English function words that are not (common) words of another Latin-script language
_ENGLISH = frozenset(
    ("the", "and", "of", "that", "with", "this", "from", "which", "their", "are", "have", "been", "were", "would",
     "they", "there", "what", "when", "who", "about", "than", "into", "your", "but", "its", "it's", "our", "had")
)  # fmt: skip
#: Polish function words that are not words of another Latin-script language
_POLISH = frozenset(
    ("się", "że", "jest", "są", "oraz", "przez", "dla", "który", "która", "które", "których", "którzy", "także",
     "już", "będzie", "może", "został", "została", "zostało", "tylko", "jednak", "ponieważ", "gdy", "przed",
     "czy", "również", "jeszcze", "można", "bardzo", "więc", "tego", "tym", "tej", "nawet", "gdzie", "wszystko")
)  # fmt: skip
#: Russian function words (the Cyrillic shortcut also needs ы or э, which Bulgarian, Serbian,
#: Macedonian and Ukrainian do not write)
_RUSSIAN = frozenset(
    ("что", "это", "как", "который", "которые", "которая", "также", "только", "был", "была", "было", "были",
     "его", "для", "или", "уже", "при", "так", "он", "она", "они", "не", "на")
)  # fmt: skip
#: letters of Cyrillic alphabets other than Russian's (Ukrainian, Belarusian, Serbian, Macedonian,
#: Kazakh, Tatar, Mongolian …)
_NOT_RUSSIAN = re.compile("[іїєґўјљњђћџѓќѕәғқңөұүһӏ]", re.IGNORECASE)
#: share of a text's words that must be the language's function words (and at least ``_MIN_HITS``)
_WORD_SHARE = 0.05
_MIN_HITS = 5


#: Polish writes its function words with its own letters (ą ę ł ś ż …): a text with three of them
#: and a smaller share of Polish-only words is Polish
_POLISH_LETTERS = frozenset("ąęłśżźćń")


def _function_words(words: list[str], vocabulary: frozenset[str], share: float = _WORD_SHARE) -> bool:
    hits = sum(map(vocabulary.__contains__, words))
    return hits >= _MIN_HITS and hits >= share * len(words)


def _shortcut(text: str, letters: int) -> str | None:
    """The language when the script or the function words leave no doubt, else None."""
    ascii_only = text.isascii()  # then every letter is Latin (and counting the others is not needed)
    if not ascii_only:
        han = len(_HAN.findall(text))
        if han >= 0.5 * letters:
            return "zh" if _KANA_HANGUL.search(text) is None else None
        if len(_GREEK.findall(text)) >= 0.8 * letters:
            return "el"
    if ascii_only or len(_LATIN.findall(text)) >= 0.9 * letters:
        words = text.lower().split()
        if _function_words(words, _ENGLISH):
            return "en"
        if _function_words(words, _POLISH) or (
            len(_POLISH_LETTERS.intersection(text.lower())) >= 3 and _function_words(words, _POLISH, _WORD_SHARE / 2)
        ):
            return "pl"
        return None
    if (
        len(_CYRILLIC.findall(text)) >= 0.9 * letters
        and ("ы" in text or "э" in text)
        and _NOT_RUSSIAN.search(text) is None
        and _function_words(text.lower().split(), _RUSSIAN, _WORD_SHARE / 2)
    ):
        return "ru"
    return None


#: how much more text than the sample the shortcut may read when the sample leaves it unsure
WIDER = 4


def detect_lines(texts: list[str], limit: int = SAMPLE_CHARS) -> str | None:
    """The language of a document's lines: :func:`detect` on their :func:`sample`.

    When the shortcut is unsure of the sample — on a blog page, say, whose longest "sentences" are
    archive lists ("October (4) September (3) …") — it reads a sample ``WIDER`` times longer before
    langdetect is asked (about the short sample, as :func:`detect` would be)."""
    ordered = sorted(texts, key=_prose_first, reverse=True)
    text = _take(ordered, limit)
    short = text[:SAMPLE_CHARS]
    letters = _letters(short)
    quick = _quick(short, letters)
    if quick is None and len(text) >= limit:
        wide = _take(ordered, WIDER * limit)
        quick = _quick(wide, _letters(wide))
    return quick if quick is not None else _langdetect(short, letters)


def detect(text: str) -> str | None:
    """ISO 639-1 code of ``text``'s language, or None when it is too short or detection is unsure."""
    text = text[:SAMPLE_CHARS]
    letters = _letters(text)
    quick = _quick(text, letters)
    return quick if quick is not None else _langdetect(text, letters)


def _letters(text: str) -> int:
    return len(_LETTER.findall(text))


def _quick(text: str, letters: int) -> str | None:
    """The shortcut's answer for ``text`` of ``letters`` letters (None: too short, or unsure)."""
    return _shortcut(text, letters) if letters >= MIN_CHARS else None


def _langdetect(text: str, letters: int) -> str | None:
    """langdetect's answer for ``text`` of ``letters`` letters (None: too short, or unsure)."""
    if letters < MIN_CHARS:
        return None
    factory = _get_factory()
    try:
        detector = _new_detector(factory)
        detector.n_trial = TRIALS
        detector.append(text)
        candidates = detector.get_probabilities()
    except Exception:  # langdetect raises on text without features
        return None
    if not candidates or candidates[0].prob < MIN_PROBABILITY:
        return None
    code = str(candidates[0].lang)
    return _CODE_MAP.get(code, code)
