"""The embedded default index, built once in the user cache from the vendored data.

The build is safe when several processes start at the same time.

``MAPPER_GAZETTEER`` points every default lookup at another index (say, one built from the
full dump); ``MAPPER_CACHE_DIR`` moves the cache.
"""

from __future__ import annotations

import hashlib
import os
from importlib.resources import files
from pathlib import Path

from filelock import FileLock
from platformdirs import user_cache_dir

from .build import Progress, build_index
from .schema import SCHEMA_VERSION

__all__ = ["DATA_DIR", "cache_dir", "default_index_path"]

DATA_DIR = Path(str(files("gazetteer") / "data"))


def cache_dir() -> Path:
    """Where built indexes live: ``$MAPPER_CACHE_DIR`` or the platform's user cache."""
    return Path(os.environ.get("MAPPER_CACHE_DIR") or user_cache_dir("newsmapper"))


def _fingerprint() -> str:
    """Identify the vendored data (names, sizes) and the code that shapes the index.

    A new release or edited data then gets a fresh index instead of a stale one.
    """
    digest = hashlib.sha256(f"schema{SCHEMA_VERSION}".encode())
    here = Path(__file__).parent
    for module in ("build.py", "normalize.py", "schema.py", "sources.py", "writer.py",
                   "unit_synthesis.py", "name_keys.py"):
        digest.update((here / module).read_bytes())
    for path in sorted(DATA_DIR.iterdir()):
        if path.is_file():
            digest.update(f"{path.name}:{path.stat().st_size};".encode())
    return digest.hexdigest()[:12]


def default_index_path(*, progress: Progress | None = None) -> Path:
    """Return the default index, building it from the vendored data on first use.

    A file lock makes concurrent first uses build once: the others wait, then reuse it.
    """
    override = os.environ.get("MAPPER_GAZETTEER")
    if override:
        return Path(override)
    target = cache_dir() / f"default-{_fingerprint()}.sqlite"
    if target.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(target) + ".lock", timeout=600):
        if not target.is_file():
            build_index([DATA_DIR], target, progress=progress)
            _remove_stale(target)
    return target


def _remove_stale(current: Path) -> None:
    """Delete default indexes of older data or code; processes using them keep their copy."""
    for old in current.parent.glob("default-*.sqlite"):
        if old != current:
            old.unlink(missing_ok=True)
