"""Options and helpers the subcommands share; usage errors on one line."""

from __future__ import annotations

import math
from pathlib import Path
from typing import IO, Any

import click
from click.exceptions import NoArgsIsHelpError

from ..chain import Chain, project_config
from ..errors import ConfigError

#: exit statuses of ``cleannews clean`` (README, docs/batch.md)
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class UsageProblem(click.ClickException):
    """A usage error, shown on one line: ``cleannews clean: error: … (cleannews clean -h for help)``."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str, ctx: click.Context | None = None) -> None:
        super().__init__(" ".join(message.split()))
        self.ctx = ctx if ctx is not None else click.get_current_context(silent=True)

    def show(self, file: IO[Any] | None = None) -> None:
        prog = self.ctx.command_path if self.ctx is not None else "cleannews"
        click.echo(f"{prog}: error: {self.format_message()} ({prog} -h for help)", file=file, err=file is None)


class OneLineErrors(click.Command):
    """A command whose usage errors, click's own (a bad option value, a missing argument) and the ones
    it raises, are one line each, never a traceback."""

    def make_context(
        self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra: Any
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click.UsageError as exc:
            raise UsageProblem(exc.format_message(), exc.ctx) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except UsageProblem:
            raise
        except click.UsageError as exc:
            raise UsageProblem(exc.format_message(), exc.ctx or ctx) from None


class OneLineGroup(click.Group):
    """The ``cleannews`` group, with one-line usage errors too (an unknown subcommand …)."""

    command_class = OneLineErrors

    def make_context(
        self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra: Any
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except NoArgsIsHelpError:
            raise
        except click.UsageError as exc:
            raise UsageProblem(exc.format_message(), exc.ctx) from None

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError as exc:
            raise UsageProblem(exc.format_message(), exc.ctx or ctx) from None


class FiniteFloat(click.ParamType[float]):
    """A finite number at least ``minimum`` (``inf`` and ``nan`` are usage errors)."""

    name = "number"

    def __init__(self, minimum: float = 0.0, *, above: bool = False) -> None:
        self.minimum = minimum
        self.above = above

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        try:
            number = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number", param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number", param, ctx)
        if number < self.minimum or (self.above and number == self.minimum):
            self.fail(f"{value!r} must be {'above' if self.above else 'at least'} {self.minimum:g}", param, ctx)
        return number


def load_chain(config: Path | None) -> Chain:
    """The chain from ``--config``, else ``[tool.cleannews]`` of the nearest pyproject.toml, else the default."""
    try:
        if config is not None:
            return Chain.from_config(config)
        found = project_config()
        return Chain.from_config(found) if found else Chain.default()
    except ConfigError as exc:
        raise UsageProblem(str(exc)) from None


config_option = click.option(
    "--config",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="TOML file choosing, ordering and tuning cleaners (default: [tool.cleannews] in pyproject.toml).",
)
mode_option = click.option(
    "--mode",
    type=click.Choice(["auto", "text", "html"]),
    default="auto",
    show_default=True,
    help="Input format; auto tells HTML from text.",
)
