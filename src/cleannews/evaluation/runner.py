"""Run systems over evaluation records and score them (see :mod:`.metric`).

Every system sees the same records. Their order is rotated from one record to the next so that
caches warmed by one system (lxml, trafilatura's and htmldate's memoised helpers) favour none of them.
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any

import attrs

from .data import Problem, Record
from .metric import Match, Scores, SnippetCounts, aggregate, comment_score, mean, shingle_match, snippet_counts
from .systems import Output, System


@attrs.define
class Tally:
    """What one system did over some records: matches, comment scores, titles, errors, time."""

    matches: list[Match] = attrs.field(factory=list)
    #: summed snippet counts over the records with snippet gold, and how many records that was
    snippets: SnippetCounts = attrs.field(factory=SnippetCounts)
    snippet_documents: int = 0
    documents: int = 0
    comment_recall: list[float] = attrs.field(factory=list)
    comment_leak: list[float] = attrs.field(factory=list)
    titles: list[bool] = attrs.field(factory=list)
    errors: int = 0
    empty: int = 0
    seconds: float = 0.0

    def add(self, record: Record, output: Output, seconds: float) -> None:
        self.seconds += seconds
        self.documents += 1
        if output.error is not None:
            self.errors += 1
        if not output.body.strip():
            self.empty += 1
        if record.gold_body is not None:
            self.matches.append(shingle_match(record.gold_body, output.body))
        if record.has_snippets:
            self.snippets += snippet_counts(record.gold_with, record.gold_without, output.body)
            self.snippet_documents += 1
        if record.gold_comments and record.gold_comments.strip():
            score = comment_score(record.gold_comments, output.comments, output.body)
            self.comment_recall.append(score.recall)
            self.comment_leak.append(score.leak)
        if record.gold_title:
            self.titles.append(same_title(record.gold_title, output.title))

    def scores(self) -> Scores:
        return aggregate(self.matches)

    @property
    def ms_per_doc(self) -> float:
        return 1000 * self.seconds / max(1, self.documents)


@attrs.define
class SystemResult:
    """A system's tally over all records and per language."""

    name: str
    system: System
    total: Tally = attrs.field(factory=Tally)
    by_lang: dict[str, Tally] = attrs.field(factory=dict)

    def add(self, record: Record, output: Output, seconds: float) -> None:
        self.total.add(record, output, seconds)
        self.by_lang.setdefault(record.lang or "?", Tally()).add(record, output, seconds)


@attrs.define
class Report:
    results: list[SystemResult]
    problems: list[Problem] = attrs.field(factory=list)
    #: the scored records whose gold was repaired on reading (see :func:`~.data.repair_gold`)
    repaired: list[Record] = attrs.field(factory=list)

    @property
    def scored(self) -> int:
        return self.results[0].total.documents if self.results else 0


_TITLE_NOISE = re.compile(r"[\W_]+", re.UNICODE)


def title_key(title: str) -> str:
    return _TITLE_NOISE.sub(" ", unicodedata.normalize("NFKC", title).casefold()).strip()


def same_title(gold: str, found: str | None) -> bool:
    """The titles are equal up to case, punctuation and white space."""
    return bool(found) and title_key(gold) == title_key(found or "")


def _run(system: System, record: Record) -> tuple[Output, float]:
    start = time.perf_counter()
    try:
        output = system(record)
    except Exception as exc:  # a peer's (or our) failure is counted, not fatal
        output = Output(error=f"{type(exc).__name__}: {exc}")
    return output, time.perf_counter() - start


def evaluate(
    items: Iterable[Record | Problem],
    systems: dict[str, System],
    *,
    progress: Callable[[Record | Problem], None] | None = None,
) -> Report:
    """Score every system on every record; problems are collected, not scored."""
    report = Report([SystemResult(name, system) for name, system in systems.items()])
    n = 0
    for item in items:
        if isinstance(item, Problem):
            report.problems.append(item)
        else:
            if item.repaired:
                report.repaired.append(item)
            count = len(report.results)
            for k in range(count):
                result = report.results[(n + k) % count]
                output, seconds = _run(result.system, item)
                result.add(item, output, seconds)
            n += 1
        if progress is not None:
            progress(item)
    return report


# ---------------------------------------------------------------- presentation

_BODY_HEADER = ("precision", "recall", "F1", "comment recall", "comment leak", "title")
_SNIPPET_HEADER = ("snippet P", "snippet R", "snippet F1", "snippet acc")


def _columns(report: Report) -> tuple[bool, bool]:
    """Whether the table needs the body-gold columns and the snippet columns."""
    tallies = [r.total for r in report.results]
    return any(t.matches for t in tallies) or not tallies, any(t.snippet_documents for t in tallies)


def _row(name: str, system: System, tally: Tally, body: bool, snippets: bool) -> str:
    cells = [name, str(tally.documents)]
    if body:
        if tally.matches:
            s = tally.scores()
            cells += [f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}"]
        else:
            cells += ["–", "–", "–"]
        has_comments = bool(tally.comment_recall)
        cells.append(f"{mean(tally.comment_recall):.3f}" if has_comments and system.comments else "–")
        cells.append(f"{mean(tally.comment_leak):.3f}" if has_comments else "–")
        cells.append(f"{mean(1.0 if t else 0.0 for t in tally.titles):.3f}" if tally.titles and system.titles else "–")
    if snippets:
        c = tally.snippets
        if tally.snippet_documents:
            cells += [f"{c.precision:.3f}", f"{c.recall:.3f}", f"{c.f1:.3f}", f"{c.accuracy:.3f}"]
        else:
            cells += ["–"] * len(_SNIPPET_HEADER)
    cells += [str(tally.errors), str(tally.empty), f"{tally.ms_per_doc:.1f}"]
    return "| " + " | ".join(cells) + " |"


def table(report: Report, *, per_language: bool = False) -> str:
    """A Markdown table: one row per system, and per system and language when asked. Body-gold columns
    (shingle precision/recall/F1, comments, titles) appear when some record has a ``gold_body``, snippet
    columns when some record has snippets."""
    body, snippets = _columns(report)
    header = ["system", "docs", *(_BODY_HEADER if body else ()), *(_SNIPPET_HEADER if snippets else ())]
    header += ["errors", "empty", "ms/doc"]
    rows = ["| " + " | ".join(header) + " |", "|---|" + "---:|" * (len(header) - 1)]
    for result in report.results:
        rows.append(_row(result.name, result.system, result.total, body, snippets))
    if per_language and report.results:
        for lang in sorted(report.results[0].by_lang):
            for result in report.results:
                rows.append(_row(f"{result.name} [{lang}]", result.system, result.by_lang[lang], body, snippets))
    return "\n".join(rows)


def problems_note(report: Report, *, show: int = 5) -> str:
    """One line on the records that were not scored (empty when every record was)."""
    if not report.problems:
        return ""
    by_reason: dict[str, list[Problem]] = {}
    for problem in report.problems:
        by_reason.setdefault(problem.reason, []).append(problem)
    parts = []
    for reason, items in sorted(by_reason.items(), key=lambda kv: -len(kv[1])):
        where = ", ".join(f"line {p.line}" for p in items[:show]) + (" …" if len(items) > show else "")
        parts.append(f"{len(items)} {reason} ({where})")
    return f"not scored: {len(report.problems)} record(s) — " + "; ".join(parts)


def repairs_note(report: Report, *, show: int = 5) -> str:
    """One line on the records whose gold was repaired (empty when none was)."""
    if not report.repaired:
        return ""
    ids = ", ".join(r.id for r in report.repaired[:show]) + (" …" if len(report.repaired) > show else "")
    return f"gold repaired: {len(report.repaired)} record(s) whose gold was UTF-16 read as Latin-1, decoded ({ids})"


def _tally_dict(system: System, tally: Tally) -> dict[str, Any]:
    s = tally.scores()
    c = tally.snippets
    return {
        "documents": tally.documents,
        "precision": s.precision if tally.matches else None,
        "recall": s.recall if tally.matches else None,
        "f1": s.f1 if tally.matches else None,
        "snippet_documents": tally.snippet_documents,
        "snippets": (
            {
                "tp": c.tp,
                "fn": c.fn,
                "fp": c.fp,
                "tn": c.tn,
                "precision": c.precision,
                "recall": c.recall,
                "f1": c.f1,
                "accuracy": c.accuracy,
            }
            if tally.snippet_documents
            else None
        ),
        "comment_recall": mean(tally.comment_recall) if tally.comment_recall and system.comments else None,
        "comment_leak": mean(tally.comment_leak) if tally.comment_leak else None,
        "comment_documents": len(tally.comment_recall),
        "title_accuracy": mean(1.0 if t else 0.0 for t in tally.titles) if tally.titles and system.titles else None,
        "title_documents": len(tally.titles),
        "errors": tally.errors,
        "empty": tally.empty,
        "ms_per_doc": tally.ms_per_doc,
    }


def to_dict(report: Report) -> dict[str, Any]:
    return {
        "systems": {
            r.name: {
                **_tally_dict(r.system, r.total),
                "by_language": {lang: _tally_dict(r.system, t) for lang, t in sorted(r.by_lang.items())},
            }
            for r in report.results
        },
        "not_scored": [attrs.asdict(p) for p in report.problems],
        "gold_repaired": [{"id": r.id, "line": r.line, "fields": list(r.repaired)} for r in report.repaired],
    }
