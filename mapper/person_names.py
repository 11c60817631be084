"""Evidence that a capitalised word is a person's name: "Sarah Kelly", "Kelly said".

A surname the article uses for a person ("Kelly", "Jordan") is no place wherever else it
appears in that article, unless the place is prominent.
"""

from __future__ import annotations

import re

from .lexicon import DESIGNATOR_WORDS, GIVEN_NAMES, PLACE_CUES, TITLES
from .tokens import Token, glued_after, glued_before

__all__ = ["SAYING", "person_words"]

# "Kelly said": a person speaking
SAYING = re.compile(r"\s+(?:said|says|told|added|wrote|explained|noted|argued|tweeted)\b")
_SAID_BEFORE = re.compile(r"\b(?:said|says|asked|told|explained|added)\s+$")
_AGE_AFTER = re.compile(r",\s+\d{1,3},")


def person_words(text: str, tokens: list[Token]) -> dict[str, bool]:
    """Surnames the article uses for people: the second of two glued capitalised words.

    The value says whether a given name or a title came first ("Sarah Kelly", "Mr
    Allen"), which is stronger evidence than any capitalised word ("Gotham Kelly").
    """
    people: dict[str, bool] = {}
    for i, tok in enumerate(tokens):
        # "said Thomas", "Thomas said", "Hale, 56,": a person, wherever else it appears
        if not tok.is_capitalised or tok.text.isupper() or (
                i > 0 and tokens[i - 1].lower in PLACE_CUES) or (
                i + 1 < len(tokens) and (glued_after(text, tokens, i)
                                         or tokens[i + 1].lower in DESIGNATOR_WORDS)):
            continue
        if ((text[tok.end:tok.end + 1] in (".", ",", ";")  # '…,' said Thomas.
             and _SAID_BEFORE.search(text[max(0, tok.start - 12):tok.start]))
                or SAYING.match(text, tok.end) or _AGE_AFTER.match(text, tok.end)):
            people.setdefault(tok.text, False)
    for i in range(1, len(tokens)):
        tok, prev = tokens[i], tokens[i - 1]
        if not tok.is_capitalised:
            continue
        given = ((prev.lower in GIVEN_NAMES or prev.lower.rstrip(".") in TITLES)
                 and text[prev.end:tok.start] in (" ", ". "))
        if (given or glued_before(text, tokens, i)) and (
                i + 1 >= len(tokens) or not glued_after(text, tokens, i)):
            people[tok.text] = people.get(tok.text, False) or given
    return people
