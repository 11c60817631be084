"""DataFrames in and out, one way for pandas and Dask.

How rows become articles, and the columns and dtypes of the mention and incident tables.

``geoparse_frame``/``incidents_frame`` (one process) and ``mentions_dask``/
``incidents_dask`` (many) read cells alike (a missing text is no text, a timestamp an ISO
date) and give the same dtypes, whatever the data: ``geonameid`` stays a nullable
``Int64`` when a mention is unresolved, and an empty result keeps its types.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .errors import InputError
from .model import Article, Incident

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ADMIN_SEPARATOR", "INCIDENT_DTYPES", "MENTION_DTYPES", "TEXT", "VERDICT_SEPARATOR",
           "cell_text", "check_columns", "frame_articles", "incident_row", "joined_verdicts",
           "typed"]

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


def check_columns(columns: list[Any], text_column: str, id_column: str | None) -> None:
    """Refuse a frame without its text column, or without an id column named for it.

    The default id column "id" may be absent (the frame's index stands in); any other
    name must be there: a misspelt one would silently fall back to an index that
    repeats across files and partitions.
    """
    if text_column not in columns:
        raise InputError(f"no column {text_column!r}; the frame has {columns}")
    if id_column not in (None, "id") and id_column not in columns:
        raise InputError(f"no id column {id_column!r}; the frame has {columns}")


def frame_articles(frame: pd.DataFrame, text_column: str, id_column: str | None
                   ) -> list[Article]:
    """The frame's rows as articles; missing cells (NaN, None) are left out.

    Other columns (title, url, outlet, published, …) become the article's fields; the id
    is the id column's value, else the row's index label.
    """
    import pandas as pd

    out = []
    for index, row in frame.iterrows():
        record = {k: _record_value(v) for k, v in row.items()
                  if not (pd.api.types.is_scalar(v) and pd.isna(v))}
        record["text"] = cell_text(record.pop(text_column, ""))
        record["id"] = record.pop(id_column, index) if id_column else index
        out.append(Article.from_dict(record, default_id=str(index)))
    return out


def incident_row(incident: Incident) -> dict[str, Any]:
    """One incident as a flat row: joined admin path and verdicts, sources as a list."""
    row = incident.to_dict()
    row["admin_path"] = ADMIN_SEPARATOR.join(row["admin_path"])
    row["verdicts"] = joined_verdicts(f["verdict"] for f in row.pop("findings"))
    return row


def cell_text(value: Any) -> str:
    """A DataFrame cell as article text: a missing value is no text, not the word "nan"."""
    import pandas as pd

    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if pd.api.types.is_scalar(value) and pd.isna(value):
        return ""
    return str(value)


def _record_value(value: Any) -> Any:
    """A metadata cell as the record would give it: a timestamp as an ISO date."""
    if hasattr(value, "isoformat"):  # pandas Timestamp, datetime, date
        stamp = value.isoformat()
        return stamp[:10] if stamp[10:].strip("T0:.") in ("", "+") else stamp
    return value
