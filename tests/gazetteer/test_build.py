"""Tests for gazetteer.build: source discovery, counts, atomic replacement, synthesised units."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from gazetteer import (
    BuildSources,
    Gazetteer,
    GazetteerError,
    MalformedLineError,
    build_index,
    find_sources,
    prior,
)
from gazetteer.schema import SCHEMA_VERSION

REPO = Path(__file__).resolve().parents[2]
TINY = REPO / "tests" / "data" / "tiny"
TINY_PLACES = 14  # rows in tests/data/tiny/cities500.txt



def _copy_tiny(dest: Path) -> Path:
    shutil.copytree(TINY, dest)
    return dest


# -- find_sources ------------------------------------------------------------------------


def test_find_sources_classifies_tiny_dir() -> None:
    sources = find_sources([TINY])
    assert sources.geonames == (TINY / "cities500.txt",)
    assert sources.alternate_names == (TINY / "alternateNamesV2.txt",)
    assert sources.admin1 == (TINY / "admin1CodesASCII.txt",)
    assert sources.admin2 == (TINY / "admin2Codes.txt",)
    assert sources.countries == (TINY / "countryInfo.txt",)
    assert sources.hierarchy == (TINY / "hierarchy.txt",)
    assert sources.feature_codes == (TINY / "featureCodes_en.txt",)
    assert sources.shapes == () and sources.coordinate_sources == ()


@pytest.mark.parametrize(("name", "kind"), [
    pytest.param("allCountries.zip", "geonames"),
    ("allcountries.zip", "geonames"),
    ("RU.zip", "geonames"),
    ("KZ.txt", "geonames"),
    ("no-country.txt", "geonames"),
    ("cities15000.zip", "geonames"),
    ("cities500.txt.gz", "geonames"),
    ("geonames.txt.xz", "geonames"),
    ("alternateNamesV2.zip", "alternate_names"),
    ("alternateNames.zip", "alternate_names"),
    ("admin1CodesASCII.txt", "admin1"),
    ("admin2Codes.txt", "admin2"),
    ("countryInfo.txt", "countries"),
    ("hierarchy.zip", "hierarchy"),
    ("hierarchy.txt.gz", "hierarchy"),
    ("featureCodes_en.txt", "feature_codes"),
    ("admin1_shapes.geojson.xz", "shapes"),
    ("coordinate_sources.tsv", "coordinate_sources"),
])
def test_find_sources_recognises_official_names(name: str, kind: str) -> None:
    sources = find_sources([name])
    assert [(k, p.name) for k, p in sources.files()] == [(kind, name)]


@pytest.mark.parametrize("name", ["readme.txt", "timeZones.txt", "iso-languagecodes.txt",
                                  "ru.txt", "notes.md"])
def test_find_sources_ignores_other_files(name: str) -> None:
    assert list(find_sources([name]).files()) == []


def test_find_sources_prefers_all_countries() -> None:
    both = find_sources(["cities15000.zip", "allCountries.zip", "cities500.zip"])
    assert [p.name for p in both.geonames] == ["allCountries.zip"]


def test_find_sources_prefers_the_most_complete_cities() -> None:
    cities = find_sources(["cities15000.zip", "cities1000.zip", "cities500.zip", "KZ.txt"])
    assert [p.name for p in cities.geonames] == ["cities500.zip", "KZ.txt"]


def test_build_sources_files_in_build_order() -> None:
    sources = BuildSources(hierarchy=(Path("h.txt"),), geonames=(Path("g.txt"),))
    assert [k for k, _ in sources.files()] == ["geonames", "hierarchy"]


# -- a build from the tiny files ---------------------------------------------------------


def test_tiny_build_counts(tiny_gazetteer: Gazetteer) -> None:
    counts = tiny_gazetteer.info()["counts"]
    assert counts["admin1"] == 6
    assert counts["admin2"] == 7
    assert counts["countries"] == 5
    assert counts["hierarchy"] == 10
    assert counts["feature_codes"] == 8
    assert counts["shapes"] == 0
    # 14 rows, plus units named in the code files whose members are in the table
    assert counts["places"] == TINY_PLACES + counts["synthesised_units"]
    assert counts["synthesised_units"] == 11


def test_build_report(tmp_path: Path) -> None:
    stages: list[tuple[str, int, int | None]] = []
    report = build_index([TINY], tmp_path / "g.sqlite",
                         progress=lambda *args: stages.append(args))
    assert report.path == tmp_path / "g.sqlite" and report.path.is_file()
    assert report.seconds >= 0
    assert report.counts["places"] == 25
    assert ("places cities500.txt", TINY_PLACES, TINY_PLACES) in stages
    assert stages[-1] == ("indexes", 1, 1)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.sqlite"]


def test_info_records_sources_counts_vintage_and_build_time(tiny_gazetteer: Gazetteer) -> None:
    info = tiny_gazetteer.info()
    assert info["schema_version"] == SCHEMA_VERSION
    assert info["vintage"] == "2023-02-28"  # the newest 'modified' in cities500.txt
    assert datetime.fromisoformat(info["built_at"]).tzinfo is not None
    assert info["build_seconds"] >= 0
    assert info["bytes"] == Path(info["path"]).stat().st_size
    kinds = {s["kind"]: s for s in info["sources"]}
    assert set(kinds) == {"geonames", "alternate_names", "admin1", "admin2", "countries",
                          "hierarchy", "feature_codes"}
    geonames = kinds["geonames"]
    assert Path(geonames["file"]).name == "cities500.txt"
    assert geonames["rows"] == TINY_PLACES
    assert geonames["bytes"] == (TINY / "cities500.txt").stat().st_size
    assert kinds["admin2"]["rows"] == 7
    datetime.strptime(geonames["modified"], "%Y-%m-%d")


def test_info_alternate_name_rows_are_rows_read(tiny_gazetteer: Gazetteer) -> None:
    kinds = {s["kind"]: s for s in tiny_gazetteer.info()["sources"]}
    assert kinds["alternate_names"]["rows"] == 10


def test_build_without_a_geoname_table_fails(tmp_path: Path) -> None:
    with pytest.raises(GazetteerError, match="no geoname table"):
        build_index([TINY / "admin1CodesASCII.txt"], tmp_path / "g.sqlite")
    assert list(tmp_path.iterdir()) == []


# -- a failed build leaves the old index alone -------------------------------------------


def test_failed_build_keeps_previous_index_byte_identical(tmp_path: Path) -> None:
    dest = tmp_path / "out" / "g.sqlite"
    build_index([TINY], dest)
    before = dest.read_bytes()
    before_stat = dest.stat()

    bad = _copy_tiny(tmp_path / "bad")
    lines = (bad / "hierarchy.txt").read_text().splitlines(keepends=True)
    lines.insert(3, "553899\tnot-a-number\tADM\n")
    (bad / "hierarchy.txt").write_text("".join(lines))

    with pytest.raises(MalformedLineError) as info:
        build_index([bad], dest)
    assert str(info.value).startswith(f"{bad / 'hierarchy.txt'}:4: ")
    assert dest.read_bytes() == before
    assert dest.stat().st_mtime_ns == before_stat.st_mtime_ns
    assert sorted(p.name for p in dest.parent.iterdir()) == ["g.sqlite"]
    with Gazetteer(dest) as gaz:
        assert gaz.get(553899).name == "Kaluga Oblast"


def test_failed_first_build_leaves_nothing(tmp_path: Path) -> None:
    bad = _copy_tiny(tmp_path / "bad")
    with open(bad / "cities500.txt", "ab") as handle:
        handle.write(b"42\tBroken\n")
    dest = tmp_path / "out" / "g.sqlite"
    with pytest.raises(MalformedLineError, match=r"cities500\.txt:17: expected 19"):
        build_index([bad], dest)
    assert list(dest.parent.iterdir()) == []


def test_rebuild_replaces_index(tmp_path: Path) -> None:
    dest = tmp_path / "g.sqlite"
    build_index([TINY], dest)
    build_index([TINY / "cities500.txt"], dest)
    with Gazetteer(dest) as gaz:
        assert gaz.info()["counts"]["admin1"] == 0
        assert [s["kind"] for s in gaz.info()["sources"]] == ["geonames"]


# -- units missing from the table are synthesised ----------------------------------------


def test_missing_admin_units_are_synthesised(tmp_path: Path) -> None:
    src = _copy_tiny(tmp_path / "src")
    table = src / "cities500.txt"
    lines = table.read_bytes().splitlines(keepends=True)
    table.write_bytes(b"".join(line for line in lines if b"\tA\tADM" not in line))
    dest = tmp_path / "g.sqlite"
    report = build_index([src], dest)
    assert report.counts["synthesised_units"] == 13  # the 11 before, plus 553899 and 563697

    with Gazetteer(dest) as gaz:
        oblast = gaz.get(553899)
        assert (oblast.name, oblast.feature_class, oblast.feature_code) == (
            "Kaluga Oblast", "A", "ADM1")
        assert (oblast.country_code, oblast.admin1_code, oblast.admin2_code) == ("RU", "25", None)
        # the mean of Kaluga and Kondrovo, the two member places left
        assert oblast.lat == pytest.approx((54.5293 + 54.80639) / 2)
        assert oblast.lon == pytest.approx((36.27542 + 35.92778) / 2)
        assert gaz.coordinate_source(553899) == "mean of 2 member places"
        assert gaz.search("Kaluga region")[0].place.geonameid == 553899

        district = gaz.get(563697)
        assert district.feature_code == "ADM2" and district.admin_code == "RU.25.563697"
        assert gaz.coordinate_source(563697) == "mean of 1 member places"
        # districts without any member place are not invented
        assert gaz.find(462752) is None
        assert gaz.coordinate_source(553915) == "geonames"


def test_aliases_reach_units_only_the_code_files_define(tmp_path: Path) -> None:
    # United States has no geoname row in the tiny table: countryInfo.txt gives it one
    src = _copy_tiny(tmp_path / "src")
    (src / "aliases.tsv").write_text("Yankeeland\tUnited States\tPCLI\tUS\n"
                                     "Kalugaland\tKaluga Oblast\tADM1\tRU\n"
                                     # countryInfo names it "United States": the code decides
                                     "Usonia\tUnited States of America\tPCLI\tUS\n"
                                     "Nowhere\tNo Such Oblast\tADM1\tRU\n", encoding="utf-8")
    dest = tmp_path / "g.sqlite"
    report = build_index([src], dest)
    assert report.sources[-1]["kind"] == "aliases" and report.sources[-1]["rows"] == 3
    with Gazetteer(dest) as gaz:
        assert gaz.coordinate_source(6252001).startswith("mean of")
        assert gaz.search("Yankeeland", fuzzy=False)[0].place.geonameid == 6252001
        assert gaz.search("Kalugaland", fuzzy=False)[0].place.geonameid == 553899
        assert gaz.search("Usonia", fuzzy=False)[0].place.geonameid == 6252001
        assert gaz.search("Nowhere", fuzzy=False) == []


def test_synthesised_country_carries_population(tiny_gazetteer: Gazetteer) -> None:
    france = tiny_gazetteer.get(3017382)  # not in cities500.txt; from countryInfo.txt
    assert (france.name, france.feature_code, france.population) == ("France", "PCLI", 66987244)
    assert tiny_gazetteer.coordinate_source(3017382).startswith("mean of")
    assert tiny_gazetteer.get(2017370).feature_code == "PCLI"  # present rows are kept
    assert tiny_gazetteer.coordinate_source(2017370) == "geonames"


def test_index_is_plain_sqlite_with_indexes(tiny_index_path: Path) -> None:
    with sqlite3.connect(f"{tiny_index_path.as_uri()}?mode=ro", uri=True) as db:
        names = {n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert {"names_key", "skeletons_skel", "places_admin"} <= names


def test_units_without_population_are_sized_by_their_towns(tmp_path: Path) -> None:
    src = _copy_tiny(tmp_path / "src")
    table = src / "cities500.txt"
    rows = []
    for line in table.read_text(encoding="utf-8").splitlines(keepends=True):
        cols = line.split("\t")
        if len(cols) > 14 and cols[7] in ("ADM1", "ADM2"):
            cols[14] = "0"  # as in the embedded data: no registry source gives one
        rows.append("\t".join(cols))
    table.write_text("".join(rows), encoding="utf-8")
    dest = tmp_path / "g.sqlite"
    report = build_index([src], dest)
    with Gazetteer(dest) as gaz:
        assert gaz.get(553899).population == 0  # the row is left as the source gives it
        assert gaz.unit_population(553899) == 340851 + 14462  # Kaluga and Kondrovo
        assert gaz.unit_population(563697) == 14462  # Kondrovo's district
        assert gaz.unit_population(462752) == 0  # no town carries its code
        assert gaz.unit_population(545575) == 0  # Kondrovo: a town is no unit
        district = gaz.search("Dzerzhinskiy Rayon", fuzzy=False)[0]
        assert district.prior == pytest.approx(prior(district.place, 14462))
        assert district.prior > prior(district.place)
        sized = gaz.db.execute("SELECT count(*) FROM unit_sizes").fetchone()[0]
    assert report.counts["unit_sizes"] == sized >= 2
