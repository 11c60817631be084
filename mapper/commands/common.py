"""What every subcommand shares: the ARTICLES argument, --index, errors and exit codes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from gazetteer import Gazetteer, GazetteerError
from gazetteer.cli import error_handler

from ..errors import MapperError
from ..model import Problem

__all__ = ["EXIT_REJECTED", "articles_argument", "handle_errors", "index_option",
           "open_gazetteer", "output_options", "report_problems"]

EXIT_REJECTED = 3


handle_errors = error_handler(MapperError, GazetteerError, OSError)


def report_problems(problems: list[Problem]) -> None:
    """Print rejected records as ``path:line: message`` and exit 3 if there were any."""
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        click.get_current_context().exit(EXIT_REJECTED)


def articles_argument(command: Callable[..., Any]) -> Callable[..., Any]:
    """ARTICLES… plus --text-column: files, folders, JSONL/CSV/HTML, or - for stdin."""
    command = click.option("--text-column", default="text", show_default=True,
                           help="Field or column holding the article text.")(command)
    return click.argument("articles", nargs=-1, required=True)(command)


def output_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--format jsonl|csv and -o FILE (stdout when omitted)."""
    command = click.option("-o", "--output", type=click.File("w", encoding="utf-8"),
                           default="-", help="Write here instead of stdout.")(command)
    return click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]),
                        default="jsonl", show_default=True, help="Output format.")(command)


index_option = click.option("--index", type=click.Path(dir_okay=False, exists=True),
                            envvar="MAPPER_GAZETTEER",
                            help="Gazetteer index file (default: the embedded one).")


def open_gazetteer(index: str | None) -> Gazetteer:
    """The index named by --index, or the embedded default."""
    return Gazetteer(index) if index else Gazetteer.default()
