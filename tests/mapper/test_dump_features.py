"""Rivers and regions from an allCountries-format table are found and resolved.

The embedded index holds populated places, admin units and countries; the full GeoNames
dump adds streams (class H) and regions (class L). These rows are invented, in the
official 19-column format, to show that the unchanged code reads and resolves them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from gazetteer import Gazetteer, build_index
from mapper.pipeline import geoparse

TINY = Path(__file__).resolve().parents[1] / "data" / "tiny"

# geonameid, name, asciiname, alternatenames, lat, lon, class, code, country, cc2,
# admin1..admin4, population, elevation, dem, timezone, modified
_INVENTED = [
    ("90000001", "Quillomar River", "Quillomar River", "Quillomar,Rio Quillomar", "54.61",
     "35.80", "H", "STM", "RU", "", "25", "", "", "", "0", "", "140", "Europe/Moscow",
     "2024-01-01"),
    ("90000002", "Brenvask Uplands", "Brenvask Uplands", "", "54.70", "35.50", "L", "UPLD",
     "RU", "", "25", "", "", "", "0", "", "210", "Europe/Moscow", "2024-01-01"),
    ("90000004", "Varnoslav", "Varnoslav", "", "54.55", "36.10", "H", "STM", "RU", "", "25",
     "", "", "", "0", "", "150", "Europe/Moscow", "2024-01-01"),
    ("90000003", "Ostrel Basin", "Ostrel Basin", "", "-12.5", "70.25", "U", "BSNU", "", "",
     "", "", "", "", "0", "", "-4200", "", "2024-01-01"),
]


@pytest.fixture(scope="module")
def dump_gazetteer(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    src = tmp_path_factory.mktemp("dump")
    for path in TINY.iterdir():
        if path.name != "cities500.txt":
            shutil.copy(path, src)
    rows = (TINY / "cities500.txt").read_text(encoding="utf-8")
    rows += "".join("\t".join(row) + "\n" for row in _INVENTED)
    (src / "allCountries.txt").write_text(rows, encoding="utf-8")
    dest = src / "index.sqlite"
    build_index([src], dest)
    return Gazetteer(dest)


def test_river_named_as_in_the_table(dump_gazetteer: Gazetteer) -> None:
    text = "Flooding closed roads along the Quillomar River near Kondrovo on Monday."
    found = {r.mention.text: r.place for r in geoparse(text, gazetteer=dump_gazetteer)}
    assert (found["Quillomar River"].geonameid, found["Quillomar River"].feature_class,
            found["Quillomar River"].feature_code) == (90000001, "H", "STM")
    assert found["Kondrovo"].geonameid == 545575
    found = {r.mention.text: r.place for r in geoparse("Two boats sank in the Varnoslav.",
                                                        gazetteer=dump_gazetteer)}
    assert found["Varnoslav"].geonameid == 90000004


# "river" after a name is a hint, in either case: "X river" meets the table's "X River", and
# "X River" meets a stream the table calls "X"; "along the" is a place cue.
@pytest.mark.parametrize(("text", "geonameid"), [
    ("Flooding closed roads along the Quillomar river near Kondrovo.", 90000001),
    ("Two boats sank in the Varnoslav River.", 90000004),
])
def test_river_written_unlike_the_table(dump_gazetteer: Gazetteer, text: str,
                                        geonameid: int) -> None:
    places = {r.place.geonameid for r in geoparse(text, gazetteer=dump_gazetteer) if r.place}
    assert geonameid in places


def test_minor_river_after_along(dump_gazetteer: Gazetteer) -> None:
    text = "Flooding closed roads along the Varnoslav near Kondrovo."
    places = {r.place.geonameid for r in geoparse(text, gazetteer=dump_gazetteer) if r.place}
    assert 90000004 in places


def test_river_and_region_full_names(dump_gazetteer: Gazetteer) -> None:
    text = ("Rescuers reached villages in the Brenvask Uplands after the Quillomar River "
            "burst its banks in the Kaluga region.")
    places = {r.place.geonameid for r in geoparse(text, gazetteer=dump_gazetteer) if r.place}
    assert {90000001, 90000002, 553899} <= places


def test_undersea_feature_with_no_country(dump_gazetteer: Gazetteer) -> None:
    match = dump_gazetteer.search("Ostrel Basin")[0]
    assert (match.place.geonameid, match.place.country_code) == (90000003, "")
