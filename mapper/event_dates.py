"""Dates of events: the day a sentence names, read against the article's publication date.

"On the night of August 27" has no year and "on Monday" no date at all; both need the
date the article appeared, so the date of an incident is worked out here.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

__all__ = ["event_date", "parse_date"]

MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november "
    "december".split(), 1)}
WEEKDAYS = {d: i for i, d in enumerate("monday tuesday wednesday thursday friday saturday "
                                        "sunday".split())}
_DATE = re.compile(r"\b(?:(\d{1,2})(?:st|nd|rd|th)?\s+(" + "|".join(MONTHS) + r")|("
                   + "|".join(MONTHS) + r")\s+(\d{1,2})(?:st|nd|rd|th)?)\b(?:,?\s+(\d{4}))?",
                   re.I)
_WEEKDAY = re.compile(r"\b(?:on|last|this)\s+(" + "|".join(WEEKDAYS) + r")\b", re.I)


def event_date(sentence: str, published: str | None) -> str | None:
    """The date a sentence gives ("on the night of August 27", "on Monday"), else None.

    Without a year the article's year is used; weekdays count back from publication.

    Examples
    --------
    >>> event_date("On the night of August 27th, drones were downed.", "2024-08-28")
    '2024-08-27'
    """
    pub = parse_date(published)
    hit = _DATE.search(sentence)
    if hit:
        day = int(hit.group(1) or hit.group(4))
        month = MONTHS[(hit.group(2) or hit.group(3)).lower()]
        year = int(hit.group(5)) if hit.group(5) else (pub.year if pub else None)
        if year is None:
            return None
        try:
            found = date(year, month, day)
        except ValueError:
            return None
        if pub and not hit.group(5) and found > pub + timedelta(days=1):
            try:
                found = found.replace(year=year - 1)  # "December 30" in a January article
            except ValueError:  # February 29 of a year that has none
                return None
        return found.isoformat()
    weekday = _WEEKDAY.search(sentence)
    if weekday and pub:
        back = (pub.weekday() - WEEKDAYS[weekday.group(1).lower()]) % 7
        return (pub - timedelta(days=back)).isoformat()
    return None


def parse_date(text: str | None) -> date | None:
    """The date an ISO string opens with ("2024-08-28", "2024-08-28T10:00Z"), else None."""
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None
