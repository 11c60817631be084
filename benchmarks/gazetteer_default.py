"""Benchmark: the embedded default gazetteer (first-use build, open, name lookups).

(a) first-use build: ``gazetteer.default.default_index_path()`` into a fresh temporary
    ``MAPPER_CACHE_DIR`` (a fresh process; wall time and peak RSS). Target <= 30 s.
(b) open: ``Gazetteer(path)`` plus one search, median of 20 fresh processes (time inside the
    process, after ``import gazetteer``) and of 20 fresh objects in one process.
    Target <= 0.5 s.
(c) lookups: ~5,000 realistic names sampled from the index (city names, "X region",
    "X district", country names, ~5% misspellings), ``fuzzy=False`` and the default:
    first-time throughput (fresh process, so every cache is cold; each name once) and
    repeated throughput (same object, list run several times, caches warm).
    Target >= 50,000/s warm. Peak RSS of each child.

    python benchmarks/gazetteer_default.py [--runs 20] [--repeat 5] [--names 5000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_CHILD_BUILD = r"""
import json, sys, time
t0 = time.perf_counter()
from gazetteer.default import default_index_path
t1 = time.perf_counter()
path = default_index_path()
t2 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "build_s": t2 - t1, "path": str(path)}))
"""

_CHILD_OPEN = r"""
import json, sys, time
t0 = time.perf_counter()
from gazetteer import Gazetteer
t1 = time.perf_counter()
gaz = Gazetteer(sys.argv[1])
hits = gaz.search("Kaluga region")
t2 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "open_query_s": t2 - t1, "top": hits[0].place.name}))
"""

_CHILD_OPEN_OBJECTS = r"""
import json, statistics, sys, time
from gazetteer import Gazetteer
Gazetteer(sys.argv[1]).search("Paris")  # imports, module caches
times = []
for _ in range(int(sys.argv[2])):
    t = time.perf_counter()
    gaz = Gazetteer(sys.argv[1])
    gaz.search("Kaluga region")
    times.append(time.perf_counter() - t)
    gaz.close()
print(json.dumps({"median_s": statistics.median(times), "max_s": max(times)}))
"""

_CHILD_LOOKUPS = r"""
import json, sys, time
from pathlib import Path
from gazetteer import Gazetteer
path, names_file, mode, fuzzy, repeat = sys.argv[1:6]
names = json.loads(Path(names_file).read_text())
fuzzy = fuzzy == "1"
gaz = Gazetteer(path)
res = {}
t = time.perf_counter()
found = sum(1 for n in names if gaz.search(n, fuzzy=fuzzy))
res["first_s"] = time.perf_counter() - t
res["found"] = found
if mode == "warm":
    t = time.perf_counter()
    for _ in range(int(repeat)):
        for n in names:
            gaz.search(n, fuzzy=fuzzy)
    res["warm_s"] = (time.perf_counter() - t) / int(repeat)
hwm = next(l for l in Path("/proc/self/status").read_text().splitlines()
           if l.startswith("VmHWM"))
res["hwm_mb"] = int(hwm.split()[1]) // 1024
print(json.dumps(res))
"""


def run_child(code: str, *args: str, env: dict[str, str] | None = None
              ) -> tuple[float, float, dict]:
    """Run ``python -c code args``: wall seconds, peak RSS in MB, the JSON it printed."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE,
                            text=True, env=env)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"child failed: {code[:60]!r}")
    return time.perf_counter() - started, usage.ru_maxrss / 1024, json.loads(out)


def _misspell(name: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(name) - 1)
    how = rng.choice(("drop", "swap", "double", "vowel"))
    if how == "drop":
        return name[:i] + name[i + 1:]
    if how == "swap":
        return name[:i] + name[i + 1] + name[i] + name[i + 2:]
    if how == "double":
        return name[:i] + name[i] + name[i:]
    return name[:i] + rng.choice("aeiouy") + name[i + 1:]


def sample_names(path: Path, n: int, seed: int = 1) -> tuple[list[str], dict[str, int]]:
    """About ``n`` names as news writes them, drawn from the index itself."""
    rng = random.Random(seed)
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    cities = [r for (r,) in db.execute(
        "SELECT name FROM places WHERE feature_class = 'P' ORDER BY population DESC")]
    # mostly well-known places, some long tail
    big = rng.sample(cities[:20_000], int(n * 0.45))
    tail = rng.sample(cities[20_000:], int(n * 0.15))
    adm1 = [r for (r,) in db.execute("SELECT asciiname FROM admin1")]
    adm2 = [r for (r,) in db.execute("SELECT asciiname FROM admin2")]
    countries = [r for (r,) in db.execute("SELECT name FROM countries")]
    db.close()

    def core(name: str) -> str:  # "Kaluzhskaya Oblast'" -> "Kaluzhskaya"
        words = name.replace("'", "").split()
        drop = {"oblast", "region", "province", "state", "kray", "krai", "rayon", "district",
                "county", "department", "municipality", "gorodskoy", "okrug", "of"}
        kept = [w for w in words if w.lower() not in drop]
        return " ".join(kept) or name

    regions = [f"{core(a)} {rng.choice(['region', 'Region', 'province', 'Oblast'])}"
               for a in rng.sample(adm1, min(len(adm1), int(n * 0.12)))]
    districts = [f"{core(a)} {rng.choice(['district', 'District', 'rayon', 'county'])}"
                 for a in rng.sample(adm2, int(n * 0.12))]
    nations = [rng.choice(countries) for _ in range(int(n * 0.08))]
    pool = big + tail
    typos = [_misspell(x, rng) for x in rng.sample([c for c in pool if len(c) > 4],
                                                     int(n * 0.05))]
    mix = {"cities (top 20k by population)": len(big), "cities (tail)": len(tail),
           "X region": len(regions), "X district": len(districts),
           "countries": len(nations), "misspellings": len(typos)}
    names = big + tail + regions + districts + nations + typos
    rng.shuffle(names)
    return names, mix


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=20, help="fresh processes for (b)")
    ap.add_argument("--repeat", type=int, default=5, help="warm passes over the list in (c)")
    ap.add_argument("--names", type=int, default=5000)
    args = ap.parse_args()
    print(f"machine: {os.cpu_count()} cores, python {sys.version.split()[0]}, "
          f"{time.strftime('%Y-%m-%d %H:%M')}")
    tmp = Path(tempfile.mkdtemp(prefix="gaz-default-"))
    try:
        env = {k: v for k, v in os.environ.items() if k != "MAPPER_GAZETTEER"}
        env["MAPPER_CACHE_DIR"] = str(tmp / "cache")
        wall, rss, r = run_child(_CHILD_BUILD, env=env)
        index = Path(r["path"])
        print(f"(a) first-use build: {r['build_s']:.1f} s in default_index_path() "
              f"(process wall {wall:.1f} s), peak RSS {rss:.0f} MB, index "
              f"{index.stat().st_size / 1e6:.0f} MB  [target <= 30 s]")
        _, _, r2 = run_child(_CHILD_BUILD, env=env)
        print(f"    second call (index cached): {r2['build_s'] * 1000:.1f} ms")

        opens, walls, imports = [], [], []
        for _ in range(args.runs):
            wall, rss_open, r = run_child(_CHILD_OPEN, str(index))
            opens.append(r["open_query_s"])
            imports.append(r["import_s"])
            walls.append(wall)
        _, _, objs = run_child(_CHILD_OPEN_OBJECTS, str(index), str(args.runs))
        print(f"(b) open + 1 search, fresh process: median {statistics.median(opens) * 1000:.1f}"
              f" ms (max {max(opens) * 1000:.1f}); import gazetteer median "
              f"{statistics.median(imports) * 1000:.0f} ms; whole process median "
              f"{statistics.median(walls) * 1000:.0f} ms; peak RSS {rss_open:.0f} MB "
              f"[target <= 500 ms]")
        print(f"    fresh object in a warm process: median {objs['median_s'] * 1000:.2f} ms "
              f"(max {objs['max_s'] * 1000:.2f})")

        names, mix = sample_names(index, args.names)
        names_file = tmp / "names.json"
        names_file.write_text(json.dumps(names))
        print(f"(c) {len(names):,} names: " + ", ".join(f"{k} {v}" for k, v in mix.items()))
        for fuzzy in ("0", "1"):
            label = "fuzzy=False" if fuzzy == "0" else "default (fuzzy=True)"
            _, rss_c, r = run_child(_CHILD_LOOKUPS, str(index), str(names_file), "warm",
                                    fuzzy, str(args.repeat))
            n = len(names)
            print(f"    {label:<21} first-time {n / r['first_s']:>9,.0f}/s "
                  f"({r['first_s'] * 1e6 / n:6.1f} µs each)   repeated (x{args.repeat}) "
                  f"{n / r['warm_s']:>9,.0f}/s ({r['warm_s'] * 1e6 / n:5.1f} µs each)   "
                  f"found {r['found']}/{n}   peak RSS {rss_c:.0f} MB")
        print("    [target >= 50,000/s warm]")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
