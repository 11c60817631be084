"""The ``mapper`` command line: a thin layer over the public functions of the package."""

from __future__ import annotations

import contextlib
import csv
import itertools
import json
import logging
import sys
from collections.abc import Callable, Iterable
from typing import Any

import click

from gazetteer import Gazetteer, GazetteerError
from gazetteer.cli import CONTEXT, error_handler, gazetteer

from .errors import MapperError
from .model import ParsedArticle, Problem

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


GEOCODE_FIELDS = ["row", "input", "geonameid", "name", "lat", "lon", "feature_code",
                  "country_code", "admin1_name", "admin2_name", "score", "alternatives",
                  "error"]


@main.command("geocode", context_settings=CONTEXT)
@click.argument("places", default="-")
@click.option("--column", default=None, help="CSV column with the place strings.")
@click.option("--country-column", default=None, help="CSV column with ISO country codes.")
@click.option("--context-column", default=None,
              help="CSV column with text around the name (a sentence, an article).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Output file (stdout when omitted). An existing file is resumed.")
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl"]), default=None,
              help="Output format (default: from the -o suffix, else csv).")
@click.option("--restart", is_flag=True, help="Overwrite -o instead of resuming it.")
@click.option("--online", type=click.Choice(["geonames", "nominatim"]), default=None,
              help="Send names the index cannot resolve to this web service (off by "
                   "default; nothing goes online without it).")
@click.option("--username", envvar="GEONAMES_USERNAME", default=None,
              help="Your GeoNames username, needed by --online geonames "
                   "[env: GEONAMES_USERNAME].")
@click.option("--online-domain", default=None, metavar="HOST[:PORT]",
              help="Another server for --online: a self-hosted Nominatim, a test server.")
@click.option("--online-scheme", type=click.Choice(["https", "http"]), default=None,
              help="Protocol for --online (default https; http for 127.0.0.1/localhost).")
@click.option("--min-delay", type=click.FloatRange(min=0), default=1.0, show_default=True,
              help="Seconds between two --online requests (public Nominatim: at least 1).")
@index_option
@handle_errors
def geocode_command(places: str, column: str | None, country_column: str | None,
                    context_column: str | None, output: str | None, fmt: str | None,
                    restart: bool, online: str | None, username: str | None,
                    online_domain: str | None, online_scheme: str | None, min_delay: float,
                    index: str | None) -> None:
    """Geocode place strings: a CSV column, or one name a line (stdin by default).

    Writes one row per input row, in order: row, input, geonameid, name, lat, lon,
    feature_code, country_code, admin1_name, admin2_name, score, alternatives. Rows
    that cannot be read stay in the output, unresolved, and are listed on stderr
    (exit code 3). Writing to -o FILE is resumable: run the same command again after a
    crash or Ctrl-C and it continues after the last row written.

    With --online, names the index cannot resolve are looked up on GeoNames (with your
    --username) or Nominatim, one request per --min-delay seconds; such rows say
    "online: geonames" and score 0.5. A failed request leaves its row unresolved, with
    the reason in the error column. Without --online nothing goes over the network.

    \b
    Examples:
      mapper geocode places.csv --column NAME --country-column CC -o out.csv
      printf 'Springfield, IL\nKaluga region\nKyiv\n' | mapper geocode
      mapper geocode names.txt --online geonames --username me -o out.csv
    """
    import os

    from .geocode import Geocoder
    from .online import OnlineFallback
    from .read import read_place_rows

    fmt = fmt or ("jsonl" if output and output.endswith((".jsonl", ".ndjson")) else "csv")
    if output and not restart and os.path.exists(output):
        _truncate_after(output, 0)  # a line cut short by a crash is written again
    done = 0 if restart or not output else _rows_written(output, fmt)
    problems: list[Problem] = []
    rows = read_place_rows(places, column=column, country_column=country_column,
                           context_column=context_column, problems=problems)
    first = next(rows, None)  # a missing column or file fails here, before any output
    rows = itertools.chain([first] if first else [], rows)
    fallback = (OnlineFallback("nominatim" if online == "nominatim" else "geonames",
                               username=username, domain=online_domain,
                               scheme=online_scheme, min_delay_seconds=min_delay)
                if online else None)
    coder = Geocoder(open_gazetteer(index), fallback=fallback)
    with contextlib.ExitStack() as stack:
        if fallback is not None:
            stack.enter_context(fallback)
        out = (stack.enter_context(open(output, "a" if done else "w", encoding="utf-8",
                                        newline="")) if output
               else sys.stdout)
        writer = _GeocodeWriter(out, fmt, header=not done)
        advance: Callable[[], None] = stack.enter_context(_geocode_progress(output))
        for row, name, country, context in rows:
            if row <= done:
                continue
            if name is None:
                writer.unreadable(row)
            else:
                writer.write(row, name, coder(name, country=country, context=context))
            advance()
    report_problems(problems)


def _rows_written(path: str, fmt: str) -> int:
    """The last input row already in an output file (0 when none), for resuming."""
    import os

    if not os.path.exists(path) or os.path.getsize(path) == 0:
        return 0
    last = 0
    with open(path, encoding="utf-8", newline="") as handle:
        if fmt == "jsonl":
            for line in handle:
                try:
                    last = int(json.loads(line)["row"])
                except (ValueError, KeyError, TypeError):
                    break  # a line cut short by the crash: it is written again
        else:
            for record in csv.DictReader(handle):
                if record.get("error") is None or not (record.get("row") or "").isdigit():
                    break
                last = int(record["row"])
    if fmt == "csv":
        _truncate_after(path, last)
    return last


def _truncate_after(path: str, last: int) -> None:
    """Drop a half-written last CSV line so appending starts on a clean row."""
    with open(path, "rb+") as handle:
        data = handle.read()
        if data and not data.endswith(b"\n"):
            handle.truncate(data.rfind(b"\n") + 1)


class _GeocodeWriter:
    """Writes one output row per input row and flushes, so a crash loses nothing done."""

    def __init__(self, out: Any, fmt: str, *, header: bool) -> None:
        self.out, self.fmt = out, fmt
        self.csv = csv.DictWriter(out, fieldnames=GEOCODE_FIELDS) if fmt == "csv" else None
        if self.csv is not None and header:
            self.csv.writeheader()

    def unreadable(self, row: int) -> None:
        """Keep a row that could not be read, unresolved, with the reason."""
        record = dict.fromkeys(GEOCODE_FIELDS)
        record.update(row=row, input="", alternatives=[],
                      error="row could not be read (see stderr)")
        self._emit(record)

    def write(self, row: int, name: str, res: Any) -> None:
        place = res.place
        error = "" if place is not None else "; ".join(res.signals)
        record = {
            "row": row, "input": name,
            "geonameid": place.geonameid if place else None,
            "name": place.name if place else None,
            "lat": place.lat if place else None, "lon": place.lon if place else None,
            "feature_code": place.feature_code if place else None,
            "country_code": place.country_code if place else None,
            "admin1_name": place.admin1_name if place else None,
            "admin2_name": place.admin2_name if place else None,
            "score": round(res.score, 4) if place else None,
            "alternatives": [{"geonameid": a.geonameid, "name": a.name,
                              "country_code": a.country_code, "score": a.score}
                             for a in res.alternatives[:3]],
            "error": error,
        }
        self._emit(record)

    def _emit(self, record: dict[str, Any]) -> None:
        if self.csv is not None:
            record["alternatives"] = json.dumps(record["alternatives"], ensure_ascii=False)
            self.csv.writerow(record)
        else:
            self.out.write(json.dumps(record, ensure_ascii=False) + "\n")
        if record["row"] % 1000 == 0:
            self.out.flush()


def _geocode_progress(output: str | None) -> Any:
    """A progress bar on stderr when writing to a file from an interactive terminal."""
    @contextlib.contextmanager
    def bar() -> Any:
        if not output or not sys.stderr.isatty():
            yield lambda: None
            return
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        with Progress(SpinnerColumn(), TextColumn("{task.completed:,} names"),
                      TimeElapsedColumn()) as progress:
            task = progress.add_task("geocoding", total=None)
            yield lambda: progress.advance(task)

    return bar()


@main.command(context_settings=CONTEXT)
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.option("--gold-spans", is_flag=True,
              help="Resolve the gold spans (resolution only) instead of finding places.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--limit", type=int, default=None, help="Only the first N documents.")
@click.option("--ner", is_flag=True, help="Add spaCy's entities (needs the [ner] extra).")
@index_option
@handle_errors
def evaluate(gold: str, gold_spans: bool, as_json: bool, limit: int | None, ner: bool,
             index: str | None) -> None:
    """Score the geoparser on a gold corpus, beside a most-populous-place baseline.

    Reports recognition P/R/F1 (strict and overlap), accuracy@161 km, AUC, mean and
    median error, GeoNames-id accuracy (over all gold ids and over those the index
    holds), and GeoWebNews type groups. A corpus with event verbs (event_location.jsonl)
    is scored for event-location linking instead, beside a nearest-place baseline.

    \b
    Examples:
      mapper evaluate ../shared/eval/gwn.jsonl --gold-spans
      mapper evaluate ../shared/eval/trnews.jsonl --json
      mapper evaluate ../shared/eval/event_location.jsonl
    """
    from . import pipeline
    from .evaluate import format_report

    if _has_event_verbs(gold):  # event-location linking (Halterman's corpus)
        report = pipeline.evaluate_event_location(gold, limit=limit,
                                                  gazetteer=open_gazetteer(index))
        if as_json:
            click.echo(json.dumps(report, indent=2))
            return
        if not report["sentences"]:
            click.echo(f"{gold}: no sentence has a gold location; nothing to score")
            return
        click.echo(f"{gold} (event location, {report['sentences']:,} sentences with a "
                   f"gold location; the recogniser finds it in "
                   f"{report['gold_location_recognised']:.1%})")
        for name, value in report["accuracy"].items():
            when = report["accuracy_when_recognised"][name]
            click.echo(f"  {name:<16} {value:.1%}   ("
                       + (f"{when:.1%}" if when is not None else "n/a")
                       + " where the gold place was among the candidates)")
        return
    report = pipeline.evaluate(gold, gold_spans=gold_spans, limit=limit,
                               gazetteer=open_gazetteer(index), ner=ner)
    click.echo(json.dumps(report, indent=2) if as_json else format_report(report))


def _has_event_verbs(path: str) -> bool:
    """Whether a gold corpus is for event-location linking (its records have event verbs)."""
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                try:
                    return "event_verbs" in json.loads(line)
                except ValueError:
                    return False
    return False


main.add_command(gazetteer)

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
