"""Name folding: the keys under which places are stored and looked up.

News spells places differently from GeoNames ("Dzerzhinsky district" vs "Dzerzhinskiy
Rayon", "Leningrad region" vs "Leningradskaya Oblast'"). Both sides of a lookup go through
the same pure functions here, so they meet in the middle. Nothing here touches a file.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from unidecode import unidecode

__all__ = [
    "DESIGNATORS",
    "Designated",
    "fold",
    "loose_key",
    "skeleton",
    "split_designator",
]

# Latin letters with diacritics become ASCII (é→e, ł→l, ß→ss); other scripts keep their
# letters (a Cyrillic query should meet a Cyrillic alternate name), with accents dropped.
_LATIN = {cp: unidecode(chr(cp)) for cp in range(0x80, 0x250)
          if unicodedata.category(chr(cp))[0] == "L"}
_APOSTROPHES = dict.fromkeys(map(ord, "'’ʼʹ`´‘ʻ"), None)
_NON_WORD = re.compile(r"[\W_]+")
_DOTTED = re.compile(r"\b(?:[^\W\d_]\.){2,}")  # "U.S.", "N.Y." fold like "US", "NY"


@lru_cache(maxsize=65536)
def fold(name: str) -> str:
    """Fold case, diacritics, apostrophes and punctuation into a lookup key.

    Examples
    --------
    >>> fold("Leningradskaya Oblast'")
    'leningradskaya oblast'
    >>> fold("Zürich-Nord")
    'zurich nord'
    >>> fold("U.S.")
    'us'
    >>> fold("Калужская  область")
    'калужская область'
    """
    text = name
    if not text.isascii():
        text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
        text = text.translate(_LATIN)
        # accents go, and so do invisible format characters ("Kha\u00adrkiv": a soft hyphen)
        text = "".join(ch for ch in text
                       if not unicodedata.combining(ch) and unicodedata.category(ch) != "Cf")
    text = _DOTTED.sub(lambda m: m.group().replace(".", ""), text.translate(_APOSTROPHES))
    return _NON_WORD.sub(" ", text.casefold()).strip()


# Variant spellings of Russian/Ukrainian transliteration, merged per word in folded text.
_ENDINGS = re.compile(r"(sk)(?:iy|ii|ij|yi|yy|yj|i|y)\b|(sk)(?:aia|aja)\b|(sk)(?:oye|oie|oje)\b"
                      r"|(?:iy|ii|ij|yy|yi)\b")
_PAIRS = {"yo": "e", "jo": "e", "ia": "ya", "ja": "ya", "iu": "yu", "ju": "yu", "kh": "h",
          "tz": "c", "ts": "c", "dzh": "j", "dj": "j", "w": "v"}
_INNER = re.compile(r"\bye|dzh|" + "|".join(sorted(_PAIRS, key=len, reverse=True)))
_DOUBLE = re.compile(r"([a-z])\1")


def _ending(match: re.Match[str]) -> str:
    if match.group(1):
        return "sky"
    if match.group(2):
        return "skaya"
    if match.group(3):
        return "skoe"
    return "y"


@lru_cache(maxsize=65536)
def loose_key(key: str) -> str:
    """Merge transliteration variants of an already folded key.

    Only Latin keys change; other scripts are returned as they are.

    Examples
    --------
    >>> loose_key("dzerzhinskiy") == loose_key("dzerzhinsky") == loose_key("dzerzhinskii")
    True
    >>> loose_key("yekaterinburg") == loose_key("ekaterinburg")
    True
    """
    if not key.isascii():
        return key
    key = _ENDINGS.sub(_ending, key)
    key = _INNER.sub(lambda m: "e" if m.group() == "ye" else _PAIRS[m.group()], key)
    return _DOUBLE.sub(r"\1", key)


_VOWELS = re.compile(r"[aeiouy\s]+")


def skeleton(key: str) -> str:
    """Reduce a folded key to its consonants, a coarse key for fuzzy candidates.

    Examples
    --------
    >>> skeleton(loose_key("dzerzhinskiy"))
    'dzrzhnsk'
    """
    first, rest = key[:1], key[1:]
    return first + _VOWELS.sub("", rest)


# designator word (folded) → feature code it hints at
DESIGNATORS: dict[str, str] = {}
for _words, _code in (
    ("region oblast oblast' krai kray province state governorate muhafazah muhafazat "
     "prefecture republic voivodeship canton emirate territory area oblysy "
     "область край республика провинция губерния", "ADM1"),
    ("district rayon raion raion county municipality okrug "
     "municipal borough commune parish audany ilcesi powiat shi gun ku "
     "район округ муниципальный городской", "ADM2"),
    ("department departement departamento", "ADMX"),
):
    for _word in _words.split():
        DESIGNATORS[fold(_word)] = _code
# "Gorodskoy Okrug", "Urban District", "Autonomous Okrug" etc. are folded word by word too.
_MULTI_PREFIX = ("gorodskoy okrug gorod ", "gorodskoy okrug ", "городской округ город ",
                 "городской округ ", "republic of ", "province of ", "state of ",
                 "governorate of ", "region of ", "district of ", "county of ",
                 "departamento de ", "partido de ", "provincia de ", "municipio de ",
                 "shahrestan e ", "qada ", "powiat ", "kabupaten ", "kota ")
_PREFIX_WORDS = {p.split()[0] for p in _MULTI_PREFIX}
_MODIFIERS = {"autonomous", "urban", "municipal", "administrative", "avtonomnyy", "gorodskoy",
              "munitsipalnyy", "автономный", "городской", "муниципальныи"}


@dataclass(frozen=True, slots=True)
class Designated:
    """A folded name split into its core and the designator around it."""

    core: str
    designator: str | None
    feature_code: str | None


@lru_cache(maxsize=65536)
def split_designator(key: str) -> Designated:
    """Strip a designator word ("region", "rayon", "oblast") and say what it hints at.

    The input is a folded key. A name that is nothing but a designator keeps it.

    Examples
    --------
    >>> split_designator("kaluga region")
    Designated(core='kaluga', designator='region', feature_code='ADM1')
    >>> split_designator("gorodskoy okrug gorod kaluga").core
    'kaluga'
    >>> split_designator("paris")
    Designated(core='paris', designator=None, feature_code=None)
    """
    first, _, _ = key.partition(" ")
    if first not in _PREFIX_WORDS:
        last = key.rpartition(" ")[2]
        if last not in DESIGNATORS or last == key:
            return Designated(key, None, None)
    for prefix in _MULTI_PREFIX:
        if key.startswith(prefix) and len(key) > len(prefix):
            rest = split_designator(key[len(prefix):])  # "qada balad district"
            word = next((w for w in prefix.split() if w in DESIGNATORS), "")
            return Designated(rest.core, prefix.strip(),
                              rest.feature_code or DESIGNATORS.get(word, "ADM2"))
    words = key.split()
    if len(words) < 2 or words[-1] not in DESIGNATORS:
        return Designated(key, None, None)
    designator = words.pop()
    while len(words) > 1 and words[-1] in _MODIFIERS:
        designator = f"{words.pop()} {designator}"
    return Designated(" ".join(words), designator, DESIGNATORS[designator.split()[-1]])
