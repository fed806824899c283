"""``cleannews eval --metadata``: title, author, date and Markdown structure against human gold.

On records with ``gold_title``, ``gold_author``, ``gold_date`` and ``gold_markdown`` (wcxb-dev has
them), in one run: cleannews on the HTML, cleannews on the whole-page text, and trafilatura on the HTML
(``bare_extraction(..., with_metadata=True)`` for the metadata, ``extract(..., output_format="markdown")``
for the structure). Each score is given for the part of the records tuned on and for the part held out
(:func:`~.data.is_train`, 70% / 30%), and for all of them.

- title: exact after case folding and collapsing white space;
- author: the same name tokens in any order (1), some in common (0.5), none (0); "and", "&" and "by"
  are not name tokens;
- date: the same YYYY-MM-DD;
- structure: the headings, list items and table cells of the Markdown, each matched as a multiset of
  texts (case, punctuation and Markdown inline marks aside) against those of ``gold_markdown``: recall
  averaged over the documents whose gold has that kind, precision over the documents whose output has
  it;
- body F1: the body metric of :mod:`.metric` on the same records (cleannews' ``Article.body``,
  trafilatura's text).
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import attrs

from .data import Problem, Record, is_train
from .metric import Match, aggregate, mean, shingle_match

#: share of each data set that is tuned on (the rest is held out)
TRAIN_SHARE = 0.7
PARTS = ("tuned", "held-out", "all")
STRUCTURE_KINDS = ("headings", "items", "cells")


@attrs.frozen
class Found:
    """What a system says about one record."""

    title: str | None = None
    authors: tuple[str, ...] = ()
    date: str | None = None
    body: str = ""
    #: the body as Markdown (None: the system gives none)
    markdown: str | None = None
    error: str | None = None


# ---------------------------------------------------------------- scores


def same_title(gold: str, found: str | None) -> bool:
    """Equal after case folding and collapsing white space."""
    return bool(found) and " ".join(gold.casefold().split()) == " ".join((found or "").casefold().split())


_NAME_TOKEN = re.compile(r"\w+")
_NOT_NAMES = frozenset({"and", "by", "und", "et", "y"})


def name_tokens(text: str) -> set[str]:
    return {t for t in _NAME_TOKEN.findall(text.casefold()) if t not in _NOT_NAMES}


def author_credit(gold: str, found: Sequence[str]) -> float:
    """1 for the same name tokens (any order), 0.5 for some in common, else 0."""
    want, got = name_tokens(gold), name_tokens(" ".join(found))
    if not got:
        return 0.0
    if want == got:
        return 1.0
    return 0.5 if want & got else 0.0


def same_date(gold: str, found: str | None) -> bool:
    """The same day (the gold's YYYY-MM-DD, or as much of it as the gold has)."""
    return bool(found) and (found or "")[: len(gold)] == gold


_ITEM_KEY = re.compile(r"\w+")


def _key(text: str) -> str:
    return " ".join(_ITEM_KEY.findall(text.casefold()))


def _inline_text(token: Any) -> str:
    return "".join(child.content for child in (token.children or ()) if child.type in ("text", "code_inline")) or (
        token.content or ""
    )


def structure_items(markdown: str) -> dict[str, Counter[str]]:
    """The headings, list items and table cells of a Markdown text (their texts, normalised)."""
    from markdown_it import MarkdownIt

    found: dict[str, Counter[str]] = {kind: Counter() for kind in STRUCTURE_KINDS}
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    into: list[str] = []  # the structures the tokens are inside: heading, item, cell
    items: list[list[str]] = []  # the text of each open list item (its own paragraphs, not sub-items)
    for token in tokens:
        kind = token.type
        if kind == "heading_open":
            into.append("headings")
        elif kind in ("th_open", "td_open"):
            into.append("cells")
        elif kind == "list_item_open":
            into.append("items")
            items.append([])
        elif kind in ("heading_close", "th_close", "td_close"):
            into.pop()
        elif kind == "list_item_close":
            into.pop()
            text = _key(" ".join(items.pop()))
            if text:
                found["items"][text] += 1
        elif kind == "inline" and into:
            where = into[-1]
            if where == "items":
                items[-1].append(_inline_text(token))
            else:
                text = _key(_inline_text(token))
                if text:
                    found[where][text] += 1
    return found


@attrs.define
class StructureTally:
    """Per-document recall and precision of one kind of structure."""

    recall: list[float] = attrs.field(factory=list)
    precision: list[float] = attrs.field(factory=list)

    def add(self, gold: Counter[str], found: Counter[str]) -> None:
        common = sum((gold & found).values())
        if gold:
            self.recall.append(common / sum(gold.values()))
        if found:
            self.precision.append(common / sum(found.values()))


@attrs.define
class Tally:
    """One system's scores over one part of the records."""

    titles: list[bool] = attrs.field(factory=list)
    authors: list[float] = attrs.field(factory=list)
    dates: list[bool] = attrs.field(factory=list)
    bodies: list[Match] = attrs.field(factory=list)
    structure: dict[str, StructureTally] = attrs.field(factory=lambda: {k: StructureTally() for k in STRUCTURE_KINDS})
    errors: int = 0
    seconds: float = 0.0

    def add(self, record: Record, found: Found, gold_items: dict[str, Counter[str]] | None, seconds: float) -> None:
        self.seconds += seconds
        self.errors += found.error is not None
        if record.gold_title:
            self.titles.append(same_title(record.gold_title, found.title))
        if record.gold_author:
            self.authors.append(author_credit(record.gold_author, found.authors))
        if record.gold_date:
            self.dates.append(same_date(record.gold_date, found.date))
        self.bodies.append(shingle_match(record.gold_body or "", found.body))
        if gold_items is not None and found.markdown is not None:
            items = structure_items(found.markdown)
            for kind in STRUCTURE_KINDS:
                self.structure[kind].add(gold_items[kind], items[kind])

    def row(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "documents": len(self.bodies),
            "title": mean(1.0 if t else 0.0 for t in self.titles) if self.titles else None,
            "title_documents": len(self.titles),
            "author": mean(self.authors) if self.authors else None,
            "author_documents": len(self.authors),
            "date": mean(1.0 if d else 0.0 for d in self.dates) if self.dates else None,
            "date_documents": len(self.dates),
            "body_f1": aggregate(self.bodies).f1 if self.bodies else None,
            "errors": self.errors,
            "ms_per_doc": 1000 * self.seconds / max(1, len(self.bodies)),
        }
        for kind, tally in self.structure.items():
            out[f"{kind}_recall"] = mean(tally.recall) if tally.recall else None
            out[f"{kind}_precision"] = mean(tally.precision) if tally.precision else None
            out[f"{kind}_documents"] = len(tally.recall)
        return out


# ---------------------------------------------------------------- systems


def _cleannews(mode: str) -> Callable[[Record], Found]:
    from ..markdown import body
    from ..pipeline import clean

    def run(record: Record) -> Found:
        article = clean(record.source(mode) or "", format=mode, url=record.url)  # type: ignore[arg-type]
        error = next((w for w in article.warnings if w.startswith("internal error")), None)
        meta = article.metadata
        authors = meta.authors or ((meta.author,) if meta.author else ())
        markdown = body(article.paragraphs, article.structure) if mode == "html" else None
        return Found(article.title, authors, meta.published, article.body, markdown, error)

    return run


def _trafilatura(record: Record) -> Found:
    import trafilatura

    html = record.html or ""
    result = trafilatura.bare_extraction(html, url=record.url, with_metadata=True)
    if result is None:
        return Found(markdown="")
    author = getattr(result, "author", None) or ""
    markdown = trafilatura.extract(html, url=record.url, output_format="markdown") or ""
    return Found(
        getattr(result, "title", None),
        tuple(a.strip() for a in author.split(";") if a.strip()),
        getattr(result, "date", None),
        getattr(result, "text", None) or "",
        markdown,
    )


def systems() -> dict[str, Callable[[Record], Found]]:
    """The systems of the run, by name (the table's order)."""
    return {"cleannews html": _cleannews("html"), "cleannews text": _cleannews("text"), "trafilatura": _trafilatura}


# ---------------------------------------------------------------- the run


@attrs.define
class Report:
    #: system -> part -> tally
    tallies: dict[str, dict[str, Tally]]
    problems: list[Problem] = attrs.field(factory=list)


def _run(system: Callable[[Record], Found], record: Record) -> tuple[Found, float]:
    start = time.perf_counter()
    try:
        found = system(record)
    except Exception as exc:  # a peer's failure is counted, not fatal
        found = Found(error=f"{type(exc).__name__}: {exc}")
    return found, time.perf_counter() - start


def evaluate(
    items: Iterable[Record | Problem],
    chosen: dict[str, Callable[[Record], Found]] | None = None,
    *,
    progress: Callable[[Record | Problem], None] | None = None,
) -> Report:
    """Every system on every record (each needs ``html`` and ``text``); problems are collected."""
    chosen = systems() if chosen is None else chosen
    report = Report({name: {part: Tally() for part in PARTS} for name in chosen})
    names = list(chosen)
    for n, item in enumerate(items):
        if isinstance(item, Problem):
            report.problems.append(item)
        elif not item.html or item.text is None:
            report.problems.append(Problem(item.line, item.id, "needs both html and text"))
        else:
            part = "tuned" if is_train(item.set or "", item.id, TRAIN_SHARE) else "held-out"
            gold_items = structure_items(item.gold_markdown) if item.gold_markdown is not None else None
            for k in range(len(names)):  # rotated, so that warm caches favour no system
                name = names[(n + k) % len(names)]
                found, seconds = _run(chosen[name], item)
                for where in (part, "all"):
                    report.tallies[name][where].add(item, found, gold_items, seconds)
        if progress is not None:
            progress(item)
    return report


def _cell(value: Any) -> str:
    return "–" if value is None else f"{value:.3f}"


def tables(report: Report) -> str:
    """Two Markdown tables: metadata (and body F1), then structure; a row per system and part."""
    meta = [
        "| system | part | docs | title exact | author | date | body F1 | errors | ms/doc |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    structure = [
        "| system | part | headings R | headings P | list items R | list items P | table cells R | table cells P |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for part in PARTS:
        for name, by_part in report.tallies.items():
            row = by_part[part].row()
            meta.append(
                f"| {name} | {part} | {row['documents']} | {_cell(row['title'])} | {_cell(row['author'])} | "
                f"{_cell(row['date'])} | {_cell(row['body_f1'])} | {row['errors']} | {row['ms_per_doc']:.1f} |"
            )
            if by_part[part].structure["headings"].recall or by_part[part].structure["headings"].precision:
                cells = " | ".join(
                    f"{_cell(row[f'{k}_recall'])} | {_cell(row[f'{k}_precision'])}" for k in STRUCTURE_KINDS
                )
                structure.append(f"| {name} | {part} | {cells} |")
    counts = report.tallies[next(iter(report.tallies))]["all"].row() if report.tallies else {}
    note = (
        f"gold: {counts.get('title_documents', 0)} titles, {counts.get('author_documents', 0)} authors, "
        f"{counts.get('date_documents', 0)} dates"
    )
    return "\n".join([*meta, "", note, "", *structure])


def to_dict(report: Report) -> dict[str, Any]:
    return {
        "systems": {name: {part: t.row() for part, t in by_part.items()} for name, by_part in report.tallies.items()},
        "not_scored": [attrs.asdict(p) for p in report.problems],
    }
