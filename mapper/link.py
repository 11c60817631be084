"""From resolved articles to incidents: what happened, where, when, and who reported it.

A sentence reports an event when it matches the event lexicon (drones shot down,
strikes, explosions, arrests, floods, … — users add their own). The event is tied to the
place the sentence ties it to ("over the territory of X", "in X"), not merely the nearest
name; without one it falls back to the article's focus at a coarser precision. The date
comes from the text ("on the night of August 27") or the article. The same event at the
same place and date reported by several articles becomes one incident citing them all.
"""

from __future__ import annotations

import hashlib
import math
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from importlib.resources import files
from pathlib import Path

from gazetteer import Gazetteer, Place

from .errors import InputError
from .lexicon import ABBREVIATIONS, GIVEN_NAMES, STOP, TITLES, demonyms
from .model import Finding, Incident, Mention, ParsedArticle, Resolution, Source

__all__ = ["EventLexicon", "link_incidents", "locate_event", "nearest_place"]

_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)")
_LOCATION_CUE = re.compile(
    r"(?:\b(?:in|at|near|over|outside|across|into|inside|on the outskirts of|"
    r"over the territory of|the territory of|(?<=\b[a-z]{2} )of|(?<=\b[a-z]{3} )of|"
    r"(?<=\b[a-z]{4} )of|(?<=\b[a-z]{5} )of|(?<=[a-z]{6} )of)\s+(?:the\s+)?"
    r"(?:[a-z]+(?:['’]s)?\s+){0,2})$")  # "in the northern", "outside his", "villages of"
_IN_NAME = re.compile(r"\b[A-Z][\w'’-]*\s+of\s+(?:the\s+)?$")
_SPECIFIC_AFTER = re.compile(r"\s+(?:city|town|village|district|region|province|area)"
                             r"\s+(?:of|in)\b", re.I)  # followed by "town of …": a wider area
_LEAD = 3  # sentences at the top of an article that may borrow its focus as location
_QUOTE = re.compile(r"""^\s*["“”'‘]""")
_POSSESSOR = re.compile(r"['’]s?\s")
_NEGATION = re.compile(r"\b(?:no|not|without|nor|denied|never)\b(?:\s+\w+){0,2}\s*$", re.I)
_ORIGIN_CUE = re.compile(r"\b(?:from|by|with|against|to)\s+(?:the\s+)?$", re.I)
_NEAR_CUE = re.compile(r"\b(?:near|outside|on the outskirts of|close to|north|south|east|"
                       r"west|kilometres|km|miles)\b[^.]{0,20}$", re.I)
_MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november "
    "december".split(), 1)}
_WEEKDAYS = {d: i for i, d in enumerate("monday tuesday wednesday thursday friday saturday "
                                        "sunday".split())}
_DATE = re.compile(r"\b(?:(\d{1,2})(?:st|nd|rd|th)?\s+(" + "|".join(_MONTHS) + r")|("
                   + "|".join(_MONTHS) + r")\s+(\d{1,2})(?:st|nd|rd|th)?)\b(?:,?\s+(\d{4}))?",
                   re.I)
_WEEKDAY = re.compile(r"\b(?:on|last|this)\s+(" + "|".join(_WEEKDAYS) + r")\b", re.I)


@dataclass(frozen=True, slots=True)
class EventLexicon:
    """Event types and the patterns that find them in a sentence.

    Examples
    --------
    >>> EventLexicon.default().match("Air defences shot down a drone over Kaluga.")
    [('drone', 20, 42)]
    """

    patterns: tuple[tuple[str, re.Pattern[str]], ...]

    @classmethod
    def default(cls) -> EventLexicon:
        """The lexicon shipped with the package (``mapper/data/events.tsv``)."""
        text = (files("mapper") / "data" / "events.tsv").read_text(encoding="utf-8")
        return cls.parse(text, "events.tsv")

    @classmethod
    def from_file(cls, path: str | Path, *, extend: bool = True) -> EventLexicon:
        """Read a user's lexicon (``type<TAB>regex`` lines), added to the default one."""
        own = cls.parse(Path(path).read_text(encoding="utf-8"), str(path))
        return cls(own.patterns + cls.default().patterns) if extend else own

    @classmethod
    def parse(cls, text: str, name: str) -> EventLexicon:
        """Parse ``type<TAB>regex`` lines; a bad line raises naming the file and line."""
        patterns = []
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            kind, sep, regex = line.partition("\t")
            if not sep or not kind.strip() or not regex.strip():
                raise InputError(f"{name}:{number}: expected 'event type<TAB>pattern'")
            try:
                patterns.append((kind.strip(), re.compile(regex.strip(), re.I)))
            except re.error as exc:
                raise InputError(f"{name}:{number}: bad pattern ({exc})") from None
        return cls(tuple(patterns))

    def match(self, sentence: str) -> list[tuple[str, int, int]]:
        """Event types found in a sentence, the most specific (first listed) first.

        A negated mention ("no injuries", "without casualties") is not an event.
        """
        found = []
        for kind, pattern in self.patterns:
            for hit in pattern.finditer(sentence):
                if not _NEGATION.search(sentence[max(0, hit.start() - 25):hit.start()]):
                    found.append((kind, hit.start(), hit.end()))
                    break
        return found


def nearest_place(mentions: list[Mention], start: int, end: int) -> Mention | None:
    """The baseline: the place mention closest to the event words."""
    places = [m for m in mentions if not m.is_demonym]
    if not places:
        return None
    return min(places, key=lambda m: min(abs(m.start - end), abs(start - m.end)))


_NAME_WORDS = (r"((?:(?:al|el|ad|an|as|ash|at|az|ar)[-‘'’])?[A-Z][\w'’‘-]+"
               r"(?:\s+(?:(?:al|el|ad|an|as|ash|at|az|ar)[-‘'’])?[A-Z][\w'’‘-]+|\s+(?:al|el|de|of)"
               r"(?=\s+[A-Z])){0,5})")  # at most six words: no backtracking over long runs
_ADJECTIVE = r"(?:(?:[a-z]+ern|north|south|east|west|central|upper|lower)\s+)?"
_CANDIDATE = re.compile(r"\b(?:in|at|near|outside|inside|into|across|over|(?<=[a-z] )of)\s+"
                        r"(?:the\s+)?" + _ADJECTIVE + _NAME_WORDS)
_CANDIDATE_WEAK = re.compile(r"\b(?:on|to|towards?|around|onto|from|within|between|and)\s+"
                             r"(?:the\s+)?" + _ADJECTIVE + _NAME_WORDS)
_NAME = re.compile(r"(?:the\s+)?" + _NAME_WORDS)
_NAMED_AREA = re.compile(r"\b(?<![.!?]\s)" + _NAME_WORDS + r"\s+"
                         r"(?:area|district|neighbou?rhood|township|village|town|camp|suburb|"
                         r"quarter|market|province|region|governorate|valley)\b")
_NOT_PLACES = frozenset("january february march april may june july august september october "
                        "november december monday tuesday wednesday thursday friday saturday "
                        "sunday the a an this that his her their its".split())


def candidate_places(text: str, mentions: list[Mention], *, after: int | None = None,
                     start: int = 0, end: int | None = None) -> list[Mention]:
    """The recognised mentions plus capitalised names the text presents as places.

    Those are names right after "in", "at", "near" (and, less surely, "on", "to",
    "from"), names before "area", "district", "neighbourhood", and (given ``after``,
    the end of the event words) the name the event verb takes as its object ("rebels
    captured Blorpville"), looked for between ``start`` and ``end`` (the sentence). An
    event's place may be one the gazetteer lacks ("found dead at her Larkfield flat"); it
    is still where the event happened, and the incident then falls back to the article's
    region instead of jumping to another place.
    """
    found: dict[tuple[int, int], str] = {}
    for pattern, cue in ((_CANDIDATE, "name after a place word"),
                         (_NAMED_AREA, "name before a place word"),
                         (_CANDIDATE_WEAK, "name after a preposition")):
        for match in pattern.finditer(text, start, len(text) if end is None else end):
            found.setdefault(match.span(1), cue)
    if after is not None:
        gap = len(text[after:after + 6]) - len(text[after:after + 6].lstrip(" "))
        hit = _NAME.match(text, after + gap)
        if hit is not None and hit.start() - after <= 5:
            found[hit.span(1)] = "object of the event"
    extra: list[Mention] = []
    for (s, e), cue in sorted(found.items()):
        words = text[s:e].split()
        if words and words[-1].endswith(("'s", "’s")):
            e -= 2
            words[-1] = words[-1][:-2]
        if (not words or words[0].lower() in _NOT_PLACES or words[0].lower() in STOP
                or words[0] in demonyms()):
            continue
        if not any(m.start < e and s < m.end for m in [*mentions, *extra]):
            extra.append(Mention(s, e, text[s:e], cues=("capitalised after preposition", cue)))
    return sorted([*mentions, *extra], key=lambda m: m.start)


# How much each signal counts when choosing an event's place: a conditional logit over
# the candidates of a sentence, fitted by scripts/fit_event_linker.py on one half of a
# published event-location corpus and checked on the other (see docs/evaluation.md).
WEIGHTS: dict[str, float] = {"acronym": -2.73, "before_verb": -1.05, "caps": -3.14, "child":
                             -0.25, "clause_breaks": -0.26, "contains": -0.25, "contained":
                             0.77, "cue": 0.65, "cue_in": 0.83, "cue_near": -0.19, "cue_over":
                             0.78, "designated": 0.40, "from": 0.62, "in_name": -3.13,
                             "in_parens": -2.66, "institution_after": -1.03, "lead_in": 2.11,
                             "log_gap": -0.84, "modifier": -0.72, "names_child": -2.00,
                             "nearest_after": 0.92, "nearest_before": -1.16, "object": -0.40,
                             "org_word": -2.05, "origin": -1.71, "parent": -0.89,
                             "passive_subject": 0.74, "person_like": -1.23, "possessor": -3.06,
                             "proper_after": -1.67, "quoted": -1.24, "repeated": -1.11,
                             "specific_after": 0.98, "subject": 0.25, "type_of": 1.17,
                             "unknown": -0.29, "unknown_name_after_a_place": 0.43,
                             "unknown_name_after_a_preposition": -0.09,
                             "unknown_name_before_a_place": 0.03,
                             "unknown_object_of_the_event": -1.58}
_CLAUSE_BREAK = re.compile(r"[;:()\u2013\u2014\"“”]|,\s+(?:which|who|where|while|when|after|"
                           r"before|as|but|and|said|according)\b|\b(?:said|says|told)\b", re.I)
_CONTAINER_GAP = re.compile(
    r"^(?:,\s*|\s+in\s+|\s+of\s+|\s+near\s+|,?\s+(?:also\s+)?(?:just\s+|some\s+|about\s+)?"
    r"(?:\d[\d,.]*\s*(?:km|kilometres|kilometers|miles)\s+(?:\([^)]{0,20}\)\s+)?)?"
    r"(?:north|south|east|west)\w*\s+of\s+|,\s+(?:a|an|the|another)\s+(?:[\w-]+\s+){0,4}?"
    r"(?:city|town|village|capital|district|province|region|area|suburb|port|neighbou?rhood)"
    r"\s+(?:in|of|near)\s+)(?:the\s+)?(?:(?:[a-z][\w-]*|upper|lower|central)\s+(?:of\s+)?"
    r"(?:the\s+)?){0,3}$")
_NAMES_CHILD = re.compile(r"^\s+(?:[a-z-]+\s+){0,2}(?:city|town|village|capital|district|"
                          r"province|region|governorate|neighbou?rhood|suburb|port|camp)\s+"
                          r"(?:of\s+)?(?:[a-z]+ern\s+)?$", re.I)
_DESIGNATED = re.compile(r"\s+(?:city|town|village|district|province|region|area|"
                         r"neighbou?rhood|governorate|county|township|camp|suburb|state|"
                         r"municipality|quarter|countryside|border|valley)\b", re.I)
_NEAR_WORDS = re.compile(r"\b(?:near|outside|on the outskirts of|close to|(?:north|south|east|"
                         r"west)\w*\s+of|kilometres|km|miles)\b[^.]{0,20}$")
_TYPE_OF = re.compile(r"\b(?:city|town|village|district|province|region|capital|port|suburb|"
                      r"neighbou?rhood|settlement|area|county|state|governorate|camp|"
                      r"municipality|hamlet)\s+of\s+$", re.I)
_INSTITUTION = re.compile(r"['’]?s?\s+(?:[a-z]+\s+)?(?:embassy|consulate|headquarters|offices?|"
                          r"mission|compound|base|parliament|government|authorities|"
                          r"officials?|forces|troops|army|police|military|soldiers)\b", re.I)
_PASSIVE = re.compile(r"^\s+(?:was|were|is|are|has been|have been|had been|being)\s+"
                      r"(?:\w+ly\s+)?$")
_ORG_WORDS = frozenset("party forces force units unit brigade brigades army alliance front "
                       "council committee agency organization organisation movement union "
                       "corps guard guards militia group ministry police company "
                       "association institute foundation league network authority service "
                       "machine coalition federation".split())
_IN_AT = re.compile(r"\b(?:in|at)\s+(?:the\s+)?(?:[a-z]+\s+){0,2}$")
_OVER = re.compile(r"\b(?:over|into|across|inside|on)\s+(?:the\s+)?(?:territory\s+of\s+)?"
                   r"(?:[a-z]+\s+){0,1}$")
_FROM = re.compile(r"\bfrom\s+(?:the\s+)?$")
_PROPER_NEXT = re.compile(r"[ -][A-Z]")
_LEAD_IN = re.compile(r"(?:^|[.!?]\s+)In\s+(?:the\s+)?(?:[\w-]+\s+){0,5}$")  # "In Kharkiv, …"
_AGE_AFTER = re.compile(r",\s+\d{1,2}\b")  # "Ann Lowe, 23,"
_TITLE_BEFORE = re.compile(r"\b(?:" + "|".join(TITLES) + r")\.?\s+$", re.I)
_WHEN_WORDS = re.compile(r"[ -](?:" + "|".join(m.title() for m in [*_MONTHS, *_WEEKDAYS])
                         + r")\b")
_MODIFIER = re.compile(r"\s+(?!(?:in|on|at|and|or|to|of|for|from|with|by|was|is|were|are|"
                       r"has|have|had|said|says|after|before|when|while|as|where|which|who|"
                       r"that|the|a|an|near|into|over|during|late|early|last|this|but|"
                       r"since|until)\b)[a-z]")
_VERB_GAP_OBJECT = re.compile(r"^\s*(?:the\s+|a\s+)?(?:[a-z-]+\s+){0,2}?$")


def event_place_features(text: str, start: int, end: int, m: Mention,
                         places: list[Mention]) -> dict[str, float]:
    """The signals that say whether ``m`` is where the event at ``start:end`` happened.

    Each is a number (mostly 0 or 1) that :data:`WEIGHTS` turns into a score.
    """
    before = text[max(0, m.start - 40):m.start]
    after = text[m.end:m.end + 40]
    gap = m.start - end if m.start >= end else start - m.end
    between = text[end:m.start] if m.start >= end else text[m.end:start]
    f: dict[str, float] = {}
    f["cue"] = float(bool(_LOCATION_CUE.search(before)))
    f["cue_in"] = float(bool(_IN_AT.search(before)))
    f["cue_near"] = float(bool(_NEAR_WORDS.search(before[-30:])))
    f["cue_over"] = float(bool(_OVER.search(before)))
    f["origin"] = float(bool(_ORIGIN_CUE.search(before)))
    f["from"] = float(bool(_FROM.search(before)))
    f["parent"] = float(any(p.parent == (m.start, m.end) for p in places))
    f["child"] = float(m.parent is not None)
    f["possessor"] = float(bool(_POSSESSOR.match(text, m.end)))
    f["in_name"] = float(bool(_IN_NAME.search(before)))
    f["before_verb"] = float(m.end <= start)
    f["subject"] = float(m.end <= start and not f["cue"])
    f["specific_after"] = float(bool(_SPECIFIC_AFTER.match(text, m.end)))
    f["object"] = float(m.start >= end and bool(_VERB_GAP_OBJECT.match(between)))
    f["unknown"] = float(bool(m.cues) and m.cues[0] == "capitalised after preposition")
    f["designated"] = float(bool(m.designator) or bool(_DESIGNATED.match(after)))
    f["modifier"] = float(not f["designated"] and bool(_MODIFIER.match(after)))
    f["caps"] = float(m.text.isupper() and len(m.text) > 3)
    f["log_gap"] = math.log1p(max(gap, 0))
    f["clause_breaks"] = float(min(len(_CLAUSE_BREAK.findall(between)), 3))
    f["in_parens"] = float(before.rstrip().endswith("(") and after.lstrip().startswith(")"))
    f["contains"] = float(any(
        o.end <= m.start and m.start - o.end < 45 and _CONTAINER_GAP.match(text[o.end:m.start])
        for o in places if o is not m))
    f["contained"] = float(any(
        o.start >= m.end and o.start - m.end < 45 and _CONTAINER_GAP.match(text[m.end:o.start])
        for o in places if o is not m))
    others = [o for o in places if o is not m]
    f["type_of"] = float(bool(_TYPE_OF.search(before)))  # "the Basque city of San Sebastian"
    f["institution_after"] = float(bool(_INSTITUTION.match(after)))  # "the US embassy"
    f["quoted"] = float(text[max(0, start - 300):m.start].count('"') % 2 == 1
                        and text[m.end:m.end + 300].count('"') % 2 == 1)
    f["passive_subject"] = float(m.end <= start and bool(_PASSIVE.match(text[m.end:start])))
    words = m.text.replace("-", " ").lower().split()
    f["org_word"] = float(any(w.strip("'’") in _ORG_WORDS for w in words[1:]))
    f["acronym"] = float(m.text.isupper() and len(m.text) <= 5 and "comma" not in m.cues
                         and m.text.lower().replace(".", "") not in ABBREVIATIONS)
    f["person_like"] = float((bool(words) and words[0] in GIVEN_NAMES)
                             or bool(_AGE_AFTER.match(after)) or bool(_TITLE_BEFORE.search(before)))
    f["names_child"] = float(any(o.start >= m.end and _NAMES_CHILD.match(text[m.end:o.start])
                                 for o in others))  # "the West Bank town of Tulkarm"
    f["proper_after"] = float(bool(_PROPER_NEXT.match(after)) and not f["designated"]
                              and not _WHEN_WORDS.match(after))
    for cue in ("object of the event", "name after a place word", "name before a place word",
                "name after a preposition"):
        f["unknown_" + "_".join(cue.split()[:4])] = float(bool(m.cues) and m.cues[-1] == cue)
    f["lead_in"] = float(bool(_LEAD_IN.search(text[max(0, m.start - 60):m.start]))
                         and text[m.end:m.end + 1] == ",")
    f["nearest_after"] = float(m.start >= end and not any(end <= o.start < m.start
                                                            for o in others))
    f["nearest_before"] = float(m.end <= start and not any(m.end <= o.start < start
                                                            for o in others))
    f["repeated"] = float(sum(o.text == m.text for o in others) > 0)
    return f


def locate_event(text: str, start: int, end: int, mentions: list[Mention]) -> Mention | None:
    """The place a sentence ties its event (at ``start:end``) to, or None.

    Each candidate is scored by its signals (:func:`event_place_features`) times
    :data:`WEIGHTS`: places introduced by "in", "over the territory of", "the city of" win
    over origins ("troops from X"), organisations and people; the most specific place of a
    chain wins ("Hrytsiv in western Ukraine" → Hrytsiv); nearer the event words is better.

    Examples
    --------
    >>> from mapper.model import Mention
    >>> text = "Troops from Russia shelled a market in Kharkiv."
    >>> ms = [Mention(12, 18, "Russia"), Mention(38, 45, "Kharkiv")]
    >>> locate_event(text, 19, 26, ms).text
    'Kharkiv'
    """
    places = [m for m in mentions if not m.is_demonym]
    if not places:
        return None

    def score(m: Mention) -> float:
        features = event_place_features(text, start, end, m, places)
        return sum(WEIGHTS.get(k, 0.0) * v for k, v in features.items())

    return max(places, key=score)


def _sentences(text: str) -> Iterator[tuple[int, int]]:
    for m in _SENTENCE.finditer(text):
        if m.group().strip():
            yield m.start(), m.end()


def event_date(sentence: str, published: str | None) -> str | None:
    """The date a sentence gives ("on the night of August 27", "on Monday"), else None.

    Without a year the article's year is used; weekdays count back from publication.

    Examples
    --------
    >>> event_date("On the night of August 27th, drones were downed.", "2024-08-28")
    '2024-08-27'
    """
    pub = _parse_date(published)
    hit = _DATE.search(sentence)
    if hit:
        day = int(hit.group(1) or hit.group(4))
        month = _MONTHS[(hit.group(2) or hit.group(3)).lower()]
        year = int(hit.group(5)) if hit.group(5) else (pub.year if pub else None)
        if year is None:
            return None
        try:
            found = date(year, month, day)
        except ValueError:
            return None
        if pub and not hit.group(5) and found > pub + timedelta(days=1):
            try:
                found = found.replace(year=year - 1)  # "December 30" in a January article
            except ValueError:  # February 29 of a year that has none
                return None
        return found.isoformat()
    weekday = _WEEKDAY.search(sentence)
    if weekday and pub:
        back = (pub.weekday() - _WEEKDAYS[weekday.group(1).lower()]) % 7
        return (pub - timedelta(days=back)).isoformat()
    return None


def _parse_date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


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
        when = event_date(sentence, article.published) or (article.published or None)
        when = when[:10] if when else None
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
