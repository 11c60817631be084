"""Tests for mapper.extract: the recogniser and given-span mentions, on the default index."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gazetteer import Gazetteer
from mapper.extract import Recognizer, extract_mentions, mentions_from_spans
from mapper.model import Article, Mention


@pytest.fixture(scope="module")
def recognize(default_gazetteer: Gazetteer) -> Recognizer:
    return Recognizer(default_gazetteer)


def texts_of(mentions: list[Mention]) -> list[str]:
    return [m.text for m in mentions]


def only(mentions: list[Mention], text: str) -> Mention:
    found = [m for m in mentions if m.text == text]
    assert len(found) == 1, f"expected one mention {text!r}, found {mentions}"
    return found[0]


def assert_well_formed(text: str, mentions: list[Mention]) -> None:
    """Every span is the surface it claims; spans are in order and do not overlap."""
    previous_end = 0
    for m in mentions:
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start:m.end] == m.text
        assert m.start >= previous_end, f"{m} overlaps or precedes the mention before it"
        previous_end = m.end
        if m.parent is not None:
            assert any((o.start, o.end) == m.parent for o in mentions)


# -- properties --------------------------------------------------------------------------

PLACES = ["Kaluga", "Long Beach", "Paris", "U.S.", "Syrian", "Dzhezkazgan", "New York",
          "Aleppo", "Jordan", "Rio de Janeiro", "Kaluga's", "St. Petersburg", "UK"]
SEPARATORS = [" ", " ", ", ", ". ", " in the ", "'s ", "-", "\n", " (", ") ", ": "]
ascii_word = st.text(alphabet=st.characters(min_codepoint=0x41, max_codepoint=0x7A,
                                            categories=["Lu", "Ll"]),
                     min_size=1, max_size=9)
piece = st.one_of(ascii_word, ascii_word.map(str.capitalize), ascii_word.map(str.upper),
                  st.sampled_from(PLACES), st.sampled_from(PLACES).map(lambda p: p + " region"),
                  st.sampled_from(PLACES).map(lambda p: p + " district"))


@st.composite
def newsy_text(draw: st.DrawFn) -> str:
    pieces = draw(st.lists(piece, min_size=1, max_size=25))
    seps = draw(st.lists(st.sampled_from(SEPARATORS), min_size=len(pieces),
                         max_size=len(pieces)))
    return "".join(p + s for p, s in zip(pieces, seps, strict=True))


PROPERTY = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(text=st.text(max_size=300))
def test_arbitrary_text_gives_well_formed_spans(recognize: Recognizer, text: str) -> None:
    assert_well_formed(text, recognize(text))


@PROPERTY
@given(text=newsy_text())
def test_texts_with_place_names_give_well_formed_spans(recognize: Recognizer,
                                                       text: str) -> None:
    assert_well_formed(text, recognize(text))


@PROPERTY
@given(text=newsy_text(), data=st.data())
def test_given_spans_are_kept_exactly(recognize: Recognizer, text: str,
                                      data: st.DataObject) -> None:
    bounds = data.draw(st.lists(st.integers(0, len(text)), max_size=8, unique=True))
    bounds.sort()
    spans = [(a, b) for a, b in zip(bounds[::2], bounds[1::2], strict=False) if a < b]
    mentions = mentions_from_spans(text, spans, context=recognize(text))
    kept = [(m.start, m.end) for m in mentions]
    for start, end in spans:
        assert (start, end) in kept
    for m in mentions:
        assert text[m.start:m.end] == m.text


INVISIBLE = ["\u00ad", "\u200b", "\u00a0", "\u0301", "  "]


@PROPERTY
@given(text=newsy_text(), data=st.data())
def test_invisible_characters_keep_spans_well_formed(recognize: Recognizer, text: str,
                                                     data: st.DataObject) -> None:
    # soft hyphens, zero-width and no-break spaces, combining accents, doubled spaces
    at = data.draw(st.lists(st.integers(0, len(text)), max_size=4))
    for i in sorted(at, reverse=True):
        text = text[:i] + data.draw(st.sampled_from(INVISIBLE)) + text[i:]
    assert_well_formed(text, recognize(text))


@pytest.mark.parametrize(("text", "found"), [
    ("Shelling hit Kha\u00adrkiv on Monday.", "Kha\u00adrkiv"),       # soft hyphen
    ("A drone fell near Port\u200bland.", "Port\u200bland"),          # zero-width space
    ("Protests in Mala\u0301ga went on.", "Mala\u0301ga"),            # decomposed accent
    ("Protests in New\u00a0York went on.", "New\u00a0York"),          # no-break space
    ("A ferry reached Hong  Kong at dawn.", "Hong  Kong"),             # two spaces
])
def test_names_survive_invisible_characters(recognize: Recognizer, text: str,
                                            found: str) -> None:
    assert [m.text for m in recognize(text)] == [found]


@pytest.mark.parametrize("after", [" went on.", ".", "'s mayor spoke.", "-based groups met.",
                                   "\u200b's\u200b. Then"])
def test_a_trailing_invisible_character_is_not_part_of_the_name(
        recognize: Recognizer, after: str) -> None:
    (mention,) = recognize("Protests in Kyiv\u200b" + after)
    assert (mention.start, mention.end) == (12, 16)


def test_a_long_run_of_full_stops_is_one_sentence_break(recognize: Recognizer) -> None:
    text = "Rain fell in Kaluga" + "." * 5000 + " Then it fell in Tula."
    assert [m.sentence for m in recognize(text)] == [0, 1]


# -- designators and stated parents ----------------------------------------------------


def test_district_in_region(recognize: Recognizer) -> None:
    text = "Drones came down over the territory of Dzhezkazgan district in the Kaluga region."
    mentions = recognize(text)
    assert texts_of(mentions) == ["Dzhezkazgan", "Kaluga"]
    district, region = mentions
    assert (district.designator, district.hint) == ("district", "ADM2")
    assert (region.designator, region.hint) == ("region", "ADM1")
    kaluga = text.index("Kaluga")
    assert district.parent == (kaluga, kaluga + len("Kaluga"))
    assert region.parent is None
    assert "stated-parent" in district.cues
    assert {"designator", "preposition"} <= set(region.cues)


def test_comma_pair_links_parent(recognize: Recognizer) -> None:
    text = "Police were called to a house in Long Beach, California, on Monday."
    mentions = recognize(text)
    city, state = only(mentions, "Long Beach"), only(mentions, "California")
    assert city.parent == (state.start, state.end)
    assert state.parent is None


def test_possessive_names_the_parent(recognize: Recognizer) -> None:
    text = "Kaluga's Dzerzhinsky district was hit overnight."
    mentions = recognize(text)
    assert texts_of(mentions) == ["Kaluga", "Dzerzhinsky"]
    kaluga, district = mentions
    assert (kaluga.start, kaluga.end) == (0, 6)
    assert district.designator == "district"
    assert district.parent == (0, 6)
    assert kaluga.parent is None


@pytest.mark.parametrize("text", [
    "Weston is a small rural village and civil parish in Suffolk, England.",
    "Weston was one of the 12 wards of Kaduna, in the north of the state.",
    "Weston is a farming town in northern Kaduna, Nigeria.",
    "Weston is an unincorporated community in the eastern part of Ohio.",
])
def test_a_defining_sentence_names_the_parent(recognize: Recognizer, text: str) -> None:
    # the opening words of an article define its place: "X is a … in Y"
    mentions = recognize(text)
    (name,) = [m for m in mentions if m.text == "Weston"]
    parent = mentions[mentions.index(name) + 1]
    assert name.parent == (parent.start, parent.end)
    assert "stated-parent" in name.cues


# -- demonyms and abbreviations ---------------------------------------------------------


def test_demonym_is_a_country_mention(recognize: Recognizer) -> None:
    text = "Syrian forces advanced on the town."
    (mention,) = recognize(text)
    assert mention.text == "Syrian"
    assert mention.is_demonym
    assert mention.name == "country:SY"


def test_dotted_abbreviation_is_found(recognize: Recognizer) -> None:
    text = "The U.S. imposed new sanctions."
    assert "U.S." in texts_of(recognize(text))


def test_acronyms_are_not_places_but_us_and_uk_are(recognize: Recognizer) -> None:
    text = "The PM met the BA chief before flying to the US and the UK."
    found = texts_of(recognize(text))
    assert "PM" not in found
    assert "BA" not in found
    assert "US" in found
    assert "UK" in found


# -- people, months, weekdays ------------------------------------------------------------


def test_title_before_name_is_a_person(recognize: Recognizer) -> None:
    assert "Jordan" not in texts_of(recognize("Talks ended when President Jordan left."))


def test_glued_first_name_is_a_person(recognize: Recognizer) -> None:
    assert texts_of(recognize("Fans cheered as Michael Jordan scored.")) == []


@pytest.mark.parametrize(("text", "surname"), [
    ("Michael Jordan scored 40 points.", "Jordan"),
    ("Sarah Kelly arrived on Monday. Kelly then visited Paris.", "Kelly"),
])
def test_glued_first_name_at_sentence_start_is_a_person(recognize: Recognizer, text: str,
                                                        surname: str) -> None:
    assert surname not in texts_of(recognize(text))


def test_person_named_jordan_does_not_hide_the_country(recognize: Recognizer) -> None:
    text = "President Jordan flew to Amman, the capital of Jordan."
    mentions = recognize(text)
    assert texts_of(mentions) == ["Amman", "Jordan"]
    assert mentions[-1].start == text.rindex("Jordan")


@pytest.mark.parametrize("text", [
    "May was the wettest month on record in Kyiv.",
    "Sunday was calm in Kyiv.",
    "Sunday, the army left Kyiv.",
])
def test_months_and_weekdays_at_sentence_start_are_not_places(recognize: Recognizer,
                                                               text: str) -> None:
    assert texts_of(recognize(text)) == ["Kyiv"]


def test_surname_before_said_is_not_a_place(recognize: Recognizer) -> None:
    assert texts_of(recognize("Kelly said the talks in Paris had failed.")) == ["Paris"]


def test_surname_used_for_a_person_earlier_is_not_a_place(recognize: Recognizer) -> None:
    text = "On Monday Sarah Kelly arrived. Kelly then visited Paris."
    assert texts_of(recognize(text)) == ["Paris"]


def test_person_cues_spread_through_the_article(recognize: Recognizer) -> None:
    text = ("Lt. Col. Dana Thomas leads the team. 'We train,' said Thomas. Pat J. Bassett, "
            "56, was held. Police say Bassett fled. Congressman Luis Diaz-Balart spoke.")
    found = texts_of(recognize(text))
    assert "Thomas" not in found and "Bassett" not in found and "Balart" not in found


def test_a_place_before_said_after_a_preposition_is_kept(recognize: Recognizer) -> None:
    assert "Montpellier" in texts_of(recognize("Doctors in Montpellier said it was late."))


def test_all_caps_dateline_is_a_place(recognize: Recognizer) -> None:
    text = "RUSSELLVILLE, Ark. (AP) - Authorities say one person died."
    assert texts_of(recognize(text))[0] == "RUSSELLVILLE"


def test_streets_and_buildings_are_whole_mentions(recognize: Recognizer) -> None:
    text = ("He was shot on Hutcheson Road near Barclays Center and taken to Alder Hey "
            "Children's Hospital; The Wall Street Journal reported it from Long Beach, California.")
    mentions = recognize(text)
    found = texts_of(mentions)
    assert {"Hutcheson Road", "Barclays Center", "Alder Hey Children's Hospital"} <= set(found)
    assert "Wall Street" not in found  # an organisation's name goes on
    assert only(mentions, "Long Beach").parent is not None  # the gazetteer's place wins
    assert only(mentions, "Hutcheson Road").parent is None  # a street claims no parent


def test_empty_and_lowercase_text_give_nothing(recognize: Recognizer) -> None:
    assert recognize("") == []
    assert recognize("there was rain in the capital and in the hills") == []


# -- given spans ------------------------------------------------------------------------


def test_mentions_from_spans_keeps_spans_and_records_designators() -> None:
    text = "Fighting in the Idlib province and around Aleppo, Syria, went on."
    spans = [(16, 21), (42, 48), (50, 55)]
    mentions = mentions_from_spans(text, spans)
    assert [(m.start, m.end, m.text) for m in mentions] == [
        (16, 21, "Idlib"), (42, 48, "Aleppo"), (50, 55, "Syria")]
    idlib, aleppo, syria = mentions
    assert (idlib.designator, idlib.hint) == ("province", "ADM1")
    assert aleppo.designator is None
    assert aleppo.parent == (50, 55)
    assert syria.parent is None
    assert all("given span" in m.cues for m in mentions)


def test_mentions_from_spans_keeps_odd_spans_as_given() -> None:
    # a span that cuts a word and one over junk are not "corrected"
    text = "Rain hit Kondrovo and Xqzvbnm near Kaluga."
    spans = [(9, 13), (22, 29)]
    mentions = mentions_from_spans(text, spans)
    assert [(m.start, m.end, m.text) for m in mentions] == [(9, 13, "Kond"), (22, 29, "Xqzvbnm")]


def test_mentions_from_spans_reads_demonyms() -> None:
    text = "Syrian troops moved north."
    (mention,) = mentions_from_spans(text, [(0, 6)])
    assert mention.is_demonym
    assert mention.name == "country:SY"


def test_mentions_from_spans_reads_a_demonym_in_capitals() -> None:
    text = "Shares of ZETA UZBEK MINING rose."
    (mention,) = mentions_from_spans(text, [(15, 20)])
    assert (mention.text, mention.name) == ("UZBEK", "country:UZ")


def test_mentions_from_spans_merges_context_that_overlaps_no_span(recognize: Recognizer
                                                                  ) -> None:
    text = "Floods hit Santa Maria, California, overnight."
    context = recognize(text)
    mentions = mentions_from_spans(text, [(11, 22)], context=context)
    assert [(m.start, m.end) for m in mentions] == [(11, 22), (24, 34)]
    assert mentions[0].parent == (24, 34)


def test_extract_mentions_streams_articles(default_gazetteer: Gazetteer) -> None:
    articles = [Article("a", "Shelling hit Aleppo, Syria."), Article("b", "nothing here")]
    out = list(extract_mentions(articles, gazetteer=default_gazetteer))
    assert [a.id for a, _ in out] == ["a", "b"]
    assert texts_of(out[0][1]) == ["Aleppo", "Syria"]
    assert out[1][1] == []


def test_a_country_spelled_like_its_demonym_is_a_place(recognize: Recognizer) -> None:
    found = only(recognize("Gibraltar was handed over in 1713."), "Gibraltar")
    assert not found.is_demonym


def test_compass_names_of_regions(recognize: Recognizer) -> None:
    assert "West Bank" in texts_of(recognize("Clashes broke out in the northern West Bank."))
    assert texts_of(recognize("They moved to the North East in May.")) == []


def test_the_region_town_of_x_states_the_town_is_in_the_region(recognize: Recognizer) -> None:
    text = "Police said a man was shot in the West Bank town of Hebron."
    found = recognize(text)
    hebron, bank = only(found, "Hebron"), only(found, "West Bank")
    assert hebron.parent == (bank.start, bank.end) and bank.parent is None


def test_an_agency_is_not_a_department(recognize: Recognizer) -> None:
    found = recognize("The Glasgow Police Department said a woman was struck in Glasgow.")
    assert "Glasgow Police" not in texts_of(found)


def test_mentions_in_a_namesake_sentence_say_so() -> None:
    text = "Aurora is a town in South Dakota. It was named after Aurora, Illinois."
    mentions = mentions_from_spans(text, [(0, 6), (53, 59), (61, 69)])
    assert ["sentence names a namesake" in m.cues for m in mentions] == [False, True, True]


def test_a_feature_word_after_a_place_is_no_place_of_its_own(recognize: Recognizer) -> None:
    assert "Valley" not in [m.text for m in recognize("Farms in the Hudson Valley flooded.")]


def test_a_postal_code_ends_an_address(default_gazetteer: Gazetteer) -> None:
    # "IL" and "ME" after a place are states; the same letters elsewhere are no mention
    recognize = Recognizer(default_gazetteer)
    text = "Plants in Springfield, IL, and Portland, ME, shut. ME TOO, said IL Divo fans."
    found = [(m.text, m.parent is not None) for m in recognize(text)]
    assert found == [("Springfield", True), ("IL", False), ("Portland", True), ("ME", False)]


@pytest.mark.parametrize(("text", "names"), [
    # "Farmers" and "Hop" are only nicknames of some town; a sentence's first word must
    # be some place's own name, or a well-known other name, to be read as a place
    ("Farmers protested in Kent.", ["Kent"]),
    ("Hop growers met in Maidstone.", ["Maidstone"]),
    ("Gothenburg hosted the final.", ["Gothenburg"]),
    ("Kiev was quiet overnight.", ["Kiev"]),
])
def test_a_sentence_opening_known_only_as_a_nickname(default_gazetteer: Gazetteer, text: str,
                                                     names: list[str]) -> None:
    assert [m.text for m in Recognizer(default_gazetteer)(text)] == names
