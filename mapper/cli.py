"""The ``mapper`` command line: a thin layer over the public functions of the package."""

from __future__ import annotations

import csv
import json
import logging
import sys
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

import click

from gazetteer import Gazetteer, GazetteerError
from gazetteer.cli import CONTEXT, gazetteer

from .errors import MapperError
from .model import ParsedArticle, Problem

EXIT_REJECTED = 3


def handle_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Map expected failures to one line on stderr and exit 1; --debug shows tracebacks."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (MapperError, GazetteerError, OSError) as exc:
            ctx = click.get_current_context()
            if (ctx.find_root().obj or {}).get("debug"):
                raise
            click.echo(f"error: {exc}", err=True)
            ctx.exit(1)

    return wrapper


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


def write_parsed(parsed: Iterable[ParsedArticle], out: Any, fmt: str) -> None:
    """Write parsed articles as the JSONL contract, or as one CSV row per mention."""
    if fmt == "jsonl":
        for item in parsed:
            out.write(json.dumps(item.to_dict(), ensure_ascii=False) + "\n")
        return
    writer = None
    for item in parsed:
        for mention in item.to_dict()["mentions"]:
            mention["alternatives"] = json.dumps(mention["alternatives"], ensure_ascii=False)
            mention["signals"] = "; ".join(mention["signals"])
            mention.pop("findings", None)
            row = {"id": item.article.id, **mention}
            if writer is None:
                writer = csv.DictWriter(out, fieldnames=list(row))
                writer.writeheader()
            writer.writerow(row)


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


@main.command(context_settings=CONTEXT)
@articles_argument
@output_options
@index_option
@handle_errors
def extract(articles: tuple[str, ...], text_column: str, fmt: str, output: Any,
            index: str | None) -> None:
    """Find the places ARTICLES mention and resolve each to GeoNames.

    One JSONL line per article: {"id", "mentions": [{"start", "end", "text",
    "geonameid", "name", "lat", "lon", "feature_code", "country_code", "admin1_name",
    …, "score", "alternatives", "signals"}]}. Offsets index the text; end is exclusive.

    \b
    Examples:
      mapper extract story.txt
      mapper extract corpus.jsonl --format csv -o mentions.csv
      echo "Shelling was reported in Aleppo, Syria." | mapper extract -
    """
    from . import pipeline
    from .read import read_articles

    problems: list[Problem] = []
    items = read_articles(articles, text_column=text_column, problems=problems)
    write_parsed(pipeline.extract(items, gazetteer=open_gazetteer(index)), output, fmt)
    report_problems(problems)


@main.command(context_settings=CONTEXT)
@articles_argument
@output_options
@index_option
@handle_errors
def resolve(articles: tuple[str, ...], text_column: str, fmt: str, output: Any,
            index: str | None) -> None:
    """Resolve exactly the spans each record gives, for pipelines with their own NER.

    Records are JSONL with "text" and "mentions": [{"start", "end"}, …] (or gold
    "toponyms"); the output is that of 'extract' for exactly those spans.

    \b
    Example:
      mapper resolve spans.jsonl -o resolved.jsonl
    """
    from . import pipeline
    from .read import read_articles

    problems: list[Problem] = []
    items = read_articles(articles, text_column=text_column, problems=problems)
    write_parsed(pipeline.resolve(items, gazetteer=open_gazetteer(index), problems=problems),
                 output, fmt)
    report_problems(problems)


@main.command("map", context_settings=CONTEXT)
@articles_argument
@click.option("-o", "--output", type=click.Path(dir_okay=False), default="map.html",
              show_default=True, help="The HTML page to write.")
@click.option("--title", default="Reported incidents", show_default=True,
              help="Title shown on the map.")
@click.option("--tiles", default=None, metavar="osm|URL",
              help="Add web map tiles (needs network when viewed); offline basemap otherwise.")
@click.option("--geojson", type=click.Path(dir_okay=False), default=None,
              help="Also write the incidents as a GeoJSON FeatureCollection.")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False), default=None,
              help="Also write the incidents as CSV, one row per incident.")
@click.option("--events", type=click.Path(exists=True, dir_okay=False), default=None,
              help="More event types: lines of 'type<TAB>regex', added to the built-in ones.")
@click.option("--embed", is_flag=True, help="Print an <iframe> snippet for the page.")
@index_option
@handle_errors
def map_command(articles: tuple[str, ...], text_column: str, output: str, title: str,
                tiles: str | None, geojson: str | None, csv_path: str | None,
                events: str | None, embed: bool, index: str | None) -> None:
    """Turn ARTICLES into one self-contained map of the incidents they report.

    Each incident is placed where the text says it happened, dated, checked against the
    region the text names (a wrong district is flagged on the map with what was
    probably meant) and cites every article that reports it. The page works offline.

    \b
    Examples:
      mapper map examples/ -o map.html
      mapper map corpus.jsonl -o map.html --geojson incidents.geojson --csv incidents.csv
      mapper map story.txt --embed
    """
    from . import pipeline
    from .export import write_csv, write_geojson
    from .link import EventLexicon
    from .read import read_articles
    from .render import embed_snippet, write_map

    problems: list[Problem] = []
    lexicon = EventLexicon.from_file(events) if events else None
    gaz = open_gazetteer(index)
    found = pipeline.incidents(read_articles(articles, text_column=text_column,
                                             problems=problems),
                               gazetteer=gaz, lexicon=lexicon)
    path = write_map(found, output, title=title, tiles=tiles, gazetteer=gaz)
    if geojson:
        write_geojson(found, geojson)
    if csv_path:
        write_csv(found, csv_path)
    flagged = sum(1 for i in found if any(f.verdict != "consistent" for f in i.findings))
    click.echo(f"{path}: {len(found)} incidents ({flagged} with a geography warning)",
               err=True)
    if embed:
        click.echo(embed_snippet(str(path), title=title))
    report_problems(problems)


@main.command(context_settings=CONTEXT)
@articles_argument
@click.option("--format", "fmt", type=click.Choice(["jsonl", "table"]), default="jsonl",
              show_default=True, help="JSONL for programs, a table for people.")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
              help="Write here instead of stdout.")
@index_option
@handle_errors
def check(articles: tuple[str, ...], text_column: str, fmt: str, output: Any,
          index: str | None) -> None:
    """Check what ARTICLES claim about regions: is X really in Y.

    Every stated containment ("X district in the Y region", "X, Y", "Y's X district",
    "X, a town in Y") gets a verdict: consistent, inconsistent (X exists, but elsewhere:
    where, and how far), unknown-place (no X anywhere) or unverifiable (the data cannot
    tell), with evidence and "did you mean" suggestions inside Y.

    \b
    Examples:
      mapper check story.txt --format table
      echo "A drone fell on Dzhezkazgan district in the Kaluga region." | mapper check -
    """
    from . import pipeline
    from .read import read_articles

    problems: list[Problem] = []
    items = read_articles(articles, text_column=text_column, problems=problems)
    for checked in pipeline.check(items, gazetteer=open_gazetteer(index)):
        if fmt == "jsonl":
            output.write(json.dumps(checked.to_dict(), ensure_ascii=False) + "\n")
            continue
        for f in checked.findings:
            output.write(f"{checked.article.id}\t{f.place[2]!r} in {f.parent[2]!r}: "
                         f"{f.verdict.upper()} — {f.evidence}\n")
    report_problems(problems)


@main.command(context_settings=CONTEXT)
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.option("--gold-spans", is_flag=True,
              help="Resolve the gold spans (resolution only) instead of finding places.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--limit", type=int, default=None, help="Only the first N documents.")
@index_option
@handle_errors
def evaluate(gold: str, gold_spans: bool, as_json: bool, limit: int | None,
             index: str | None) -> None:
    """Score the geoparser on a gold corpus, beside a most-populous-place baseline.

    Reports recognition P/R/F1 (strict and overlap), accuracy@161 km, AUC, mean and
    median error, GeoNames-id accuracy (over all gold ids and over those the index
    holds), and GeoWebNews type groups.

    \b
    Examples:
      mapper evaluate ../shared/eval/gwn.jsonl --gold-spans
      mapper evaluate ../shared/eval/trnews.jsonl --json
    """
    from . import pipeline
    from .evaluate import format_report

    report = pipeline.evaluate(gold, gold_spans=gold_spans, limit=limit,
                               gazetteer=open_gazetteer(index))
    click.echo(json.dumps(report, indent=2) if as_json else format_report(report))


main.add_command(gazetteer)

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
