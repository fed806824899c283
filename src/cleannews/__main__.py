"""``python -m cleannews`` is the ``cleannews`` command."""

from .cli import main

main(prog_name="cleannews")
