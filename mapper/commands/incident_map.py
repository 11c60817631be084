"""``mapper map``: articles in, one self-contained page of the incidents they report out."""

from __future__ import annotations

from urllib.parse import quote

import click

from gazetteer.cli import CONTEXT

from ..model import Problem
from .common import (
    Counted,
    articles_argument,
    handle_errors,
    index_option,
    open_gazetteer,
    report_problems,
    require_articles,
)

__all__ = ["map_command"]


@click.command("map", context_settings=CONTEXT)
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
@click.option("--embed", is_flag=True,
              help="Print an <iframe> snippet for the page (its src is the page's file name: "
                   "edit it to where the page is served).")
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
    from .. import pipeline
    from ..event_lexicon import EventLexicon
    from ..render import check_tiles

    check_tiles(tiles)  # before minutes of work, not after
    from ..export import write_csv, write_geojson
    from ..read import read_articles
    from ..render import embed_snippet, write_map

    problems: list[Problem] = []
    lexicon = EventLexicon.from_file(events) if events else None
    gaz = open_gazetteer(index)
    items = Counted(read_articles(articles, text_column=text_column, problems=problems))
    found = pipeline.incidents(items, gazetteer=gaz, lexicon=lexicon)
    require_articles(items.count, problems)  # before a page of nothing replaces the last one
    path = write_map(found, output, title=title, tiles=tiles, gazetteer=gaz)
    if geojson:
        write_geojson(found, geojson)
    if csv_path:
        write_csv(found, csv_path)
    flagged = sum(1 for i in found if any(f.verdict != "consistent" for f in i.findings))
    click.echo(f"{path}: {len(found)} incidents ({flagged} with a geography warning)",
               err=True)
    if embed:
        # the page's own name, URL-encoded ("#", "?", ":"): where it is served beside the
        # story, not this disk's path
        click.echo(embed_snippet("./" + quote(path.name), title=title))
    report_problems(problems)
