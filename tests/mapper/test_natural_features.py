"""A river, lake, island or mountain word after a name says which kind of feature it is.

The rows are invented, in the official allCountries format, beside the tiny fixture's
Russian places; the embedded index has no such features, so only a table that does shows
the word at work.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from gazetteer import Gazetteer, build_index
from mapper.extract import Recognizer
from mapper.pipeline import geoparse

TINY = Path(__file__).resolve().parents[1] / "data" / "tiny"


def _row(gid: str, name: str, fclass: str, fcode: str, population: str = "0") -> str:
    fields = [gid, name, name, "", "54.60", "35.90", fclass, fcode, "RU", "", "25", "", "",
              "", population, "", "150", "Europe/Moscow", "2024-01-01"]
    return "\t".join(fields) + "\n"


_INVENTED = [
    _row("91000001", "Temrovka", "H", "LK"),
    _row("91000002", "Ostravin Bay", "P", "PPL", "2400"),
    _row("91000003", "Ostravin Bay", "H", "BAY"),
    _row("91000004", "Krelda", "T", "MTS"),
    _row("91000005", "Pashnik", "H", "STM"),
    _row("91000006", "Dorvel", "P", "PPL", "800"),
]


@pytest.fixture(scope="module")
def natural_gazetteer(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    src = tmp_path_factory.mktemp("natural")
    for path in TINY.iterdir():
        if path.name != "cities500.txt":
            shutil.copy(path, src)
    rows = (TINY / "cities500.txt").read_text(encoding="utf-8") + "".join(_INVENTED)
    (src / "allCountries.txt").write_text(rows, encoding="utf-8")
    build_index([src], src / "index.sqlite")
    return Gazetteer(src / "index.sqlite")


@pytest.mark.parametrize(("query", "geonameid"), [
    ("Temrovka Lake", 91000001),      # the table has the lake without its word
    ("Krelda Mountains", 91000004),
    ("Pashnik Creek", 91000005),
    ("Ostravin Bay", 91000003),       # the bay before the village named like it
])
def test_search_reads_the_natural_word(natural_gazetteer: Gazetteer, query: str,
                                       geonameid: int) -> None:
    assert natural_gazetteer.search(query)[0].place.geonameid == geonameid


@pytest.mark.parametrize("query", ["Temrovka River", "Dorvel River", "Krelda Island"])
def test_natural_word_keeps_to_its_kind(natural_gazetteer: Gazetteer, query: str) -> None:
    # a lake is no river, and the village of Dorvel is no river either
    assert natural_gazetteer.search(query, fuzzy=False) == []


def test_lower_case_word_is_the_mention_designator(natural_gazetteer: Gazetteer) -> None:
    mention = Recognizer(natural_gazetteer)("Fish died in the Pashnik river.")[0]
    assert (mention.text, mention.designator, mention.hint) == ("Pashnik", "river", "river")


@pytest.mark.parametrize(("text", "geonameid"), [
    ("Ice closed the Temrovka lake to fishing.", 91000001),
    ("Hikers were lost in the Krelda mountains for two days.", 91000004),
    ("Fish died along the Pashnik after the spill.", 91000005),
    ("Ferries crossed Ostravin Bay in a storm.", 91000003),
])
def test_natural_features_resolve(natural_gazetteer: Gazetteer, text: str,
                                  geonameid: int) -> None:
    places = {r.place.geonameid for r in geoparse(text, gazetteer=natural_gazetteer) if r.place}
    assert geonameid in places


def test_word_with_no_such_feature_leaves_the_name(natural_gazetteer: Gazetteer) -> None:
    # the index has no river called Dorvel: the name still reads as the village
    found = geoparse("Boats moored on the Dorvel river near Kondrovo.",
                     gazetteer=natural_gazetteer)
    assert {r.mention.text: r.place.geonameid for r in found if r.place} == {
        "Dorvel": 91000006, "Kondrovo": 545575}
