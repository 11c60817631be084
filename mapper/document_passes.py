"""Passes over the whole document: what it is about, where it is, one sense per name.

After each mention's own evidence, an article's places vote for each other: the countries
and regions it is about, nearness to the other places it names, and the rule that a name
(with its designator) means one place throughout, the one a stated parent settled.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable

from gazetteer import Match, Place, haversine_km

from .model import NAMESAKE_CUE
from .slot import SETTLEMENT_STATED, Slot, is_stated

__all__ = [
    "apply_coherence",
    "apply_focus",
    "is_city_of_millions",
    "keep_famous_cities",
    "listed_beside",
    "one_sense_per_name",
]

FOCUS_WEIGHT = 0.2
COUNTRY_VOTES = 2.0  # a country's name votes for its focus twice as much as a town does
FOCUS_MIN_VOTES = COUNTRY_VOTES  # the votes of one country name: fewer make part of a focus
MILLION = 1_000_000
NAMED_UNIT_MARGIN = 0.85  # a bare name reads as the unit named with its designator
SIBLING_BOOST = 1.3  # a region listed with other regions of its country
LIST_GAP = 6  # characters between two names in a list: ", ", " and ", ", and "


def is_city_of_millions(place: Place) -> bool:
    """Whether a place is a city so large that its name means it ("New York", "Lagos")."""
    return place.feature_class == "P" and place.population >= MILLION


def apply_focus(slots: list[Slot]) -> None:
    """Prefer candidates in the countries and regions the document is about.

    A name's own mentions don't vote for its reading: four "London"s read as the
    British capital must not outvote three "Canada"s for London, Ontario.
    """
    countries: Counter[str] = Counter()
    regions: Counter[str] = Counter()
    own: dict[str, Counter[str]] = {}
    for slot in slots:
        best = slot.best()
        if best < 0:
            continue
        place = slot.matches[best].place
        weight = COUNTRY_VOTES if place.feature_code.startswith("PCL") else 1.0
        if slot.mention.is_demonym:
            weight = 0.5
        countries[place.country_code] += weight
        own.setdefault(slot.name, Counter())[place.country_code] += weight
        if place.admin1_code:  # a named region counts double toward its own focus
            regions[f"{place.country_code}.{place.admin1_code}"] += (
                2 if place.feature_code == "ADM1" else 1)
    for slot in slots:
        mine = own.get(slot.name, Counter())
        others = countries - mine
        # one demonym or one town is a faint focus: "as an American, I hope Scotland
        # wins" is no article about the United States
        total = max(sum(others.values()), FOCUS_MIN_VOTES)
        for i, match in enumerate(slot.matches):
            place = match.place
            share = others.get(place.country_code, 0.0) / total
            if share:
                slot.scores[i] *= 1.0 + FOCUS_WEIGHT * share
                if share > 0.3:
                    slot.reasons[i].append(f"document focus {place.country_code}")
            if regions.get(f"{place.country_code}.{place.admin1_code}", 0) >= 2:
                slot.scores[i] *= 1.1


def apply_coherence(slots: list[Slot]) -> None:
    """Prefer candidates near the other places the document names."""
    bests = [(s, s.matches[s.best()].place) for s in slots if s.matches]
    points = list({p.geonameid: (s.name, p) for s, p in bests}.values())
    listed_regions = [(s, p) for s, p in bests if p.feature_code == "ADM1"]
    near_in_text = _neighbours(listed_regions)
    for slot in slots:
        if len(slot.matches) < 2:
            continue
        others = [p for text, p in points if text != slot.name
                  and not p.feature_code.startswith(("PCL", "CONT", "ADM1"))]
        regions = [(text, p) for text, p in points if text != slot.name
                   and p.feature_code == "ADM1"]
        # a region right beside it in a list: "Georgia and Arizona", "Georgia, Arizona"
        beside = [p for other, p in near_in_text(slot) if other.name != slot.name
                  and listed_beside(other, slot)]
        if not others and len(regions) < 2 and not beside:
            continue
        # a capital or city of millions named like its region keeps it ("Beijing"); a
        # smaller city ("Puducherry" listed among states) does not, nor a city the
        # region's name is only another name of ("Bahia" for Salvador)
        top = slot.matches[slot.best()]
        for i, match in enumerate(slot.matches[:5]):
            place = match.place
            if place.feature_code == "ADM1" and (
                    _siblings(place, (p for _, p in regions)) >= 2
                    or _siblings(place, beside)) and not (  # "voters in Georgia and Arizona"
                    top.place.feature_class == "P" and top.prior >= match.prior
                    and (top.place.feature_code == "PPLC" or is_city_of_millions(top.place))
                    and top.how == "name" and top.place.country_code == place.country_code):
                # "Georgia, Ohio, Texas and California": a region named
                # beside other regions of one country is one of them
                slot.scores[i] *= SIBLING_BOOST
                slot.reasons[i].append("named with other regions of its country")
            if place.feature_code.startswith("PCL") or place.feature_code == "ADM1":
                # a country or region is "near" the places the article names inside it
                if any(p.country_code == place.country_code and (
                        place.feature_code != "ADM1" or p.admin1_code == place.admin1_code)
                       for p in others):
                    slot.scores[i] *= 1.15
                    slot.reasons[i].append("contains other places in the article")
                continue
            if others and _any_within(place, others[:30], 150.0):
                slot.scores[i] *= 1.15
                slot.reasons[i].append("near other places in the article")


def one_sense_per_name(slots: list[Slot]) -> None:
    """The same name (with the same designator) means the same place in one article.

    Where one mention states its parent ("Aurora is a city in Minnesota") and that
    parent contains a candidate, that reading wins for every mention of the name.
    """
    best: dict[tuple[str, str | None], tuple[bool, float, int]] = {}
    chosen: dict[tuple[str, str | None], Match] = {}
    for slot in slots:
        i = slot.best()
        if i < 0:
            continue
        key = (slot.name, slot.mention.hint)
        # "It was named after Dover, Delaware": a namesake's parent says nothing about
        # the article's reading of the name
        stated = any(is_stated(r) for r in slot.reasons[i]) and (
            NAMESAKE_CUE not in slot.mention.cues)
        if slot.mention.parent is not None and not stated:
            continue
        # among stated readings the first wins: an article introduces its place
        # before it compares it with namesakes ("… named after Toledo, Ohio")
        # a reading the text typed ("the town of Tula") outranks untyped ones
        settled = not stated and SETTLEMENT_STATED in slot.reasons[i]
        rank = (stated, -slot.mention.start if stated else (settled, slot.scores[i]),
                slot.matches[i].place.geonameid)
        if key not in best or rank[:2] > best[key][:2]:
            best[key] = rank
            chosen[key] = slot.matches[i]
    for slot in slots:
        key = (slot.name, slot.mention.hint)
        named_unit = False
        if slot.mention.hint is None and key in best and slot.matches and not best[key][0]:
            # "the Idlib province … fighting in Idlib": the unit the text
            # named with its designator, when it is a close reading here too (and
            # the name's own reading is no city of millions: "Lagos State … Lagos")
            top = max(slot.scores)
            own = slot.matches[slot.best()].place
            for hinted in () if is_city_of_millions(own) else ("ADM1", "ADM2"):
                other = best.get((slot.name, hinted))
                if other is None:
                    continue
                for i, match in enumerate(slot.matches):
                    if (match.place.geonameid == other[2]
                            and slot.scores[i] >= NAMED_UNIT_MARGIN * top):
                        key, named_unit = (slot.name, hinted), True
        if key not in best or (slot.matches and any(
                is_stated(r) for r in slot.reasons[slot.best()])):
            continue  # "Paris, Texas … Paris, France": each keeps its own parent
        if all(m.place.geonameid != best[key][2] for m in slot.matches):
            slot.matches.append(chosen[key])  # found only inside a stated parent
            slot.scores.append(0.0)
            slot.reasons.append([chosen[key].how])
        for i, match in enumerate(slot.matches):
            if match.place.geonameid == best[key][2]:
                slot.scores[i] = max(slot.scores) * 1.0001 or 1e-6
                if best[key][0] and slot.mention.parent is None:
                    slot.reasons[i].append("same name, stated parent elsewhere")
                elif named_unit:
                    slot.reasons[i].append("same name with its designator elsewhere")


def _neighbours(items: list[tuple[Slot, Place]]) -> Callable[[Slot], list[tuple[Slot, Place]]]:
    """A lookup of the items that end or start within a list gap of a slot.

    Found by bisection, so a run-on list of thousands of regions stays fast.
    """
    by_start = sorted(items, key=lambda item: item[0].mention.start)
    starts = [slot.mention.start for slot, _ in by_start]
    by_end = sorted(items, key=lambda item: item[0].mention.end)
    ends = [slot.mention.end for slot, _ in by_end]

    def near(slot: Slot) -> list[tuple[Slot, Place]]:
        m = slot.mention
        return [*by_end[bisect_left(ends, m.start - LIST_GAP):bisect_right(ends, m.start)],
                *by_start[bisect_left(starts, m.end):bisect_right(starts, m.end + LIST_GAP)]]

    return near


def listed_beside(a: Slot, b: Slot) -> bool:
    """Whether two names stand next to each other in a list: "Georgia and Arizona"."""
    return a.mention.sentence == b.mention.sentence and (
        0 <= a.mention.start - b.mention.end <= LIST_GAP
        or 0 <= b.mention.start - a.mention.end <= LIST_GAP)


def _siblings(region: Place, others: Iterable[Place]) -> int:
    """How many of ``others`` are other regions of the region's country."""
    return sum(p.country_code == region.country_code and p.geonameid != region.geonameid
               for p in others)


def _any_within(place: Place, others: list[Place], km: float) -> bool:
    """Whether any of ``others`` lies within ``km`` of ``place`` (flat-earth check first)."""
    limit = (km / 111.2) ** 2
    scale = math.cos(math.radians(place.lat)) ** 2
    for other in others:
        dlat = place.lat - other.lat
        dlon = place.lon - other.lon
        if dlat * dlat + dlon * dlon * scale <= limit * 1.1 and haversine_km(
                place.lat, place.lon, other.lat, other.lon) <= km:
            return True
    return False


_PLACED_ELSEWHERE = ("same name, stated parent elsewhere",
                     "same name with its designator elsewhere")
FAMOUS_RATIO = 20  # a city of millions this many times larger than the namesake
CAPITAL_RATIO = 10  # a national capital this many times larger
FOCUS_NAMES = 2  # other places in the namesake's country that make an article about it
NEIGHBOUR_KM = 50  # a town named in the same sentence this close keeps the namesake


def keep_famous_cities(slots: list[Slot]) -> None:
    """A capital or city of millions outranks a small namesake that only nearness favours.

    Nearness and a faint country focus are weak votes, and the priors of a capital and a
    town of its name differ little, so "FAO officials in Rome" beside a few New York
    places could go to Rome, New York. The text placing the town ("Rome, Georgia", once
    in the article) or an article about the town's country keeps it, but one other
    place there is no such article: "officials in Moscow and Washington" is not Idaho.
    """
    names_in: dict[str, set[str]] = {}  # country → the names read as places there
    for slot in slots:
        if (i := slot.best()) >= 0:
            names_in.setdefault(slot.matches[i].place.country_code, set()).add(slot.name)
    for slot in slots:
        i = slot.best()
        if i < 0 or slot.matches[i].place.feature_class != "P" or any(
                is_stated(r) or r.startswith(_PLACED_ELSEWHERE) for r in slot.reasons[i]):
            continue  # placed by the text
        town = slot.matches[i].place
        j = next((j for j, match in enumerate(slot.matches)
                  if j != i and match.how == "name" and match.place.feature_class == "P"
                  and (match.place.feature_code == "PPLC" or is_city_of_millions(match.place))
                  and match.place.population >= (CAPITAL_RATIO if match.place.feature_code
                                                  == "PPLC" else FAMOUS_RATIO)
                  * max(town.population, 1)),
                 None)
        if j is None:
            continue
        famous = slot.matches[j].place
        if any(r.startswith("document focus") for r in slot.reasons[i]) and len(
                names_in.get(town.country_code, set()) - {slot.name}) >= FOCUS_NAMES and (
                famous.country_code == town.country_code
                or not names_in.get(famous.country_code, set()) - {slot.name}):
            # an article about the town's country; but one that names the famous city's
            # country too is about both ("the summit moved to Moscow" beside "Russia")
            continue
        if any(other is not slot and other.mention.sentence == slot.mention.sentence
               and (k := other.best()) >= 0 and other.matches[k].place.feature_class == "P"
               and haversine_km(town.lat, town.lon, other.matches[k].place.lat,
                                other.matches[k].place.lon) <= NEIGHBOUR_KM
               for other in slots):
            continue  # "between Moscow and Pullman": a neighbour named with it
        slot.scores[j] = slot.scores[i] * 1.0001
        slot.reasons[j].append("far better known than the namesake nearby places favour")
