"""Containment claims built from the gazetteer itself, judged end to end by ``mapper check``.

Usage: python benchmarks/check_claims.py [--countries RU,UA,...] [--per-country 100]
                                         [--seed 7] [--json OUT] [--examples 10]

For each country, real (ADM2 district, ADM1 region) and (town of ≥ 1,000 people, ADM1
region) pairs are sampled with a fixed seed and written as news would write them ("the
Dzerzhinsky district of the Kaluga region", "Kondrovo, a town in the Kaluga region",
"Kaluga's Dzerzhinsky district", "Clark County, Nevada"). Three claim sets:

* true claims: the place in its own region; expected verdict ``consistent``;
* wrong claims: the same place, same sentence form, put in another region of the same
  country that has no place of that name (checked with the gazetteer); expected
  ``inconsistent`` (``unknown-place`` is wrong, ``unverifiable`` is not flagged);
* garbled names: a true pair with the name garbled (transliteration noise, doubled
  letters, a dropped letter, swapped letters, a changed suffix), never another real place
  of that region; scored by whether the top-1 / top-3 "did you mean" suggestions (or a
  ``consistent`` verdict on the true place) give back the true place.

Each sentence goes through ``Geoparser(gaz).check(Article(...))``, so recognition, the
resolver and the checker are all measured. A claim whose X→Y pair produced no finding
counts as a recognition failure. Targets: ≥ 99% of wrong claims flagged, ≤ 1% of true
claims flagged, garbled top-1 ≥ 80% and top-3 ≥ 95%.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from gazetteer import Gazetteer, Place, fold, loose_key, split_designator
from mapper.lexicon import GIVEN_NAMES, STOP, demonyms
from mapper.model import Article, Finding
from mapper.pipeline import Geoparser

# country → (word after an ADM1 name, word after an ADM2 name), as English news writes
# them; None: the name stands alone ("Clark County, Nevada", "Caerphilly, Wales").
COUNTRIES: dict[str, tuple[str | None, str | None]] = {
    "RU": ("region", "district"), "UA": ("region", "district"), "KZ": ("region", "district"),
    "SY": ("governorate", "district"), "IQ": ("province", "district"),
    "US": (None, "County"), "FR": ("region", "department"), "DE": ("state", None),
    "IN": ("state", "district"), "PK": ("province", "district"),
    "BR": ("state", "municipality"), "MX": ("state", "municipality"),
    "CO": ("department", "municipality"), "AR": ("province", "department"),
    "ES": ("region", "province"), "IT": ("region", "province"), "PL": ("province", "county"),
    "TR": ("province", "district"), "NG": ("state", None), "ID": ("province", None),
    "PH": ("region", "province"), "CN": ("province", None), "JP": ("prefecture", None),
    "GB": (None, None), "CA": ("province", None), "AU": ("state", None),
    "IR": ("province", "county"),
}
DEFAULT_COUNTRIES = ("RU UA KZ SY IQ US FR DE IN PK BR MX CO AR ES IT PL TR NG ID PH CN JP GB "
                     "CA AU IR").split()

TOWN_CODES = ("PPL", "PPLA", "PPLA2", "PPLA3", "PPLA4", "PPLC")

# Designators GeoNames puts in names and news leaves out or says in its own words.
_PREFIX = re.compile(
    r"^(?:Powiat|Kabupaten|Kota|Regierungsbezirk|Departamento de|Departamento|Municipio de|"
    r"Shahrestān-e|Shahrestan-e|Qaḑā’|Qada'|Gorodskoy Okrug Gorod|Gorodskoy Okrug|"
    r"Provincia de|Província de|Province of|Region of|District of|Republic of)\s+", re.I)
_SUFFIX = re.compile(
    r"(?:\s+(?:Urban District|Urban Okrug|Municipal District|Municipal Okrug|Gorodskoy Okrug|"
    r"Gorodskaya Administratsiya|Regional Municipality|Regional District|"
    r"Autonomous Okrug|Rayon|rayon|Raion|raion|Rajon|District|district|Municipality|"
    r"Municipio|Oblast|oblast|Oblast'|Oblysy|Aūdany|Audany|İlçesi|Ilcesi|Region|Krai|Kray|"
    r"Republic|County|Province|Governorate|Prefecture|Department|Voivodeship|Shi|Shire|Ken|Sheng)"
    r"|-(?:shi|gun|ken|ku))$", re.I)
# Common English words that are also place names somewhere: a claim about them tests the
# recogniser's guess whether a word is a place, not the checker.
COMMON_WORDS = frozenset("""
independence liberty union victory progress paradise hope friendship pleasant commerce
enterprise energy beach lake river mountain valley center central plains delta plateau
orange sunrise sunset harmony unity peace freedom justice glory lucky summit ocean bay
island islands coast forest garden gardens meadow spring springs falls rock hill hills
ridge point harbor harbour port bridge crossing junction station camp fort mission
eagle buffalo bear wolf fox deer lion tiger elk moose beaver rose lily ivy olive palm
pine oak cedar maple elm ash birch willow golden silver gold diamond crystal pearl
ruby emerald jade amber coral marble granite iron copper coal salt sugar bread honey
rice corn wheat cotton gas oil may march august mobile reading bath wells nice split
opportunity success fortune welcome concord providence eden zion bethlehem canaan
""".split())
_REGION_WORDS = {"territory", "region", "province", "state", "district", "capital", "city",
                 "oblast", "krai", "republic", "governorate", "prefecture", "county"}
_LETTERS = re.compile(r"^[^\W\d_][^\d_,()/.:;]*$")


@dataclass
class Claim:
    """One generated sentence, what it claims, and what the checker said."""

    set: str                # true | wrong | garbled
    country: str
    kind: str               # district | town
    form: str
    sentence: str
    x_span: tuple[int, int]
    y_span: tuple[int, int]
    place_id: int
    place_name: str
    region_id: int           # the region the sentence names
    true_region_id: int
    garble: str | None = None
    expected: str = ""
    got: str = ""            # the verdict, or "no finding"
    hit_rank: int | None = None  # garbled: 1-based rank of the true place, None = missed
    finding: dict[str, Any] | None = field(default=None)
    mentions: list[str] = field(default_factory=list)


# -- names as news writes them ----------------------------------------------------------

def strip_designator(name: str) -> str:
    """"Dzerzhinskiy Rayon" → "Dzerzhinskiy", "Powiat X" → "X", "Hadano-shi" → "Hadano"."""
    previous = None
    while previous != name:
        previous = name
        name = _PREFIX.sub("", name)
        stripped = _SUFFIX.sub("", name)
        if stripped.strip():
            name = stripped.strip()
    # the soft sign of Russian transliteration: news writes "Tyumen region", "Ust-Uda";
    # and "Rif Dimashq", "Russko-Polyanskoy" with capitals after a hyphen
    name = re.sub(r"[’ʹ'](?=[\s-]|$)", "", name)
    return re.sub(r"(?<=\w-)([a-z])(?=[a-z]{3})", lambda m: m.group(1).upper(), name)


def newsy(core: str, rng: random.Random) -> str:
    """Write "-skiy"/"-skyy"/"-skyi" the way English news mostly does: "-sky" (half the time)."""
    if rng.random() < 0.5:
        return re.sub(r"sk(?:iy|yy|yi|ii)\b", "sky", core)
    return core


class Names:
    """Which names are recognisable, and which names each region holds."""

    def __init__(self, gaz: Gazetteer) -> None:
        self.gaz = gaz
        self.lexicon = gaz.name_weights()
        self.countries = {fold(n) for (n,) in gaz.db.execute("SELECT name FROM countries")}
        self.demonyms = {fold(w) for w in demonyms()}
        self._region_keys: dict[int, set[str]] = {}

    def recognisable(self, core: str) -> bool:
        """Skip names no reader could take for a place: codes, one letter, common words."""
        if len(core) < 3 or core.isupper() or not core[:1].isupper() or not _LETTERS.match(core):
            return False
        key = fold(core)
        if len(key.split()) > 5 or key in self.countries or key in self.demonyms:
            return False
        words = key.split()
        return not (key in STOP or key in GIVEN_NAMES or key in COMMON_WORDS
                    or (len(words) == 1 and words[0] in STOP))

    @staticmethod
    def key(name: str) -> str:
        return loose_key(split_designator(fold(name)).core)

    def region_keys(self, region: Place) -> set[str]:
        """Loose keys of every place the region holds (codes and hierarchy)."""
        keys = self._region_keys.get(region.geonameid)
        if keys is None:
            keys = set()
            for place in self.gaz.children(region.admin_code):
                for n in {place.name, place.asciiname or place.name}:
                    keys.add(self.key(n))
                    keys.add(self.key(strip_designator(n)))
            self._region_keys[region.geonameid] = keys
        return keys

    def others_in_region(self, name: str, region: Place, allowed: set[str]) -> bool:
        """Whether ``name`` reaches a place in ``region`` whose name is not in ``allowed``."""
        if self.key(name) in self.region_keys(region) and self.key(name) not in allowed:
            return True
        hits = self.gaz.search(name, within=region.admin_code, fuzzy=False, limit=50)
        return any(self.key(m.place.name) not in allowed for m in hits)


# -- sampling ---------------------------------------------------------------------------

@dataclass
class Region:
    place: Place
    display: str
    word: str | None  # "region", "state"; None when the name says it ("Northern Territory")


@dataclass
class Pair:
    place: Place
    display: str      # the name without its designator, as news writes it
    kind: str         # district | town
    region: Region
    word: str | None  # the designator written after it ("district", "County")


def regions_of(gaz: Gazetteer, names: Names, cc: str, word: str | None) -> list[Region]:
    """The country's ADM1 units (one per admin1 code) whose name the gazetteer finds."""
    out = []
    rows = gaz.db.execute("SELECT geonameid FROM admin1 WHERE code LIKE ? ORDER BY code",
                          (f"{cc}.%",)).fetchall()
    for (gid,) in rows:
        place = gaz.find(gid) if gid else None
        if place is None or place.feature_code != "ADM1":
            continue
        for candidate in (place.name, place.asciiname or place.name):
            display = strip_designator(candidate)
            if not names.recognisable(display) and fold(display) not in names.countries:
                continue
            said = word
            if word and fold(display).split()[-1] in _REGION_WORDS:
                said = None
            query = f"{display} {said}" if said else display
            units = [m.place.geonameid for m in gaz.search(query, fuzzy=False, limit=30)
                     if m.place.feature_code == "ADM1" and m.place.country_code == cc]
            # the name must be known and say this unit, not another region of the country
            # ("Moscow region" is the oblast, not the city)
            if fold(display) in names.lexicon and units[:1] == [gid]:
                out.append(Region(place, display, said))
                break
    return out


def sample_pairs(gaz: Gazetteer, names: Names, cc: str, regions: list[Region], n: int,
                 rng: random.Random, dword: str | None) -> list[Pair]:
    """``n`` real (district or town, region) pairs, half districts when the country has them."""
    by_code = {r.place.admin1_code: r for r in regions}
    marks = ",".join("?" * len(TOWN_CODES))
    towns = gaz.db.execute(
        f"SELECT geonameid FROM places WHERE country_code = ? AND feature_class = 'P' AND "
        f"population >= 1000 AND feature_code IN ({marks}) ORDER BY geonameid",
        (cc, *TOWN_CODES)).fetchall()
    districts = gaz.db.execute(
        "SELECT geonameid FROM places WHERE country_code = ? AND feature_code = 'ADM2' "
        "ORDER BY geonameid", (cc,)).fetchall()
    pools = {"district": [g for (g,) in districts], "town": [g for (g,) in towns]}
    for pool in pools.values():
        rng.shuffle(pool)
    want = {"district": n // 2 if pools["district"] else 0}
    want["town"] = n - want["district"]
    out: list[Pair] = []
    seen: set[tuple[str, int]] = set()
    for kind in ("district", "town"):
        got = 0
        for gid in pools[kind]:
            if got >= want[kind]:
                break
            place = gaz.get(gid)
            region = by_code.get(place.admin1_code)
            if region is None:
                continue
            if kind == "district" and dword and not dword.islower() and not (
                    place.name.endswith(f" {dword}")):
                continue  # "City of Covington" is no "Covington County"
            display = strip_designator(place.name)
            if not names.recognisable(display) and place.asciiname:
                display = strip_designator(place.asciiname)
            if not names.recognisable(display) or fold(display) == fold(region.display):
                continue
            if (fold(display), region.place.geonameid) in seen:
                continue
            seen.add((fold(display), region.place.geonameid))
            word = dword if kind == "district" else None
            if cc == "JP" and kind == "district":  # "Aki-gun" is Aki district, "Hadano-shi" a city
                word = "district" if place.name.lower().endswith("-gun") else None
            out.append(Pair(place, newsy(display, rng) if kind == "district" else display,
                            kind, region, word))
            got += 1
        if kind == "district" and got < want["district"]:
            want["town"] += want["district"] - got  # make up with towns
    return out


# -- sentences --------------------------------------------------------------------------

DISTRICT_FORMS = ("d_in", "d_of", "d_poss", "d_comma", "d_a_in", "d_paren")
TOWN_FORMS = ("t_comma", "t_a_town", "t_in", "t_paren", "t_is_a")


def sentence(form: str, x: str, dword: str | None, y: str, rword: str | None
             ) -> tuple[str, tuple[int, int], tuple[int, int]] | None:
    """The sentence of one form, with the character spans of X and Y in it."""
    xd = f"{{X}} {dword}" if dword else "{X}"
    yr = f"the {{Y}} {rword}" if rword else "{Y}"
    yb = f"{{Y}} {rword}" if rword else "{Y}"
    lead, tail = "Local officials said a drone hit a building ", " overnight."
    templates = {
        "d_in": f"in {xd} in {yr}",
        "d_of": f"in the {xd} of {yr}" if dword and dword.islower() else None,
        "d_poss": f"in {{Y}}'s {xd}" if dword else None,
        "d_comma": f"in {xd}, {yb}",
        "d_a_in": f"in {{X}}, a district in {yr},",
        "d_paren": f"in {xd} ({yb})",
        "t_comma": f"in {{X}}, {yb},",
        "t_a_town": f"in {{X}}, a town in {yr},",
        "t_in": f"in {{X}} in {yr}",
        "t_paren": f"in {{X}} ({yb})",
    }
    if form == "t_is_a":
        lead, body, tail = "Local officials said ", f"{{X}} is a town in {yr}", "."
    else:
        body = templates[form]
    if body is None:
        return None
    text = lead + body + tail
    # fill in order of appearance so that the spans are right
    spans: dict[str, tuple[int, int]] = {}
    out, pos = [], 0
    for m in re.finditer(r"\{([XY])\}", text):
        out.append(text[pos:m.start()])
        start = sum(map(len, out))
        value = x if m.group(1) == "X" else y
        out.append(value)
        spans[m.group(1)] = (start, start + len(value))
        pos = m.end()
    out.append(text[pos:])
    return "".join(out), spans["X"], spans["Y"]


def pick_form(kind: str, rng: random.Random, dword: str | None) -> str:
    forms = DISTRICT_FORMS if kind == "district" else TOWN_FORMS
    if kind == "district" and not dword:
        forms = tuple(f for f in forms if f not in ("d_of", "d_poss"))
    elif kind == "district" and dword and not dword.islower():
        forms = tuple(f for f in forms if f != "d_of")  # not "the Clark County of Nevada"
    return rng.choice(forms)


# -- garbling ---------------------------------------------------------------------------

_TRANSLIT = [(r"sky\b", "skiy"), (r"skiy\b", "sky"), (r"skiy\b", "skii"), (r"sky\b", "skii"),
             (r"kh", "h"), (r"(?<![kzsc])h", "kh"), (r"zh", "j"), (r"(?<!d)j", "zh"),
             (r"ts", "c"), (r"c(?!h)", "ts"), (r"y", "i"), (r"(?<=[aeiou])i", "y"),
             (r"ye", "e"), (r"yu", "iu"), (r"ya", "ia"), (r"iy\b", "y"), (r"ou", "u"),
             (r"u", "ou"), (r"w", "v"), (r"v", "w")]
_SUFFIXES = [(r"ovka\b", "ivka"), (r"ivka\b", "ovka"), (r"ovo\b", "evo"), (r"evo\b", "ovo"),
             (r"ino\b", "ina"), (r"sk\b", "skoye"), (r"sky\b", "skoy"), (r"skiy\b", "skoye"),
             (r"ovsk\b", "evsk"), (r"a\b", "o"), (r"o\b", "a"), (r"e\b", "a"), (r"i\b", "y"),
             (r"y\b", "i"), (r"an\b", "anu"), (r"pur\b", "pura"), (r"abad\b", "abat"),
             (r"ville\b", "vile"), (r"ia\b", "iya"), (r"es\b", "as"), (r"os\b", "as")]
GARBLES = ("translit", "double", "drop", "swap", "suffix")


def garble(name: str, kind: str, rng: random.Random) -> str | None:
    """Garble the longest word of ``name``; None when this kind does not apply."""
    words = name.split(" ")
    i = max(range(len(words)), key=lambda k: len(words[k]))
    word = words[i]
    if len(word) < 5:
        return None
    low = word.lower()
    new: str | None = None
    if kind in ("translit", "suffix"):
        rules = _TRANSLIT if kind == "translit" else _SUFFIXES
        # the first letter stays: garbled names nearly always keep it
        options = [(h, r) for p, r in rules for h in re.finditer(p, low) if h.start() > 0]
        if not options:
            return None
        h, repl = rng.choice(options)
        new = low[:h.start()] + repl + low[h.end():]
    elif kind == "double":
        spots = [k for k in range(1, len(low) - 1) if low[k].isalpha()]
        doubled = [k for k in range(1, len(low) - 1) if low[k] == low[k + 1]]
        if doubled and rng.random() < 0.5:
            k = rng.choice(doubled)
            new = low[:k] + low[k + 1:]
        else:
            k = rng.choice(spots)
            new = low[:k] + low[k] + low[k:]
    elif kind == "drop":
        k = rng.randrange(1, len(low))
        new = low[:k] + low[k + 1:]
    elif kind == "swap":
        spots = [k for k in range(1, len(low) - 1) if low[k] != low[k + 1]
                 and low[k].isalpha() and low[k + 1].isalpha()]
        if not spots:
            return None
        k = rng.choice(spots)
        new = low[:k] + low[k + 1] + low[k] + low[k + 2:]
    if not new or new == low:
        return None
    new = new[:1].upper() + new[1:] if word[:1].isupper() else new
    words[i] = new
    return " ".join(words)


# -- running ----------------------------------------------------------------------------

def judge(parser: Geoparser, claim: Claim) -> None:
    """Run the sentence through ``mapper check``; record the finding for X in Y."""
    checked = parser.check(Article("bench", claim.sentence))
    xs, xe = claim.x_span
    ys, ye = claim.y_span
    mine: Finding | None = None
    for f in checked.findings:
        if f.place[0] < xe and xs < f.place[1] and f.parent[0] < ye and ys < f.parent[1]:
            mine = f
            break
    if mine is None:
        claim.got = "no finding"
        claim.mentions = [
            f"{m.text}{' [' + m.designator + ']' if m.designator else ''}"
            f"{' parent=' + claim.sentence[m.parent[0]:m.parent[1]] if m.parent else ''}"
            for m in parser.recognize(claim.sentence)]
        claim.finding = {"findings": [f"{f.place[2]} in {f.parent[2]}: {f.verdict}"
                                      for f in checked.findings]}
        return
    claim.got = mine.verdict
    claim.finding = mine.to_dict()
    if claim.set == "garbled":
        claim.hit_rank = rank_of_true(parser.gazetteer, claim, mine)


def rank_of_true(gaz: Gazetteer, claim: Claim, finding: Finding) -> int | None:
    """1 when the checker took the garbled name for the true place, else its suggestion rank."""
    true_key = Names.key(claim.place_name)
    if finding.verdict == "consistent" and finding.place_geonameid is not None:
        place = gaz.find(finding.place_geonameid)
        if finding.place_geonameid == claim.place_id or (
                place is not None and Names.key(place.name) == true_key):
            return 1
        return None
    for k, s in enumerate(finding.suggestions, 1):
        if s.geonameid == claim.place_id or Names.key(s.name) == true_key:
            return k
    return None


def build_claims(gaz: Gazetteer, names: Names, countries: list[str], per_country: int,
                 seed: int) -> tuple[list[Claim], dict[str, Any]]:
    claims: list[Claim] = []
    notes: dict[str, Any] = {}
    for cc in countries:
        rword, dword = COUNTRIES.get(cc, ("region", "district"))
        rng = random.Random(f"{seed}:{cc}")
        regions = regions_of(gaz, names, cc, rword)
        n_adm1 = gaz.db.execute("SELECT count(*) FROM admin1 WHERE code LIKE ?",
                                (f"{cc}.%",)).fetchone()[0]
        notes[cc] = {"regions": len(regions), "admin1_units": n_adm1}
        if len(regions) < 2:
            continue
        pairs = sample_pairs(gaz, names, cc, regions, per_country, rng, dword)
        for pair in pairs:
            form = pick_form(pair.kind, rng, pair.word)
            made = sentence(form, pair.display, pair.word, pair.region.display,
                            pair.region.word)
            if made is None:
                continue
            text, xspan, yspan = made
            base = dict(country=cc, kind=pair.kind, form=form, place_id=pair.place.geonameid,
                        place_name=pair.display, true_region_id=pair.region.place.geonameid)
            claims.append(Claim("true", sentence=text, x_span=xspan, y_span=yspan,
                                region_id=pair.region.place.geonameid, expected="consistent",
                                **base))
            # the same place in a region of the same country that has nothing of that name
            query = f"{pair.display} {pair.word}" if pair.word else pair.display
            others = [r for r in regions if r.place.admin1_code != pair.region.place.admin1_code
                      and fold(r.display) != fold(pair.region.display)]
            rng.shuffle(others)
            for wrong in others[:8]:
                if names.others_in_region(query, wrong.place, set()):
                    continue
                made = sentence(form, pair.display, pair.word, wrong.display, wrong.word)
                if made is not None:
                    text, xspan, yspan = made
                    claims.append(Claim("wrong", sentence=text, x_span=xspan, y_span=yspan,
                                        region_id=wrong.place.geonameid,
                                        expected="inconsistent", **base))
                    break
            else:
                notes[cc]["wrong_skipped"] = notes[cc].get("wrong_skipped", 0) + 1
        # garbled names: every other pair, garble kinds in turn
        for k, pair in enumerate(pairs[::2]):
            kinds = list(GARBLES[k % len(GARBLES):] + GARBLES[:k % len(GARBLES)])
            allowed = {Names.key(pair.display), Names.key(pair.place.name)}
            for kind in kinds:
                bad = garble(pair.display, kind, rng)
                if bad is None or fold(bad) == fold(pair.display):
                    continue
                query = f"{bad} {pair.word}" if pair.word else bad
                if names.others_in_region(query, pair.region.place, allowed):
                    continue
                form = pick_form(pair.kind, rng, pair.word)
                made = sentence(form, bad, pair.word, pair.region.display, pair.region.word)
                if made is None:
                    continue
                text, xspan, yspan = made
                claims.append(Claim("garbled", cc, pair.kind, form, text, xspan, yspan,
                                    pair.place.geonameid, pair.display,
                                    pair.region.place.geonameid, pair.region.place.geonameid,
                                    garble=kind, expected=f"suggest {pair.display}"))
                break
    return claims, notes


# -- reporting --------------------------------------------------------------------------

def pct(a: int, b: int) -> str:
    return f"{100 * a / b:5.1f}%" if b else "    –"


def summarise(claims: list[Claim]) -> dict[str, Any]:
    """Counts per claim set and verdict, overall and per country / kind / garble."""
    def block(items: list[Claim]) -> dict[str, Any]:
        true = [c for c in items if c.set == "true"]
        wrong = [c for c in items if c.set == "wrong"]
        garbled = [c for c in items if c.set == "garbled"]
        tv = Counter(c.got for c in true)
        wv = Counter(c.got for c in wrong)
        gv = Counter(c.got for c in garbled)
        recognised = [c for c in garbled if c.got != "no finding"]
        return {
            "true": {"n": len(true), "verdicts": dict(tv),
                     "flagged": len(true) - tv["consistent"] - tv["no finding"],
                     "not_consistent": len(true) - tv["consistent"]},
            "wrong": {"n": len(wrong), "verdicts": dict(wv), "flagged": wv["inconsistent"]},
            "garbled": {"n": len(garbled), "verdicts": dict(gv),
                        "top1": sum(c.hit_rank == 1 for c in garbled),
                        "top3": sum(c.hit_rank is not None and c.hit_rank <= 3
                                    for c in garbled),
                        "recognised": len(recognised)},
            "no_finding": sum(c.got == "no finding" for c in items),
        }

    out: dict[str, Any] = {"overall": block(claims), "countries": {}, "kinds": {},
                           "garbles": {}, "forms": {}}
    by: dict[str, dict[str, list[Claim]]] = defaultdict(lambda: defaultdict(list))
    for c in claims:
        by["countries"][c.country].append(c)
        by["kinds"][c.kind].append(c)
        by["forms"][c.form].append(c)
        if c.garble:
            by["garbles"][c.garble].append(c)
    for group, parts in by.items():
        out[group] = {key: block(items) for key, items in parts.items()}
    return out


def print_report(summary: dict[str, Any], claims: list[Claim], notes: dict[str, Any],
                 examples: int, seconds: float) -> None:
    head = (f"{'':8} {'true':>5} {'flag':>6} {'inc':>4} {'unk':>4} {'unv':>4} {'none':>4} │ "
            f"{'wrong':>5} {'flag':>6} {'cons':>4} {'unk':>4} {'unv':>4} {'none':>4} │ "
            f"{'garb':>4} {'top1':>6} {'top3':>6} {'none':>4}")

    def row(label: str, b: dict[str, Any]) -> str:
        t, w, g = b["true"], b["wrong"], b["garbled"]
        tv, wv, gv = t["verdicts"], w["verdicts"], g["verdicts"]
        return (f"{label:8} {t['n']:5} {pct(t['flagged'], t['n']):>6} "
                f"{tv.get('inconsistent', 0):4} {tv.get('unknown-place', 0):4} "
                f"{tv.get('unverifiable', 0):4} {tv.get('no finding', 0):4} │ "
                f"{w['n']:5} {pct(w['flagged'], w['n']):>6} {wv.get('consistent', 0):4} "
                f"{wv.get('unknown-place', 0):4} {wv.get('unverifiable', 0):4} "
                f"{wv.get('no finding', 0):4} │ {g['n']:4} {pct(g['top1'], g['n']):>6} "
                f"{pct(g['top3'], g['n']):>6} {gv.get('no finding', 0):4}")

    print("true: flag = share of all true claims judged anything but consistent (inc/unk/unv)"
          "; none = no finding for the claim (recognition/linking failed)")
    print("wrong: flag = share judged inconsistent of all wrong claims; cons/unk/unv/none = "
          "the others")
    print("garbled: top1/top3 = true place resolved (consistent) or suggested in the top 1/3,"
          " of all garbled claims\n")
    print(head)
    for cc, b in summary["countries"].items():
        print(row(cc, b))
    print("─" * len(head))
    print(row("overall", summary["overall"]))
    print()
    for group in ("kinds", "forms", "garbles"):
        print(f"by {group[:-1]}:")
        for key, b in sorted(summary[group].items()):
            print(row(key[:8], b))
        print()
    o = summary["overall"]
    t, w, g = o["true"], o["wrong"], o["garbled"]
    print(f"overall: wrong claims flagged {pct(w['flagged'], w['n'])} of {w['n']} "
          f"(target ≥ 99%); of those with a finding "
          f"{pct(w['flagged'], w['n'] - w['verdicts'].get('no finding', 0))}")
    print(f"         true claims flagged {pct(t['flagged'], t['n'])} of {t['n']} (target ≤ 1%)"
          f"; not consistent incl. no finding {pct(t['not_consistent'], t['n'])}")
    print(f"         garbled top-1 {pct(g['top1'], g['n'])}, top-3 {pct(g['top3'], g['n'])} "
          f"of {g['n']} (targets ≥ 80%, ≥ 95%); of the {g['recognised']} recognised: "
          f"top-1 {pct(g['top1'], g['recognised'])}, top-3 {pct(g['top3'], g['recognised'])}")
    print(f"         claims with no finding at all (recognition failed): {o['no_finding']} "
          f"of {len(claims)}")
    skipped = {cc: n for cc, n in notes.items() if n["regions"] < n["admin1_units"]}
    if skipped:
        print("regions without a recognisable name (not used): " + ", ".join(
            f"{cc} {n['admin1_units'] - n['regions']}/{n['admin1_units']}"
            for cc, n in skipped.items()))
    print(f"{len(claims)} claims in {seconds:.0f} s\n")

    failures = {
        "true claim flagged": [c for c in claims if c.set == "true"
                               and c.got not in ("consistent", "no finding")],
        "wrong claim not flagged": [c for c in claims if c.set == "wrong"
                                    and c.got not in ("inconsistent", "no finding")],
        "garbled name missed": [c for c in claims if c.set == "garbled" and c.hit_rank is None
                                and c.got != "no finding"],
        "no finding (recognition)": [c for c in claims if c.got == "no finding"],
    }
    rng = random.Random(0)
    for title, items in failures.items():
        print(f"== {title}: {len(items)} ==")
        for c in rng.sample(items, min(examples, len(items))):
            print(f"  [{c.country} {c.set} {c.kind} {c.form}{' ' + c.garble if c.garble else ''}]"
                  f" {c.sentence}")
            print(f"      expected {c.expected}; got {c.got}")
            if c.got == "no finding":
                print(f"      mentions: {c.mentions}; findings: "
                      f"{(c.finding or {}).get('findings', [])}")
            elif c.finding:
                sugg = [s["name"] for s in c.finding.get("suggestions", [])]
                print(f"      evidence: {c.finding['evidence'][:300]}")
                if sugg:
                    print(f"      suggestions: {sugg}")
        print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--countries", default=",".join(DEFAULT_COUNTRIES),
                        help="comma-separated ISO codes (default: %(default)s)")
    parser.add_argument("--per-country", type=int, default=100,
                        help="true claims per country (default %(default)s)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", metavar="OUT", help="write every claim and the summary")
    parser.add_argument("--examples", type=int, default=10,
                        help="example failures printed per kind (default %(default)s)")
    args = parser.parse_args()

    started = time.perf_counter()
    gaz = Gazetteer.default()
    geoparser = Geoparser(gaz)
    names = Names(gaz)
    countries = [c.strip().upper() for c in args.countries.split(",") if c.strip()]
    claims, notes = build_claims(gaz, names, countries, args.per_country, args.seed)
    built = time.perf_counter()
    print(f"generated {len(claims)} claims in {built - started:.0f} s "
          f"(index {gaz.path.name})")
    for claim in claims:
        judge(geoparser, claim)
    summary = summarise(claims)
    print_report(summary, claims, notes, args.examples, time.perf_counter() - started)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump({"args": vars(args), "summary": summary, "notes": notes,
                       "claims": [asdict(c) for c in claims]}, handle, ensure_ascii=False,
                      indent=1)


if __name__ == "__main__":
    main()
