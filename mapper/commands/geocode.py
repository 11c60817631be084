"""``mapper geocode``: place strings to GeoNames rows, resumable after a crash or Ctrl-C."""

from __future__ import annotations

import contextlib
import csv
import itertools
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple

import click

from gazetteer.cli import CONTEXT

from ..errors import InputError
from ..model import Problem
from ..read import STDIN, PlaceRow, is_table, read_place_rows
from .common import handle_errors, index_option, open_gazetteer, report_problems

__all__ = ["GEOCODE_FIELDS", "geocode_command"]

GEOCODE_FIELDS = ["row", "input", "geonameid", "name", "lat", "lon", "feature_code",
                  "country_code", "admin1_name", "admin2_name", "score", "alternatives",
                  "error"]
_START_OVER = "add --restart to overwrite it, or write to another -o file"



@click.command("geocode", context_settings=CONTEXT)
@click.argument("places", default="-")
@click.option("--column", default=None, help="CSV column with the place strings.")
@click.option("--country-column", default=None, help="CSV column with ISO country codes.")
@click.option("--context-column", default=None,
              help="CSV column with text around the name (a sentence, an article).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Output file (stdout when omitted). An existing output of the same "
                   "input is resumed.")
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

    PLACES is a .csv or .tsv file, whose --column holds the names, or a file of one
    name a line. Standard input (-) is read as CSV when --column is given.

    Writes one row per input row, in order, with the columns row, input, geonameid,
    name, lat, lon, feature_code, country_code, admin1_name, admin2_name, score,
    alternatives and error (why a row is unresolved). Rows that cannot be read stay
    in the output, unresolved, and are listed on stderr (exit code 3). Writing to
    -o FILE is resumable: run the same command again after a crash or Ctrl-C and it
    continues after the last row written. A FILE that holds anything else (another
    file, the output of other input) is left alone, unless --restart overwrites it.

    With --online, names the index cannot resolve are looked up on GeoNames (with your
    --username) or Nominatim, one request per --min-delay seconds; such rows say
    "online: geonames" and score 0.5. A failed request leaves its row unresolved, with
    the reason in the error column. Without --online nothing goes over the network.

    \b
    Examples:
      mapper geocode places.csv --column NAME --country-column CC -o out.csv
      printf 'Springfield, IL\\nKaluga region\\nKyiv\\n' | mapper geocode
      mapper geocode names.txt --online geonames --username me -o out.csv
    """
    from ..geocode import Geocoder
    from ..online import OnlineFallback

    table = _is_table(places, {"--column": column, "--country-column": country_column,
                               "--context-column": context_column})
    fmt = fmt or ("jsonl" if output and output.endswith((".jsonl", ".ndjson")) else "csv")
    written = _read_back(output, fmt) if output and not restart else _Written([], 0)
    problems: list[Problem] = []
    rows = read_place_rows(places, table=table, column=column, country_column=country_column,
                           context_column=context_column, problems=problems)
    rows = _after_written(rows, written.inputs, output or "")
    first = next(rows, None)  # a missing column or file fails here, before any output
    rows = itertools.chain([first] if first else [], rows)
    done = len(written.inputs)
    if output and done:
        os.truncate(output, written.size)  # a line cut short by a crash is written again
        click.echo(f"{output}: resuming after row {done}", err=True)
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
            if name is None:
                writer.unreadable(row)
            else:
                writer.write(row, name, coder(name, country=country, context=context))
            advance()
    report_problems(problems)


def _is_table(places: str, columns: dict[str, str | None]) -> bool:
    """Whether PLACES is read as CSV: by its suffix, or on stdin when a column is named."""
    named = [option for option, value in columns.items() if value is not None]
    if places == STDIN:
        return bool(named)
    if is_table(places):
        return True
    if named:
        raise click.UsageError(f"{named[0]} needs a .csv or .tsv file (or - for CSV on "
                               f"standard input); {places} is read as one name a line.")
    return False


class _Written(NamedTuple):
    """What -o already holds: the ``input`` of each row, and the bytes of its whole lines."""

    inputs: list[str]
    size: int


def _read_back(path: str, fmt: str) -> _Written:
    """Read back an existing -o file to resume after its last row.

    Raises InputError unless the file is this command's output in ``fmt`` (a last line
    cut short by a crash is allowed): resuming into another file would overwrite it or
    mix unrelated rows into it.
    """
    if not os.path.exists(path):
        return _Written([], 0)
    with open(path, "rb") as handle:
        lines = _WholeLines(handle)
        try:
            inputs = _csv_inputs(lines) if fmt == "csv" else _jsonl_inputs(lines)
        except (UnicodeDecodeError, csv.Error, _NotGeocodeOutput) as exc:
            why = "not UTF-8" if isinstance(exc, UnicodeDecodeError) else str(exc)
            raise InputError(f"{path} is not mapper geocode {fmt} output ({why}); "
                             f"{_START_OVER}") from None
    if fmt == "csv":
        expected = f"{len(inputs) + 1}," if lines.size else ",".join(GEOCODE_FIELDS)
    else:
        expected = f'{{"row": {len(inputs) + 1}, '
    tail, start = lines.tail, expected.encode()
    if tail and not (tail.startswith(start) or start.startswith(tail)):
        raise InputError(f"{path} is not mapper geocode {fmt} output (its last line is "
                         f"not a row of it); {_START_OVER}")
    return _Written(inputs, lines.size)


class _NotGeocodeOutput(Exception):
    """A line of an existing -o file that this command did not write."""


class _WholeLines:
    """The newline-ended lines of a file, decoded; a last line cut short is kept aside."""

    def __init__(self, handle: Any) -> None:
        self.handle, self.size, self.tail = handle, 0, b""

    def __iter__(self) -> Iterator[str]:
        for raw in self.handle:
            if not raw.endswith(b"\n"):
                self.tail = raw
                return
            self.size += len(raw)
            yield raw.decode("utf-8")


def _csv_inputs(lines: Iterable[str]) -> list[str]:
    reader = csv.reader(lines)
    header = next(reader, None)
    if header is not None and header != GEOCODE_FIELDS:
        raise _NotGeocodeOutput("its first line is not the header row,input,…,error")
    inputs: list[str] = []
    for record in reader:
        if len(record) != len(GEOCODE_FIELDS) or record[0] != str(len(inputs) + 1):
            raise _NotGeocodeOutput(f"line {reader.line_num} is not its row {len(inputs) + 1}")
        inputs.append(record[1])
    return inputs


def _jsonl_inputs(lines: Iterable[str]) -> list[str]:
    inputs: list[str] = []
    for number, line in enumerate(lines, 1):
        try:
            record = json.loads(line)
        except ValueError:
            record = None
        if not (isinstance(record, dict) and list(record) == GEOCODE_FIELDS
                and record["row"] == len(inputs) + 1 and isinstance(record["input"], str)):
            raise _NotGeocodeOutput(f"line {number} is not its row {len(inputs) + 1}")
        inputs.append(record["input"])
    return inputs


def _after_written(rows: Iterator[PlaceRow], written: list[str],
                   output: str) -> Iterator[PlaceRow]:
    """The input rows after those already in -o, once -o is known to hold their output."""
    for expected in written:
        first = next(rows, None)
        if first is None:
            raise InputError(f"{output} holds {len(written)} rows, more than the input has: "
                             f"it is the output of other input; {_START_OVER}")
        row, name = first[0], first[1] or ""
        if name != expected:
            raise InputError(f"{output} is the output of other input (its row {row} is "
                             f"{expected!r}, the input's is {name!r}); {_START_OVER}")
    return rows


class _GeocodeWriter:
    """Writes one output row per input row, flushed every 1,000 rows and at the end.

    A crash loses at most the rows since the last flush (and may cut the last line); a
    resumed run drops a cut line and redoes those rows.
    """

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
