"""Streaming readers for the official GeoNames files.

One reader per file format. Each yields model rows one at a time, so a 12-million-row
``allCountries.txt`` never sits in memory. Files may be plain, ``.zip`` (the first ``.txt``
member, or the one named like the archive), ``.gz`` or ``.xz``. CRLF endings, ``#`` comment
lines and empty fields are normal. A line that cannot be parsed raises
:class:`~gazetteer.errors.MalformedLineError` naming the file and line, because a build
from a half-read file would silently miss places.
"""

from __future__ import annotations

import gzip
import lzma
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from .errors import MalformedLineError
from .model import AdminUnit, AlternateName, Country, FeatureCode, GeonameRow, HierarchyEdge

__all__ = [
    "read_admin_codes",
    "read_aliases",
    "read_alternate_names",
    "read_coordinate_sources",
    "read_countries",
    "read_feature_codes",
    "read_geonames",
    "read_hierarchy",
    "read_lines",
]

# alternateNamesV2 "languages" that are not names: links, postcodes, airport and rail codes.
SKIPPED_NAME_KINDS = frozenset({"link", "post", "iata", "icao", "faac", "tcid", "unlc", "wkdt",
                                "fr_1793", "phon", "piny"})


@contextmanager
def _open_binary(path: Path) -> Iterator[IO[bytes]]:
    name = path.name.lower()
    if name.endswith(".zip"):
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.namelist() if m.lower().endswith(".txt")]
            if not members:
                raise MalformedLineError(str(path), 0, "zip archive holds no .txt file")
            wanted = path.stem + ".txt"
            member = wanted if wanted in members else members[0]
            with archive.open(member) as handle:
                yield handle
    elif name.endswith(".gz"):
        with gzip.open(path, "rb") as handle:
            yield handle
    elif name.endswith(".xz"):
        with lzma.open(path, "rb") as handle:
            yield handle
    else:
        with open(path, "rb") as handle:
            yield handle


def read_lines(path: str | Path) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(line_number, fields)`` for every data line of a tab-separated GeoNames file.

    Comment lines (``#``) and blank lines are skipped; ``\\r`` is stripped. Bytes that are
    not UTF-8 raise :class:`MalformedLineError` with the line number.
    """
    path = Path(path)
    with _open_binary(path) as raw:
        for number, line in enumerate(raw, 1):
            if line[:1] == b"#" or not line.strip():
                continue
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise MalformedLineError(str(path), number, f"not UTF-8 ({exc.reason})") from None
            yield number, text.rstrip("\r\n").split("\t")


def _fields(path: Path, number: int, fields: list[str], at_least: int, what: str) -> None:
    if len(fields) < at_least:
        raise MalformedLineError(
            str(path), number, f"expected {at_least} tab-separated fields of {what}, "
            f"found {len(fields)}; is this the right file?")


def _int(path: Path, number: int, value: str, column: str, *, empty: int | None = 0) -> int:
    if not value:
        if empty is None:
            raise MalformedLineError(str(path), number, f"{column} is empty")
        return empty
    try:
        return int(value)
    except ValueError:
        raise MalformedLineError(str(path), number, f"{column} {value!r} is not a number") from None


def _float(path: Path, number: int, value: str, column: str, low: float, high: float) -> float:
    try:
        result = float(value)
    except ValueError:
        raise MalformedLineError(str(path), number, f"{column} {value!r} is not a number") from None
    if not low <= result <= high:
        raise MalformedLineError(str(path), number, f"{column} {result} is out of range")
    return result


def read_geonames(path: str | Path) -> Iterator[GeonameRow]:
    """Read the 19-column geoname table (allCountries, cities500, XX.txt)."""
    path = Path(path)
    for n, f in read_lines(path):
        _fields(path, n, f, 19, "the geoname table")
        yield GeonameRow(
            geonameid=_int(path, n, f[0], "geonameid", empty=None),
            name=f[1],
            asciiname=f[2],
            alternatenames=tuple(a for a in f[3].split(",") if a) if f[3] else (),
            lat=_float(path, n, f[4], "latitude", -90, 90),
            lon=_float(path, n, f[5], "longitude", -180, 180),
            feature_class=f[6],
            feature_code=f[7],
            country_code=f[8],
            cc2=f[9],
            admin1_code=f[10],
            admin2_code=f[11],
            admin3_code=f[12],
            admin4_code=f[13],
            population=_int(path, n, f[14], "population"),
            elevation=_int(path, n, f[15], "elevation", empty=None) if f[15] else None,
            dem=_int(path, n, f[16], "dem", empty=None) if f[16] else None,
            timezone=f[17],
            modified=f[18],
        )


def read_alternate_names(path: str | Path) -> Iterator[AlternateName]:
    """Read alternateNamesV2 (or the older alternateNames), skipping links and codes."""
    path = Path(path)
    for n, f in read_lines(path):
        _fields(path, n, f, 4, "alternateNames")
        if f[2] in SKIPPED_NAME_KINDS or not f[3]:
            continue
        yield AlternateName(
            geonameid=_int(path, n, f[1], "geonameid", empty=None),
            name=f[3],
            isolanguage=f[2],
            is_preferred=len(f) > 4 and f[4] == "1",
            is_short=len(f) > 5 and f[5] == "1",
            is_colloquial=len(f) > 6 and f[6] == "1",
            is_historic=len(f) > 7 and f[7] == "1",
        )


def read_admin_codes(path: str | Path) -> Iterator[AdminUnit]:
    """Read admin1CodesASCII or admin2Codes: ``code, name, asciiname, geonameid``."""
    path = Path(path)
    for n, f in read_lines(path):
        _fields(path, n, f, 4, "admin codes")
        if f[0].count(".") not in (1, 2):
            raise MalformedLineError(str(path), n, f"admin code {f[0]!r} is not like CC.A1[.A2]")
        yield AdminUnit(code=f[0], name=f[1], asciiname=f[2],
                        geonameid=_int(path, n, f[3], "geonameid", empty=0))


def read_countries(path: str | Path) -> Iterator[Country]:
    """Read countryInfo.txt (19 columns after its comment header)."""
    path = Path(path)
    for n, f in read_lines(path):
        _fields(path, n, f, 17, "countryInfo")
        yield Country(
            iso=f[0], iso3=f[1], name=f[4], capital=f[5],
            population=_int(path, n, f[7], "population"),
            continent=f[8],
            geonameid=_int(path, n, f[16], "geonameid", empty=0),
            neighbours=tuple(x for x in f[17].split(",") if x) if len(f) > 17 else (),
        )


def read_hierarchy(path: str | Path) -> Iterator[HierarchyEdge]:
    """Read hierarchy.txt: ``parentId, childId, type``."""
    path = Path(path)
    for n, f in read_lines(path):
        _fields(path, n, f, 2, "hierarchy")
        yield HierarchyEdge(parent=_int(path, n, f[0], "parentId", empty=None),
                            child=_int(path, n, f[1], "childId", empty=None),
                            kind=f[2] if len(f) > 2 else "")


def read_feature_codes(path: str | Path) -> Iterator[FeatureCode]:
    """Read featureCodes_xx.txt: ``A.ADM1, name, description`` (``null`` is skipped)."""
    path = Path(path)
    for n, f in read_lines(path):
        _fields(path, n, f, 2, "featureCodes")
        if f[0] == "null":
            continue
        cls, _, code = f[0].partition(".")
        if not code:
            raise MalformedLineError(str(path), n, f"feature code {f[0]!r} is not like P.PPL")
        yield FeatureCode(feature_class=cls, feature_code=code, name=f[1],
                          description=f[2] if len(f) > 2 else "")


def read_coordinate_sources(path: str | Path) -> Iterator[tuple[int, str]]:
    """Read ``geonameid, source`` lines: where the packaged data took each point from.

    Not an official GeoNames format; lines without a source are skipped.
    """
    return ((int(f[0]), f[1]) for _, f in read_lines(path) if len(f) > 1)


def read_aliases(path: str | Path) -> Iterator[tuple[str, str, str, str]]:
    """Read an alias file: ``alias, GeoNames name, feature code, country code`` per line.

    Not an official GeoNames format: it carries names news uses that GeoNames lacks
    ("Calif.", "UAE"), tied to a place by name rather than by id so it survives updates.
    """
    path = Path(path)
    for n, f in read_lines(path):
        _fields(path, n, f, 4, "aliases")
        yield f[0], f[1], f[2], f[3]
