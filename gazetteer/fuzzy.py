"""Helpers of fuzzy search: the key a name is compared under, and whether words agree.

A near spelling found by similarity alone can name something else ("Baltic Sea" is not
the town of Baltic); these checks keep such candidates out.
"""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz import fuzz

from .normalize import fold, loose_key, split_designator

__all__: list[str] = []


def _words_correspond(query: str, name: str) -> bool:
    """Whether a near spelling of a many-word query is a near spelling of the same thing.

    "Middle East" is not "Middle Rasen", nor is "Baltic Sea" the town of Baltic: a shared
    word carries the similarity while the other word names something else. A name
    followed by a word that isn't a kind of feature still counts ("Liverpool FC").
    """
    words = query.split()
    if len(words) < 2:
        return True
    others = name.split()
    extra = [w for w in words if not any(fuzz.ratio(w, o) >= 70 for o in others)]
    if not extra:
        return True
    return (all(any(fuzz.ratio(o, w) >= 70 for w in words) for o in others)
            and not any(w in _FEATURE_WORDS for w in extra))


# Words that make a name a different kind of feature from the place it starts with.
_FEATURE_WORDS = frozenset("""
sea ocean river lake gulf bay strait channel canal desert valley peninsula island islands
mountain mountains range delta coast plateau basin street avenue road boulevard lane square
park theatre theater centre center hall hospital stadium airport church chapel cathedral
school university college farm inn hotel bridge station market
""".split())


@lru_cache(maxsize=200_000)
def _fuzzy_key(name: str) -> str:
    """The key a place's name is compared under in fuzzy search."""
    return loose_key(split_designator(fold(name)).core)
