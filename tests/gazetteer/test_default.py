"""Tests for gazetteer.default: the cache, the override, and one build for racing processes.

The race uses the tiny fixture files as the "vendored" data (``DATA_DIR`` is replaced in
the child processes), so two processes can race through a real build in a second.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import gazetteer.default as default
from gazetteer import Gazetteer, default_index_path

REPO = Path(__file__).resolve().parents[2]
TINY = REPO / "tests" / "data" / "tiny"

_CHILD = textwrap.dedent("""
    import json, os, sys, time
    from pathlib import Path
    import gazetteer.default as d

    tiny, log, go = sys.argv[1:4]
    d.DATA_DIR = Path(tiny)
    real_build = d.build_index

    def counting_build(*args, **kwargs):
        with open(log, "a") as handle:
            handle.write(f"{os.getpid()}\\n")
        time.sleep(0.5)  # keep the lock held while the other process arrives
        return real_build(*args, **kwargs)

    d.build_index = counting_build
    deadline = time.monotonic() + 30
    while not os.path.exists(go) and time.monotonic() < deadline:
        time.sleep(0.005)
    path = d.default_index_path()
    stat = path.stat()
    print(json.dumps({"path": str(path), "ino": stat.st_ino, "mtime": stat.st_mtime_ns}))
""")


def test_concurrent_first_use_builds_once(tmp_path: Path) -> None:
    cache, log, go = tmp_path / "cache", tmp_path / "builds.log", tmp_path / "go"
    env = {**os.environ, "MAPPER_CACHE_DIR": str(cache)}
    env.pop("MAPPER_GAZETTEER", None)
    procs = [subprocess.Popen([sys.executable, "-c", _CHILD, str(TINY), str(log), str(go)],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(2)]
    time.sleep(0.3)  # let both import and start polling
    go.touch()
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        results.append(json.loads(out))

    assert log.read_text().count("\n") == 1, "more than one process built the index"
    assert results[0] == results[1]
    built = Path(results[0]["path"])
    assert built.parent == cache and built.name.startswith("default-")
    assert sorted(p.name for p in cache.iterdir()) == sorted([built.name, built.name + ".lock"])
    with Gazetteer(built) as gaz:
        assert gaz.search("Kaluga region")[0].place.geonameid == 553899


def test_cached_index_is_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAPPER_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("MAPPER_GAZETTEER", raising=False)
    monkeypatch.setattr(default, "DATA_DIR", TINY)
    first = default_index_path()
    mtime = first.stat().st_mtime_ns
    calls: list[object] = []
    monkeypatch.setattr(default, "build_index", lambda *a, **k: calls.append(a))
    assert default_index_path() == first
    assert first.stat().st_mtime_ns == mtime and calls == []


def test_data_change_gives_a_new_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "cities500.txt").write_bytes((TINY / "cities500.txt").read_bytes())
    monkeypatch.setenv("MAPPER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("MAPPER_GAZETTEER", raising=False)
    monkeypatch.setattr(default, "DATA_DIR", data)
    first = default_index_path()
    (data / "hierarchy.txt").write_bytes((TINY / "hierarchy.txt").read_bytes())
    second = default_index_path()
    assert first != second and second.is_file()
    assert not first.exists()  # the stale index of the old data is removed


def test_mapper_gazetteer_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                   tiny_index_path: Path) -> None:
    monkeypatch.setenv("MAPPER_GAZETTEER", str(tiny_index_path))
    monkeypatch.setenv("MAPPER_CACHE_DIR", str(tmp_path))
    assert default_index_path() == tiny_index_path
    with Gazetteer.default() as gaz:
        assert gaz.path == tiny_index_path
    assert list(tmp_path.iterdir()) == []  # nothing was built


def test_cache_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("MAPPER_CACHE_DIR", str(tmp_path))
    assert default.cache_dir() == tmp_path
    monkeypatch.delenv("MAPPER_CACHE_DIR")
    assert "newsmapper" in str(default.cache_dir())


def test_vendored_data_is_shipped() -> None:
    names = {p.name for p in default.DATA_DIR.iterdir()}
    assert {"geonames.txt.xz", "admin1CodesASCII.txt", "admin2Codes.txt", "countryInfo.txt",
            "hierarchy.txt.xz", "LICENSE-DATA.md"} <= names


def test_default_gazetteer_is_the_default_build(default_gazetteer: Gazetteer) -> None:
    info = default_gazetteer.info()
    assert info["counts"]["places"] > 100_000
    assert info["counts"]["shapes"] > 0
