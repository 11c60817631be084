"""Tests for mapper.resolve and the resolution values it makes, on the default index."""

from __future__ import annotations

import json
import math
import re

import pytest

from gazetteer import Gazetteer
from mapper.extract import Recognizer, mentions_from_spans
from mapper.model import PLACE_FIELDS, Article, Mention, Resolution
from mapper.resolve import Resolver, hint_word, resolve_mentions

CONTRACT_KEYS = {"start", "end", "text", "geonameid", "name", "lat", "lon", "feature_class",
                 "feature_code", "country_code", "admin1_code", "admin1_name", "admin2_code",
                 "admin2_name", "score"}

TEXT = ("Shelling was reported in Aleppo, Syria, and Syrian officials blamed rebels. "
        "Later, protesters gathered in Paris and in Kondrovo in the Kaluga region.")


@pytest.fixture(scope="module")
def recognize(default_gazetteer: Gazetteer) -> Recognizer:
    return Recognizer(default_gazetteer)


@pytest.fixture(scope="module")
def resolver(default_gazetteer: Gazetteer) -> Resolver:
    return Resolver(default_gazetteer)


@pytest.fixture(scope="module")
def resolutions(recognize: Recognizer, resolver: Resolver) -> list[Resolution]:
    return resolver.resolve(recognize(TEXT))


def resolve_matches(recognize: Recognizer, resolver: Resolver, text: str,
                    pattern: str) -> list[Resolution]:
    """Resolve the spans ``pattern`` matches, with the recognised places as context."""
    spans = [(m.start(), m.end()) for m in re.finditer(pattern, text)]
    mentions = mentions_from_spans(text, spans, context=recognize(text))
    return [r for r in resolver.resolve(mentions) if (r.mention.start, r.mention.end) in spans]


def by_text(resolutions: list[Resolution], text: str) -> Resolution:
    (found,) = [r for r in resolutions if r.mention.text == text]
    return found


def test_resolutions_follow_the_mentions(recognize: Recognizer,
                                         resolutions: list[Resolution]) -> None:
    assert [r.mention for r in resolutions] == recognize(TEXT)
    assert [r.mention.text for r in resolutions] == [
        "Aleppo", "Syria", "Syrian", "Paris", "Kondrovo", "Kaluga"]


def test_resolutions_are_well_formed(resolutions: list[Resolution]) -> None:
    for r in resolutions:
        assert r.place is not None, r
        assert 0.0 <= r.score <= 1.0
        assert r.signals, f"{r.mention} has no signals"
        scores = [a.score for a in r.alternatives]
        assert scores == sorted(scores, reverse=True)
        assert all(0.0 <= s <= 1.0 for s in scores)
        assert r.place.geonameid not in {a.geonameid for a in r.alternatives}
    assert any(r.alternatives for r in resolutions)


def test_known_places(resolutions: list[Resolution]) -> None:
    ids = {r.mention.text: r.place.geonameid for r in resolutions if r.place}
    assert ids["Aleppo"] == 170063
    assert ids["Syria"] == 163843
    assert ids["Syrian"] == 163843
    assert ids["Paris"] == 2988507
    assert ids["Kondrovo"] == 545575
    assert ids["Kaluga"] == 553899  # "region": the ADM1, not the city


def test_stated_parent_is_a_signal(resolutions: list[Resolution]) -> None:
    aleppo = by_text(resolutions, "Aleppo")
    assert any(s.startswith("inside stated parent Syria") for s in aleppo.signals)


def test_to_dict_has_the_jsonl_contract(resolutions: list[Resolution]) -> None:
    for r in resolutions:
        out = r.to_dict()
        assert set(out) >= CONTRACT_KEYS
        assert (out["start"], out["end"], out["text"]) == (
            r.mention.start, r.mention.end, r.mention.text)
        assert out["geonameid"] == r.place.geonameid
        assert out["score"] == round(r.score, 4)
        assert json.loads(json.dumps(out)) == out
        assert isinstance(out["alternatives"], list)
        assert out["signals"] == list(r.signals)


def test_unresolved_mention_keeps_its_span(resolver: Resolver) -> None:
    text = "Rain fell on Xqzvbnm today."
    (r,) = resolver.resolve(mentions_from_spans(text, [(13, 20)]))
    assert r.place is None
    assert r.score == 0.0
    assert r.signals == ("no candidate in the gazetteer",)
    out = r.to_dict()
    assert (out["start"], out["end"], out["text"]) == (13, 20, "Xqzvbnm")
    assert all(out[key] is None for key in PLACE_FIELDS)
    assert out["score"] is None
    assert json.loads(json.dumps(out)) == out


def test_demonym_candidates_are_the_country(resolver: Resolver) -> None:
    mention = Mention(0, 6, "Syrian", is_demonym=True, name="country:SY")
    (match,) = resolver.candidates(mention)
    assert match.place.geonameid == 163843


def test_stated_parent_picks_the_right_long_beach(recognize: Recognizer,
                                                  resolver: Resolver) -> None:
    text = "A fire broke out in Long Beach, California."
    city = resolver.resolve(recognize(text))[0]
    assert city.mention.text == "Long Beach"
    assert city.place.geonameid == 5367929
    assert (city.place.country_code, city.place.admin1_code) == ("US", "CA")


def test_baseline_is_the_most_prominent_candidate(resolver: Resolver) -> None:
    mention = Mention(0, 5, "Paris")
    best = max(resolver.candidates(mention), key=lambda m: m.prior)
    assert resolver.baseline(mention) == best.place
    assert resolver.baseline(Mention(0, 7, "Xqzvbnm")) is None


def test_no_mentions_no_resolutions(resolver: Resolver) -> None:
    assert resolver.resolve([]) == []


def test_hint_word() -> None:
    assert hint_word("ADM1") == "region"
    assert hint_word("ADM2") == "district"
    assert hint_word(None) == ""


def test_resolve_mentions_streams_parsed_articles(default_gazetteer: Gazetteer,
                                                  recognize: Recognizer) -> None:
    articles = [Article("1", "Kondrovo in the Kaluga region"), Article("2", "nothing")]
    parsed = list(resolve_mentions(((a, recognize(a.text)) for a in articles),
                                   gazetteer=default_gazetteer))
    assert [p.article.id for p in parsed] == ["1", "2"]
    assert [r.place.geonameid for r in parsed[0].resolutions] == [545575, 553899]
    assert parsed[1].resolutions == ()
    line = parsed[0].to_dict()
    assert line["id"] == "1"
    assert json.loads(json.dumps(line)) == line
    assert all(math.isfinite(m["lat"]) for m in line["mentions"])


@pytest.mark.parametrize(("text", "name", "code"), [
    ("Tourists flocked to Singapore and Bangkok this year.", "Singapore", "PCLI"),
    ("The senator met donors in New York on Saturday.", "New York", "PPL"),
    ("Voters in Georgia, Illinois and Missouri went to the polls.", "Illinois", "ADM1"),
    ("Orchards in Idaho, Montana, Washington and Wyoming lost fruit to frost.", "Washington",
     "ADM1"),
    ("The new rail link will serve Goa, Kerala, Puducherry and Odisha.", "Puducherry", "ADM1"),
    # a dateline names the city the story was filed from, and so does "the city of"
    ("NEW YORK (AP) — Officials in Albany said on Monday.", "NEW YORK", "PPL"),
    ("Art at risk? By Ann Lee. WASHINGTON, April 5 (Reuters) - A New York court ruled.",
     "WASHINGTON", "PPLC"),
    ("Officials in the city of New York and in Albany spoke.", "New York", "PPL"),
    # a national capital ten times the size of a namesake outranks it, even beside two
    # cities of the namesake's country
    ("Police in London and Manchester said that in Washington the embassy had closed.",
     "Washington", "PPLC"),
    # a state has a governor, a city a mayor
    ("New York Gov. Mary Lane signed the budget on Friday.", "New York", "ADM1"),
    ("On Monday, New York Gov. Mary Lane signed the budget.", "New York", "ADM1"),
    # a dateline names a city, alone too; a region after it states where the name is
    ("GAZA (Reuters) - Strikes hit the city overnight.", "GAZA", "PPLA"),
    ("By Jane Doe. KENT, England - Hop growers met at the market.", "KENT", "ADM2"),
    ("Kaluga Governor Vladislav Shapsha said two drones fell.", "Kaluga", "ADM1"),
    ("New York Mayor Eric Adams met officials from Albany.", "New York", "PPL"),
    # an English county of a million and a half people, not a village called Kent
    ("Hop growers near Maidstone, Kent, lost half the harvest.", "Kent", "ADM2"),
])
def test_namesakes_in_news(recognize: Recognizer, resolver: Resolver, text: str, name: str,
                           code: str) -> None:
    # a country over its same-named capital; a city of millions over its namesake state;
    # a state listed beside states is one of them, not a place inside the next
    found = {r.mention.text: r for r in resolver.resolve(recognize(text))}
    assert found[name].place.feature_code == code


def test_a_dateline_settles_the_later_mentions_of_its_name(recognize: Recognizer,
                                                            resolver: Resolver) -> None:
    # "NEW YORK" and "New York" are one name: the city the story was filed from
    text = ("NEW YORK (AP) — Police in Brooklyn said a man was held. The New York Times "
            "reported the arrest, and crowds gathered across New York on Tuesday.")
    found = [r.place.geonameid for r in resolver.resolve(recognize(text))
             if r.mention.text.casefold() == "new york"]
    assert found == [5128581] * 3


@pytest.mark.parametrize("text", [
    "Delegates from Brazil, China, Japan, and the Philippines signed the pact.",
    "Envoys from China, Japan met on Monday.",
])
def test_a_country_beside_a_country_is_no_town_inside_it(
        recognize: Recognizer, resolver: Resolver, text: str) -> None:
    # there is a China in Japan, but "China, Japan" names two countries
    found = {r.mention.text: r.place for r in resolver.resolve(recognize(text))}
    assert (found["China"].feature_code, found["China"].country_code) == ("PCLI", "CN")


def test_an_address_is_no_list(recognize: Recognizer, resolver: Resolver) -> None:
    # "Bethany, Ontario, Canada" looks like "Georgia, Illinois, Missouri", but Ontario lies
    # in Canada: the chain is an address, and an Ontario hamlet the gazetteer lacks is
    # read as the province, not as the English town
    text = "Volunteers put out a barn fire near Bethany, Ontario, Canada, at dawn."
    found = {r.mention.text: r.place for r in resolver.resolve(recognize(text))}
    assert (found["Bethany"].name, found["Bethany"].country_code) == ("Ontario", "CA")
    # a true list keeps each name's own reading
    text = "Storms hit Bethany, Ontario and Quebec on Sunday."
    found = {r.mention.text: r.place for r in resolver.resolve(recognize(text))}
    assert found["Bethany"].feature_class == "P"


def test_towns_in_a_list_are_not_inside_one_another(recognize: Recognizer,
                                                    resolver: Resolver) -> None:
    # "Washington, New York" is no town called Washington in New York state here
    text = ("The band played Washington, New York and Boston before flying home. "
            "In Washington it sold out two nights.")
    found = [(r.mention.text, r.place.geonameid) for r in resolver.resolve(recognize(text))]
    assert found.count(("Washington", 4140963)) == 2  # the capital, both times


@pytest.mark.parametrize(("text", "country"), [
    ("Perth is the capital of WA, and mining is its trade.", "AU"),
    ("Seattle and Spokane are the two largest cities of WA.", "US"),
    ("Chiefs in SA own much of the land near Rustenburg and Pretoria.", "ZA"),
    ("Police in Springfield, IL, said the man fled.", "US"),
])
def test_state_abbreviations_follow_the_article(recognize: Recognizer, resolver: Resolver,
                                                text: str, country: str) -> None:
    # "WA" is Western Australia or Washington by the article, never "Va." respelt
    (found,) = resolve_matches(recognize, resolver, text, r"\b(?:WA|SA|IL)\b")
    assert found.place.country_code == country and found.place.feature_code != "PPL"


@pytest.mark.parametrize(("text", "name", "place"), [
    # a postal code is the state, not a town that also goes by two letters ("OK" for
    # Kokomo) nor another state respelt ("VA" is no "WA")
    ("The rally in Tulsa, OK, drew crowds from across the state.", "OK", "Oklahoma"),
    ("Hail fell on Memphis, TN, and on farms along the river.", "TN", "Tennessee"),
    ("Schools across VA closed for the storm.", "VA", "Virginia"),
    ("Fans in Toronto, ON, lined the streets for the parade.", "ON", "Ontario"),
    ("She moved to LA last year to act in films.", "LA", "Los Angeles"),
    # the project's news aliases are what the name means, not a namesake's other name
    ("Israel and Hamas agreed to a truce in Gaza on Tuesday.", "Gaza", "Gaza Strip"),
    ("Shelling hit homes in Gaza City, where power is out.", "Gaza City", "Gaza"),
    ("Wildfires in WA burned through pine forests.", "WA", "Washington"),
    # "Alta." abbreviates Alberta; "Alta" without the stop is the Utah ski town
    ("Snow closed the road to Alta, where the lifts stayed shut.", "Alta", "Alta"),
])
def test_codes_and_news_aliases_outrank_namesakes(recognize: Recognizer, resolver: Resolver,
                                                  text: str, name: str, place: str) -> None:
    (found,) = resolve_matches(recognize, resolver, text, rf"\b{name}\b")
    assert found.place.name == place


def test_a_famous_city_in_a_country_the_article_names_keeps_its_name(
        recognize: Recognizer, resolver: Resolver) -> None:
    # an American inquiry names several U.S. places, but it names Russia too: the
    # summit went to the Russian capital, not to a Moscow in Pennsylvania
    text = ("FBI agents in New York and Philadelphia met the informant, and the Justice "
            "Department in Washington later took over the U.S. case. The 2030 summit had "
            "been moved to Moscow. Russian officials denied any wrongdoing.")
    (found,) = [r for r in resolver.resolve(recognize(text)) if r.mention.text == "Moscow"]
    assert found.place.country_code == "RU"


def test_a_city_of_millions_names_no_region_for_its_sentence(recognize: Recognizer,
                                                              resolver: Resolver) -> None:
    # "New York" is the city here: the state it also names holds no Philadelphia or
    # Washington for this sentence (a village and a town once called Washington)
    text = ("FBI agents in New York and Philadelphia met the informant, and the Justice "
            "Department in Washington later took over the case.")
    found = {r.mention.text: r.place for r in resolver.resolve(recognize(text))}
    assert found["Philadelphia"].admin1_code == "PA"
    assert found["Washington"].feature_code == "PPLC"
    assert found["New York"].feature_class == "P"


@pytest.mark.parametrize(("text", "place"), [
    # in a British story "Newcastle" is the short form of Newcastle upon Tyne, not the
    # small town in County Down called Newcastle outright
    ("A British charity opened its third food bank in Newcastle, the first outside "
     "London.", "Newcastle upon Tyne"),
    # another name that is not the opening of the place's own is no short form
    ("Volunteers in Harper cleared the roads after the flood, US officials said.",
     "Harper"),
])
def test_a_short_form_outranks_a_small_namesake_at_home(recognize: Recognizer,
                                                         resolver: Resolver, text: str,
                                                         place: str) -> None:
    name = place.split()[0]
    (found,) = [r for r in resolver.resolve(recognize(text)) if r.mention.text == name]
    assert found.place.name == place and found.place.feature_class == "P"
    assert "Costa Mesa" not in found.place.name


def test_one_demonym_is_a_faint_focus(recognize: Recognizer, resolver: Resolver) -> None:
    # a lone "American" does not make Scotland a village in the United States
    text = "As an American I hope Scotland keeps its nerve in the vote."
    (found,) = [r for r in resolver.resolve(recognize(text)) if r.mention.text == "Scotland"]
    assert found.place.country_code == "GB"


@pytest.mark.parametrize(("text", "name", "country"), [
    # a region listed between countries is one of the list, not a town inside the last
    ("Teams from Brazil, England, USA and Japan reached the final round.", "England", "GB"),
    # but a region after a city is where the city is
    ("The heat in Atlanta, Georgia, USA broke records.", "Georgia", "US"),
])
def test_a_region_listed_among_countries(recognize: Recognizer, resolver: Resolver,
                                         text: str, name: str, country: str) -> None:
    (found,) = [r for r in resolver.resolve(recognize(text)) if r.mention.text == name]
    assert found.place.country_code == country


@pytest.mark.parametrize("text", [
    "Hi everyone, the storm is over and I'd say the roads are clear.",
    "Oh well, Tx for the help, Ok?",
])
def test_postal_codes_are_words_in_any_other_case(recognize: Recognizer, text: str) -> None:
    # "Hi", "I'd", "Oh", "Tx" and "Ok" are no Hawaii, Idaho, Ohio, Texas or Oklahoma
    assert [m.text for m in recognize(text)] == []


@pytest.mark.parametrize(("text", "word", "code"), [
    ("Striker Che Adams was booked twice.", "Che", "CH"),
    ("Prices rose three Per cent last year.", "Per", "PE"),
])
def test_country_codes_are_words_in_any_other_case(recognize: Recognizer, resolver: Resolver,
                                                   text: str, word: str, code: str) -> None:
    # "Che" and "Per" are not "CHE" (Switzerland) or "PER" (Peru)
    assert not [r for r in resolver.resolve(recognize(text))
                if r.mention.text == word and r.place and r.place.country_code == code]


def test_a_country_code_in_capitals(recognize: Recognizer, resolver: Resolver) -> None:
    (found,) = resolve_matches(recognize, resolver, "Aid flights from the USA landed.", "USA")
    assert found.place.country_code == "US"


def test_a_postal_code_before_a_designator(recognize: Recognizer, resolver: Resolver) -> None:
    text = "Snow closed roads up to the TN state line, but AR towns stayed open."
    found = [r.place.name for r in resolve_matches(recognize, resolver, text,
                                                   r"\b(?:AR|TN)\b")]
    assert found == ["Tennessee", "Arkansas"]


@pytest.mark.parametrize(("text", "name", "place"), [
    # English names of large cities, though small towns abroad bear them outright
    ("The orchestra performed in Gothenburg last winter.", "Gothenburg", "Göteborg"),
    ("Riots broke out in Marseilles overnight.", "Marseilles", "Marseille"),
])
def test_an_english_name_of_a_large_city(recognize: Recognizer, resolver: Resolver,
                                         text: str, name: str, place: str) -> None:
    (found,) = [r for r in resolver.resolve(recognize(text)) if r.mention.text == name]
    assert found.place.name == place


def test_a_namesake_sentence_states_no_parent_for_the_article(recognize: Recognizer,
                                                              resolver: Resolver) -> None:
    # "named after Richmond, Virginia" places the namesake, not the article's Richmond
    text = ("Richmond is a city in Ray County, Missouri, United States. It was named after "
            "Richmond, Virginia. Richmond was founded in 1827.")
    found = [r for r in resolver.resolve(recognize(text)) if r.mention.text == "Richmond"]
    assert [(r.place.country_code, r.place.admin1_code) for r in found] == [
        ("US", "MO"), ("US", "VA"), ("US", "MO")]


def test_a_name_missing_from_its_stated_county_reads_as_the_county(
        recognize: Recognizer, resolver: Resolver) -> None:
    # no Weston lies in Tunica County, Mississippi: a Weston in Florida is no reading of
    # it, the county the text names is where it is; every later mention follows
    text = ("Weston is a hamlet in Tunica County, Mississippi. Farmers in Weston grow "
            "cotton.")
    found = [r for r in resolver.resolve(recognize(text)) if r.mention.text == "Weston"]
    assert len(found) == 2
    for r in found:
        assert (r.place.feature_code, r.place.country_code, r.place.admin1_code) == (
            "ADM2", "US", "MS")
        assert "Tunica" in r.place.name
    assert any("gazetteer lacks" in s for s in found[0].signals)
    assert "same name, stated parent elsewhere" in found[1].signals
    assert found[0].score < 0.5


@pytest.mark.parametrize(("text", "name", "code"), [
    # a place the stated parent does contain keeps its own reading
    ("A fire broke out in Long Beach, California.", "Long Beach", "PPL"),
    # a unit no smaller than its "parent" is no place inside it
    ("The flat is in Sanford, Florida, in Seminole County.", "Florida", "ADM1"),
    # a list of counties states no containment
    ("Storms hit Allamakee County, Dallas County and Plymouth County.", "Allamakee",
     "ADM2"),
    # a city of millions is itself; the text is wrong about its state
    ("A drone was shot down over Pune in the Karnataka state.", "Pune", "PPL"),
    # the one place of its name is itself, in another country than the text says
    ("A drone was shot down over Dzhezkazgan in the Kaluga region.", "Dzhezkazgan", "PPL"),
])
def test_a_parent_that_cannot_stand_in(recognize: Recognizer, resolver: Resolver, text: str,
                                       name: str, code: str) -> None:
    found = {r.mention.text: r for r in resolver.resolve(recognize(text))}
    assert found[name].place.feature_code.startswith(code)
    assert not any("gazetteer lacks" in s for s in found[name].signals)


def test_a_loosely_matched_parent_does_not_stand_in(recognize: Recognizer,
                                                    resolver: Resolver) -> None:
    # "Darfur" is no unit of that name (only units named after it): it stands in for nothing
    text = "Aid workers returned to Qoz Wadi, Darfur, on Monday."
    for r in resolver.resolve(recognize(text)):
        assert not any("gazetteer lacks" in s for s in r.signals)


def test_a_parent_missing_from_the_gazetteer_passes_to_its_own_parent(
        recognize: Recognizer, resolver: Resolver) -> None:
    # no Quarrydale district is known: Weston is still in the county that contains it
    text = "Weston is a hamlet in the Quarrydale district of Tunica County, Mississippi."
    mentions = recognize(text)
    weston, district = mentions[0], mentions[1]
    assert weston.parent == (district.start, district.end)
    found = resolver.resolve(mentions)[0]
    assert (found.place.feature_code, found.place.admin1_code) == ("ADM2", "MS")
    assert "Tunica" in found.place.name


def test_a_capital_outranks_a_small_namesake_nearness_favours(
        recognize: Recognizer, resolver: Resolver) -> None:
    # Utica lies near Rome, New York, but the text never places "Rome" and the article
    # is about another country: the capital is meant
    text = ("Farmers in Manila, Cebu, Davao and Iloilo reported sick pigs. Samples went to "
            "a lab near Utica. Experts in Rome reviewed them.")
    found = {r.mention.text: r for r in resolver.resolve(recognize(text))}
    assert (found["Rome"].place.feature_code, found["Rome"].place.country_code) == (
        "PPLC", "IT")
    # one other place in the namesake's country makes no article about it
    text = "Officials in Moscow and Washington disagreed on Monday."
    found = {r.mention.text: r for r in resolver.resolve(recognize(text))}
    assert found["Moscow"].place.country_code == "RU"
    # an article about the namesake's own country keeps the namesake within reach
    text = "Growers in Utica and Syracuse met on Monday. A delegate drove to Rome."
    found = {r.mention.text: r for r in resolver.resolve(recognize(text))}
    assert found["Rome"].place.country_code == "US"


def test_the_text_placing_the_namesake_keeps_it(recognize: Recognizer,
                                                  resolver: Resolver) -> None:
    text = "Rome, Georgia, opened a clinic. Patients in Rome waited an hour."
    found = [r for r in resolver.resolve(recognize(text)) if r.mention.text == "Rome"]
    assert [(r.place.country_code, r.place.admin1_code) for r in found] == [
        ("US", "GA"), ("US", "GA")]


def test_a_region_listed_among_regions_is_not_inside_the_next(recognize: Recognizer,
                                                             resolver: Resolver) -> None:
    text = ("Cases were reported in Tennessee, Texas, Utah, Virginia, Washington, "
            "West Virginia and Wyoming.")
    found = {r.mention.text: r for r in resolver.resolve(recognize(text))}
    assert (found["Washington"].place.feature_code,
            found["Washington"].place.admin1_code) == ("ADM1", "WA")


@pytest.mark.parametrize(("text", "country"), [
    ("Voters in Georgia and Arizona will decide the Senate majority.", "US"),
    ("Georgia and Armenia signed a border deal.", "GE"),
    ("Georgia's president met the governor of California.", "GE"),  # not listed together
])
def test_a_region_listed_beside_one_region_is_its_sibling(recognize: Recognizer,
                                                          resolver: Resolver, text: str,
                                                          country: str) -> None:
    found = {r.mention.text: r for r in resolver.resolve(recognize(text))}
    assert found["Georgia"].place.country_code == country


def test_an_organisation_named_like_a_place_elsewhere_is_no_mention(
        recognize: Recognizer) -> None:
    assert [m.text for m in recognize("Talks with Hamas resumed in Cairo.")] == ["Cairo"]


def test_a_region_whose_name_a_city_also_goes_by_stays_the_region_in_a_list(
        recognize: Recognizer, resolver: Resolver) -> None:
    # "Bahia" is also an old name of Salvador; listed with a state, it is the state
    text = "Floods in Bahia and Minas Gerais left many dead."
    found = {r.mention.text: r for r in resolver.resolve(recognize(text))}
    assert (found["Bahia"].place.feature_code, found["Bahia"].place.country_code) == (
        "ADM1", "BR")


def test_a_neighbour_in_the_sentence_keeps_the_small_namesake(recognize: Recognizer,
                                                              resolver: Resolver) -> None:
    text = "Students commute between Moscow and Pullman every day."
    found = {r.mention.text: r for r in resolver.resolve(recognize(text))}
    assert (found["Moscow"].place.country_code, found["Moscow"].place.admin1_code) == (
        "US", "ID")


def test_regions_in_two_sentences_are_no_list(recognize: Recognizer,
                                              resolver: Resolver) -> None:
    text = "The wine was exported from Georgia. Texas buyers paid well."
    found = {r.mention.text: r for r in resolver.resolve(recognize(text))}
    assert found["Georgia"].place.country_code == "GE"


@pytest.mark.parametrize("text", ["Police closed a shop in Valletta.",
                                  "Talks were held in Vaduz on Monday."])
def test_a_small_capital_is_the_city_not_its_namesake_unit(recognize: Recognizer,
                                                           resolver: Resolver,
                                                           text: str) -> None:
    (found,) = resolver.resolve(recognize(text))
    assert found.place.feature_code == "PPLC"
