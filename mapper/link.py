"""From resolved articles to incidents: what happened, where, when, and who reported it.

A sentence reports an event when it matches the event lexicon (drones shot down,
strikes, explosions, arrests, floods, … — users add their own). The event is tied to the
place the sentence ties it to ("over the territory of X", "in X"), not merely the nearest
name; without one it falls back to the article's focus at a coarser precision. The date
comes from the text ("on the night of August 27") or the article. The same event at the
same place and date reported by several articles becomes one incident citing them all.

Its parts live in :mod:`mapper.event_lexicon`, :mod:`mapper.place_candidates`,
:mod:`mapper.event_linker` and :mod:`mapper.event_dates`.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator

from gazetteer import Gazetteer, Place

from .event_dates import event_date, parse_date
from .event_lexicon import EventLexicon
from .event_linker import locate_event, nearest_place
from .model import Finding, Incident, ParsedArticle, Resolution, Source
from .place_candidates import candidate_places

__all__ = ["EventLexicon", "link_incidents", "locate_event", "nearest_place"]

_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)")
_LEAD = 3  # sentences at the top of an article that may borrow its focus as location
_QUOTE = re.compile(r"""^\s*["“”'‘]""")
_NEAR_CUE = re.compile(r"\b(?:near|outside|on the outskirts of|close to|north|south|east|"
                       r"west|kilometres|km|miles)\b[^.]{0,20}$", re.I)


def _sentences(text: str) -> Iterator[tuple[int, int]]:
    for m in _SENTENCE.finditer(text):
        if m.group().strip():
            yield m.start(), m.end()


def _admin_path(gazetteer: Gazetteer, place: Place) -> tuple[str, ...]:
    names = [place.name]
    for parent in gazetteer.parents(place.geonameid):
        if parent.name not in names and parent.feature_code != "CONT":
            names.append(parent.name)
    return tuple(names)


def _where(res: Resolution, gazetteer: Gazetteer, near: bool
           ) -> tuple[Place | None, int, tuple[Finding, ...]]:
    """The place to map, its precision, and the findings that came with the mention.

    A claim found inconsistent is mapped where the writer most likely meant (the top
    suggestion inside the stated region) or, failing that, at the region itself.
    """
    findings = res.findings
    place = res.place
    bad = next((f for f in findings if f.verdict in ("inconsistent", "unknown-place")), None)
    if bad is not None and bad.parent_geonameid:
        actual = gazetteer.find(bad.place_geonameid) if bad.place_geonameid else None
        region = gazetteer.find(bad.parent_geonameid)
        if actual is not None and region is not None and (
                actual.country_code == region.country_code and actual.population >= 50_000):
            # "Pune, Karnataka": a real city with the wrong region; the city is the place
            return actual, 1, findings
        if bad.suggestions and bad.suggestions[0].score >= 0.5:
            return gazetteer.find(bad.suggestions[0].geonameid), 2, findings
        return region, 3, findings
    if place is None:
        return None, 3, findings
    if place.feature_code.startswith(("PCL", "CONT")) or place.feature_code == "ADM1":
        return place, 3, findings
    if near or place.feature_code in ("ADM2", "ADM3"):
        return place, 2, findings
    return place, 1, findings


def _incident_id(kind: str, geonameid: int | None, when: str | None) -> str:
    return hashlib.sha1(f"{kind}|{geonameid}|{when}".encode()).hexdigest()[:12]


def link_incidents(parsed: Iterable[ParsedArticle], *, gazetteer: Gazetteer | None = None,
                   lexicon: EventLexicon | None = None) -> list[Incident]:
    """Find the incidents the articles report and merge the ones reported more than once.

    Parameters
    ----------
    parsed
        Articles with resolved mentions (and findings), from :func:`mapper.extract`.
    gazetteer
        For admin paths and region codes; the embedded default when omitted.
    lexicon
        Event types and their patterns; :meth:`EventLexicon.default` when omitted.

    Returns
    -------
    list of Incident
        Ordered by date, then place; each cites every article that reported it.
    """
    gazetteer = gazetteer or Gazetteer.default()
    lexicon = lexicon or EventLexicon.default()
    merged: dict[str, Incident] = {}
    for item in parsed:
        for incident in _article_incidents(item, gazetteer, lexicon):
            known = merged.get(incident.id)
            if known is None:
                merged[incident.id] = incident
            elif incident.sources[0] not in known.sources:
                merged[incident.id] = Incident(
                    **{**{k: getattr(known, k) for k in known.__slots__},
                       "sources": known.sources + incident.sources,
                       "findings": known.findings + tuple(
                           f for f in incident.findings if f not in known.findings)})
    return sorted(merged.values(), key=lambda i: (i.date or "", i.place_name or "", i.id))


def _article_incidents(item: ParsedArticle, gazetteer: Gazetteer, lexicon: EventLexicon
                       ) -> Iterator[Incident]:
    article = item.article
    text = article.text
    source = Source(article.id, article.title, article.outlet, article.url, article.published)
    focus = _focus(item.resolutions, gazetteer)
    seen: set[str] = set()
    located: set[str] = set()  # event types this article already placed by a named place
    ordered = sorted(item.resolutions, key=lambda r: r.mention.start)
    starts = [r.mention.start for r in ordered]
    for number, (s_start, s_end) in enumerate(_sentences(text)):
        sentence = text[s_start:s_end]
        events = lexicon.match(sentence)
        if not events:
            continue
        kind, e_start, e_end = events[0]
        inside = ordered[bisect_left(starts, s_start):bisect_left(starts, s_end)]
        offered = candidate_places(text, [r.mention for r in inside], after=s_start + e_end,
                                   start=s_start, end=s_end)
        mention = locate_event(text, s_start + e_start, s_start + e_end,
                               [m for m in offered if s_start <= m.start < s_end])
        res = next((r for r in inside if mention is not None and r.mention == mention), None)
        if res is not None:
            near = bool(_NEAR_CUE.search(text[max(0, res.mention.start - 30):res.mention.start]))
            place, precision, findings = _where(res, gazetteer, near)
        elif (focus is not None and number < _LEAD and not _QUOTE.match(sentence)
              and kind not in located):
            # the lead reports the main event; a quote or a later aside usually doesn't
            place, precision, findings = focus, 3, ()
        else:
            continue
        if place is None:
            continue
        if res is not None:
            located.add(kind)
        published = parse_date(article.published)  # "not a date" dates nothing
        when = event_date(sentence, article.published) or (
            published.isoformat() if published else None)
        ident = _incident_id(kind, place.geonameid, when)
        if ident in seen:
            continue
        seen.add(ident)
        region = (f"{place.country_code}.{place.admin1_code}"
                  if precision == 3 and place.feature_code == "ADM1" else None)
        yield Incident(ident, kind, when, " ".join(sentence.split()), place.name,
                       place.geonameid, place.lat, place.lon, place.country_code,
                       _admin_path(gazetteer, place), precision, region, findings, (source,))


def _focus(resolutions: tuple[Resolution, ...], gazetteer: Gazetteer) -> Place | None:
    """The region the article is most about, for lead events with no place of their own."""
    counts: Counter[int] = Counter()
    places: dict[int, Place] = {}
    for r in resolutions:
        if (r.place is not None and not r.mention.is_demonym and not r.findings
                and not r.place.feature_code.startswith(("PCL", "CONT"))):
            counts[r.place.geonameid] += 2 if r.place.feature_code == "ADM1" else 1
            places[r.place.geonameid] = r.place
    if not counts:
        return None
    place = places[counts.most_common(1)[0][0]]
    if place.feature_code != "ADM1" and place.admin1_code:
        return gazetteer.admin_unit(f"{place.country_code}.{place.admin1_code}") or place
    return place
