"""Plain values that flow through the mapper: articles, mentions, resolutions, problems.

The JSONL contract lives here and only here: ``to_dict``/``from_dict`` of these values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gazetteer import Place

__all__ = ["Alternative", "Article", "Mention", "ParsedArticle", "Problem", "Resolution"]

# Fields of a resolved place that the JSONL contract puts on each mention.
PLACE_FIELDS = ("geonameid", "name", "lat", "lon", "feature_class", "feature_code",
                "country_code", "admin1_code", "admin1_name", "admin2_code", "admin2_name")


@dataclass(frozen=True, slots=True)
class Problem:
    """A rejected input record: where it was and why, for ``path:line: message`` on stderr."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.message}"


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

    def __repr__(self) -> str:
        return f"Article({self.id!r}, {len(self.text)} chars)"

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
    region", "X, Y"); ``cues`` the signals that found it.
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
class Resolution:
    """A mention and the place it was resolved to (or None), with score and reasons."""

    mention: Mention
    place: Place | None
    score: float
    alternatives: tuple[Alternative, ...] = ()
    signals: tuple[str, ...] = ()
    findings: tuple[Any, ...] = ()

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
