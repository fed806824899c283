"""Run systems over evaluation records and score them (see :mod:`.metric`)."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import attrs

from .metric import Match, Scores, aggregate, comment_score, mean, shingle_match
from .systems import System


@attrs.define
class Tally:
    """What one system did over the records: matches, comment scores, errors, time."""

    matches: list[Match] = attrs.field(factory=list)
    by_lang: dict[str, list[Match]] = attrs.field(factory=lambda: defaultdict(list))
    comment_recall: list[float] = attrs.field(factory=list)
    comment_leak: list[float] = attrs.field(factory=list)
    errors: int = 0
    seconds: float = 0.0

    def scores(self) -> Scores:
        return aggregate(self.matches)

    @property
    def ms_per_doc(self) -> float:
        return 1000 * self.seconds / max(1, len(self.matches))


def evaluate(records: Iterable[dict[str, Any]], systems: dict[str, System]) -> dict[str, Tally]:
    tallies = {name: Tally() for name in systems}
    for record in records:
        gold = record.get("gold_body") or ""
        gold_comments = record.get("gold_comments") or ""
        lang = record.get("lang") or "?"
        for name, system in systems.items():
            tally = tallies[name]
            start = time.perf_counter()
            try:
                body, comments = system(record)
            except Exception:
                body, comments = "", ""
                tally.errors += 1
            tally.seconds += time.perf_counter() - start
            match = shingle_match(gold, body)
            tally.matches.append(match)
            tally.by_lang[lang].append(match)
            if gold_comments.strip():
                score = comment_score(gold_comments, comments, body)
                tally.comment_recall.append(score.recall)
                tally.comment_leak.append(score.leak)
    return tallies


def table(tallies: dict[str, Tally], *, per_language: bool = False) -> str:
    """A Markdown table: one row per system (and per language when asked)."""
    header = "| system | docs | precision | recall | F1 | comment recall | comment leak | errors | ms/doc |"
    rule = "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    rows = [header, rule]
    for name, tally in tallies.items():
        s = tally.scores()
        has_comments = bool(tally.comment_recall)
        rows.append(
            f"| {name} | {s.documents} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | "
            f"{mean(tally.comment_recall):.3f} | {mean(tally.comment_leak):.3f} | {tally.errors} | {tally.ms_per_doc:.1f} |"
            if has_comments
            else f"| {name} | {s.documents} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | – | – | "
            f"{tally.errors} | {tally.ms_per_doc:.1f} |"
        )
        if per_language and len(tally.by_lang) > 1:
            for lang, matches in sorted(tally.by_lang.items()):
                ls = aggregate(matches)
                rows.append(f"| {name} [{lang}] | {ls.documents} | {ls.precision:.3f} | {ls.recall:.3f} | {ls.f1:.3f} | | | | |")
    return "\n".join(rows)
