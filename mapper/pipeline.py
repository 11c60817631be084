"""The stages composed: text in, resolved mentions out, for one text or many articles.

This is the only module that imports several stages; the command line and notebooks
call these functions.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Iterator
from dataclasses import replace
from functools import partial
from itertools import islice
from typing import TYPE_CHECKING, Any

from gazetteer import Gazetteer, haversine_km

from .check import Checker
from .errors import InputError
from .event_lexicon import EventLexicon
from .event_linker import locate_event, nearest_place
from .extract import Recognizer, mentions_from_spans
from .frames import (
    INCIDENT_DTYPES,
    MENTION_DTYPES,
    cell_text,
    check_columns,
    frame_articles,
    incident_row,
    typed,
)
from .link import link_incidents
from .model import Article, CheckedArticle, Incident, ParsedArticle, Problem, Resolution
from .place_candidates import candidate_places
from .resolve import Resolver

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Geoparser", "check", "extract", "geoparse", "geoparse_frame", "incidents",
           "incidents_frame", "resolve"]


class Geoparser:
    """Recogniser and resolver bound to one gazetteer, reused across many articles.

    Examples
    --------
    >>> parser = Geoparser()                                    # doctest: +SKIP
    >>> [r.place.name for r in parser("Shelling hit Aleppo, Syria.")]  # doctest: +SKIP
    ['Aleppo', 'Syria']
    """

    def __init__(self, gazetteer: Gazetteer | None = None, *, ner: bool = False) -> None:
        self.gazetteer = gazetteer or Gazetteer.default()
        self.ner = ner
        self.recognize = Recognizer(self.gazetteer)
        if ner:  # the optional spaCy signal: more recall for names the gazetteer lacks
            from .ner import NerSignal

            signal, gazetteer_only = NerSignal(), self.recognize
            self.recognize = lambda text: signal.merge(text, gazetteer_only(text))  # type: ignore[assignment,method-assign]
        self.resolver = Resolver(self.gazetteer)
        self.checker = Checker(self.gazetteer)

    def __reduce__(self) -> tuple[Any, ...]:
        # to a worker process: the gazetteer reopens its file there and the caches start
        # empty (they hold functions that cannot be pickled)
        return (partial(type(self), ner=self.ner), (self.gazetteer,))

    def __call__(self, text: str) -> list[Resolution]:
        """Find and resolve the places in one text; stated claims carry their findings."""
        return self.attach_findings(self.resolver.resolve(self.recognize(text)))

    def attach_findings(self, resolutions: list[Resolution]) -> list[Resolution]:
        """Judge the containment claims and attach each finding to its mention."""
        findings = self.checker.check(resolutions)
        if not findings:
            return resolutions
        by_span: dict[tuple[int, int], list[Any]] = {}
        for finding in findings:
            by_span.setdefault(finding.place[:2], []).append(finding)
        return [replace(r, findings=tuple(by_span[(r.mention.start, r.mention.end)]))
                if (r.mention.start, r.mention.end) in by_span else r for r in resolutions]

    def check(self, article: Article) -> CheckedArticle:
        """The verdicts on the containment claims of one article."""
        resolutions = self.resolver.resolve(self.recognize(article.text))
        return CheckedArticle(article, tuple(self.checker.check(resolutions)))

    def parse(self, article: Article) -> ParsedArticle:
        """Find and resolve the places in an article."""
        return ParsedArticle(article, tuple(self(article.text)))

    def resolve_spans(self, article: Article, spans: Iterable[tuple[int, int]]
                      ) -> ParsedArticle:
        """Resolve exactly the given spans of an article (gold or another tool's NER).

        The other places the recogniser finds in the text inform the ranking (stated
        parents, document focus) but are not part of the result.
        """
        return ParsedArticle(article, tuple(self.resolve_given(article.text, spans)))

    def resolve_given(self, text: str, spans: Iterable[Any], *,
                      best_guess: bool = False) -> list[Resolution]:
        """Resolutions for exactly ``spans``, in the order given, using the text as context.

        A span is a ``(start, end)`` pair (a list will do, as JSON gives it); an invalid
        one raises :class:`InputError`. A span given twice is resolved once and listed
        twice. ``best_guess`` as in :meth:`Resolver.resolve`: for place strings to geocode.
        """
        given = [checked_span(span, len(text)) for span in spans]
        wanted = set(given)
        mentions = mentions_from_spans(text, wanted, context=self.recognize(text))
        found = {(r.mention.start, r.mention.end): r
                 for r in self.resolver.resolve(mentions, best_guess=best_guess)}
        return [found[span] for span in given]


_DEFAULT: dict[str, Geoparser] = {}


def _parser(gazetteer: Gazetteer | None) -> Geoparser:
    """One Geoparser per index, so repeated calls keep their caches.

    A parser whose gazetteer was closed since ("with Gazetteer(path) as g: ...") is
    replaced by one on the gazetteer given now.
    """
    key = str(gazetteer.path) if gazetteer is not None else "default"
    cached = _DEFAULT.get(key)
    if cached is None or cached.gazetteer.closed:
        _DEFAULT[key] = Geoparser(gazetteer)
    return _DEFAULT[key]


def geoparse(text: str, *, gazetteer: Gazetteer | None = None) -> list[Resolution]:
    """Find the places a text mentions and resolve each to a GeoNames entry.

    Parameters
    ----------
    text
        Article text (English).
    gazetteer
        The index to use; the embedded default when omitted.

    Returns
    -------
    list of Resolution
        In text order; unresolvable mentions keep their span with ``place=None``.

    Examples
    --------
    >>> [r.place.geonameid for r in geoparse("Fresno, Texas")]   # doctest: +SKIP
    [4692400, 4736286]
    """
    if not isinstance(text, str):
        raise TypeError(f"geoparse takes the text of one article (a str), not "
                        f"{type(text).__name__}; for a DataFrame use geoparse_frame")
    return _parser(gazetteer)(text)


def _articles(items: Iterable[Article]) -> Iterator[Article]:
    """The articles, or a TypeError that says what to pass instead."""
    if isinstance(items, Article | dict):
        raise TypeError("expected several articles: pass a list, e.g. [article] or "
                        "[Article.from_dict(record, default_id='1')]")
    if isinstance(items, str) or hasattr(items, "columns"):
        raise TypeError("expected Article objects (mapper.Article, or read_articles(paths)); "
                        "for a DataFrame use geoparse_frame or incidents_frame")
    for item in items:
        if not isinstance(item, Article):
            raise TypeError(f"expected Article objects, got {type(item).__name__}: make "
                            "them with mapper.Article(id, text) or read_articles(paths)")
        yield item


def extract(articles: Iterable[Article], *, gazetteer: Gazetteer | None = None
            ) -> Iterator[ParsedArticle]:
    """Find and resolve the places of many articles, streaming."""
    parser = _parser(gazetteer)
    for article in _articles(articles):
        yield parser.parse(article)


def check(articles: Iterable[Article], *, gazetteer: Gazetteer | None = None
          ) -> Iterator[CheckedArticle]:
    """Judge what each article claims about administrative regions ("X in the Y region").

    Parameters
    ----------
    articles
        Articles, e.g. from :func:`mapper.read_articles`.
    gazetteer
        The index whose codes, hierarchy and polygons decide; the embedded default when
        omitted.

    Returns
    -------
    Iterator of CheckedArticle
        Each with one :class:`~mapper.model.Finding` per claim: verdict, evidence, where
        the place really is, and "did you mean" suggestions.

    Examples
    --------
    >>> text = "A drone fell on Dzhezkazgan district in the Kaluga region."
    >>> [f.verdict for f in next(check([Article("1", text)])).findings]  # doctest: +SKIP
    ['inconsistent']
    """
    parser = _parser(gazetteer)
    for article in _articles(articles):
        yield parser.check(article)


def incidents(articles: Iterable[Article], *, gazetteer: Gazetteer | None = None,
              lexicon: EventLexicon | None = None) -> list[Incident]:
    """The incidents the articles report, each located, dated, checked and cited.

    Parameters
    ----------
    articles
        Articles, e.g. from :func:`mapper.read_articles`.
    gazetteer
        The index to resolve against; the embedded default when omitted.
    lexicon
        Event types and patterns; :meth:`EventLexicon.default` (extend it with
        :meth:`EventLexicon.from_file`).

    Returns
    -------
    list of Incident
        One per event, place and date; an event several articles report cites them all.

    Examples
    --------
    >>> text = "Air defences shot down a drone over Kondrovo in the Kaluga region."
    >>> [i.place_name for i in incidents([Article("1", text)])]   # doctest: +SKIP
    ['Kondrovo']
    """
    parser = _parser(gazetteer)
    return link_incidents((parser.parse(a) for a in _articles(articles)),
                          gazetteer=parser.gazetteer,
                          lexicon=lexicon)


def incidents_frame(frame: pd.DataFrame, *, text_column: str = "text",
                    id_column: str | None = "id", gazetteer: Gazetteer | None = None,
                    lexicon: EventLexicon | None = None) -> pd.DataFrame:
    """Incidents of a DataFrame of articles, as a DataFrame (one row per incident).

    Optional ``title``, ``url``, ``outlet`` and ``published`` columns become the sources'
    citations and the fallback dates. ``admin_path`` is joined with " › ", ``verdicts``
    lists the findings' verdicts, ``sources`` holds the citing articles as a list.
    """
    import pandas as pd

    check_columns(list(frame.columns), text_column, id_column)
    found = incidents(frame_articles(frame, text_column, id_column), gazetteer=gazetteer,
                      lexicon=lexicon)
    rows = [incident_row(incident) for incident in found]
    dtypes = {k: v for k, v in INCIDENT_DTYPES.items() if k != "sources"}  # a list here
    return typed(pd.DataFrame(rows, columns=list(INCIDENT_DTYPES)), dtypes)


def gold_spans(article: Article) -> list[tuple[int, int]]:
    """The spans an input record brings in ``mentions`` or gold ``toponyms``.

    Raises :class:`InputError` saying which item is wrong and how.
    """
    key = "mentions" if article.get("mentions") is not None else "toponyms"
    items = article.get(key)
    if items is None:
        raise InputError("no 'mentions' or 'toponyms' to resolve")
    if isinstance(items, str | bytes | dict) or not hasattr(items, "__iter__"):
        raise InputError(f"{key!r} is not a list")
    items = list(items)  # a list, or an array of records as Parquet and Arrow give them
    spans = []
    for number, item in enumerate(items, 1):
        if not isinstance(item, dict) or "start" not in item or "end" not in item:
            raise InputError(f"{key} item {number} has no 'start' and 'end'")
        spans.append(checked_span((item["start"], item["end"]), len(article.text)))
    return spans


def checked_span(span: Any, length: int) -> tuple[int, int]:
    """A ``(start, end)`` pair of offsets into a text of ``length``, or an InputError.

    Offsets must be integers (not booleans, floats or strings), with ``start < end``
    inside the text.
    """
    try:
        start, end = span
    except (TypeError, ValueError):
        raise InputError(f"a span is a (start, end) pair, not {span!r}") from None
    for value in (start, end):
        if isinstance(value, bool) or not hasattr(value, "__index__"):
            raise InputError(f"span offsets must be integers, not {value!r}")
    start, end = operator.index(start), operator.index(end)
    if end <= start:
        raise InputError(f"span {start}:{end} is empty or ends before it starts")
    if start < 0 or end > length:
        raise InputError(f"span {start}:{end} is outside the text ({length} characters)")
    return start, end


def resolve(articles: Iterable[Article], *, gazetteer: Gazetteer | None = None,
            problems: list[Problem] | None = None) -> Iterator[ParsedArticle]:
    """Resolve exactly the spans each record gives (``mentions`` or gold ``toponyms``).

    Each record's output lists its spans in the order given. A record whose spans are
    missing or invalid is reported in ``problems`` (with its file and line) and
    skipped; the others go on.
    """
    parser = _parser(gazetteer)
    for article in _articles(articles):
        try:
            spans = gold_spans(article)
        except InputError as exc:
            if problems is None:
                raise
            problems.append(article.problem(f"{exc}; record skipped"))
            continue
        yield parser.resolve_spans(article, spans)


def geoparse_frame(frame: pd.DataFrame, *, text_column: str = "text",
                   id_column: str | None = "id", gazetteer: Gazetteer | None = None
                   ) -> pd.DataFrame:
    """Geoparse a DataFrame of articles into a DataFrame of mentions, one row each.

    Columns: the article id, ``start``, ``end``, ``text`` and the resolved place's fields
    (``geonameid``, ``name``, ``lat``, ``lon``, ``feature_code``, ``country_code``,
    ``admin1_name``, …, ``score``).
    """
    import pandas as pd

    check_columns(list(frame.columns), text_column, id_column)
    parser = _parser(gazetteer)
    rows: list[dict[str, Any]] = []
    for index, record in frame.iterrows():
        ident = record[id_column] if id_column and id_column in frame.columns else index
        for resolution in parser(cell_text(record[text_column])):
            row = resolution.to_dict()
            row.pop("alternatives")
            row["signals"] = "; ".join(row["signals"])
            rows.append({"id": ident, **row})
    # the id keeps the input's type; the rest the one schema (Int64 ids of places, ...)
    return typed(pd.DataFrame(rows, columns=["id", *MENTION_DTYPES]), MENTION_DTYPES)


def evaluate(gold: str, *, gold_spans: bool = False, limit: int | None = None,
             gazetteer: Gazetteer | None = None, ner: bool = False) -> dict[str, Any]:
    """Score the geoparser on a gold corpus, beside a most-populous-candidate baseline.

    Parameters
    ----------
    gold
        A corpus in the evaluation JSONL schema (``text`` and ``toponyms``).
    gold_spans
        Resolve the gold spans (resolution only, as most published resolvers report)
        instead of recognising places end to end.
    limit
        Only the first ``limit`` documents.
    gazetteer
        The index to resolve against; the embedded default when omitted.
    ner
        Add the optional spaCy signal (the ``[ner]`` extra) to recognition.

    Returns
    -------
    dict
        ``{"title", "columns": {"newsmapper": {...}, "population baseline": {...}}}`` with
        ``recognition`` (end to end only), ``resolution`` and per-group results, as
        :func:`mapper.evaluate.format_report` prints them.
    """
    from .evaluate import (
        accuracy_counting_misses,
        group_of,
        load_gold,
        recognition_scores,
        resolution_scores,
    )

    parser = Geoparser(gazetteer, ner=True) if ner else _parser(gazetteer)
    held = parser.gazetteer.find
    runs: dict[str, dict[str, list[Any]]] = {"newsmapper": {}, "population baseline": {}}
    gold_docs, predicted = [], []
    for doc in islice(load_gold(gold), limit):
        article = Article(str(doc["id"]), doc["text"])
        toponyms = doc["toponyms"]
        if gold_spans:
            spans = [(t["start"], t["end"]) for t in toponyms]
            system = parser.resolve_given(article.text, spans)
            mentions = [r.mention for r in system]
        else:
            mentions = parser.recognize(article.text)
            gold_docs.append([(t["start"], t["end"]) for t in toponyms])
            predicted.append([(m.start, m.end) for m in mentions])
            system = parser.resolver.resolve(mentions)
        baseline = [parser.resolver.baseline(m) for m in mentions]
        for name, places in (("newsmapper", [r.place for r in system]),
                             ("population baseline", baseline)):
            _score_document(runs[name], toponyms, mentions, places, held, group_of)
        _score_confidence(runs["newsmapper"], toponyms, system)
    title = f"{gold} ({'gold spans' if gold_spans else 'end to end'})"
    columns: dict[str, Any] = {}
    for name, run in runs.items():
        column: dict[str, Any] = {"resolution": resolution_scores(
            run.get("errors", []), id_hits=run.get("hits", []))}
        column["resolution"]["id_accuracy_held"] = _share(run.get("held_hits", []))
        column["resolution"]["ece"] = calibration_error(run.get("confidence", []))
        column["resolution"]["unresolved"] = len(run.get("missed", []))
        column["resolution"]["acc161_all"] = accuracy_counting_misses(
            run.get("errors", []), len(run.get("missed_points", [])))
        column["resolution"]["n_ids_held"] = len(run.get("held_hits", []))
        column["groups"] = {g: resolution_scores(run[f"errors:{g}"],
                                                 id_hits=run.get(f"hits:{g}", []))
                            for g in sorted({k.split(":", 1)[1] for k in run
                                             if k.startswith("errors:")})}
        if not gold_spans and "wiktor" not in str(gold).lower():
            column["recognition"] = recognition_scores(gold_docs, predicted)
        columns[name] = column
    return {"title": title, "columns": columns}


def _score_confidence(run: dict[str, list[Any]], toponyms: list[dict[str, Any]],
                      system: list[Resolution]) -> None:
    """Pair each resolved gold toponym's confidence with whether it was right."""
    for toponym in toponyms:
        match = next((r for r in system if r.place is not None
                      and r.mention.start < toponym["end"] and toponym["start"] < r.mention.end),
                     None)
        if match is None or toponym.get("lat") is None:
            continue
        if toponym.get("geonameid"):
            right = match.place.geonameid == toponym["geonameid"]
        else:
            right = haversine_km(toponym["lat"], toponym["lon"], match.place.lat,
                                 match.place.lon) <= 161
        run.setdefault("confidence", []).append((match.score, right))


def calibration_error(pairs: list[tuple[float, bool]], *, bins: int = 10) -> float | None:
    """Expected calibration error: how far stated confidence is from observed accuracy.

    Examples
    --------
    >>> calibration_error([(0.9, True), (0.9, True), (0.1, False)])
    0.1
    """
    if not pairs:
        return None
    total = 0.0
    for b in range(bins):
        inside = [(s, ok) for s, ok in pairs
                  if b / bins <= s < (b + 1) / bins or (b == bins - 1 and s == 1.0)]
        if inside:
            confidence = sum(s for s, _ in inside) / len(inside)
            accuracy = sum(ok for _, ok in inside) / len(inside)
            total += len(inside) / len(pairs) * abs(confidence - accuracy)
    return round(total, 4)


def _share(hits: list[bool]) -> float | None:
    return sum(hits) / len(hits) if hits else None


def _score_document(run: dict[str, list[Any]], toponyms: list[dict[str, Any]],
                    mentions: list[Any], places: list[Any], held: Any, group_of: Any) -> None:
    """Pair each gold toponym with the overlapping predicted mention and record errors."""
    spans = [(m.start, m.end) for m in mentions]
    for toponym in toponyms:
        index = next((i for i, (s, e) in enumerate(spans)
                      if s < toponym["end"] and toponym["start"] < e), None)
        place = None if index is None else places[index]
        gid = toponym.get("geonameid")
        group = group_of(toponym) if toponym.get("type") else None
        if place is None:
            if gid:  # a gold id the system did not resolve counts against id accuracy
                run.setdefault("hits", []).append(False)
                if held(gid) is not None:
                    run.setdefault("held_hits", []).append(False)
            run.setdefault("missed", []).append(True)
            if toponym.get("lat") is not None:
                run.setdefault("missed_points", []).append(True)
            continue
        if toponym.get("lat") is None:
            continue
        error = haversine_km(toponym["lat"], toponym["lon"], place.lat, place.lon)
        run.setdefault("errors", []).append(error)
        if group:
            run.setdefault(f"errors:{group}", []).append(error)
        if gid:
            hit = place.geonameid == gid
            run.setdefault("hits", []).append(hit)
            if group:
                run.setdefault(f"hits:{group}", []).append(hit)
            if held(gid) is not None:
                run.setdefault("held_hits", []).append(hit)


def evaluate_event_location(gold: str, *, limit: int | None = None,
                            gazetteer: Gazetteer | None = None) -> dict[str, Any]:
    """Score event-location linking: given a sentence and its event verb, find the place.

    Over sentences whose gold has a location span, a choice is right when it overlaps a
    gold span. The places to choose from are those the recogniser finds; the baseline
    picks the one nearest to the verb.
    """
    from .evaluate import load_gold

    parser = _parser(gazetteer)
    scores = {"newsmapper": 0, "nearest place": 0}
    total = found = none_gold = 0
    for doc in islice(load_gold(gold), limit):
        verbs = doc.get("event_verbs") or []
        if not verbs:
            continue
        if not doc["toponyms"]:
            none_gold += 1
            continue
        total += 1
        verb = verbs[0]
        mentions = candidate_places(doc["text"], parser.recognize(doc["text"]),
                                    after=verb["end"])
        spans = [(t["start"], t["end"]) for t in doc["toponyms"]]
        found += any(m.start < e and s < m.end for m in mentions for s, e in spans)
        for name, pick in (("newsmapper", locate_event(doc["text"], verb["start"],
                                                       verb["end"], mentions)),
                           ("nearest place", nearest_place(mentions, verb["start"],
                                                           verb["end"]))):
            if pick is not None and any(pick.start < e and s < pick.end for s, e in spans):
                scores[name] += 1
    return {"sentences": total, "sentences_without_location": none_gold,
            "gold_location_recognised": found / total if total else None,
            "accuracy": {k: v / total if total else None for k, v in scores.items()},
            "accuracy_when_recognised": {k: v / found if found else None
                                         for k, v in scores.items()}}
