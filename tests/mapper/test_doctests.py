"""The examples in the mapper modules' docstrings run and print what they say."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import mapper

MODULES = sorted(m.name for m in pkgutil.walk_packages(mapper.__path__, "mapper."))


@pytest.mark.parametrize("module", MODULES)
def test_doctests(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module), verbose=False)
    assert result.failed == 0
