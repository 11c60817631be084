"""Word lists the recogniser needs: stop words, titles, designators, cues, demonyms.

Kept apart from the matching logic so that users can read and extend them.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

from gazetteer.index import NATURAL_FEATURE_CODES

__all__ = ["ABBREVIATIONS", "COMPASS", "CONNECTORS", "DESIGNATOR_WORDS", "FACILITY_HEADS",
           "FUNCTION_WORDS", "GIVEN_NAMES", "NATURAL_WORDS", "REGIONAL_ADJECTIVES", "STOP",
           "STOP_PHRASES", "TITLES", "demonyms", "hint_word"]

# Capitalised words that start sentences or headlines and happen to be place names
# somewhere ("The" is a hamlet; "May" a town). Never a mention on their own.
STOP = frozenset("""
a an the this that these those there here it its he she they we you i me my our your his her
their them who what when where which why how and or but nor so yet if then than as at by for
from in into of off on onto out over to up upon with without within about above after against
along among around before behind below beneath beside between beyond during except inside
near since through throughout toward towards under until via all any both each few more most
other some such no not only own same too very can will just should now also even still again
ever never once said says say new old one two three four five six seven eight nine ten first
second third last next many much mr mrs ms dr st sir madam monday tuesday wednesday thursday
friday saturday sunday january february march april may june july august september october
november december today yesterday tomorrow tonight morning evening night week weekend year
month day time people police army government ministry minister president governor mayor
city town village region district province state country county republic kingdom union
north south east west northern southern eastern western central upper lower greater
news report reports reported according breaking update live video photo photos watch read
more share comment comments home page click subscribe sign login english russian spanish
university college school hospital church street road avenue square park bridge airport
station centre center court house hall office department agency committee council party
world international national federal general chief senior official officials
god lord jesus christ allah buddha congress parliament senate commerce industry trade
free snow fox inc ltd co corp company group media press times post herald
church mosque temple cathedral museum stadium arena bank supreme royal iron
christmas easter christian liberal conservative labour law cup green star justice mass
jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun xinhua
hamas hezbollah hizbollah taliban houthi houthis isis isil daesh nato opec asean interpol
""".split())

# Short capitals that news uses for places; other two- and three-letter capitals ("PM",
# "BA", "MW") are acronyms far more often than ISO country codes.
ABBREVIATIONS = frozenset("us usa uk uae eu ussr drc prc rok dprk ksa nz la nyc dc nsw bc"
                          .split())

# Capitalised phrases that are never the place they contain.
STOP_PHRASES = frozenset({"white house", "notre dame", "el nino", "el niño"})

# Words before a capitalised name that mark a person, not a place.
TITLES = frozenset("""
mr mrs ms miss dr prof sir lady lord president governor mayor minister senator sen rep
representative gen general col colonel maj major capt captain lt lieutenant sgt sergeant
judge justice king queen prince princess pope father rev reverend sheikh emir chairman
spokesman spokeswoman spokesperson ceo director coach player actor actress singer author
gov det insp supt cllr cmdr adm amb sens reps atty
""".split())

# Common given names: "Michael Jordan", "Paul Ryan", "Sarah Kelly" are people even though
# Jordan, Paul and Kelly are also places. Our own list; extend it for other languages.
GIVEN_NAMES = frozenset("""
aaron adam ahmed alan albert alex alexander ali alice allen amanda amy andrea andrew angela
ann anna anne anthony antonio barbara ben benjamin bernie beth betty bill bob brad brandon
brian bruce carl carlos carol catherine charles charlie chris christine christopher claire
daniel david deborah dennis diana donald donna doug douglas edward elizabeth emily emma eric
frank fred gary george gerald grace greg gregory hannah harry heather helen henry hillary
ian jack jacob james jamie jane janet jason jeff jeffrey jennifer jeremy jerry jessica jim
joe john johnny jonathan jose joseph josh joshua juan judy julia julie justin karen kate
katherine keith kelly ken kevin kim kyle larry laura lauren lee linda lisa louis lucy luis
margaret maria marie mark martin mary matt matthew megan melissa michael michelle mike
mohamed mohammed muhammad nancy nathan nicholas nick nicole oliver olivia pamela patricia
patrick paul peter philip rachel ralph raymond rebecca richard rick robert roger ronald
rose ruth ryan sam samuel sandra sarah scott sean sharon stephanie stephen steve steven
susan thomas tim timothy tom tony tyler victoria vladimir walter wayne william
""".split())

# Compass words that name a part of a place ("West Bank", "Eastern Ukraine").
COMPASS = frozenset("north south east west northern southern eastern western central".split())

# Lower-case words allowed inside a multi-word place name ("Isle of Man", "Rio de Janeiro").
CONNECTORS = frozenset("of de la le les del della da do dos das du des el al upon on an der "
                       "den van von y et sur sous en lès los las e ez ad ar as ash az and di dei "
                       "degli".split())

# Designator words that follow a name ("Kaluga region") → the feature type they hint at.
DESIGNATOR_WORDS = {
    "region": "ADM1", "oblast": "ADM1", "krai": "ADM1", "kray": "ADM1", "province": "ADM1",
    "state": "ADM1", "governorate": "ADM1", "prefecture": "ADM1", "republic": "ADM1",
    "territory": "ADM1", "voivodeship": "ADM1", "canton": "ADM1", "emirate": "ADM1",
    "district": "ADM2", "rayon": "ADM2", "raion": "ADM2", "county": "ADM2",
    "department": "ADMX", "municipality": "ADM2", "okrug": "ADM2", "borough": "ADM2",
    "parish": "ADM2", "regions": "ADM1", "districts": "ADM2", "provinces": "ADM1",
}

# Natural-feature words after a name ("the Oka river", "Seliger Lake"): like a designator,
# they say what kind of place the name is; the word itself is the hint.
NATURAL_WORDS = frozenset(NATURAL_FEATURE_CODES)

# The last word of a street, building or natural feature the gazetteer rarely holds
# ("Royal Street", "Barclays Center", "Pacific Ocean"): capitalised words before it name one
# place together. Organisations ("University", "Court", "Institute", "Club") are left out.
FACILITY_HEADS = frozenset("""
Street St St. Road Rd Rd. Avenue Ave Ave. Boulevard Blvd Blvd. Lane Drive Crescent Parade
Highway Freeway Motorway Terrace Close Plaza Square Bridge Canal
Hospital Stadium Airport Park Centre Center Theatre Theater Cathedral Mosque Church Chapel
Museum Prison Library Mall Tower Castle Palace Hall Racecourse Courthouse Station Campus
Estate Gardens Beach Bay Harbour Harbor Lagoon Lake River Creek Reservoir Falls Valley
Island Islands Peninsula Mountains Hills Ocean Sea Gulf
""".split())

# Words that cannot open a place name: articles, pronouns, prepositions, conjunctions.
FUNCTION_WORDS = frozenset("""
a an the this that these those there here it its he she they we you i me my our your his
her their them who what when where which why how and or but nor so yet if then than as at
by for from in into of off on onto out over to up upon with without within about after
before during since through under until via all any both each every some no not only
""".split())


# Adjectives of regions and of peoples whose name is also a language ("English", "Korean");
# not of peoples split between countries ("Tamil", "Punjabi").
# Not recognised in running text, where they mostly name a language or a league; a span
# given as a place ("the English city of Salisbury") reads as the region.
REGIONAL_ADJECTIVES = {
    "English": "country:GB.ENG", "Scottish": "country:GB.SCT", "Welsh": "country:GB.WLS",
    "Northern Irish": "country:GB.NIR", "Catalan": "country:ES.56",
    "Basque": "country:ES.59", "Bavarian": "country:DE.02", "Sicilian": "country:IT.15",
    "Tuscan": "country:IT.16", "Tibetan": "country:CN.14", "Crimean": "country:UA.11",
    "Texan": "country:US.TX",
    "Californian": "country:US.CA", "Floridian": "country:US.FL",
    "Quebecois": "country:CA.10", "Québécois": "country:CA.10", "Korean": "country:KR",
}


def hint_word(hint: str | None) -> str:
    """A designator word for a feature-type hint, so a gazetteer search sees the hint.

    A natural-feature hint ("river") gives none: the resolver tries the name with its word
    first, and a search inside a region looks for the name alone.
    """
    return {"ADM1": "region", "ADM2": "district", "ADMX": "department"}.get(hint or "", "")


# Words before a name that say a place follows ("in", "near", "over the territory of").
PLACE_CUES = frozenset("in near at from to outside across over into toward towards around "
                       "throughout within via between of along".split())


@lru_cache(maxsize=1)
def demonyms() -> dict[str, str]:
    """Demonyms and adjectives ("Syrian") → the name to resolve: ``country:SY``."""
    out: dict[str, str] = {}
    text = (files("mapper") / "data" / "demonyms.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            word, code, _ = line.split("\t")
            code = code if code.startswith("continent:") else f"country:{code}"
            out[word] = code
            if not word.endswith("s"):
                out.setdefault(word + "s", code)  # "Syrians"
    return out
