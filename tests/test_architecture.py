"""Meta-tests that keep the shape honest: import contracts, light imports, ``__all__``.

Each check also runs once on a case built to break it, proving it can fail.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path
from types import ModuleType

import pytest

import gazetteer

REPO = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
HEAVY = ("folium", "pandas", "spacy", "shapely")


# -- import-linter contracts -------------------------------------------------------------


def _lint_imports(cwd: Path, config: Path | None = None,
                  pythonpath: Path | None = None) -> subprocess.CompletedProcess[str]:
    if not LINT_IMPORTS.exists():
        pytest.skip(f"{LINT_IMPORTS} not installed (pip install import-linter)")
    args = [str(LINT_IMPORTS), "--no-cache"]
    if config is not None:
        args += ["--config", str(config)]
    env = None
    if pythonpath is not None:
        env = {**os.environ, "PYTHONPATH": str(pythonpath)}
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env, timeout=120)


def test_import_contracts_are_kept() -> None:
    result = _lint_imports(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "gazetteer knows nothing of mapper KEPT" in result.stdout
    assert " 0 broken" in result.stdout


def test_import_contract_can_fail(tmp_path: Path) -> None:
    """The project's own contracts, on two stand-in packages where gazetteer imports mapper."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["importlinter"]
    rename = {"gazetteer": "fakegazetteer", "mapper": "fakemapper"}

    def renamed(values: list[str]) -> str:
        return json.dumps([rename.get(v, v) for v in values])

    lines = ["[tool.importlinter]", f"root_packages = {renamed(config['root_packages'])}"]
    for contract in config["contracts"]:
        assert contract["type"] == "forbidden"
        lines += ["[[tool.importlinter.contracts]]", f"name = {json.dumps(contract['name'])}",
                  'type = "forbidden"',
                  f"source_modules = {renamed(contract['source_modules'])}",
                  f"forbidden_modules = {renamed(contract['forbidden_modules'])}"]
    (tmp_path / "pyproject.toml").write_text("\n".join(lines) + "\n")
    for package in rename.values():
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / "fakegazetteer" / "index.py").write_text("from fakemapper import cli\n")
    (tmp_path / "fakemapper" / "cli.py").write_text("")

    result = _lint_imports(tmp_path, tmp_path / "pyproject.toml", pythonpath=tmp_path)
    assert result.returncode != 0
    assert "gazetteer knows nothing of mapper BROKEN" in result.stdout
    assert "fakegazetteer.index -> fakemapper.cli" in result.stdout


# -- light imports -----------------------------------------------------------------------

_PROBE = textwrap.dedent("""
    import json, sys
    import {modules}
    print(json.dumps(sorted(m for m in {heavy!r} if m in sys.modules)))
""")


def _heavy_after_import(modules: str) -> list[str]:
    probe = _PROBE.format(modules=modules, heavy=HEAVY)
    result = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_importing_the_packages_is_light() -> None:
    assert _heavy_after_import("mapper, gazetteer, gazetteer.cli, mapper.cli") == []


def test_light_import_check_can_fail() -> None:
    assert _heavy_after_import("gazetteer, shapely") == ["shapely"]


# -- __all__ -----------------------------------------------------------------------------


def _all_problems(module: ModuleType) -> list[str]:
    """What is wrong with a package's ``__all__``: missing, unknown, unsorted, duplicated."""
    declared = list(getattr(module, "__all__", []))
    public = {name for name, value in vars(module).items()
              if not name.startswith("_") and not isinstance(value, ModuleType)
              and name != "annotations"}
    problems = [f"{name} in __all__ but not defined" for name in declared
                if not hasattr(module, name)]
    problems += [f"{name} is public but not in __all__" for name in sorted(public - set(declared))]
    if declared != sorted(declared):
        problems.append("__all__ is not sorted")
    if len(declared) != len(set(declared)):
        problems.append("__all__ has duplicates")
    return problems


def test_gazetteer_all_lists_exactly_the_public_names() -> None:
    assert _all_problems(gazetteer) == []


def test_all_check_can_fail() -> None:
    fake = ModuleType("fake")
    fake.__all__ = ["b", "a", "missing", "a"]  # type: ignore[attr-defined]
    fake.a = fake.b = fake.extra = 1  # type: ignore[attr-defined]
    fake.sub = ModuleType("fake.sub")  # type: ignore[attr-defined]
    fake._private = 2  # type: ignore[attr-defined]
    assert _all_problems(fake) == ["missing in __all__ but not defined",
                                   "extra is public but not in __all__",
                                   "__all__ is not sorted", "__all__ has duplicates"]


@pytest.mark.parametrize("name", gazetteer.__all__)
def test_every_exported_name_is_documented(name: str) -> None:
    obj = getattr(gazetteer, name)
    assert getattr(obj, "__doc__", None), f"gazetteer.{name} has no docstring"
