"""Read-only queries against a built index: by id, by name, fuzzy, children, containment.

A :class:`Gazetteer` opens the SQLite file read-only and immutable, so any number of
processes can share one file (the builder replaces it atomically, never edits it).
Reads by id and by position live here; search by name, the admin tree and containment
come from their own modules.
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from .admin_tree import _AdminTree
from .containment import _Containment
from .distance import haversine_km
from .errors import GazetteerError, IndexNotFoundError, PlaceNotFoundError
from .model import Place
from .name_search import NATURAL_FEATURE_CODES as NATURAL_FEATURE_CODES
from .name_search import _NameSearch
from .prominence import _prior, prior
from .schema import CAPS, LOOSE, SCHEMA_VERSION

__all__ = ["Gazetteer", "haversine_km", "prior"]

_PLACE_CACHE_SIZE = 200_000

_PLACE_SQL = """
SELECT p.geonameid, p.name, p.asciiname, p.lat, p.lon, p.feature_class, p.feature_code,
       p.country_code, p.admin1_code, a1.name, p.admin2_code, a2.name, p.population
FROM places p
LEFT JOIN admin1 a1 ON a1.code = p.country_code || '.' || p.admin1_code
LEFT JOIN admin2 a2 ON a2.code = p.country_code || '.' || p.admin1_code || '.' || p.admin2_code
"""


_MAX_ID = 2**63  # SQLite's integers are signed 64-bit


class Gazetteer(_NameSearch, _AdminTree, _Containment):
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
        self.closed = False  # set by close(): the index can no longer be queried
        if not self.path.is_file():
            raise IndexNotFoundError(f"no gazetteer index at {self.path}; run "
                                     "'mapper gazetteer build --from DIR' or use the default")
        try:
            self.db = _read_only(self.path, check_same_thread=False)
            version = self._meta().get("schema_version")
        except sqlite3.DatabaseError as exc:
            raise GazetteerError(f"{self.path} is not a gazetteer index ({exc}); rebuild it "
                                 "with 'mapper gazetteer build'") from None
        if version != str(SCHEMA_VERSION):
            raise GazetteerError(f"{self.path} has index schema {version}, this version reads "
                                 f"{SCHEMA_VERSION}; rebuild it with 'mapper gazetteer build'")
        self._place_cache: dict[int, Place | None] = {}
        self._unit_sizes: dict[int, int] | None = None
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
        self.closed = True

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
        place = self.find(geonameid)
        if place is None:
            raise PlaceNotFoundError(f"no place with geonameid {geonameid} in {self.path.name}")
        return place

    def find(self, geonameid: int) -> Place | None:
        """Return the place with this geonameid, or None."""
        geonameid = int(geonameid)
        if not -_MAX_ID <= geonameid < _MAX_ID:  # beyond SQLite's integers: no place
            return None
        return self._place(geonameid)

    def coordinate_source(self, geonameid: int) -> str:
        """Say where a place's point came from (``geonames`` unless recorded otherwise)."""
        row = self.db.execute("SELECT source FROM coordinate_sources WHERE geonameid = ?",
                              (geonameid,)).fetchone()
        return row[0] if row else "geonames"

    def _names_of(self, geonameids: Iterable[int]) -> Iterator[tuple[int, str, str]]:
        """(geonameid, name, asciiname) of the places with these ids."""
        for chunk in _chunks(list(geonameids)):
            marks = ",".join("?" * len(chunk))
            yield from self.db.execute("SELECT geonameid, name, asciiname FROM places "
                                       f"WHERE geonameid IN ({marks})", chunk)

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

    def address_codes(self) -> frozenset[str]:
        """The folded short codes only capitals reach ("il", "on"): states in addresses.

        The text matcher leaves them out of its lexicon ("Hi", "Ok" are words) and
        proposes one only right after a place: "Springfield, IL".
        """
        return _address_codes(str(self.path))

    def unit_population(self, geonameid: int) -> int:
        """The people of an admin unit's towns, for a unit whose row gives no population.

        The embedded data's admin rows carry none; their size still tells "Kent", the
        county of a million and a half, from a village of that name. 0 when unknown.
        """
        if self._unit_sizes is None:
            self._unit_sizes = dict(self.db.execute("SELECT geonameid, population FROM unit_sizes"))
        return self._unit_sizes.get(geonameid, 0)

    def many(self, ids: Iterable[int]) -> list[Place]:
        """Places for several geonameids, skipping ids the index lacks."""
        return [p for p in map(self.find, ids) if p is not None]


def _read_only(path: str | Path, **kwargs: Any) -> sqlite3.Connection:
    """Open an index file read-only; ``immutable`` spares SQLite its locking."""
    uri = f"{Path(path).resolve().as_uri()}?mode=ro&immutable=1"
    return sqlite3.connect(uri, uri=True, **kwargs)


def _name_weights(path: str) -> dict[str, float]:
    return _lexicon(path)[0]


def _address_codes(path: str) -> frozenset[str]:
    return _lexicon(path)[1]


@lru_cache(maxsize=4)
def _lexicon(path: str) -> tuple[dict[str, float], frozenset[str]]:
    """The name weights and the capitals-only codes, from one pass over the names."""
    db = _read_only(path)
    weights: dict[str, float] = {}
    codes: set[str] = set()
    try:
        rows = db.execute(
            "SELECT n.key, p.feature_class, p.feature_code, max(p.population), "
            f"n.kind & {CAPS} FROM names n JOIN places p USING (geonameid) "
            f"WHERE (n.kind & {LOOSE}) = 0 "
            f"GROUP BY n.key, p.feature_class, p.feature_code, n.kind & {CAPS}")
        for key, fclass, fcode, population, caps in rows:
            if caps:
                codes.add(key)  # "OK": a word in any other case, so no weight
                continue
            if not key.isascii():
                continue
            weight = _prior(fclass, fcode, population)
            if weight > weights.get(key, -1.0):
                weights[key] = weight
    finally:
        db.close()
    return weights, frozenset(codes)


def _chunks(items: list[int], size: int = 500) -> Iterator[list[int]]:
    """Runs of at most ``size`` items: SQLite limits how many parameters one query takes."""
    for i in range(0, len(items), size):
        yield items[i:i + size]
