"""Incidents → GeoJSON, CSV and JSONL files for GIS tools, spreadsheets and pipelines.

Every export carries every field of :meth:`Incident.to_dict` (the contract lives in
``model.py``), so a researcher can check each mapped point against its sources and the
consistency findings behind it.

- GeoJSON (RFC 7946): a FeatureCollection, one Feature per incident, ``id`` the incident
  id, geometry a Point ``[lon, lat]`` (WGS 84) or ``null`` when the incident has no usable
  coordinates. Region-level incidents (precision 3) keep their point too (the region's
  centre as the gazetteer gives it); ``region_code`` names the region.
- CSV: one row per incident, columns in ``CSV_COLUMNS`` order. The list fields
  ``admin_path``, ``sources`` and ``findings`` are JSON-encoded (a JSON array per cell, so
  ``json.loads`` / ``pandas`` can read them back exactly); ``source_urls`` adds the source
  URLs joined by a space for quick reading. Empty cells are nulls. A text cell that
  starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
  apostrophe, so that a spreadsheet shows it as text instead of running it as a formula;
  a program reading the file back sees the apostrophe (strip it from such cells).
- JSONL: one ``Incident.to_dict()`` per line.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .model import Incident

__all__ = ["CSV_COLUMNS", "to_geojson", "write_csv", "write_geojson", "write_jsonl"]

#: Columns of :func:`write_csv`, in order.
CSV_COLUMNS = ("id", "event_type", "date", "place_name", "geonameid", "lat", "lon",
               "country_code", "admin_path", "precision", "region_code", "quote",
               "source_urls", "sources", "findings")
_JSON_COLUMNS = ("admin_path", "sources", "findings")


def _point(incident: Incident) -> dict[str, Any] | None:
    """RFC 7946 Point, or None when the coordinates are missing or impossible."""
    lat, lon = incident.lat, incident.lon
    if (lat is None or lon is None or not (math.isfinite(lat) and math.isfinite(lon))
            or abs(lat) > 90 or abs(lon) > 180):
        return None
    return {"type": "Point", "coordinates": [lon, lat]}


def to_geojson(incidents: Iterable[Incident]) -> dict[str, Any]:
    """Make an RFC 7946 FeatureCollection with one Feature per incident.

    Parameters
    ----------
    incidents
        The incidents to export.

    Returns
    -------
    dict
        A JSON-ready FeatureCollection; each Feature's properties are
        :meth:`Incident.to_dict` (sources as objects with title, url, outlet, published;
        findings included).

    Examples
    --------
    >>> from mapper.model import Incident, Source
    >>> inc = Incident("i1", "shelling", "2024-05-01", "Shelling hit Kondrovo.", "Kondrovo",
    ...                554, 54.8, 35.93, "RU", sources=(Source("a1", "Report", "Outlet"),))
    >>> feature = to_geojson([inc])["features"][0]
    >>> feature["geometry"], feature["properties"]["sources"][0]["outlet"]
    ({'type': 'Point', 'coordinates': [35.93, 54.8]}, 'Outlet')
    """
    return {"type": "FeatureCollection",
            "features": [{"type": "Feature", "id": inc.id, "geometry": _point(inc),
                          "properties": _properties(inc)} for inc in incidents]}


def _properties(incident: Incident) -> dict[str, Any]:
    """All fields; a NaN or infinite coordinate (not valid JSON) becomes null."""
    data = incident.to_dict()
    for key in ("lat", "lon"):
        if isinstance(data[key], float) and not math.isfinite(data[key]):
            data[key] = None
    return data


def write_geojson(incidents: Iterable[Incident], path: str | Path) -> Path:
    """Write :func:`to_geojson` as UTF-8 JSON (non-ASCII text kept readable).

    Parameters
    ----------
    incidents
        The incidents to export.
    path
        The file to write.

    Returns
    -------
    Path
        The file written.

    Examples
    --------
    >>> import json, tempfile
    >>> out = write_geojson([], Path(tempfile.mkdtemp()) / "incidents.geojson")
    >>> json.loads(out.read_text())
    {'type': 'FeatureCollection', 'features': []}
    """
    target = Path(path)
    with target.open("w", encoding="utf-8") as out:
        json.dump(to_geojson(incidents), out, ensure_ascii=False, allow_nan=False)
    return target


def _row(incident: Incident) -> dict[str, Any]:
    data = _properties(incident)
    row = {key: data.get(key) for key in CSV_COLUMNS if key not in _JSON_COLUMNS}
    for key in _JSON_COLUMNS:
        row[key] = json.dumps(data[key], ensure_ascii=False)
    row["source_urls"] = " ".join(s.url for s in incident.sources if s.url)
    return {key: _inert(value) for key, value in row.items()}


def _inert(value: Any) -> Any:
    """Keep article text from running as a spreadsheet formula (``=HYPERLINK(…)``).

    A text cell that starts with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a
    leading apostrophe, which spreadsheets show as plain text. Numbers stay numbers.
    """
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def write_csv(incidents: Iterable[Incident], path: str | Path) -> Path:
    """Write one CSV row per incident (columns ``CSV_COLUMNS``; list fields as JSON).

    Rows stream, so any number of incidents fits in memory.

    Parameters
    ----------
    incidents
        The incidents to export.
    path
        The file to write (UTF-8, RFC 4180 quoting).

    Returns
    -------
    Path
        The file written.

    Examples
    --------
    >>> import csv, json, tempfile
    >>> from mapper.model import Incident
    >>> inc = Incident("i1", "shelling", None, "…", "Kondrovo", 554, 54.8, 35.93, "RU",
    ...                admin_path=("Kondrovo", "Kaluga"))
    >>> out = write_csv([inc], Path(tempfile.mkdtemp()) / "incidents.csv")
    >>> row = next(csv.DictReader(out.read_text(encoding="utf-8").splitlines()))
    >>> row["lat"], json.loads(row["admin_path"])
    ('54.8', ['Kondrovo', 'Kaluga'])
    """
    target = Path(path)
    with target.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for incident in incidents:
            writer.writerow(_row(incident))
    return target


def write_jsonl(incidents: Iterable[Incident], path: str | Path) -> Path:
    """Write one :meth:`Incident.to_dict` JSON object per line.

    Parameters
    ----------
    incidents
        The incidents to export.
    path
        The file to write (UTF-8).

    Returns
    -------
    Path
        The file written.

    Examples
    --------
    >>> import tempfile
    >>> from mapper.model import Incident
    >>> inc = Incident("i1", "shelling", None, "…", None, None, None, None, None)
    >>> out = write_jsonl([inc], Path(tempfile.mkdtemp()) / "incidents.jsonl")
    >>> out.read_text(encoding="utf-8").count("\\n")
    1
    """
    target = Path(path)
    with target.open("w", encoding="utf-8") as out:
        for incident in incidents:
            out.write(json.dumps(incident.to_dict(), ensure_ascii=False) + "\n")
    return target
