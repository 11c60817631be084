"""Fixtures shared by the whole suite: the tiny gazetteer, the default one, a CLI runner.

``tiny_gazetteer`` is built once per session from ``tests/data/tiny/``: a few dozen rows we
wrote by hand in the official GeoNames formats (the values are real GeoNames facts). The
``shared`` marker skips tests that need ``../shared`` (evaluation corpora, GeoNames copies)
when that folder is absent.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from gazetteer import Gazetteer, build_index

REPO = Path(__file__).resolve().parent.parent
TINY_DIR = REPO / "tests" / "data" / "tiny"
SHARED = REPO.parent / "shared"
SHARED_GEONAMES = SHARED / "geonames"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip ``shared``-marked tests, with a reason, when ../shared is not there."""
    if SHARED.is_dir():
        return
    skip = pytest.mark.skip(reason=f"needs {SHARED} (evaluation corpora and GeoNames copies), "
                                   "which is absent")
    for item in items:
        if "shared" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def tiny_dir() -> Path:
    """The folder of hand-written official-format fixture files."""
    return TINY_DIR


@pytest.fixture(scope="session")
def tiny_index_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index built from ``tests/data/tiny/`` in a session temporary folder."""
    dest = tmp_path_factory.mktemp("tiny-index") / "tiny.sqlite"
    build_index([TINY_DIR], dest)
    return dest


@pytest.fixture(scope="session")
def tiny_gazetteer(tiny_index_path: Path) -> Iterator[Gazetteer]:
    """The tiny index, opened once for the session."""
    with Gazetteer(tiny_index_path) as gaz:
        yield gaz


@pytest.fixture(scope="session")
def default_cache_dir() -> Path:
    """A stable cache folder, so the ~20 s default build happens once across runs."""
    env = os.environ.get("MAPPER_CACHE_DIR")
    return Path(env) if env else Path.home() / ".cache" / "newsmapper-test"


@pytest.fixture(scope="session")
def default_gazetteer(default_cache_dir: Path) -> Iterator[Gazetteer]:
    """``Gazetteer.default()`` with ``MAPPER_CACHE_DIR`` pointing at a stable folder."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MAPPER_CACHE_DIR", str(default_cache_dir))
        gaz = Gazetteer.default()
    with gaz:
        yield gaz


@pytest.fixture
def cli_runner() -> CliRunner:
    """A click runner that keeps stdout and stderr apart."""
    return CliRunner()
