"""Tests for mapper.evaluate, on tiny examples computed by hand."""

from __future__ import annotations

import gzip
import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gazetteer import haversine_km as scalar_haversine_km
from mapper.errors import InputError
from mapper.evaluate import (
    GWN_ASSOCIATIVE,
    GWN_LITERAL,
    MAX_ERROR_KM,
    accuracy_counting_misses,
    format_report,
    group_of,
    haversine_km,
    load_gold,
    recognition_scores,
    resolution_scores,
)
from mapper.model import Mention, Problem

# -- recognition -------------------------------------------------------------------------


def test_perfect_recognition() -> None:
    s = recognition_scores([[(0, 4), (9, 15)], []], [[(9, 15), (0, 4)], []])
    assert s["documents"] == 2
    for kind in ("strict", "overlap"):
        assert s[kind] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "tp": 2, "fp": 0, "fn": 0}


def test_strict_and_overlap_differ_on_boundaries() -> None:
    # gold "Kaluga region" (0, 13) predicted as "Kaluga" (0, 6): overlap yes, strict no
    s = recognition_scores([[(0, 13), (20, 25)]], [[(0, 6), (20, 25), (30, 34)]])
    assert (s["strict"]["tp"], s["strict"]["fp"], s["strict"]["fn"]) == (1, 2, 1)
    assert (s["overlap"]["tp"], s["overlap"]["fp"], s["overlap"]["fn"]) == (2, 1, 0)
    assert s["strict"]["precision"] == pytest.approx(1 / 3)
    assert s["strict"]["recall"] == pytest.approx(1 / 2)
    assert s["strict"]["f1"] == pytest.approx(2 * (1 / 3) * (1 / 2) / (1 / 3 + 1 / 2))
    assert s["overlap"]["precision"] == pytest.approx(2 / 3)
    assert s["overlap"]["recall"] == 1.0
    assert s["overlap"]["f1"] == pytest.approx(0.8)


def test_overlap_matching_is_one_to_one() -> None:
    # one long prediction over two gold spans credits one of them only
    s = recognition_scores([[(0, 5), (6, 12)]], [[(0, 12)]])
    assert (s["overlap"]["tp"], s["overlap"]["fp"], s["overlap"]["fn"]) == (1, 0, 1)
    # two predictions inside one gold span: one is a true positive, one a false positive
    s = recognition_scores([[(0, 12)]], [[(0, 5), (6, 12)]])
    assert (s["overlap"]["tp"], s["overlap"]["fp"], s["overlap"]["fn"]) == (1, 1, 0)


def test_overlap_matching_is_maximal_whatever_the_order() -> None:
    # a greedy match of (3, 7) to (0, 5) would leave (0, 2) unmatched; the best is 2 pairs
    gold = [[(0, 5), (4, 10)]]
    for pred in ([(3, 7), (0, 2)], [(0, 2), (3, 7)]):
        assert recognition_scores(gold, [pred])["overlap"]["tp"] == 2


def test_adjacent_spans_do_not_overlap() -> None:
    s = recognition_scores([[(0, 5)]], [[(5, 9)]])
    assert s["overlap"]["tp"] == 0


def test_duplicate_predictions_count_once() -> None:
    s = recognition_scores([[(0, 5)]], [[(0, 5), (0, 5)]])
    assert (s["strict"]["tp"], s["strict"]["fp"]) == (1, 1)
    assert (s["overlap"]["tp"], s["overlap"]["fp"]) == (1, 1)


def test_nothing_predicted_or_nothing_gold_gives_zeros() -> None:
    s = recognition_scores([[(0, 5)]], [[]])
    assert s["strict"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "tp": 0, "fp": 0, "fn": 1}
    s = recognition_scores([[]], [[]])
    assert s["overlap"]["f1"] == 0.0


def test_spans_as_dicts_and_mentions() -> None:
    gold = [[{"start": 0, "end": 6, "text": "Kaluga"}]]
    pred = [[Mention(0, 6, "Kaluga")]]
    assert recognition_scores(gold, pred)["strict"]["tp"] == 1


def test_recognition_rejects_misaligned_and_bad_spans() -> None:
    with pytest.raises(ValueError, match="1 gold documents but 2 predicted"):
        recognition_scores([[]], [[], []])
    with pytest.raises(ValueError, match="bad span"):
        recognition_scores([[(5, 2)]], [[]])


spans = st.lists(st.tuples(st.integers(0, 30), st.integers(0, 8)).map(
    lambda t: (t[0], t[0] + t[1])), max_size=6)


@given(gold=spans, pred=spans)
def test_recognition_counts_are_consistent(gold: list, pred: list) -> None:
    s = recognition_scores([gold], [pred])
    for kind in ("strict", "overlap"):
        assert s[kind]["tp"] + s[kind]["fp"] == len(pred)
        assert s[kind]["tp"] + s[kind]["fn"] == len(gold)
    assert s["overlap"]["tp"] >= s["strict"]["tp"]


# -- resolution --------------------------------------------------------------------------

def test_auc_extremes() -> None:
    assert resolution_scores([0.0, 0.0, 0.0])["auc"] == 0.0
    assert resolution_scores([MAX_ERROR_KM] * 4)["auc"] == pytest.approx(1.0)
    assert resolution_scores([MAX_ERROR_KM])["auc"] == pytest.approx(1.0)
    assert resolution_scores([30000.0])["auc"] == pytest.approx(1.0)  # capped


def test_auc_by_hand() -> None:
    # sorted normalised logs 0, a, 1 → trapezoids (0 + a)/2 + (a + 1)/2 over 2 intervals
    a = math.log(1 + 100) / math.log(1 + 20039)
    s = resolution_scores([20039.0, 0.0, 100.0])
    assert s["auc"] == pytest.approx((a + 0.5) / 2)
    assert s["acc161"] == pytest.approx(2 / 3)
    assert s["mean_km"] == pytest.approx(20139 / 3)
    assert s["median_km"] == 100.0
    assert s["n"] == 3
    assert "id_accuracy" not in s


def test_acc161_includes_161_itself() -> None:
    assert resolution_scores([161.0, 161.5])["acc161"] == 0.5


def test_accuracy_counting_misses_puts_unresolved_in_the_denominator() -> None:
    assert accuracy_counting_misses([10.0, 161.0, 500.0], unresolved=1) == 0.5
    assert accuracy_counting_misses([10.0], unresolved=0) == 1.0
    assert accuracy_counting_misses([], unresolved=3) == 0.0
    assert accuracy_counting_misses([], unresolved=0) is None


def test_median_of_an_even_count() -> None:
    assert resolution_scores([1.0, 2.0, 10.0, 20.0])["median_km"] == 6.0


def test_id_accuracy() -> None:
    s = resolution_scores([1.0], id_hits=[True, True, False, True])
    assert (s["id_accuracy"], s["n_ids"]) == (0.75, 4)
    assert resolution_scores([], id_hits=[])["id_accuracy"] is None


def test_no_errors_gives_none() -> None:
    assert resolution_scores([]) == {"n": 0, "acc161": None, "auc": None, "mean_km": None,
                                     "median_km": None}


@pytest.mark.parametrize("bad", [[-1.0], [float("nan")], [float("inf")]])
def test_resolution_rejects_bad_errors(bad: list[float]) -> None:
    with pytest.raises(ValueError, match="finite, non-negative"):
        resolution_scores(bad)


@given(st.lists(st.floats(0, 25000), min_size=1, max_size=30))
def test_auc_is_between_0_and_1_and_monotone(errors: list[float]) -> None:
    auc = resolution_scores(errors)["auc"]
    assert 0.0 <= auc <= 1.0 + 1e-12
    assert resolution_scores([e * 2 for e in errors])["auc"] >= auc - 1e-12


# -- distances and groups ----------------------------------------------------------------

def test_haversine_matches_the_gazetteer_scalar() -> None:
    lat1, lon1, lat2, lon2 = 54.5293, 36.2754, 47.7833, 67.7667  # Kaluga, Dzhezkazgan
    assert haversine_km(lat1, lon1, lat2, lon2) == pytest.approx(
        scalar_haversine_km(lat1, lon1, lat2, lon2))
    assert isinstance(haversine_km(lat1, lon1, lat2, lon2), float)


def test_haversine_is_vectorised() -> None:
    km = haversine_km(np.array([0.0, 0.0, 90.0]), np.array([0.0, 0.0, 0.0]),
                      np.array([0.0, 0.0, -90.0]), np.array([0.0, 1.0, 0.0]))
    assert km.shape == (3,)
    assert km[0] == 0.0
    assert km[1] == pytest.approx(111.19, abs=0.01)
    assert km[2] == pytest.approx(math.pi * 6371.0088)


def test_groups() -> None:
    literal = {"Literal", "Mixed", "Coercion", "Embedded_Literal", "Literal_Modifier"}
    assert set(GWN_LITERAL) == literal
    assert not GWN_LITERAL & GWN_ASSOCIATIVE
    assert group_of({"type": "Literal_Modifier"}) == "literal"
    assert group_of({"type": "Metonymic"}) == "associative"
    assert group_of({"type": "Something_New"}) == "associative"
    assert group_of({"type": None}) == "untyped"
    assert group_of(None) == "untyped"


# -- gold files --------------------------------------------------------------------------

GOLD_LINES = [
    {"id": "a", "text": "Floods in Kaluga.", "toponyms": [
        {"start": 10, "end": 16, "text": "Kaluga", "geonameid": 553915, "lat": 54.5293,
         "lon": 36.27542, "type": "Literal"}]},
    {"text": "Nothing here."},
]


def write_gold(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_load_gold(tmp_path: Path) -> None:
    path = write_gold(tmp_path / "g.jsonl", [json.dumps(d) for d in GOLD_LINES])
    docs = list(load_gold(path))
    assert [d["id"] for d in docs] == ["a", "2"]
    assert docs[0]["toponyms"][0]["geonameid"] == 553915
    assert docs[1]["toponyms"] == []


def test_load_gold_gzip(tmp_path: Path) -> None:
    path = tmp_path / "g.jsonl.gz"
    path.write_bytes(gzip.compress(json.dumps(GOLD_LINES[0]).encode()))
    assert [d["id"] for d in load_gold(path)] == ["a"]


def test_load_gold_bad_lines(tmp_path: Path) -> None:
    path = write_gold(tmp_path / "g.jsonl", [
        "{oops", json.dumps({"text": 3}), "",
        json.dumps({"text": "abc", "toponyms": [{"start": 1, "end": 9}]}),
        json.dumps(GOLD_LINES[0])])
    problems: list[Problem] = []
    assert [d["id"] for d in load_gold(path, problems=problems)] == ["a"]
    assert [(p.line, p.message.split(";")[0]) for p in problems] == [
        (1, "not valid JSON at column 2"),
        (2, "not a gold document (needs an object with a string 'text')"),
        (4, "'toponyms' must be a list of {start, end} inside the text"),
    ]
    with pytest.raises(InputError, match=r"g\.jsonl:1: not valid JSON"):
        list(load_gold(path))


def test_load_gold_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        list(load_gold(tmp_path / "none.jsonl"))


# -- the report --------------------------------------------------------------------------

def test_format_report_side_by_side() -> None:
    rec = recognition_scores([[(0, 5)]], [[(0, 5), (7, 9)]])
    system = {"recognition": rec,
              "resolution": resolution_scores([0.0, 500.0], id_hits=[True]),
              "groups": {"literal": resolution_scores([0.0]),
                         "associative": resolution_scores([500.0])}}
    baseline = {"resolution": resolution_scores([0.0, 5000.0], id_hits=[False])}
    text = format_report({"title": "GeoWebNews, gold spans",
                          "columns": {"system": system, "population": baseline}})
    lines = text.splitlines()
    assert lines[0] == "GeoWebNews, gold spans"
    assert lines[1].split() == ["metric", "system", "population"]
    rows, section = {}, ""
    for line in lines[2:-1]:
        if line.startswith("  "):
            rows[section, line.strip().split("  ")[0]] = line.split()[-2:]
        else:
            section = line
    assert rows["recognition, strict", "precision"] == ["50.0%", "-"]
    assert rows["resolution", "acc@161km"] == ["50.0%", "50.0%"]
    assert rows["resolution", "id accuracy"] == ["100.0%", "0.0%"]
    assert rows["resolution, literal", "acc@161km"] == ["100.0%", "-"]
    assert "recognition, overlap" in lines
    assert "resolution, associative" in lines and "resolution, literal" in lines
    assert lines.index("resolution, literal") < lines.index("resolution, associative")
    assert "2,500 km" in text
    assert "250 km" in text
    # columns line up: every value row is as wide as the header or narrower
    assert max(len(line) for line in lines[1:-1]) == len(lines[1])


def test_format_report_empty() -> None:
    text = format_report({"columns": {"system": {}}})
    assert text.splitlines()[0].split() == ["metric", "system"]
