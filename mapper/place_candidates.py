"""Where an event may be: the recognised mentions plus names the text presents as places.

The gazetteer does not know every place a report names; a name after "in" or before
"district" is still a place, and offering it keeps an event from jumping to another one.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from itertools import accumulate

from .lexicon import STOP, demonyms
from .model import Mention

__all__ = ["candidate_places"]

_NAME_WORDS = (r"((?:(?:al|el|ad|an|as|ash|at|az|ar)[-‘'’])?[A-Z][\w'’‘-]+"
               r"(?:\s+(?:(?:al|el|ad|an|as|ash|at|az|ar)[-‘'’])?[A-Z][\w'’‘-]+|\s+(?:al|el|de|of)"
               r"(?=\s+[A-Z])){0,5})")  # at most six words: no backtracking over long runs
_ADJECTIVE = r"(?:(?:[a-z]+ern|north|south|east|west|central|upper|lower)\s+)?"
_CANDIDATE = re.compile(r"\b(?:in|at|near|outside|inside|into|across|over|(?<=[a-z] )of)\s+"
                        r"(?:the\s+)?" + _ADJECTIVE + _NAME_WORDS)
_CANDIDATE_WEAK = re.compile(r"\b(?:on|to|towards?|around|onto|from|within|between|and)\s+"
                             r"(?:the\s+)?" + _ADJECTIVE + _NAME_WORDS)
_NAME = re.compile(r"(?:the\s+)?" + _NAME_WORDS)
_NAMED_AREA = re.compile(r"\b(?<![.!?]\s)" + _NAME_WORDS + r"\s+"
                         r"(?:area|district|neighbou?rhood|township|village|town|camp|suburb|"
                         r"quarter|market|province|region|governorate|valley)\b")
_NOT_PLACES = frozenset("january february march april may june july august september october "
                        "november december monday tuesday wednesday thursday friday saturday "
                        "sunday the a an this that his her their its".split())



def candidate_places(text: str, mentions: list[Mention], *, after: int | None = None,
                     start: int = 0, end: int | None = None) -> list[Mention]:
    """The recognised mentions plus capitalised names the text presents as places.

    Those are names right after "in", "at", "near" (and, less surely, "on", "to",
    "from"), names before "area", "district", "neighbourhood", and (given ``after``,
    the end of the event words) the name the event verb takes as its object ("rebels
    captured Blorpville"), looked for between ``start`` and ``end`` (the sentence). An
    event's place may be one the gazetteer lacks ("found dead at her Larkfield flat"); it
    is still where the event happened, and the incident then falls back to the article's
    region instead of jumping to another place.
    """
    found: dict[tuple[int, int], str] = {}
    for pattern, cue in ((_CANDIDATE, "name after a place word"),
                         (_NAMED_AREA, "name before a place word"),
                         (_CANDIDATE_WEAK, "name after a preposition")):
        for match in pattern.finditer(text, start, len(text) if end is None else end):
            found.setdefault(match.span(1), cue)
    if after is not None:
        gap = len(text[after:after + 6]) - len(text[after:after + 6].lstrip(" "))
        hit = _NAME.match(text, after + gap)
        if hit is not None and hit.start() - after <= 5:
            found[hit.span(1)] = "object of the event"
    extra: list[Mention] = []
    # overlap with a recognised mention: one starting before e and ending after s
    spans = sorted((m.start, m.end) for m in mentions)
    starts = [a for a, _ in spans]
    reach = list(accumulate((b for _, b in spans), max, initial=-1))  # furthest end so far
    extra_reach = -1
    for (s, e), cue in sorted(found.items()):
        words = text[s:e].split()
        if words and words[-1].endswith(("'s", "’s")):
            e -= 2
            words[-1] = words[-1][:-2]
        if (not words or words[0].lower() in _NOT_PLACES or words[0].lower() in STOP
                or words[0] in demonyms()):
            continue
        if reach[bisect_left(starts, e)] <= s and extra_reach <= s:
            extra.append(Mention(s, e, text[s:e], cues=("capitalised after preposition", cue)))
            extra_reach = e
    return sorted([*mentions, *extra], key=lambda m: m.start)
