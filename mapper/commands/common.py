"""What every subcommand shares: the ARTICLES argument, --index, errors and exit codes."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

import click

from gazetteer import Gazetteer, GazetteerError
from gazetteer.cli import EXIT_PIPE_CLOSED, error_handler

from ..errors import MapperError
from ..model import Problem

__all__ = [
    "EXIT_PIPE_CLOSED",
    "EXIT_REJECTED",
    "Counted",
    "articles_argument",
    "handle_errors",
    "index_option",
    "open_gazetteer",
    "output_options",
    "report_problems",
    "require_articles",
]

EXIT_REJECTED = 3
handle_errors = error_handler(MapperError, GazetteerError, OSError)


def report_problems(problems: list[Problem]) -> None:
    """Print problems as ``path:line: message``; exit 3 if any record was rejected.

    Warnings alone (an encoding guessed, an empty file) leave the exit code at 0.
    """
    for problem in problems:
        click.echo(str(problem), err=True)
    if any(not problem.warning for problem in problems):
        click.get_current_context().exit(EXIT_REJECTED)


class Counted:
    """An iterable of articles that counts what it has given, for :func:`require_articles`."""

    def __init__(self, items: Iterable[Any]) -> None:
        self.items, self.count = items, 0

    def __iter__(self) -> Iterator[Any]:
        for item in self.items:
            self.count += 1
            yield item


def require_articles(read: int, problems: list[Problem], *,
                     failure: str = "no article could be read from the input") -> None:
    """Fail (exit 1) when inputs were named but not one article could be read from them.

    "Some records rejected" (exit 3) would let a mistyped file name pass for partial
    success. Empty inputs alone are no failure: there was simply nothing to read.
    """
    if read == 0 and any(not problem.warning for problem in problems):
        for problem in problems:
            click.echo(str(problem), err=True)
        raise MapperError(failure)


def articles_argument(command: Callable[..., Any]) -> Callable[..., Any]:
    """ARTICLES… plus --text-column: files, folders, JSONL/CSV/HTML, or - for stdin."""
    command = click.option("--text-column", default="text", show_default=True,
                           help="Field or column holding the article text.")(command)
    return click.argument("articles", nargs=-1, required=True)(command)


def output_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--format jsonl|csv, -o FILE (stdout when omitted) and --with-text."""
    command = click.option(
        "--with-text", is_flag=True,
        help="Add each article's text to its JSONL line: the text the offsets index, as "
             "read (from an HTML page, the extracted text).")(command)
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
