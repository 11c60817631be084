"""Stated containment between neighbouring mentions: "X, Y", "X in the Y region", lists.

The text saying that one place is inside another is the strongest evidence the resolver
has, so each mention records the span of the parent the text gives it, its sentence, and
whether it stands in a list ("Georgia, Illinois, Missouri") where "X, Y" may be siblings.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import replace

from .model import NAMESAKE_CUE, Mention

__all__ = ["link_parents"]

# "It was named after Dover, Delaware": the sentence may be about a namesake
_NAMED_AFTER = re.compile(r"(?:[Nn]amed (?:after|for|from)|[Ii]n (?:honou?r|memory) of)\b")


_PARENT_GAPS = [
    re.compile(r"^\s*,\s*$"),                                    # X, Y
    re.compile(r"^\s+(?:in|of|within)\s+(?:the\s+)?$", re.I),    # X in the Y region
    re.compile(r"^\s*\(\s*$"),                                   # X (Y region)
    re.compile(r"^\s+(?:town|city|village|district)\s+in\s+(?:the\s+)?$|^\s+district\s+of\s+"
               r"(?:the\s+)?$", re.I),                           # Sopore town in Y
    re.compile(r"^\s*,\s+(?:an?|the)\s+(?:[\w-]+\s+){0,2}(?:town|city|village|settlement|"
               r"district|region|province|suburb|port|municipality|area)\s+(?:in|of)\s+"
               r"(?:the\s+)?$", re.I),                           # X, a town in Y
    re.compile(r"^\s*(?:\([^()]{0,150}\)\s*)?,?\s*(?:is|was)\s+(?:an?|the|one\s+of\s+"
               r"(?:the\s+)?(?:\d+\s+)?)\s*"
               r"(?:[\w-]+\s+){0,6}?(?:town|city|village|locality|settlement|district|region|"
               r"province|suburb|port|municipality|commune|community|borough|township|hamlet|"
               r"parish|county seat|capital|place|county|neighbourhood|neighborhood|area|ward|"
               r"barrio|council|committee)s?"
               r"(?:\s+\([^()]{0,40}\))?\s+(?:located\s+|situated\s+)?(?:in|of|within)\s+"
               r"(?:the\s+)?(?:(?:north|south|east|west|central|(?:north|south)-?(?:east|west)"
               r"|(?:north|south|east|west)ern|(?:north|south)-?(?:east|west)ern)\s+"
               r"(?:part\s+of\s+(?:the\s+)?)?)?"
               r"(?:(?:[A-Z][\w.]*\s+)?(?:province|state|region|county|department|"
               r"district|city)\s+of\s+(?:the\s+)?)?$"),       # X (…) is a city in Y
]

_CHILD_NAMED_AFTER = re.compile(r"^\s+(?:(?:[a-z-]+\s+){0,2})(?:town|city|village|port|"
                                r"capital|suburb|settlement)\s+of\s+$")


_LIST_GAP = re.compile(r"^\s*(?:,\s*(?:(?:and|or)\s+)?|(?:and|or)\s+)(?:the\s+)?$")


def _in_list(text: str, found: list[tuple[Mention, int]], k: int) -> bool:
    """Whether "X, Y" at ``k`` sits in an enumeration: "A, X, Y" or "X, Y and B"."""
    if k > 0 and _LIST_GAP.match(text[found[k - 1][1]:found[k][0].start]):
        return True
    return k + 2 < len(found) and bool(
        _LIST_GAP.match(text[found[k + 1][1]:found[k + 2][0].start]))


# a sentence ends at . ! ? followed by space and a capital or quote, unless the dot ends an
# initial or a short abbreviation ("U.S. state", "St. Louis", "Mt. Vernon", "Co.")
# (the look-ahead first: checking one character is cheaper than the look-behinds)
_SENTENCE_BREAK = re.compile(r"(?=[.!?\n])(?:(?<!\b[A-Z])(?<!\b(?:St|Mt|Ft|Co|Jr|Sr|Dr|Mr|No))"
                             r"(?<!\bMrs)(?<![.!?])[.!?]+[\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9])|\n+)")


def _sentence_starts(text: str) -> list[int]:
    return [0, *(m.end() for m in _SENTENCE_BREAK.finditer(text))]


def link_parents(text: str, found: list[tuple[Mention, int]]) -> list[Mention]:
    """Record stated containment: "X in the Y region", "X, Y", "Y's X district".

    ``found`` pairs each mention, in text order, with the end of its designator; the
    mentions come back with their sentence numbers, parents and cues.
    """
    starts = _sentence_starts(text)
    mentions = [replace(m, sentence=bisect_right(starts, m.start) - 1) for m, _ in found]
    namesake = {bisect_right(starts, m.start()) - 1 for m in _NAMED_AFTER.finditer(text)}
    if namesake:
        # "It was named after Dover, Delaware": the places of that sentence
        # may be the namesake's, not the subject's
        mentions = [replace(m, cues=(*m.cues, NAMESAKE_CUE)) if m.sentence in namesake
                    else m for m in mentions]
    for k in range(len(found) - 1):
        (child, ext_end), (parent, _) = found[k], found[k + 1]
        if text[ext_end:ext_end + 2].lstrip().startswith("("):
            # "Plymouth (formerly Puckerville) is a city in …": look past the aside
            close = text.find(")", ext_end)
            after = next((f for f in found[k + 1:] if f[0].start > close), None)
            if close != -1 and after is not None and close - ext_end < 160:
                parent = after[0]
        gap = text[ext_end:parent.start]
        if "facility" in child.cues or "facility" in parent.cues:
            continue  # "Church Street, Edmonton": streets and buildings make no claim
        if len(gap) > 200 or child.is_demonym or parent.is_demonym:
            continue  # "Belgorod, Ukrainian officials said" states no containment
        if (len(gap) <= 90 or gap.lstrip().startswith("(")) and any(
                rx.match(gap) for rx in _PARENT_GAPS):
            cues = (*mentions[k].cues, "stated-parent")
            if re.match(r"^\s*,\s*$", gap) and _in_list(text, found, k):
                cues = (*cues, "in list")  # "Georgia, Illinois, Missouri": maybe siblings
            mentions[k] = replace(mentions[k], parent=(parent.start, parent.end), cues=cues)
        elif _CHILD_NAMED_AFTER.match(gap):
            # "the West Bank town of Hebron": the town named after the region is in it
            mentions[k + 1] = replace(mentions[k + 1], parent=(child.start, child.end),
                                      cues=(*mentions[k + 1].cues, "stated-parent"))
        elif re.match(r"^['’]s?\s+$", gap) and parent.designator and not parent.is_demonym:
            # "Kaluga's Dzerzhinsky district": the possessor contains the district
            mentions[k + 1] = replace(mentions[k + 1], parent=(child.start, child.end),
                                      cues=(*mentions[k + 1].cues, "stated-parent"))
    return mentions
