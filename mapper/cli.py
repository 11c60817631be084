"""The ``mapper`` command line: a thin layer over the public functions of the package.

The group and its options are here; the subcommands live in :mod:`mapper.commands`
and their names stay importable from here.
"""

from __future__ import annotations

import logging
import sys

import click

from gazetteer.cli import CONTEXT, gazetteer

from .commands.common import (
    EXIT_REJECTED,
    articles_argument,
    handle_errors,
    index_option,
    open_gazetteer,
    output_options,
    report_problems,
)
from .commands.evaluate import evaluate
from .commands.geocode import GEOCODE_FIELDS, geocode_command
from .commands.geoparse import check, extract, resolve, write_parsed
from .commands.incident_map import map_command

__all__ = ["EXIT_REJECTED", "GEOCODE_FIELDS", "articles_argument", "check", "evaluate",
           "extract", "geocode_command", "handle_errors", "index_option", "main",
           "map_command", "open_gazetteer", "output_options", "report_problems", "resolve",
           "write_parsed"]


@click.group(context_settings=CONTEXT)
@click.option("--debug", is_flag=True, help="Show tracebacks and debug logging.")
@click.version_option(package_name="newsmapper")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Map what the news says happened where.

    ARTICLES may be text files, folders, JSONL or CSV with a 'text' column (optional
    id, title, url, outlet, published), HTML pages, or - for standard input.

    \b
    Exit codes:
      0  everything was processed
      1  the command failed; the reason is on stderr
      2  usage error
      3  finished, but some input records were rejected (listed on stderr)

    \b
    Example:
      mapper extract articles.jsonl --format csv -o mentions.csv
    """
    ctx.obj = {"debug": debug}
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")


main.add_command(extract)
main.add_command(resolve)
main.add_command(map_command)
main.add_command(check)
main.add_command(geocode_command)
main.add_command(evaluate)
main.add_command(gazetteer)

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
