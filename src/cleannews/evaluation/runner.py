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
from .metric import Match, Scores, aggregate, comment_score, mean, shingle_match
from .systems import Output, System


@attrs.define
class Tally:
    """What one system did over some records: matches, comment scores, titles, errors, time."""

    matches: list[Match] = attrs.field(factory=list)
    comment_recall: list[float] = attrs.field(factory=list)
    comment_leak: list[float] = attrs.field(factory=list)
    titles: list[bool] = attrs.field(factory=list)
    errors: int = 0
    empty: int = 0
    seconds: float = 0.0

    def add(self, record: Record, output: Output, seconds: float) -> None:
        self.seconds += seconds
        if output.error is not None:
            self.errors += 1
        if not output.body.strip():
            self.empty += 1
        self.matches.append(shingle_match(record.gold_body, output.body))
        if record.gold_comments and record.gold_comments.strip():
            score = comment_score(record.gold_comments, output.comments, output.body)
            self.comment_recall.append(score.recall)
            self.comment_leak.append(score.leak)
        if record.gold_title:
            self.titles.append(same_title(record.gold_title, output.title))

    def scores(self) -> Scores:
        return aggregate(self.matches)

    @property
    def documents(self) -> int:
        return len(self.matches)

    @property
    def ms_per_doc(self) -> float:
        return 1000 * self.seconds / max(1, len(self.matches))


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

HEADER = (
    "| system | docs | precision | recall | F1 | comment recall | comment leak | title | errors | empty | ms/doc |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
)


def _row(name: str, system: System, tally: Tally) -> str:
    s = tally.scores()
    has_comments = bool(tally.comment_recall)
    recall = f"{mean(tally.comment_recall):.3f}" if has_comments and system.comments else "–"
    leak = f"{mean(tally.comment_leak):.3f}" if has_comments else "–"
    title = f"{mean(1.0 if t else 0.0 for t in tally.titles):.3f}" if tally.titles and system.titles else "–"
    return (
        f"| {name} | {s.documents} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {recall} | {leak} | "
        f"{title} | {tally.errors} | {tally.empty} | {tally.ms_per_doc:.1f} |"
    )


def table(report: Report, *, per_language: bool = False) -> str:
    """A Markdown table: one row per system, and per system and language when asked."""
    rows = list(HEADER)
    for result in report.results:
        rows.append(_row(result.name, result.system, result.total))
    if per_language and report.results:
        for lang in sorted(report.results[0].by_lang):
            for result in report.results:
                rows.append(_row(f"{result.name} [{lang}]", result.system, result.by_lang[lang]))
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
    return {
        "documents": s.documents,
        "precision": s.precision,
        "recall": s.recall,
        "f1": s.f1,
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
