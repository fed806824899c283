"""Reading evaluation records (one JSON object a line, plain or gzipped), lazily and without surprises.

The schema (every field optional except as noted; ``docs/evaluation.md``)::

    id, lang, url, html, text, gold_body, gold_comments, gold_title, gold_with, gold_without
    set, gold_author, gold_date, gold_markdown      (metadata and structure gold: ``eval --metadata``)

A record is *scored* when it has a gold — a ``gold_body`` string, or snippet lists ``gold_with`` /
``gold_without`` (strings the article must / must not contain, as in trafilatura's evaluation) — and
the input for the mode (``html`` or ``text``). Any other line — not JSON, not an object, a field of the wrong type, a missing gold or
input — becomes a :class:`Problem` that the report counts; nothing raises on data.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import attrs
import orjson

from ..errors import ConfigError

TEXT_FIELDS = ("html", "text", "gold_body", "gold_comments", "gold_title")
SNIPPET_FIELDS = ("gold_with", "gold_without")
#: how a missing value is sometimes written by exporters; read as missing in id-like fields
_NULLS = frozenset({"", "none", "null", "nan"})


@attrs.frozen
class Record:
    """One scorable document and its gold."""

    id: str
    line: int
    lang: str | None = None
    url: str | None = None
    html: str | None = None
    text: str | None = None
    #: None when the record is scored by snippets only
    gold_body: str | None = ""
    gold_comments: str | None = None
    gold_title: str | None = None
    #: the gold fields that were UTF-16 read as Latin-1 and have been decoded (see :func:`repair_gold`)
    repaired: tuple[str, ...] = ()
    #: the data set the record belongs to (it seeds the tuned / held-out split, :func:`is_train`)
    set: str | None = None
    gold_author: str | None = None
    #: YYYY-MM-DD
    gold_date: str | None = None
    gold_markdown: str | None = None
    #: snippets the article text must contain / must not contain (white space collapsed)
    gold_with: tuple[str, ...] = ()
    gold_without: tuple[str, ...] = ()

    @property
    def has_snippets(self) -> bool:
        return bool(self.gold_with or self.gold_without)

    def source(self, mode: str) -> str | None:
        """The system input for ``mode``: the page's ``html`` or its whole-page ``text``."""
        return self.html if mode == "html" else self.text

    def get(self, field: str, default: Any = None) -> Any:
        """Dict-style access, for systems written against the plain JSON record."""
        value = getattr(self, field, None)
        return default if value is None else value


@attrs.frozen
class Problem:
    """A line of the file that cannot be scored, and why."""

    line: int
    id: str
    reason: str


def open_lines(path: Path) -> IO[bytes]:
    if not path.is_file():
        raise ConfigError(f"evaluation data {str(path)!r} does not exist")
    if path.suffix == ".gz":
        return gzip.open(path, "rb")  # type: ignore[return-value]  # a GzipFile is an IO[bytes]
    return path.open("rb")


def _label(value: Any) -> str | None:
    """An id-like field (lang, url): a non-empty string, or None for missing/"None"/"null"."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        value = value.strip()
        return None if value.lower() in _NULLS else value
    return None


def parse_record(obj: Any, line: int, mode: str) -> Record | Problem:
    """``obj`` (a parsed JSON line) as a :class:`Record`, or the :class:`Problem` that stops scoring it."""
    if not isinstance(obj, dict):
        return Problem(line, f"line {line}", f"not a JSON object ({type(obj).__name__})")
    ident = _label(obj.get("id")) or f"line {line}"
    values: dict[str, str | None] = {}
    for field in TEXT_FIELDS:
        value = obj.get(field)
        if value is not None and not isinstance(value, str):
            return Problem(line, ident, f"field {field!r} is {type(value).__name__}, not a string")
        values[field] = value
    repaired = []
    for field in ("gold_body", "gold_comments", "gold_title"):
        value = values[field]
        fixed = repair_gold(value) if value is not None else None
        if fixed is not None:
            values[field] = fixed
            repaired.append(field)
    snippets: dict[str, tuple[str, ...]] = {}
    for field in SNIPPET_FIELDS:
        value = obj.get(field)
        if value is None:
            value = []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return Problem(line, ident, f"field {field!r} is {type(value).__name__}, not a list of strings")
        snippets[field] = tuple(c for c in (" ".join(v.split()) for v in value) if c)
    gold_title = values["gold_title"]
    if gold_title is not None and gold_title.strip().lower() in _NULLS:
        gold_title = None
    if values["gold_body"] is None and not any(snippets.values()):
        return Problem(line, ident, "no gold_body (nor gold_with/gold_without snippets)")
    source_field = "html" if mode == "html" else "text"
    if values[source_field] is None:
        return Problem(line, ident, f"no {source_field!r} for --mode {mode}")
    return Record(
        id=ident,
        line=line,
        lang=_label(obj.get("lang")),
        url=_label(obj.get("url")),
        html=values["html"],
        text=values["text"],
        gold_body=values["gold_body"],
        gold_comments=values["gold_comments"],
        gold_title=gold_title,
        repaired=tuple(repaired),
        set=_label(obj.get("set")),
        gold_author=_label(obj.get("gold_author")),
        gold_date=_label(obj.get("gold_date")),
        gold_markdown=obj.get("gold_markdown") if isinstance(obj.get("gold_markdown"), str) else None,
        gold_with=snippets["gold_with"],
        gold_without=snippets["gold_without"],
    )


def is_train(set_name: str, record_id: str, share: float) -> bool:
    """Whether a record is in the part tuned on (a share ``share`` of each data set, fixed by a hash of
    its set and id); the rest is held out. ``scripts/train_text_model.py`` splits with it too."""
    digest = hashlib.sha1(f"{set_name}/{record_id}".encode()).hexdigest()
    return int(digest[:8], 16) / 0xFFFFFFFF < share


def repair_gold(value: str) -> str | None:
    """``value`` decoded when it is UTF-16 that was read as Latin-1 — "ÿþP\\x00a\\x00…", a byte-order
    mark and a NUL after every ASCII letter (four dragnet-train golds are): scoring against that would
    score against noise. None when it is not such a text."""
    if not value.startswith(("\u00ff\u00fe", "\u00fe\u00ff")) or "\x00" not in value[:64]:
        return None
    try:
        data = value.encode("latin-1")
    except UnicodeError:
        return None
    return data[: len(data) // 2 * 2].decode("utf-16", "replace")  # (one gold ends in half a character)


def count_lines(path: Path) -> int:
    """The number of non-blank lines (records) in the file."""
    count = 0
    with open_lines(path) as fh:
        try:
            for line in fh:
                count += bool(line.strip())
        except (OSError, EOFError, ValueError):
            pass
    return count


def sample_positions(total: int, size: int) -> frozenset[int]:
    """``size`` record positions (0-based) spread evenly over ``total``."""
    if size >= total:
        return frozenset(range(total))
    return frozenset((i * total) // size for i in range(size))


def read_records(
    path: Path, *, mode: str = "html", limit: int | None = None, sample: int | None = None
) -> Iterator[Record | Problem]:
    """Records (or problems) of the file in order: the first ``limit``, or ``sample`` spread evenly."""
    wanted = sample_positions(count_lines(path), sample) if sample is not None else None
    position = 0
    number = 0
    with open_lines(path) as fh:
        lines = enumerate(fh, 1)
        while True:
            try:
                number, raw = next(lines)
            except StopIteration:
                return
            except (OSError, EOFError, ValueError) as exc:  # a truncated or corrupt (gzip) file
                yield Problem(number + 1, f"line {number + 1}", f"file unreadable from here on: {exc}")
                return
            if limit is not None and position >= limit:
                return
            if not raw.strip():
                continue
            position += 1
            if wanted is not None and position - 1 not in wanted:
                continue
            try:
                obj = orjson.loads(raw)
            except orjson.JSONDecodeError:
                yield Problem(number, f"line {number}", "not JSON")
                continue
            yield parse_record(obj, number, mode)
