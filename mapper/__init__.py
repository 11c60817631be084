"""Map what the news says happened where.

Reads articles, finds the places they mention, resolves them to GeoNames, checks the
geography the text states, and renders incident maps. The gazetteer it stands on is the
separate :mod:`gazetteer` package.

Examples
--------
>>> import mapper
>>> [r.place.name for r in mapper.geoparse("Shelling hit Aleppo, Syria.")]  # doctest: +SKIP
['Aleppo', 'Syria']
"""

from .errors import InputError, MapperError
from .event_lexicon import EventLexicon
from .model import (
    Alternative,
    Article,
    CheckedArticle,
    Finding,
    Incident,
    Mention,
    ParsedArticle,
    Problem,
    Resolution,
    Source,
    Suggestion,
)
from .pipeline import (
    Geoparser,
    check,
    evaluate,
    extract,
    geoparse,
    geoparse_frame,
    incidents,
    incidents_frame,
    resolve,
)
from .read import read_articles

__all__ = [
    "Alternative",
    "Article",
    "CheckedArticle",
    "EventLexicon",
    "Finding",
    "Geoparser",
    "Incident",
    "InputError",
    "MapperError",
    "Mention",
    "ParsedArticle",
    "Problem",
    "Resolution",
    "Source",
    "Suggestion",
    "check",
    "evaluate",
    "extract",
    "geoparse",
    "geoparse_frame",
    "incidents",
    "incidents_frame",
    "read_articles",
    "resolve",
]
