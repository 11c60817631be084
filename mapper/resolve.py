"""Resolve place mentions to GeoNames entries, using everything the document says.

Each mention's candidates come from the gazetteer (names, alternate names,
transliteration variants, fuzzy spellings when nothing matches exactly), ranked first by
name quality and a prior (feature type and population). The document then reranks them:
a stated parent ("Long Beach, California"; "X district in the Y region") keeps the
candidates inside it, the designator's feature type ("region" → ADM1), the countries the
article is about, and nearness to the other places it names. A name the gazetteer lacks
inside its stated parent ("Xton is a hamlet in Y County") reads as that parent rather than
as a namesake elsewhere. Every resolution carries
its score, the ranked alternatives and the signals that decided.

This module finds and first scores the candidates and turns the final scores into a
calibrated :class:`Resolution`; the document's passes live in :mod:`.stated_parents`,
:mod:`.sentence_regions` and :mod:`.document_passes`.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Iterator
from dataclasses import replace
from functools import lru_cache

from gazetteer import Gazetteer, Match, Place, fold

from .document_passes import (
    apply_coherence,
    apply_focus,
    is_city_of_millions,
    keep_famous_cities,
    one_sense_per_name,
)
from .inner_names import inner_names
from .lexicon import NATURAL_WORDS, hint_word
from .model import (
    DATELINE_CUE,
    SETTLEMENT_CUE,
    Alternative,
    Article,
    Mention,
    ParsedArticle,
    Resolution,
)
from .sentence_regions import apply_sentence_regions
from .slot import SETTLEMENT_STATED, Slot, is_stated
from .stated_parents import apply_parents

__all__ = ["Resolver", "resolve_mentions"]

_CANDIDATES = 10
COUNTRY_BOOST = 1.3  # a country's own name rarely means a namesake village
ALTERNATE_PENALTY = 0.85  # "Liverpool": the places called that outrank one also known so
PROMINENCE_MARGIN = 0.15  # ... unless far more prominent ("Calcutta", "Gothenburg": ~50x)
HOME_MARGIN = 0.1  # ... or than the places called so in its country (~15 times their size)
CAPITAL_OF_NAMESAKE = 0.95  # "Singapore", "Macau", "Djibouti": the country, not its capital
SETTLEMENT_PENALTY = 0.6  # an admin unit when the text says "the town of X"
TIE_BREAK = 1e-4  # per decade of the country's population, only to order exact ties
INNER_NAME_DISCOUNT = 0.8  # "Dubai Marathon" is at Dubai, less surely than "Dubai" is
INNER_NAME_CITY = 100_000  # smaller towns named inside a name are often people's names
CLOSE_SPELLING = 0.8  # a near spelling this close is a variant of the whole name
# The raw confidence (name quality × margin over the rivals) through a logistic, fitted on
# GeoWebNews and checked on TR-News (error 0.15 raw → 0.05 when fitted; `mapper evaluate`
# reports the current expected calibration error).
CALIBRATION_SLOPE = 10.0
CALIBRATION_MIDPOINT = 0.5


class Resolver:
    """Ranks gazetteer candidates for the mentions of one document at a time.

    Parameters
    ----------
    gazetteer
        The index to resolve against.
    """

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self._lookup = lru_cache(maxsize=200_000)(self._load)
        self._contains = lru_cache(maxsize=200_000)(self._load_contains)
        self._alone = lru_cache(maxsize=200_000)(self._load_alone)
        self._country_size = lru_cache(maxsize=1_000)(self._load_country_size)

    def _load_country_size(self, country_code: str) -> float:
        country = self.gazetteer.admin_unit(country_code) if country_code else None
        return math.log10(1 + country.population) if country and country.population else 0.0

    def _load(self, name: str, hint: str | None, fuzzy: bool = True) -> tuple[Match, ...]:
        gaz = self.gazetteer
        if name.startswith("country:"):
            place = gaz.admin_unit(name.split(":", 1)[1])
            return (Match(place, 0.97, place.name, "demonym", 1.0),) if place else ()
        if name.startswith("continent:"):
            code = name.split(":", 1)[1]
            conts = gaz.search(_CONTINENTS.get(code, code), feature_code="CONT")
            return tuple(Match(m.place, 0.95, m.matched, "demonym", m.prior) for m in conts[:1])
        if hint in NATURAL_WORDS:
            return self._natural(name, hint, fuzzy)
        query = f"{name} {hint_word(hint)}" if hint else name
        return tuple(gaz.search(query, limit=_CANDIDATES, fuzzy=fuzzy))

    def _natural(self, name: str, word: str, fuzzy: bool) -> tuple[Match, ...]:
        """Candidates for a name the text calls a river, lake, island or the like.

        The name with its word ("Oka river") finds the feature under either spelling in
        the index; where the index has no such feature (the embedded one has none), the
        name alone is what the text can still mean.
        """
        found = self.gazetteer.search(f"{name} {word}", limit=_CANDIDATES, fuzzy=False)
        return tuple(found or self.gazetteer.search(name, limit=_CANDIDATES, fuzzy=fuzzy))

    def _inner_matches(self, text: str, named: Collection[str]
                       ) -> tuple[str, list[Match]] | None:
        """The place a longer name is named after: its longest part with an exact match.

        Only a prominent reading counts (a country or continent, a region, a county
        named with its designator, a city of 100,000 by its own name), or one the
        document names on its own elsewhere: "Stoneman Douglas High" is no sign of
        Douglas. Among parts of one length a place name beats a demonym, then the most
        prominent place wins ("Robinson College Cambridge" → Cambridge). Scores are
        discounted: the name was not the place's own.
        """
        blocked: list[tuple[int, int]] = []
        for group in inner_names(text):
            found = []
            for inner in group:
                if any(a <= inner.first and inner.last <= b for a, b in blocked):
                    continue
                exact = [m for m in self._lookup(inner.lookup, None, False) if m.how != "fuzzy"]
                # another name of a country counts where it opens the longer name: "US
                # Federal Reserve", not the "America" of "Latin America"
                matches = [m for m in exact if inner.surface in named or (
                    _prominent(m.place, m.how, inner.designated)
                    and (m.how in ("name", "demonym") or inner.first == 0))]
                if matches:
                    found.append((not inner.is_demonym, max(m.prior for m in matches),
                                  inner.surface, matches))
                elif any(m.how == "name" for m in exact):
                    # "Sierra Vista Airport": a small place has the longer part as its
                    # name, so the larger Vista inside it is not what the name is after
                    blocked.append((inner.first, inner.last))
            if found:
                *_, surface, matches = max(found, key=lambda f: f[:2])
                return surface, [replace(m, score=m.score * INNER_NAME_DISCOUNT)
                                 for m in matches]
        return None

    def _load_contains(self, parent: int, child: int) -> bool | None:
        return self.gazetteer.contains(parent, child).inside

    def candidates(self, mention: Mention) -> tuple[Match, ...]:
        """Gazetteer candidates for one mention, cached by name and designator hint."""
        return self._lookup(mention.name or mention.text, mention.hint)

    def baseline(self, mention: Mention) -> Place | None:
        """The most prominent candidate, ignoring context: the population baseline."""
        matches = self.candidates(mention)
        return max(matches, key=lambda m: m.prior).place if matches else None

    def resolve(self, mentions: Iterable[Mention], *,
                best_guess: bool = False) -> list[Resolution]:
        """Resolve the mentions of one document together, in their order.

        ``best_guess`` is for place strings to geocode: a near spelling nothing else
        supports is then still an answer, as the user asked for one; in an article it
        is left unresolved with the spellings as alternatives.
        """
        mentions = list(mentions)
        if len(mentions) == 1 and mentions[0].parent is None:
            # a lone name: no context to weigh, so the answer depends only on the name
            # and its designator
            m = mentions[0]
            cues = (("designator pattern",) if "designator pattern" in m.cues
                    or "ner" in m.cues else ())
            if SETTLEMENT_CUE in m.cues:  # "the town of X", a dateline
                cues += tuple(c for c in _KIND_CUES if c in m.cues)
            alone = self._alone(m.name or m.text, m.hint, m.is_demonym, cues, best_guess)
            return [replace(alone, mention=m)]
        return self._resolve_together(mentions, best_guess)

    def _load_alone(self, name: str, hint: str | None, is_demonym: bool,
                    cues: tuple[str, ...], best_guess: bool) -> Resolution:
        return self._resolve_together([Mention(0, len(name), name, hint=hint, name=name,
                                               is_demonym=is_demonym, cues=cues)],
                                      best_guess)[0]

    def _resolve_together(self, mentions: list[Mention],
                          best_guess: bool = False) -> list[Resolution]:
        named = {m.text for m in mentions}
        slots = [self._slot(m, named) for m in mentions]
        by_span = {(s.mention.start, s.mention.end): s for s in slots}
        apply_parents(slots, by_span, self.gazetteer, self._contains)
        apply_sentence_regions(slots, by_span, self.gazetteer)
        apply_focus(slots)
        apply_coherence(slots)
        one_sense_per_name(slots)
        keep_famous_cities(slots)
        return [self._resolution(s, not best_guess) for s in slots]

    def _slot(self, mention: Mention, named: Collection[str] = ()) -> Slot:
        if "designator pattern" in mention.cues or "ner" in mention.cues:
            # a name the gazetteer lacks: a near spelling elsewhere is no answer; only a
            # near spelling inside its stated parent (added later) may be
            matches = list(self._lookup(mention.name or mention.text, mention.hint, False))
        else:
            matches = list(self.candidates(mention))
        inner = None
        if all(m.how == "fuzzy" and m.score < CLOSE_SPELLING for m in matches):
            # "University of Alberta", "Bank of Mexico": no place has the whole name, a
            # near spelling of it is seldom right, and the place it is named after is
            inner = self._inner_matches(mention.text, named)
            if inner:
                matches = inner[1]
        exact_prior = max((m.prior for m in matches if m.how == "name"), default=None)
        lookup = inner[0] if inner else mention.name or mention.text
        scores = [m.score * (COUNTRY_BOOST if m.place.feature_code.startswith("PCL")
                             and m.how in ("name", "demonym") else 1.0)
                  * (ALTERNATE_PENALTY if exact_prior is not None
                     and m.how.startswith("alternate")
                     and not _far_more_prominent(m, exact_prior)
                     and not _short_form_at_home(m, matches, lookup) else 1.0)
                  for m in matches]
        for i, m in enumerate(matches):
            if m.place.feature_class == "A" and not m.place.population:
                # admin units without a population tie on name and type ("Florida": the
                # U.S. state, the Uruguayan department, the Puerto Rican municipality);
                # the one in the larger country is the likelier subject, not the one
                # with the lowest id
                scores[i] *= 1.0 + TIE_BREAK * self._country_size(m.place.country_code)
        # "the town of Tula", "NEW YORK (AP) —": not the governorate or state named like
        # it (when some town has that very name, or is a city of millions known by it:
        # "the city of Turkey" keeps the country over a namesake found by another name)
        settlement = SETTLEMENT_CUE in mention.cues and any(
            m.place.feature_class == "P" and m.how != "fuzzy" and (
                m.how == "name" or is_city_of_millions(m.place)) for m in matches)
        if settlement:
            # a dateline always names a city ("GAZA (Reuters) -" is the city, whatever
            # "Gaza" alone means in news); "the town of" may still be loose talk
            penalty = SETTLEMENT_PENALTY ** (2 if DATELINE_CUE in mention.cues else 1)
            for i, m in enumerate(matches):
                if m.place.feature_class == "A":
                    scores[i] *= penalty
        reasons = [[m.how] + ([SETTLEMENT_STATED] if settlement
                              and m.place.feature_class == "P" else [])
                   + ([f"named after {inner[0]!r}"] if inner else [])
                   for m in matches]
        countries = {(m.place.country_code, m.matched.lower()) for m in matches
                     if m.place.feature_code.startswith("PCL") and m.how != "fuzzy"}
        for i, m in enumerate(matches):
            if (m.place.feature_code == "PPLC" and m.how == "name"
                    and (m.place.country_code, m.matched.lower()) in countries):
                scores[i] *= CAPITAL_OF_NAMESAKE
        if mention.hint is None:
            _capital_over_its_unit(matches, scores)
        # "NEW YORK (AP)" and "New York" are one name
        return Slot(mention, matches, scores, reasons,
                    (inner[0] if inner else mention.text).casefold())

    def _resolution(self, slot: Slot, in_document: bool = True) -> Resolution:
        if not slot.matches:
            return Resolution(slot.mention, None, 0.0, (), ("no candidate in the gazetteer",))
        order = sorted(range(len(slot.matches)), key=lambda i: -slot.scores[i])
        top = order[0]
        total = sum(slot.scores[i] for i in order[:5]) or 1.0

        def alternatives(indexes: list[int]) -> tuple[Alternative, ...]:
            return tuple(Alternative(m.place.geonameid, m.place.name, m.place.feature_code,
                                     m.place.country_code, round(slot.scores[i] / total, 4))
                         for i in indexes for m in (slot.matches[i],))

        if in_document and _unsupported_spelling(slot.matches[top], slot.reasons[top]):
            # an unknown name in an article that merely resembles a place ("Cauvery" →
            # Cuvry) is far more often a place or thing the gazetteer lacks than a
            # misspelling: the near spellings stay as alternatives
            return Resolution(slot.mention, None, 0.0, alternatives(order[:5]),
                              (_ONLY_NEAR_SPELLINGS,))
        share = slot.scores[top] / total
        raw = min(1.0, slot.matches[top].score) * (0.5 + 0.5 * share)
        confidence = 1.0 / (1.0 + math.exp(-CALIBRATION_SLOPE * (raw - CALIBRATION_MIDPOINT)))
        return Resolution(slot.mention, slot.matches[top].place, confidence,
                          alternatives(order[1:6]), tuple(slot.reasons[top]))


_ONLY_NEAR_SPELLINGS = "only near spellings, which nothing in the text supports"


_KIND_CUES = (SETTLEMENT_CUE, DATELINE_CUE)  # cues that say what kind of place a lone name is


def _unsupported_spelling(match: Match, reasons: list[str]) -> bool:
    """Whether an answer is a near spelling with nothing but its spelling for it.

    A close one ("Democratic Republic of Congo"), one inside the parent or region the
    text names ("Matapozouelos, Castile and León") and one near the article's other
    places ("Smolensq" beside Tula) stay answers. The article's country alone is too
    little: "Elm Street" in a Kansas story is no misspelt Elmstead.
    """
    return (match.how == "fuzzy" and match.score < CLOSE_SPELLING
            and not any(is_stated(r) or r.startswith(_SPELLING_SUPPORT) for r in reasons))


_SPELLING_SUPPORT = ("found inside", "near other places")


def _capital_over_its_unit(matches: list[Match], scores: list[float]) -> None:
    """A capital outranks the admin unit of its country named like it.

    "a shop in Valletta" is the capital, not the council that bears its name, however
    few people live in the city (Vaduz, Funafuti). A designator ("the Valletta
    region") leaves the unit its due.
    """
    units: dict[tuple[str, str], float] = {}
    for m, score in zip(matches, scores, strict=True):
        if m.place.feature_code in ("ADM1", "ADM2") and m.how == "name":
            key = (m.place.country_code, m.matched.lower())
            units[key] = max(units.get(key, 0.0), score)
    for i, m in enumerate(matches):
        key = (m.place.country_code, m.matched.lower())
        if m.place.feature_code == "PPLC" and m.how == "name" and key in units:
            scores[i] = max(scores[i], units[key] * (1.0 + TIE_BREAK))


def _prominent(place: Place, how: str, designated: bool) -> bool:
    """Whether a place is known well enough to be what a longer name is named after."""
    code = place.feature_code
    if how not in ("name", "demonym") and not code.startswith("PCL") and not (
            is_city_of_millions(place)):
        return False  # "Penn", "Miss": another name of some place; but "New York" (Times)
    if code == "ADM2":
        return designated  # "Walker County Sheriff's Office", not "Elliott" in a person's name
    return code.startswith(("PCL", "ADM1", "CONT")) or place.population >= INNER_NAME_CITY


def _short_form_at_home(match: Match, matches: list[Match], name: str) -> bool:
    """Whether the name is the short form of a place that outranks its home namesakes.

    In a British story "Newcastle" is Newcastle upon Tyne, not the County Down town
    called Newcastle a fortieth of its size; abroad the towns of that name still
    outrank it. Only the opening of the place's own name counts: another alternate
    name may be an old one ("Harper" for Costa Mesa).
    """
    if not fold(match.place.name).startswith(fold(name) + " "):
        return False
    home = [m.prior for m in matches
            if m.how == "name" and m.place.country_code == match.place.country_code]
    return bool(home) and match.prior >= max(home) + HOME_MARGIN


def _far_more_prominent(match: Match, exact_prior: float) -> bool:
    """Whether an alternate-name match far outranks every place of that exact name.

    A city of millions also outranks the region named like it ("New York").
    """
    return match.prior >= exact_prior + PROMINENCE_MARGIN or is_city_of_millions(match.place)


_CONTINENTS = {"AF": "Africa", "AS": "Asia", "EU": "Europe", "NA": "North America",
               "SA": "South America", "OC": "Oceania", "AN": "Antarctica"}


def resolve_mentions(items: Iterable[tuple[Article, list[Mention]]], *,
                     gazetteer: Gazetteer | None = None) -> Iterator[ParsedArticle]:
    """Resolve each article's mentions together; yield the parsed articles."""
    resolver = Resolver(gazetteer or Gazetteer.default())
    for article, mentions in items:
        yield ParsedArticle(article, tuple(resolver.resolve(mentions)))
