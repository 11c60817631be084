"""Which candidate place a sentence ties its event to: a conditional logit over its signals.

The signals are in :func:`event_place_features`; how much each counts is :data:`WEIGHTS`,
which ``scripts/fit_event_linker.py`` fits and prints to be pasted here.
"""

from __future__ import annotations

import math
import re

from .event_dates import MONTHS, WEEKDAYS
from .lexicon import ABBREVIATIONS, GIVEN_NAMES, TITLES
from .model import Mention

__all__ = ["WEIGHTS", "event_place_features", "locate_event", "nearest_place"]

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

_LOCATION_CUE = re.compile(
    r"(?:\b(?:in|at|near|over|outside|across|into|inside|on the outskirts of|"
    r"over the territory of|the territory of|(?<=\b[a-z]{2} )of|(?<=\b[a-z]{3} )of|"
    r"(?<=\b[a-z]{4} )of|(?<=\b[a-z]{5} )of|(?<=[a-z]{6} )of)\s+(?:the\s+)?"
    r"(?:[a-z]+(?:['’]s)?\s+){0,2})$")  # "in the northern", "outside his", "villages of"
_IN_NAME = re.compile(r"\b[A-Z][\w'’-]*\s+of\s+(?:the\s+)?$")
_SPECIFIC_AFTER = re.compile(r"\s+(?:city|town|village|district|region|province|area)"
                             r"\s+(?:of|in)\b", re.I)  # followed by "town of …": a wider area
_POSSESSOR = re.compile(r"['’]s?\s")
_ORIGIN_CUE = re.compile(r"\b(?:from|by|with|against|to)\s+(?:the\s+)?$", re.I)
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
_WHEN_WORDS = re.compile(r"[ -](?:" + "|".join(m.title() for m in [*MONTHS, *WEEKDAYS])
                         + r")\b")
_MODIFIER = re.compile(r"\s+(?!(?:in|on|at|and|or|to|of|for|from|with|by|was|is|were|are|"
                       r"has|have|had|said|says|after|before|when|while|as|where|which|who|"
                       r"that|the|a|an|near|into|over|during|late|early|last|this|but|"
                       r"since|until)\b)[a-z]")
_VERB_GAP_OBJECT = re.compile(r"^\s*(?:the\s+|a\s+)?(?:[a-z-]+\s+){0,2}?$")


MAX_CANDIDATES = 20  # places nearest the event words that are weighed
_FAR = 600  # characters of a gap between event and place that the signals read


def event_place_features(text: str, start: int, end: int, m: Mention,
                         places: list[Mention]) -> dict[str, float]:
    """The signals that say whether ``m`` is where the event at ``start:end`` happened.

    Each is a number (mostly 0 or 1) that :data:`WEIGHTS` turns into a score.
    """
    before = text[max(0, m.start - 40):m.start]
    after = text[m.end:m.end + 40]
    gap = m.start - end if m.start >= end else start - m.end
    between = text[end:m.start] if m.start >= end else text[m.end:start]
    if len(between) > _FAR:  # only its ends matter, and the gap itself (log_gap)
        between = between[:_FAR // 2] + " " + between[-_FAR // 2:]
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
    f["quoted"] = float(text[max(0, start - 300, m.start - _FAR):m.start].count('"') % 2 == 1
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
    if len(places) > MAX_CANDIDATES:  # run-on lists: each signal looks at the others
        nearest = sorted(places, key=lambda m: _distance(m, start, end))[:MAX_CANDIDATES]
        places = sorted(nearest, key=lambda m: m.start)

    def score(m: Mention) -> float:
        features = event_place_features(text, start, end, m, places)
        return sum(WEIGHTS.get(k, 0.0) * v for k, v in features.items())

    return max(places, key=score)


def nearest_place(mentions: list[Mention], start: int, end: int) -> Mention | None:
    """The baseline: the place mention closest to the event words."""
    places = [m for m in mentions if not m.is_demonym]
    if not places:
        return None
    return min(places, key=lambda m: _distance(m, start, end))


def _distance(m: Mention, start: int, end: int) -> int:
    return min(abs(m.start - end), abs(start - m.end))
