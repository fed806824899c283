"""Comment header lines: the date or time a line prints ("May 3, 2012 at 8:06 pm", "2 hours ago") and the
author and time a header line names ("Jane on May 3, 2012 at 8:06 pm said:", "Colm November 1, 2012 at 8:29 am").
"""

from __future__ import annotations

import re

from ..dates import MONTH_STRINGS, find_date
from ..rulebook import LOWERED_TRAPS, Rule
from ..rulescan import triggers

#: lower-case words that a title has and a name has not ("Swords at Sunset")
_TITLE_WORDS = frozenset(("the", "of", "at", "to", "in", "for", "and", "on", "with", "is", "are", "was", "my", "your",
                          "how", "what", "why", "a", "an"))  # fmt: skip

# ---------------------------------------------------------------- times
_RELATIVE = r"(?:(?:about|over|almost)\s+)?(?:\d+|an?|one|two|few)\s+(?:sec(?:ond)?s?|min(?:ute)?s?|hours?|hrs?|days?|weeks?|months?|years?)\s+ago"
_CLOCK = (
    r"(?:\d{1,2}:[0-5]\d(?::[0-5]\d)?\s*(?:[ap]\.?m\.?)?|\d{1,2}\.[0-5]\d\s*[ap]\.?m\.?|\d{1,2}\s*[ap]\.?m\.?)"
    r"(?:\s*[a-z]{2,4}\b)?"
)
_MONTHS = "|".join(MONTH_STRINGS)  # ("sep" spells "sept" too: [a-z]* follows)
_MON = rf"(?:{_MONTHS})[a-z]*\.?"

# what the alternatives of ``_EXTRA_TIMES`` need the lower-cased text of a line to hold (a bit each)
_AGO, _YESTERDAY, _TODAY, _JUST_NOW, _MONTH, _CLOCKED, _DOT, _SLASH = (1 << k for k in range(8))


def _time_marks(low: str) -> int:
    """What ``low`` holds of the strings the ``_EXTRA_TIMES`` alternatives need (``_CLOCKED``: what every
    match of ``_CLOCK`` holds, ":" or "am"/"pm" with a dot between or not)."""
    marks = _AGO if "ago" in low else 0
    if "yesterday" in low:
        marks |= _YESTERDAY
    if "today" in low:
        marks |= _TODAY
    if "just now" in low:
        marks |= _JUST_NOW
    if any(month in low for month in MONTH_STRINGS):
        marks |= _MONTH
    if ":" in low or "am" in low or "pm" in low or "a.m" in low or "p.m" in low:
        marks |= _CLOCKED
    if "." in low:
        marks |= _DOT
    if "/" in low:
        marks |= _SLASH
    return marks


#: the alternatives of ``_EXTRA_TIMES``, in order, each with the marks (:func:`_time_marks`) of every
#: line it matches
_TIME_ALTERNATIVES = (
    (_RELATIVE, _AGO),
    ("yesterday", _YESTERDAY),
    ("today", _TODAY),
    ("just now", _JUST_NOW),
    (
        r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?"
        + _MON
        + r"\s+\d{1,2}(?:st|nd|rd|th)?,?\s*(?:@|at|,)?\s*"
        + _CLOCK,
        _MONTH | _CLOCKED,
    ),
    (_MON + r"\s+\d{1,2}(?:st|nd|rd|th)\b", _MONTH),
    (r"\d{1,2}\.?\s+" + _MON + r",?\s+\d{4}(?:\s*(?:at|,|@)?\s*" + _CLOCK + r")?", _MONTH),
    (r"\d{1,2}\.\d{1,2}\.\d{2,4}\s*(?:at|,|@)?\s*" + _CLOCK, _DOT | _CLOCKED),
    (r"\d{1,2}/\d{1,2}/\d{2}(?:\s*(?:at|,|@)?\s*" + _CLOCK + r")?", _SLASH),
    (r"(?:at\s+)?" + _CLOCK, _CLOCKED),
)


def _times_source(alternatives: list[str]) -> str:
    return r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)"


_EXTRA_TIMES = re.compile(_times_source([alternative for alternative, _ in _TIME_ALTERNATIVES]), re.I)
#: ``_EXTRA_TIMES`` with only the alternatives that a line with the marks may match (None: none may),
#: for an ASCII line lower-cased (True) or another line
_TIME_PATTERNS: dict[tuple[int, bool], re.Pattern[str] | None] = {}


def _search_times(text: str) -> re.Match[str] | None:
    """``_EXTRA_TIMES.search(text)``, with only the alternatives that the strings ``text`` holds let match
    (the whole pattern tries each of them at each word: microseconds a line). An ASCII line is searched
    lower-cased, without IGNORECASE: the same matches, faster."""
    low = text.lower()
    ascii_text = text.isascii()
    if not ascii_text and any(trap in low for trap in LOWERED_TRAPS):
        return _EXTRA_TIMES.search(text)  # lower-casing is not case folding here ("ſ" for the "s" of "sep")
    marks = _time_marks(low)
    try:
        pattern = _TIME_PATTERNS[marks, ascii_text]
    except KeyError:
        chosen = [alternative for alternative, needs in _TIME_ALTERNATIVES if needs & marks == needs]
        pattern = re.compile(_times_source(chosen), 0 if ascii_text else re.I) if chosen else None
        _TIME_PATTERNS[marks, ascii_text] = pattern
    if pattern is None:
        return None
    return pattern.search(low if ascii_text else text)


_CLOCK_AFTER = re.compile(r"(?:\s*(?:,|at|@|-|–|\|)){1,3}\s*" + _CLOCK, re.I)
_WEEKDAY_BEFORE = re.compile(r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|mon|tue|wed|thu|fri|sat|sun),?\s*$", re.I)
#: what may stand beside a time on a line that is only a time
_TIME_FILLER = re.compile(
    r"\b(?:at|on|posted|updated|edited|permalink|link|reply|said|utc|gmt|report|abuse|rate|up|down|like|share|"
    r"flag|quote|delete|edit|actions|(?:link )?(?:to )?this comment|\d{1,3})\b|[+-]\d{1,2}\b|[#|,:()\[\]@•·–—-]",
    re.I,
)


#: a line without any of these holds no date or time (a cheap test before the real ones)
#: the digit shapes among them ("6:46", "3 pm")
DIGIT_TIMES = r"\d(?:[:./]\d|\s*[ap]\.?m\b)"
_TIME_HINT = re.compile(
    DIGIT_TIMES + rf"|\bago\b|yesterday|today|just now|\b(?:{_MONTHS})[a-z]*\.?,?\s+\d|\d\.?\s+(?:{_MONTHS})", re.I
)


_DIGIT = re.compile(r"\d")
_WORD_TIME_STRINGS = ("ago", "yesterday", "today", "just now")
_WORD_TIMES = re.compile("|".join(_WORD_TIME_STRINGS))


# ``_TIME_HINT`` without IGNORECASE, for the lower-cased text of an ASCII line (the same matches:
# lower-casing ASCII changes only A-Z), which it searches two to three times faster
_TIME_HINT_ASCII = re.compile(_TIME_HINT.pattern)
_AT_START = re.compile(r"^at\s+", re.I)


def may_have_time(text: str) -> bool:
    """False when ``text`` surely holds no date or time (cheap: most lines fail the first test)."""
    if _DIGIT.search(text) is None:
        return _WORD_TIMES.search(text.lower()) is not None
    if text.isascii():
        return _TIME_HINT_ASCII.search(text.lower()) is not None
    return _TIME_HINT.search(text) is not None


def find_time(text: str, *, hinted: bool = False) -> str | None:
    """The date and/or time printed in ``text`` ("May 3, 2012 at 8:06 pm", "6:46 AM", "2 hours ago").

    ``hinted``: :func:`may_have_time` is known to be true for ``text``.
    """
    if not hinted and not may_have_time(text):
        return None
    found = find_date(text)
    if found is not None:
        start, end = found[1]
        clock = _CLOCK_AFTER.match(text, end)
        if clock is not None:
            end = clock.end()
        weekday = _WEEKDAY_BEFORE.search(text[:start])
        if weekday:
            start = weekday.start()
        return text[start:end].strip(" ,|") or None
    match = _search_times(text)
    if match is None:
        return None
    value = text[match.start() : match.end()].strip(" ,|")
    return _AT_START.sub("", value) or None


def _time_span(text: str, *, hinted: bool = False) -> tuple[int, int] | None:
    value = find_time(text, hinted=hinted)
    if value is None:
        return None
    start = text.find(value)
    return (start, start + len(value)) if start >= 0 else None


# ---------------------------------------------------------------- headers
_NOT_AUTHOR = re.compile(
    r"^(?:he|she|they|i|you|we|it|who|which|that|this|there|someone|somebody|everyone|everybody|and|but|"
    r"so|then|as|the|a|an|my|his|her|their|our|your|what|when|where|why|how|if|also|article|post|author|"
    r"comment|comments|reply|report|posted|updated|published|by|on|at|in)\b",
    re.I,
)
#: ``_NOT_AUTHOR`` for the lower-cased text of an ASCII line (the same matches, two to three times faster)
_NOT_AUTHOR_ASCII = re.compile(_NOT_AUTHOR.pattern)


def _not_author(text: str) -> bool:
    """Whether ``text`` starts with a word no author's name starts with (``_NOT_AUTHOR``)."""
    if text.isascii():
        return _NOT_AUTHOR_ASCII.match(text.lower()) is not None
    return _NOT_AUTHOR.match(text) is not None


_NUMBERING = re.compile(r"^\s*(?:[#(]?\d+[.):]?\s+|[+*•·-]\s+)")
_EDGE_SEPS = re.compile(r"^[\s|/,•·:–—-]+|[\s|/,•·:–—#-]+$")
_TRAILING_WORDS = re.compile(
    r"(?:\s+(?:on|at|said|says|wrote|published|posted|updated|\||permalink|reply|link|#|-|–|—))+\s*$", re.I
)
_LEADING_WORDS = re.compile(r"^\s*(?:(?:on|at|by|posted|updated|\||-|–|—)\s+)+", re.I)


_COUNT_AFTER = re.compile(r"\s*\(\d+\)$")  # a count in brackets after a name ("Jane (12)")


def _clean_author(value: str) -> str | None:
    value = _EDGE_SEPS.sub("", _TRAILING_WORDS.sub("", _NUMBERING.sub("", value))).strip()
    value = _COUNT_AFTER.sub("", value).strip()
    if not value or len(value) > 60 or len(value.split()) > 7 or value.count("|") > 1:
        return None
    if _not_author(value) or (value.endswith((".", "!", "?")) and len(value.split()) > 2):
        return None
    if not any(ch.isalpha() for ch in value):
        return None
    return value


def _split_author_time(value: str) -> tuple[str | None, str | None]:
    """Author and time of "Beth on August 22, 2012 at 6:29 pm" -> ("Beth", "August 22, 2012 at 6:29 pm")."""
    span = _time_span(value)
    if span is None:
        return _clean_author(value), None
    before, after = value[: span[0]], value[span[1] :]
    author = _clean_author(before) or _clean_author(_LEADING_WORDS.sub("", after))
    return author, value[span[0] : span[1]]


def _is_time_or_empty(value: str | None) -> bool:
    if not value or not value.strip(" |,-–—#"):
        return True
    span = _time_span(value)
    if span is None:
        return False
    rest = _TIME_FILLER.sub(" ", value[: span[0]] + " " + value[span[1] :])
    return not rest.split()


def _rule_header(rule: Rule, text: str) -> tuple[str | None, str | None] | None:
    assert rule.pattern is not None
    match = rule.pattern.search(text)
    if match is None:
        return None
    groups = match.groupdict()
    if not (_is_time_or_empty(groups.get("pre")) and _is_time_or_empty(groups.get("post"))):
        return None
    author_raw = groups.get("author") or ""
    if rule.kind == "comment":  # a whole comment in one line: no author to read
        return None, find_time(text)
    author, time = _split_author_time(author_raw)
    if author is None:
        return None
    given = groups.get("time")
    given_time = find_time(given) if given is not None else None
    if given is not None and given_time is None:
        return None  # "posted by X on <not a time>" is prose
    if time is None:
        time = given_time
    for extra in (groups.get("pre"), groups.get("post")):
        if time is None and extra:
            time = find_time(extra)
    return author, time


#: a line that counts comments is the article's meta line, not a comment's header
_COUNTS_COMMENTS = re.compile(r"\b(?:\d+|no|one)\s+(?:comments?|responses?|replies)\b|\bcomments\b", re.I)
#: the words one of which every match of ``_COUNTS_COMMENTS`` holds (lower case), read off the pattern
_COUNT_WORDS = tuple(sorted(triggers(_COUNTS_COMMENTS) or ("",)))


def _counts_comments(text: str) -> bool:
    """Whether ``_COUNTS_COMMENTS`` finds something in ``text`` (its search costs a few microseconds
    a line; most lines hold none of the words it needs, which is cheap to see in the lower-cased text)."""
    low = text.lower()
    folds = low.isascii() or not any(trap in low for trap in LOWERED_TRAPS)
    if folds and not any(word in low for word in _COUNT_WORDS):
        return False
    return _COUNTS_COMMENTS.search(text) is not None


def _name_date(text: str, *, hinted: bool = False) -> tuple[str | None, str] | None:
    """A name beside a date ("Colm November 1, 2012 at 8:29 am"); (None, time) for a bare date line.

    ``hinted``: :func:`may_have_time` is known to be true for ``text``.
    """
    if len(text) > 120 or _counts_comments(text):
        return None
    span = _time_span(text, hinted=hinted)
    if span is None:
        return None
    time = text[span[0] : span[1]]
    before = _NUMBERING.sub("", text[: span[0]])
    before = _EDGE_SEPS.sub("", _TRAILING_WORDS.sub("", " " + before)).strip()
    before = _EDGE_SEPS.sub("", _LEADING_WORDS.sub("", before + " ")).strip()
    after = _TIME_FILLER.sub(" ", text[span[1] :]).strip()
    after_words = after.split()
    if not before and not after_words:
        return None, time
    if before and not after_words:
        author = _clean_author(before)
    elif not before and 1 <= len(after_words) <= 5:
        author = _clean_author(_LEADING_WORDS.sub("", text[span[1] :]))
    else:
        return None
    if author is None or len(author.split()) > 5 or any(w in _TITLE_WORDS for w in author.split()):
        return None  # "Swords at Sunset Oct 30, 2012" is a dated title
    return author, time
