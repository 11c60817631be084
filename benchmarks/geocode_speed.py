"""Batch geocoding throughput: names per second through ``Geocoder`` and ``mapper geocode``.

Usage: python benchmarks/geocode_speed.py [--names 100000] [--distinct 20000] [--seed 7]

Draws ``--distinct`` real place names from the default index (``MAPPER_CACHE_DIR`` is
honoured, as everywhere), then ``--names`` names from those with replacement (seeded), the
way a spreadsheet column repeats names. Times, on one core:

- the batch through a fresh ``Geocoder`` (fresh ``Gazetteer`` object: cold caches);
- the distinct names only, each once (every name a first-time lookup);
- the batch through the CLI, ``mapper geocode NAMES.txt -o out.csv`` in a subprocess
  (process start, index open, reading, writing CSV included).

Target: ≥ 20,000 names/s for the batch.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from gazetteer import Gazetteer
from mapper.geocode import Geocoder


def real_names(path: Path, count: int, seed: int) -> list[str]:
    """``count`` distinct place names from the index, without commas (a comma splits)."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        names = sorted({row[0] for row in db.execute("SELECT name FROM places")
                        if row[0] and "," not in row[0] and "\n" not in row[0]})
    return random.Random(seed).sample(names, count)


def through_api(path: Path, names: list[str]) -> tuple[float, int]:
    """Seconds to geocode ``names`` with a fresh Geocoder, and how many were resolved."""
    gaz = Gazetteer(path)
    coder = Geocoder(gaz)
    started = time.perf_counter()
    resolved = sum(coder(name).place is not None for name in names)
    return time.perf_counter() - started, resolved


def through_cli(path: Path, names: list[str]) -> float:
    """Wall seconds of ``mapper geocode NAMES.txt --index PATH -o out.csv``."""
    with tempfile.TemporaryDirectory() as tmp:
        source, out = Path(tmp) / "names.txt", Path(tmp) / "out.csv"
        source.write_text("".join(n + "\n" for n in names), encoding="utf-8")
        command = [sys.executable, "-m", "mapper.cli", "geocode", str(source),
                   "--index", str(path), "-o", str(out)]
        started = time.perf_counter()
        subprocess.run(command, check=True)
        seconds = time.perf_counter() - started
        with open(out, encoding="utf-8") as handle:
            rows = sum(1 for _ in handle) - 1
    if rows != len(names):
        raise SystemExit(f"the CLI wrote {rows} rows for {len(names)} names")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--names", type=int, default=100_000)
    parser.add_argument("--distinct", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    started = time.perf_counter()
    path = Gazetteer.default().path
    print(f"index {path} (cache dir {os.environ.get('MAPPER_CACHE_DIR', 'default')}), "
          f"found/built in {time.perf_counter() - started:.1f} s")
    distinct = real_names(path, args.distinct, args.seed)
    batch = random.Random(args.seed).choices(distinct, k=args.names)
    print(f"{len(batch):,} names drawn from {len(distinct):,} distinct real names "
          f"({len(set(batch)):,} of them occur)")

    seconds, resolved = through_api(path, batch)
    print(f"Geocoder, batch:            {len(batch) / seconds:>9,.0f} names/s "
          f"({seconds:.2f} s, {resolved / len(batch):.1%} resolved)")
    seconds, resolved = through_api(path, distinct)
    print(f"Geocoder, distinct only:    {len(distinct) / seconds:>9,.0f} names/s "
          f"({seconds:.2f} s, {resolved / len(distinct):.1%} resolved)")
    seconds = through_cli(path, batch)
    print(f"CLI (subprocess), batch:    {len(batch) / seconds:>9,.0f} names/s "
          f"({seconds:.2f} s wall, incl. start-up)")
    seconds = through_cli(path, distinct)
    print(f"CLI (subprocess), distinct: {len(distinct) / seconds:>9,.0f} names/s "
          f"({seconds:.2f} s wall)")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak RSS: this process {rss:.0f} MB, CLI child {children:.0f} MB")


if __name__ == "__main__":
    main()
