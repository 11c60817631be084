"""Every notebook in ``notebooks/`` runs top to bottom without an error.

Each runs in a fresh kernel started with this interpreter (a kernelspec written to a
temporary folder, so a ``python3`` kernel installed elsewhere on the machine cannot stand
in), from the repository root, with the same ``MAPPER_CACHE_DIR`` as the rest of the suite.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from gazetteer import Gazetteer

nbformat = pytest.importorskip("nbformat", reason="nbformat is not installed (pip install "
                                                  "'.[test]')")
nbclient = pytest.importorskip("nbclient", reason="nbclient is not installed (pip install "
                                                  "'.[test]')")
kernelspec = pytest.importorskip("ipykernel.kernelspec", reason="ipykernel is not installed "
                                                                "(pip install '.[test]')")

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))


@pytest.fixture(scope="module")
def kernel_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding one kernelspec, ``python3``, that runs ``sys.executable``."""
    folder = tmp_path_factory.mktemp("kernels")
    kernelspec.write_kernel_spec(path=str(folder / "python3"))
    return folder


def _kernel_manager(kernel_dir: Path) -> Any:
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    specs = KernelSpecManager(kernel_dirs=[str(kernel_dir)], ensure_native_kernel=False)
    manager = KernelManager(kernel_name="python3", kernel_spec_manager=specs)
    spec = manager.kernel_spec
    assert spec is not None and spec.argv[0] == sys.executable
    return manager


def test_there_are_notebooks() -> None:
    assert NOTEBOOKS, f"no notebooks in {REPO / 'notebooks'}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs(path: Path, kernel_dir: Path, default_cache_dir: Path,
                       default_gazetteer: Gazetteer, monkeypatch: pytest.MonkeyPatch) -> None:
    # The kernel inherits this environment: the index the fixture already built.
    monkeypatch.setenv("MAPPER_CACHE_DIR", str(default_cache_dir))
    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3",
                                     km=_kernel_manager(kernel_dir),
                                     resources={"metadata": {"path": str(REPO)}})
    try:
        client.execute(cleanup_kc=True)  # shut the kernel down though we made its manager
    except nbclient.exceptions.CellExecutionError as exc:
        pytest.fail(f"{path.name}: a cell failed\n{exc}")
    errors = [o for cell in notebook.cells for o in cell.get("outputs", [])
              if o.get("output_type") == "error"]
    assert errors == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_is_saved_without_outputs(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    dirty = [i for i, cell in enumerate(notebook.cells) if cell.cell_type == "code"
             and (cell.get("outputs") or cell.get("execution_count") is not None)]
    assert dirty == [], f"{path.name}: clear the outputs of cells {dirty} before committing"
