"""Rows for admin units and countries that only the code files define; codes as names.

Official ``cities500`` builds list admin codes but no ADM1/ADM2 rows; without a row a
unit cannot be found by name. A mixin of the build's writer, which supplies ``db`` and
``report``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from . import readers
from .name_keys import _name_keys, _skeletons
from .normalize import fold
from .schema import ALTERNATE, CAPS, NAME

__all__: list[str] = []

_UnitPoint = tuple[float, float, str, str, tuple[str, ...]]


def _unit_points(paths: Iterable[Path]) -> dict[int, _UnitPoint]:
    """Points of the admin units and countries in geoname tables, by geonameid.

    Each comes with its feature code, where its point came from (a
    ``coordinate_sources.tsv`` beside the table, if any) and its other names.
    """
    out: dict[int, _UnitPoint] = {}
    for path in paths:
        beside = path.parent / "coordinate_sources.tsv"
        tags = dict(readers.read_coordinate_sources(beside)) if beside.is_file() else {}
        for row in readers.read_geonames(path):
            if row.feature_class == "A" and row.feature_code.startswith(("ADM1", "ADM2", "PCL")):
                tag = tags.get(row.geonameid, "GeoNames")
                # its packaged name too: countryInfo may call it otherwise ("The
                # Netherlands"), and "Netherlands" must still find it
                out[row.geonameid] = (row.lat, row.lon, row.feature_code,
                                      f"{tag} (from {path.name})",
                                      (row.name, *row.alternatenames))
    return out


class _UnitSynthesis:
    """The steps of a build that make the missing units and name countries by code."""

    def add_missing_units(self, unit_points: Iterable[Path] = ()) -> None:
        """Give admin units and countries that have codes but no geoname row a place row.

        Official ``cities500`` builds have admin codes but no ADM1/ADM2 rows; without a
        row, "Kaluga region" could not be found. The point is the unit's own in
        ``unit_points`` (the packaged data: Natural Earth centres), else the mean of the
        member places, which can lie far from the middle of a country (the United
        States' falls east of it); ``coordinate_sources`` says which.
        """
        db = self.db
        units = db.execute(
            "SELECT code, name, asciiname, geonameid, 'ADM1' FROM admin1 UNION ALL "
            "SELECT code, name, asciiname, geonameid, 'ADM2' FROM admin2 UNION ALL "
            "SELECT iso, name, name, geonameid, 'PCLI' FROM countries").fetchall()
        missing = [u for u in units if u[3] and db.execute(
            "SELECT 1 FROM places WHERE geonameid = ?", (u[3],)).fetchone() is None]
        means = self._member_means() if missing else {}
        lent = _unit_points(unit_points) if missing else {}
        populations = dict(db.execute("SELECT iso, population FROM countries"))
        added = 0
        for code, name, asciiname, gid, level in missing:
            member_mean = means.pop(code, None)  # pop: a code listed twice gets one row
            if gid in lent:  # "Britain", "DPRK": names GeoNames keeps elsewhere
                lat, lon, level, source, others = lent.pop(gid)
            elif member_mean is not None:
                lat, lon, n = member_mean
                source, others = f"mean of {n} member places", ()
            else:
                continue  # no point at all: a unit with no member place and none lent
            parts = [*code.split("."), None, None][:3]
            self._add_unit(gid, name, asciiname, lat, lon, level, parts, source,
                           population=populations.get(code, 0)
                           if level.startswith("PCL") else 0, others=others)
            added += 1
        self.report.counts["synthesised_units"] = added

    def add_code_names(self) -> None:
        """Let three-letter codes ("USA", "GBR") name their country, as news writes them.

        Two-letter codes are left out: "KY" would make "Ky." (Kentucky) the Cayman
        Islands. The few that news uses ("US", "UK") come from the aliases file. A code
        is reached only in capitals: "Che Adams" and "Per cent" are words, not "CHE"
        (Switzerland) and "PER" (Peru).
        """
        rows = [(fold(iso3), gid, ALTERNATE | CAPS) for iso3, gid in self.db.execute(
            "SELECT iso3, geonameid FROM countries WHERE geonameid > 0 AND iso3 != ''")]
        self.db.executemany("INSERT INTO names VALUES (?,?,?)", rows)

    def _member_means(self) -> dict[str, tuple[float, float, int]]:
        """Mean point and count of the places carrying each country/admin1/admin2 code."""
        means: dict[str, tuple[float, float, int]] = {}
        for depth in (1, 2, 3):
            cols = ["country_code", "admin1_code", "admin2_code"][:depth]
            code = " || '.' || ".join(cols)
            for key, lat, lon, n in self.db.execute(
                    f"SELECT {code}, avg(lat), avg(lon), count(*) FROM places WHERE "
                    + " AND ".join(f"{c} IS NOT NULL" for c in cols) + f" GROUP BY {code}"):
                means[key] = (lat, lon, n)
        return means

    def _add_unit(self, gid: int, name: str, asciiname: str, lat: float, lon: float,
                  code: str, parts: list, source: str, population: int = 0,
                  others: Iterable[str] = ()) -> None:
        self.db.execute("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                        (gid, name, asciiname, lat, lon, "A", code, parts[0], parts[1],
                         parts[2], None, None, population, None, None))
        keys = _name_keys([(name, NAME), (asciiname, NAME), *((o, ALTERNATE) for o in others)])
        self.db.executemany("INSERT INTO names VALUES (?,?,?)",
                            [(k, gid, kind) for k, kind in keys.items()])
        self.db.executemany("INSERT INTO skeletons VALUES (?,?)",
                            [(s, gid) for s in _skeletons(keys)])
        self.db.execute("INSERT OR REPLACE INTO coordinate_sources VALUES (?,?)", (gid, source))
