"""Designator words around a name: "Kaluga region", "the state of Victoria", "town of X".

A designator says which kind of place a name is ("region" → ADM1, "river" → a stream);
the resolver narrows the candidates by it, so the recogniser and given spans read it alike.
"""

from __future__ import annotations

import re

from .lexicon import DESIGNATOR_WORDS, NATURAL_WORDS
from .model import DATELINE_CUE, SETTLEMENT_CUE
from .tokens import Token

__all__ = ["OF_NAME", "designator_after", "designator_hint", "hint_before", "in_dateline",
           "kind_around", "settlement_before", "title_after"]

# "the U.S. state of Maryland": a designator followed by "of" and a name
OF_NAME = re.compile(r"\s+of\s+(?:the\s+)?[A-Z]")
# "the state of Victoria", "the province of Zambales", "the county of Kent": the designator
# comes before the name
_DESIGNATOR_BEFORE = re.compile(r"\b(state|province|prefecture|governorate|county|canton|"
                                r"department|region|voivodeship|oblast)\s+of\s+(?:the\s+)?$",
                                re.I)


# "the town of Karak", "the city of Quebec": the name is the settlement, not the district,
# province or county named like it
_SETTLEMENT_BEFORE = re.compile(r"\b(?:town|city|village|hamlet)\s+of\s+$", re.I)


def settlement_before(text: str, start: int) -> bool:
    """Whether "town of", "city of" or "village of" comes right before the name."""
    return _SETTLEMENT_BEFORE.search(text[max(0, start - 20):start]) is not None


# A dateline opens a wire story with the city it was filed from: "NEW YORK (AP) —",
# "MOSCOW, April 5 (Reuters) -", after an optional byline. With a region after the city
# ("KENT, England -") the text states where it is, and the stated parent decides.
_DATELINE_BEFORE = re.compile(r"(?:(?:^|\n)[ \t]*|[.?!]\s+(?=By\s))"
                              r"(?:By [^\n]{1,60}?[.:]\s*)?\(?$")
_DATELINE_TAIL = re.compile(
    r"\)?(?:,?\s*(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2})?"
    r"\s*(?:\([A-Z][\w .&-]{0,40}\)\s*)?[-—–:]\s")
DATELINE_REACH = 200  # characters: a dateline opens the story, after a headline and byline


def in_dateline(text: str, start: int, end: int) -> bool:
    """Whether the name is a story's dateline, which names the city it was filed from.

    Stricter than the recogniser's check for an ALL-CAPS name opening a story: this one
    decides that the name is a city, so it wants the whole dateline, not a heading.

    >>> in_dateline("NEW YORK (AP) — Police said.", 0, 8)
    True
    >>> in_dateline("By Ann Lee. MOSCOW, April 5 (Reuters) - Talks", 12, 18)
    True
    >>> in_dateline("Talks fail? By Ann Lee. MOSCOW, April 5 (Reuters) - No", 24, 30)
    True
    >>> in_dateline("NEW YORK officials said.", 0, 8)
    False
    >>> in_dateline("VICTORIA" + chr(10) + "Bushfires spread east.", 0, 8)  # a heading
    False
    >>> in_dateline("NEW YORK-BASED firms grew.", 0, 8)
    False
    """
    surface = text[start:end]
    return (start < DATELINE_REACH and surface.isupper() and len(surface) > 2
            and _DATELINE_BEFORE.search(text, 0, start) is not None
            and _DATELINE_TAIL.match(text, end) is not None)


# "New York Gov. Mary Lane", "Kaluga Governor …": a state or region has a governor;
# "London Mayor Sadiq Khan": a city has a mayor
_TITLE_AFTER = re.compile(r"\s+(?:(Gov\.|Governor|Lt\.? Gov\.|Lieutenant Governor)|(Mayor))\s+"
                          r"[A-Z]")


_ADDRESS_BEFORE = re.compile(r"\b([A-Z][\w'’.-]*),\s*$")
_NOT_PLACES = frozenset("""monday tuesday wednesday thursday friday saturday sunday january
february march april may june july august september october november december however
meanwhile today yesterday tomorrow instead still now then earlier later also""".split())


def title_after(text: str, start: int, end: int) -> str | None:
    """"ADM1" after a governor's title, "settlement" after a mayor's, else None.

    The title is the whole address's when the name ends one ("Dagupan, Pangasinan
    Mayor …" is Dagupan's mayor).

    >>> title_after("New York Gov. Mary Lane spoke.", 0, 8)
    'ADM1'
    >>> title_after("London Mayor Sadiq Khan spoke.", 0, 6)
    'settlement'
    >>> title_after("Moscow mayors met.", 0, 6) is None
    True
    >>> title_after("Dagupan, Pangasinan Mayor Ann Cruz spoke.", 9, 19) is None
    True
    >>> title_after("On Monday, New York Gov. Mary Lane spoke.", 11, 19)
    'ADM1'
    """
    before = _ADDRESS_BEFORE.search(text, max(0, start - 40), start)
    if before is not None and before.group(1).lower() not in _NOT_PLACES:
        return None  # but "On Monday, New York Gov. …" is the governor of New York
    match = _TITLE_AFTER.match(text, end)
    if match is None:
        return None
    return "ADM1" if match.group(1) else "settlement"


def kind_around(text: str, start: int, end: int, hint: str | None,
                designated: bool) -> tuple[str | None, tuple[str, ...]]:
    """What the words around a name say it is: a hint ("state of X", "X Gov.") and cues.

    The cues mark a settlement ("the town of X", "X Mayor", a dateline); a designator
    after the name ("X district") has already said what it is.
    """
    title = None if designated else title_after(text, start, end)
    if hint is None:
        hint = hint_before(text, start) or (title if title == "ADM1" else None)
    if hint is not None:
        return hint, ()
    if in_dateline(text, start, end):
        return None, (SETTLEMENT_CUE, DATELINE_CUE)
    if title == "settlement" or settlement_before(text, start):
        return None, (SETTLEMENT_CUE,)
    return None, ()


def hint_before(text: str, start: int) -> str | None:
    """The feature-type hint of a designator written before the name ("state of X")."""
    match = _DESIGNATOR_BEFORE.search(text[max(0, start - 30):start])
    return DESIGNATOR_WORDS[match.group(1).lower()] if match else None


def designator_after(text: str, tokens: list[Token], j: int
                     ) -> tuple[str | None, str | None, int, int]:
    """The designator right after token ``j``: (word, hint, extended end, last token).

    Without one, the word and hint are None and the name ends at token ``j``.
    """
    if j + 1 < len(tokens) and text[tokens[j].end:tokens[j + 1].start] == " ":
        hint = designator_hint(tokens[j + 1].lower)
        if hint is not None:
            return tokens[j + 1].text, hint, tokens[j + 1].end, j + 1
    return None, None, tokens[j].end, j


def designator_hint(word: str) -> str | None:
    """The hint of a word after a name: a feature code ("region"), or a natural word.

    "the Oka river" says a river is meant as "the Kaluga region" says a region is; the
    natural word is its own hint, which the gazetteer reads as feature codes.
    """
    return DESIGNATOR_WORDS.get(word) or (word if word in NATURAL_WORDS else None)
