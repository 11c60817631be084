"""Find place mentions in article text: gazetteer names, demonyms and the cues around them.

Recognition combines signals rather than trusting one: a capitalised word sequence must
be a gazetteer name; stop words, titles ("President Jordan"), names glued to other
capitalised words and ALL-CAPS headline words are filtered unless the place is prominent
or the context says "place" (a preposition before it, a designator such as "district"
after it, an "X, Y" pair). Spans follow the GeoWebNews convention: "Idlib" in "Idlib
province" is the mention; "province" is recorded as its designator.

This module matches names and decides which to accept; the evidence it weighs comes from
:mod:`.tokens`, :mod:`.designators`, :mod:`.person_names` and :mod:`.unlisted_places`,
and :mod:`.parent_links` records the containment the text states.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import replace

from gazetteer import Gazetteer, fold

from .designators import (
    OF_NAME,
    designator_after,
    designator_hint,
    kind_around,
)
from .lexicon import (
    ABBREVIATIONS,
    COMPASS,
    CONNECTORS,
    DESIGNATOR_WORDS,
    FACILITY_HEADS,
    GIVEN_NAMES,
    NATURAL_WORDS,
    PLACE_CUES,
    REGIONAL_ADJECTIVES,
    STOP,
    STOP_PHRASES,
    TITLES,
    demonyms,
)
from .model import Article, Mention
from .parent_links import link_parents
from .person_names import SAYING, person_words
from .tokens import (
    BLANKS,
    DOTTED,
    Token,
    gap,
    glued_after,
    glued_before,
    sentence_initial,
    word_tokens,
)
from .unlisted_places import facility_at, unknown_with_designator

__all__ = ["Recognizer", "extract_mentions"]

_MAX_WORDS = 6
# what follows a dateline: ", N.M. (AP)", ", Calif.--", " (Reuters)", " – ", ", April 5"
_DATELINE_AFTER = re.compile(r"(?:,\s+[A-Z][\w.]*|\s*\(|\s*[–—]|\s+-|\s*--)")


# "I'm", "I'd", "I'll", "I've": a pronoun and its verb, not a place found by its letters
_CONTRACTION = re.compile(r"['’](?:m|d|ll|ve)$")
OTHER_NAME_OPENING = 0.75  # a sentence's first word known only as another name: this prominent
GLUED_AFTER = 0.7  # a name followed by another capitalised word must be this prominent
HYPHEN_MAX_WEIGHT = 0.8  # a name hyphenated to a capitalised non-place word: a surname
GIVEN_ALONE = 0.7  # a common first name alone, with no place cue, must be this prominent
PERSON_MAX_WEIGHT = 0.8  # a word used as a surname after a given name or title: a person
PERSON_MAX_WEIGHT_WEAK = 0.65  # … after any other capitalised word
_FUNCTION_CAPS = frozenset({"Is", "Do", "Yes", "Gov", "La", "Le", "El", "Al"})


def _is_country_name(gazetteer: Gazetteer, word: str, code: str) -> bool:
    """Whether a demonym is spelled like its country's name ("Gibraltar", "Djibouti")."""
    country = gazetteer.admin_unit(code.split(":", 1)[1]) if code.startswith("country:") else None
    return country is not None and fold(country.name) == fold(word)


_COMPASS = COMPASS | {"upper", "lower"}
_GENERIC_PLACE_WORDS = frozenset("city town village district region province state country "
                                 "county".split())


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
        self.gazetteer = gazetteer
        self.lexicon = gazetteer.name_weights()
        self.address_codes = gazetteer.address_codes()
        self.demonyms = {word: code for word, code in demonyms().items()
                         if not _is_country_name(gazetteer, word, code)}
        self.min_weight = min_weight

    def __call__(self, text: str) -> list[Mention]:
        """Return the mentions in ``text``, in order, with cues and stated parents.

        "New\u00a0York" is read as "New York": the words are matched on a copy whose
        other spaces are plain ones (same length, so offsets hold); each mention keeps
        the text as given.
        """
        view = text.translate(BLANKS)
        mentions = self._recognise(view)
        if view == text:
            return mentions
        return [m if m.text == text[m.start:m.end] else replace(m, text=text[m.start:m.end])
                for m in mentions]

    def _recognise(self, text: str) -> list[Mention]:
        tokens = word_tokens(text)
        self._people = {w for w, strong in person_words(text, tokens).items()
                        if self.lexicon.get(fold(w), 0.0)
                        < (PERSON_MAX_WEIGHT if strong else PERSON_MAX_WEIGHT_WEAK)}
        found: list[tuple[Mention, int]] = []
        i = 0
        while i < len(tokens):
            if not tokens[i].is_capitalised:  # no name or facility starts in lower case
                i += 1
                continue
            if found and self._address_code(text, tokens[i], found[-1][1]):
                # "Springfield, IL": a state's postal code right after a place
                tok = tokens[i]
                found.append((Mention(tok.start, tok.end, tok.text, cues=("gazetteer",)),
                              tok.end))
                i += 1
                continue
            facility = facility_at(text, tokens, i)
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
        return link_parents(text, found)

    def _address_code(self, text: str, tok: Token, previous_end: int) -> bool:
        """Whether ``tok`` is a postal code ending an address: "Portland, ME,"."""
        return (tok.text.isupper() and text[previous_end:tok.start] in (", ", ",")
                and tok.lower in self.address_codes
                and not text.startswith(("'", "’"), tok.end))

    def _place_leads(self, text: str, mention: Mention) -> bool:
        """Whether a known place opens a facility's name, and is the mention.

        "Paris General Hospital", "Kent County Detention Center", "Toronto's
        Union Station".
        """
        return ((mention.designator is not None and mention.hint not in NATURAL_WORDS)
                or text.startswith(("'s", "’s"), mention.end)
                or self.lexicon.get(fold(mention.text), 0.0) >= 0.7)

    def _match(self, text: str, tokens: list[Token], i: int
               ) -> tuple[Mention, int, int] | None:
        first = tokens[i]
        if not first.is_capitalised:
            return None
        best = self._longest(text, tokens, i)
        if (first.text in self.demonyms and not glued_before(text, tokens, i)
                and (best is None or best[0] == i)):
            # "Syrian" is a demonym, but "British Columbia" is a province
            return Mention(first.start, first.end, first.text, is_demonym=True,
                           name=self.demonyms[first.text], cues=("demonym",)), first.end, i
        if best is None:
            return unknown_with_designator(text, tokens, i, self.lexicon)
        j, key, weight = best
        if j == i or glued_after(text, tokens, j) or (
                j + 1 < len(tokens) and tokens[j + 1].text in CONNECTORS):
            # "San Maartín department", "San Juan Teyta municipality": a garbled name
            # that starts like a real one
            longer = unknown_with_designator(text, tokens, i, self.lexicon)
            if longer is not None and longer[0].end > tokens[j].end:
                return longer
        start, end = first.start, tokens[j].end
        designator, hint, ext_end, last = designator_after(text, tokens, j)
        if designator is not None and weight >= 1.0 and OF_NAME.match(text, ext_end):
            # "the U.S. state of Maryland": the designator belongs to the name after "of"
            designator, hint, ext_end, last = None, None, end, j
        cues = self._cues(text, tokens, i, j, designator)
        if not self._accept(text, tokens, i, j, key, weight, cues):
            return None
        hint, kind = kind_around(text, start, end, hint, designator is not None)
        return Mention(start, end, text[start:end], designator=designator, hint=hint,
                       cues=(*cues, *kind)), ext_end, last

    def _longest(self, text: str, tokens: list[Token], i: int
                 ) -> tuple[int, str, float] | None:
        best = None
        for j in range(i, min(len(tokens), i + _MAX_WORDS)):
            tok = tokens[j]
            if j > i:
                between = gap(text, tokens[j - 1].end, tok.start)
                if between not in (" ", "-", " - ", ". ") or (
                        between == ". " and not tokens[j - 1].text.endswith(".")):
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
            key = fold(surface.replace(".", "") if DOTTED.fullmatch(surface) else surface)
            weight = self.lexicon.get(key)
            if weight is not None:
                best = (j, key, weight)
        return best

    def _with_natural_word(self, text: str, tokens: list[Token], i: int, j: int,
                           best: tuple[int, str, float] | None
                           ) -> tuple[int, str, float] | None:
        """Extend a name by a lower-case natural word the index writes as part of it.

        "the Quillomar river": the index has "Quillomar River", a name of its own.
        """
        if tokens[j].lower not in NATURAL_WORDS:
            return best
        key = fold(text[tokens[i].start:tokens[j].end])
        return (j, key, self.lexicon[key]) if key in self.lexicon else best

    def _cues(self, text: str, tokens: list[Token], i: int, j: int,
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

    def _accept(self, text: str, tokens: list[Token], i: int, j: int, key: str,
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
                return key in ABBREVIATIONS or DOTTED.fullmatch(span) is not None
            if weight < 0.75 and not (sentence_initial(text, tokens[i].start)
                                      and _DATELINE_AFTER.match(text, tokens[j].end)):
                return False  # but "SPRINGFIELD, Ill. (AP) -" opens a news story
        if i == j and weight < 0.95 and (span in self._people or (
                SAYING.match(text, tokens[j].end) and "preposition" not in cues)):
            return False  # "Kelly said", but not "an official in Wisconsin said"
        if i > 0 and tokens[i - 1].lower in GIVEN_NAMES and (
                text[tokens[i - 1].end:tokens[i].start] == " "):
            return False  # "Michael Jordan", "Sarah Kelly"
        if (i == j and tokens[i].lower in GIVEN_NAMES and weight < GIVEN_ALONE
                and "preposition" not in cues and "designator" not in cues):
            return False  # "Megan trained as a nurse": a first name used alone
        if i == j and tokens[i].lower in GIVEN_NAMES and glued_after(text, tokens, j):
            return False  # "Paul Ryan"
        if glued_before(text, tokens, i) and weight < 0.7:
            return False  # "Bill Kelly", "Kim Jong"; but "Environment Canada" counts
        if i == j and tokens[i].text in FACILITY_HEADS and glued_before(text, tokens, i):
            return False  # the "Valley" of "Hudson Valley" is no place called Valley
        if weight < HYPHEN_MAX_WEIGHT and self._hyphen_partner(text, tokens, i, j):
            return False  # "Lopez-Ward", "Evans-Hale", "Mercedes-Benz"
        if _CONTRACTION.search(tokens[i].text) or (i == j and tokens[i].text in _FUNCTION_CAPS):
            return False
        if glued_after(text, tokens, j) and weight < GLUED_AFTER and "designator" not in cues:
            return False  # "Bar Association", a person's surname
        if i == j:
            if sentence_initial(text, tokens[i].start) and not has_cue and (
                    weight < 0.6 or (weight < OTHER_NAME_OPENING
                                     and not self._own_name(key))):
                return False  # "Farmers said …", "Hop farms …": only some place's nickname
            if weight < self.min_weight and not has_cue:
                return False
        return True

    def _own_name(self, key: str) -> bool:
        """Whether some place is called ``key`` outright, not only by another name."""
        return any(m.how.startswith("name") for m in self.gazetteer.search(key, fuzzy=False))

    def _hyphen_partner(self, text: str, tokens: list[Token], i: int, j: int) -> bool:
        """Whether the name follows a hyphen and a capitalised word that is no known place."""
        if i == 0 or tokens[i - 1].end != tokens[i].start - 1 or text[tokens[i - 1].end] != "-":
            return False
        p = tokens[i - 1]  # the part before: "Lopez" in "Lopez-Ward"
        return (p.is_capitalised and not p.text.isupper() and len(p.text) > 2
                and p.lower not in CONNECTORS and p.text not in self.demonyms
                and self.lexicon.get(fold(p.text), 0.0) < GLUED_AFTER)


def _compass_name(words: list[str], weight: float) -> bool:
    """A prominent name of a compass word and a common word ("West Bank", "North Bank")."""
    return (len(words) == 2 and weight >= 0.7 and words[0] in _COMPASS
            and words[1] not in _COMPASS and words[1] not in DESIGNATOR_WORDS
            and words[1] not in _GENERIC_PLACE_WORDS)


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
        hint = designator_hint(match.group(1).lower()) if match else None
        if match and hint is not None:
            designator, ext_end = match.group(1), end + match.end()
        hint, kind = kind_around(text, start, end, hint, designator is not None)
        name = (names.get(surface) or REGIONAL_ADJECTIVES.get(surface)
                or (names.get(surface.title()) if surface.isupper() else None))  # "KAZAKH"
        cues = ("given span", "demonym", *kind) if name else ("given span", *kind)
        found.append((Mention(start, end, surface, designator=designator, hint=hint,
                              is_demonym=name is not None, name=name, cues=cues), ext_end))
    for mention in context:
        if not any(s < mention.end and mention.start < e for s, e in spans):
            ext = mention.end + (len(mention.designator) + 1 if mention.designator else 0)
            found.append((mention, ext))
    found.sort(key=lambda pair: pair[0].start)
    return link_parents(text, found)
