"""``cleannews eval``: precision/recall/F1, comment recall/leak, errors and ms/doc on a gold JSONL file."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click
import orjson

from ..errors import ConfigError
from ..evaluation.data import Problem, Record, count_lines, read_records
from ..evaluation.runner import evaluate, problems_note, repairs_note, table, to_dict
from ..evaluation.systems import PEERS, System, cleannews_system
from .options import OneLineErrors, config_option, load_chain


def _peers(compare: str, mode: str) -> dict[str, System]:
    systems: dict[str, System] = {}
    for name in [p.strip() for p in compare.split(",") if p.strip()]:
        if name not in PEERS:
            raise click.UsageError(f"unknown peer {name!r}; valid: {', '.join(PEERS)}")
        if name == "cleannews":
            continue
        try:
            systems[name] = PEERS[name](mode)
        except ConfigError as exc:
            raise click.UsageError(str(exc)) from None
    return systems


class _Progress:
    """A progress bar on stderr (only when stderr is a terminal)."""

    def __init__(self, total: int | None) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.progress = Progress(
            TextColumn("eval"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self.task = self.progress.add_task("eval", total=total)

    def __enter__(self) -> Callable[[Record | Problem], None]:
        self.progress.start()
        return lambda _item: self.progress.advance(self.task)

    def __exit__(self, *exc: Any) -> None:
        self.progress.stop()


def _checked(items: Iterator[Record | Problem]) -> Iterator[Record | Problem]:
    try:
        yield from items
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None


@click.command("eval", cls=OneLineErrors)
@click.argument("data", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--mode", type=click.Choice(["text", "html"]), default="html", show_default=True,
              help="Score cleannews on the records' html or on their whole-page text.")  # fmt: skip
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Only the first N records.")
@click.option("--sample", type=click.IntRange(min=1), default=None,
              help="N records spread evenly over the file (for files sorted by language or site).")  # fmt: skip
@click.option(
    "--compare", default="", help="Comma-separated peers to run on the same records: " + ", ".join(PEERS) + "."
)
@click.option("--per-language", is_flag=True, help="Add rows per language (the records' lang field).")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON instead of a table.")
@click.option("--metadata", is_flag=True,
              help="Score title, author, date and Markdown structure instead (cleannews on html and on text, "
                   "and trafilatura, in one run; --mode and --compare do not apply): see docs/metadata.md.")  # fmt: skip
@click.option("--progress/--no-progress", default=None,
              help="Progress bar on stderr (default: when stderr is a terminal).")  # fmt: skip
@config_option
def eval_command(
    data: Path,
    mode: str,
    limit: int | None,
    sample: int | None,
    compare: str,
    per_language: bool,
    as_json: bool,
    metadata: bool,
    progress: bool | None,
    config: Path | None,
) -> None:
    """Score cleannews (and peers) on DATA, a JSONL(.gz) file with one record a line.

    Record fields: id, lang, url, html, text, gold_body, gold_comments, gold_title (see
    docs/evaluation.md). A record is scored when it has gold_body and the input for --mode; the
    others are counted under the table. Precision, recall and F1 follow the ScrapingHub
    article-extraction-benchmark (4-token shingles, averaged per document).
    """
    if limit is not None and sample is not None:
        raise click.UsageError("give --limit or --sample, not both")
    chain = load_chain(config)
    systems: dict[str, System] = {"cleannews": cleannews_system(mode, chain)}
    systems.update(_peers(compare, mode))
    items = _checked(read_records(data, mode=mode, limit=limit, sample=sample))
    show = sys.stderr.isatty() if progress is None else progress
    if metadata:
        _metadata(data, items, show, sample if sample is not None else limit, as_json)
        return
    if show:
        total = sample if sample is not None else count_lines(data)
        total = min(total, limit) if limit is not None else total
        with _Progress(total) as tick:
            report = evaluate(items, systems, progress=tick)
    else:
        report = evaluate(items, systems)
    if as_json:
        payload = {"data": str(data), "mode": mode, **to_dict(report)}
        click.echo(orjson.dumps(payload, option=orjson.OPT_INDENT_2).decode())
        return
    scored = report.scored
    what = f"{scored} record(s) scored"
    click.echo(f"{data.name} — mode {mode}, {what}")
    click.echo(table(report, per_language=per_language))
    for note in (problems_note(report), repairs_note(report)):
        if note:
            click.echo(note)


def _metadata(data: Path, items: Iterator[Record | Problem], show: bool, size: int | None, as_json: bool) -> None:
    """``eval --metadata``: see :mod:`cleannews.evaluation.metadata`."""
    from ..evaluation import metadata

    if show:
        total = min(size, count_lines(data)) if size is not None else count_lines(data)
        with _Progress(total) as tick:
            report = metadata.evaluate(items, progress=tick)
    else:
        report = metadata.evaluate(items)
    if as_json:
        click.echo(orjson.dumps({"data": str(data), **metadata.to_dict(report)}, option=orjson.OPT_INDENT_2).decode())
        return
    click.echo(f"{data.name} — metadata and structure, tuned part {metadata.TRAIN_SHARE:.0%} of each set")
    click.echo(metadata.tables(report))
