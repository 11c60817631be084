"""GeoNames as a local, read-only index: readers, builder, queries and the embedded default.

This package knows nothing about text. It answers "which places are called this?",
"is this place inside that region?" and "what is near this point?".

Examples
--------
>>> from gazetteer import fold
>>> fold("Leningradskaya Oblast'")
'leningradskaya oblast'
"""

from .build import BuildReport, BuildSources, build_index, find_sources
from .default import default_index_path
from .errors import (
    DownloadError,
    GazetteerError,
    IndexNotFoundError,
    MalformedLineError,
    PlaceNotFoundError,
)
from .index import Gazetteer, haversine_km, prior
from .model import (
    AdminUnit,
    AlternateName,
    Containment,
    Country,
    FeatureCode,
    GeonameRow,
    HierarchyEdge,
    Match,
    Place,
)
from .normalize import fold, loose_key, split_designator

__all__ = [
    "AdminUnit",
    "AlternateName",
    "BuildReport",
    "BuildSources",
    "Containment",
    "Country",
    "DownloadError",
    "FeatureCode",
    "Gazetteer",
    "GazetteerError",
    "GeonameRow",
    "HierarchyEdge",
    "IndexNotFoundError",
    "MalformedLineError",
    "Match",
    "Place",
    "PlaceNotFoundError",
    "build_index",
    "default_index_path",
    "find_sources",
    "fold",
    "haversine_km",
    "loose_key",
    "prior",
    "split_designator",
]
