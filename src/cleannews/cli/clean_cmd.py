"""``cleannews clean``: clean files, folders, stdin, JSONL and WARC files; results to stdout or ``-o``.

A thin layer over :mod:`cleannews.batch`: inputs are read lazily (:func:`cleannews.batch.sources.iter_tasks`),
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

from ..batch.records import DEFAULT_TIMEOUT, default_cores
from ..batch.run import BatchConfig, BatchStats, iter_done
from ..batch.sources import iter_tasks
from ..batch.tasks import DEFAULT_MAX_BYTES, InputStats
from ..batch.writers import FORMATS, AtomicFile, FolderWriter, Writer
from ..decoding import charset_name
from ..errors import ConfigError
from .options import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    FiniteFloat,
    OneLineErrors,
    UsageProblem,
    config_option,
    load_chain,
    mode_option,
)


def _is_folder(output: str) -> bool:
    return output.endswith(("/", os.sep)) or Path(output).is_dir()


def _inside(path: str, folder: str) -> bool:
    return path.startswith(folder.rstrip(os.sep) + os.sep)


def overlap(inputs: tuple[str, ...], output: str) -> str | None:
    """Why writing ``output`` would touch an input (paths compared after resolving links), or ``None``.

    Refused: the output is an input; the output holds an input (a folder written into); the output
    already exists inside an input folder (it would be replaced, and it is one of the inputs). A new
    output file or folder inside an input folder is allowed: the folder walk never reads it.
    """
    out = os.path.realpath(output)
    for item in inputs:
        if item == "-" or not os.path.lexists(item):
            continue
        source = os.path.realpath(item)
        if out == source:
            return f"-o {output} is also an input: it would be overwritten before it is read"
        if _inside(source, out):
            return f"-o {output} holds the input {item}: writing there would overwrite the input"
        if os.path.isdir(source) and _inside(out, source) and os.path.lexists(out):
            return (
                f"-o {output} already exists inside the input folder {item}: writing would replace input "
                "documents; write the output outside the input"
            )
    return None


def _writable_folder(folder: Path) -> None:
    """Raise :class:`UsageProblem` unless files can be made in ``folder`` (made if missing)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageProblem(f"cannot make the output folder {folder}: {exc.strerror or exc}") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageProblem(f"cannot write into the output folder {folder}: Permission denied")


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


@click.command("clean", cls=OneLineErrors)
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=str),
    help="Write here instead of stdout (an existing file is replaced when the run ends). A folder (existing, "
    "or ending in '/') with --to txt|json|md: one file per document. Never an input or inside one.",
)
@click.option("--to", "fmt", type=click.Choice(FORMATS), default="jsonl", show_default=True, help="Output format.")
@mode_option
@click.option(
    "--jobs", "-j", type=click.IntRange(min=1), default=None, help="Worker processes (default and most: every core)."
)
@click.option(
    "--timeout",
    type=FiniteFloat(0),
    default=DEFAULT_TIMEOUT,
    show_default=True,
    help="Seconds one document may take; past it the document is an error record and its worker is replaced "
    "(0: no limit).",
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
    type=FiniteFloat(0, above=True),
    default=DEFAULT_MAX_BYTES / 2**20,
    show_default=True,
    help="Documents larger than this (in MB of 2**20 bytes) are error records, not read.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress and no summary on stderr.")
def clean_command(
    inputs: tuple[str, ...],
    output: str | None,
    fmt: str,
    mode: str,
    jobs: int | None,
    timeout: float,
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
    .warc/.warc.gz file (its HTML responses; a Common Crawl .warc.wet.gz: its text records, in text
    mode). Output is JSON lines by default: the article's fields
    plus the carried fields, source and error.

    Exit status: 0 all documents cleaned, 1 some failed (each failure is an error record in the
    output), 2 usage error, 130 interrupted (what was cleaned until then is written).
    """
    chain = load_chain(config)
    if charset is not None:
        try:
            charset = charset_name(charset)
        except ConfigError as exc:
            raise click.BadParameter(str(exc), param_hint="--charset") from None
    cores = default_cores()
    if jobs is not None and jobs > cores and not quiet:
        click.echo(
            f"cleannews: --jobs {jobs} is more than the {cores} cores this process may use: {cores} jobs", err=True
        )
    jobs = min(jobs or cores, cores)
    folder = output is not None and _is_folder(output)
    if folder and fmt == "jsonl":
        raise UsageProblem("-o FOLDER writes one file per document: use --to txt, json or md (or -o FILE.jsonl)")
    if output is not None:
        problem = overlap(inputs, output)
        if problem:
            raise UsageProblem(problem)
        if folder:
            _writable_folder(Path(output))
        elif not Path(output).parent.is_dir():
            raise UsageProblem(f"-o {output}: the folder {Path(output).parent} does not exist")
    cfg = BatchConfig(mode=mode, field=field, chain=chain, comments=not no_comments, fmt=fmt, charset=charset,  # type: ignore[arg-type]
                      md_links=md_links)  # fmt: skip
    input_stats = InputStats()
    stats = BatchStats(inputs=input_stats)
    exclude = [Path(output)] if output else []
    tasks = iter_tasks(inputs, glob=glob, exclude=exclude, stats=input_stats, max_bytes=round(max_mb * 2**20))
    progress = _Progress(enabled=not quiet and sys.stderr.isatty())
    started = time.monotonic()
    broken_pipe = interrupted = False
    sink: AtomicFile | None = None
    if output is not None and not folder:
        try:
            sink = AtomicFile(Path(output))  # written aside, renamed over the output at the end
        except OSError as exc:
            raise UsageProblem(f"cannot write {output}: {exc.strerror or exc}") from None
    with ExitStack() as stack:
        writer: Writer | FolderWriter
        if folder:
            assert output is not None
            writer = FolderWriter(Path(output), fmt)
        else:
            stream: BinaryIO = sink.stream if sink is not None else sys.stdout.buffer
            writer = Writer(stream, fmt)  # flushed per document: a reader downstream gets each one at once
        results = iter_done(tasks, cfg, jobs=jobs, timeout=timeout or None, stats=stats)
        stack.callback(results.close)  # stops the workers however the loop ends
        try:
            for done in results:
                writer.write_piece(done.name if folder else done.source, done.data)
                stats.add(done)
                progress.update(stats)
        except BrokenPipeError:  # `cleannews clean … | head`
            broken_pipe = True
        except KeyboardInterrupt:  # Ctrl-C: keep what was cleaned, well-formed
            interrupted = True
        except OSError as exc:  # the output cannot be written (disk full …): an existing one stays as it was
            if sink is not None:
                sink.discard()
            progress.stop()
            click.echo(f"cleannews clean: error: cannot write {output or 'stdout'}: {exc.strerror or exc}", err=True)
            sys.exit(EXIT_FAILED)
        except BaseException:
            if sink is not None:
                sink.discard()  # an existing output stays as it was
            raise
        finally:
            progress.stop()
    if broken_pipe:
        _silence_stdout()
        sys.exit(EXIT_FAILED)
    if not stats.documents and input_stats.empty_folders and not interrupted:
        if sink is not None:
            sink.discard()
        pattern = f" matching --glob {glob!r}" if glob else ""
        raise UsageProblem(f"no documents: no file{pattern} in {', '.join(input_stats.empty_folders)}")
    writer.close()  # the end of a JSON array
    if sink is not None:
        sink.commit()
    if not quiet:
        for line in stats.summary(time.monotonic() - started, jobs):
            click.echo(line, err=True)
        if interrupted:
            where = f" to {output}" if output else ""
            click.echo(
                f"interrupted: {stats.documents} document{'s' if stats.documents != 1 else ''} written{where} "
                "before Ctrl-C (the output is complete up to there)",
                err=True,
            )
    if interrupted:
        sys.exit(EXIT_INTERRUPTED)
    sys.exit(EXIT_FAILED if stats.errors else EXIT_OK)


def _silence_stdout() -> None:
    # Python flushes stdout at exit; after a broken pipe that flush raises again, so point it at devnull.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
