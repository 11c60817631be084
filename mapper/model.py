"""Plain values that flow through the mapper: articles, mentions, resolutions, problems.

The JSONL contract lives here and only here: ``to_dict``/``from_dict`` of these values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gazetteer import Place

__all__ = ["Alternative", "Article", "CheckedArticle", "Finding", "Incident", "Mention",
           "ParsedArticle", "Problem", "Resolution", "Source", "Suggestion"]

VERDICTS = ("consistent", "inconsistent", "unknown-place", "unverifiable")

# Fields of a resolved place that the JSONL contract puts on each mention.
PLACE_FIELDS = ("geonameid", "name", "lat", "lon", "feature_class", "feature_code",
                "country_code", "admin1_code", "admin1_name", "admin2_code", "admin2_name")


# Cues the recogniser gives a mention that the resolver reads.
SETTLEMENT_CUE = "settlement word before"  # "the town of X"
NAMESAKE_CUE = "sentence names a namesake"  # "named after X, Ohio"
DATELINE_CUE = "dateline"  # "MOSCOW, April 5 (Reuters) -": the city the story was filed from


@dataclass(frozen=True, slots=True)
class Problem:
    """A rejected input record: where it was and why, for ``path:line: message`` on stderr.

    A ``warning`` rejected nothing: the input was read, but the user should know how
    (a legacy encoding, an empty file, a file passed over in a folder).
    """

    path: str
    line: int | None
    message: str
    warning: bool = False

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {'warning: ' if self.warning else ''}{self.message}"


@dataclass(frozen=True, slots=True)
class Article:
    """A news article: its text and what is known about where it came from."""

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    language: str | None = None
    extra: tuple[tuple[str, Any], ...] = ()
    # where it was read (file, and line or row), for messages about it; not part of it
    source: str | None = field(default=None, compare=False)
    line: int | None = field(default=None, compare=False)

    def __repr__(self) -> str:
        return f"Article({self.id!r}, {len(self.text)} chars)"

    def problem(self, message: str) -> Problem:
        """A problem with this record, located where it was read when that is known."""
        if self.source is None:
            return Problem(f"record {self.id}", None, message)
        return Problem(self.source, self.line, message)

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, default_id: str) -> Article:
        """Make an article from a JSONL/CSV record (only ``text`` is required)."""
        known = {"id", "text", "title", "url", "outlet", "published", "language"}
        ident = data.get("id")
        return cls(
            id=str(ident) if ident not in (None, "") else default_id,
            text=data["text"],
            **{k: (str(data[k]) if data.get(k) not in (None, "") else None)
               for k in ("title", "url", "outlet", "published", "language")},
            extra=tuple((k, v) for k, v in data.items() if k not in known),
        )

    def get(self, key: str, default: Any = None) -> Any:
        """Read an extra field of the input record (gold ``toponyms``, say)."""
        return dict(self.extra).get(key, default)


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of article text that names a place. ``end`` is exclusive.

    ``designator`` is the feature word that came with it ("district", "region") and its
    hint (``ADM1``/``ADM2``); ``parent`` the span of a stated containing place ("X in the Y
    region", "X, Y"); ``cues`` the signals that found it; ``sentence`` the index of the
    sentence it is in (-1 when unknown), so that regions named in the same sentence ("X is
    a city on the Y River in Z County, in the state of W") can count as stated context.
    """

    start: int
    end: int
    text: str
    designator: str | None = None
    hint: str | None = None
    parent: tuple[int, int] | None = None
    is_demonym: bool = False
    cues: tuple[str, ...] = ()
    name: str | None = None  # the name to look up when it differs from the text
    sentence: int = -1

    def __repr__(self) -> str:
        return f"Mention({self.start}:{self.end} {self.text!r})"


@dataclass(frozen=True, slots=True)
class Alternative:
    """A candidate the resolver considered, with its score."""

    geonameid: int
    name: str
    feature_code: str
    country_code: str
    score: float


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A place inside the stated region that the writer plausibly meant, with a score."""

    geonameid: int
    name: str
    feature_code: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        """The suggestion as ``mapper check`` writes it."""
        return {"geonameid": self.geonameid, "name": self.name,
                "feature_code": self.feature_code, "score": round(self.score, 4)}


@dataclass(frozen=True, slots=True)
class Finding:
    """A containment claim in the text ("X in the Y region") and its verdict.

    ``verdict`` is one of ``consistent``, ``inconsistent`` (X exists, but not in Y),
    ``unknown-place`` (no X anywhere) or ``unverifiable`` (the data cannot tell).
    ``actual`` says where X really is when it is elsewhere; ``evidence`` says in words
    which data decided, and ``data`` which index and vintage.
    """

    place: tuple[int, int, str]
    parent: tuple[int, int, str]
    verdict: str
    place_geonameid: int | None
    parent_geonameid: int | None
    evidence: str
    method: str = "none"
    actual: dict[str, Any] | None = None
    suggestions: tuple[Suggestion, ...] = ()
    data: str = ""

    def __repr__(self) -> str:
        return f"Finding({self.place[2]!r} in {self.parent[2]!r}: {self.verdict})"

    def to_dict(self) -> dict[str, Any]:
        """The finding as the ``mapper check`` JSONL writes it."""
        return {
            "place": dict(zip(("start", "end", "text"), self.place, strict=True)),
            "parent": dict(zip(("start", "end", "text"), self.parent, strict=True)),
            "verdict": self.verdict,
            "place_geonameid": self.place_geonameid,
            "parent_geonameid": self.parent_geonameid,
            "actual": self.actual,
            "suggestions": [s.to_dict() for s in self.suggestions],
            "evidence": self.evidence,
            "method": self.method,
            "data": self.data,
        }


@dataclass(frozen=True, slots=True)
class Resolution:
    """A mention and the place it was resolved to (or None), with score and reasons."""

    mention: Mention
    place: Place | None
    score: float
    alternatives: tuple[Alternative, ...] = ()
    signals: tuple[str, ...] = ()
    findings: tuple[Finding, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The mention as the JSONL contract writes it; unresolved keeps its span, nulls."""
        out: dict[str, Any] = {"start": self.mention.start, "end": self.mention.end,
                               "text": self.mention.text}
        for key in PLACE_FIELDS:
            out[key] = getattr(self.place, key) if self.place is not None else None
        out["score"] = round(self.score, 4) if self.place is not None else None
        out["alternatives"] = [
            {"geonameid": a.geonameid, "name": a.name, "feature_code": a.feature_code,
             "country_code": a.country_code, "score": round(a.score, 4)}
            for a in self.alternatives]
        out["signals"] = list(self.signals)
        if self.findings:
            out["findings"] = [f.to_dict() for f in self.findings]
        return out


@dataclass(frozen=True, slots=True)
class ParsedArticle:
    """An article with its resolved mentions, in text order."""

    article: Article
    resolutions: tuple[Resolution, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """One output line of ``mapper extract``/``mapper resolve``."""
        return {"id": self.article.id, "mentions": [r.to_dict() for r in self.resolutions]}


@dataclass(frozen=True, slots=True)
class CheckedArticle:
    """An article and the verdicts on the containment claims it makes."""

    article: Article
    findings: tuple[Finding, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """One output line of ``mapper check``."""
        return {"id": self.article.id, "findings": [f.to_dict() for f in self.findings]}


@dataclass(frozen=True, slots=True)
class Source:
    """An article that reports an incident, as the map cites it."""

    article_id: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The source as GeoJSON properties and popups show it."""
        return {"article_id": self.article_id, "title": self.title, "outlet": self.outlet,
                "url": self.url, "published": self.published}


@dataclass(frozen=True, slots=True)
class Incident:
    """A reported event at a place: what, when, where, how precisely, and who said so.

    ``precision`` follows ACLED's geo-precision: 1 the place is named, 2 near a place or
    part of a region, 3 only the region is known. ``admin_path`` runs from the place up
    ("Kondrovo", "Dzerzhinskiy Rayon", "Kaluga", "Russia"). ``region_code`` names the
    admin-1 unit (``RU.25``) when the map should draw its shape rather than a point.
    """

    id: str
    event_type: str
    date: str | None
    quote: str
    place_name: str | None
    geonameid: int | None
    lat: float | None
    lon: float | None
    country_code: str | None
    admin_path: tuple[str, ...] = ()
    precision: int = 1
    region_code: str | None = None
    findings: tuple[Finding, ...] = ()
    sources: tuple[Source, ...] = ()

    def __repr__(self) -> str:
        return f"Incident({self.id!r}, {self.event_type!r} at {self.place_name!r})"

    def to_dict(self) -> dict[str, Any]:
        """A flat, JSON-ready dict (GeoJSON properties, CSV rows, popups)."""
        return {
            "id": self.id, "event_type": self.event_type, "date": self.date,
            "quote": self.quote, "place_name": self.place_name, "geonameid": self.geonameid,
            "lat": self.lat, "lon": self.lon, "country_code": self.country_code,
            "admin_path": list(self.admin_path), "precision": self.precision,
            "region_code": self.region_code,
            "findings": [f.to_dict() for f in self.findings],
            "sources": [s.to_dict() for s in self.sources],
        }
