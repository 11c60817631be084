"""Exceptions raised by the mapper package."""

from __future__ import annotations


class MapperError(Exception):
    """Base class of every error the mapper raises on purpose."""


class InputError(MapperError, ValueError):
    """An input file or record cannot be used (missing, empty, binary, wrong columns)."""
