"""One build's SQLite connection and the steps that load each kind of official file.

:func:`gazetteer.build_index` drives a writer on a temporary file and moves the file
into place only once :meth:`_Writer.finish` has run.
"""

from __future__ import annotations

import json
import logging
import lzma
import re
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path

from . import readers
from .errors import GazetteerError
from .model import GeonameRow
from .name_keys import _name_keys, _skeletons
from .schema import (
    ALTERNATE,
    CAPS,
    HISTORIC,
    INDEXES,
    NAME,
    NEWS,
    PREFERRED,
    SCHEMA_VERSION,
    TABLES,
    UNIT_SIZES,
)
from .sources import BuildSources
from .unit_synthesis import _UnitSynthesis

__all__ = ["BuildReport", "Progress"]

_CODE = re.compile(r"[A-Z]{2,3}")  # a code in capitals: "OK", "NSW"

log = logging.getLogger("gazetteer.build")  # the build's messages, whichever step logs

Progress = Callable[[str, int, int | None], None]
"""``progress(stage, done, total_or_None)``: called as the build goes."""

_BATCH = 50_000


@dataclass(slots=True)
class BuildReport:
    """What a build read and wrote: counts per table, sources, and how long it took."""

    path: Path
    seconds: float
    counts: dict[str, int] = field(default_factory=dict)
    sources: list[dict[str, object]] = field(default_factory=list)


def _source_info(kind: str, path: Path, rows: int) -> dict[str, object]:
    stat = path.stat()
    modified = datetime.fromtimestamp(stat.st_mtime, UTC).date().isoformat()
    return {"file": str(path), "kind": kind, "rows": rows, "bytes": stat.st_size,
            "modified": modified}


class _Writer(_UnitSynthesis):
    """One build: a connection to the temporary file and the steps that fill it."""

    def __init__(self, path: Path, progress: Progress) -> None:
        self.db = sqlite3.connect(path)
        self.progress = progress
        self.report = BuildReport(path=path, seconds=0.0)
        self.vintage = ""
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-262144",
                       "temp_store=FILE", "locking_mode=EXCLUSIVE"):
            self.db.execute(f"PRAGMA {pragma}")
        self.db.executescript(TABLES)

    def __enter__(self) -> _Writer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.db.close()

    def run(self, sources: BuildSources) -> BuildReport:
        has_alternates = bool(sources.alternate_names)
        steps: dict[str, Callable[[Path], int]] = {
            "geonames": lambda p: self.load_geonames(p, column_names=not has_alternates),
            "alternate_names": self.load_alternate_names,
            "admin1": lambda p: self.load_admin(p, "admin1"),
            "admin2": lambda p: self.load_admin(p, "admin2"),
            "countries": self.load_countries,
            "hierarchy": self.load_hierarchy,
            "feature_codes": self.load_feature_codes,
            "shapes": self.load_shapes,
            "coordinate_sources": self.load_coordinate_sources,
            "aliases": self.load_aliases,
        }
        files = list(sources.files())
        # aliases name their place by name and code, so they are read once the admin units
        # and countries that only the code files define have been given their rows
        for kind, path in [f for f in files if f[0] != "aliases"]:
            self._read(steps[kind], kind, path)
        self.add_missing_units(sources.unit_points)
        for kind, path in [f for f in files if f[0] == "aliases"]:
            self._read(steps[kind], kind, path)
        self.add_code_names()
        return self.report

    def _read(self, step: Callable[[Path], int], kind: str, path: Path) -> None:
        log.info("reading %s (%s)", path, kind)
        rows = step(path)
        self.report.sources.append(_source_info(kind, path, rows))

    def _batches(self, rows: Iterable[tuple], sql: str, stage: str) -> int:
        done = 0
        iterator = iter(rows)
        while batch := list(islice(iterator, _BATCH)):
            self.db.executemany(sql, batch)
            done += len(batch)
            self.progress(stage, done, None)
        return done

    def load_geonames(self, path: Path, *, column_names: bool) -> int:
        stage = f"places {path.name}"
        count = 0
        places: list[tuple] = []
        names: list[tuple] = []
        skels: list[tuple] = []
        for row in readers.read_geonames(path):
            places.append(_place_tuple(row))
            own = [(row.name, NAME), (row.asciiname, NAME)]
            if column_names:
                own += [(a, ALTERNATE) for a in row.alternatenames]
            keys = _name_keys(own)
            names.extend((k, row.geonameid, kind) for k, kind in keys.items())
            skels.extend((s, row.geonameid) for s in _skeletons(keys))
            if row.modified > self.vintage:
                self.vintage = row.modified
            count += 1
            if len(places) >= _BATCH:
                self._flush(places, names, skels)
                self.progress(stage, count, None)
        self._flush(places, names, skels)
        self.progress(stage, count, count)
        return count

    def _flush(self, places: list[tuple], names: list[tuple], skels: list[tuple]) -> None:
        self.db.executemany("INSERT OR REPLACE INTO places VALUES "
                            "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", places)
        self.db.executemany("INSERT INTO names VALUES (?,?,?)", names)
        self.db.executemany("INSERT INTO skeletons VALUES (?,?)", skels)
        places.clear()
        names.clear()
        skels.clear()

    def load_alternate_names(self, path: Path) -> int:
        read = 0

        def rows() -> Iterator[tuple]:
            nonlocal read
            for alt in readers.read_alternate_names(path):
                read += 1
                flags = ALTERNATE | (HISTORIC if alt.is_historic else 0)
                flags |= PREFERRED if (alt.is_preferred or alt.is_short) else 0
                for key, kind in _name_keys([(alt.name, flags)]).items():
                    yield key, alt.geonameid, kind
        self._batches(rows(), "INSERT INTO names VALUES (?,?,?)", f"names {path.name}")
        return read

    def load_admin(self, path: Path, table: str) -> int:
        rows = ((u.code, u.name, u.asciiname, u.geonameid) for u in readers.read_admin_codes(path))
        return self._batches(rows, f"INSERT OR REPLACE INTO {table} VALUES (?,?,?,?)", table)

    def load_countries(self, path: Path) -> int:
        rows = ((c.iso, c.iso3, c.name, c.capital, c.population, c.continent, c.geonameid,
                 ",".join(c.neighbours)) for c in readers.read_countries(path))
        return self._batches(rows, "INSERT OR REPLACE INTO countries VALUES (?,?,?,?,?,?,?,?)",
                             "countries")

    def load_hierarchy(self, path: Path) -> int:
        rows = ((e.parent, e.child, e.kind) for e in readers.read_hierarchy(path))
        return self._batches(rows, "INSERT INTO hierarchy VALUES (?,?,?)", "hierarchy")

    def load_feature_codes(self, path: Path) -> int:
        rows = ((f.feature_class, f.feature_code, f.name, f.description)
                for f in readers.read_feature_codes(path))
        return self._batches(rows, "INSERT OR REPLACE INTO feature_codes VALUES (?,?,?,?)",
                             "feature codes")

    def load_shapes(self, path: Path) -> int:
        from shapely.geometry import shape  # heavy; only builds with shapes need it

        opener = lzma.open if path.suffix == ".xz" else open
        with opener(path, "rt", encoding="utf-8") as handle:
            collection = json.load(handle)
        rows = []
        for number, feature in enumerate(collection.get("features", []), 1):
            props = feature.get("properties") or {}
            kind = "admin1" if props.get("admin1_code") else "country"
            code = props.get("admin1_code") or props.get("country_code")
            if not code:
                raise GazetteerError(f"{path}: feature {number} has neither admin1_code nor "
                                     "country_code")
            geom = shape(feature["geometry"])
            rows.append((kind, code, props.get("name"), *geom.bounds, geom.wkb))
        return self._batches(rows, "INSERT OR REPLACE INTO shapes VALUES (?,?,?,?,?,?,?,?)",
                             "shapes")

    def load_coordinate_sources(self, path: Path) -> int:
        return self._batches(readers.read_coordinate_sources(path),
                             "INSERT OR REPLACE INTO coordinate_sources VALUES (?,?)",
                             "coordinate sources")

    def load_aliases(self, path: Path) -> int:
        """Add names news uses that GeoNames lacks; each names its place by name and codes."""
        added = 0
        for alias, name, code, country in readers.read_aliases(path):
            ids = self.db.execute("SELECT geonameid FROM places WHERE name = ? AND "
                                  "feature_code = ? AND country_code = ?",
                                  (name, code, country)).fetchall()
            if not ids and code.startswith("PCL"):
                # a country is one per code, whatever countryInfo calls it ("The Netherlands")
                ids = self.db.execute("SELECT geonameid FROM countries JOIN places USING "
                                      "(geonameid) WHERE iso = ?", (country,)).fetchall()
            if len(ids) != 1:
                log.info("%s: alias %r matches %d places; skipped", path, alias, len(ids))
                continue
            # "Alta." and "Mass." fold to the names of towns ("Alta", "Mass"): only an
            # alias spelt without a full stop is what the name itself means in news
            news = NEWS if "." not in alias else 0
            # "OK", "ME", "ID": a postal code is a word in any other case ("Ok", "I'd")
            news |= CAPS if _CODE.fullmatch(alias) else 0
            keys = _name_keys([(alias, ALTERNATE | PREFERRED | news)])
            self.db.executemany("INSERT INTO names VALUES (?,?,?)",
                                [(k, ids[0][0], kind) for k, kind in keys.items()])
            added += 1
        return added

    def finish(self, report: BuildReport, started: float) -> None:
        self.progress("indexes", 0, 1)
        self.db.executescript(INDEXES)
        self.db.executescript(UNIT_SIZES)
        self.db.execute("ANALYZE")
        self.progress("indexes", 1, 1)
        report.seconds = time.perf_counter() - started
        for table in ("places", "names", "admin1", "admin2", "countries", "hierarchy",
                      "feature_codes", "shapes", "unit_sizes"):
            report.counts[table] = self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        meta = {
            "schema_version": str(SCHEMA_VERSION),
            "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "build_seconds": f"{report.seconds:.1f}",
            "vintage": self.vintage,
            "counts": json.dumps(report.counts),
        }
        self.db.executemany("INSERT INTO meta VALUES (?,?)", meta.items())
        self.db.executemany("INSERT INTO sources VALUES (:file,:kind,:rows,:bytes,:modified)",
                            report.sources)
        self.db.commit()


def _place_tuple(row: GeonameRow) -> tuple:
    return (row.geonameid, row.name, row.asciiname, row.lat, row.lon, row.feature_class,
            row.feature_code, row.country_code, row.admin1_code or None,
            row.admin2_code or None, row.admin3_code or None, row.admin4_code or None,
            row.population, row.timezone, row.modified)
