"""Find place mentions in article text: gazetteer names, demonyms and the cues around them.

Recognition combines signals rather than trusting one: a capitalised word sequence must
be a gazetteer name; stop words, titles ("President Jordan"), names glued to other
capitalised words and ALL-CAPS headline words are filtered unless the place is prominent
or the context says "place" (a preposition before it, a designator such as "district"
after it, an "X, Y" pair). Spans follow the GeoWebNews convention: "Idlib" in "Idlib
province" is the mention; "province" is recorded as its designator.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from gazetteer import Gazetteer, fold

from .lexicon import (
    ABBREVIATIONS,
    CONNECTORS,
    DESIGNATOR_WORDS,
    FACILITY_HEADS,
    FUNCTION_WORDS,
    GIVEN_NAMES,
    NATURAL_WORDS,
    PLACE_CUES,
    STOP,
    STOP_PHRASES,
    TITLES,
    demonyms,
)
from .model import NAMESAKE_CUE, SETTLEMENT_CUE, Article, Mention

__all__ = ["Recognizer", "extract_mentions"]

_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|[^\W\d_][\w]*(?:['’‘ʿʾ\-][^\W\d_]\w*)*\.?")
_ELIDED = re.compile(r"[dl]['’][^\W\d_]")  # "d'Azur", "l'Ouest": capitalised after the elision
_DOTTED = re.compile(r"(?:[A-Z]\.){2,}")
_SAYING = re.compile(r"\s+(?:said|says|told|added|wrote|explained|noted|argued|tweeted)\b")
_SAID_BEFORE = re.compile(r"\b(?:said|says|asked|told|explained|added)\s+$")
_AGE_AFTER = re.compile(r",\s+\d{1,3},")
_POSSESSIVE = re.compile(r"['’]s?$")
_SENTENCE_END = re.compile(r"(?:^|[.!?:;\"“”]\s*|\n\s*)$")
_MAX_WORDS = 6
# what follows a dateline: ", N.M. (AP)", ", Calif.--", " (Reuters)", " – ", ", April 5"
_DATELINE_AFTER = re.compile(r"(?:,\s+[A-Z][\w.]*|\s*\(|\s*[–—]|\s+-|\s*--)")
# a title or an initial before a full stop ("Col. ", "D. "): the sentence goes on
_ABBREVIATED = re.compile(r"(?:^|[^\w.])([A-Za-z]{1,5})\.\s+$")
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
GLUED_AFTER = 0.7  # a name followed by another capitalised word must be this prominent
HYPHEN_MAX_WEIGHT = 0.8  # a name hyphenated to a capitalised non-place word: a surname
GIVEN_ALONE = 0.7  # a common first name alone, with no place cue, must be this prominent
PERSON_MAX_WEIGHT = 0.8  # a word used as a surname after a given name or title: a person
PERSON_MAX_WEIGHT_WEAK = 0.65  # … after any other capitalised word
_FUNCTION_CAPS = frozenset({"Is", "Do", "Yes", "Gov", "La", "Le", "El", "Al"})


@dataclass(slots=True)  # not frozen: tokens are never changed, and an article has many
class _Token:
    start: int
    end: int
    text: str
    is_capitalised: bool
    lower: str  # the text in lower case, for the word lists


def _is_country_name(gazetteer: Gazetteer, word: str, code: str) -> bool:
    """Whether a demonym is spelled like its country's name ("Gibraltar", "Djibouti")."""
    country = gazetteer.admin_unit(code.split(":", 1)[1]) if code.startswith("country:") else None
    return country is not None and fold(country.name) == fold(word)


def _capitalised(word: str) -> bool:
    return word[:1].isupper() or (word[:1] in ("d", "l") and _ELIDED.match(word) is not None
                                  and word[2:3].isupper())


def _tokens(text: str) -> list[_Token]:
    """Word tokens with offsets, hyphenated words split ("Canada-wide" → Canada, wide).

    A place inside a hyphenated word can then match, while "Al-Hasakah" still matches
    across the hyphen.
    """
    out = []
    for m in _TOKEN.finditer(text):
        word, start = m.group(), m.start()
        if (word[-1] == "." and word not in ("St.", "Mt.", "Ft.")
                and not _DOTTED.fullmatch(word)):
            word = word.rstrip(".")
        if word[-2:] in ("'s", "’s"):
            word = _POSSESSIVE.sub("", word)
        if "-" not in word:
            out.append(_Token(start, start + len(word), word, _capitalised(word), word.lower()))
            continue
        offset = 0
        for part in word.split("-"):
            if part:
                out.append(_Token(start + offset, start + offset + len(part), part,
                                  _capitalised(part), part.lower()))
            offset += len(part) + 1
    return out


_COMPASS = frozenset("north south east west northern southern eastern western central upper "
                     "lower".split())
_GENERIC_PLACE_WORDS = frozenset("city town village district region province state country "
                                 "county".split())


# Words that make "X … Department" an agency, not a French or Colombian department.
_AGENCY_WORDS = frozenset("police fire health sheriff sheriff's transportation transport "
                          "education justice defense defence treasury labor labour energy "
                          "agriculture commerce parks corrections revenue".split())


class Recognizer:
    """Finds place mentions using the gazetteer's names as a lexicon.

    Parameters
    ----------
    gazetteer
        The index whose names count as places.
    min_weight
        Prior below which a bare single-word name needs a context cue to count.
    """

    def __init__(self, gazetteer: Gazetteer, *, min_weight: float = 0.45) -> None:
        self.lexicon = gazetteer.name_weights()
        self.demonyms = {word: code for word, code in demonyms().items()
                         if not _is_country_name(gazetteer, word, code)}
        self.min_weight = min_weight

    def __call__(self, text: str) -> list[Mention]:
        """Return the mentions in ``text``, in order, with cues and stated parents."""
        tokens = _tokens(text)
        self._people = {w for w, strong in _person_words(text, tokens).items()
                        if self.lexicon.get(fold(w), 0.0)
                        < (PERSON_MAX_WEIGHT if strong else PERSON_MAX_WEIGHT_WEAK)}
        found: list[tuple[Mention, int]] = []
        i = 0
        while i < len(tokens):
            if not tokens[i].is_capitalised:  # no name or facility starts in lower case
                i += 1
                continue
            facility = _facility(text, tokens, i)
            hit = self._match(text, tokens, i)
            if facility is not None and fold(facility[0].text) not in self.lexicon and (
                    hit is None or (hit[0].end < facility[0].end
                                    and not self._place_leads(text, hit[0]))):
                hit = facility  # but "Long Beach", "Smokky Lake, Alberta": places
            if hit is None:
                i += 1
                continue
            mention, ext_end, last = hit
            found.append((mention, ext_end))
            i = last + 1
        return _link_parents(text, found)

    def _place_leads(self, text: str, mention: Mention) -> bool:
        """Whether a known place opens a facility's name, and is the mention.

        "Paris General Hospital", "Kent County Detention Center", "Toronto's
        Union Station".
        """
        return ((mention.designator is not None and mention.hint not in NATURAL_WORDS)
                or text.startswith(("'s", "’s"), mention.end)
                or self.lexicon.get(fold(mention.text), 0.0) >= 0.7)

    def _match(self, text: str, tokens: list[_Token], i: int
               ) -> tuple[Mention, int, int] | None:
        first = tokens[i]
        if not first.is_capitalised:
            return None
        best = self._longest(text, tokens, i)
        if (first.text in self.demonyms and not _glued_before(text, tokens, i)
                and (best is None or best[0] == i)):
            # "Syrian" is a demonym, but "British Columbia" is a province
            return Mention(first.start, first.end, first.text, is_demonym=True,
                           name=self.demonyms[first.text], cues=("demonym",)), first.end, i
        if best is None:
            return self._unknown_with_designator(text, tokens, i)
        j, key, weight = best
        if j == i or _glued_after(text, tokens, j) or (
                j + 1 < len(tokens) and tokens[j + 1].text in CONNECTORS):
            # "San Maartín department", "San Juan Teyta municipality": a garbled name
            # that starts like a real one
            longer = self._unknown_with_designator(text, tokens, i)
            if longer is not None and longer[0].end > tokens[j].end:
                return longer
        start, end = first.start, tokens[j].end
        designator, hint, ext_end, last = _designator_after(text, tokens, j)
        if designator is not None and weight >= 1.0 and _OF_NAME.match(text, ext_end):
            # "the U.S. state of Maryland": the designator belongs to the name after "of"
            designator, hint, ext_end, last = None, None, end, j
        if hint is None:
            hint = _hint_before(text, start)
        cues = self._cues(text, tokens, i, j, designator)
        if not self._accept(text, tokens, i, j, key, weight, cues):
            return None
        if hint is None and _settlement_before(text, start):
            cues = [*cues, SETTLEMENT_CUE]
        return Mention(start, end, text[start:end], designator=designator, hint=hint,
                       cues=tuple(cues)), ext_end, last

    def _unknown_with_designator(self, text: str, tokens: list[_Token], i: int
                                 ) -> tuple[Mention, int, int] | None:
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
                or _glued_before(text, tokens, i) or first.lower in GIVEN_NAMES
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
        designator, hint, ext_end, last = _designator_after(text, tokens, j)
        start, end = first.start, tokens[j].end
        if designator is not None and designator.lower() in _UNKNOWN_DESIGNATORS and not any(
                t.lower in _AGENCY_WORDS for t in tokens[i:j + 1]):
            return Mention(start, end, text[start:end], designator=designator, hint=hint,
                           cues=("designator pattern", "designator")), ext_end, last
        if _CLAIM_GAP.match(text, end) and not _sentence_initial(text, start):
            # ("Instead, the city of …" is not a place; a sentence's first word rarely is)
            return Mention(start, end, text[start:end],
                           cues=("designator pattern", "stated type")), end, j
        before = text[max(0, start - 12):start].lower().split()
        if not before or before[-1] not in PLACE_CUES:
            return None
        if _REGION_AFTER.match(text, end) or (" " not in text[start:end]
                                              and self._region_name_after(text, end)):
            # "a drone hit a building in Serng, Banten province", "in Somerrset in
            # England": after "in", and followed by the region that contains it
            return Mention(start, end, text[start:end],
                           cues=("designator pattern", "stated region")), end, j
        return None

    def _region_name_after(self, text: str, end: int) -> bool:
        """Whether a prominent region or country name follows (", England", " in Ohio")."""
        gap = _NAME_AFTER.match(text, end)
        if gap is None:
            return False
        return self.lexicon.get(fold(gap.group(1)), 0.0) >= 0.7

    def _longest(self, text: str, tokens: list[_Token], i: int
                 ) -> tuple[int, str, float] | None:
        best = None
        for j in range(i, min(len(tokens), i + _MAX_WORDS)):
            tok = tokens[j]
            if j > i:
                gap = text[tokens[j - 1].end:tok.start]
                if gap not in (" ", "-", " - ", ". ") or (gap == ". " and
                                                          not tokens[j - 1].text.endswith(".")):
                    break
                if not tok.is_capitalised and tok.text not in CONNECTORS:
                    best = self._with_natural_word(text, tokens, i, j, best)
                    break
            if not tok.is_capitalised:
                continue
            if j > i and tok.lower in DESIGNATOR_WORDS and best is not None:
                # "Kaluga Region": the designator is not part of the name, unless the
                # whole is a name of its own that outranks the part ("Northern Territory")
                whole = fold(text[tokens[i].start:tok.end])
                if whole in self.lexicon and (self.lexicon[whole] > best[2] or all(
                        w in STOP for w in best[1].split())):
                    best = (j, whole, self.lexicon[whole])
                break
            surface = text[tokens[i].start:tok.end]
            key = fold(surface.replace(".", "") if _DOTTED.fullmatch(surface) else surface)
            weight = self.lexicon.get(key)
            if weight is not None:
                best = (j, key, weight)
        return best

    def _with_natural_word(self, text: str, tokens: list[_Token], i: int, j: int,
                           best: tuple[int, str, float] | None
                           ) -> tuple[int, str, float] | None:
        """Extend a name by a lower-case natural word the index writes as part of it.

        "the Quillomar river": the index has "Quillomar River", a name of its own.
        """
        if tokens[j].lower not in NATURAL_WORDS:
            return best
        key = fold(text[tokens[i].start:tokens[j].end])
        return (j, key, self.lexicon[key]) if key in self.lexicon else best

    def _cues(self, text: str, tokens: list[_Token], i: int, j: int,
              designator: str | None) -> list[str]:
        cues = ["gazetteer"]
        before = [t.lower for t in tokens[max(0, i - 4):i]]
        if before and (before[-1] in PLACE_CUES or (len(before) > 1 and before[-1] == "the"
                                                    and before[-2] in PLACE_CUES)):
            cues.append("preposition")
        if designator:
            cues.append("designator")
        after = text[tokens[j].end:tokens[j].end + 2]
        if after.startswith(",") or text[max(0, tokens[i].start - 2):tokens[i].start] == ", ":
            cues.append("comma")
        return cues

    def _accept(self, text: str, tokens: list[_Token], i: int, j: int, key: str,
                weight: float, cues: list[str]) -> bool:
        words = key.split()
        if ((all(w in STOP for w in words) and not _compass_name(words, weight))
                or key in STOP_PHRASES):
            return False
        has_cue = len(cues) > 1
        if i > 0 and tokens[i - 1].lower.rstrip(".") in TITLES:
            return False
        span = text[tokens[i].start:tokens[j].end]
        if span.replace(".", "").isupper():
            if len(span.replace(".", "")) <= 3:
                return key in ABBREVIATIONS or _DOTTED.fullmatch(span) is not None
            if weight < 0.75 and not (_sentence_initial(text, tokens[i].start)
                                      and _DATELINE_AFTER.match(text, tokens[j].end)):
                return False  # but "SPRINGFIELD, Ill. (AP) -" opens a news story
        if i == j and weight < 0.95 and (span in self._people or (
                _SAYING.match(text, tokens[j].end) and "preposition" not in cues)):
            return False  # "Kelly said", but not "an official in Wisconsin said"
        if i > 0 and tokens[i - 1].lower in GIVEN_NAMES and (
                text[tokens[i - 1].end:tokens[i].start] == " "):
            return False  # "Michael Jordan", "Sarah Kelly"
        if (i == j and tokens[i].lower in GIVEN_NAMES and weight < GIVEN_ALONE
                and "preposition" not in cues and "designator" not in cues):
            return False  # "Megan trained as a nurse": a first name used alone
        if i == j and tokens[i].lower in GIVEN_NAMES and _glued_after(text, tokens, j):
            return False  # "Paul Ryan"
        if _glued_before(text, tokens, i) and weight < 0.7:
            return False  # "Bill Kelly", "Kim Jong"; but "Environment Canada" counts
        if weight < HYPHEN_MAX_WEIGHT and self._hyphen_partner(text, tokens, i, j):
            return False  # "Lopez-Ward", "Evans-Hale", "Mercedes-Benz"
        if tokens[i].text[-2:] in ("'m", "’m") or (i == j and tokens[i].text in _FUNCTION_CAPS):
            return False
        if _glued_after(text, tokens, j) and weight < GLUED_AFTER and "designator" not in cues:
            return False  # "Bar Association", a person's surname
        if i == j:
            if _sentence_initial(text, tokens[i].start) and weight < 0.6 and not has_cue:
                return False
            if weight < self.min_weight and not has_cue:
                return False
        return True

    def _hyphen_partner(self, text: str, tokens: list[_Token], i: int, j: int) -> bool:
        """Whether the name follows a hyphen and a capitalised word that is no known place."""
        if i == 0 or tokens[i - 1].end != tokens[i].start - 1 or text[tokens[i - 1].end] != "-":
            return False
        p = tokens[i - 1]  # the part before: "Lopez" in "Lopez-Ward"
        return (p.is_capitalised and not p.text.isupper() and len(p.text) > 2
                and p.lower not in CONNECTORS and p.text not in self.demonyms
                and self.lexicon.get(fold(p.text), 0.0) < GLUED_AFTER)


def _facility(text: str, tokens: list[_Token], i: int) -> tuple[Mention, int, int] | None:
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
            if k + 1 < len(tokens) and _glued_after(text, tokens, k):
                if tokens[k + 1].text in FACILITY_HEADS:
                    continue  # "Harbour Canal Street": the head is further on
                return None  # "Wall Street Journal", "Oak Hill Academy": an organisation
            start, end = first.start, tokens[k].end
            return Mention(start, end, text[start:end],
                           cues=("designator pattern", "facility")), end, k
    return None


def _compass_name(words: list[str], weight: float) -> bool:
    """A prominent name of a compass word and a common word ("West Bank", "North Bank")."""
    return (len(words) == 2 and weight >= 0.7 and words[0] in _COMPASS
            and words[1] not in _COMPASS and words[1] not in DESIGNATOR_WORDS
            and words[1] not in _GENERIC_PLACE_WORDS)


def _person_words(text: str, tokens: list[_Token]) -> dict[str, bool]:
    """Surnames the article uses for people: the second of two glued capitalised words.

    The value says whether a given name or a title came first ("Sarah Kelly", "Mr
    Allen"), which is stronger evidence than any capitalised word ("Gotham Kelly").
    """
    people: dict[str, bool] = {}
    for i, tok in enumerate(tokens):
        # "said Thomas", "Thomas said", "Hale, 56,": a person, wherever else it appears
        if not tok.is_capitalised or tok.text.isupper() or (
                i > 0 and tokens[i - 1].lower in PLACE_CUES) or (
                i + 1 < len(tokens) and (_glued_after(text, tokens, i)
                                         or tokens[i + 1].lower in DESIGNATOR_WORDS)):
            continue
        if ((text[tok.end:tok.end + 1] in (".", ",", ";")  # '…,' said Thomas.
             and _SAID_BEFORE.search(text[max(0, tok.start - 12):tok.start]))
                or _SAYING.match(text, tok.end) or _AGE_AFTER.match(text, tok.end)):
            people.setdefault(tok.text, False)
    for i in range(1, len(tokens)):
        tok, prev = tokens[i], tokens[i - 1]
        if not tok.is_capitalised:
            continue
        given = ((prev.lower in GIVEN_NAMES or prev.lower.rstrip(".") in TITLES)
                 and text[prev.end:tok.start] in (" ", ". "))
        if (given or _glued_before(text, tokens, i)) and (
                i + 1 >= len(tokens) or not _glued_after(text, tokens, i)):
            people[tok.text] = people.get(tok.text, False) or given
    return people


def _sentence_initial(text: str, start: int) -> bool:
    if not _SENTENCE_END.search(text[max(0, start - 3):start]):
        return False
    # "Lt. Col. Dana Hale", "Pat J. Morrow": the full stop ends an abbreviation
    before = _ABBREVIATED.search(text[max(0, start - 8):start])
    return before is None or (before.group(1).lower() not in TITLES
                              and len(before.group(1)) > 1)


def _glued_before(text: str, tokens: list[_Token], i: int) -> bool:
    """Say whether the token follows another capitalised word that is not a stop word."""
    if i == 0:
        return False
    prev = tokens[i - 1]
    gap = text[prev.end:tokens[i].start]
    if gap == ". " and (len(prev.text) == 1 or prev.lower in TITLES):
        return prev.text.isupper() or prev.lower in TITLES  # "Pat J. Morrow"
    return (gap == " " and prev.is_capitalised
            and prev.lower not in STOP and not _sentence_initial(text, prev.start)
            and prev.text not in demonyms())


def _glued_after(text: str, tokens: list[_Token], j: int) -> bool:
    if j + 1 >= len(tokens):
        return False
    nxt = tokens[j + 1]
    word = nxt.lower
    return (text[tokens[j].end:nxt.start] == " " and nxt.is_capitalised
            and word not in STOP and word not in DESIGNATOR_WORDS and word not in TITLES)


_OF_NAME = re.compile(r"\s+of\s+(?:the\s+)?[A-Z]")
# "the state of Victoria", "the province of Zambales", "the county of Kent": the designator
# comes before the name
_DESIGNATOR_BEFORE = re.compile(r"\b(state|province|prefecture|governorate|county|canton|"
                                r"department|region|voivodeship|oblast)\s+of\s+(?:the\s+)?$",
                                re.I)


# "the town of Karak", "the city of Quebec": the name is the settlement, not the district,
# province or county named like it
_SETTLEMENT_BEFORE = re.compile(r"\b(?:town|city|village|hamlet)\s+of\s+$", re.I)
_NAMED_AFTER = re.compile(r"(?:[Nn]amed (?:after|for|from)|[Ii]n (?:honou?r|memory) of)\b")


def _settlement_before(text: str, start: int) -> bool:
    """Whether "town of", "city of" or "village of" comes right before the name."""
    return _SETTLEMENT_BEFORE.search(text[max(0, start - 20):start]) is not None


def _hint_before(text: str, start: int) -> str | None:
    """The feature-type hint of a designator written before the name ("state of X")."""
    match = _DESIGNATOR_BEFORE.search(text[max(0, start - 30):start])
    return DESIGNATOR_WORDS[match.group(1).lower()] if match else None


def _designator_after(text: str, tokens: list[_Token], j: int
                      ) -> tuple[str | None, str | None, int, int]:
    if j + 1 < len(tokens) and text[tokens[j].end:tokens[j + 1].start] == " ":
        hint = _designator_hint(tokens[j + 1].lower)
        if hint is not None:
            return tokens[j + 1].text, hint, tokens[j + 1].end, j + 1
    return None, None, tokens[j].end, j


def _designator_hint(word: str) -> str | None:
    """The hint of a word after a name: a feature code ("region"), or a natural word.

    "the Oka river" says a river is meant as "the Kaluga region" says a region is; the
    natural word is its own hint, which the gazetteer reads as feature codes.
    """
    return DESIGNATOR_WORDS.get(word) or (word if word in NATURAL_WORDS else None)


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


_LIST_GAP = re.compile(r"^\s*(?:,\s*(?:(?:and|or)\s+)?|(?:and|or)\s+)$")


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
                             r"(?<!\bMrs)[.!?]+[\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9])|\n+)")


def _sentence_starts(text: str) -> list[int]:
    return [0, *(m.end() for m in _SENTENCE_BREAK.finditer(text))]


def _link_parents(text: str, found: list[tuple[Mention, int]]) -> list[Mention]:
    """Record stated containment: "X in the Y region", "X, Y", "Y's X district"."""
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


def extract_mentions(articles: Iterable[Article], *, gazetteer: Gazetteer | None = None
                     ) -> Iterator[tuple[Article, list[Mention]]]:
    """Yield each article with the place mentions found in its text.

    Examples
    --------
    >>> from mapper.model import Article
    >>> text = "A drone fell in the Dzerzhinsky district of the Kaluga region."
    >>> [(a, [m.text for m in ms]) for a, ms in extract_mentions([Article("1", text)])]
    ... # doctest: +SKIP
    [(Article('1', 62 chars), ['Dzerzhinsky', 'Kaluga'])]
    """
    recognize = Recognizer(gazetteer or Gazetteer.default())
    for article in articles:
        yield article, recognize(article.text)


def mentions_from_spans(text: str, spans: Iterable[tuple[int, int]], *,
                        context: Iterable[Mention] = ()) -> list[Mention]:
    """Turn given spans (gold toponyms, another tool's NER) into mentions with cues.

    The span is kept exactly; a designator right after it, a demonym reading and stated
    parents are recorded as for recognised mentions. ``context`` mentions (found by the
    recogniser) that overlap no given span are merged in, so that "Santa Maria,
    California" still tells the resolver which Santa Maria; the caller keeps only the
    given spans in its output.
    """
    found: list[tuple[Mention, int]] = []
    spans = sorted(spans)
    names = demonyms()
    for start, end in sorted(spans):
        surface = text[start:end]
        designator = None
        ext_end = end
        match = re.match(r" ([A-Za-z]+)", text[end:end + 20])
        hint = _designator_hint(match.group(1).lower()) if match else None
        if match and hint is not None:
            designator, ext_end = match.group(1), end + match.end()
        if hint is None:
            hint = _hint_before(text, start)
        name = names.get(surface)
        cues = ("given span", "demonym") if name else ("given span",)
        if hint is None and _settlement_before(text, start):
            cues = (*cues, SETTLEMENT_CUE)
        found.append((Mention(start, end, surface, designator=designator, hint=hint,
                              is_demonym=name is not None, name=name, cues=cues), ext_end))
    for mention in context:
        if not any(s < mention.end and mention.start < e for s, e in spans):
            ext = mention.end + (len(mention.designator) + 1 if mention.designator else 0)
            found.append((mention, ext))
    found.sort(key=lambda pair: pair[0].start)
    return _link_parents(text, found)
