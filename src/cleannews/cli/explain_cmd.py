"""``cleannews explain``: every block with its label, the cleaner that set it and why."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..assemble import assemble
from ..batch.sources import read_file, read_stdin
from ..document import Document
from ..errors import ConfigError
from ..kinds import is_chrome, is_metadata
from ..pipeline import labelled_document
from .options import OneLineErrors, config_option, load_chain, mode_option

_STYLE = {"title": "bold cyan", "body": "green", "comment": "magenta"}


def _style(kind: str) -> str:
    if kind in _STYLE:
        return _STYLE[kind]
    return "yellow" if is_metadata(kind) else "red"


def explain_rows(doc: Document) -> list[tuple[int, str, str, str, str]]:
    """(index, kind, cleaner, reason, text) for every block, body included."""
    rows = []
    for block in doc.blocks:
        label = doc.labels[block.index]
        if label is None:
            rows.append((block.index, "body", "-", "kept: no cleaner labelled it", block.text))
        else:
            rows.append((block.index, label.kind, label.cleaner, label.reason, block.text))
    return rows


@click.command("explain", cls=OneLineErrors)
@click.argument("path", metavar="PATH")
@mode_option
@config_option
@click.option("--width", type=int, default=None, help="Text column width (default: fit the terminal).")
def explain_command(path: str, mode: str, config: Path | None, width: int | None) -> None:
    """Show every block of PATH with its label, cleaner and reason."""
    chain = load_chain(config)
    task = read_stdin() if path == "-" else read_file(Path(path), Path(path).name)  # at most --max-mb's default
    if task.error or task.data is None:
        raise click.UsageError(task.error or f"cannot read {path}")
    try:  # what `cleannews clean` does with it, binary data included
        doc, fixes = labelled_document(task.data, format=mode, chain=chain)  # type: ignore[arg-type]
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None
    article = assemble(doc, fixes)
    console = Console(width=width or None, soft_wrap=False)
    table = Table(show_lines=False, expand=True, title=f"{path} — {doc.mode}, language {doc.language or '?'}")
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("label", no_wrap=True)
    table.add_column("cleaner", no_wrap=True)
    table.add_column("reason", ratio=2)
    table.add_column("text", ratio=3)
    for index, kind, cleaner, reason, text in explain_rows(doc):
        style = _style(kind)
        table.add_row(
            str(index), Text(kind, style=style), cleaner, reason, Text(text, style="dim" if is_chrome(kind) else "")
        )
    console.print(table)
    removed = len(article.removed)
    summary = (
        f"{len(doc.blocks)} blocks: title {'yes' if article.title else 'no'}, {len(article.paragraphs)} paragraphs, "
        f"{len(article.comments)} comments, {len(article.metadata.blocks)} metadata, {removed} removed"
    )
    console.print(summary)
    for fix in article.fixes:
        console.print(f"fix: {fix.step} {fix.detail}")
    for warning in article.warnings:
        console.print(f"[yellow]warning:[/yellow] {warning}")
