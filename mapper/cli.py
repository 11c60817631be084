"""The ``mapper`` command line: a thin layer over the public functions of the package.

The group and its options are here; the subcommands live in :mod:`mapper.commands`.
"""

from __future__ import annotations

import logging
import sys

import click

from gazetteer.cli import CONTEXT, gazetteer

from .commands.evaluate import evaluate
from .commands.geocode import geocode_command
from .commands.geoparse import check, extract, resolve
from .commands.incident_map import map_command

__all__ = ["main"]


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
      141  the output was closed early (piped into head)

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
