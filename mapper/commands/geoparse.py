"""``mapper extract``, ``resolve`` and ``check``: one output record per article read."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import Any

import click

from gazetteer.cli import CONTEXT

from ..model import PLACE_FIELDS, ParsedArticle, Problem
from .common import (
    Counted,
    articles_argument,
    handle_errors,
    index_option,
    open_gazetteer,
    output_options,
    report_problems,
    require_articles,
)

__all__ = ["check", "extract", "resolve", "write_parsed"]


CSV_COLUMNS = ["id", "start", "end", "text", *PLACE_FIELDS, "score", "alternatives", "signals"]


def write_parsed(parsed: Iterable[ParsedArticle], out: Any, fmt: str, *,
                 with_text: bool = False) -> None:
    """Write parsed articles as the JSONL contract, or as one CSV row per mention.

    ``with_text`` adds each article's ``text`` to its JSONL line.
    """
    if with_text and fmt != "jsonl":
        raise click.UsageError("--with-text adds the text to JSONL lines; a CSV has a row "
                               "per mention, so use --format jsonl")
    if fmt == "jsonl":
        for item in parsed:
            record = item.to_dict()
            if with_text:
                record["text"] = item.article.text
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        return
    # the header even with no mention at all: an empty table still has its columns
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for item in parsed:
        for mention in item.to_dict()["mentions"]:
            mention["alternatives"] = json.dumps(mention["alternatives"], ensure_ascii=False)
            mention["signals"] = "; ".join(mention["signals"])
            mention.pop("findings", None)
            writer.writerow({"id": item.article.id, **mention})


@click.command(context_settings=CONTEXT)
@articles_argument
@output_options
@index_option
@handle_errors
def extract(articles: tuple[str, ...], text_column: str, fmt: str, output: Any,
            with_text: bool, index: str | None) -> None:
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
    from .. import pipeline
    from ..read import read_articles

    problems: list[Problem] = []
    items = Counted(read_articles(articles, text_column=text_column, problems=problems))
    write_parsed(pipeline.extract(items, gazetteer=open_gazetteer(index)), output, fmt,
                 with_text=with_text)
    require_articles(items.count, problems)
    report_problems(problems)


@click.command(context_settings=CONTEXT)
@articles_argument
@output_options
@index_option
@handle_errors
def resolve(articles: tuple[str, ...], text_column: str, fmt: str, output: Any,
            with_text: bool, index: str | None) -> None:
    """Resolve exactly the spans each record gives, for pipelines with their own NER.

    Records are JSONL with "text" and "mentions": [{"start", "end"}, …] (or gold
    "toponyms"); the output is that of 'extract' for exactly those spans.

    \b
    Example:
      mapper resolve spans.jsonl -o resolved.jsonl
    """
    from .. import pipeline
    from ..read import read_articles

    problems: list[Problem] = []
    items = read_articles(articles, text_column=text_column, problems=problems)
    parsed = Counted(pipeline.resolve(items, gazetteer=open_gazetteer(index),
                                      problems=problems))
    write_parsed(parsed, output, fmt, with_text=with_text)
    # a record with bad spans was read but not resolved
    require_articles(parsed.count, problems, failure="no record could be resolved")
    report_problems(problems)


@click.command(context_settings=CONTEXT)
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
    from .. import pipeline
    from ..read import read_articles

    problems: list[Problem] = []
    items = Counted(read_articles(articles, text_column=text_column, problems=problems))
    for checked in pipeline.check(items, gazetteer=open_gazetteer(index)):
        if fmt == "jsonl":
            output.write(json.dumps(checked.to_dict(), ensure_ascii=False) + "\n")
            continue
        for f in checked.findings:
            output.write(f"{checked.article.id}\t{f.place[2]!r} in {f.parent[2]!r}: "
                         f"{f.verdict.upper()} — {f.evidence}\n")
    require_articles(items.count, problems)
    report_problems(problems)
