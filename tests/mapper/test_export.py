"""GeoJSON, CSV and JSONL exports carry every incident field, exactly."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mapper.export import CSV_COLUMNS, to_geojson, write_csv, write_geojson, write_jsonl
from mapper.model import Finding, Incident, Source, Suggestion

HOSTILE = '</script><script>window.__pwned=1</script>,"\n=HYPERLINK("x")'


def incident(**changes: Any) -> Incident:
    base = dict(
        id="i1", event_type="shelling", date="2024-05-01", quote="Shelling hit Kondrovo.",
        place_name="Kondrovo", geonameid=554, lat=54.8, lon=35.93, country_code="RU",
        admin_path=("Kondrovo", "Dzerzhinskiy Rayon", "Kaluga", "Russia"),
        findings=(Finding((0, 11, "Dzhezkazgan"), (30, 36, "Kaluga"), "inconsistent", 1, 2,
                          "not in Kaluga", actual={"name": "Zhezqazghan", "distance_km": 2612.4},
                          suggestions=(Suggestion(3, "Dzerzhinskiy Rayon", "ADM2", 0.8),)),),
        sources=(Source("a1", "Shelling in Kondrovo", "Kaluga News", "https://n.example/a1",
                        "2024-05-02"),
                 Source("a2", None, None, None, None)))
    base.update(changes)
    return Incident(**base)  # type: ignore[arg-type]


def test_geojson_is_an_rfc7946_feature_collection() -> None:
    doc = to_geojson([incident(), incident(id="i2", lat=None, lon=None)])
    assert doc["type"] == "FeatureCollection"
    first, second = doc["features"]
    assert first["type"] == "Feature" and first["id"] == "i1"
    assert first["geometry"] == {"type": "Point", "coordinates": [35.93, 54.8]}  # lon, lat
    assert second["geometry"] is None


def test_geojson_properties_are_every_incident_field() -> None:
    props = to_geojson([incident()])["features"][0]["properties"]
    assert props == incident().to_dict()
    assert props["sources"][0] == {"article_id": "a1", "title": "Shelling in Kondrovo",
                                   "outlet": "Kaluga News", "url": "https://n.example/a1",
                                   "published": "2024-05-02"}
    assert props["findings"][0]["verdict"] == "inconsistent"
    assert props["findings"][0]["suggestions"][0]["name"] == "Dzerzhinskiy Rayon"


@pytest.mark.parametrize("lat", [float("nan"), float("inf"), 95.0])
def test_impossible_coordinates_give_null_geometry(lat: float) -> None:
    feature = to_geojson([incident(lat=lat)])["features"][0]
    assert feature["geometry"] is None


def test_write_geojson_round_trips(tmp_path: Path) -> None:
    items = [incident(quote=HOSTILE), incident(id="i2", lat=float("nan"))]
    out = write_geojson(items, tmp_path / "x.geojson")
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["features"][0]["properties"]["quote"] == HOSTILE
    assert doc["features"][1]["properties"]["lat"] is None  # NaN is not JSON


def test_csv_has_one_row_per_incident_with_lists_as_json(tmp_path: Path) -> None:
    out = write_csv([incident(quote=HOSTILE), incident(id="i2", admin_path=())],
                    tmp_path / "x.csv")
    with out.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
        assert tuple(reader.fieldnames or ()) == CSV_COLUMNS
    assert len(rows) == 2
    first = rows[0]
    assert first["quote"] == HOSTILE
    assert first["lat"] == "54.8" and first["lon"] == "35.93" and first["precision"] == "1"
    assert json.loads(first["admin_path"]) == list(incident().admin_path)
    assert json.loads(first["sources"]) == [s.to_dict() for s in incident().sources]
    assert json.loads(first["findings"]) == [f.to_dict() for f in incident().findings]
    assert first["source_urls"] == "https://n.example/a1"
    assert rows[1]["admin_path"] == "[]" and rows[1]["region_code"] == ""


def test_csv_streams_any_iterable(tmp_path: Path) -> None:
    out = write_csv((incident(id=str(n)) for n in range(3)), tmp_path / "x.csv")
    assert out.read_text(encoding="utf-8").count("\n") >= 4


def test_jsonl_is_one_to_dict_per_line(tmp_path: Path) -> None:
    out = write_jsonl([incident(), incident(id="i2")], tmp_path / "x.jsonl")
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [incident().to_dict(),
                                                    incident(id="i2").to_dict()]


@settings(max_examples=40, deadline=None)
@given(text=st.text())
def test_exports_round_trip_any_text(tmp_path_factory: pytest.TempPathFactory,
                                     text: str) -> None:
    tmp = tmp_path_factory.mktemp("rt")
    item = incident(quote=text, place_name=text,
                    sources=(Source("a", text, text, text, text),))
    doc = json.loads(write_geojson([item], tmp / "x.geojson").read_text(encoding="utf-8"))
    assert doc["features"][0]["properties"] == item.to_dict()
    with write_csv([item], tmp / "x.csv").open(encoding="utf-8", newline="") as f:
        row = next(csv.DictReader(f))
    shown = "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
    assert row["quote"] == shown and json.loads(row["sources"])[0]["title"] == text


def test_csv_cells_never_start_a_formula(tmp_path) -> None:
    import csv as csv_module

    from mapper.export import write_csv
    from mapper.model import Incident, Source

    hostile = Incident("i1", "=cmd|' /C calc'!A0", None, "@SUM(1+1)", "-2+3", None, None,
                       None, None, sources=(Source("a", title="+danger", url="https://x.org"),))
    path = write_csv([hostile], tmp_path / "i.csv")
    with open(path, encoding="utf-8", newline="") as handle:
        row = next(csv_module.DictReader(handle))
    assert row["event_type"].startswith("'=")
    assert row["quote"].startswith("'@")
    assert row["place_name"].startswith("'-")
    assert not any(v[:1] in "=+-@" for v in row.values() if v)
