"""``cleannews clean``: clean files, folders, stdin, JSONL and WARC files; results to stdout or ``-o``.

A thin layer over :mod:`cleannews.batch`: inputs are read lazily (:func:`cleannews.sources.iter_tasks`),
cleaned in order by a pool of worker processes, and written as they come. Results go to stdout (or
``-o``); progress and the summary go to stderr.
"""

from __future__ import annotations

import os
import sys
import time
from contextlib import ExitStack
from pathlib import Path
from typing import BinaryIO

import click

from ..batch import BatchConfig, BatchStats, default_cores, iter_done
from ..decoding import charset_name
from ..errors import ConfigError
from ..sources import DEFAULT_MAX_BYTES, InputStats, iter_tasks
from ..writers import FORMATS, FolderWriter, Writer
from .options import config_option, load_chain, mode_option


def _is_folder(output: str) -> bool:
    return output.endswith(("/", os.sep)) or Path(output).is_dir()


class _Progress:
    """Documents, docs/s and errors on stderr while it is a terminal; nothing otherwise."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.last = 0.0
        self.started = time.monotonic()
        if not enabled:
            return
        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        # auto_refresh=False: no refresh thread, so forking replacement workers stays safe
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.completed} documents"),
            TextColumn("{task.fields[rate]:.1f} docs/s"),
            TextColumn("[red]{task.fields[errors]} errors"),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            auto_refresh=False,
            transient=True,
        )
        self.progress.start()
        self.task = self.progress.add_task("clean", total=None, rate=0.0, errors=0)

    def update(self, stats: BatchStats, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self.last < 0.1:
            return
        self.last = now
        elapsed = max(now - self.started, 1e-9)
        self.progress.update(self.task, completed=stats.documents, rate=stats.documents / elapsed, errors=stats.errors)
        self.progress.refresh()

    def stop(self) -> None:
        if self.enabled:
            self.progress.stop()


@click.command("clean")
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=str),
    help="Write here instead of stdout. A folder (existing, or ending in '/') with --to txt|json|md: one file per document.",
)
@click.option("--to", "fmt", type=click.Choice(FORMATS), default="jsonl", show_default=True, help="Output format.")
@mode_option
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Worker processes (default: every core).")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    default=None,
    help="Seconds one document may take; past it the document is an error record and the worker is replaced (0 or unset: no limit).",
)
@click.option(
    "--field",
    default=None,
    help="JSONL: the field holding the document (default: html if the record has it, in html/auto mode; else text).",
)
@click.option("--glob", default=None, help="With a folder: only files matching this pattern (e.g. '*.html').")
@click.option("--no-comments", is_flag=True, help="Leave reader comments out of the output.")
@click.option("--md-links", is_flag=True, help="--to md: keep the page's links as Markdown links.")
@click.option(
    "--charset",
    default=None,
    help="Files, stdin and WARC records without a fitting HTTP charset: their bytes are in this charset "
    "(used when it fits the bytes, else the document's declaration and detection decide).",
)
@config_option
@click.option(
    "--max-mb",
    type=click.FloatRange(min=0, min_open=True),
    default=DEFAULT_MAX_BYTES / 2**20,
    show_default=True,
    help="Documents larger than this are error records, not read.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress and no summary on stderr.")
def clean_command(
    inputs: tuple[str, ...],
    output: str | None,
    fmt: str,
    mode: str,
    jobs: int | None,
    timeout: float | None,
    field: str | None,
    glob: str | None,
    no_comments: bool,
    md_links: bool,
    charset: str | None,
    config: Path | None,
    max_mb: float,
    quiet: bool,
) -> None:
    """Clean INPUT... into articles, one output record per document, in input order.

    An INPUT is a file, a folder (recursive; --glob filters), - for stdin, a .jsonl/.jsonl.gz file
    (one record a line; every field but the document is carried into the output record) or a
    .warc/.warc.gz file (its HTML responses). Output is JSON lines by default: the article's fields
    plus the carried fields, source and error.

    Exit status: 0 all documents cleaned, 1 some failed (each failure is an error record in the
    output), 2 usage error.
    """
    chain = load_chain(config)
    if charset is not None:
        try:
            charset = charset_name(charset)
        except ConfigError as exc:
            raise click.BadParameter(str(exc), param_hint="--charset") from None
    jobs = jobs or default_cores()
    folder = output is not None and _is_folder(output)
    if folder and fmt == "jsonl":
        raise click.UsageError("-o FOLDER writes one file per document: use --to txt, json or md (or -o FILE.jsonl)")
    if output and not folder and any(i != "-" and os.path.realpath(i) == os.path.realpath(output) for i in inputs):
        raise click.UsageError(f"-o {output} is also an input: it would be overwritten before it is read")
    cfg = BatchConfig(mode=mode, field=field, chain=chain, comments=not no_comments, fmt=fmt, charset=charset,  # type: ignore[arg-type]
                      md_links=md_links)  # fmt: skip
    input_stats = InputStats()
    stats = BatchStats(inputs=input_stats)
    exclude = [Path(output)] if output else []
    tasks = iter_tasks(inputs, glob=glob, exclude=exclude, stats=input_stats, max_bytes=int(max_mb * 2**20))
    progress = _Progress(enabled=not quiet and sys.stderr.isatty())
    started = time.monotonic()
    broken_pipe = False
    with ExitStack() as stack:
        writer: Writer | FolderWriter
        if folder:
            assert output is not None
            Path(output).mkdir(parents=True, exist_ok=True)
            writer = FolderWriter(Path(output), fmt)
        else:
            stream: BinaryIO = stack.enter_context(open(output, "wb")) if output else sys.stdout.buffer
            writer = Writer(stream, fmt)  # flushed per document: a reader downstream gets each one at once
        results = iter_done(tasks, cfg, jobs=jobs, timeout=timeout or None, stats=stats)
        stack.callback(results.close)  # stops the workers however the loop ends
        try:
            for done in results:
                writer.write_piece(done.name if folder else done.source, done.data)
                stats.add(done)
                progress.update(stats)
            writer.close()
        except BrokenPipeError:  # `cleannews clean … | head`
            broken_pipe = True
        finally:
            progress.stop()
    if broken_pipe:
        _silence_stdout()
        sys.exit(1)
    if not quiet:
        for line in stats.summary(time.monotonic() - started, jobs):
            click.echo(line, err=True)
    sys.exit(1 if stats.errors else 0)


def _silence_stdout() -> None:
    # Python flushes stdout at exit; after a broken pipe that flush raises again, so point it at devnull.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
