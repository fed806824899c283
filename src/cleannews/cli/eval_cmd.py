"""``cleannews eval``: precision/recall/F1, comment recall/leak, errors and ms/doc on a gold JSONL file."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import ConfigError
from ..evaluation.data import read_records
from ..evaluation.runner import evaluate, table
from ..evaluation.systems import PEERS, System, cleannews_system
from .options import config_option, load_chain


@click.command("eval")
@click.argument("data", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--mode", type=click.Choice(["text", "html"]), default="html", show_default=True)
@click.option("--limit", type=int, default=None, help="Only the first N records.")
@click.option("--compare", default="", help="Comma-separated peers to run on the same records: " + ", ".join(PEERS))
@click.option("--per-language", is_flag=True, help="Add a row per language.")
@config_option
def eval_command(data: Path, mode: str, limit: int | None, compare: str, per_language: bool, config: Path | None) -> None:
    """Score cleannews (and peers) on DATA, a JSONL(.gz) file of records with html/text and gold_body.

    Records: id, lang, url, html, text, gold_body, gold_comments, gold_title (see docs/evaluation.md).
    """
    chain = load_chain(config)
    systems: dict[str, System] = {"cleannews": cleannews_system(mode, chain)}
    for name in [p.strip() for p in compare.split(",") if p.strip()]:
        if name not in PEERS:
            raise click.UsageError(f"unknown peer {name!r}; valid: {', '.join(PEERS)}")
        systems[name] = PEERS[name](mode)
    try:
        tallies = evaluate(read_records(data, limit), systems)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"{data.name} — mode {mode}")
    click.echo(table(tallies, per_language=per_language))
