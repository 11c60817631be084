"""Tests for ``mapper.geocode``: place strings to places, offline, on the default index."""

from __future__ import annotations

import pytest

from gazetteer import Gazetteer
from mapper.geocode import Geocoder, geocode


@pytest.fixture(scope="module")
def coder(default_gazetteer: Gazetteer) -> Geocoder:
    return Geocoder(default_gazetteer)


@pytest.mark.parametrize(("text", "geonameid"), [
    ("Springfield, IL", 4250542),          # the Illinois capital, not the biggest one
    ("Kaluga region", 553899),             # the oblast, not the city
    ("Kyiv", 703448),
    ("Long Beach, CA", 5367929),           # California, not New York or Mississippi
    ("Kyiv, Ukraine", 703448),
    ("  Kyiv  ", 703448),
    ("Dzerzhinsky district, Kaluga region", 563697),
])
def test_place_strings(coder: Geocoder, text: str, geonameid: int) -> None:
    res = coder(text)
    assert res.place is not None, res.signals
    assert res.place.geonameid == geonameid
    assert 0 < res.score <= 1


def test_state_code_after_a_comma_reads_as_the_state(coder: Geocoder) -> None:
    res = coder("Springfield, IL")
    assert res.place is not None
    assert (res.place.admin1_code, res.place.admin1_name) == ("IL", "Illinois")


@pytest.mark.parametrize(("country", "expected"), [("FR", "FR"), ("US", "US"), (" us ", "US")])
def test_country_narrows_the_search(coder: Geocoder, country: str, expected: str) -> None:
    res = coder("Paris", country=country)
    assert res.place is not None
    assert res.place.country_code == expected
    if expected == "FR":
        assert res.place.geonameid == 2988507
    else:
        assert res.place.geonameid != 2988507
        assert f"country {expected} given" in res.signals


def test_country_without_such_a_place_is_unresolved(coder: Geocoder) -> None:
    res = coder("Paris", country="ZZ")
    assert res.place is None
    assert res.signals == ("no place called 'Paris' in ZZ",)


def test_context_lends_evidence(coder: Geocoder) -> None:
    alone = coder("Springfield")
    near_boston = coder("Springfield", context="Protests in Boston, Massachusetts.")
    assert near_boston.place is not None and alone.place is not None
    assert near_boston.place.admin1_code == "MA"
    assert near_boston.place.geonameid != alone.place.geonameid
    assert "near other places in the article" in near_boston.signals


def test_context_spans_index_the_name_itself(coder: Geocoder) -> None:
    res = coder("Long Beach", context="Storms hit Sydney, New South Wales, on Monday.")
    assert res.place is not None and res.place.country_code == "AU"
    assert (res.mention.start, res.mention.end, res.mention.text) == (0, 10, "Long Beach")


def test_context_and_country_together(coder: Geocoder) -> None:
    res = coder("Long Beach", country="US", context="Storms hit Sydney, New South Wales.")
    assert res.place is not None and res.place.country_code == "US"


@pytest.mark.parametrize("text", ["", "   "])
def test_empty_string_is_unresolved_with_a_reason(coder: Geocoder, text: str) -> None:
    res = coder(text)
    assert res.place is None
    assert res.score == 0.0
    assert res.signals == ("empty place string",)


def test_unknown_name_is_unresolved_with_a_reason(coder: Geocoder) -> None:
    res = coder("Xqzzyville")
    assert res.place is None
    assert res.signals == ("no candidate in the gazetteer",)
    assert res.to_dict()["geonameid"] is None


def test_results_are_cached(coder: Geocoder) -> None:
    assert coder("Kyiv") is coder(" Kyiv ")
    assert coder("Paris", country="fr") is coder("Paris", country="FR")


def test_no_fallback_by_default(coder: Geocoder) -> None:
    assert coder.fallback is None


def test_geocode_keeps_order_and_aligns_countries_and_contexts(
        default_gazetteer: Gazetteer) -> None:
    names = ["Paris", "Paris", "", "Springfield", "Xqzzyville"]
    countries = ["FR", "US", None, None, None]
    contexts = [None, None, None, "Protests in Boston, Massachusetts.", None]
    results = list(geocode(names, countries=countries, contexts=contexts,
                           gazetteer=default_gazetteer))
    assert len(results) == len(names)
    assert [r.place.country_code if r.place else None for r in results] == [
        "FR", "US", None, "US", None]
    assert results[3].place is not None and results[3].place.admin1_code == "MA"
    assert results[2].signals == ("empty place string",)


def test_geocode_streams(default_gazetteer: Gazetteer) -> None:
    def names() -> object:
        yield "Kyiv"
        raise RuntimeError("read too far")

    results = geocode(names(), gazetteer=default_gazetteer)  # type: ignore[arg-type]
    first = next(results)
    assert first.place is not None and first.place.geonameid == 703448
    with pytest.raises(RuntimeError):
        next(results)


def test_geocode_on_the_tiny_index(tiny_gazetteer: Gazetteer) -> None:
    [res] = geocode(["Kaluga region"], gazetteer=tiny_gazetteer)
    assert res.place is not None and res.place.geonameid == 553899


def test_commas_only_is_unresolved_not_a_crash(default_gazetteer) -> None:
    from mapper.geocode import geocode

    [res] = geocode([","], gazetteer=default_gazetteer)
    assert res.place is None
    [res] = geocode([" , "], contexts=["Rain in Kyiv."], gazetteer=default_gazetteer)
    assert res.place is None


def test_a_misspelt_row_still_gets_its_best_guess() -> None:
    from mapper.geocode import geocode

    (row,) = geocode(["Sprngfield, IL"])
    assert row.place is not None and row.place.admin1_code == "IL"
