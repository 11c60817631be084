"""The keys a place's names are stored under, and the skeletons fuzzy search starts from.

Every way a query may reach a name (folded, loose, without its designator, as an
adjective's stem) is written once at build time, so lookups are plain key matches.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .normalize import fold, loose_key, skeleton, split_designator
from .schema import ALTERNATE, HISTORIC, LOOSE, NAME, SHORT_KEY, STRIPPED

__all__: list[str] = []

_RANKED = LOOSE | STRIPPED | ALTERNATE | HISTORIC  # the bits that make a match worse


def _name_keys(names: Iterable[tuple[str, int]]) -> dict[str, int]:
    """Every lookup key for a place's names, each with the best way it was reached."""
    out: dict[str, int] = {}

    def add(key: str, kind: int) -> None:
        if not key:
            return
        old = out.get(key)
        if old is None or (kind & _RANKED) < (old & _RANKED):
            out[key] = kind
        elif (kind & _RANKED) == (old & _RANKED):
            out[key] = old | kind

    seen: set[str] = set()
    for raw, kind in names:
        if raw in seen:
            continue
        seen.add(raw)
        key = fold(raw)
        add(key, kind)
        if len(key) > SHORT_KEY:
            # "WA" is no transliteration of "VA": a short name is an abbreviation
            add(loose_key(key), kind | LOOSE)
        designated = split_designator(key)
        if designated.designator:
            add(designated.core, kind | STRIPPED)
            add(loose_key(designated.core), kind | STRIPPED | LOOSE)
            # "Leningradskaya Oblast'" is "the Leningrad region" in English news
            stem = _ADJECTIVE.sub("", designated.core)
            if stem != designated.core and len(stem) > 3:
                add(stem, kind | STRIPPED | LOOSE)
    return out


_ADJECTIVE = re.compile(r"(?:sk|ck|tsk)(?:aya|aia|aja|iy|ii|ij|yy|y|oye|oe|oy|o)$")


def _skeletons(keys: dict[str, int]) -> set[str]:
    """Consonant skeletons of a place's own (not alternate) Latin names, for fuzzy search."""
    return {skeleton(loose_key(k)) for k, kind in keys.items()
            if kind & NAME and not kind & (LOOSE | ALTERNATE) and len(k) > 3 and k.isascii()}
