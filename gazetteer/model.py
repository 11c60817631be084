"""Plain values the gazetteer hands out: places, admin units, countries, feature codes.

Frozen, slotted dataclasses with no I/O, so they are hashable and safe to share between
threads and processes. Field names follow GeoNames' own words and the JSONL contract.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = [
    "AdminUnit",
    "AlternateName",
    "Containment",
    "Country",
    "FeatureCode",
    "GeonameRow",
    "HierarchyEdge",
    "Match",
    "Place",
]


@dataclass(frozen=True, slots=True)
class GeonameRow:
    """One row of the official 19-column geoname table (allCountries, cities500, XX.txt)."""

    geonameid: int
    name: str
    asciiname: str
    alternatenames: tuple[str, ...]
    lat: float
    lon: float
    feature_class: str
    feature_code: str
    country_code: str
    cc2: str
    admin1_code: str
    admin2_code: str
    admin3_code: str
    admin4_code: str
    population: int
    elevation: int | None
    dem: int | None
    timezone: str
    modified: str


@dataclass(frozen=True, slots=True)
class AlternateName:
    """A row of alternateNamesV2: another name of a place, in a language, with flags."""

    geonameid: int
    name: str
    isolanguage: str
    is_preferred: bool = False
    is_short: bool = False
    is_colloquial: bool = False
    is_historic: bool = False


@dataclass(frozen=True, slots=True)
class AdminUnit:
    """A row of admin1CodesASCII / admin2Codes: a code such as ``RU.25`` and its names."""

    code: str
    name: str
    asciiname: str
    geonameid: int


@dataclass(frozen=True, slots=True)
class Country:
    """A row of countryInfo: what the geoname table does not say about a country."""

    iso: str
    iso3: str
    name: str
    capital: str
    population: int
    continent: str
    geonameid: int
    neighbours: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FeatureCode:
    """A row of featureCodes: ``P.PPLA`` and what it means."""

    feature_class: str
    feature_code: str
    name: str
    description: str


@dataclass(frozen=True, slots=True)
class HierarchyEdge:
    """A row of hierarchy.txt: parent and child geonameids, and the kind of link."""

    parent: int
    child: int
    kind: str


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer entry as queries return it, with admin names filled in."""

    geonameid: int
    name: str
    asciiname: str
    lat: float
    lon: float
    feature_class: str
    feature_code: str
    country_code: str
    admin1_code: str | None
    admin1_name: str | None
    admin2_code: str | None
    admin2_name: str | None
    population: int

    @property
    def admin_code(self) -> str:
        """The dotted code of the deepest admin unit this place belongs to (``RU.25``)."""
        parts = [self.country_code, self.admin1_code, self.admin2_code]
        return ".".join(p for p in _until_empty(parts))

    def to_dict(self) -> dict[str, Any]:
        """Return the place as a JSON-ready dict (the JSONL contract's field names)."""
        return asdict(self)

    def __repr__(self) -> str:
        return f"Place({self.geonameid}, {self.name!r}, {self.feature_code}, {self.admin_code})"


def _until_empty(parts: list[str | None]) -> list[str]:
    out: list[str] = []
    for part in parts:
        if not part:
            break
        out.append(part)
    return out


@dataclass(frozen=True, slots=True)
class Match:
    """A search hit: the place, how well the name matched, and why."""

    place: Place
    score: float
    matched: str
    how: str
    prior: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """Return the flat dict that ``mapper gazetteer search --json`` prints."""
        out = self.place.to_dict()
        out.update(score=round(self.score, 4), matched=self.matched, how=self.how)
        return out


@dataclass(frozen=True, slots=True)
class Containment:
    """Whether a place lies inside an admin unit, and the evidence that decided it.

    ``inside`` is None when the data cannot tell (no codes, no hierarchy, no shape).
    ``method`` is one of ``codes``, ``hierarchy``, ``polygon``, ``distance`` or ``none``.
    """

    inside: bool | None
    method: str
    evidence: str
    distance_km: float | None = None
    sources: tuple[str, ...] = field(default=())
