"""One mention under resolution: its candidates, their running scores and the reasons.

Every pass over a document (stated parents, sentence regions, focus, coherence, one sense
per name) reads and adjusts the same scores. The reasons are also how a later pass tells a
reading the text itself placed from one that was only ranked, so their wording lives here.
"""

from __future__ import annotations

from dataclasses import dataclass

from gazetteer import Match

from .model import Mention

__all__ = ["EVERY_READING", "SETTLEMENT_STATED", "Slot", "is_stated"]

EVERY_READING = " (as every reading is)"  # a stated parent that keeps every reading
SETTLEMENT_STATED = "a town or city, as the text says"


@dataclass(slots=True)
class Slot:
    """A mention being resolved: its candidates and their running scores and reasons."""

    mention: Mention
    matches: list[Match]
    scores: list[float]
    reasons: list[list[str]]
    name: str = ""  # the name it is a mention of, case-folded: "cavan" for "Cavan Institute"

    def best(self) -> int:
        """Index of the best-scoring candidate, or -1 when there is none."""
        return max(range(len(self.scores)), key=self.scores.__getitem__) if self.scores else -1


def is_stated(reason: str) -> bool:
    """Whether a reason says the text itself placed the name (a parent, a region)."""
    return (reason.startswith("inside stated parent")
            and not reason.endswith(EVERY_READING)) or (
        reason.startswith("inside ") and reason.endswith("named in the sentence"))
