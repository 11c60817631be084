"""The columns and dtypes of the mention and incident tables, one schema for every path.

``geoparse_frame``/``incidents_frame`` (one process) and ``mentions_dask``/
``incidents_dask`` (many) give the same dtypes, whatever the data: ``geonameid`` stays a
nullable ``Int64`` when a mention is unresolved, and an empty result keeps its types.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ADMIN_SEPARATOR", "INCIDENT_DTYPES", "MENTION_DTYPES", "TEXT", "VERDICT_SEPARATOR",
           "joined_verdicts", "typed"]

TEXT = "text"  # a stand-in for the installed pandas' default string dtype, resolved lazily

MENTION_DTYPES: dict[str, Any] = {
    "start": "int64", "end": "int64", "text": TEXT, "geonameid": "Int64", "name": TEXT,
    "lat": "float64", "lon": "float64", "feature_class": TEXT, "feature_code": TEXT,
    "country_code": TEXT, "admin1_code": TEXT, "admin1_name": TEXT, "admin2_code": TEXT,
    "admin2_name": TEXT, "score": "float64", "signals": TEXT}

# ``sources`` is a list of dicts in one process and JSON text in Dask (whose partitions
# must share a dtype); ``json.loads`` turns the one into the other
INCIDENT_DTYPES: dict[str, Any] = {
    "id": TEXT, "event_type": TEXT, "date": TEXT, "quote": TEXT, "place_name": TEXT,
    "geonameid": "Int64", "lat": "float64", "lon": "float64", "country_code": TEXT,
    "admin_path": TEXT, "precision": "int64", "region_code": TEXT, "verdicts": TEXT,
    "sources": TEXT}

ADMIN_SEPARATOR = " › "
VERDICT_SEPARATOR = "; "


def typed(frame: pd.DataFrame, dtypes: dict[str, Any]) -> pd.DataFrame:
    """The frame with these dtypes for these columns (others are left as they are)."""
    import pandas as pd

    text = pd.Series(["x"]).dtype  # object on pandas 2, str on pandas 3
    return frame.astype({column: text if dtype == TEXT else dtype
                         for column, dtype in dtypes.items()})


def joined_verdicts(verdicts: Iterable[str]) -> str:
    """The distinct verdicts, sorted, as one cell: "consistent; inconsistent"."""
    return VERDICT_SEPARATOR.join(sorted(set(verdicts)))
