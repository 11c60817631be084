"""How likely a bare name means a place before any context: its feature type and size.

Search scores and the text matcher's lexicon both weigh places by this prior.
"""

from __future__ import annotations

import math

from .model import Place

__all__ = ["prior"]

_FEATURE_PRIOR = {
    "PCLI": 1.1, "PCL": 1.1, "PCLD": 0.9, "PCLS": 0.9, "PCLF": 0.9, "PCLIX": 0.85, "TERR": 0.8,
    "CONT": 0.95, "PPLC": 0.9, "ADM1": 0.7, "ADM2": 0.4, "ADM3": 0.3, "RGN": 0.5,
}


def prior(place: Place) -> float:
    """How likely a bare mention of this name means this place, before any context.

    Roughly 0..1; countries reach about 1.2 so that a country outranks a city that
    shares its name ("Mexico").
    """
    return _prior(place.feature_class, place.feature_code, place.population)


def _prior(feature_class: str, feature_code: str, population: int | None) -> float:
    base = _FEATURE_PRIOR.get(feature_code)
    size = min(1.0, math.log10((population or 0) + 1) / 7.0)
    if base is not None:
        return base + 0.1 * size
    if feature_class == "P":
        return 0.25 + 0.6 * size
    return 0.15 + 0.5 * size
