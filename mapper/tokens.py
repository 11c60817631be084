"""Word tokens with offsets, and how a word sits against its neighbours.

Whether a capitalised word opens a sentence or is glued to another capitalised word is
the commonest evidence that it is part of a person's or an organisation's name rather
than a place; the recogniser and its rules all ask the same questions of the same tokens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import DESIGNATOR_WORDS, STOP, TITLES, demonyms

__all__ = ["BLANKS", "DOTTED", "Token", "gap", "glued_after", "glued_before", "sentence_initial",
           "word_tokens"]

# invisible format characters scraped text carries: soft hyphen, zero-width space and
# joiners, word joiner; they may stand inside a word but never end one
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060"
# inside a word: those, and combining accents (decomposed "Ma\u0301laga")
_INNER = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f" + _INVISIBLE
_TOKEN = re.compile(rf"(?:[A-Z]\.){{2,}}|[^\W\d_][\w{_INNER}]*"
                    rf"(?:['’‘ʿʾ\-][^\W\d_][\w{_INNER}]*)*\.?")
# spaces other than U+0020 (no-break, thin, ideographic), read as one: same length
BLANKS = str.maketrans(dict.fromkeys([0xA0, 0x1680, *range(0x2000, 0x200B), 0x202F, 0x205F,
                                      0x3000], " "))
_SPACE_RUN = re.compile(" {2,}")
_ELIDED = re.compile(r"[dl]['’][^\W\d_]")  # "d'Azur", "l'Ouest": capitalised after the elision
DOTTED = re.compile(r"(?:[A-Z]\.){2,}")


_POSSESSIVE = re.compile(r"['’]s?$")
_SENTENCE_END = re.compile(r"(?:^|[.!?:;\"“”]\s*|\n\s*)$")


# a title or an initial before a full stop ("Col. ", "D. "): the sentence goes on
_ABBREVIATED = re.compile(r"(?:^|[^\w.])([A-Za-z]{1,5})\.\s+$")


@dataclass(slots=True)  # not frozen: tokens are never changed, and an article has many
class Token:
    """A word of the text with its offsets, capitalisation and lower-case form."""

    start: int
    end: int
    text: str
    is_capitalised: bool
    lower: str  # the text in lower case, for the word lists


def _capitalised(word: str) -> bool:
    return word[:1].isupper() or (word[:1] in ("d", "l") and _ELIDED.match(word) is not None
                                  and word[2:3].isupper())


def word_tokens(text: str) -> list[Token]:
    """Word tokens with offsets, hyphenated words split ("Canada-wide" → Canada, wide).

    A place inside a hyphenated word can then match, while "Al-Hasakah" still matches
    across the hyphen.
    """
    out = []
    for m in _TOKEN.finditer(text):
        word, start = _word_end(m.group()), m.start()
        if "-" not in word:
            out.append(Token(start, start + len(word), word, _capitalised(word), word.lower()))
            continue
        offset = 0
        for part in word.split("-"):
            kept = part.rstrip(_INVISIBLE)  # "Kyiv\u200b-based"
            if kept:
                out.append(Token(start + offset, start + offset + len(kept), kept,
                                 _capitalised(kept), kept.lower()))
            offset += len(part) + 1
    return out


def _word_end(word: str) -> str:
    """The word without a closing full stop, possessive or invisible character.

    In any order: "Kyiv\u200b.", "Kharkiv's\u200b." and "Kyiv\u200b's" are Kyiv and
    Kharkiv; "St." keeps its stop.
    """
    while True:
        before = word
        word = word.rstrip(_INVISIBLE)
        if word[-1:] == "." and word not in ("St.", "Mt.", "Ft.") and not DOTTED.fullmatch(word):
            word = word.rstrip(".")
        if word[-2:] in ("'s", "’s"):
            word = _POSSESSIVE.sub("", word)
        if word == before or not word:
            return word or before


def sentence_initial(text: str, start: int) -> bool:
    """Whether a sentence starts at ``start``, where any word is capitalised anyway."""
    if not _SENTENCE_END.search(text[max(0, start - 3):start]):
        return False
    # "Lt. Col. Dana Hale", "Pat J. Morrow": the full stop ends an abbreviation
    before = _ABBREVIATED.search(text[max(0, start - 8):start])
    return before is None or (before.group(1).lower() not in TITLES
                              and len(before.group(1)) > 1)


def gap(text: str, start: int, end: int) -> str:
    """The text between two words, a run of spaces read as one ("Hong  Kong")."""
    between = text[start:end]
    return _SPACE_RUN.sub(" ", between) if "  " in between else between


def glued_before(text: str, tokens: list[Token], i: int) -> bool:
    """Say whether the token follows another capitalised word that is not a stop word."""
    if i == 0:
        return False
    prev = tokens[i - 1]
    between = gap(text, prev.end, tokens[i].start)
    if between == ". " and (len(prev.text) == 1 or prev.lower in TITLES):
        return prev.text.isupper() or prev.lower in TITLES  # "Pat J. Morrow"
    return (between == " " and prev.is_capitalised
            and prev.lower not in STOP and not sentence_initial(text, prev.start)
            and prev.text not in demonyms())


def glued_after(text: str, tokens: list[Token], j: int) -> bool:
    """Whether another capitalised word that is no stop word, designator or title follows."""
    if j + 1 >= len(tokens):
        return False
    nxt = tokens[j + 1]
    word = nxt.lower
    return (gap(text, tokens[j].end, nxt.start) == " " and nxt.is_capitalised
            and word not in STOP and word not in DESIGNATOR_WORDS and word not in TITLES)
