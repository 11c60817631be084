"""Tests for gazetteer.index: queries on the tiny index, and facts on the default one."""

from __future__ import annotations

import pickle
import sqlite3
from pathlib import Path

import pytest

from gazetteer import (
    Containment,
    Gazetteer,
    GazetteerError,
    IndexNotFoundError,
    Match,
    Place,
    PlaceNotFoundError,
    haversine_km,
    prior,
)


def _ids(matches: list[Match]) -> list[int]:
    return [m.place.geonameid for m in matches]


# -- by id -------------------------------------------------------------------------------


def test_get_fills_admin_names(tiny_gazetteer: Gazetteer) -> None:
    kondrovo = tiny_gazetteer.get(545575)
    assert kondrovo == Place(545575, "Kondrovo", "Kondrovo", 54.80639, 35.92778, "P", "PPL",
                             "RU", "25", "Kaluga Oblast", "563697", "Dzerzhinskiy Rayon", 14462)
    assert kondrovo.admin_code == "RU.25.563697"
    assert tiny_gazetteer.get(6255148).admin_code == ""  # Europe: no country


def test_get_missing_id_raises(tiny_gazetteer: Gazetteer) -> None:
    with pytest.raises(PlaceNotFoundError, match="no place with geonameid 999") as info:
        tiny_gazetteer.get(999)
    assert isinstance(info.value, KeyError) and isinstance(info.value, GazetteerError)
    assert tiny_gazetteer.find(999) is None
    assert tiny_gazetteer.many([553915, 999, 545575]) == [tiny_gazetteer.get(553915),
                                                          tiny_gazetteer.get(545575)]


# -- by name -----------------------------------------------------------------------------


@pytest.mark.parametrize(("query", "first"), [
    ("Kaluga region", 553899),
    ("Kaluga Oblast", 553899),
    ("Калужская область", 553899),
    ("Kaluga", 553915),
    ("KALUGA", 553915),
    ("Dzerzhinsky district", 563697),
    ("Dzerzhinskiy Rayon", 563697),
    ("Dzhezkazgan", 1516589),
    ("Жезказган", 1516589),
    ("Paris", 2988507),
    ("Lutetia", 2988507),
    ("Long Beach", 5367929),
    ("Russia", 2017370),
    ("Europe", 6255148),
])
def test_search_first(tiny_gazetteer: Gazetteer, query: str, first: int) -> None:
    assert _ids(tiny_gazetteer.search(query))[0] == first


def test_search_match_fields(tiny_gazetteer: Gazetteer) -> None:
    matches = tiny_gazetteer.search("Paris")
    assert set(_ids(matches)) == {2988507, 4717560, 2968815}
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
    best = matches[0]
    assert 0 < best.score <= 1 and best.how == "name" and best.matched == "Paris"
    assert best.prior == pytest.approx(prior(best.place))


def test_search_how_says_historic(tiny_gazetteer: Gazetteer) -> None:
    match = tiny_gazetteer.search("Lutetia")[0]
    assert "historic" in match.how and "alternate" in match.how


def test_alternate_links_and_codes_are_not_names(tiny_gazetteer: Gazetteer) -> None:
    assert tiny_gazetteer.search("KLF", fuzzy=False) == []
    assert tiny_gazetteer.search("https://en.wikipedia.org/wiki/Kaluga_Oblast",
                                 fuzzy=False) == []


def test_search_nothing(tiny_gazetteer: Gazetteer) -> None:
    assert tiny_gazetteer.search("") == []
    assert tiny_gazetteer.search("'") == []
    assert tiny_gazetteer.search("Qwxyzzz") == []


def test_search_filters(tiny_gazetteer: Gazetteer) -> None:
    g = tiny_gazetteer
    assert _ids(g.search("Long Beach", country_code="au")) == [8219798]
    assert _ids(g.search("Paris", country_code="US")) == [4717560]
    assert _ids(g.search("Paris", within="US.TX")) == [4717560]
    assert _ids(g.search("Paris", within="FR.11.75")) == [2988507, 2968815]
    assert _ids(g.search("Paris", feature_class="a")) == [2968815]
    assert _ids(g.search("Paris", feature_code="PPLA2")) == [4717560]
    assert _ids(g.search("Paris", limit=1)) == [2988507]
    assert g.search("Paris", country_code="RU", fuzzy=False) == []


def test_search_within_code_or_geonameid(tiny_gazetteer: Gazetteer) -> None:
    g = tiny_gazetteer
    assert _ids(g.search("Dzerzhinsky district", within="RU.25"))[0] == 563697
    assert _ids(g.search("Dzerzhinsky district", within="ru.25"))[0] == 563697
    assert _ids(g.search("Kondrovo", within="553899")) == [545575]
    assert _ids(g.search("Kondrovo", within="RU")) == [545575]
    assert g.search("Kondrovo", within="RU.25.462752") == []
    assert g.search("Kondrovo", within="KZ") == []


def test_designator_hints_the_feature_type(tiny_gazetteer: Gazetteer) -> None:
    region = tiny_gazetteer.search("Kaluga region")
    assert _ids(region)[:2] == [553899, 553915]
    plain = tiny_gazetteer.search("Kaluga")
    assert _ids(plain)[:2] == [553915, 553899]


def test_fuzzy(tiny_gazetteer: Gazetteer) -> None:
    matches = tiny_gazetteer.search("Dzerzinsky")
    assert _ids(matches)[0] == 563697 and matches[0].how == "fuzzy"
    assert tiny_gazetteer.search("Dzerzinsky", fuzzy=False) == []
    assert _ids(tiny_gazetteer.search("Kondrovoo"))[0] == 545575


def test_fuzzy_scores_shared_across_filters(tiny_gazetteer: Gazetteer) -> None:
    # near spellings are scored once per name; a filter then only picks among them
    everywhere = tiny_gazetteer.search("Dzerzinsky", limit=50)
    inside = tiny_gazetteer.search("Dzerzinsky", within="RU.25", limit=50)
    assert inside == [m for m in everywhere if m.place.admin_code.startswith("RU.25")]
    assert tiny_gazetteer.search("Dzerzinsky", country_code="FR") == []


def test_places_read_together(tiny_gazetteer: Gazetteer) -> None:
    ids = [563697, 545575, 999_999_999, 563697]
    assert tiny_gazetteer.many(ids) == [tiny_gazetteer.get(563697),
                                        tiny_gazetteer.get(545575),
                                        tiny_gazetteer.get(563697)]
    assert set(tiny_gazetteer._places(ids)) == {563697, 545575}


# -- the admin tree and containment ------------------------------------------------------


def test_children(tiny_gazetteer: Gazetteer) -> None:
    g = tiny_gazetteer
    districts = g.children("RU.25", feature_code="ADM2")
    assert [p.geonameid for p in districts] == [563697, 462752, 484282]  # most populous first
    assert {p.geonameid for p in g.children(553899)} == {563697, 462752, 484282, 553915,
                                                         545575}
    assert [p.geonameid for p in g.children("RU.25", feature_class="P", limit=1)] == [553915]
    assert [p.geonameid for p in g.children("RU.25.563697")] == [545575]


def test_parents(tiny_gazetteer: Gazetteer) -> None:
    chain = [p.geonameid for p in tiny_gazetteer.parents(545575)]
    assert chain[:3] == [563697, 553899, 2017370]
    # no hierarchy rows for Long Beach: the admin codes give the chain
    assert [p.geonameid for p in tiny_gazetteer.parents(5367929)] == [5368381, 5332921, 6252001]


def test_admin_unit(tiny_gazetteer: Gazetteer) -> None:
    assert tiny_gazetteer.admin_unit("RU.25").geonameid == 553899
    assert tiny_gazetteer.admin_unit("RU.25.563697").geonameid == 563697
    assert tiny_gazetteer.admin_unit("ru").geonameid == 2017370
    assert tiny_gazetteer.admin_unit("RU.99") is None


@pytest.mark.parametrize(("parent", "child", "inside", "method"), [
    (553899, 545575, True, "codes"),
    (553899, 1516589, False, "codes"),
    (563697, 545575, True, "codes"),
    (462752, 545575, False, "codes"),
    (2017370, 545575, True, "codes"),
    (1522867, 545575, False, "codes"),
    (2017370, 1516589, False, "codes"),
])
def test_contains(tiny_gazetteer: Gazetteer, parent: int, child: int, inside: bool,
                  method: str) -> None:
    verdict = tiny_gazetteer.contains(parent, child)
    assert isinstance(verdict, Containment)
    assert (verdict.inside, verdict.method) == (inside, method)
    assert verdict.evidence


def test_contains_by_hierarchy_and_unknown(tiny_gazetteer: Gazetteer) -> None:
    europe = tiny_gazetteer.get(6255148)
    verdict = tiny_gazetteer.contains(europe, 553899)
    assert (verdict.inside, verdict.method) == (True, "hierarchy")
    assert "Europe" in verdict.evidence
    unknown = tiny_gazetteer.contains(europe, 5367929)
    assert (unknown.inside, unknown.method) == (None, "none")


# -- by position -------------------------------------------------------------------------


def test_nearest(tiny_gazetteer: Gazetteer) -> None:
    found = tiny_gazetteer.nearest(54.81, 35.93, limit=4)
    assert found[0][0].geonameid == 545575 and found[0][1] < 1
    distances = [km for _, km in found]
    assert distances == sorted(distances) and len(found) == 4
    assert [p.feature_class for p, _ in tiny_gazetteer.nearest(54.81, 35.93, feature_class="P")
            ] == ["P", "P"]
    assert tiny_gazetteer.nearest(0.0, -150.0) == []


def test_haversine() -> None:
    assert haversine_km(54.5, 36.0, 54.5, 36.0) == 0
    assert haversine_km(0, 0, 0, 180) == pytest.approx(20015, rel=1e-3)


# -- the object itself -------------------------------------------------------------------


def test_pickle_round_trip(tiny_gazetteer: Gazetteer) -> None:
    copy = pickle.loads(pickle.dumps(tiny_gazetteer))
    try:
        assert copy.path == tiny_gazetteer.path and copy is not tiny_gazetteer
        assert _ids(copy.search("Kaluga region"))[0] == 553899
    finally:
        copy.close()


def test_repr_and_context_manager(tiny_index_path: Path) -> None:
    with Gazetteer(str(tiny_index_path)) as gaz:
        assert repr(gaz) == f"Gazetteer({str(tiny_index_path)!r})"
    with pytest.raises(sqlite3.ProgrammingError):
        gaz.get(553915)


def test_missing_path_raises_index_not_found(tmp_path: Path) -> None:
    with pytest.raises(IndexNotFoundError, match=r"no gazetteer index at .*build"):
        Gazetteer(tmp_path / "nope.sqlite")
    with pytest.raises(FileNotFoundError):
        Gazetteer(tmp_path)


def test_non_index_file_raises_helpful_error(tmp_path: Path) -> None:
    junk = tmp_path / "notes.sqlite"
    junk.write_text("these are not the droids\n" * 100)
    with pytest.raises(GazetteerError, match=r"is not a gazetteer index .*mapper gazetteer build"):
        Gazetteer(junk)


def test_other_sqlite_file_raises_helpful_error(tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE t (x)")
    db.close()
    with pytest.raises(GazetteerError, match="not a gazetteer index"):
        Gazetteer(other)


def test_wrong_schema_version_says_rebuild(tmp_path: Path, tiny_index_path: Path) -> None:
    old = tmp_path / "old.sqlite"
    old.write_bytes(tiny_index_path.read_bytes())
    with sqlite3.connect(old) as db:
        db.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    db.close()
    with pytest.raises(GazetteerError, match=r"schema 0.*rebuild"):
        Gazetteer(old)


# -- facts that must hold on the default index -------------------------------------------


@pytest.mark.parametrize(("query", "kwargs", "first"), [
    ("Kaluga region", {}, 553899),
    ("Leningrad region", {}, 536199),
    ("Dzerzhinsky district", {"within": "RU.25"}, 563697),
    ("Dzhezkazgan", {}, 1516589),
    ("Paris", {}, 2988507),
])
def test_default_facts_first(default_gazetteer: Gazetteer, query: str,
                             kwargs: dict[str, str], first: int) -> None:
    assert _ids(default_gazetteer.search(query, **kwargs))[0] == first


@pytest.mark.parametrize(("query", "country"), [
    ("Plymouth", "GB"),   # not the abandoned capital of Montserrat
    ("Hamilton", "CA"),   # not the capital of Bermuda, a village of 900
    ("Kingston", "JM"),   # a capital of a million still comes first
])
def test_a_village_capital_weighs_as_a_village(default_gazetteer: Gazetteer, query: str,
                                               country: str) -> None:
    assert default_gazetteer.search(query)[0].place.country_code == country


def test_a_merged_spelling_is_no_exact_name(default_gazetteer: Gazetteer) -> None:
    # "Sahara" reaches Sukkur only as the merged spelling of its alternate name "Sakhkhara"
    (match,) = [m for m in default_gazetteer.search("Sahara") if m.place.geonameid == 1164408]
    assert match.how == "transliteration variant"
    assert match.score < default_gazetteer.search("Sukkur")[0].score


def test_odd_ids_and_codes_find_nothing(default_gazetteer: Gazetteer) -> None:
    assert default_gazetteer.find(2**63) is None
    with pytest.raises(PlaceNotFoundError):
        default_gazetteer.get(-(2**70))
    # digits of other scripts are no geonameid: "٣" is not place 3
    assert default_gazetteer.admin_code_of("\u0663") == "\u0663"


def test_default_dzhezkazgan_is_in_kazakhstan(default_gazetteer: Gazetteer) -> None:
    assert default_gazetteer.search("Dzhezkazgan")[0].place.country_code == "KZ"


def test_default_aleppo_city_and_governorate(default_gazetteer: Gazetteer) -> None:
    assert {170063, 170062} <= set(_ids(default_gazetteer.search("Aleppo")))


def test_default_containment(default_gazetteer: Gazetteer) -> None:
    assert default_gazetteer.contains(553899, 545575).inside is True
    assert default_gazetteer.contains(553899, 1516589).inside is False


def test_default_children_and_fuzzy(default_gazetteer: Gazetteer) -> None:
    assert 563697 in {p.geonameid for p in default_gazetteer.children("RU.25",
                                                                      feature_code="ADM2")}
    assert 563697 in _ids(default_gazetteer.search("Dzerzinsky", within="RU.25"))


@pytest.mark.parametrize("name", ["Middle East", "Baltic Sea", "West Africa"])
def test_fuzzy_many_word_names_match_word_for_word(default_gazetteer: Gazetteer,
                                                  name: str) -> None:
    # "Middle Rasen", "Baltic" (a town), "West Warwick" share a word and nothing else
    assert [m for m in default_gazetteer.search(name) if m.how == "fuzzy"] == []


@pytest.mark.parametrize(("name", "expected"), [("Col San Matrino", "Col San Martino"),
                                                ("Glsgow City", "Glasgow City")])
def test_fuzzy_many_word_names_with_typos_still_match(default_gazetteer: Gazetteer,
                                                      name: str, expected: str) -> None:
    assert default_gazetteer.search(name)[0].place.name == expected


def test_a_region_named_only_by_its_parts(default_gazetteer: Gazetteer) -> None:
    # North, South, West, East and Central Darfur: no unit is "Darfur" itself
    found = default_gazetteer.search("Darfur")[0]
    assert found.place.country_code == "SD" and found.place.name.endswith("Darfur")
    assert found.how == "centre of the units named after it"


def test_default_nearest_ascending(default_gazetteer: Gazetteer) -> None:
    found = default_gazetteer.nearest(54.5293, 36.27542, limit=10)
    assert found[0][0].geonameid == 553915
    distances = [km for _, km in found]
    assert distances == sorted(distances) and len(found) == 10


def test_a_short_name_before_its_designator_is_spelt_as_is(default_gazetteer: Gazetteer) -> None:
    # "WA state" is Washington; "WA" is no transliteration of "Va." (Virginia)
    found = default_gazetteer.search("WA state")
    assert found and found[0].place.name == "Washington"
    assert all(m.place.name != "Virginia" for m in found)
