"""Finding and normalising dates in short lines ("June 4, 2025 Hour: 9:21 am", "06/17/2025 3:59:51 AM PDT")."""

from __future__ import annotations

import functools
import re

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
# Offsets of the zone abbreviations news pages print most.
ZONES = {
    "utc": "+00:00", "gmt": "+00:00", "z": "+00:00", "bst": "+01:00", "cet": "+01:00", "cest": "+02:00",
    "eet": "+02:00", "eest": "+03:00", "msk": "+03:00", "ist": "+05:30", "pkt": "+05:00", "cst": "-06:00",
    "cdt": "-05:00", "est": "-05:00", "edt": "-04:00", "mst": "-07:00", "mdt": "-06:00", "pst": "-08:00",
    "pdt": "-07:00", "jst": "+09:00", "kst": "+09:00", "aest": "+10:00", "aedt": "+11:00", "sgt": "+08:00",
    "hkt": "+08:00", "wib": "+07:00",
}  # fmt: skip

_MONTH = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_TIME = (
    r"(?:(?:\s*(?:,|at|hour:|time:|-|\||•))?\s*(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?::(?P<s>\d{2}))?"
    r"\s*(?P<ampm>[ap]\.?m\.?)?(?:\s*(?P<tz>[a-z]{1,4}\b|[+-]\d{2}:?\d{2}))?)?"
)
_PATTERNS = [
    # June 4, 2025 / Jun 4 2025
    re.compile(_MONTH + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})" + _TIME, re.I),
    # 4 June 2025
    re.compile(r"(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<y>\d{4})" + _TIME, re.I),
    # 2025-06-04
    re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})" + _TIME, re.I),
    # 06/17/2025 (US order; day-first when the first number cannot be a month)
    re.compile(r"(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<y>\d{4})" + _TIME, re.I),
]


def _iso(match: re.Match[str]) -> str | None:
    groups = match.groupdict()
    year = int(groups["y"])
    if groups.get("mon"):
        month = MONTHS[groups["mon"].lower()[:3]]
        day = int(groups["d"])
    elif groups.get("m"):
        month, day = int(groups["m"]), int(groups["d"])
    else:
        first, second = int(groups["a"]), int(groups["b"])
        month, day = (first, second) if first <= 12 else (second, first)
    if not (1 <= month <= 12 and 1 <= day <= 31 and 1900 <= year <= 2100):
        return None
    out = f"{year:04d}-{month:02d}-{day:02d}"
    if groups.get("h") is not None and groups.get("mi") is not None:
        hour, minute = int(groups["h"]), int(groups["mi"])
        ampm = (groups.get("ampm") or "").replace(".", "").lower()
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
        if hour > 23 or minute > 59:
            return out
        out += f"T{hour:02d}:{minute:02d}"
        if groups.get("s"):
            out += f":{int(groups['s']):02d}"
        tz = (groups.get("tz") or "").lower()
        if tz in ZONES:
            out += ZONES[tz]
        elif re.fullmatch(r"[+-]\d{2}:?\d{2}", tz):
            out += tz[:3] + ":" + tz[-2:]
    return out


# every pattern above has a four-digit year: a text without four digits in a row has no date (most
# lines of a page), and one cheap search says so
_YEAR_DIGITS = re.compile(r"\d{4}")

#: what :func:`year_marks` makes of four characters in a row that may be digits
YEAR_RUN = b"dddd"


@functools.cache
def _year_table() -> tuple[bytes, bytes]:
    """The ``bytes.translate`` table and deletions of :func:`year_marks` (made once, in about 10 ms)."""
    # a character may be a digit (match ``\d``) when the first byte of its UTF-8 form is one that an
    # ASCII digit or another digit of the Basic Multilingual Plane starts with, or that starts a
    # four-byte form (the other planes are not looked at)
    bmp = "".join(map(chr, range(0x80, 0xD800))) + "".join(map(chr, range(0xE000, 0x10000)))
    digit = re.compile(r"\d")
    leads = {c.encode()[0] for c in set(digit.findall(bmp))} | set(b"0123456789") | set(range(0xF0, 0x100))
    table = bytes(YEAR_RUN[0] if b in leads else ord("x") for b in range(256))
    return table, bytes(range(0x80, 0xC0))  # the continuation bytes go: one byte a character


def year_marks(text: str) -> bytes:
    """``text`` with one byte a character: ``YEAR_RUN[0]`` for one that may be a digit, another byte
    for the others. Wherever ``text`` has four digits in a row (the least a date :func:`find_date`
    finds has), the marks have ``YEAR_RUN``: a page's lines, joined, are screened at once (lower-cased
    or not: lower-casing leaves the digits alone and makes none)."""
    table, continuations = _year_table()
    return text.encode("utf-8", "surrogatepass").translate(table, continuations)


_Found = tuple[str, tuple[int, int]]
# the answers for the lines asked about lately: the cleaners ask about the same lines (a date line is
# read by ``metadata_lines``, then by ``comments`` as a comment's time)
_FOUND: dict[str, _Found | None] = {}
_FOUND_LIMIT = 4096


def find_date(text: str) -> _Found | None:
    """The first date in ``text`` as ISO 8601 and the span it covers, or None."""
    if _YEAR_DIGITS.search(text) is None:
        return None
    try:
        return _FOUND[text]
    except KeyError:
        pass
    if len(_FOUND) >= _FOUND_LIMIT:
        _FOUND.clear()
    found = _FOUND[text] = _search(text)
    return found


#: the strings one of which a month name holds (lower case): every match of the first two _PATTERNS has one
#: the months as every date pattern spells them at least (lower case)
MONTH_STRINGS = tuple(name for name in MONTHS if len(name) == 3)


def _wanted(text: str) -> tuple[bool, bool, bool, bool]:
    """Which of ``_PATTERNS`` may match ``text``: a month name, "-" or "/" or "." is needed (a cheap
    test that most lines with four digits fail; IGNORECASE also takes "ſ" for the "s" of "sep")."""
    low = text.lower()
    named = any(month in low for month in MONTH_STRINGS) or "ſ" in text
    return named, named, "-" in text, "/" in text or "." in text


def _search(text: str) -> _Found | None:
    for pattern, wanted in zip(_PATTERNS, _wanted(text), strict=True):
        if not wanted:
            continue
        for match in pattern.finditer(text):
            iso = _iso(match)
            if iso:
                end = match.end()
                # a trailing zone-like word that is not a zone is not part of the date
                tz = match.groupdict().get("tz")
                if tz and tz.lower() not in ZONES and tz[0] not in "+-":
                    end = match.start("tz")
                return iso, (match.start(), end)
    return None
