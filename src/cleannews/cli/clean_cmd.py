"""``cleannews clean``: clean files, folders or stdin; results to stdout or ``-o``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import BinaryIO

import click

from ..pipeline import clean
from ..sources import iter_paths, read_source
from ..writers import FORMATS, Writer, result_record
from .options import config_option, load_chain, mode_option


@click.command("clean")
@click.argument("inputs", nargs=-1, required=True, metavar="PATH...")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here instead of stdout.")
@click.option("--to", "fmt", type=click.Choice(FORMATS), default="jsonl", show_default=True, help="Output format.")
@mode_option
@config_option
@click.option("--glob", default=None, help="With a folder: only files matching this pattern (e.g. '*.html').")
@click.option("--no-comments", is_flag=True, help="Leave reader comments out of the output.")
def clean_command(
    inputs: tuple[str, ...],
    output: Path | None,
    fmt: str,
    mode: str,
    config: Path | None,
    glob: str | None,
    no_comments: bool,
) -> None:
    """Clean PATH... (files, folders, or - for stdin) into articles.

    Exit status: 0 all documents cleaned, 1 some failed (each failure is an error record in the
    output), 2 usage error.
    """
    chain = load_chain(config)
    failed = 0
    stream: BinaryIO = open(output, "wb") if output else sys.stdout.buffer  # noqa: SIM115
    writer = Writer(stream, fmt)
    try:
        for name in iter_paths(inputs, glob):
            doc = read_source(name)
            if doc.error is not None or doc.content is None:
                failed += 1
                writer.write(result_record(name, None, doc.error or "unreadable"))
                continue
            article = clean(doc.content, format=mode, chain=chain, comments=not no_comments)  # type: ignore[arg-type]
            writer.write(result_record(name, article.to_dict()))
        writer.close()
    finally:
        if output:
            stream.close()
    sys.exit(1 if failed else 0)
