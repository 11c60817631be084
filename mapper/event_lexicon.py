"""The event lexicon: which sentences report an event, and of what type.

Event types are patterns in a tab-separated file (``mapper/data/events.tsv``) so that
users can add their own without touching the code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from .errors import InputError

__all__ = ["EventLexicon"]

_NEGATION = re.compile(r"\b(?:no|not|without|nor|denied|never)\b(?:\s+\w+){0,2}\s*$", re.I)


@dataclass(frozen=True, slots=True)
class EventLexicon:
    """Event types and the patterns that find them in a sentence.

    Examples
    --------
    >>> EventLexicon.default().match("Air defences shot down a drone over Kaluga.")
    [('drone', 13, 30)]
    """

    patterns: tuple[tuple[str, re.Pattern[str]], ...]

    @classmethod
    def default(cls) -> EventLexicon:
        """The lexicon shipped with the package (``mapper/data/events.tsv``)."""
        text = (files("mapper") / "data" / "events.tsv").read_text(encoding="utf-8")
        return cls.parse(text, "events.tsv")

    @classmethod
    def from_file(cls, path: str | Path, *, extend: bool = True) -> EventLexicon:
        """Read a user's lexicon (``type<TAB>regex`` lines), added to the default one."""
        own = cls.parse(Path(path).read_text(encoding="utf-8"), str(path))
        return cls(own.patterns + cls.default().patterns) if extend else own

    @classmethod
    def parse(cls, text: str, name: str) -> EventLexicon:
        """Parse ``type<TAB>regex`` lines; a bad line raises naming the file and line."""
        patterns = []
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            kind, sep, regex = line.partition("\t")
            if not sep or not kind.strip() or not regex.strip():
                raise InputError(f"{name}:{number}: expected 'event type<TAB>pattern'")
            try:
                patterns.append((kind.strip(), re.compile(regex.strip(), re.I)))
            except re.error as exc:
                raise InputError(f"{name}:{number}: bad pattern ({exc})") from None
        return cls(tuple(patterns))

    def match(self, sentence: str) -> list[tuple[str, int, int]]:
        """Event types found in a sentence, the most specific (first listed) first.

        A negated mention ("no injuries", "without casualties") is not an event.
        """
        found = []
        for kind, pattern in self.patterns:
            for hit in pattern.finditer(sentence):
                if not _NEGATION.search(sentence[max(0, hit.start() - 25):hit.start()]):
                    found.append((kind, hit.start(), hit.end()))
                    break
        return found
