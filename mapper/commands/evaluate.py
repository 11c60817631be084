"""``mapper evaluate``: score the geoparser, or the event linker, on a gold corpus."""

from __future__ import annotations

import json

import click

from gazetteer.cli import CONTEXT

from ..errors import InputError
from .common import handle_errors, index_option, open_gazetteer

__all__ = ["evaluate"]


@click.command(context_settings=CONTEXT)
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.option("--gold-spans", is_flag=True,
              help="Resolve the gold spans (resolution only) instead of finding places.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="Only the first N documents.")
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
    from .. import pipeline
    from ..evaluate import format_report

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
    """Whether a gold corpus is for event-location linking (its records have event verbs).

    Reads the first document as :func:`~mapper.evaluate.load_gold` does (gzip, a BOM);
    a corpus with no document at all is an error, not a table of zeros.
    """
    from ..evaluate import load_gold

    first = next(load_gold(path, problems=[]), None)
    if first is None:
        raise InputError(f"{path}: no gold document to score")
    return "event_verbs" in first
