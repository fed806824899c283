"""Values as the metadata wants them: writers' names one by one, ISO 8601 dates, clean short strings."""

from __future__ import annotations

import html
import re
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

from ..dates import find_date
from ..normalize import normalize_line

_WS = re.compile(r"\s+")


def clean_text(value: object, limit: int = 1000) -> str | None:
    """A one-line string (HTML entities that were escaped twice decoded, white space collapsed,
    normalised), or None for empty or overlong values."""
    if value is None or isinstance(value, bool | dict | list):
        return None
    text = str(value)
    if "&" in text and ";" in text:
        text = html.unescape(text)
    text = normalize_line(_WS.sub(" ", text))
    return text if text and len(text) <= limit else None


# ---------------------------------------------------------------- dates

_ISO = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(Z|[+-]\d{2}:?\d{2}|UTC|GMT)?)?",
    re.I,
)
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})(?:T?(\d{2})(\d{2})(\d{2})?)?(Z|[+-]\d{4})?$")
_EPOCH = re.compile(r"\d{10}(?:\d{3})?$")
_RFC2822 = re.compile(r"[A-Za-z]{3},? \d{1,2} [A-Za-z]{3} \d{4}")
#: years a publication date can have (a "date" outside them is an ID or a typo)
YEARS = range(1990, 2100)


def _iso_parts(y: str, mo: str, d: str, h: str | None, mi: str | None, s: str | None, tz: str | None) -> str | None:
    try:
        datetime(int(y), int(mo), int(d))
    except ValueError:
        return None
    if int(y) not in YEARS:
        return None
    out = f"{y}-{mo}-{d}"
    if h is None or mi is None or int(h) > 23 or int(mi) > 59:
        return out
    out += f"T{h}:{mi}" + (f":{s}" if s else "")
    if tz:
        zone = tz.upper()
        if zone in ("Z", "UTC", "GMT"):
            out += "+00:00"
        else:
            zone = zone.replace(":", "")
            out += f"{zone[:3]}:{zone[3:]}"
    return out


def iso_date(value: object) -> str | None:
    """``value`` as ISO 8601 (``2025-06-04``, ``2025-06-04T09:21:00-07:00``: the time and zone when given),
    from the forms pages write: ISO 8601 with or without ``T`` and zone, compact ``20250604``, Unix
    seconds, RFC 2822 and the written forms :func:`cleannews.dates.find_date` reads. None when it is no
    date of a plausible year."""
    text = clean_text(value, 200)
    if text is None:
        return None
    match = _ISO.search(text)
    if match:
        return _iso_parts(*match.groups())
    compact = _COMPACT.match(text)
    if compact:
        y, mo, d, h, mi, s, tz = compact.groups()
        return _iso_parts(y, mo, d, h, mi, s, tz)
    if _EPOCH.match(text):
        seconds = int(text[:10])
        stamp = datetime.fromtimestamp(seconds, tz=timezone.utc)
        return stamp.isoformat() if stamp.year in YEARS else None
    if _RFC2822.search(text):
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            parsed = None
        if parsed is not None and parsed.year in YEARS:
            return parsed.isoformat()
    found = find_date(text)
    if found and int(found[0][:4]) in YEARS:
        return found[0]
    return None


def day(value: str | None) -> str | None:
    """The YYYY-MM-DD of an ISO date."""
    return value[:10] if value else None


# ---------------------------------------------------------------- names

#: what a byline says before the names
BYLINE_PREFIX = re.compile(
    r"^\s*(?:(?:written|posted|authored|reported|words|story|text|compiled|published)\s+by|by|author(?:s|\(s\))?|"
    r"written|writer|posted)\b\s*[:\-–—]?\s*",
    re.I,
)
#: roles that name someone who is not the writer
NOT_WRITER = re.compile(
    r"\b(?:(?:medically |expert[- ])?reviewed|fact[- ]?checked|edited|illustrat\w*|photograph\w*|photos?|images?|"
    r"video|produced|translated|verified|updated)(?:\s*[|:]?\s*by\b|\s*$|\s*\|)",
    re.I,
)
_SPLIT = re.compile(r"\s*(?:,|;|\||/|•|·|\band\b|&|\bund\b|\bet\b|\by\b|\+)\s*|\s+[-–—]\s*|\s*[–—]\s+", re.I)
_BY = re.compile(r"\bby\b[:\s]+", re.I)
# job titles and credentials after a name ("Jane Doe, Senior Editor", "John Roe, MD")
_ROLE_WORDS = frozenset({
    "editor", "editors", "writer", "writers", "reporter", "reporters", "correspondent", "correspondents",
    "columnist", "columnists", "contributor", "contributors", "author", "staff", "desk", "producer",
    "producers", "analyst", "analysts", "director", "manager", "founder", "co-founder", "ceo", "cto", "cfo",
    "coo", "president", "chief", "head", "lead", "senior", "junior", "associate", "assistant", "deputy",
    "managing", "executive", "expert", "experts", "specialist", "specialists", "strategist", "consultant",
    "dietitian", "dietician", "nutritionist", "physician", "doctor", "professor", "researcher", "scientist",
    "engineer", "developer", "designer", "photographer", "journalist", "journalists", "blogger", "owner",
    "partner", "officer", "coordinator", "marketer", "marketing", "intern", "fellow", "freelance", "freelancer",
    "guest", "team", "agency", "department",
})  # fmt: skip
_CREDENTIAL = re.compile(
    r"^(?:[A-Z]{2,6}(?:-[A-Z]+)?®?|(?:[A-Z][a-z]?\.){1,4}[A-Z]?\.?|Ph\.?\s?D\.?|[JS]r\.?|\d+\+?|\(.*\)?)$"
)
_HANDLE = re.compile(r"^@\w+$")
_EMAIL = re.compile(r"\S+@\S+\.\w+")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.I)
_URLISH = re.compile(r"^(?:https?://|www\.)|\.(?:com|org|net)/", re.I)
_DATEISH = re.compile(
    r"\b(?:\d{1,2}[:/.]\d{2}|\d{4}|jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|(?:last\s+)?updated|published|posted|(?:\d+\s*)?min(?:ute)?s?\s+read|"
    r"read(?:ing)?\s+time)\b.*$",
    re.I,
)
_TRAILING = re.compile(r"\s*(?:[-–—|:]|\bon\b|\bat\b|\bin\b)\s*$", re.I)
# what follows the names: "… in Budget Travel, Travel Tips", "… on Friday", "Heard on All Things Considered"
_AFTER_NAMES = re.compile(r"(?:^|\s|\|)(?:in|on|at|heard on|filed under|posted in|for)(?=\s|\||$).*$", re.I)
#: words that are not names when a "name" has nothing else
_NOT_NAME_WORDS = frozenset({
    "on", "in", "at", "of", "by", "for", "from", "with", "the", "a", "an", "to", "and", "or", "sat", "sun",
    "mon", "tue", "wed", "thu", "fri", "read", "later", "more", "share", "sponsored", "advertisement",
    "heard", "recap", "menu", "home", "blog", "news", "search", "comments", "comment", "reply", "follow",
    "subscribe", "email", "print", "save", "listen", "min", "mins", "minute", "minutes", "updated", "published",
    "posted", "written", "author", "authors", "contributor", "contributors", "editor", "byline", "team",
    "staff", "about", "contact", "learn", "insights", "saved", "saving", "shared",
})  # fmt: skip
_LETTER = re.compile(r"[^\W\d_]")


# the lower-case words a name may have ("Matt De La O", "Marna van der Merwe")
_PARTICLES = frozenset({
    "van", "von", "der", "den", "de", "del", "della", "di", "da", "dos", "das", "du", "la", "le", "bin", "ibn",
    "al", "el", "y", "e", "ter", "ten",
})  # fmt: skip
_DOMAIN = re.compile(r"^[\w-]+(?:\.[\w-]+)+$")


def _credentials(part: str) -> bool:
    """Only credentials: "MD", "M.D. FACLM", "Ph.D.", "E-RYT 200"."""
    return all(_CREDENTIAL.match(word) for word in part.split())


def _not_a_name(part: str) -> bool:
    """What follows a name and is not one: a role, a domain, a phrase ("Years in the Moving Industry")."""
    words = part.split()
    return _is_role(part) or _DOMAIN.match(part) is not None or any(w.islower() and w not in _PARTICLES for w in words)


def _without_trailing_credentials(part: str) -> str:
    """ "Jeffrey A. Slotnick CPP" → "Jeffrey A. Slotnick" (not an all-capitals name)."""
    words = part.split()
    while len(words) > 2 and words[-1].isupper() and 2 <= len(words[-1]) <= 5 and not part.isupper():
        words.pop()
    return " ".join(words)


def _is_role(part: str) -> bool:
    words = re.findall(r"[a-z][a-z\-]*", part.lower())
    return bool(words) and any(w in _ROLE_WORDS for w in words)


def _name(part: str) -> str | None:
    part = part.strip(" \t-–—:|,.'\"“”‘’()[]")
    if not part or not _LETTER.search(part) or len(part) > 60 or len(part.split()) > 6:
        return None
    if _HANDLE.match(part) or _URLISH.search(part) or any(c.isdigit() for c in part):
        return None
    words = part.split()
    if all(w.lower().strip(".") in _NOT_NAME_WORDS for w in words) or any(c in part for c in "?!»«<>{}=@#"):
        return None
    if len(words) > 1 and any(w.islower() and w not in _PARTICLES for w in words):
        return None  # "of this article", "tQ's listmas-addled staffers": not a name
    return part


def author_names(text: object) -> list[str]:
    """The writers' names in a byline or an author field: without "By", job titles, credentials,
    e-mail addresses, dates and reading times ("By Jane Doe and John Roe, Staff Writers | June 4, 2025"
    → ``["Jane Doe", "John Roe"]``). A role that stands alone ("News Desk", "Podium Staff") is the
    name the page gives. The pieces of a line read from separate elements are joined by " | ": the
    names are those of the first piece that has some ("Jane Doe | Master Gardener" → ``["Jane Doe"]``),
    pieces joined by "and", "&" or "," being one."""
    line = clean_text(text, 500)
    if line is None:
        return []
    line = NOT_WRITER.split(line, maxsplit=1)[0]
    line = _URL.sub(" ", _EMAIL.sub(" ", line))
    prefix = BYLINE_PREFIX.match(line)
    if prefix:
        line = line[prefix.end() :]
    else:  # "Published August 7, 2023 by Nicole Burke", "Tips by Rick Steves"
        by = _BY.search(line)
        if by:
            line = line[by.end() :]
    line = _JOINED.sub(" ", _JOINERS.sub(r" \1 ", line))
    for piece in line.split("|"):
        names = _names(piece)
        if names:
            return names
    return []


# "Jane | and | John", "Jane | , Editor", "Jane | & | John": one piece
_JOINERS = re.compile(r"\s*\|\s*(and|&|,)\s*\|\s*", re.I)
_JOINED = re.compile(r"\s*\|\s*(?=[,&])|(?<=[,&])\s*\|\s*")


def _names(line: str) -> list[str]:
    line = _DATEISH.sub("", line)
    line = _AFTER_NAMES.sub("", line)
    line = _TRAILING.sub("", line)
    names: list[str] = []
    for part in _SPLIT.split(line):
        part = part.strip() if part else ""
        lone = len(part.split()) == 1 and len(names[0].split()) > 1 if names else False
        if not part or (names and (_credentials(part) or _not_a_name(part) or lone)):
            continue  # "MD", "Ph.D."; "Senior Editor" or "Strategy" after a full name
        name = _name(_without_role(_without_trailing_credentials(part)))
        if name and name not in names:
            names.append(name)
    return names


def _without_role(part: str) -> str:
    """ "Matt Check Head Winemaker" → "Matt Check": a name is cut where a job title starts after it."""
    words = part.split()
    for k in range(2, len(words)):
        if words[k].lower().strip(",.") in _ROLE_WORDS - _COLLECTIVE:
            return " ".join(words[:k])
    return part


#: role words that name a group ("The Upwork Team", "News Desk"): part of the name
_COLLECTIVE = frozenset({"team", "staff", "desk", "editors", "agency", "department", "contributors", "experts"})
