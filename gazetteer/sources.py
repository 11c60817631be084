"""Which official GeoNames file is which, told by its name, so a build can take a folder.

The same names serve the full dump, a ``cities500`` download and the packaged data.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = ["BuildSources", "find_sources"]

log = logging.getLogger("gazetteer.build")  # the build's messages, whichever step logs


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
