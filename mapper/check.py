"""Check what articles claim about administrative regions: is X really in Y.

News states containment ("X district in the Y region", "X, Y", "Y's X district"). The
recogniser records such a claim as a mention's stated parent. Here each claim gets a
verdict with evidence a reader can follow: codes, then the GeoNames hierarchy, then
polygons, then district centres. When X is not in Y, or nowhere, the names inside Y that
the writer plausibly meant are suggested, ranked by spelling, transliteration and sound.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import JaroWinkler

from gazetteer import Gazetteer, Match, Place, fold, haversine_km, loose_key, split_designator
from gazetteer.normalize import skeleton

from .lexicon import hint_word
from .model import Finding, Resolution, Suggestion

__all__ = ["Checker", "check_resolutions"]

_DISTRICT_CODES = {"ADM2", "ADM3", "ADMD"}
_MIN_SUGGESTION = 0.45


class Checker:
    """Judges containment claims against one gazetteer; caches lookups across articles.

    Parameters
    ----------
    gazetteer
        The index whose codes, hierarchy and polygons decide.
    suggestions
        How many "did you mean" names to give for a wrong or unknown place.
    """

    def __init__(self, gazetteer: Gazetteer, *, suggestions: int = 3) -> None:
        self.gazetteer = gazetteer
        self.limit = suggestions
        info = gazetteer.info()
        self.data = (f"{gazetteer.path.name}: GeoNames places to {info.get('vintage')}, "
                     f"index built {str(info.get('built_at'))[:10]}")
        self._candidates = lru_cache(maxsize=50_000)(self._load_candidates)
        self._inside = lru_cache(maxsize=20_000)(self._load_inside)
        self._within = lru_cache(maxsize=50_000)(self._load_within)
        self._regions = lru_cache(maxsize=20_000)(self._load_regions)
        self._suggest = lru_cache(maxsize=20_000)(self._load_suggest)

    def _load_candidates(self, name: str, hint: str | None) -> tuple[Match, ...]:
        query = f"{name} {hint_word(hint)}".strip()
        return tuple(self.gazetteer.search(query, limit=15, fuzzy=False))

    def _region(self, parent: Resolution) -> Place | None:
        """The admin unit a stated parent names, even when resolution chose a namesake.

        Resolution may have picked the town "Oregon, Illinois" for "(Oregon)" because it
        contains the child; a claim's parent is read as the region of that name first.
        """
        place = parent.place
        name = parent.mention.name or parent.mention.text
        if (place is not None and place.feature_code.startswith("PCL")
                and parent.mention.hint in ("ADM1", "ADMX")):
            # "México state": the state, not the country of the same name
            states = [r for r in self._regions(name) if r.feature_code == "ADM1"
                      and r.country_code == place.country_code]
            if states:
                return states[0]
        if place is not None and place.feature_class == "A" and place.feature_code not in (
                "ADM3", "ADM4", "ADM5") and not (parent.mention.hint == "ADM1"
                                                 and place.feature_code == "ADM2"):
            return place
        regions = self._regions(name)
        if parent.mention.hint == "ADM1":  # "Santa Catarina state": the state
            regions = tuple(r for r in regions if r.feature_code != "ADM2") or regions
        if not regions:
            return None
        if place is not None:
            same = [r for r in regions if r.country_code == place.country_code]
            return (same or regions)[0]
        return regions[0]

    def _namesakes(self, region: Place, parent: Resolution) -> list[Place]:
        """The resolved region, then other first-level units with the same name."""
        same = [r for r in self._regions(parent.mention.name or parent.mention.text)
                if r.geonameid != region.geonameid and r.feature_code == region.feature_code]
        return [region, *same]

    def _load_regions(self, name: str) -> tuple[Place, ...]:
        found = self.gazetteer.search(name, limit=5, fuzzy=False)
        return tuple(m.place for m in found if m.score >= 0.85 and (
            m.place.feature_code in ("ADM1", "ADM2") or m.place.feature_code.startswith("PCL")))

    def _load_within(self, name: str, hint: str | None, unit: int) -> tuple[Match, ...]:
        place = self.gazetteer.get(unit)
        query = f"{name} {hint_word(hint)}".strip()
        if place.feature_code.startswith("PCL"):
            found = self.gazetteer.search(query, country_code=place.country_code, limit=5,
                                          fuzzy=False)
        elif place.admin1_code:
            found = self.gazetteer.search(query, within=place.admin_code, limit=5, fuzzy=False)
        else:
            return ()
        return tuple(m for m in found if m.place.geonameid != unit and m.score >= 0.6)

    def _load_inside(self, unit: int) -> tuple[Place, ...]:
        place = self.gazetteer.get(unit)
        if place.feature_code.startswith("PCL"):
            code = place.country_code
        elif place.feature_code in ("ADM1", "ADM2") and place.admin1_code:
            code = place.admin_code
        else:
            return ()
        return tuple(self.gazetteer.children(code))

    def check(self, resolutions: Iterable[Resolution]) -> list[Finding]:
        """Judge every stated containment among one article's resolved mentions."""
        resolutions = list(resolutions)
        by_span = {(r.mention.start, r.mention.end): r for r in resolutions}
        findings = []
        for res in resolutions:
            parent = by_span.get(res.mention.parent) if res.mention.parent else None
            if parent is None or res.mention.is_demonym or parent.mention.is_demonym:
                continue
            finding = self.claim(res, parent)
            if finding is not None:
                findings.append(finding)
        return findings

    def claim(self, child: Resolution, parent: Resolution) -> Finding | None:
        """Judge one claim: whether the mention ``child`` lies inside the mention ``parent``."""
        m, pm = child.mention, parent.mention
        place_span, parent_span = (m.start, m.end, m.text), (pm.start, pm.end, pm.text)
        region = self._region(parent)
        if region is None and parent.place is None:
            return Finding(place_span, parent_span, "unverifiable", None, None,
                           f"'{pm.text}' is not in the gazetteer, so nothing can be said "
                           f"about what lies inside it", data=self.data)
        if region is None:
            return None  # "Paris, London": a list of places, not a containment claim
        name = m.name or m.text
        for unit in self._namesakes(region, parent):
            # the stated region first, then other regions of the same name ("Córdoba
            # province": Argentina's or Colombia's), in case resolution picked the wrong one
            for match in self._within(name, m.hint, unit.geonameid):
                verdict = self.gazetteer.contains(unit, match.place)
                if verdict.inside:
                    return Finding(place_span, parent_span, "consistent",
                                   match.place.geonameid, unit.geonameid, verdict.evidence,
                                   verdict.method, data=self.data)
        candidates = [c for c in self._candidates(name, m.hint)
                      if c.place.geonameid != region.geonameid]
        if not candidates:
            best = max(self._namesakes(region, parent), key=lambda unit: max(
                (s.score for s in self.suggest(name, unit, hint=m.hint)), default=0.0))
            return self._unknown(child, best, place_span, parent_span)
        verdicts = [(c, self.gazetteer.contains(region, c.place)) for c in candidates]
        inside = [(c, v) for c, v in verdicts if v.inside]
        if inside:
            best, verdict = max(inside, key=lambda cv: _fit(cv[0], m.hint))
            return Finding(place_span, parent_span, "consistent", best.place.geonameid,
                           region.geonameid, verdict.evidence, verdict.method, data=self.data)
        if any(v.inside is None for _, v in verdicts):
            unknown = next(v for _, v in verdicts if v.inside is None)
            return Finding(place_span, parent_span, "unverifiable", None, region.geonameid,
                           f"{unknown.evidence}; no candidate for '{m.text}' is known to be "
                           f"inside {region.name}", unknown.method, data=self.data)
        actual, verdict = max(verdicts, key=lambda cv: _fit(cv[0], m.hint))
        return self._inconsistent(child, region, actual.place, verdict.evidence,
                                  verdict.method, place_span, parent_span)

    def _inconsistent(self, child: Resolution, region: Place, actual: Place, evidence: str,
                      method: str, place_span: tuple[int, int, str],
                      parent_span: tuple[int, int, str]) -> Finding:
        km = haversine_km(region.lat, region.lon, actual.lat, actual.lon)
        where = ", ".join(x for x in (actual.admin1_name, actual.country_code) if x)
        suggestions = self.suggest(child.mention.name or child.mention.text, region,
                                   hint=child.mention.hint)
        told = (f"{actual.name} ({actual.feature_code}, {where}) is not in {region.name}: "
                f"{evidence}; it lies about {km:,.0f} km from {region.name}'s centre")
        older = self._older_member(child.mention.name or child.mention.text, region)
        if older is not None:
            told += (f"; but older data (the GeoNames hierarchy, about mid-2022) lists "
                     f"{older.name} under {region.name} while current admin codes put it in "
                     f"{older.admin1_name or older.admin_code}: the boundary changed, so the "
                     "claim may have been true when it was written")
            method += "; hierarchy (older vintage)"
        if suggestions:
            told += f"; did you mean {suggestions[0].name}?"
        return Finding(place_span, parent_span, "inconsistent", actual.geonameid,
                       region.geonameid, told, method,
                       {"geonameid": actual.geonameid, "name": actual.name,
                        "admin1_name": actual.admin1_name,
                        "country_code": actual.country_code, "distance_km": round(km, 1),
                        "inside_in_older_data": older is not None},
                       tuple(suggestions), self.data)

    def _older_member(self, name: str, region: Place) -> Place | None:
        """A unit named like ``name`` that the hierarchy puts in ``region`` but codes don't.

        GeoNames' hierarchy file is older than its admin codes here, so this finds
        boundary changes such as Kazakhstan's 2022 regions.
        """
        if region.feature_code.startswith("PCL"):
            return None  # admin codes and hierarchy part ways within countries only
        key = split_designator(fold(name)).core
        for place in self._inside(region.geonameid):
            if (place.feature_class == "A" and fold(place.name).startswith(key)
                    and place.admin1_code != region.admin1_code):
                return place
        return None

    def _unknown(self, child: Resolution, region: Place, place_span: tuple[int, int, str],
                 parent_span: tuple[int, int, str]) -> Finding:
        suggestions = self.suggest(child.mention.name or child.mention.text, region,
                                   hint=child.mention.hint)
        told = f"no place called '{child.mention.text}' is in the gazetteer"
        if suggestions:
            told += f"; in {region.name} the closest names are " + ", ".join(
                s.name for s in suggestions)
        return Finding(place_span, parent_span, "unknown-place", None, region.geonameid, told,
                       "names", suggestions=tuple(suggestions), data=self.data)

    def suggest(self, name: str, region: Place, *, hint: str | None = None
                ) -> list[Suggestion]:
        """Names inside ``region`` the writer plausibly meant by ``name``, best first.

        Examples
        --------
        >>> checker.suggest("Dzhezkazgan", gaz.get(553899), hint="ADM2")[0].name
        ... # doctest: +SKIP
        'Dzerzhinskiy Rayon'
        """
        return list(self._suggest(name, region.geonameid, hint))[: self.limit]

    def _load_suggest(self, name: str, unit: int, hint: str | None) -> tuple[Suggestion, ...]:
        target = split_designator(fold(name)).core
        region = self.gazetteer.get(unit)
        if region.feature_code.startswith("PCL"):
            # a whole country: its near spellings come from the gazetteer's fuzzy index,
            # so checking "X, United States" never walks every town of the country
            places: tuple[Place, ...] = tuple(m.place for m in self.gazetteer.search(
                name, country_code=region.country_code, limit=30))
        else:
            places = self._inside(unit)
        scored: dict[int, Suggestion] = {}
        for place in places:
            if place.feature_class not in ("A", "P"):
                continue
            score = name_similarity(target, split_designator(fold(place.name)).core)
            if hint == "ADM2":
                score *= 1.0 if place.feature_code in _DISTRICT_CODES else 0.85
            elif hint is None and place.feature_class == "A":
                score *= 0.95
            if score >= _MIN_SUGGESTION and score > scored.get(
                    place.geonameid, Suggestion(0, "", "", 0.0)).score:
                scored[place.geonameid] = Suggestion(place.geonameid, place.name,
                                                     place.feature_code, score)
        ranked = sorted(scored.values(), key=lambda s: (-s.score, s.geonameid))
        return tuple(_distinct(ranked)[:10])


def _distinct(ranked: list[Suggestion]) -> list[Suggestion]:
    """Drop a second unit with the same name (old and new codes for one district)."""
    seen: set[str] = set()
    out = []
    for s in ranked:
        key = fold(s.name)
        if key not in seen:
            seen.add(key)
            out.append(s)
    return out


def name_similarity(a: str, b: str) -> float:
    """How alike two folded names are in spelling, transliteration and sound (0..1).

    Jaro-Winkler rewards a shared beginning (garbled machine translations keep it), the
    Levenshtein ratio overall spelling, and consonant skeletons the sound.

    Examples
    --------
    >>> round(name_similarity("dzhezkazgan", "dzerzhinskiy"), 2) > round(
    ...     name_similarity("dzhezkazgan", "kaluga"), 2)
    True
    """
    if not a or not b:
        return 0.0
    plain = (0.5 * JaroWinkler.similarity(a, b) + 0.25 * fuzz.ratio(a, b) / 100
             + 0.25 * fuzz.ratio(skeleton(a), skeleton(b)) / 100)
    la, lb = loose_key(a), loose_key(b)
    loose = 0.5 * JaroWinkler.similarity(la, lb) + 0.5 * fuzz.ratio(la, lb) / 100
    # garbled and machine-translated names nearly always keep their first letter
    start = 1.0 if a[0] == b[0] or la[:1] == lb[:1] else 0.8
    return max(plain, loose) * start


def _fit(match: Match, hint: str | None) -> tuple[bool, float]:
    """Prefer the candidate whose type fits the designator, then the better match."""
    code = match.place.feature_code
    fits = (hint == "ADM2" and code in _DISTRICT_CODES) or (hint == "ADM1" and code == "ADM1")
    return fits, match.score


def check_resolutions(resolutions: Iterable[Resolution], *, gazetteer: Gazetteer | None = None
                      ) -> list[Finding]:
    """Judge the containment claims among one article's resolved mentions."""
    return Checker(gazetteer or Gazetteer.default()).check(resolutions)
