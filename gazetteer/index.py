"""Read-only queries against a built index: by id, by name, fuzzy, children, containment.

A :class:`Gazetteer` opens the SQLite file read-only and immutable, so any number of
processes can share one file (the builder replaces it atomically, never edits it).
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from .errors import GazetteerError, IndexNotFoundError, PlaceNotFoundError
from .model import Containment, Match, Place
from .normalize import fold, loose_key, skeleton, split_designator
from .schema import ALTERNATE, HISTORIC, LOOSE, PREFERRED, SCHEMA_VERSION, STRIPPED

__all__ = ["Gazetteer", "haversine_km", "prior"]

EARTH_RADIUS_KM = 6371.0088

_CANDIDATE_LIMIT = 300
_PLACE_CACHE_SIZE = 200_000

_PLACE_SQL = """
SELECT p.geonameid, p.name, p.asciiname, p.lat, p.lon, p.feature_class, p.feature_code,
       p.country_code, p.admin1_code, a1.name, p.admin2_code, a2.name, p.population
FROM places p
LEFT JOIN admin1 a1 ON a1.code = p.country_code || '.' || p.admin1_code
LEFT JOIN admin2 a2 ON a2.code = p.country_code || '.' || p.admin1_code || '.' || p.admin2_code
"""

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
_FEATURE_PRIOR = {
    "PCLI": 1.1, "PCL": 1.1, "PCLD": 0.9, "PCLS": 0.9, "PCLF": 0.9, "PCLIX": 0.85, "TERR": 0.8,
    "CONT": 0.95, "PPLC": 0.9, "ADM1": 0.7, "ADM2": 0.4, "ADM3": 0.3, "RGN": 0.5,
}


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km; good to 0.5%, which is all ranking needs.

    Examples
    --------
    >>> round(haversine_km(48.8534, 2.3488, 51.5085, -0.1257))
    344
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dlat, dlon = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dlat / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def prior(place: Place) -> float:
    """How likely a bare mention of this name means this place, before any context.

    Roughly 0..1; countries reach about 1.2 so that a country outranks a city that
    shares its name ("Mexico").
    """
    return _prior(place.feature_class, place.feature_code, place.population)


def _prior(feature_class: str, feature_code: str, population: int | None) -> float:
    base = _FEATURE_PRIOR.get(feature_code)
    size = min(1.0, math.log10((population or 0) + 1) / 7.0)
    if base is not None:
        return base + 0.1 * size
    if feature_class == "P":
        return 0.25 + 0.6 * size
    return 0.15 + 0.5 * size


def _words_correspond(query: str, name: str) -> bool:
    """Whether a near spelling of a many-word query is a near spelling of the same thing.

    "Middle East" is not "Middle Rasen", nor is "Baltic Sea" the town of Baltic: a shared
    word carries the similarity while the other word names something else. A name
    followed by a word that isn't a kind of feature still counts ("Liverpool FC").
    """
    words = query.split()
    if len(words) < 2:
        return True
    others = name.split()
    extra = [w for w in words if not any(fuzz.ratio(w, o) >= 70 for o in others)]
    if not extra:
        return True
    return (all(any(fuzz.ratio(o, w) >= 70 for w in words) for o in others)
            and not any(w in _FEATURE_WORDS for w in extra))


# Compass words that name parts of a region after it ("North Darfur", "Central Sulawesi").
_COMPASS_WORDS = ("north", "south", "east", "west", "central", "northern", "southern",
                  "eastern", "western", "upper", "lower", "north east", "north west",
                  "south east", "south west", "northeast", "northwest", "southeast",
                  "southwest", "northeastern", "northwestern", "southeastern", "southwestern")

# Words that make a name a different kind of feature from the place it starts with.
_FEATURE_WORDS = frozenset("""
sea ocean river lake gulf bay strait channel canal desert valley peninsula island islands
mountain mountains range delta coast plateau basin street avenue road boulevard lane square
park theatre theater centre center hall hospital stadium airport church chapel cathedral
school university college farm inn hotel bridge station market
""".split())


class Gazetteer:
    """A read-only GeoNames index.

    Parameters
    ----------
    path
        The index file, as written by :func:`gazetteer.build_index`.

    Examples
    --------
    >>> from gazetteer import Gazetteer
    >>> gaz = Gazetteer.default()                      # doctest: +SKIP
    >>> gaz.search("Kaluga region")[0].place.geonameid  # doctest: +SKIP
    553899
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise IndexNotFoundError(f"no gazetteer index at {self.path}; run "
                                     "'mapper gazetteer build --from DIR' or use the default")
        uri = f"{self.path.resolve().as_uri()}?mode=ro&immutable=1"
        try:
            self.db = sqlite3.connect(uri, uri=True, check_same_thread=False)
            version = self._meta().get("schema_version")
        except sqlite3.DatabaseError as exc:
            raise GazetteerError(f"{self.path} is not a gazetteer index ({exc}); rebuild it "
                                 "with 'mapper gazetteer build'") from None
        if version != str(SCHEMA_VERSION):
            raise GazetteerError(f"{self.path} has index schema {version}, this version reads "
                                 f"{SCHEMA_VERSION}; rebuild it with 'mapper gazetteer build'")
        self._place_cache: dict[int, Place | None] = {}
        self._candidates = lru_cache(maxsize=100_000)(self._load_candidates)
        self._search = lru_cache(maxsize=100_000)(self._search_uncached)
        self._fuzzy_scores = lru_cache(maxsize=10_000)(self._load_fuzzy_scores)
        self._shape = lru_cache(maxsize=4096)(self._load_shape)

    @classmethod
    def default(cls) -> Gazetteer:
        """Open the embedded default index, building it in the user cache on first use."""
        from .default import default_index_path

        return cls(default_index_path())

    def __reduce__(self) -> tuple[Any, ...]:
        # Workers (multiprocessing, Dask) reopen the same file rather than copy a connection.
        return (type(self), (str(self.path),))

    def __repr__(self) -> str:
        return f"Gazetteer({str(self.path)!r})"

    def close(self) -> None:
        """Close the database connection."""
        self.db.close()

    def __enter__(self) -> Gazetteer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- what is loaded ---------------------------------------------------------------

    def _meta(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT key, value FROM meta"))

    def info(self) -> dict[str, Any]:
        """Describe the index: file, build time, data vintage, counts and source files."""
        meta = self._meta()
        sources = [dict(zip(("file", "kind", "rows", "bytes", "modified"), row, strict=True))
                   for row in self.db.execute("SELECT * FROM sources")]
        return {
            "path": str(self.path),
            "bytes": self.path.stat().st_size if self.path.exists() else None,
            "schema_version": int(meta["schema_version"]),
            "built_at": meta.get("built_at"),
            "build_seconds": float(meta.get("build_seconds", 0)),
            "vintage": meta.get("vintage"),
            "counts": json.loads(meta.get("counts", "{}")),
            "sources": sources,
        }

    # -- by id ------------------------------------------------------------------------

    def _place(self, geonameid: int) -> Place | None:
        try:
            return self._place_cache[geonameid]
        except KeyError:
            return self._places((geonameid,)).get(geonameid)

    def _places(self, geonameids: Iterable[int]) -> dict[int, Place]:
        """The places for several geonameids, those not yet cached read in a few queries.

        Ids the index lacks are left out.
        """
        cache = self._place_cache
        wanted = list(dict.fromkeys(geonameids))
        missing = [g for g in wanted if g not in cache]
        if missing and len(cache) + len(missing) > _PLACE_CACHE_SIZE:
            cache.clear()  # a long run over many names: start afresh rather than grow
            missing = wanted
        for chunk in _chunks(missing):
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(_PLACE_SQL + f" WHERE p.geonameid IN ({marks})", chunk)
            found = {row[0]: Place(*row) for row in rows}
            for gid in chunk:
                cache[gid] = found.get(gid)
        places = {}
        for gid in wanted:
            place = cache.get(gid)
            if place is not None:
                places[gid] = place
        return places

    def get(self, geonameid: int) -> Place:
        """Return the place with this geonameid, or raise :class:`PlaceNotFoundError`."""
        place = self._place(int(geonameid))
        if place is None:
            raise PlaceNotFoundError(f"no place with geonameid {geonameid} in {self.path.name}")
        return place

    def find(self, geonameid: int) -> Place | None:
        """Return the place with this geonameid, or None."""
        return self._place(int(geonameid))

    def coordinate_source(self, geonameid: int) -> str:
        """Say where a place's point came from (``geonames`` unless recorded otherwise)."""
        row = self.db.execute("SELECT source FROM coordinate_sources WHERE geonameid = ?",
                              (geonameid,)).fetchone()
        return row[0] if row else "geonames"

    # -- by name ----------------------------------------------------------------------

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
        matches = self._exact(key, designated.core, designated.feature_code, keep,
                              None if filtered else _CANDIDATE_LIMIT)
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
               limit: int | None = None) -> list[Match]:
        loose, loose_core = loose_key(key), loose_key(core)
        keys = tuple(dict.fromkeys((key, loose, core, loose_core)))
        best: dict[int, tuple[float, str]] = {}
        for gid, stored, kind in self._candidates(keys, limit):
            quality, how = _quality(stored, kind, key, loose, core)
            if quality > best.get(gid, (0.0, ""))[0]:
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
            p = prior(place)
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

    def _names_of(self, geonameids: Iterable[int]) -> Iterator[tuple[int, str, str]]:
        """(geonameid, name, asciiname) of the places with these ids."""
        for chunk in _chunks(list(geonameids)):
            marks = ",".join("?" * len(chunk))
            yield from self.db.execute("SELECT geonameid, name, asciiname FROM places "
                                       f"WHERE geonameid IN ({marks})", chunk)

    def _filter(self, country_code: str | None, within: str | None, feature_class: str | None,
                feature_code: str | None) -> Any:
        prefix = None
        if within is not None:
            prefix = self.admin_code_of(within)
        cc = country_code.upper() if country_code else None
        fclass = feature_class.upper() if feature_class else None
        fcode = feature_code.upper() if feature_code else None

        def keep(place: Place) -> bool:
            if cc and place.country_code != cc:
                return False
            if fclass and place.feature_class != fclass:
                return False
            if fcode and place.feature_code != fcode:
                return False
            if prefix:
                code = place.admin_code
                return code == prefix or code.startswith(prefix + ".")
            return True

        return keep

    def admin_code_of(self, unit: str | int) -> str:
        """Turn an admin unit given as code or geonameid into its dotted code (``RU.25``)."""
        text = str(unit).strip()
        if text.isdigit():
            place = self.get(int(text))
            return place.admin_code
        parts = text.split(".")
        return ".".join([parts[0].upper(), *parts[1:]])

    # -- the admin tree ---------------------------------------------------------------

    def admin_unit(self, code: str) -> Place | None:
        """The place row of an admin unit or country given its dotted code (``RU.25``)."""
        parts = code.split(".")
        if len(parts) == 1:
            row = self.db.execute("SELECT geonameid FROM countries WHERE iso = ?",
                                  (parts[0].upper(),)).fetchone()
        else:
            table = "admin1" if len(parts) == 2 else "admin2"
            row = self.db.execute(f"SELECT geonameid FROM {table} WHERE code = ?",
                                  (code,)).fetchone()
        return self.find(row[0]) if row and row[0] else None

    def children(self, unit: str | int, *, feature_class: str | None = None,
                 feature_code: str | None = None, limit: int | None = None) -> list[Place]:
        """Places inside an admin unit by their codes and the hierarchy, most populous first.

        ``unit`` is a dotted code (``"RU.25"``) or the unit's geonameid.
        """
        code = self.admin_code_of(unit)
        parts = code.split(".")
        where = ["country_code = ?", "admin1_code = ?", "admin2_code = ?"][: len(parts)]
        sql = "SELECT geonameid FROM places WHERE " + " AND ".join(where)
        gids = [g for (g,) in self.db.execute(sql, parts)]
        unit_place = self.admin_unit(code)
        if unit_place is not None:
            gids += [g for (g,) in self.db.execute(
                "SELECT child FROM hierarchy WHERE parent = ?", (unit_place.geonameid,))]
        places = self._places(gids)
        if unit_place is not None:
            places.pop(unit_place.geonameid, None)
        keep = self._filter(None, None, feature_class, feature_code)
        ordered = sorted((p for p in places.values() if keep(p)),
                         key=lambda p: (-p.population, p.geonameid))
        return ordered[:limit] if limit else ordered

    def parents(self, geonameid: int) -> list[Place]:
        """The chain of admin units above a place, nearest first (hierarchy, then codes)."""
        seen: list[int] = []
        current = int(geonameid)
        for _ in range(12):
            row = self.db.execute("SELECT parent FROM hierarchy WHERE child = ? AND "
                                  "(kind = 'ADM' OR kind = '') LIMIT 1", (current,)).fetchone()
            if not row or row[0] in seen:
                break
            seen.append(row[0])
            current = row[0]
        chain = [p for p in map(self.find, seen) if p is not None]
        if chain:
            return chain
        place = self.get(geonameid)
        codes = [place.country_code, place.admin1_code, place.admin2_code]
        units = [".".join(codes[:n]) for n in (3, 2, 1) if all(codes[:n])]
        return [u for u in map(self.admin_unit, units)
                if u is not None and u.geonameid != place.geonameid]

    def shape(self, kind: str, code: str) -> Any:
        """The polygon of an admin-1 unit (``kind="admin1"``) or country, or None."""
        return self._shape(kind, code)

    def _load_shape(self, kind: str, code: str) -> Any:
        row = self.db.execute("SELECT wkb FROM shapes WHERE kind = ? AND code = ?",
                              (kind, code)).fetchone()
        if not row:
            return None
        import shapely  # heavy; only containment by polygon needs it

        geom = shapely.from_wkb(row[0])
        shapely.prepare(geom)
        return geom

    def contains(self, parent: Place | int, child: Place | int) -> Containment:
        """Decide whether ``child`` lies inside the admin unit or country ``parent``.

        Codes decide first, then the GeoNames hierarchy, then admin-1 and country
        polygons, then (for districts, which have no polygons here) which district centre
        of the region is nearest. The result says which evidence decided.
        """
        parent = parent if isinstance(parent, Place) else self.get(parent)
        child = child if isinstance(child, Place) else self.get(child)
        for step in (_by_codes, self._by_hierarchy, self._by_polygon, self._by_distance):
            verdict = step(parent, child)
            if verdict is not None:
                return verdict
        return Containment(None, "none", f"no codes, hierarchy or shape relate {child.name} "
                           f"to {parent.name}")

    def _by_hierarchy(self, parent: Place, child: Place) -> Containment | None:
        chain = self.parents(child.geonameid)
        ids = [p.geonameid for p in chain]
        if parent.geonameid in ids:
            path = " → ".join(p.name for p in chain[: ids.index(parent.geonameid) + 1])
            return Containment(True, "hierarchy", f"GeoNames hierarchy: {child.name} → {path}")
        same_level = [p for p in chain if p.feature_code == parent.feature_code]
        if same_level and parent.feature_code.startswith("ADM"):
            return Containment(False, "hierarchy", f"GeoNames hierarchy puts {child.name} in "
                               f"{same_level[0].name}, not {parent.name}")
        return None

    def _by_polygon(self, parent: Place, child: Place) -> Containment | None:
        if parent.feature_code.startswith("PCL"):
            kind, code = "country", parent.country_code
        elif parent.feature_code == "ADM1" and parent.admin1_code:
            kind, code = "admin1", f"{parent.country_code}.{parent.admin1_code}"
        else:
            return None
        geom = self.shape(kind, code)
        if geom is None:
            return None
        import shapely

        point = shapely.Point(child.lon, child.lat)
        inside = bool(geom.covers(point))
        km = 0.0 if inside else _degrees_to_km(geom.distance(point), child.lat)
        word = "inside" if inside else f"outside (about {km:,.0f} km from the border of)"
        return Containment(inside, "polygon", f"the point of {child.name} lies {word} the "
                           f"{parent.name} polygon (Natural Earth)", None if inside else km)

    def _by_distance(self, parent: Place, child: Place) -> Containment | None:
        """Districts have no polygons here: compare the child with the district centres.

        Only centres that are real points count (not a region's point reused for a
        district that had no better source). The nearest centre being the parent's says
        inside; a centre far away from the child while others are near says outside; in
        between the data cannot tell.
        """
        if parent.feature_code not in ("ADM2", "ADM3") or not parent.admin1_code:
            return None
        if "fallback" in self.coordinate_source(parent.geonameid):
            return None
        siblings = [p for p in self.children(f"{parent.country_code}.{parent.admin1_code}",
                                             feature_code=parent.feature_code)
                    if "fallback" not in self.coordinate_source(p.geonameid)]
        if len(siblings) < 2:
            return None
        km = haversine_km(parent.lat, parent.lon, child.lat, child.lon)
        nearest = min(siblings, key=lambda p: haversine_km(p.lat, p.lon, child.lat, child.lon))
        nearest_km = haversine_km(nearest.lat, nearest.lon, child.lat, child.lon)
        evidence = (f"of {len(siblings)} district centres in the region the nearest to "
                    f"{child.name} is {nearest.name} ({nearest_km:,.0f} km); {parent.name}'s "
                    f"is {km:,.0f} km away")
        if nearest.geonameid == parent.geonameid:
            return Containment(True, "distance", evidence, km)
        if km > 2.5 * nearest_km + 30:
            return Containment(False, "distance", evidence, km)
        return Containment(None, "distance", evidence + "; too close to call", km)

    # -- by position ------------------------------------------------------------------

    def nearest(self, lat: float, lon: float, *, limit: int = 10,
                feature_class: str | None = None, max_km: float = 500.0
                ) -> list[tuple[Place, float]]:
        """Places nearest to a point, with their distance in km, nearest first."""
        keep = self._filter(None, None, feature_class, None)
        radius = 10.0
        found: list[tuple[Place, float]] = []
        while radius <= max_km * 2:
            dlat = radius / 111.0
            dlon = radius / max(1e-6, 111.0 * math.cos(math.radians(min(abs(lat), 89.0))))
            rows = self.db.execute(
                "SELECT geonameid FROM places WHERE lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?",
                (lat - dlat, lat + dlat, lon - dlon, lon + dlon)).fetchall()
            places = [p for p in (self.find(g) for (g,) in rows) if p is not None and keep(p)]
            found = sorted(((p, haversine_km(lat, lon, p.lat, p.lon)) for p in places),
                           key=lambda pair: pair[1])
            found = [pair for pair in found if pair[1] <= min(radius, max_km)]
            if len(found) >= limit or radius >= max_km:
                break
            radius *= 2
        return found[:limit]

    def name_weights(self) -> dict[str, float]:
        """Every folded Latin-script name with the prior of its most likely place.

        A text matcher uses this as its lexicon: which word sequences can name a place,
        and how prominent the most prominent such place is. Computed once per index file.
        """
        return _name_weights(str(self.path))

    def many(self, ids: Iterable[int]) -> list[Place]:
        """Places for several geonameids, skipping ids the index lacks."""
        return [p for p in map(self.find, ids) if p is not None]


@lru_cache(maxsize=4)
def _name_weights(path: str) -> dict[str, float]:
    uri = f"{Path(path).resolve().as_uri()}?mode=ro&immutable=1"
    db = sqlite3.connect(uri, uri=True)
    weights: dict[str, float] = {}
    try:
        rows = db.execute(
            "SELECT n.key, p.feature_class, p.feature_code, max(p.population) FROM names n "
            f"JOIN places p USING (geonameid) WHERE (n.kind & {LOOSE}) = 0 "
            "GROUP BY n.key, p.feature_class, p.feature_code")
        for key, fclass, fcode, population in rows:
            if not key.isascii():
                continue
            weight = _prior(fclass, fcode, population)
            if weight > weights.get(key, -1.0):
                weights[key] = weight
    finally:
        db.close()
    return weights


def _chunks(items: list[int], size: int = 500) -> Iterator[list[int]]:
    """Runs of at most ``size`` items: SQLite limits how many parameters one query takes."""
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _natural_split(key: str) -> tuple[str, frozenset[str]] | None:
    """The name before a closing natural-feature word, with the feature codes it names."""
    core, _, word = key.rpartition(" ")
    codes = NATURAL_FEATURE_CODES.get(word)
    return (core, codes) if codes is not None and core else None


@lru_cache(maxsize=200_000)
def _fuzzy_key(name: str) -> str:
    """The key a place's name is compared under in fuzzy search."""
    return loose_key(split_designator(fold(name)).core)


def _quality(stored: str, kind: int, key: str, loose: str, core: str) -> tuple[float, str]:
    """How well a stored key reached from the query matches, and in words how."""
    quality, how = 1.0, "name"
    if stored != key:
        if stored == core and core != key:
            quality, how = 0.97, "name without designator"
        else:
            quality, how = 0.93, "transliteration variant"
    if kind & LOOSE and stored != key:
        quality = min(quality, 0.93)
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
    return quality, how


def _by_codes(parent: Place, child: Place) -> Containment | None:
    code = parent.feature_code
    if code == "CONT":
        return None
    if code.startswith("PCL") or code == "TERR":
        inside = child.country_code == parent.country_code
        return Containment(inside, "codes", f"{child.name} has country code "
                           f"{child.country_code or 'none'}; {parent.name} is "
                           f"{parent.country_code}")
    if child.country_code and child.country_code != parent.country_code:
        return Containment(False, "codes", f"{child.name} is in country {child.country_code}, "
                           f"{parent.name} in {parent.country_code}")
    level = {"ADM1": 1, "ADM2": 2}.get(code)
    if level is None or not child.admin1_code or child.geonameid == parent.geonameid:
        return None
    if child.admin1_code != parent.admin1_code:
        return Containment(False, "codes", f"{child.name} has admin1 code "
                           f"{child.country_code}.{child.admin1_code} "
                           f"({child.admin1_name or '?'}); {parent.name} is "
                           f"{parent.country_code}.{parent.admin1_code}")
    if level == 1:
        return Containment(True, "codes", f"{child.name} has admin1 code "
                           f"{child.country_code}.{child.admin1_code}, the code of {parent.name}")
    if not child.admin2_code:
        return None
    inside = child.admin2_code == parent.admin2_code
    return Containment(inside, "codes", f"{child.name} has admin2 code {child.admin_code}; "
                       f"{parent.name} is {parent.admin_code}")


def _degrees_to_km(degrees: float, lat: float) -> float:
    return degrees * 111.0 * max(0.3, math.cos(math.radians(lat)))
