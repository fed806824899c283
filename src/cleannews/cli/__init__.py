"""The ``cleannews`` command: a thin layer over the library."""

from __future__ import annotations

import click

from .. import __version__
from .clean_cmd import clean_command
from .eval_cmd import eval_command
from .explain_cmd import explain_command
from .options import OneLineGroup


@click.group(cls=OneLineGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cleannews")
def main() -> None:
    """Clean news text and HTML into articles, and explain every removal."""


main.add_command(clean_command)
main.add_command(explain_command)
main.add_command(eval_command)
