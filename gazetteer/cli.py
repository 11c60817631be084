"""The ``gazetteer`` command group: info, search, show, build, download.

Mounted by the ``mapper`` command as ``mapper gazetteer``; each command is a thin layer
over one public function of the package.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Any

import click

from .errors import GazetteerError

CONTEXT = {"help_option_names": ["-h", "--help"]}


EXIT_PIPE_CLOSED = 141  # what a shell reports for a program stopped by SIGPIPE


def error_handler(*expected: type[BaseException]) -> Callable[[Callable[..., Any]], Any]:
    """A decorator turning the ``expected`` errors into one stderr line and exit code 1.

    A closed pipe ends the command quietly with exit code 141.

    ``--debug`` on the root command shows the traceback instead.
    """

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(command)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return command(*args, **kwargs)
            except BrokenPipeError:
                # "| head" stopped reading: no error worth a message. Further writes (the
                # flush at exit) go nowhere; the exit code still says the output was cut.
                with contextlib.suppress(AttributeError, OSError, ValueError):  # no real fd
                    target = sys.stdout.fileno()
                    devnull = os.open(os.devnull, os.O_WRONLY)
                    try:
                        os.dup2(devnull, target)
                    finally:
                        os.close(devnull)
                click.get_current_context().exit(EXIT_PIPE_CLOSED)
            except expected as exc:
                ctx = click.get_current_context()
                if (ctx.find_root().obj or {}).get("debug"):
                    raise
                click.echo(f"error: {exc}", err=True)
                ctx.exit(1)

        return wrapper

    return decorate


handle_errors = error_handler(GazetteerError, OSError)


@contextmanager
def progress_bar(enabled: bool = True) -> Iterator[Callable[[str, int, int | None], None]]:
    """A rich progress bar on stderr, as a ``progress(stage, done, total)`` callback."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    if not enabled or not sys.stderr.isatty():
        yield lambda stage, done, total: None
        return
    from rich.console import Console

    tasks: dict[str, Any] = {}
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                  MofNCompleteColumn(), TimeElapsedColumn(),
                  console=Console(stderr=True), transient=False) as bar:
        def update(stage: str, done: int, total: int | None) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)
        yield update


def _open(index: str | None) -> Any:
    from .index import Gazetteer

    if index:
        return Gazetteer(index)
    from .default import default_index_path

    with progress_bar() as progress:
        return Gazetteer(default_index_path(progress=progress))


index_option = click.option(
    "--index", type=click.Path(dir_okay=False), envvar="MAPPER_GAZETTEER",
    help="Index file to use (default: the embedded index, built on first use).")


@click.group(context_settings=CONTEXT)
def gazetteer() -> None:
    """Look up, build and download the GeoNames index.

    Out of the box the index is built once from the GeoNames data shipped with the
    package (cities with 500+ people, every admin-1 and admin-2 unit, countries,
    continents, admin-1 polygons). Build a fuller one from the official dump with
    'download' and 'build'.

    \b
    Example:
      mapper gazetteer search "Kaluga region"
    """


@gazetteer.command(context_settings=CONTEXT)
@index_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@handle_errors
def info(index: str | None, as_json: bool) -> None:
    """Say what the index holds: file, build time, data vintage, counts, sources.

    \b
    Example:
      mapper gazetteer info --json
    """
    data = _open(index).info()
    if as_json:
        click.echo(json.dumps(data, indent=2))
        return
    click.echo(f"index      {data['path']} ({data['bytes'] / 1e6:.1f} MB)")
    click.echo(f"built      {data['built_at']} in {data['build_seconds']:.1f} s")
    click.echo(f"vintage    {data['vintage']} (newest modification date of a place)")
    for name, count in data["counts"].items():
        click.echo(f"{name:<18} {count:>10,}")
    click.echo("sources:")
    for src in data["sources"]:
        click.echo(f"  {src['kind']:<18} {Path(src['file']).name} ({src['rows']:,} rows, "
                   f"file dated {src['modified']})")
    click.echo("Contains data from GeoNames (www.geonames.org), CC BY 4.0.")


@gazetteer.command(context_settings=CONTEXT)
@click.argument("name")
@click.option("--country", "country_code", metavar="CC", help="ISO country code, e.g. RU.")
@click.option("--within", metavar="ADMIN_CODE",
              help="Admin unit as dotted code (RU.25) or geonameid.")
@click.option("--feature-class", metavar="X", help="GeoNames feature class: A, P, H, L, …")
@click.option("--feature-code", metavar="CODE", help="GeoNames feature code: ADM1, PPL, …")
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True,
              help="How many matches.")
@click.option("--no-fuzzy", is_flag=True, help="Only exact (folded) name matches.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array, best first.")
@index_option
@handle_errors
def search(name: str, country_code: str | None, within: str | None, feature_class: str | None,
           feature_code: str | None, limit: int, no_fuzzy: bool, as_json: bool,
           index: str | None) -> None:
    """Find places called NAME, best first, with scores.

    Case, diacritics, apostrophes and transliteration variants are folded; a designator
    ("region", "district", "oblast", "rayon", …) is stripped and hints at the feature type.

    \b
    Examples:
      mapper gazetteer search "Kaluga region"
      mapper gazetteer search "Dzerzhinsky district" --within RU.25 --json
      mapper gazetteer search Springfield --country US --feature-class P --limit 3
    """
    gaz = _open(index)
    matches = gaz.search(name, country_code=country_code, within=within,
                         feature_class=feature_class, feature_code=feature_code,
                         limit=limit, fuzzy=not no_fuzzy)
    if not matches:
        _check_filters(gaz, country_code, within)
    if as_json:
        click.echo(json.dumps([m.to_dict() for m in matches], ensure_ascii=False, indent=1))
        return
    if not matches:
        click.echo(f"no place called {name!r}", err=True)
    for m in matches:
        p = m.place
        where = ", ".join(x for x in (p.admin2_name, p.admin1_name, p.country_code) if x)
        click.echo(f"{m.score:.3f}  {p.geonameid:>9}  {p.name} ({p.feature_code}) — {where}  "
                   f"[{p.lat:.4f}, {p.lon:.4f}]  via {m.how}")


def _check_filters(gaz: Any, country_code: str | None, within: str | None) -> None:
    """Blame an unknown --country or --within, not the name, when nothing matched."""
    if country_code and gaz.admin_unit(country_code.strip()) is None:
        raise click.BadParameter(f"unknown country {country_code}", param_hint="'--country'")
    digits = within is not None and within.strip().isascii() and within.strip().isdigit()
    code = gaz.admin_code_of(within) if within and not digits else None
    if code is not None and gaz.admin_unit(code) is None:
        raise click.BadParameter(f"unknown admin code {within}", param_hint="'--within'")


@gazetteer.command(context_settings=CONTEXT)
@click.argument("geonameid", type=int)
@index_option
@handle_errors
def show(geonameid: int, index: str | None) -> None:
    """Show one place as JSON: codes, admin names, parents, and where its point came from.

    \b
    Example:
      mapper gazetteer show 553899
    """
    gaz = _open(index)
    place = gaz.get(geonameid)
    data = place.to_dict()
    data["coordinate_source"] = gaz.coordinate_source(geonameid)
    data["parents"] = [{"geonameid": p.geonameid, "name": p.name,
                        "feature_code": p.feature_code} for p in gaz.parents(geonameid)]
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@gazetteer.command(context_settings=CONTEXT)
@click.option("--from", "sources", multiple=True, required=True, type=click.Path(exists=True),
              help="Official GeoNames files or folders of them (repeatable).")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Where to write the index (default: the user cache, used from then on).")
@click.option("--packaged/--no-packaged", default=True, show_default=True,
              help="Fill in from the packaged data what the official files lack: English "
                   "news aliases (UAE, U.S., Calif., EU), region and country shapes, and "
                   "points for units the code files name but no table has a row for.")
@handle_errors
def build(sources: tuple[str, ...], output: str | None, packaged: bool) -> None:
    """Build an index from official GeoNames files (allCountries, alternateNamesV2, …).

    Files are recognised by their official names; .zip, .gz and .xz are read directly.
    The new index replaces the old one only when it is complete. GeoNames lacks the
    short forms news writes ("U.S.", "Calif.") and the shapes that settle containment;
    the embedded index's are added too, so both indexes read text alike. A build from
    cities500 and the code files (no allCountries) also takes the packaged points of
    the countries and admin units it has no row for.

    \b
    Example:
      mapper gazetteer download --dest ~/geonames
      mapper gazetteer build --from ~/geonames -o ~/geonames/full.sqlite
      export MAPPER_GAZETTEER=~/geonames/full.sqlite
    """
    from dataclasses import replace

    from .build import build_index, find_sources
    from .default import DATA_DIR, cache_dir

    dest = Path(output) if output else cache_dir() / "full.sqlite"
    found = find_sources(sources)
    if packaged:
        found = replace(
            found, aliases=found.aliases or (DATA_DIR / "aliases.tsv",),
            shapes=found.shapes or tuple(sorted(DATA_DIR.glob("*_shapes.geojson.xz"))),
            unit_points=(DATA_DIR / "geonames.txt.xz",))
    with progress_bar() as progress:
        report = build_index(found, dest, progress=progress)
    click.echo(f"built {report.path} in {report.seconds:.0f} s: "
               + ", ".join(f"{v:,} {k}" for k, v in report.counts.items()))
    if not output:
        click.echo(f"use it with: export MAPPER_GAZETTEER={report.path}")


@gazetteer.command(context_settings=CONTEXT)
@click.option("--dest", type=click.Path(file_okay=False), default=".", show_default=True,
              help="Folder to download into.")
@click.option("--base-url", default=None, help="Mirror of the GeoNames export/dump folder.")
@click.option("--file", "names", multiple=True, help="Only these files (repeatable).")
@click.option("--dry-run", is_flag=True, help="Print the URLs and stop.")
@handle_errors
def download(dest: str, base_url: str | None, names: tuple[str, ...], dry_run: bool) -> None:
    """Download the official GeoNames dump (about 2 GB): the gazetteer's only network use.

    Interrupted downloads resume; complete files are skipped; zips are verified.

    \b
    Example:
      mapper gazetteer download --dest ~/geonames
    """
    from . import download as dl

    files = names or dl.DEFAULT_FILES
    base = base_url or dl.DEFAULT_BASE_URL
    if dry_run:
        click.echo("\n".join(dl.dump_urls(files, base)))
        return
    with progress_bar() as progress:
        results = dl.download(files, dest=Path(dest), base_url=base, progress=progress)
    for r in results:
        state = "already complete" if r.skipped else ("resumed" if r.resumed else "downloaded")
        click.echo(f"{r.name}: {state}, {r.size:,} bytes, sha256 {r.sha256[:16]}…")
