"""Place names inside a longer name: "University of Alberta", "Dubai Marathon".

A span handed to the resolver (a gold toponym, another tool's entity, a row to geocode) may
name an organisation, an event or a building after a place. When the whole name is no
place, the place it is named after is the best answer left; these are the names to try.
Natural features are left alone: the "Indian Ocean" is not in India, nor a river in the
state named after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import (
    ABBREVIATIONS,
    COMPASS,
    CONNECTORS,
    DESIGNATOR_WORDS,
    FUNCTION_WORDS,
    GIVEN_NAMES,
    NATURAL_WORDS,
    STOP,
    demonyms,
)

__all__ = ["InnerName", "inner_names"]

_WORD = re.compile(r"[^\W\d_][\w&.'’-]*")
_POSSESSIVE = re.compile(r"['’]s?$")
_MAX_WORDS = 8  # longer "names" are sentences; nothing in them is named after a place

# A name with one of these is a natural feature, a quarter or a unit the gazetteer lacks,
# which lies elsewhere than the place whose name it contains.
_FEATURE_WORDS = NATURAL_WORDS | frozenset("""
seas ocean valley delta rivers lakes peninsula mount mt
gulf isle plateau desert coast strait channel canal cape point rock hill hills
quarter falls beach forest basin highlands lowlands township
street st st. road rd rd. avenue ave ave. boulevard blvd blvd. lane drive highway freeway
motorway terrace parade rue trail tunnel fault faultline border panhandle dock docks bridge
""".split())
# An embassy is in another country than the one it is named after.
_ABROAD = frozenset({"embassy", "consulate", "consulate-general", "mission"})
# "Washington Township" is a unit the gazetteer lacks, not Washington; "Norwich City"
# (the club) is Norwich, so "city" may close a name
_PLACE_LAST = frozenset(DESIGNATOR_WORDS) | {"town", "village", "borough"}
_SAINT = frozenset({"st", "st.", "saint", "ste", "ste."})
# "Eastern Ukraine", "SW Georgia", "South Jersey": a part of the place, often far from its
# centre, and sometimes of another place than the bare name reads as.
_PART_OF = COMPASS | frozenset("northeast northwest southeast southwest northeastern "
                               "northwestern southeastern southwestern ne nw se sw n. s. e. w."
                               .split())


@dataclass(frozen=True, slots=True)
class InnerName:
    """A shorter name inside a longer one, and what to look up for it."""

    surface: str
    lookup: str
    first: int  # word positions in the longer name, end exclusive
    last: int
    is_demonym: bool = False

    @property
    def designated(self) -> bool:
        """Whether the name ends in a designator: "Walker County", "Guma District"."""
        return self.surface.rsplit(" ", 1)[-1].lower() in DESIGNATOR_WORDS


def _opens(word: str) -> bool:
    return word[0].isupper() and word.lower() not in FUNCTION_WORDS


def _closes(word: str) -> bool:
    low = word.lower()  # "Walker County", "Mexico City" close a name too
    return word[0].isupper() and (low not in STOP or low in DESIGNATOR_WORDS or low == "city")


def _alone(word: str, before: str | None) -> bool:
    """Whether one word may be a place on its own inside the name."""
    low = word.lower().rstrip(".")
    if not word[0].isupper() or low in STOP or low in GIVEN_NAMES:
        return False
    if word.isupper() and len(word) <= 4 and low not in ABBREVIATIONS:
        return False  # "MDC", "NS": an acronym, not a place
    # "St George's Chapel", "Paul Jones Hall": a person's name
    return before is None or (before.lower() not in _SAINT and before.lower() not in GIVEN_NAMES)


def inner_names(text: str) -> list[list[InnerName]]:
    """Shorter names inside ``text``, grouped by length in words, longest group first.

    Parts open on a capitalised word and close on one that is not a stop word
    ("University", "Council"); only connectors ("of", "and") may be lower case inside.
    A demonym opening the name is looked up as its country ("Mexican Senate").
    Returns nothing for one word and for very long text, and nothing where the place
    named is not where the thing is: natural features and streets ("Indian Ocean",
    "Atlantic Avenue"), parts of a place ("Eastern Ukraine") and embassies.

    >>> [[n.surface for n in group] for group in inner_names("Bank of Mexico")]
    [[], ['Mexico']]
    """
    words = [_POSSESSIVE.sub("", m.group()) for m in _WORD.finditer(text)]
    if not 1 < len(words) <= _MAX_WORDS or text.isupper():
        return []  # in capitals ("PLYMOUTH CO.") names and abbreviations look alike
    lowered = [w.lower() for w in words]
    if (_FEATURE_WORDS.intersection(lowered) or _PART_OF.intersection(lowered)
            or _ABROAD.intersection(lowered) or lowered[-1] in _PLACE_LAST or "&" in text):
        return []
    names = demonyms()
    groups: list[list[InnerName]] = []
    for size in range(len(words) - 1, 0, -1):
        group = []
        for i in range(len(words) - size + 1):
            part = words[i:i + size]
            surface = " ".join(part)
            if size == 1 and surface in names:
                # "Mexican Senate", not "Latin American" or "African American"
                if i == 0 and words[1] not in names:
                    group.append(InnerName(surface, names[surface], i, i + 1, True))
            elif (_alone(part[0], words[i - 1] if i else None) if size == 1
                  else _opens(part[0]) and _closes(part[-1]) and all(
                      w[0].isupper() or w.lower() in CONNECTORS for w in part[1:-1])
                  and any(w.lower() not in STOP for w in part)):  # not "Central District"
                group.append(InnerName(surface, surface, i, i + size))
        groups.append(group)
    return groups
