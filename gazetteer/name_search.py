"""Search by name: exact and loose keys, designator hints, natural-feature words, fuzzy.

The methods live in a mixin of :class:`gazetteer.Gazetteer`, which supplies the
connection (``db``), the place reads (``_places``, ``_names_of``), the filter
(``_filter``) and the caches built in its ``__init__``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from rapidfuzz import fuzz

from .distance import haversine_km
from .fuzzy import _fuzzy_key, _words_correspond
from .model import Match, Place
from .normalize import fold, loose_key, skeleton, split_designator
from .prominence import prior
from .schema import ALTERNATE, CAPS, HISTORIC, LOOSE, NEWS, PREFERRED, SHORT_KEY, STRIPPED

NEWS_ALIAS = "news alias"

__all__ = ["NATURAL_FEATURE_CODES"]

_CANDIDATE_LIMIT = 300

# Designator hints and the feature codes that satisfy them.
_HINT_CODES = {
    "ADM1": {"ADM1", "ADM1H", "PCLD", "PCLS", "PCLF", "TERR", "RGN"},
    "ADM2": {"ADM2", "ADM2H", "ADM3", "ADMD"},
    # "department" names a first-level unit in Colombia or Bolivia, a second in France
    "ADMX": {"ADM1", "ADM1H", "ADM2", "ADM2H", "ADMD"},
}
_OTHER_KIND = 0.85  # a designator word names another kind of feature than this one
# Words after a name that say which kind of natural feature it is ("Varnoslav River", "Oka
# river", "Lake" in "Seliger Lake"), and the feature codes of that kind.
NATURAL_FEATURE_CODES = {
    "river": frozenset({"STM", "STMI"}), "creek": frozenset({"STM", "STMI"}),
    "lake": frozenset({"LK", "LKI"}), "mountains": frozenset({"MTS", "MT"}),
    "mountain": frozenset({"MT", "MTS"}), "island": frozenset({"ISL"}),
    "islands": frozenset({"ISLS"}), "bay": frozenset({"BAY"}), "sea": frozenset({"SEA"}),
}

# Compass words that name parts of a region after it ("North Darfur", "Central Sulawesi").
_COMPASS_WORDS = ("north", "south", "east", "west", "central", "northern", "southern",
                  "eastern", "western", "upper", "lower", "north east", "north west",
                  "south east", "south west", "northeast", "northwest", "southeast",
                  "southwest", "northeastern", "northwestern", "southeastern", "southwestern")


class _NameSearch:
    """The name-search half of :class:`gazetteer.Gazetteer`."""

    def _load_candidates(self, keys: tuple[str, ...], limit: int | None
                         ) -> tuple[tuple[int, str, int], ...]:
        """Name rows for the keys; with ``limit``, only the most populous places' rows.

        In the full dump a common name ("San Jose", "Springfield") has hundreds of
        places; building them all for every lookup would be slow, and the least
        populous of them never win without a filter.
        """
        marks = ",".join("?" * len(keys))
        sql = f"SELECT n.geonameid, n.key, n.kind FROM names n WHERE n.key IN ({marks})"
        if limit is not None:
            sql = (f"SELECT n.geonameid, n.key, n.kind FROM names n JOIN places p "
                   f"USING (geonameid) WHERE n.key IN ({marks}) "
                   f"ORDER BY (p.feature_class = 'A') DESC, p.population DESC LIMIT {limit}")
        return tuple(self.db.execute(sql, keys).fetchall())

    def search(self, name: str, *, country_code: str | None = None, within: str | None = None,
               feature_class: str | None = None, feature_code: str | None = None,
               limit: int = 10, fuzzy: bool = True) -> list[Match]:
        """Find places by name, best first.

        The name is folded (case, diacritics, apostrophes), transliteration variants are
        merged (-sky/-skiy/-skii), and a designator such as "region" or "district" is
        stripped and used as a hint for the feature type. Alternate names count. When no
        name matches exactly, fuzzy matching proposes near spellings with lower scores.

        Parameters
        ----------
        name
            The place name as written, e.g. ``"Dzerzhinsky district"``.
        country_code
            Keep only places in this ISO country (``"RU"``).
        within
            Keep only places inside this admin unit: a dotted code (``"RU.25"``,
            ``"RU.25.563697"``), a country code, or an admin unit's geonameid.
        feature_class, feature_code
            Keep only these GeoNames feature types (``"P"``, ``"ADM2"``).
        limit
            How many matches to return.
        fuzzy
            Whether to try near spellings when nothing matches exactly.

        Returns
        -------
        list of Match
            Each with the place, a score in 0..1 and how the name matched.
        """
        return list(self._search(name, country_code, within, feature_class, feature_code,
                                 limit, fuzzy))

    def _search_uncached(self, name: str, country_code: str | None, within: str | None,
                         feature_class: str | None, feature_code: str | None, limit: int,
                         fuzzy: bool) -> tuple[Match, ...]:
        key = fold(name)
        if not key:
            return ()
        designated = split_designator(key)
        keep = self._filter(country_code, within, feature_class, feature_code)
        filtered = any((country_code, within, feature_class, feature_code))
        # "TN state": the name, not its designator, is in capitals
        core_words = designated.core.split()
        in_core = [w for w in name.split() if fold(w) in core_words]
        capitals = bool(in_core) and all(w.isupper() for w in in_core)
        matches = self._exact(key, designated.core, designated.feature_code, keep,
                              None if filtered else _CANDIDATE_LIMIT, capitals)
        natural = _natural_split(key)
        if natural is not None:
            matches = self._natural(key, natural, matches, keep)
        if not matches:
            matches = self._shared_stem(designated.core, designated.feature_code, keep)
        if not matches and fuzzy:
            matches = self._fuzzy(designated.core, designated.feature_code, keep)
        matches.sort(key=lambda m: (-m.score, -m.prior, m.place.geonameid))
        return tuple(matches[:limit])

    def _exact(self, key: str, core: str, hint: str | None, keep: Any,
               limit: int | None = None, capitals: bool = False) -> list[Match]:
        # "WA" is no transliteration of "Va.": a short key is an abbreviation, spelt as is
        # (alone or before its designator: "WA state")
        loose = key if len(key) <= SHORT_KEY else loose_key(key)
        loose_core = core if len(core) <= SHORT_KEY else loose_key(core)
        keys = tuple(dict.fromkeys((key, loose, core, loose_core)))
        best: dict[int, tuple[float, str]] = {}
        for gid, stored, kind in self._candidates(keys, limit):
            if kind & CAPS and not capitals:
                continue  # "Ok", "I'd": words, not the codes "OK" and "ID"
            quality, how = _quality(stored, kind, key, loose, core)
            old = best.get(gid, (0.0, ""))
            if quality > old[0] or (quality == old[0] and how == NEWS_ALIAS):
                best[gid] = (quality, how)
        return self._matches(best, hint, keep)

    def _natural(self, key: str, natural: tuple[str, frozenset[str]], matches: list[Match],
                 keep: Any) -> list[Match]:
        """Matches for a name that ends in a natural-feature word ("Varnoslav River").

        The word says what kind of feature is meant, as "region" does: among exact
        matches, features of that kind come first. With none, the index may list the
        feature without the word ("Varnoslav", a stream); only features of that kind
        are looked up so, or "Hudson River" would become the town of Hudson.
        """
        core, codes = natural
        if matches:
            if any(m.place.feature_code in codes for m in matches):
                return [m if m.place.feature_code in codes else replace(
                    m, score=m.score * _OTHER_KIND) for m in matches]
            return matches
        return self._exact(key, core, None, lambda p: p.feature_code in codes and keep(p))

    def _matches(self, best: dict[int, tuple[float, str]], hint: str | None,
                 keep: Any) -> list[Match]:
        out = []
        places = self._places(best)
        for gid, (quality, how) in best.items():
            place = places.get(gid)
            if place is None or not keep(place):
                continue
            if hint is not None:
                quality *= 1.0 if place.feature_code in _HINT_CODES[hint] else _OTHER_KIND
            p = prior(place, self.unit_population(gid))
            out.append(Match(place, quality * (0.75 + 0.25 * min(p, 1.0)), place.name, how, p))
        return out

    def _shared_stem(self, core: str, hint: str | None, keep: Any) -> list[Match]:
        """A region no unit is named after, but several are: "Darfur", "Kivu", "Sulawesi".

        When two or more first- or second-level units of one country are named the region
        with a compass word ("North Darfur", "South Darfur", "West Darfur"), the unit
        nearest their common centre stands for the whole.
        """
        keys = tuple(f"{word} {core}" for word in _COMPASS_WORDS)
        groups: dict[tuple[str, str], dict[int, Place]] = {}
        rows = self._candidates(keys, None)
        for gid, place in self._places(gid for gid, _, _ in rows).items():
            if place.feature_code in ("ADM1", "ADM2") and keep(place):
                groups.setdefault((place.country_code, place.feature_code), {})[gid] = place
        best: dict[int, tuple[float, str]] = {}
        for places in groups.values():
            if len(places) < 2:
                continue
            lat = sum(p.lat for p in places.values()) / len(places)
            lon = sum(p.lon for p in places.values()) / len(places)
            centre = min(places.values(), key=lambda p: haversine_km(lat, lon, p.lat, p.lon))
            best[centre.geonameid] = (0.8, "centre of the units named after it")
        return self._matches(best, hint, keep)

    def _fuzzy(self, core: str, hint: str | None, keep: Any) -> list[Match]:
        target = loose_key(core)
        if len(target) < 3:
            return []
        return self._matches(dict(self._fuzzy_scores(target)), hint, keep)

    def _load_fuzzy_scores(self, target: str) -> tuple[tuple[int, tuple[float, str]], ...]:
        """The places with a near spelling of ``target``, with their name quality.

        Cached apart from any filter: a name is often looked up again inside a country
        or region once the article has said where.
        """
        gids = {g for (g,) in self.db.execute(
            "SELECT geonameid FROM skeletons WHERE skel = ? LIMIT 5000", (skeleton(target),))}
        prefix = target[:4]
        gids.update(g for (g,) in self.db.execute(
            "SELECT geonameid FROM names WHERE key >= ? AND key < ? LIMIT 5000",
            (prefix, prefix + "\uffff")))
        best: dict[int, tuple[float, str]] = {}
        # only the names are needed to score a candidate; the places of the few near
        # spellings are read afterwards
        for gid, name, asciiname in self._names_of(gids):
            keys = [_fuzzy_key(n) for n in {name, asciiname}]
            score = max(fuzz.ratio(target, key) for key in keys) / 100.0
            if score >= 0.7 and any(_words_correspond(target, key) for key in keys):
                best[gid] = (0.9 * score, "fuzzy")
        return tuple(best.items())


def _natural_split(key: str) -> tuple[str, frozenset[str]] | None:
    """The name before a closing natural-feature word, with the feature codes it names."""
    core, _, word = key.rpartition(" ")
    codes = NATURAL_FEATURE_CODES.get(word)
    return (core, codes) if codes is not None and core else None


def _quality(stored: str, kind: int, key: str, loose: str, core: str) -> tuple[float, str]:
    """How well a stored key reached from the query matches, and in words how."""
    quality, how = 1.0, "name"
    if stored != key:
        if stored == core and core != key:
            quality, how = 0.97, "name without designator"
        else:
            quality, how = 0.93, "transliteration variant"
    if kind & LOOSE and (stored != key or kind & ALTERNATE):
        # a key made by merging spellings; for an alternate name even when the query is
        # spelt so: "Sahara" reaches Sukkur only through the merged "Sakhkhara"
        quality = min(quality, 0.93)
        if stored == key:
            how = "transliteration variant"
    if kind & STRIPPED:
        quality *= 0.92 if stored == key else 1.0
        how += ", designator dropped from gazetteer name"
    if kind & ALTERNATE:
        quality *= 0.98
        how = how.replace("name", "alternate name", 1)
    if kind & HISTORIC:
        quality *= 0.9
        how += " (historic)"
    if kind & PREFERRED and not kind & HISTORIC:
        quality *= 1.1  # a preferred or short name ("UAE", "B.C.") is how the place is called
    if kind & NEWS and how == "alternate name":
        how = NEWS_ALIAS  # what English news means by the name ("Holland", "OK")
    return quality, how
