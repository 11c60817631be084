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


@lru_cache(maxsize=65536)
def fold(name: str) -> str:
    """Fold case, diacritics, apostrophes and punctuation into a lookup key.

    Examples
    --------
    >>> fold("Leningradskaya Oblast'")
    'leningradskaya oblast'
    >>> fold("Zürich-Nord")
    'zurich nord'
    >>> fold("Калужская  область")
    'калужская область'
    """
    text = name.translate(_APOSTROPHES)
    if not text.isascii():
        text = text.translate(_LATIN)
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", text.casefold()).strip()


# Variant spellings of Russian/Ukrainian transliteration, applied per word to folded text.
_LOOSE_RULES = [
    (re.compile(r"sk(?:iy|ii|ij|yi|yy|yj|i|y)\b"), "sky"),
    (re.compile(r"sk(?:aya|aia|aja|aya)\b"), "skaya"),
    (re.compile(r"sk(?:oye|oe|oie|oje)\b"), "skoe"),
    (re.compile(r"(?:iy|ii|ij|yy|yi)\b"), "y"),
    (re.compile(r"\bye"), "e"),
    (re.compile(r"yo|jo"), "e"),
    (re.compile(r"ia|ja"), "ya"),
    (re.compile(r"iu|ju"), "yu"),
    (re.compile(r"kh"), "h"),
    (re.compile(r"tz|ts"), "c"),
    (re.compile(r"dzh|dj"), "j"),
    (re.compile(r"w"), "v"),
    (re.compile(r"(.)\1"), r"\1"),
]


@lru_cache(maxsize=65536)
def loose_key(key: str) -> str:
    """Merge transliteration variants of an already folded key.

    Examples
    --------
    >>> loose_key("dzerzhinskiy") == loose_key("dzerzhinsky") == loose_key("dzerzhinskii")
    True
    >>> loose_key("yekaterinburg") == loose_key("ekaterinburg")
    True
    """
    for pattern, repl in _LOOSE_RULES:
        key = pattern.sub(repl, key)
    return key


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
     "prefecture republic voivodeship canton emirate territory area "
     "область край республика провинция губерния", "ADM1"),
    ("district rayon raion raion county department departement municipality okrug "
     "municipal borough commune parish "
     "район округ муниципальный городской", "ADM2"),
):
    for _word in _words.split():
        DESIGNATORS[fold(_word)] = _code
# "Gorodskoy Okrug", "Urban District", "Autonomous Okrug" etc. are folded word by word too.
_MULTI_PREFIX = ("gorodskoy okrug gorod ", "gorodskoy okrug ", "городской округ город ",
                 "городской округ ", "republic of ", "province of ", "state of ",
                 "governorate of ", "region of ", "district of ", "county of ")
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
    for prefix in _MULTI_PREFIX:
        if key.startswith(prefix) and len(key) > len(prefix):
            rest = key[len(prefix):]
            word = prefix.split()[-2] if prefix.endswith("of ") else prefix.split()[1]
            return Designated(rest, prefix.strip(), DESIGNATORS.get(word, "ADM2"))
    words = key.split()
    if len(words) < 2 or words[-1] not in DESIGNATORS:
        return Designated(key, None, None)
    designator = words.pop()
    while len(words) > 1 and words[-1] in _MODIFIERS:
        designator = f"{words.pop()} {designator}"
    return Designated(" ".join(words), designator, DESIGNATORS[designator.split()[-1]])
