"""Resolve place mentions to GeoNames entries, using everything the document says.

Each mention's candidates come from the gazetteer (names, alternate names,
transliteration variants, fuzzy spellings when nothing matches exactly), ranked first by
name quality and a prior (feature type and population). The document then reranks them:
a stated parent ("Long Beach, California"; "X district in the Y region") keeps the
candidates inside it, the designator's feature type ("region" → ADM1), the countries the
article is about, and nearness to the other places it names. A name the gazetteer lacks
inside its stated parent ("Xton is a hamlet in Y County") reads as that parent rather than
as a namesake elsewhere. Every resolution carries
its score, the ranked alternatives and the signals that decided.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache

from gazetteer import Gazetteer, Match, Place, haversine_km

from .inner_names import inner_names
from .lexicon import NATURAL_WORDS, hint_word
from .model import (
    NAMESAKE_CUE,
    SETTLEMENT_CUE,
    Alternative,
    Article,
    Mention,
    ParsedArticle,
    Resolution,
)

__all__ = ["Resolver", "resolve_mentions"]

_CANDIDATES = 10
FOCUS_WEIGHT = 0.2
COUNTRY_BOOST = 1.3  # a country's own name rarely means a namesake village
REGION_BOOST = {"ADM1": 1.3, "ADM2": 1.4, "PCL": 1.2}  # inside a region the sentence names
ALTERNATE_PENALTY = 0.85  # "Liverpool": the places called that outrank one also known so
PROMINENCE_MARGIN = 0.3  # ... unless that one is far more prominent ("Calcutta", "Burma")
MILLION = 1_000_000
CAPITAL_OF_NAMESAKE = 0.95  # "Singapore", "Macau", "Djibouti": the country, not its capital
SETTLEMENT_PENALTY = 0.6  # an admin unit when the text says "the town of X"
NAMED_UNIT_MARGIN = 0.85  # a bare name reads as the unit named with its designator
TIE_BREAK = 1e-4  # per decade of the country's population, only to order exact ties
SIBLING_BOOST = 1.3  # a region listed with other regions of its country
INNER_NAME_DISCOUNT = 0.8  # "Dubai Marathon" is at Dubai, less surely than "Dubai" is
INNER_NAME_CITY = 100_000  # smaller towns named inside a name are often people's names
CLOSE_SPELLING = 0.8  # a near spelling this close is a variant of the whole name
# The raw confidence (name quality × margin over the rivals) through a logistic, fitted on
# GeoWebNews and checked on TR-News (error 0.15 raw → 0.05 when fitted; `mapper evaluate`
# reports the current expected calibration error).
CALIBRATION_SLOPE = 10.0
CALIBRATION_MIDPOINT = 0.5  # a country's own name rarely means a namesake village


@dataclass(slots=True)
class _Slot:
    """A mention being resolved: its candidates and their running scores and reasons."""

    mention: Mention
    matches: list[Match]
    scores: list[float]
    reasons: list[list[str]]
    name: str = ""  # the name it is a mention of: "Cavan" for "Cavan Institute"

    def best(self) -> int:
        return max(range(len(self.scores)), key=self.scores.__getitem__) if self.scores else -1


class Resolver:
    """Ranks gazetteer candidates for the mentions of one document at a time.

    Parameters
    ----------
    gazetteer
        The index to resolve against.
    """

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self._lookup = lru_cache(maxsize=200_000)(self._load)
        self._contains = lru_cache(maxsize=200_000)(self._load_contains)
        self._alone = lru_cache(maxsize=200_000)(self._load_alone)
        self._country_size = lru_cache(maxsize=1_000)(self._load_country_size)

    def _load_country_size(self, country_code: str) -> float:
        country = self.gazetteer.admin_unit(country_code) if country_code else None
        return math.log10(1 + country.population) if country and country.population else 0.0

    def _load(self, name: str, hint: str | None, fuzzy: bool = True) -> tuple[Match, ...]:
        gaz = self.gazetteer
        if name.startswith("country:"):
            place = gaz.admin_unit(name.split(":", 1)[1])
            return (Match(place, 0.97, place.name, "demonym", 1.0),) if place else ()
        if name.startswith("continent:"):
            code = name.split(":", 1)[1]
            conts = gaz.search(_CONTINENTS.get(code, code), feature_code="CONT")
            return tuple(Match(m.place, 0.95, m.matched, "demonym", m.prior) for m in conts[:1])
        if hint in NATURAL_WORDS:
            return self._natural(name, hint, fuzzy)
        query = f"{name} {hint_word(hint)}" if hint else name
        return tuple(gaz.search(query, limit=_CANDIDATES, fuzzy=fuzzy))

    def _natural(self, name: str, word: str, fuzzy: bool) -> tuple[Match, ...]:
        """Candidates for a name the text calls a river, lake, island or the like.

        The name with its word ("Oka river") finds the feature under either spelling in
        the index; where the index has no such feature (the embedded one has none), the
        name alone is what the text can still mean.
        """
        found = self.gazetteer.search(f"{name} {word}", limit=_CANDIDATES, fuzzy=False)
        return tuple(found or self.gazetteer.search(name, limit=_CANDIDATES, fuzzy=fuzzy))

    def _inner_matches(self, text: str, named: Collection[str]
                       ) -> tuple[str, list[Match]] | None:
        """The place a longer name is named after: its longest part with an exact match.

        Only a prominent reading counts (a country or continent, a region, a county
        named with its designator, a city of 100,000 by its own name), or one the
        document names on its own elsewhere: "Stoneman Douglas High" is no sign of
        Douglas. Among parts of one length a place name beats a demonym, then the most
        prominent place wins ("Robinson College Cambridge" → Cambridge). Scores are
        discounted: the name was not the place's own.
        """
        blocked: list[tuple[int, int]] = []
        for group in inner_names(text):
            found = []
            for inner in group:
                if any(a <= inner.first and inner.last <= b for a, b in blocked):
                    continue
                exact = [m for m in self._lookup(inner.lookup, None, False) if m.how != "fuzzy"]
                # another name of a country counts where it opens the longer name: "US
                # Federal Reserve", not the "America" of "Latin America"
                matches = [m for m in exact if inner.surface in named or (
                    _prominent(m.place, m.how, inner.designated)
                    and (m.how in ("name", "demonym") or inner.first == 0))]
                if matches:
                    found.append((not inner.is_demonym, max(m.prior for m in matches),
                                  inner.surface, matches))
                elif exact:
                    # "Sierra Vista Airport": a small place has the longer part, so the
                    # larger Vista inside it is not what the name is after
                    blocked.append((inner.first, inner.last))
            if found:
                *_, surface, matches = max(found, key=lambda f: f[:2])
                return surface, [replace(m, score=m.score * INNER_NAME_DISCOUNT)
                                 for m in matches]
        return None

    def _load_contains(self, parent: int, child: int) -> bool | None:
        return self.gazetteer.contains(parent, child).inside

    def candidates(self, mention: Mention) -> tuple[Match, ...]:
        """Gazetteer candidates for one mention, cached by name and designator hint."""
        return self._lookup(mention.name or mention.text, mention.hint)

    def baseline(self, mention: Mention) -> Place | None:
        """The most prominent candidate, ignoring context: the population baseline."""
        matches = self.candidates(mention)
        return max(matches, key=lambda m: m.prior).place if matches else None

    def resolve(self, mentions: Iterable[Mention]) -> list[Resolution]:
        """Resolve the mentions of one document together, in their order."""
        mentions = list(mentions)
        if len(mentions) == 1 and mentions[0].parent is None:
            # a lone name (geocoding a column of place strings): no context to weigh,
            # so the answer depends only on the name and its designator
            m = mentions[0]
            alone = self._alone(m.name or m.text, m.hint, m.is_demonym,
                                "designator pattern" in m.cues or "ner" in m.cues)
            return [replace(alone, mention=m)]
        return self._resolve_together(mentions)

    def _load_alone(self, name: str, hint: str | None, is_demonym: bool,
                    is_unknown_pattern: bool) -> Resolution:
        cues = ("designator pattern",) if is_unknown_pattern else ()
        return self._resolve_together([Mention(0, len(name), name, hint=hint, name=name,
                                               is_demonym=is_demonym, cues=cues)])[0]

    def _resolve_together(self, mentions: list[Mention]) -> list[Resolution]:
        named = {m.text for m in mentions}
        slots = [self._slot(m, named) for m in mentions]
        by_span = {(s.mention.start, s.mention.end): s for s in slots}
        self._apply_parents(slots, by_span)
        self._apply_sentence_regions(slots, by_span)
        self._apply_focus(slots)
        self._apply_coherence(slots)
        self._one_sense_per_name(slots)
        return [self._resolution(s) for s in slots]

    def _slot(self, mention: Mention, named: Collection[str] = ()) -> _Slot:
        if "designator pattern" in mention.cues or "ner" in mention.cues:
            # a name the gazetteer lacks: a near spelling elsewhere is no answer; only a
            # near spelling inside its stated parent (added later) may be
            matches = list(self._lookup(mention.name or mention.text, mention.hint, False))
        else:
            matches = list(self.candidates(mention))
        inner = None
        if all(m.how == "fuzzy" and m.score < CLOSE_SPELLING for m in matches):
            # "University of Alberta", "Bank of Mexico": no place has the whole name, a
            # near spelling of it is seldom right, and the place it is named after is
            inner = self._inner_matches(mention.text, named)
            if inner:
                matches = inner[1]
        exact_prior = max((m.prior for m in matches if m.how == "name"), default=None)
        scores = [m.score * (COUNTRY_BOOST if m.place.feature_code.startswith("PCL")
                             and m.how in ("name", "demonym") else 1.0)
                  * (ALTERNATE_PENALTY if exact_prior is not None
                     and m.how.startswith("alternate")
                     and not _far_more_prominent(m, exact_prior) else 1.0)
                  for m in matches]
        for i, m in enumerate(matches):
            if m.place.feature_class == "A" and not m.place.population:
                # admin units without a population tie on name and type ("Florida": the
                # U.S. state, the Uruguayan department, the Puerto Rican municipality);
                # the one in the larger country is the likelier subject, not the one
                # with the lowest id
                scores[i] *= 1.0 + TIE_BREAK * self._country_size(m.place.country_code)
        # "the town of Tula": not the governorate named like it (when some town or city
        # has that very name: "the city of Turkey" keeps the country over a namesake
        # found by an alternate name)
        settlement = SETTLEMENT_CUE in mention.cues and any(
            m.place.feature_class == "P" and m.how == "name" for m in matches)
        if settlement:
            for i, m in enumerate(matches):
                if m.place.feature_class == "A":
                    scores[i] *= SETTLEMENT_PENALTY
        reasons = [[m.how] + ([_SETTLEMENT_STATED] if settlement
                              and m.place.feature_class == "P" else [])
                   + ([f"named after {inner[0]!r}"] if inner else [])
                   for m in matches]
        countries = {(m.place.country_code, m.matched.lower()) for m in matches
                     if m.place.feature_code.startswith("PCL") and m.how != "fuzzy"}
        for i, m in enumerate(matches):
            if (m.place.feature_code == "PPLC" and m.how == "name"
                    and (m.place.country_code, m.matched.lower()) in countries):
                scores[i] *= CAPITAL_OF_NAMESAKE
        return _Slot(mention, matches, scores, reasons, inner[0] if inner else mention.text)

    def _apply_parents(self, slots: list[_Slot], by_span: dict[tuple[int, int], _Slot]) -> None:
        # last first: in "X is a city in Y County, Kentucky" the state settles which Y
        # County before Y County settles which X
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
            if "in list" in slot.mention.cues and _siblings(slot, parent):
                continue  # "Washington, Oregon and Idaho": a list of states
            pairs = self._pairs(slot, parent)
            if not pairs and self._add_inside(slot, parent):
                pairs = self._pairs(slot, parent)
            if pairs and slot.mention.hint in _OTHER_LEVEL and all(
                    slot.matches[c].place.feature_class != "A" for c, _ in pairs) and (
                    self._add_inside(slot, parent, _OTHER_LEVEL[slot.mention.hint])):
                # "the province of X, Philippines": a province is a second-level unit
                # there; a village called X is no reading of it
                pairs = self._pairs(slot, parent)
            if not pairs:
                self._fall_back_to_parent(slot, parent)
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
                                            f"{_EVERY_READING}")
                continue
            for ci in {c for c, _ in pairs}:
                slot.scores[ci] *= 1.5
                slot.reasons[ci].append(f"inside stated parent {parent.mention.text}")

    def _fall_back_to_parent(self, slot: _Slot, parent: _Slot) -> None:
        """Read a name the gazetteer lacks inside its stated parent as that parent.

        "Xton is a village in Y County, Z": when no Xton lies in Y County, a namesake
        elsewhere is no reading of it; the county is where the text puts it. Only an
        admin unit below the country level stands in (a country says too little), and
        not for a name the text puts in a list of its siblings or names after a namesake.
        """
        top = parent.best()
        if top < 0 or slot.mention.is_demonym or slot.mention.hint or {
                NAMESAKE_CUE, "in list"} & set(slot.mention.cues):
            return  # "X County, Y County": a list; "the X district of Y": a unit
        place = parent.matches[top].place
        if place.feature_code not in _FALLBACK_LEVELS or parent.matches[top].how in _LOOSE:
            return  # "Sumatra", "Darfur": no unit of that very name to stand in
        if any(m.place.geonameid == place.geonameid for m in slot.matches):
            return  # "Y County" named twice over: a reading of the name itself
        exact = [m.place for m in slot.matches if m.how not in _LOOSE]
        if exact and (len(exact) < FALLBACK_MIN_NAMESAKES
                      or max(p.population for p in exact) >= FALLBACK_MAX_POPULATION):
            # "Pune, Karnataka", "Dzhezkazgan in the Kaluga region": a city the gazetteer
            # knows well, or the one place of its name, is that place and the text is
            # wrong about its region; only a common name ("Sharon") may be another
            # namesake the gazetteer lacks
            return
        firm = [i for i, m in enumerate(slot.matches) if m.how not in _LOOSE]
        if firm:
            own = slot.matches[max(firm, key=slot.scores.__getitem__)].place.feature_code
            own = "ADM1" if own.startswith("PCL") else own
            if own in _FALLBACK_LEVELS and (_FALLBACK_LEVELS.index(own)
                                            <= _FALLBACK_LEVELS.index(place.feature_code)):
                return  # "Florida, in Seminole County": a unit no smaller than its "parent"
        name = slot.mention.name or slot.mention.text
        slot.matches.append(Match(place, FALLBACK_SCORE, name, "stated parent", 0.0))
        slot.scores.append(max(slot.scores, default=0.0) * FALLBACK_MARGIN or FALLBACK_SCORE)
        slot.reasons.append([f"inside stated parent {parent.mention.text}"
                             f"{_NOT_IN_GAZETTEER}"])

    def _pairs(self, slot: _Slot, parent: _Slot) -> list[tuple[int, int]]:
        """(child candidate, parent candidate) index pairs where the parent contains it."""
        ranked = sorted(range(len(parent.matches)), key=lambda i: -parent.scores[i])[:4]
        return [(ci, pi) for ci, c in enumerate(slot.matches[:12])
                for pi in ranked for p in (parent.matches[pi],)
                if p.place.feature_class == "A" and c.place.geonameid != p.place.geonameid
                and self._contains(p.place.geonameid, c.place.geonameid)]

    def _add_inside(self, slot: _Slot, parent: _Slot, level: str | None = None) -> bool:
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
                found = self.gazetteer.search(query, country_code=place.country_code, limit=3,
                                              feature_class=kind)
            elif place.feature_code in ("ADM1", "ADM2") and place.admin1_code:
                found = self.gazetteer.search(query, within=place.admin_code, limit=3,
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

    def _apply_sentence_regions(self, slots: list[_Slot],
                                by_span: dict[tuple[int, int], _Slot]) -> None:
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
        groups: dict[int, list[_Slot]] = {}
        for slot in slots:
            if slot.mention.sentence >= 0 and slot.matches and not slot.mention.is_demonym:
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
                    chain = self._parent_chain(slot, by_span)
                    named_like_country = best.feature_code == "PPLC" or any(
                        m.place.feature_code.startswith("PCL") for m in slot.matches)
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
                            regions.append((place, other, i))
                    finer = {p.country_code for p, _, _ in regions
                             if not p.feature_code.startswith("PCL")}
                    # "a town in Kent County, Delaware, United States": the
                    # country says no more than its region does
                    self._boost_inside(slot, [r for r in regions if r[0].country_code not in finer
                                              or not r[0].feature_code.startswith("PCL")])

    @staticmethod
    def _parent_chain(slot: _Slot, by_span: dict[tuple[int, int], _Slot]) -> set[int] | None:
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

    def _boost_inside(self, slot: _Slot, regions: list[tuple[Place, _Slot, int]]) -> None:
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
                for match in self.gazetteer.search(query, within=within, limit=3, fuzzy=False):
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

    def _apply_focus(self, slots: list[_Slot]) -> None:
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
            weight = 2.0 if place.feature_code.startswith("PCL") else 1.0
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
            total = sum(others.values())
            for i, match in enumerate(slot.matches):
                place = match.place
                share = others.get(place.country_code, 0.0) / total if total else 0.0
                if share:
                    slot.scores[i] *= 1.0 + FOCUS_WEIGHT * share
                    if share > 0.3:
                        slot.reasons[i].append(f"document focus {place.country_code}")
                if regions.get(f"{place.country_code}.{place.admin1_code}", 0) >= 2:
                    slot.scores[i] *= 1.1

    def _apply_coherence(self, slots: list[_Slot]) -> None:
        """Prefer candidates near the other places the document names."""
        points = list({s.matches[s.best()].place.geonameid: (s.name,
                                                            s.matches[s.best()].place)
                       for s in slots if s.matches}.values())
        for slot in slots:
            if len(slot.matches) < 2:
                continue
            others = [p for text, p in points if text != slot.name
                      and not p.feature_code.startswith(("PCL", "CONT", "ADM1"))]
            regions = [(text, p) for text, p in points if text != slot.name
                       and p.feature_code == "ADM1"]
            if not others and len(regions) < 2:
                continue
            top = slot.matches[slot.best()]  # a capital city named like its region keeps it
            for i, match in enumerate(slot.matches[:5]):
                place = match.place
                if place.feature_code == "ADM1" and sum(
                        p.feature_code == "ADM1" and p.country_code == place.country_code
                        and p.geonameid != place.geonameid for _, p in regions) >= 2 and not (
                        top.place.feature_class == "P" and top.prior >= match.prior
                        and top.place.country_code == place.country_code):
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

    def _one_sense_per_name(self, slots: list[_Slot]) -> None:
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
            stated = any(_is_stated(r) for r in slot.reasons[i]) and (
                NAMESAKE_CUE not in slot.mention.cues)
            if slot.mention.parent is not None and not stated:
                continue
            # among stated readings the first wins: an article introduces its place
            # before it compares it with namesakes ("… named after Toledo, Ohio")
            # a reading the text typed ("the town of Tula") outranks untyped ones
            settled = not stated and _SETTLEMENT_STATED in slot.reasons[i]
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
                big_city = own.feature_class == "P" and own.population >= MILLION
                for hinted in () if big_city else ("ADM1", "ADM2"):
                    other = best.get((slot.name, hinted))
                    if other is None:
                        continue
                    for i, match in enumerate(slot.matches):
                        if (match.place.geonameid == other[2]
                                and slot.scores[i] >= NAMED_UNIT_MARGIN * top):
                            key, named_unit = (slot.name, hinted), True
            if key not in best or (slot.matches and any(
                    _is_stated(r) for r in slot.reasons[slot.best()])):
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

    def _resolution(self, slot: _Slot) -> Resolution:
        if not slot.matches:
            return Resolution(slot.mention, None, 0.0, (), ("no candidate in the gazetteer",))
        order = sorted(range(len(slot.matches)), key=lambda i: -slot.scores[i])
        top = order[0]
        total = sum(slot.scores[i] for i in order[:5]) or 1.0
        place: Place = slot.matches[top].place
        share = slot.scores[top] / total
        raw = min(1.0, slot.matches[top].score) * (0.5 + 0.5 * share)
        confidence = 1.0 / (1.0 + math.exp(-CALIBRATION_SLOPE * (raw - CALIBRATION_MIDPOINT)))
        alternatives = tuple(
            Alternative(m.place.geonameid, m.place.name, m.place.feature_code,
                        m.place.country_code, round(slot.scores[i] / total, 4))
            for i in order[1:6] for m in (slot.matches[i],))
        return Resolution(slot.mention, place, confidence, alternatives,
                          tuple(slot.reasons[top]))


def _prominent(place: Place, how: str, designated: bool) -> bool:
    """Whether a place is known well enough to be what a longer name is named after."""
    code = place.feature_code
    if how not in ("name", "demonym") and not code.startswith("PCL"):
        return False  # "Penn", "Miss": another name of some place, not the one meant
    if code == "ADM2":
        return designated  # "Walker County Sheriff's Office", not "Elliott" in a person's name
    return code.startswith(("PCL", "ADM1", "CONT")) or place.population >= INNER_NAME_CITY


def _far_more_prominent(match: Match, exact_prior: float) -> bool:
    """Whether an alternate-name match far outranks every place of that exact name.

    A city of millions also outranks the region named like it ("New York").
    """
    return (match.prior >= exact_prior + PROMINENCE_MARGIN
            or (match.place.feature_class == "P" and match.place.population >= MILLION))


def _top_readings(slot: _Slot) -> list[int]:
    """Indexes of a slot's best readings, at most three, all within 3% of the best.

    "Maryland": the state or the Liberian county, tied; either may be the region meant.
    """
    order = sorted(range(len(slot.matches)), key=lambda k: -slot.scores[k])[:3]
    top = slot.scores[order[0]] if order else 0.0
    return [i for i in order if slot.scores[i] >= 0.97 * top]


def _siblings(slot: _Slot, parent: _Slot) -> bool:
    """Whether child and parent read as same-level units (two states, two countries)."""
    level = ("ADM1", "PCLI", "PCLD")
    top = parent.best()
    return (top >= 0 and parent.matches[top].place.feature_code in level
            and any(m.how == "name" and m.place.feature_code == parent.matches[top]
                    .place.feature_code for m in slot.matches))


_EVERY_READING = " (as every reading is)"
_NOT_IN_GAZETTEER = ", which stands in for a place the gazetteer lacks"
_FALLBACK_LEVELS = ("ADM1", "ADM2", "ADM3", "ADM4")
_LOOSE = ("fuzzy", "centre of the units named after it")  # no match of the name itself
FALLBACK_SCORE = 0.7  # how sure a stand-in parent is, as a name-match score
FALLBACK_MARGIN = 2.0  # over every namesake outside the stated parent
FALLBACK_MIN_NAMESAKES = 2  # a name with fewer exact readings is the one it has
FALLBACK_MAX_POPULATION = 100_000  # a reading this large is the place meant
SENTENCE_GROUP_LIMIT = 40  # more places than this in one "sentence" is a list or a table
_OTHER_LEVEL = {"ADM1": "ADM2", "ADM2": "ADM1"}  # a "province" is either, by country
_SETTLEMENT_STATED = "a town or city, as the text says"


def _is_stated(reason: str) -> bool:
    """Whether a reason says the text itself placed the name (a parent, a region)."""
    return (reason.startswith("inside stated parent")
            and not reason.endswith(_EVERY_READING)) or (
        reason.startswith("inside ") and reason.endswith("named in the sentence"))


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


_CONTINENTS = {"AF": "Africa", "AS": "Asia", "EU": "Europe", "NA": "North America",
               "SA": "South America", "OC": "Oceania", "AN": "Antarctica"}


def resolve_mentions(items: Iterable[tuple[Article, list[Mention]]], *,
                     gazetteer: Gazetteer | None = None) -> Iterator[ParsedArticle]:
    """Resolve each article's mentions together; yield the parsed articles."""
    resolver = Resolver(gazetteer or Gazetteer.default())
    for article, mentions in items:
        yield ParsedArticle(article, tuple(resolver.resolve(mentions)))
