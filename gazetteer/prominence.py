"""How likely a bare name means a place before any context: its feature type and size.

Search scores and the text matcher's lexicon both weigh places by this prior (search also
sizes admin units by their towns, :meth:`Gazetteer.unit_population`).
"""

from __future__ import annotations

import math

from .model import Place

__all__ = ["prior"]

_FEATURE_PRIOR = {
    "PCLI": 1.1, "PCL": 1.1, "PCLD": 0.9, "PCLS": 0.9, "PCLF": 0.9, "PCLIX": 0.85, "TERR": 0.8,
    "CONT": 0.95, "ADM1": 0.7, "ADM2": 0.4, "ADM3": 0.3, "RGN": 0.5,
}


SMALL_CAPITAL = 10_000  # people: a capital smaller than this weighs as the town it is
_UNIT_CODES = frozenset({"ADM1", "ADM2", "ADM3"})
_UNIT_DISCOUNT = 0.1  # a unit as populous as a town is a little less likely to be meant


def prior(place: Place, unit_population: int = 0) -> float:
    """How likely a bare mention of this name means this place, before any context.

    Roughly 0..1; countries reach about 1.2 so that a country outranks a city that
    shares its name ("Mexico"). ``unit_population`` sizes an admin unit whose row
    gives no population (the people of its towns, :meth:`Gazetteer.unit_population`).

    >>> from gazetteer.model import Place
    >>> kent = Place(1, "Kent", "Kent", 51.2, 0.7, "A", "ADM2", "GB", "ENG", None,
    ...              "G5", None, 0)
    >>> round(prior(kent), 2), round(prior(kent, 1_500_000), 2)
    (0.4, 0.68)
    """
    own = _prior(place.feature_class, place.feature_code, place.population)
    if place.feature_code not in _UNIT_CODES:
        return own
    # "Kent", "Norfolk": a county of a million people is likelier than a village
    return max(own, _town(place.population or unit_population) - _UNIT_DISCOUNT)


def _prior(feature_class: str, feature_code: str, population: int | None) -> float:
    if feature_code == "PPLC":
        return _capital(population)
    base = _FEATURE_PRIOR.get(feature_code)
    if base is not None:
        return base + 0.1 * _size(population)
    if feature_class == "P":
        return _town(population)
    return 0.15 + 0.5 * _size(population)


def _size(population: int | None) -> float:
    return min(1.0, math.log10((population or 0) + 1) / 7.0)


def _capital(population: int | None) -> float:
    """A capital is likelier meant than a town of its size, unless it is a village.

    Hamilton, Bermuda (900 people) is not what a bare "Hamilton" means beside Hamilton,
    Ontario (half a million), nor abandoned Plymouth, Montserrat beside Plymouth, England.
    """
    if (population or 0) < SMALL_CAPITAL:
        return _town(population)
    return 0.9 + 0.1 * _size(population)


def _town(population: int | None) -> float:
    return 0.25 + 0.6 * _size(population)
