"""The ``mapper`` command line: a thin layer over the public functions of the package."""

from __future__ import annotations

import logging

import click

from gazetteer.cli import CONTEXT, gazetteer


@click.group(context_settings=CONTEXT)
@click.option("--debug", is_flag=True, help="Show tracebacks and debug logging.")
@click.version_option(package_name="newsmapper")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Map what the news says happened where.

    \b
    Exit codes:
      0  everything was processed
      1  the command failed; the reason is on stderr
      2  usage error
      3  finished, but some input records were rejected (listed on stderr)

    \b
    Example:
      mapper gazetteer search "Kaluga region"
    """
    ctx.obj = {"debug": debug}
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")


main.add_command(gazetteer)
