import json
import re
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mapper.errors import InputError
from mapper.link import EventLexicon, event_date, locate_event, nearest_place
from mapper.model import Article, Mention
from mapper.pipeline import Geoparser, evaluate_event_location, incidents
from mapper.read import read_articles

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples" / "articles.jsonl"
EVENT_GOLD = REPO.parent / "shared" / "eval" / "event_location.jsonl"


def test_default_lexicon_finds_event_types() -> None:
    lexicon = EventLexicon.default()
    assert lexicon.match("Air defences shot down a drone over Kaluga.")[0][0] == "drone"
    assert lexicon.match("An explosion hit a market.")[0][0] == "explosion"
    assert lexicon.match("Protesters marched through the centre.")[0][0] == "protest"


def test_negated_event_is_not_an_event() -> None:
    assert EventLexicon.default().match("There were no injuries.") == []


def test_user_lexicon_extends_the_default(tmp_path: Path) -> None:
    own = tmp_path / "events.tsv"
    own.write_text("# mine\nheatwave\t\\bheat ?waves?\\b\n", encoding="utf-8")
    lexicon = EventLexicon.from_file(own)
    assert lexicon.match("A heatwave hit Seville.")[0][0] == "heatwave"
    assert lexicon.match("A drone was shot down.")[0][0] == "drone"


def test_bad_lexicon_line_names_file_and_line(tmp_path: Path) -> None:
    own = tmp_path / "events.tsv"
    own.write_text("ok\tfine\nbroken line without tab\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"events.tsv:2:"):
        EventLexicon.from_file(own)


def test_locate_event_prefers_the_place_the_sentence_ties_it_to() -> None:
    text = "Troops from Russia shelled a market in Kharkiv."
    mentions = [Mention(12, 18, "Russia"), Mention(38, 45, "Kharkiv")]
    assert locate_event(text, 19, 26, mentions).text == "Kharkiv"
    assert nearest_place(mentions, 19, 26).text == "Russia"


def test_locate_event_ignores_demonyms() -> None:
    text = "A Syrian man was killed."
    assert locate_event(text, 16, 22, [Mention(2, 8, "Syrian", is_demonym=True)]) is None


@pytest.mark.parametrize(("sentence", "published", "expected"), [
    ("On the night of August 27th, drones were downed.", "2024-08-28", "2024-08-27"),
    ("On 4 September a blast hit the market.", "2024-09-05", "2024-09-04"),
    ("A fire broke out on Monday.", "2024-09-05", "2024-09-02"),
    ("On December 30 a flood hit.", "2025-01-02", "2024-12-30"),
    ("A flood hit.", "2024-01-02", None),
])
def test_event_date(sentence: str, published: str, expected: str | None) -> None:
    assert event_date(sentence, published) == expected


def test_examples_give_merged_checked_incidents(default_gazetteer) -> None:
    found = incidents(read_articles(EXAMPLES), gazetteer=default_gazetteer)
    by_place = {i.place_name: i for i in found}
    drone = by_place["Dzerzhinskiy Rayon"]
    assert drone.event_type == "drone" and drone.date == "2024-08-27"
    assert drone.precision == 2
    assert {s.article_id for s in drone.sources} == {"kaluga-1", "kaluga-2"}
    assert any(f.verdict == "inconsistent" for f in drone.findings)
    assert drone.admin_path[:2] == ("Dzerzhinskiy Rayon", "Kaluga")
    pune = by_place["Pune"]
    assert pune.event_type == "protest"
    assert [f.verdict for f in pune.findings] == ["inconsistent"]
    assert by_place["Aleppo"].date == "2024-09-04"
    json.dumps([i.to_dict() for i in found])


@pytest.mark.parametrize(("published", "date"), [("not a date", None),
                                               ("2024-05-09T08:00:00Z", "2024-05-09")])
def test_an_incident_is_dated_only_by_a_real_date(default_gazetteer, published: str,
                                                  date: str | None) -> None:
    text = "A drone was shot down over Kaluga."
    (found,) = incidents([Article("d", text, published=published)], gazetteer=default_gazetteer)
    assert found.date == date


def test_region_level_incident_has_a_region_code(default_gazetteer) -> None:
    text = "Shelling was reported in the Kherson region on Tuesday."
    found = incidents([Article("k", text, published="2024-05-09")],
                      gazetteer=default_gazetteer)
    assert len(found) == 1
    assert found[0].precision == 3
    assert found[0].region_code and found[0].region_code.startswith("UA.")
    assert found[0].date == "2024-05-07"


def test_sentences_without_events_give_no_incident(default_gazetteer) -> None:
    parser = Geoparser(default_gazetteer)
    text = "Kaluga is a city on the Oka river, south-west of Moscow."
    assert incidents([Article("x", text)], gazetteer=parser.gazetteer) == []


@pytest.mark.shared
def test_event_location_beats_nearest_place_baseline(default_gazetteer) -> None:
    if not EVENT_GOLD.exists():
        pytest.skip(f"needs {EVENT_GOLD} (../shared/eval), which is absent")
    report = evaluate_event_location(str(EVENT_GOLD), limit=2000, gazetteer=default_gazetteer)
    ours = report["accuracy"]["newsmapper"]
    assert ours >= report["accuracy"]["nearest place"] + 0.15
    assert ours >= 0.82  # 84.6% on these sentences; the whole corpus is in docs/evaluation.md


def test_incidents_frame(default_gazetteer) -> None:
    import pandas as pd

    from mapper.pipeline import incidents_frame

    frame = pd.DataFrame([{"id": "a", "text": "An explosion hit a market in Aleppo, Syria on "
                           "September 4.", "title": "Blast", "outlet": "Wire",
                           "url": "https://example.org/a", "published": "2024-09-05"}])
    out = incidents_frame(frame, gazetteer=default_gazetteer)
    assert list(out["place_name"]) == ["Aleppo"]
    assert out.loc[0, "date"] == "2024-09-04"
    assert out.loc[0, "sources"][0]["outlet"] == "Wire"
    with pytest.raises(InputError):
        incidents_frame(frame.rename(columns={"text": "body"}), gazetteer=default_gazetteer)


def test_feb_29_in_a_january_article_does_not_crash() -> None:
    assert event_date("On February 29 drones hit.", "2024-01-15") is None


@pytest.mark.parametrize(("sentence", "verb", "place"), [
    # the most specific place of a chain, not its container
    ("Two people were killed in Cinar in southeast Turkey on Monday.", "killed", "Cinar"),
    ("Police said a man was shot in the West Bank town of Hebron.", "shot", "Hebron"),
    ("A bomb exploded in Mir Ali, a town in North Waziristan, on Friday.", "exploded",
     "Mir Ali"),
    # "from" names an origin
    ("A compound in Riyadh was bombed by militants from Yemen.", "bombed", "Riyadh"),
    # a country that only modifies an institution is not the place
    ("Protesters demonstrated outside the US embassy in Brussels.", "demonstrated",
     "Brussels"),
    # a framing "In X," at the start of the sentence
    ("In Kharkiv, rescuers said two people were injured by shelling.", "injured", "Kharkiv"),
])
def test_locate_event_in_our_sentences(default_gazetteer, sentence: str, verb: str,
                                       place: str) -> None:
    from mapper.link import candidate_places

    parser = Geoparser(default_gazetteer)
    start = sentence.index(verb)
    end = start + len(verb)
    offered = candidate_places(sentence, parser.recognize(sentence), after=end)
    assert locate_event(sentence, start, end, offered).text == place


def test_candidate_places_add_names_the_gazetteer_lacks() -> None:
    from mapper.link import candidate_places

    text = "Rebels captured Blorpville and shelled the Quxian area of Kharkiv."
    found = [m.text for m in candidate_places(text, [Mention(60, 67, "Kharkiv")],
                                              after=text.index(" Blorp"))]
    assert found == ["Blorpville", "Quxian", "Kharkiv"]


WORDS = ["in", "at", "near", "Kharkiv", "Paris", "Blorpville", "the", "area", "of",
         "Quxian", "Tver", "district", "from", "to", "on"]


@settings(max_examples=200, deadline=None)
@given(words=st.lists(st.sampled_from(WORDS), max_size=40), data=st.data())
def test_candidate_places_never_overlap(words: list[str], data: st.DataObject) -> None:
    from mapper.link import candidate_places

    text = " ".join(words)
    known = [Mention(m.start(), m.end(), m.group()) for m in re.finditer(r"Kharkiv|Paris", text)]
    known = data.draw(st.lists(st.sampled_from(known), unique=True)) if known else []
    out = candidate_places(text, sorted(known, key=lambda m: m.start))
    spans = [(m.start, m.end) for m in out]
    assert all(k in out for k in known)
    assert all(a[1] <= b[0] for a, b in pairwise(spans))  # sorted, no overlap
    assert all(text[m.start:m.end] == m.text for m in out)


def test_locate_event_weighs_the_nearest_of_a_long_list() -> None:
    names = ", ".join(["Tver"] * 60)
    text = f"A drone was shot down over Kharkiv, and {names} reported nothing."
    mentions = [Mention(m.start(), m.end(), m.group())
                for m in re.finditer(r"Kharkiv|Tver", text)]
    start = text.index("shot")
    assert locate_event(text, start, start + 14, mentions).text == "Kharkiv"

