"""Tests for mapper.pipeline: geoparse, Geoparser, resolve, geoparse_frame, extract."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from gazetteer import Gazetteer
from mapper.errors import InputError
from mapper.model import Article, Problem
from mapper.pipeline import Geoparser, extract, geoparse, geoparse_frame, resolve

FRAME_COLUMNS = ["id", "start", "end", "text", "geonameid", "name", "lat", "lon",
                 "feature_class", "feature_code", "country_code", "admin1_code", "admin1_name",
                 "admin2_code", "admin2_name", "score", "signals"]


@pytest.fixture(scope="module")
def parser(default_gazetteer: Gazetteer) -> Geoparser:
    return Geoparser(default_gazetteer)


def ids(text: str, gazetteer: Gazetteer) -> dict[str, int | None]:
    return {r.mention.text: (r.place.geonameid if r.place else None)
            for r in geoparse(text, gazetteer=gazetteer)}


# -- geoparse ----------------------------------------------------------------------------


def test_long_beach_california(default_gazetteer: Gazetteer) -> None:
    found = ids("Long Beach, California", default_gazetteer)
    assert found["Long Beach"] == 5367929


def test_fresno_texas_is_the_one_in_texas(default_gazetteer: Gazetteer) -> None:
    (fresno, texas) = geoparse("Fresno, Texas", gazetteer=default_gazetteer)
    assert fresno.mention.text == "Fresno"
    assert fresno.place is not None
    assert (fresno.place.country_code, fresno.place.admin1_code) == ("US", "TX")
    assert texas.place.geonameid == 4736286


def test_town_in_region(default_gazetteer: Gazetteer) -> None:
    resolutions = geoparse("Kondrovo in the Kaluga region", gazetteer=default_gazetteer)
    assert [r.place.geonameid for r in resolutions] == [545575, 553899]


def test_paris_alone_is_the_capital(default_gazetteer: Gazetteer) -> None:
    assert ids("Paris", default_gazetteer) == {"Paris": 2988507}


def test_text_without_places(default_gazetteer: Gazetteer) -> None:
    assert geoparse("", gazetteer=default_gazetteer) == []
    assert geoparse("the talks went on all night", gazetteer=default_gazetteer) == []


def test_geoparser_call_and_parse_agree(parser: Geoparser) -> None:
    text = "Shelling hit Aleppo, Syria."
    parsed = parser.parse(Article("a1", text))
    assert parsed.article.id == "a1"
    assert list(parsed.resolutions) == parser(text)
    assert [r.place.name for r in parsed.resolutions] == ["Aleppo", "Syria"]


# -- given spans -------------------------------------------------------------------------


def test_one_junk_span_does_not_blank_the_document(parser: Geoparser) -> None:
    text = "Rain hit Kondrovo and Xqzvbnm near Kaluga."
    spans = [(9, 17), (22, 29), (35, 41)]
    parsed = parser.resolve_spans(Article("j", text), spans)
    assert [(r.mention.start, r.mention.end) for r in parsed.resolutions] == spans
    kondrovo, junk, kaluga = parsed.resolutions
    assert junk.mention.text == "Xqzvbnm"
    assert junk.place is None
    assert kondrovo.place.geonameid == 545575
    assert kaluga.place is not None
    assert kaluga.place.country_code == "RU"
    line = parsed.to_dict()
    assert [m["geonameid"] is None for m in line["mentions"]] == [False, True, False]


def test_resolve_given_returns_only_the_given_spans(parser: Geoparser) -> None:
    text = "Clashes near Aleppo, Syria, spread to Idlib."
    resolutions = parser.resolve_given(text, [(13, 19)])
    assert [(r.mention.start, r.mention.end) for r in resolutions] == [(13, 19)]
    assert resolutions[0].place.geonameid == 170063
    assert any("Syria" in s for s in resolutions[0].signals)  # context still informs it


# -- many articles -------------------------------------------------------------------------


def test_extract_streams_parsed_articles(default_gazetteer: Gazetteer) -> None:
    articles = [Article("1", "Paris"), Article("2", "no places at all")]
    parsed = list(extract(articles, gazetteer=default_gazetteer))
    assert [p.article.id for p in parsed] == ["1", "2"]
    assert [r.place.geonameid for r in parsed[0].resolutions] == [2988507]
    assert parsed[1].resolutions == ()


def test_resolve_reports_records_without_spans_and_goes_on(
        default_gazetteer: Gazetteer) -> None:
    text = "Kondrovo in the Kaluga region"
    articles = [
        Article.from_dict({"id": "a", "text": text, "mentions": [{"start": 0, "end": 8}]},
                          default_id="1"),
        Article.from_dict({"id": "b", "text": text}, default_id="2"),
        Article.from_dict({"id": "c", "text": text, "mentions": [{"start": 0, "end": 99}]},
                          default_id="3"),
        Article.from_dict({"id": "d", "text": text,
                           "toponyms": [{"start": 16, "end": 22}]}, default_id="4"),
    ]
    problems: list[Problem] = []
    parsed = list(resolve(articles, gazetteer=default_gazetteer, problems=problems))
    assert [p.article.id for p in parsed] == ["a", "d"]
    assert [r.place.geonameid for r in parsed[0].resolutions] == [545575]
    assert [(r.mention.text, r.place.geonameid) for r in parsed[1].resolutions] == [
        ("Kaluga", 553899)]
    assert [p.path for p in problems] == ["record b", "record c"]
    assert "no 'mentions' or 'toponyms'" in problems[0].message
    assert "outside the text" in problems[1].message
    assert all(p.message.endswith("record skipped") for p in problems)


def test_resolve_without_a_problem_list_raises(default_gazetteer: Gazetteer) -> None:
    articles = [Article("b", "Paris")]
    with pytest.raises(InputError, match="no 'mentions' or 'toponyms'"):
        list(resolve(articles, gazetteer=default_gazetteer))


# -- data frames ---------------------------------------------------------------------------


def test_geoparse_frame_one_row_per_mention(default_gazetteer: Gazetteer) -> None:
    frame = pd.DataFrame({
        "id": ["x", "y", "z"],
        "text": ["Long Beach, California", "no places here", "Paris"],
        "outlet": ["a", "b", "c"],
    })
    out = geoparse_frame(frame, gazetteer=default_gazetteer)
    assert list(out.columns) == FRAME_COLUMNS
    assert out["id"].tolist() == ["x", "x", "z"]
    assert out["text"].tolist() == ["Long Beach", "California", "Paris"]
    assert out["geonameid"].tolist() == [5367929, 5332921, 2988507]
    assert out["score"].between(0, 1).all()
    assert all(isinstance(s, str) and s for s in out["signals"])
    json.loads(out.to_json(orient="records"))


def test_geoparse_frame_uses_the_index_without_an_id_column(
        default_gazetteer: Gazetteer) -> None:
    frame = pd.DataFrame({"body": ["Paris", "Kondrovo"]}, index=[10, 11])
    out = geoparse_frame(frame, text_column="body", gazetteer=default_gazetteer)
    assert out["id"].tolist() == [10, 11]


def test_geoparse_frame_without_places_has_the_columns(default_gazetteer: Gazetteer) -> None:
    out = geoparse_frame(pd.DataFrame({"text": ["nothing"]}), gazetteer=default_gazetteer)
    assert out.empty
    assert list(out.columns) == FRAME_COLUMNS


def test_geoparse_frame_missing_and_byte_texts(default_gazetteer: Gazetteer) -> None:
    frame = pd.DataFrame({"id": [1, 2, 3], "text": [float("nan"), None, b"Fire in Paris."]})
    out = geoparse_frame(frame, gazetteer=default_gazetteer)
    assert out[["id", "text"]].values.tolist() == [[3, "Paris"]]


def test_geoparse_frame_missing_text_column(default_gazetteer: Gazetteer) -> None:
    frame = pd.DataFrame({"body": ["Paris"]})
    with pytest.raises(InputError, match="no column 'text'"):
        geoparse_frame(frame, gazetteer=default_gazetteer)


def test_a_given_regional_adjective_reads_as_its_region(parser: Geoparser) -> None:
    text = "A bench in the English city of Salisbury was cordoned off."
    start = text.index("English")
    (r,) = parser.resolve_given(text, [(start, start + 7)])
    assert (r.place.name, r.place.feature_code) == ("England", "ADM1")
    # in running text the word is a language or a league far more often: not a mention
    assert "English" not in {m.mention.text for m in parser("She teaches English.")}


def test_a_near_spelling_nothing_supports_is_no_answer_in_an_article(parser: Geoparser,
                                                                    ) -> None:
    # "Kalgua" is no place; the article's other place is in Brazil, far from Kaluga
    text = "Officials in Kalgua and Recife met on Monday."
    kalgua, _ = parser.resolve_given(text, [(13, 19), (24, 30)])
    assert kalgua.place is None
    assert "Kaluga" in {a.name for a in kalgua.alternatives}
    assert kalgua.signals == ("only near spellings, which nothing in the text supports",)
    # beside Roslavl, a misspelt Smolensk is supported by where the article is
    text = "Officials in Smolensq and Roslavl met on Monday."
    smolensk, _ = parser.resolve_given(text, [(13, 21), (26, 33)])
    assert smolensk.place is not None and smolensk.place.name == "Smolensk"
    # the country alone is too little: Tula is in Russia but 300 km away
    text = "Officials in Smolensq and Tula met on Monday."
    smolensk, _ = parser.resolve_given(text, [(13, 21), (26, 30)])
    assert smolensk.place is None and "Smolensk" in {a.name for a in smolensk.alternatives}


def test_a_near_spelling_stays_an_answer_alone_or_inside_its_stated_region(
        parser: Geoparser) -> None:
    (row,) = parser.resolve_given("Kalgua", [(0, 6)], best_guess=True)  # to geocode
    assert row.place is not None and "fuzzy" in row.signals
    (alone,) = parser.resolve_given("Kalgua", [(0, 6)])  # an article of one name
    assert alone.place is None
    text = "A drone hit Kondrovvo in the Kaluga region."
    start = text.index("Kondrovvo")
    town, _ = parser.resolve_given(text, [(start, start + 9), (29, 35)])
    assert town.place is not None and town.place.geonameid == 545575


@pytest.mark.parametrize("spans", [
    [(100, 120)], [(5, 3)], [(0, 0)], [(-7, -1)], [(True, 5)], [(13.0, 20.0)], [(0, 10**20)],
    [(1, 2, 3)], ["ab"],
])
def test_resolve_given_rejects_invalid_spans(parser: Geoparser, spans: list) -> None:
    with pytest.raises(InputError):
        parser.resolve_given("Shelling hit Kharkiv and Paris, France.", spans)


def test_resolve_given_keeps_the_order_and_repeats_given(parser: Geoparser) -> None:
    text = "Shelling hit Kharkiv and Paris, France."
    out = parser.resolve_given(text, [[25, 30], (13, 20), (25, 30)])  # lists, as JSON gives
    assert [r.mention.text for r in out] == ["Paris", "Kharkiv", "Paris"]


def test_the_geoparse_example_of_the_docstring(default_gazetteer: Gazetteer) -> None:
    found = geoparse("Fresno, Texas", gazetteer=default_gazetteer)
    assert [r.place.geonameid for r in found] == [4692400, 4736286]


def test_a_geoparser_goes_to_another_process(default_gazetteer: Gazetteer) -> None:
    import pickle

    parser = Geoparser(default_gazetteer)
    copy = pickle.loads(pickle.dumps(parser))
    text = "Shelling hit Aleppo, Syria."
    assert [r.place.geonameid for r in copy(text)] == [r.place.geonameid for r in parser(text)]


def test_a_closed_gazetteer_is_not_kept_for_later_calls(default_gazetteer: Gazetteer,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from mapper import pipeline

    monkeypatch.setattr(pipeline, "_DEFAULT", {})  # whatever earlier tests cached
    with Gazetteer(default_gazetteer.path) as first:
        assert geoparse("Rain in Kaluga.", gazetteer=first)
    assert first.closed
    (found,) = geoparse("Rain in Kaluga.", gazetteer=Gazetteer(default_gazetteer.path))
    assert found.place.name == "Kaluga"


def test_a_misspelt_id_column_is_an_input_error(default_gazetteer: Gazetteer) -> None:
    frame = pd.DataFrame({"doc_id": [1], "text": ["Paris"]})
    with pytest.raises(InputError, match="no id column 'doc'"):
        geoparse_frame(frame, id_column="doc", gazetteer=default_gazetteer)


def test_frame_dtypes_do_not_depend_on_the_data(default_gazetteer: Gazetteer) -> None:
    some = geoparse_frame(pd.DataFrame({"text": ["Rain in Xqzvbnm district and Paris."]}),
                          gazetteer=default_gazetteer)
    none = geoparse_frame(pd.DataFrame({"text": ["nothing"]}), gazetteer=default_gazetteer)
    assert str(some["geonameid"].dtype) == str(none["geonameid"].dtype) == "Int64"
    assert some["geonameid"].isna().any()  # the unresolved district keeps its row
    assert some.dtypes.drop("id").equals(none.dtypes.drop("id"))


def test_spans_as_an_array_of_records_as_parquet_gives_them(
        default_gazetteer: Gazetteer) -> None:
    import numpy as np

    spans = np.array([{"start": 0, "end": 5}], dtype=object)
    article = Article("p", "Paris is calm.", extra=(("mentions", spans),))
    (parsed,) = resolve([article], gazetteer=default_gazetteer)
    assert [r.place.geonameid for r in parsed.resolutions] == [2988507]


def test_a_timestamp_published_is_cited_as_a_date(default_gazetteer: Gazetteer) -> None:
    from mapper.pipeline import incidents_frame

    frame = pd.DataFrame({"id": ["t"], "text": ["A drone was shot down over Kaluga."],
                          "published": [pd.Timestamp("2024-08-27")]})
    (row,) = incidents_frame(frame, gazetteer=default_gazetteer).to_dict("records")
    assert row["date"] == "2024-08-27"
    assert row["sources"][0]["published"] == "2024-08-27"


def test_wrong_inputs_say_what_to_pass(default_gazetteer: Gazetteer) -> None:
    from mapper.pipeline import check, incidents

    frame = pd.DataFrame({"text": ["Paris"]})
    with pytest.raises(TypeError, match="geoparse_frame"):
        geoparse(None, gazetteer=default_gazetteer)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="for a DataFrame use geoparse_frame"):
        next(check(frame, gazetteer=default_gazetteer))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="expected Article objects, got str"):
        incidents(["Paris"], gazetteer=default_gazetteer)  # type: ignore[list-item]
    with pytest.raises(TypeError, match="pass a list"):
        incidents(Article("1", "Paris"), gazetteer=default_gazetteer)  # type: ignore[arg-type]

