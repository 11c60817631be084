"""Exceptions raised by the gazetteer package."""

from __future__ import annotations


class GazetteerError(Exception):
    """Base class of every error the gazetteer raises on purpose."""


class MalformedLineError(GazetteerError, ValueError):
    """A line of an official GeoNames file could not be parsed.

    The message names the file and the 1-based line number, so a user can open it.
    """

    def __init__(self, path: str, line: int, message: str) -> None:
        self.path = path
        self.line = line
        self.reason = message
        super().__init__(f"{path}:{line}: {message}")


class IndexNotFoundError(GazetteerError, FileNotFoundError):
    """No index file exists where one was expected."""


class PlaceNotFoundError(GazetteerError, KeyError):
    """No place has the requested geonameid."""

    def __str__(self) -> str:  # KeyError quotes its argument; we want a sentence.
        return str(self.args[0]) if self.args else "place not found"


class DownloadError(GazetteerError, OSError):
    """Fetching an official dump failed (network, size or checksum)."""
