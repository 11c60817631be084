"""Places the gazetteer lacks but the text marks as places.

"Blorptown district in the Kaluga region", "Kondorvo, a town in …", "Royal Street": the
words around a capitalised name say it is a place. Keeping such a name lets the checker
say that no such place exists and suggest what was meant, and keeps a street or building
from being read as the town it is named after.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from gazetteer import fold

from .designators import designator_after
from .lexicon import (
    CONNECTORS,
    DESIGNATOR_WORDS,
    FACILITY_HEADS,
    FUNCTION_WORDS,
    GIVEN_NAMES,
    PLACE_CUES,
    STOP,
    TITLES,
)
from .model import Mention
from .tokens import Token, glued_after, glued_before, sentence_initial

__all__ = ["facility_at", "unknown_with_designator"]

# Designators after which an unknown capitalised word is still taken to be a place name.
_UNKNOWN_DESIGNATORS = {"district", "region", "oblast", "rayon", "raion", "province",
                        "governorate", "krai", "okrug", "county", "municipality",
                        "department"}
# ", Banten province", " in the Guangdong province", " (Thuringia state)": a region follows
_REGION_AFTER = re.compile(r"(?:,\s+|\s+in\s+(?:the\s+)?|\s+\()(?:[A-Z][\w'’-]*\s+){1,3}"
                           r"(?:region|province|state|oblast|krai|governorate|department|"
                           r"county|prefecture)\b")
_NAME_AFTER = re.compile(r"(?:,\s+|\s+in\s+(?:the\s+)?|\s+\()"
                         r"((?:[A-Z][\w'’-]*)(?:\s+[A-Z][\w'’-]*)?)(?=[\s,.;:)]|$)")
# ", a town in", " is a village in": the text itself says the name before it is a place
_CLAIM_GAP = re.compile(r",?\s+(?:is\s+|was\s+)?(?:an?|the)\s+(?:[\w-]+\s+){0,2}?(?:town|city|"
                        r"village|settlement|district|municipality|commune|hamlet|suburb)\s+"
                        r"(?:in|of)\s", re.I)


# Words that make "X … Department" an agency, not a French or Colombian department.
_AGENCY_WORDS = frozenset("police fire health sheriff sheriff's transportation transport "
                          "education justice defense defence treasury labor labour energy "
                          "agriculture commerce parks corrections revenue".split())


def unknown_with_designator(text: str, tokens: list[Token], i: int,
                            lexicon: Mapping[str, float]) -> tuple[Mention, int, int] | None:
    """A capitalised name the gazetteer lacks, where the text says it is a place.

    "Blorptown district in the Kaluga region" or "Kondorvo, a town in the Kaluga
    region" still names a place: keeping it lets the consistency check say that no
    such place exists and suggest what was meant.
    """
    first = tokens[i]
    leads = (first.lower in STOP and first.lower not in FUNCTION_WORDS
             and i + 1 < len(tokens)
             and tokens[i + 1].is_capitalised and tokens[i + 1].lower not in STOP
             and text[first.end:tokens[i + 1].start] == " ")  # "Upper Farnconia"
    if ((first.lower in STOP and not leads) or first.text.isupper()
            or glued_before(text, tokens, i) or first.lower in GIVEN_NAMES
            or first.lower in TITLES):
        return None
    j = i
    while j + 1 < len(tokens) and j - i < 4:
        nxt, gap = tokens[j + 1], text[tokens[j].end:tokens[j + 1].start]
        if nxt.lower in DESIGNATOR_WORDS or gap not in (" ", "-"):
            break
        if not (nxt.is_capitalised or gap == "-" or nxt.text in CONNECTORS):
            break  # "Al-baab", "Ayn al-Arab", "Russko-polyansky" continue the name
        j += 1
    while j > i and tokens[j].text in CONNECTORS:
        j -= 1
    designator, hint, ext_end, last = designator_after(text, tokens, j)
    start, end = first.start, tokens[j].end
    if designator is not None and designator.lower() in _UNKNOWN_DESIGNATORS and not any(
            t.lower in _AGENCY_WORDS for t in tokens[i:j + 1]):
        return Mention(start, end, text[start:end], designator=designator, hint=hint,
                       cues=("designator pattern", "designator")), ext_end, last
    if _CLAIM_GAP.match(text, end) and not sentence_initial(text, start):
        # ("Instead, the city of …" is not a place; a sentence's first word rarely is)
        return Mention(start, end, text[start:end],
                       cues=("designator pattern", "stated type")), end, j
    before = text[max(0, start - 12):start].lower().split()
    if not before or before[-1] not in PLACE_CUES:
        return None
    if _REGION_AFTER.match(text, end) or (" " not in text[start:end]
                                          and _region_name_after(text, end, lexicon)):
        # "a drone hit a building in Serng, Banten province", "in Somerrset in
        # England": after "in", and followed by the region that contains it
        return Mention(start, end, text[start:end],
                       cues=("designator pattern", "stated region")), end, j
    return None


def _region_name_after(text: str, end: int, lexicon: Mapping[str, float]) -> bool:
    """Whether a prominent region or country name follows (", England", " in Ohio")."""
    gap = _NAME_AFTER.match(text, end)
    if gap is None:
        return False
    return lexicon.get(fold(gap.group(1)), 0.0) >= 0.7


def facility_at(text: str, tokens: list[Token], i: int) -> tuple[Mention, int, int] | None:
    """A street, building or natural feature: "Royal Street", "Alder Hey Children's Hospital".

    Capitalised words ending in a facility head (FACILITY_HEADS) name one place together,
    whether or not the gazetteer holds it; the whole is the mention.
    """
    first = tokens[i]
    if (not first.is_capitalised or first.lower in FUNCTION_WORDS
            or first.text in FACILITY_HEADS or first.text.isupper()
            or first.lower.rstrip(".") in TITLES
            or (i > 0 and text[tokens[i - 1].end:first.start] in (" ", "-")
                and tokens[i - 1].is_capitalised and tokens[i - 1].lower not in STOP)):
        return None
    for k in range(i + 1, min(len(tokens), i + 5)):
        gap = text[tokens[k - 1].end:tokens[k].start]
        if gap not in (" ", "'s ", "’s ") or not tokens[k].is_capitalised:
            return None
        if tokens[k].text in FACILITY_HEADS:
            if k + 1 < len(tokens) and glued_after(text, tokens, k):
                if tokens[k + 1].text in FACILITY_HEADS:
                    continue  # "Harbour Canal Street": the head is further on
                return None  # "Wall Street Journal", "Oak Hill Academy": an organisation
            start, end = first.start, tokens[k].end
            return Mention(start, end, text[start:end],
                           cues=("designator pattern", "facility")), end, k
    return None
