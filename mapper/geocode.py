"""Batch geocoding: place strings ("Springfield, IL", "Kaluga region", "Kyiv") to places.

A string's first comma part is the place; later parts are its stated parents
("Long Beach, California, USA"), used exactly as in article text. An optional country
narrows the search; an optional context text (the sentence or article the name came
from) lends its other places as evidence. Results are cached by their inputs, so
columns with repeated names go fast.

Names the index cannot resolve may, when a ``fallback`` is given (an
``online.OnlineFallback``), be sent to a web geocoder; nothing goes online otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING, cast

from gazetteer import Gazetteer, Place

from .errors import MapperError
from .extract import mentions_from_spans
from .model import Mention, Resolution
from .pipeline import Geoparser
from .resolve import Resolver

if TYPE_CHECKING:
    from .online import OnlineFallback

__all__ = ["Geocoder", "geocode"]

# Two-letter state/province codes that news and spreadsheets use after a comma.
_CODE_COUNTRIES = ("US", "CA", "AU")

# The score of a place only a web service knew: a plausible answer, not a ranked one.
ONLINE_SCORE = 0.5


class Geocoder:
    """Resolves place strings against one gazetteer, with a cache.

    Parameters
    ----------
    gazetteer
        The index; the embedded default when omitted.
    fallback
        Asked (only) about names the index leaves unresolved; its places get the score
        ``ONLINE_SCORE`` and the signal ``online: <service>``. A failed request leaves
        the name unresolved, with the reason in its signals. None (the default) never
        goes online.

    Examples
    --------
    >>> Geocoder()("Springfield, IL").place.admin1_code     # doctest: +SKIP
    'IL'
    """

    def __init__(self, gazetteer: Gazetteer | None = None, *,
                 fallback: OnlineFallback | None = None) -> None:
        self.gazetteer = gazetteer or Gazetteer.default()
        self.resolver = Resolver(self.gazetteer)
        self.fallback = fallback
        self._parser: Geoparser | None = None  # loads the recogniser; only for contexts
        self._cached = lru_cache(maxsize=500_000)(self._geocode)

    def __call__(self, text: str, *, country: str | None = None,
                 context: str | None = None) -> Resolution:
        """Resolve one place string; an empty string gives an unresolved result."""
        text = text.strip()
        country = (country or "").strip().upper() or None
        local = self._cached(text, country, (context or "").strip() or None)
        if local.place is not None or self.fallback is None or not text:
            return local
        return self._online(local, self.fallback, text, country)

    def _online(self, local: Resolution, fallback: OnlineFallback, text: str,
                country: str | None) -> Resolution:
        """Ask the fallback about a name the index could not resolve."""
        try:
            found = fallback(text, country=country)
        except MapperError as exc:
            return replace(local, signals=(*local.signals, str(exc)))
        if found is None:
            return replace(local, signals=(*local.signals,
                                           f"online: {fallback.service} found nothing"))
        # An OnlinePlace has Place's fields (its geonameid may be None), so the JSONL
        # contract and the CSV writer treat both alike.
        return replace(local, place=cast(Place, found), score=ONLINE_SCORE,
                       signals=(f"online: {fallback.service}", *local.signals))

    def _geocode(self, text: str, country: str | None, context: str | None) -> Resolution:
        if not text:
            return Resolution(Mention(0, 0, ""), None, 0.0, (), ("empty place string",))
        if context:
            return self._in_context(text, country, context)
        parts = _parts(text)
        if not parts:  # "," or " , ": commas and nothing else
            return Resolution(Mention(0, 0, ""), None, 0.0, (), ("no place in the string",))
        mentions = mentions_from_spans(text, parts)
        mentions = [self._code_parent(text, m) for m in mentions]
        first = self.resolver.resolve(mentions, best_guess=True)[0]
        if country and (first.place is None or first.place.country_code != country):
            return self._in_country(first, country)
        return first

    def _code_parent(self, text: str, mention: Mention) -> Mention:
        """Read "IL" in "Springfield, IL" as Illinois when a state has that code."""
        word = mention.text
        if len(word) == 2 and word.isupper():
            for cc in _CODE_COUNTRIES:
                unit = self.gazetteer.admin_unit(f"{cc}.{word}")
                if unit is not None:
                    return replace(mention, name=unit.name, hint="ADM1")
        return mention

    def _in_country(self, first: Resolution, country: str) -> Resolution:
        name = first.mention.name or first.mention.text
        matches = self.gazetteer.search(name, country_code=country, limit=5)
        if not matches:
            return Resolution(first.mention, None, 0.0, first.alternatives,
                              (f"no place called {name!r} in {country}",))
        best = matches[0]
        return Resolution(first.mention, best.place, best.score * 0.95, (),
                          (best.how, f"country {country} given"))

    def _in_context(self, text: str, country: str | None, context: str) -> Resolution:
        """Resolve the name as if it were written at the end of its context text."""
        if self._parser is None:
            self._parser = Geoparser(self.gazetteer)
        document = f"{context}\n{text}"
        start = len(context) + 1
        spans = [(start + s, start + e) for s, e in _parts(text)]
        if not spans:
            return Resolution(Mention(0, 0, ""), None, 0.0, (), ("no place in the string",))
        res = self._parser.resolve_given(document, spans, best_guess=True)[0]
        res = replace(res, mention=replace(res.mention, start=res.mention.start - start,
                                           end=res.mention.end - start))
        if country and (res.place is None or res.place.country_code != country):
            return self._in_country(res, country)
        return res


def _parts(text: str) -> list[tuple[int, int]]:
    """Spans of the comma-separated parts of a place string, stripped of spaces."""
    spans = []
    offset = 0
    for part in text.split(","):
        lead = len(part) - len(part.lstrip())
        core = part.strip()
        if core:
            spans.append((offset + lead, offset + lead + len(core)))
        offset += len(part) + 1
    return spans


def geocode(names: Iterable[str], *, countries: Iterable[str | None] | None = None,
            contexts: Iterable[str | None] | None = None, gazetteer: Gazetteer | None = None,
            fallback: OnlineFallback | None = None) -> Iterator[Resolution]:
    """Resolve many place strings, one result per input, in order.

    Parameters
    ----------
    names
        Place strings: "Kyiv", "Springfield, IL", "Dzerzhinsky district, Kaluga region".
    countries
        Optional ISO country code per name ("US"), aligned with ``names``.
    contexts
        Optional text per name (the sentence it came from), aligned with ``names``.
    gazetteer
        The index; the embedded default when omitted.
    fallback
        An ``online.OnlineFallback`` asked about names the index cannot resolve; None
        (the default) keeps everything offline.

    Returns
    -------
    Iterator of Resolution
        Unresolvable names give ``place=None`` with their reason in ``signals``.

    Examples
    --------
    >>> [r.place.country_code for r in geocode(["Kyiv", "Long Beach, CA"])]  # doctest: +SKIP
    ['UA', 'US']
    """
    coder = Geocoder(gazetteer, fallback=fallback)
    countries = iter(countries) if countries is not None else None
    contexts = iter(contexts) if contexts is not None else None
    for name in names:
        country = next(countries, None) if countries is not None else None
        context = next(contexts, None) if contexts is not None else None
        yield coder(name, country=country, context=context)
