"""``cleannews explain``: every block with its label, the cleaner that set it and why."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..assemble import assemble
from ..batch.sources import read_source
from ..document import Document
from ..errors import ConfigError
from ..kinds import is_chrome, is_metadata
from ..pipeline import make_document
from .options import config_option, load_chain, mode_option

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


@click.command("explain")
@click.argument("path", metavar="PATH")
@mode_option
@config_option
@click.option("--width", type=int, default=None, help="Text column width (default: fit the terminal).")
def explain_command(path: str, mode: str, config: Path | None, width: int | None) -> None:
    """Show every block of PATH with its label, cleaner and reason."""
    chain = load_chain(config)
    source = read_source(path)
    if source.error or source.content is None:
        raise click.UsageError(source.error or f"cannot read {path}")
    try:
        doc, fixes = make_document(source.content, format=mode)  # type: ignore[arg-type]
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None
    chain(doc)
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
