"""A mention's stated parent: "Long Beach, California", "X is a village in Y County".

The text saying where a name is outweighs every prior: the candidates inside the parent
win, the parent's readings that contain one are raised, a namesake too small for the
candidate list is looked up inside the parent, and a name the gazetteer lacks there reads
as the parent rather than as a namesake elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

from gazetteer import Gazetteer, Match

from .lexicon import hint_word
from .model import NAMESAKE_CUE
from .slot import EVERY_READING, Slot

__all__ = ["Contains", "apply_parents"]

Contains = Callable[[int, int], bool | None]  # whether one geonameid lies inside another

_NOT_IN_GAZETTEER = ", which stands in for a place the gazetteer lacks"
_FALLBACK_LEVELS = ("ADM1", "ADM2", "ADM3", "ADM4")
_LOOSE = ("fuzzy", "centre of the units named after it")  # no match of the name itself
FALLBACK_SCORE = 0.7  # how sure a stand-in parent is, as a name-match score
FALLBACK_MARGIN = 2.0  # over every namesake outside the stated parent
FALLBACK_MIN_NAMESAKES = 2  # a name with fewer exact readings is the one it has
FALLBACK_MAX_POPULATION = 100_000  # a reading this large is the place meant
_OTHER_LEVEL = {"ADM1": "ADM2", "ADM2": "ADM1"}  # a "province" is either, by country


def apply_parents(slots: list[Slot], by_span: dict[tuple[int, int], Slot],
                  gazetteer: Gazetteer, contains: Contains) -> None:
    """Keep the candidates inside each mention's stated parent, and boost that parent.

    "Long Beach, California" and "Xton is a hamlet in Y County" say where the name is;
    a small namesake below the candidate cut is looked up inside the parent, and a
    name the gazetteer lacks there reads as the parent.
    """
    # last first: in "X is a city in Y County, Kentucky" the state settles which Y
    # County before Y County settles which X
    before = {id(b): a for a, b in pairwise(slots)}  # the mention before each
    for slot in reversed(slots):
        if slot.mention.parent is None or not slot.matches:
            continue
        parent = by_span.get(slot.mention.parent)
        for _ in range(3):
            # "X in the Y district of Z" with no Y in the gazetteer: X is still in Z
            if parent is None or parent.matches or parent.mention.parent is None:
                break
            parent = by_span.get(parent.mention.parent)
        if parent is None or not parent.matches:
            continue
        listed = "in list" in slot.mention.cues and not _placed(parent)
        if ((listed or _countries(slot, parent)) and _siblings(slot, parent)) or (
                listed and _among_countries(slot, parent, before.get(id(slot)))):
            continue  # "Washington, Oregon and Idaho": a list of states
        pairs = _pairs(slot, parent, contains)
        if not pairs and _add_inside(slot, parent, gazetteer):
            pairs = _pairs(slot, parent, contains)
        if pairs and slot.mention.hint in _OTHER_LEVEL and all(
                slot.matches[c].place.feature_class != "A" for c, _ in pairs) and (
                _add_inside(slot, parent, gazetteer, _OTHER_LEVEL[slot.mention.hint])):
            # "the province of X, Philippines": a province is a second-level unit
            # there; a village called X is no reading of it
            pairs = _pairs(slot, parent, contains)
        if not pairs:
            _fall_back_to_parent(slot, parent, listed)
            continue
        for pi in {p for _, p in pairs}:
            parent.scores[pi] *= 1.3
            parent.reasons[pi].append(f"contains {slot.mention.text}")
        if len({c for c, _ in pairs}) == len(slot.matches):
            # "X is a county in the U.S. state of Ohio": every Knox County is in the
            # U.S.; a parent that keeps every reading decides nothing (and must not
            # make the first of them the article's reading of the name)
            for ci in range(len(slot.matches)):
                slot.reasons[ci].append(f"inside stated parent {parent.mention.text}"
                                        f"{EVERY_READING}")
            continue
        for ci in {c for c, _ in pairs}:
            slot.scores[ci] *= 1.5
            slot.reasons[ci].append(f"inside stated parent {parent.mention.text}")


def _countries(*slots: Slot) -> bool:
    """Whether every name reads first as a country: "China, Japan" is never a town."""
    return all((top := s.best()) >= 0 and s.matches[top].place.feature_code.startswith("PCL")
               for s in slots)


def _placed(parent: Slot) -> bool:
    """Whether the parent sits inside its own stated parent: "Bethany, Ontario, Canada".

    Such a chain is an address, not the list "Georgia, Illinois, Missouri" it looks like.
    """
    top = parent.best()
    return top >= 0 and parent.mention.parent is not None and any(
        r.startswith("inside stated parent") and not r.endswith(EVERY_READING)
        for r in parent.reasons[top])


def _fall_back_to_parent(slot: Slot, parent: Slot, listed: bool) -> None:
    """Read a name the gazetteer lacks inside its stated parent as that parent.

    "Xton is a village in Y County, Z": when no Xton lies in Y County, a namesake
    elsewhere is no reading of it; the county is where the text puts it. Only an
    admin unit below the country level stands in (a country says too little), and
    not for a name the text puts in a list of its siblings or names after a namesake.
    """
    top = parent.best()
    if top < 0 or slot.mention.is_demonym or slot.mention.hint or listed or (
            NAMESAKE_CUE in slot.mention.cues):
        return  # "X County, Y County": a list; "the X district of Y": a unit
    place = parent.matches[top].place
    if place.feature_code not in _FALLBACK_LEVELS or parent.matches[top].how in _LOOSE:
        return  # "Sumatra", "Darfur": no unit of that very name to stand in
    if any(m.place.geonameid == place.geonameid for m in slot.matches):
        return  # "Y County" named twice over: a reading of the name itself
    firm = [i for i, m in enumerate(slot.matches) if m.how not in _LOOSE]
    if firm and (len(firm) < FALLBACK_MIN_NAMESAKES or max(
            slot.matches[i].place.population for i in firm) >= FALLBACK_MAX_POPULATION):
        # "Pune, Karnataka", "Dzhezkazgan in the Kaluga region": a city the gazetteer
        # knows well, or the one place of its name, is that place and the text is
        # wrong about its region; only a common name ("Sharon") may be another
        # namesake the gazetteer lacks
        return
    if firm:
        own = slot.matches[max(firm, key=slot.scores.__getitem__)].place.feature_code
        own = "ADM1" if own.startswith("PCL") else own
        if own in _FALLBACK_LEVELS and (_FALLBACK_LEVELS.index(own)
                                        <= _FALLBACK_LEVELS.index(place.feature_code)):
            return  # "Florida, in Seminole County": a unit no smaller than its "parent"
    name = slot.mention.name or slot.mention.text
    slot.matches.append(Match(place, FALLBACK_SCORE, name, "stated parent", 0.0))
    slot.scores.append(max(slot.scores) * FALLBACK_MARGIN)  # a slot here has candidates
    slot.reasons.append([f"inside stated parent {parent.mention.text}"
                         f"{_NOT_IN_GAZETTEER}"])


def _pairs(slot: Slot, parent: Slot, contains: Contains) -> list[tuple[int, int]]:
    """(child candidate, parent candidate) index pairs where the parent contains it."""
    ranked = sorted(range(len(parent.matches)), key=lambda i: -parent.scores[i])[:4]
    return [(ci, pi) for ci, c in enumerate(slot.matches[:12])
            for pi in ranked for p in (parent.matches[pi],)
            if p.place.feature_class == "A" and c.place.geonameid != p.place.geonameid
            and contains(p.place.geonameid, c.place.geonameid)]


def _add_inside(slot: Slot, parent: Slot, gazetteer: Gazetteer,
                level: str | None = None) -> bool:
    """Look the name up again inside the stated parent's candidates.

    A common name ("Aurora") has more namesakes than the candidate list keeps; the
    one in the stated parent may be a small place that ranked below the cut. With
    ``level``, look for an admin unit of that level instead of the designator's.
    """
    name = slot.mention.name or slot.mention.text
    query = f"{name} {hint_word(level or slot.mention.hint)}".strip()
    known = {m.place.geonameid for m in slot.matches}
    added = False
    for pi in sorted(range(len(parent.matches)), key=lambda i: -parent.scores[i])[:3]:
        place = parent.matches[pi].place
        if place.feature_class != "A" or not place.country_code:
            continue
        kind = "A" if level else None
        if place.feature_code.startswith("PCL"):
            found = gazetteer.search(query, country_code=place.country_code, limit=3,
                                     feature_class=kind)
        elif place.feature_code in ("ADM1", "ADM2") and place.admin1_code:
            found = gazetteer.search(query, within=place.admin_code, limit=3,
                                     feature_class=kind)
        else:
            continue
        for match in found:
            if match.place.geonameid not in known and match.score >= 0.6:
                known.add(match.place.geonameid)
                slot.matches.append(match)
                slot.scores.append(match.score)
                slot.reasons.append([match.how, "found inside the stated parent"])
                added = True
    return added


def _among_countries(slot: Slot, parent: Slot, previous: Slot | None) -> bool:
    """Whether a region is listed between countries: "Brazil, England, USA".

    England is no town in the United States there, though "Atlanta, Georgia, USA" does
    place Georgia: the name before it is a country in the one, a city in the other.
    """
    if previous is None or previous.mention.sentence != slot.mention.sentence:
        return False
    return _countries(previous, parent) and any(
        m.how == "name" and m.place.feature_code == "ADM1" for m in slot.matches)


def _siblings(slot: Slot, parent: Slot) -> bool:
    """Whether child and parent read as same-level units in a list.

    Two states or two countries ("Washington, Oregon and Idaho"), or two towns
    ("Washington, New York and Boston": the parent reads first as a city, and a
    city contains no other).
    """
    top = parent.best()
    if top < 0:
        return False
    code = parent.matches[top].place.feature_code
    if code in ("ADM1", "PCLI", "PCLD"):
        return any(m.how == "name" and m.place.feature_code == code for m in slot.matches)
    return parent.matches[top].place.feature_class == "P" and any(
        m.how == "name" and m.place.feature_class == "P" for m in slot.matches)
