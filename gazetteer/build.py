"""Turn official GeoNames files into one SQLite index, atomically.

The index is written to a temporary file beside the destination and moved into place
only when it is complete, so an interrupted or failed build leaves the previous index
untouched. The same code builds the small embedded default and the full 12-million-row
dump; only the files differ.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from pathlib import Path

from .errors import GazetteerError
from .sources import BuildSources, find_sources
from .writer import BuildReport, Progress, _Writer

__all__ = ["BuildReport", "BuildSources", "Progress", "build_index", "find_sources"]


def build_index(sources: BuildSources | Iterable[str | Path], dest: str | Path, *,
                progress: Progress | None = None) -> BuildReport:
    """Build a gazetteer index at ``dest`` from official-format GeoNames files.

    Parameters
    ----------
    sources
        A :class:`BuildSources`, or files and directories for :func:`find_sources`.
    dest
        Where the index goes. It is replaced only when the new one is complete.
    progress
        Called as ``progress(stage, done, total)`` while the build runs.

    Returns
    -------
    BuildReport
        Counts, sources and build time, also stored in the index's ``meta`` table.
    """
    if not isinstance(sources, BuildSources):
        sources = find_sources(sources)
    if not sources.geonames:
        raise GazetteerError("no geoname table among the sources (allCountries, cities500, "
                             "XX.txt); nothing to build from")
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.building")
    started = time.perf_counter()
    try:
        tmp.unlink(missing_ok=True)
        with _Writer(tmp, progress or _quiet) as writer:
            report = writer.run(sources)
            writer.finish(report, started)
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)
        for suffix in ("-journal", "-wal", "-shm"):
            Path(f"{tmp}{suffix}").unlink(missing_ok=True)
    report.path = dest
    return report


def _quiet(stage: str, done: int, total: int | None) -> None:
    pass
