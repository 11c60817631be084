"""Tests for mapper.check: verdicts on "X in Y" claims, evidence, suggestions, the contract."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gazetteer import Gazetteer
from mapper.check import Checker, check_resolutions, name_similarity
from mapper.model import VERDICTS, Article, Finding, Mention, Resolution
from mapper.pipeline import Geoparser, check, geoparse

KALUGA = 553899
DZERZHINSKIY_RAYON = 563697
KONDROVO = 545575
ZHEZQAZGHAN = 1516589

# Our own sentence in the shape of the garbled reports this command exists for.
DEMO = ("Overnight, air defence crews shot down a drone over the territory of Dzhezkazgan "
        "district in the Kaluga region, the governor wrote.")

FINDING_KEYS = {"place", "parent", "verdict", "place_geonameid", "parent_geonameid", "actual",
                "suggestions", "evidence", "method", "data"}
SPAN_KEYS = {"start", "end", "text"}


@pytest.fixture(scope="module")
def parser(default_gazetteer: Gazetteer) -> Geoparser:
    return Geoparser(default_gazetteer)


def findings_of(parser: Geoparser, text: str) -> list[Finding]:
    return list(parser.check(Article("t", text)).findings)


def only_finding(parser: Geoparser, text: str) -> Finding:
    findings = findings_of(parser, text)
    assert len(findings) == 1, findings
    return findings[0]


# -- the demo: a district placed in the wrong country ----------------------------------------


def test_demo_is_inconsistent_and_says_where_it_really_is(parser: Geoparser) -> None:
    finding = only_finding(parser, DEMO)
    assert finding.verdict == "inconsistent"
    assert finding.place[2] == "Dzhezkazgan"
    assert finding.parent[2] == "Kaluga"
    assert finding.place_geonameid == ZHEZQAZGHAN
    assert finding.parent_geonameid == KALUGA
    assert finding.actual is not None
    assert finding.actual["geonameid"] == ZHEZQAZGHAN
    assert finding.actual["country_code"] == "KZ"
    assert 2_000 <= finding.actual["distance_km"] <= 2_700
    assert finding.actual["inside_in_older_data"] is False


def test_demo_suggests_the_district_the_writer_meant(parser: Geoparser) -> None:
    finding = only_finding(parser, DEMO)
    assert finding.suggestions
    top = finding.suggestions[0]
    assert top.geonameid == DZERZHINSKIY_RAYON
    assert 0 < top.score <= 1
    scores = [s.score for s in finding.suggestions]
    assert scores == sorted(scores, reverse=True)
    assert "Dzerzhinskiy Rayon" in finding.evidence  # "did you mean …?"


def test_demo_evidence_names_the_country_and_the_distance(parser: Geoparser) -> None:
    evidence = only_finding(parser, DEMO).evidence
    assert "KZ" in evidence or "Kazakhstan" in evidence
    assert re.search(r"\d[\d,]* km", evidence), evidence


def test_demo_records_method_and_data(parser: Geoparser,
                                      default_gazetteer: Gazetteer) -> None:
    finding = only_finding(parser, DEMO)
    assert finding.method != "none"
    assert default_gazetteer.path.name in finding.data


# -- consistent claims -------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "place_id"), [
    ("Dzerzhinsky district in the Kaluga region", DZERZHINSKIY_RAYON),
    ("Kondrovo in the Kaluga region", KONDROVO),
    ("Long Beach, California", 5367929),
])
def test_true_claims_are_consistent(parser: Geoparser, text: str, place_id: int) -> None:
    finding = only_finding(parser, text)
    assert finding.verdict == "consistent"
    assert finding.place_geonameid == place_id
    assert finding.actual is None
    assert finding.suggestions == ()
    assert finding.evidence


def test_fresno_texas_is_the_fresno_in_texas(parser: Geoparser,
                                             default_gazetteer: Gazetteer) -> None:
    finding = only_finding(parser, "Fresno, Texas")
    assert finding.verdict == "consistent"
    assert finding.parent_geonameid == 4736286
    place = default_gazetteer.get(finding.place_geonameid)
    assert place.name == "Fresno"
    assert (place.country_code, place.admin1_code) == ("US", "TX")


# -- inconsistent and unknown ------------------------------------------------------------------


def test_pune_is_not_in_karnataka(parser: Geoparser) -> None:
    finding = only_finding(parser, "Pune, Karnataka")
    assert finding.verdict == "inconsistent"
    assert finding.place[2] == "Pune"
    assert finding.actual is not None
    assert finding.actual["admin1_name"] == "Maharashtra"
    assert finding.actual["country_code"] == "IN"
    assert "Maharashtra" in finding.evidence


def test_invented_district_is_unknown_with_suggestions_inside_the_region(
        parser: Geoparser, default_gazetteer: Gazetteer) -> None:
    finding = only_finding(parser, "Blorptown district in the Kaluga region")
    assert finding.verdict == "unknown-place"
    assert finding.place[2] == "Blorptown"
    assert finding.place_geonameid is None
    assert finding.parent_geonameid == KALUGA
    assert finding.actual is None
    assert finding.suggestions
    kaluga = default_gazetteer.get(KALUGA)
    for suggestion in finding.suggestions:
        place = default_gazetteer.get(suggestion.geonameid)
        assert (place.country_code, place.admin1_code) == (
            kaluga.country_code, kaluga.admin1_code), suggestion
    assert "Blorptown" in finding.evidence


def test_boundary_change_is_explained(parser: Geoparser) -> None:
    finding = only_finding(parser, "Zhezkazgan, Karaganda region")
    assert finding.verdict == "inconsistent"
    assert finding.place_geonameid == ZHEZQAZGHAN
    assert finding.actual is not None
    assert finding.actual["inside_in_older_data"] is True
    assert "older data" in finding.evidence
    assert "boundary changed" in finding.evidence
    assert "older vintage" in finding.method


def test_a_list_of_places_is_not_a_claim(parser: Geoparser) -> None:
    assert findings_of(parser, "Paris, London and Berlin") == []


def test_text_without_claims(parser: Geoparser) -> None:
    assert findings_of(parser, "") == []
    assert findings_of(parser, "Kondrovo was quiet.") == []


# -- the contract --------------------------------------------------------------------------


CONTRACT_TEXTS = [
    DEMO,
    "Kondrovo in the Kaluga region",
    "Pune, Karnataka",
    "Blorptown district in the Kaluga region",
    "Zhezkazgan, Karaganda region",
]


@pytest.mark.parametrize("text", CONTRACT_TEXTS)
def test_finding_to_dict_is_the_contract(parser: Geoparser, text: str) -> None:
    (finding,) = findings_of(parser, text)
    data = finding.to_dict()
    assert set(data) == FINDING_KEYS
    for key in ("place", "parent"):
        span = data[key]
        assert set(span) == SPAN_KEYS
        assert text[span["start"]:span["end"]] == span["text"]
    assert data["verdict"] in VERDICTS
    for suggestion in data["suggestions"]:
        assert {"geonameid", "name", "score"} <= set(suggestion)
        assert isinstance(suggestion["geonameid"], int)
        assert 0 < suggestion["score"] <= 1
    if data["actual"] is not None:
        assert {"geonameid", "name", "country_code", "distance_km"} <= set(data["actual"])
    assert isinstance(data["evidence"], str)
    assert data["evidence"]
    assert json.loads(json.dumps(data)) == data


def test_checked_article_to_dict(parser: Geoparser) -> None:
    checked = parser.check(Article("a7", DEMO))
    data = checked.to_dict()
    assert set(data) == {"id", "findings"}
    assert data["id"] == "a7"
    assert [f["verdict"] for f in data["findings"]] == ["inconsistent"]
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data


def test_repr_is_short(parser: Geoparser) -> None:
    assert repr(only_finding(parser, DEMO)) == "Finding('Dzhezkazgan' in 'Kaluga': inconsistent)"


_NAME = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=12).map(
    str.capitalize)


@settings(max_examples=40, deadline=None)
@given(place=_NAME, region=st.sampled_from(["Kaluga", "Karaganda", "Texas", "Karnataka"]),
       template=st.sampled_from(["{p} district in the {r} region", "{p}, {r}",
                                 "A blast hit {p} in the {r} region.",
                                 "{p} town in {r} region"]))
def test_any_claim_keeps_the_contract(parser: Geoparser, place: str, region: str,
                                      template: str) -> None:
    text = template.format(p=place, r=region)
    for finding in findings_of(parser, text):
        data = finding.to_dict()
        assert set(data) == FINDING_KEYS
        assert data["verdict"] in VERDICTS
        for key in ("place", "parent"):
            assert text[data[key]["start"]:data[key]["end"]] == data[key]["text"]
        assert json.loads(json.dumps(data)) == data


# -- geoparse carries the findings -----------------------------------------------------------


def test_geoparse_attaches_the_finding_to_the_mention(default_gazetteer: Gazetteer) -> None:
    resolutions = geoparse(DEMO, gazetteer=default_gazetteer)
    by_text = {r.mention.text: r for r in resolutions}
    dzhezkazgan = by_text["Dzhezkazgan"]
    assert dzhezkazgan.place is not None
    assert dzhezkazgan.place.geonameid == ZHEZQAZGHAN
    (finding,) = dzhezkazgan.findings
    assert finding.verdict == "inconsistent"
    assert finding.place[:2] == (dzhezkazgan.mention.start, dzhezkazgan.mention.end)
    data = dzhezkazgan.to_dict()
    assert [f["verdict"] for f in data["findings"]] == ["inconsistent"]
    assert data["findings"][0]["suggestions"][0]["geonameid"] == DZERZHINSKIY_RAYON
    # the region itself makes no claim, so its mention has no findings key
    kaluga = by_text["Kaluga"]
    assert kaluga.findings == ()
    assert "findings" not in kaluga.to_dict()


def test_geoparse_and_check_agree(parser: Geoparser) -> None:
    from_geoparse = [f for r in parser(DEMO) for f in r.findings]
    assert from_geoparse == findings_of(parser, DEMO)


# -- the API functions and the Checker directly -----------------------------------------------


def test_check_streams_one_result_per_article(default_gazetteer: Gazetteer) -> None:
    articles = [Article("a", DEMO), Article("b", "Nothing here."),
                Article("c", "Kondrovo in the Kaluga region")]
    checked = list(check(articles, gazetteer=default_gazetteer))
    assert [c.article.id for c in checked] == ["a", "b", "c"]
    assert [[f.verdict for f in c.findings] for c in checked] == [
        ["inconsistent"], [], ["consistent"]]


def test_check_resolutions_matches_the_parser(parser: Geoparser,
                                              default_gazetteer: Gazetteer) -> None:
    resolutions = parser.resolver.resolve(parser.recognize(DEMO))
    assert check_resolutions(resolutions, gazetteer=default_gazetteer) == findings_of(
        parser, DEMO)


def test_suggestion_limit(default_gazetteer: Gazetteer) -> None:
    kaluga = default_gazetteer.get(KALUGA)
    one = Checker(default_gazetteer, suggestions=1).suggest("Dzhezkazgan", kaluga, hint="ADM2")
    assert [s.geonameid for s in one] == [DZERZHINSKIY_RAYON]
    assert Checker(default_gazetteer, suggestions=0).suggest("Dzhezkazgan", kaluga) == []


def test_suggestions_have_distinct_names(default_gazetteer: Gazetteer) -> None:
    kaluga = default_gazetteer.get(KALUGA)
    suggestions = Checker(default_gazetteer, suggestions=10).suggest("Kaluga", kaluga)
    names = [s.name.casefold() for s in suggestions]
    assert len(names) == len(set(names))


def test_unknown_parent_is_unverifiable(default_gazetteer: Gazetteer) -> None:
    text = "Kondrovo in the Zzyzxovia region"
    child = Resolution(Mention(0, 8, "Kondrovo", parent=(16, 25)),
                       default_gazetteer.get(KONDROVO), 0.9)
    parent = Resolution(Mention(16, 25, "Zzyzxovia", designator="region", hint="ADM1"),
                        None, 0.0)
    assert text[16:25] == "Zzyzxovia"
    (finding,) = Checker(default_gazetteer).check([child, parent])
    assert finding.verdict == "unverifiable"
    assert finding.parent_geonameid is None
    assert "Zzyzxovia" in finding.evidence


def test_demonyms_make_no_claim(default_gazetteer: Gazetteer) -> None:
    child = Resolution(Mention(0, 7, "Russian", parent=(9, 15), is_demonym=True),
                       None, 0.0)
    parent = Resolution(Mention(9, 15, "Kaluga"), default_gazetteer.get(KALUGA), 0.9)
    assert Checker(default_gazetteer).check([child, parent]) == []


# -- name_similarity -------------------------------------------------------------------------


def test_name_similarity_ranks_the_intended_district_first() -> None:
    assert name_similarity("dzhezkazgan", "dzerzhinskiy") > name_similarity(
        "dzhezkazgan", "kaluga")
    assert name_similarity("", "kaluga") == 0.0
    assert name_similarity("kaluga", "") == 0.0


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30), st.text(max_size=30))
def test_name_similarity_is_a_bounded_symmetric_score(a: str, b: str) -> None:
    score = name_similarity(a, b)
    assert 0.0 <= score <= 1.0
    assert score == pytest.approx(name_similarity(b, a), abs=1e-9)


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=30))
def test_identical_names_score_the_maximum(a: str) -> None:
    assert name_similarity(a, a) >= 0.99


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=15),
       st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=15))
def test_no_name_beats_an_exact_match(a: str, b: str) -> None:
    assert name_similarity(a, b) <= name_similarity(a, a) + 1e-9


def test_demonym_after_comma_is_not_a_parent(parser) -> None:
    assert parser.check(Article("d", "Drones hit Belgorod, Ukrainian officials said.")
                        ).findings == ()


def test_each_namesake_keeps_its_own_stated_parent(parser) -> None:
    text = "Storms hit Paris, Texas. Protests were held in Paris, France."
    paris = [r.place.country_code for r in parser(text) if r.mention.text == "Paris"]
    assert paris == ["US", "FR"]


def test_lone_unknown_name_with_designator_is_not_a_near_spelling(parser) -> None:
    [res] = parser("Shots in Blorptown district.")
    assert res.place is None
