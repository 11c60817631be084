"""Regions named in the same sentence: "Milford is a town in Kent County, Delaware".

A region the sentence names narrows the readings of the other names in it even when the
text states no parent next to them; a namesake below the candidate cut is looked up inside
the region.
"""

from __future__ import annotations

from gazetteer import Gazetteer, Match, Place

from .document_passes import is_city_of_millions, listed_beside
from .lexicon import hint_word
from .model import DATELINE_CUE, NAMESAKE_CUE
from .slot import Slot

__all__ = ["apply_sentence_regions"]

REGION_BOOST = {"ADM1": 1.3, "ADM2": 1.4, "PCL": 1.2}  # inside a region the sentence names
SENTENCE_GROUP_LIMIT = 40  # more places than this in one "sentence" is a list or a table


def apply_sentence_regions(slots: list[Slot], by_span: dict[tuple[int, int], Slot],
                           gazetteer: Gazetteer) -> None:
    """Prefer candidates inside the regions named in the same sentence.

    "Milford is a town on the Mill River in Kent County, in the U.S. state of
    Delaware": Delaware settles which Kent County, and both settle which Milford,
    though neither is next to the name. A candidate missing from the list (a small namesake
    below the cut) is looked up inside the region. Regions settle first (states, then
    counties), then the other places. A name with a stated parent listens only to its
    chain of stated parents and to the regions after it ("Denver, Colorado and
    Austin, Texas": Colorado says nothing about Austin); a state says nothing about
    another state of its country.
    """
    groups: dict[int, list[Slot]] = {}
    for slot in slots:
        # a dateline ("WASHINGTON, April 5 (Reuters) - A New York court …") is no part
        # of the sentence it runs into
        if slot.mention.sentence >= 0 and slot.matches and not slot.mention.is_demonym and (
                DATELINE_CUE not in slot.mention.cues):
            groups.setdefault(slot.mention.sentence, []).append(slot)
    for group in groups.values():
        if not 2 <= len(group) <= SENTENCE_GROUP_LIMIT:
            continue  # one place, or a list of dozens: no sentence context to weigh
        # "Salem was named after Salem, Massachusetts": the region is the
        # namesake's stated parent, not the article's Salem's
        owned = {(id(by_span[s.mention.parent]), s.mention.text) for s in group
                 if s.mention.parent in by_span
                 and s.mention.parent[0] - s.mention.end <= 2}  # "X, Y", not "X County, Y"
        for level in ("ADM2", None):
            for slot in group:
                best = slot.matches[slot.best()].place
                if (level == "ADM2" and best.feature_code != "ADM2") or (
                        best.feature_code == "CONT"):
                    continue  # a country's name may still be a town in the region
                chain = _parent_chain(slot, by_span)
                named_like_country = best.feature_code == "PPLC" or any(
                    m.place.feature_code.startswith("PCL") for m in slot.matches)
                # "Virginia, Washington, West Virginia and Wyoming": a name listed among
                # regions that is itself one is their sibling, not a town inside them
                listed_regions = {m.place.country_code for m in slot.matches
                                  if m.how == "name" and m.place.feature_code == "ADM1"
                                  } if "in list" in slot.mention.cues or _beside_a_region(
                                      slot, group) else set()
                regions = []
                for other in group:
                    if other is slot or other.mention.text == slot.mention.text or (
                            chain is not None and id(other) not in chain
                            and other.mention.start < slot.mention.start):
                        continue
                    if chain is None and (id(other), slot.mention.text) in owned:
                        continue
                    for i in _top_readings(other):
                        place = other.matches[i].place
                        if _city_read_as_region(other, i):
                            continue
                        country = place.feature_code.startswith("PCL")
                        if not place.country_code or (not country and (
                                place.feature_code not in ("ADM1", "ADM2")
                                or not place.admin1_code)):
                            continue
                        if level == "ADM2" and place.feature_code == "ADM2":
                            continue
                        if country and (other.mention.start < slot.mention.start
                                        or named_like_country):
                            # only "X is a town in …, Peru" narrows X to a country;
                            # "talks in Moscow on the US presence" does not
                            continue
                        if (best.feature_code == "ADM1" or (country and (
                                best.feature_code.startswith("PCL")))) and (
                                best.country_code == place.country_code or country):
                            continue  # "Utah, Colorado and Idaho"; "Peru and Chile"
                        if place.feature_code == "ADM1" and place.country_code in listed_regions:
                            continue
                        regions.append((place, other, i))
                finer = {p.country_code for p, _, _ in regions
                         if not p.feature_code.startswith("PCL")}
                # "a town in Kent County, Delaware, United States": the
                # country says no more than its region does
                _boost_inside(slot, [r for r in regions if r[0].country_code not in finer
                                     or not r[0].feature_code.startswith("PCL")], gazetteer)


def _beside_a_region(slot: Slot, group: list[Slot]) -> bool:
    """Whether a name right beside this one in a list reads first as a region.

    "Utah, Washington and Wisconsin": Washington is listed with states.
    """
    return any(other is not slot and listed_beside(other, slot)
               and other.matches[other.best()].place.feature_code == "ADM1"
               for other in group)


def _parent_chain(slot: Slot, by_span: dict[tuple[int, int], Slot]) -> set[int] | None:
    """The slots of the stated parents above this one, or None when it states none."""
    if slot.mention.parent is None:
        return None
    chain: set[int] = set()
    current = slot
    while current.mention.parent is not None and len(chain) < 6:
        parent = by_span.get(current.mention.parent)
        if parent is None or id(parent) in chain:
            break
        chain.add(id(parent))
        current = parent
    return chain


def _boost_inside(slot: Slot, regions: list[tuple[Place, Slot, int]],
                  gazetteer: Gazetteer) -> None:
    """Raise the readings inside each region, looking the name up there if none is."""
    seen = set()
    for region, other, index in regions:
        if region.geonameid in seen or region.geonameid in {
                m.place.geonameid for m in slot.matches}:
            continue
        seen.add(region.geonameid)
        inside = [i for i, m in enumerate(slot.matches) if _inside_by_codes(m.place, region)]
        if not inside:
            name = slot.mention.name or slot.mention.text
            query = f"{name} {hint_word(slot.mention.hint)}".strip()
            known = {m.place.geonameid for m in slot.matches}
            within = region.country_code if region.feature_code.startswith("PCL") else (
                region.admin_code)
            for match in gazetteer.search(query, within=within, limit=3, fuzzy=False):
                if match.place.geonameid not in known and match.score >= 0.6 and (
                        match.how != "fuzzy"):
                    slot.matches.append(match)
                    slot.scores.append(match.score)
                    slot.reasons.append([match.how, "found inside a region in the sentence"])
                    inside.append(len(slot.matches) - 1)
        quality = max(_quality(m) for m in slot.matches)
        inside = [i for i in inside if _quality(slot.matches[i]) >= quality - 0.02]
        if not inside or len(inside) == len(slot.matches):
            continue
        factor = REGION_BOOST[region.feature_code[:3] if region.feature_code.startswith(
            "PCL") else region.feature_code]
        # a country named in the sentence narrows the reading less than a region
        # does; it is no stated parent for the other mentions of the name
        said = "in the country" if factor == REGION_BOOST["PCL"] else "inside"
        if NAMESAKE_CUE in slot.mention.cues:
            # "… was named after Dover, Delaware": the region may be the
            # namesake's; it is no stated parent for the name's other mentions
            said = "in the region"
        for i in inside:
            slot.scores[i] *= factor
            slot.reasons[i].append(f"{said} {region.name}, named in the sentence")
        other.scores[index] *= 1.1
        other.reasons[index].append(f"contains {slot.mention.text} (same sentence)")


def _top_readings(slot: Slot) -> list[int]:
    """Indexes of a slot's best readings, at most three, all within 3% of the best.

    "Maryland": the state or the Liberian county, tied; either may be the region meant.
    """
    order = sorted(range(len(slot.matches)), key=lambda k: -slot.scores[k])[:3]
    top = slot.scores[order[0]] if order else 0.0
    return [i for i in order if slot.scores[i] >= 0.97 * top]


def _city_read_as_region(slot: Slot, index: int) -> bool:
    """Whether a reading is the region named like the city of millions the name is read as.

    "Agents in New York and Philadelphia": New York is the city, and the state it also
    names holds no Philadelphia here, nor a Washington later in the sentence.
    """
    best = slot.best()
    return index != best and is_city_of_millions(slot.matches[best].place)


def _quality(match: Match) -> float:
    """How well the name matched, without the prior the match score folds in."""
    return match.score / (0.75 + 0.25 * min(max(match.prior, 0.0), 1.0))


def _inside_by_codes(place: Place, region: Place) -> bool:
    """Whether the admin codes put ``place`` inside the ADM1 or ADM2 ``region``."""
    if place.geonameid == region.geonameid or place.country_code != region.country_code:
        return False
    if region.feature_code.startswith("PCL"):
        return True
    if place.admin1_code != region.admin1_code:
        return False
    return region.feature_code == "ADM1" or (
        bool(region.admin2_code) and place.admin2_code == region.admin2_code)
