"""Tests for places named inside longer names ("Bank of Mexico" → Mexico)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gazetteer import Gazetteer
from mapper.inner_names import inner_names
from mapper.pipeline import Geoparser


@pytest.fixture(scope="module")
def parser(default_gazetteer: Gazetteer) -> Geoparser:
    return Geoparser(default_gazetteer)


def surfaces(text: str) -> list[list[str]]:
    return [[n.surface for n in group] for group in inner_names(text)]


def every_part(text: str) -> set[str]:
    return {n.surface for group in inner_names(text) for n in group}


def resolve_span(parser: Geoparser, text: str, span: str):
    start = text.index(span)
    (resolution,) = parser.resolve_given(text, [(start, start + len(span))])
    return resolution


def test_parts_longest_first() -> None:
    assert surfaces("Walker County Police Office") == [
        [], ["Walker County"], ["Walker"]]


def test_stop_words_neither_open_nor_close_a_part() -> None:
    assert surfaces("Colorado State University") == [["Colorado State"], ["Colorado"]]
    assert surfaces("Tokyo Royal Court House") == [[], [], ["Tokyo"]]


def test_demonym_opening_the_name_reads_as_its_country() -> None:
    (part,) = inner_names("Mexican Senate")[0]
    assert (part.lookup, part.is_demonym) == ("country:MX", True)
    assert not any(p.is_demonym for g in inner_names("Latin American Studies") for p in g)


@pytest.mark.parametrize("text", [
    "Indian Ocean", "Niger Delta", "Atlantic Avenue", "Eastern Ukraine", "SW Georgia",
    "British Embassy", "Washington Township", "PLYMOUTH CO.", "Jammu & Kashmir", "Kyiv"])
def test_no_parts_where_the_place_is_not_where_the_thing_is(text: str) -> None:
    assert inner_names(text) == []


def test_people_are_not_places() -> None:
    assert "Jones" not in every_part("Paul Jones Hall")
    assert "George" not in every_part("St George Chapel")


@given(st.lists(st.sampled_from(["Bank", "of", "Mexico", "New", "York", "Art", "Show",
                                 "and", "Dubai", "Central"]), min_size=0, max_size=10))
def test_parts_are_runs_of_the_name_shorter_than_it(words: list[str]) -> None:
    text = " ".join(words)
    groups = inner_names(text)
    if not groups:
        return
    for size, group in zip(range(len(words) - 1, 0, -1), groups, strict=True):
        for part in group:
            assert part.last - part.first == size
            assert part.surface == " ".join(words[part.first:part.last])


def test_organisation_named_after_a_city(parser: Geoparser) -> None:
    r = resolve_span(parser, "Thousands ran in the Dubai Marathon on Friday.", "Dubai Marathon")
    assert (r.place.name, r.place.country_code) == ("Dubai", "AE")
    assert "named after 'Dubai'" in r.signals


def test_university_named_after_a_province(parser: Geoparser) -> None:
    text = "She studies rocks at the University of Alberta."
    r = resolve_span(parser, text, "University of Alberta")
    assert (r.place.feature_code, r.place.country_code) == ("ADM1", "CA")


def test_small_town_only_when_the_article_names_it(parser: Geoparser) -> None:
    alone = "The Kondrovo Sports Club won again."
    assert resolve_span(parser, alone, "Kondrovo Sports Club").place is None
    text = "The Kondrovo Sports Club won again. Kondrovo lies south of Kaluga."
    start = text.index("Kondrovo Sports Club")
    second = text.index("Kondrovo lies")
    club, town = parser.resolve_given(text, [(start, start + 20), (second, second + 8)])
    assert club.place is not None and club.place.geonameid == town.place.geonameid == 545575


def test_natural_feature_is_not_the_country_it_names(parser: Geoparser) -> None:
    r = resolve_span(parser, "Storms crossed the Indian Ocean.", "Indian Ocean")
    assert r.place is None or r.place.country_code != "IN"


def test_a_person_named_building_is_no_place(parser: Geoparser) -> None:
    text = "Pupils left the Marjory Stoneman Douglas High School at noon."
    r = resolve_span(parser, text, "Marjory Stoneman Douglas High School")
    assert not any(s.startswith("named after") for s in r.signals)


@pytest.mark.parametrize(("text", "span", "name", "code"), [
    ("Fans of Ohio State University cheered.", "Ohio State University", "Ohio", "ADM1"),
    ("The Mexico City Marathon began at dawn.", "Mexico City Marathon", "Mexico City", "PPLC"),
    ("Doctors at Children's Hospital of Philadelphia agreed.",
     "Children's Hospital of Philadelphia", "Philadelphia", None),
    ("The New York Times reported it first.", "New York Times", "New York City", "PPL"),
])
def test_common_institution_names(parser: Geoparser, text: str, span: str, name: str,
                                  code: str | None) -> None:
    r = resolve_span(parser, text, span)
    assert r.place is not None and r.place.name == name
    assert code is None or r.place.feature_code == code
