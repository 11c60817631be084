"""Turn official GeoNames files into one SQLite index, atomically.

The index is written to a temporary file beside the destination and moved into place
only when it is complete, so an interrupted or failed build leaves the previous index
untouched. The same code builds the small embedded default and the full 12-million-row
dump; only the files differ.
"""

from __future__ import annotations

import json
import logging
import lzma
import os
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
from .normalize import fold, loose_key, skeleton, split_designator
from .schema import (
    ALTERNATE,
    HISTORIC,
    INDEXES,
    LOOSE,
    NAME,
    PREFERRED,
    SCHEMA_VERSION,
    STRIPPED,
    TABLES,
)

__all__ = ["BuildReport", "BuildSources", "Progress", "build_index", "find_sources"]

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int | None], None]
"""``progress(stage, done, total_or_None)``: called as the build goes."""

_BATCH = 50_000
_RANKED = LOOSE | STRIPPED | ALTERNATE | HISTORIC  # the bits that make a match worse


@dataclass(frozen=True, slots=True)
class BuildSources:
    """The files a build reads, grouped by official format."""

    geonames: tuple[Path, ...] = ()
    alternate_names: tuple[Path, ...] = ()
    admin1: tuple[Path, ...] = ()
    admin2: tuple[Path, ...] = ()
    countries: tuple[Path, ...] = ()
    hierarchy: tuple[Path, ...] = ()
    feature_codes: tuple[Path, ...] = ()
    shapes: tuple[Path, ...] = ()
    coordinate_sources: tuple[Path, ...] = ()
    aliases: tuple[Path, ...] = ()
    # geoname tables whose admin units and countries only lend their points (and their
    # coordinate sources) to units the code files define and no other table has a row for
    unit_points: tuple[Path, ...] = ()

    def files(self) -> Iterator[tuple[str, Path]]:
        """Yield ``(kind, path)`` for every file, in build order."""
        for kind in self.__slots__:
            if kind == "unit_points":
                continue  # read by the step that makes the missing units
            for path in getattr(self, kind):
                yield kind, path


_PATTERNS = [
    ("alternate_names", re.compile(r"^alternatenames(v2)?(\.|_)", re.I)),
    ("admin1", re.compile(r"^admin1codes(ascii)?\.", re.I)),
    ("admin2", re.compile(r"^admin2codes\.", re.I)),
    ("countries", re.compile(r"^countryinfo\.", re.I)),
    ("hierarchy", re.compile(r"^hierarchy\.", re.I)),
    ("feature_codes", re.compile(r"^featurecodes(_\w+)?\.", re.I)),
    ("shapes", re.compile(r"_shapes\.geojson(\.xz)?$", re.I)),
    ("coordinate_sources", re.compile(r"^coordinate_sources\.tsv$", re.I)),
    ("aliases", re.compile(r"^aliases\.tsv$", re.I)),
    ("geonames", re.compile(r"^((?i:allcountries|cities\d+|no-country|geonames)|[A-Z]{2})"
                            r"\.(txt|zip)(\.gz|\.xz)?$")),
]


def find_sources(paths: Iterable[str | Path]) -> BuildSources:
    """Sort files (or the files of directories) into the official formats by their names.

    Unknown files are ignored with a log message. When several ``cities*`` tables and an
    ``allCountries`` table are given, only ``allCountries`` is used (it holds them all).

    Examples
    --------
    >>> find_sources(["allCountries.zip", "admin1CodesASCII.txt"]).admin1
    (PosixPath('admin1CodesASCII.txt'),)
    """
    found: dict[str, list[Path]] = {kind: [] for kind in BuildSources.__slots__}
    for item in paths:
        path = Path(item)
        files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
        for file in files:
            kind = next((k for k, rx in _PATTERNS if rx.search(file.name)), None)
            if kind is None:
                log.info("ignoring %s: not a GeoNames file this builder reads", file)
                continue
            found[kind].append(file)
    tables = found["geonames"]
    if any(p.name.lower().startswith("allcountries") for p in tables):
        found["geonames"] = [p for p in tables if p.name.lower().startswith("allcountries")]
    elif any(p.name.lower().startswith("cities") for p in tables):
        # cities500 ⊃ cities1000 ⊃ …: keep the most complete one
        cities = sorted((p for p in tables if p.name.lower().startswith("cities")),
                        key=lambda p: int(re.sub(r"\D", "", p.name.split(".")[0]) or 0))
        found["geonames"] = [p for p in tables if not p.name.lower().startswith("cities")]
        found["geonames"].insert(0, cities[0])
    return BuildSources(**{k: tuple(v) for k, v in found.items()})


@dataclass(slots=True)
class BuildReport:
    """What a build read and wrote: counts per table, sources, and how long it took."""

    path: Path
    seconds: float
    counts: dict[str, int] = field(default_factory=dict)
    sources: list[dict[str, object]] = field(default_factory=list)


def build_index(sources: BuildSources | Iterable[str | Path], dest: str | Path, *,
                progress: Progress | None = None) -> BuildReport:
    """Build a gazetteer index at ``dest`` from official-format GeoNames files.

    Parameters
    ----------
    sources
        A :class:`BuildSources`, or files and directories for :func:`find_sources`.
    dest
        Where the index goes. It is replaced only when the new one is complete.
    progress
        Called as ``progress(stage, done, total)`` while the build runs.

    Returns
    -------
    BuildReport
        Counts, sources and build time, also stored in the index's ``meta`` table.
    """
    if not isinstance(sources, BuildSources):
        sources = find_sources(sources)
    if not sources.geonames:
        raise GazetteerError("no geoname table among the sources (allCountries, cities500, "
                             "XX.txt); nothing to build from")
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.building")
    started = time.perf_counter()
    try:
        tmp.unlink(missing_ok=True)
        with _Writer(tmp, progress or _quiet) as writer:
            report = writer.run(sources)
            writer.finish(report, started)
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)
        for suffix in ("-journal", "-wal", "-shm"):
            Path(f"{tmp}{suffix}").unlink(missing_ok=True)
    report.path = dest
    return report


def _quiet(stage: str, done: int, total: int | None) -> None:
    pass


def _source_info(kind: str, path: Path, rows: int) -> dict[str, object]:
    stat = path.stat()
    modified = datetime.fromtimestamp(stat.st_mtime, UTC).date().isoformat()
    return {"file": str(path), "kind": kind, "rows": rows, "bytes": stat.st_size,
            "modified": modified}


_UnitPoint = tuple[float, float, str, str, tuple[str, ...]]


def _unit_points(paths: Iterable[Path]) -> dict[int, _UnitPoint]:
    """Points of the admin units and countries in geoname tables, by geonameid.

    Each comes with its feature code, where its point came from (a
    ``coordinate_sources.tsv`` beside the table, if any) and its other names.
    """
    out: dict[int, _UnitPoint] = {}
    for path in paths:
        tags: dict[int, str] = {}
        beside = path.parent / "coordinate_sources.tsv"
        if beside.is_file():
            tags = {int(f[0]): f[1] for _, f in readers.read_lines(beside) if len(f) > 1}
        for row in readers.read_geonames(path):
            if row.feature_class == "A" and row.feature_code.startswith(("ADM1", "ADM2", "PCL")):
                tag = tags.get(row.geonameid, "GeoNames")
                out[row.geonameid] = (row.lat, row.lon, row.feature_code,
                                      f"{tag} (from {path.name})", row.alternatenames)
    return out


class _Writer:
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
        rows = ((int(f[0]), f[1]) for _, f in readers.read_lines(path) if len(f) > 1)
        return self._batches(rows, "INSERT OR REPLACE INTO coordinate_sources VALUES (?,?)",
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
            keys = _name_keys([(alias, ALTERNATE | PREFERRED)])
            self.db.executemany("INSERT INTO names VALUES (?,?,?)",
                                [(k, ids[0][0], kind) for k, kind in keys.items()])
            added += 1
        return added

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
            if code not in means:
                continue
            lat, lon, n = means.pop(code)  # pop: a code listed twice gets one row
            source, others = f"mean of {n} member places", ()
            if gid in lent:  # "Britain", "DPRK": names GeoNames keeps elsewhere
                lat, lon, level, source, others = lent.pop(gid)
            parts = [*code.split("."), None, None][:3]
            self._add_unit(gid, name, asciiname, lat, lon, level, parts, source,
                           population=populations.get(code, 0)
                           if level.startswith("PCL") else 0, others=others)
            added += 1
        self.report.counts["synthesised_units"] = added

    def add_code_names(self) -> None:
        """Let three-letter codes ("USA", "GBR") name their country, as news writes them.

        Two-letter codes are left out: "KY" would make "Ky." (Kentucky) the Cayman
        Islands. The few that news uses ("US", "UK") come from the aliases file.
        """
        rows = [(fold(iso3), gid, ALTERNATE) for iso3, gid in self.db.execute(
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

    def finish(self, report: BuildReport, started: float) -> None:
        self.progress("indexes", 0, 1)
        self.db.executescript(INDEXES)
        self.db.execute("ANALYZE")
        self.progress("indexes", 1, 1)
        report.seconds = time.perf_counter() - started
        for table in ("places", "names", "admin1", "admin2", "countries", "hierarchy",
                      "feature_codes", "shapes"):
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


def _name_keys(names: Iterable[tuple[str, int]]) -> dict[str, int]:
    """Every lookup key for a place's names, each with the best way it was reached."""
    out: dict[str, int] = {}

    def add(key: str, kind: int) -> None:
        if not key:
            return
        old = out.get(key)
        if old is None or (kind & _RANKED) < (old & _RANKED):
            out[key] = kind
        elif (kind & _RANKED) == (old & _RANKED):
            out[key] = old | kind

    seen: set[str] = set()
    for raw, kind in names:
        if raw in seen:
            continue
        seen.add(raw)
        key = fold(raw)
        add(key, kind)
        add(loose_key(key), kind | LOOSE)
        designated = split_designator(key)
        if designated.designator:
            add(designated.core, kind | STRIPPED)
            add(loose_key(designated.core), kind | STRIPPED | LOOSE)
            # "Leningradskaya Oblast'" is "the Leningrad region" in English news
            stem = _ADJECTIVE.sub("", designated.core)
            if stem != designated.core and len(stem) > 3:
                add(stem, kind | STRIPPED | LOOSE)
    return out


_ADJECTIVE = re.compile(r"(?:sk|ck|tsk)(?:aya|aia|aja|iy|ii|ij|yy|y|oye|oe|oy|o)$")


def _skeletons(keys: dict[str, int]) -> set[str]:
    """Consonant skeletons of a place's own (not alternate) Latin names, for fuzzy search."""
    return {skeleton(loose_key(k)) for k, kind in keys.items()
            if kind & NAME and not kind & (LOOSE | ALTERNATE) and len(k) > 3 and k.isascii()}
