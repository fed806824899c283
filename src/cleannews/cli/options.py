"""Options and helpers the subcommands share."""

from __future__ import annotations

from pathlib import Path

import click

from ..chain import Chain, project_config
from ..errors import ConfigError


def load_chain(config: Path | None) -> Chain:
    """The chain from ``--config``, else ``[tool.cleannews]`` of the nearest pyproject.toml, else the default."""
    try:
        if config is not None:
            return Chain.from_config(config)
        found = project_config()
        return Chain.from_config(found) if found else Chain.default()
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None


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
