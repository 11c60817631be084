"""Benchmark: build a gazetteer index from a synthetic full GeoNames dump.

Generates ``allCountries.txt`` and ``alternateNamesV2.txt`` in the official formats from
REAL rows (cities500 from ``/work/shared/geonames`` when present, plus the admin and country
rows of the vendored ``gazetteer/data/geonames.txt.xz``), repeated with fresh geonameids
until ``--rows`` rows, next to the small official side files (admin codes, countryInfo,
hierarchy, feature codes). Generation is not measured.

Then ``gazetteer.build_index([workdir], out)`` runs in a child process; its wall time and
peak RSS (``os.wait4`` rusage, the kernel's own high-water mark) are printed with the
per-stage timeline the child reports. Finally the built index is opened in a fresh process
and a few lookups are timed.

Targets for the 12-million-row dump: build <= 15 min, peak RSS <= 2 GB.

    python benchmarks/gazetteer_full_build.py --rows 1000000
    nohup python benchmarks/gazetteer_full_build.py --rows 12000000 > full.log 2>&1 &
"""

from __future__ import annotations

import argparse
import gzip
import json
import lzma
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "gazetteer" / "data"
SHARED = Path(os.environ.get("MAPPER_SHARED", ROOT.parent / "shared")) / "geonames"
FRESH_ID_BASE = 20_000_000
ALT_ID_BASE = 30_000_000

# alternateNamesV2 "isolanguage" column: about what the real dump holds, per 100 rows.
# 'link', 'post', 'wkdt', 'iata', 'icao', 'unlc', 'faac' are skipped by the reader.
_LANGS = ([""] * 30 + ["en"] * 10 + ["ru"] * 5 + ["de"] * 3 + ["fr"] * 3 + ["es"] * 3
          + ["ar"] * 3 + ["zh"] * 3 + ["ja"] * 2 + ["uk"] * 2 + ["pl"] * 2 + ["it"] * 2
          + ["pt"] * 2 + ["nl", "sv", "fi", "ko", "fa", "he", "el", "tr", "hi", "abbr"]
          + ["link"] * 12 + ["post"] * 5 + ["wkdt"] * 2 + ["iata", "icao", "unlc", "faac"])


# -- generation (not measured) ----------------------------------------------------------

def _source_rows() -> tuple[list[list[str]], str]:
    """Real 19-column rows: cities500 (+ vendored admin/country rows), or the vendored file."""
    vendored = DATA / "geonames.txt.xz"
    with lzma.open(vendored, "rt", encoding="utf-8") as fh:
        vend = [line.rstrip("\n").split("\t") for line in fh if line.strip()]
    cities = SHARED / "cities500.txt.gz"
    if cities.is_file():
        with gzip.open(cities, "rt", encoding="utf-8") as fh:
            rows = [line.rstrip("\r\n").split("\t") for line in fh if line.strip()]
        ids = {r[0] for r in rows}
        rows += [r for r in vend if r[6] != "P" and r[0] not in ids]
        return rows, f"{cities} + non-P rows of {vendored.name}"
    return vend, str(vendored)


def generate(workdir: Path, n_rows: int) -> dict[str, object]:
    """Write the synthetic dump into ``workdir``; return what was written."""
    started = time.perf_counter()
    src, origin = _source_rows()
    n_src = len(src)
    alt_rows = alt_skipped = 0
    alt_id = ALT_ID_BASE
    cursor = [0] * n_src  # where each source row's alternate-name cycle is
    with open(workdir / "allCountries.txt", "w", encoding="utf-8", newline="\n") as geo, \
            open(workdir / "alternateNamesV2.txt", "w", encoding="utf-8", newline="\n") as alt:
        out_geo: list[str] = []
        out_alt: list[str] = []
        for i in range(n_rows):
            j = i % n_src
            row = src[j]
            gid = row[0] if i < n_src else str(FRESH_ID_BASE + i)
            out_geo.append("\t".join([gid, *row[1:19]]))
            # ~1.22 alternate-name rows per geoname row, as in the real dump (15.8M / 12.9M)
            names = [a for a in row[3].split(",") if a] or [row[1]]
            for _ in range(2 if i % 9 < 2 else 1):
                lang = _LANGS[(i * 7 + alt_id) % len(_LANGS)]
                k = cursor[j] % len(names)
                cursor[j] += 1
                if lang == "link":
                    name = "https://en.wikipedia.org/wiki/" + names[k].replace(" ", "_")
                elif lang == "post":
                    name = f"{(i * 37) % 99999:05d}"
                elif lang in ("iata", "icao", "faac", "unlc", "wkdt"):
                    name = f"Q{i}" if lang == "wkdt" else row[2][:4].upper()
                else:
                    name = names[k]
                alt_skipped += lang in ("link", "post", "iata", "icao", "faac", "unlc", "wkdt")
                r = alt_id % 100
                flags = ["1" if r < 3 else "", "1" if r == 3 else "", "1" if r == 4 else "",
                         "1" if r == 5 else ""]
                out_alt.append("\t".join([str(alt_id), gid, lang, name, *flags, "", ""]))
                alt_id += 1
                alt_rows += 1
            if len(out_geo) >= 100_000:
                geo.write("\n".join(out_geo) + "\n")
                alt.write("\n".join(out_alt) + "\n")
                out_geo.clear()
                out_alt.clear()
        if out_geo:
            geo.write("\n".join(out_geo) + "\n")
        if out_alt:
            alt.write("\n".join(out_alt) + "\n")
    for name in ("admin1CodesASCII.txt", "admin2Codes.txt", "countryInfo.txt",
                 "featureCodes_en.txt"):
        shutil.copy(DATA / name, workdir / name)
    with lzma.open(DATA / "hierarchy.txt.xz", "rb") as fh, \
            open(workdir / "hierarchy.txt", "wb") as out:
        shutil.copyfileobj(fh, out)
    return {"source": origin, "source_rows": n_src, "geonames_rows": n_rows,
            "alternate_rows": alt_rows, "alternate_rows_skipped_kinds": alt_skipped,
            "allCountries_bytes": (workdir / "allCountries.txt").stat().st_size,
            "alternateNames_bytes": (workdir / "alternateNamesV2.txt").stat().st_size,
            "seconds": time.perf_counter() - started}


# -- measured children ------------------------------------------------------------------

_BUILD_CHILD = r"""
import dataclasses, json, sys, time
from pathlib import Path
t0 = time.perf_counter()
from gazetteer import build_index, find_sources

def rss():
    out = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(("VmRSS", "VmHWM")):
            k, v = line.split(":")
            out[k] = int(v.split()[0]) // 1024
    return out

last = [None, 0.0]
def progress(stage, done, total):
    now = time.perf_counter() - t0
    if stage != last[0] or now - last[1] > 60:
        m = rss()
        print(f"  [{now:7.1f}s] {stage:<34} done={done:>10,} rss={m['VmRSS']:>5} MB "
              f"hwm={m['VmHWM']:>5} MB", file=sys.stderr, flush=True)
        last[:] = [stage, now]

workdir, out, profile = sys.argv[1], sys.argv[2], int(sys.argv[3])
if profile:
    import cProfile, pstats
    prof = cProfile.Profile()
    prof.enable()
sources = find_sources([workdir])
if not any(p.name == "allCountries.txt" for p in sources.geonames):
    # find_sources' geonames pattern is case-sensitive and misses 'allCountries'
    print("  NOTE: find_sources() ignored allCountries.txt; passing it explicitly",
          file=sys.stderr)
    sources = dataclasses.replace(sources, geonames=(Path(workdir) / "allCountries.txt",))
report = build_index(sources, out, progress=progress)
if profile:
    prof.disable()
    pstats.Stats(prof, stream=sys.stderr).sort_stats("cumulative").print_stats(profile)
    pstats.Stats(prof, stream=sys.stderr).sort_stats("tottime").print_stats(profile)
m = rss()
print(f"  [{time.perf_counter() - t0:7.1f}s] done rss={m['VmRSS']} MB hwm={m['VmHWM']} MB",
      file=sys.stderr, flush=True)
print(json.dumps({"seconds": report.seconds, "counts": report.counts, "hwm_mb": m["VmHWM"]}))
"""

_QUERY_CHILD = r"""
import json, random, sqlite3, sys, time
t0 = time.perf_counter()
from gazetteer import Gazetteer
t_import = time.perf_counter() - t0
path = sys.argv[1]
t1 = time.perf_counter()
gaz = Gazetteer(path)
first = gaz.search("Kaluga region")
t_open = time.perf_counter() - t1
res = {"import_s": t_import, "open_plus_first_query_s": t_open,
       "first_query_top": first[0].place.name if first else None}
db = sqlite3.connect(path)
names = [n for (n,) in db.execute(
    "SELECT name FROM places WHERE geonameid IN (SELECT geonameid FROM places "
    "ORDER BY random() LIMIT 2000)")]
ids = [g for (g,) in db.execute("SELECT geonameid FROM places ORDER BY random() LIMIT 2000")]
db.close()
def timed(label, fn, items):
    t = time.perf_counter()
    hits = sum(1 for x in items if fn(x))
    dt = time.perf_counter() - t
    res[label] = {"n": len(items), "per_s": round(len(items) / dt),
                  "ms_each": 1000 * dt / len(items), "nonempty": hits}
timed("search_exact_cold", lambda n: gaz.search(n, fuzzy=False), names)
timed("search_exact_warm", lambda n: gaz.search(n, fuzzy=False), names)
miss = [n[:2] + n[3:] + "x" for n in names[:300] if len(n) > 5]
timed("search_fuzzy_misspelt", lambda n: gaz.search(n), miss)
gaz2 = Gazetteer(path)
timed("get_by_id_cold", gaz2.find, ids)
pts = [(p.lat, p.lon) for p in map(gaz2.find, ids[:200]) if p]
timed("nearest_10", lambda ll: gaz2.nearest(*ll, limit=10), pts)
from pathlib import Path
res["hwm_mb"] = int(next(l for l in Path("/proc/self/status").read_text().splitlines()
                         if l.startswith("VmHWM")).split()[1]) // 1024
print(json.dumps(res))
"""


def run_child(code: str, *args: str) -> tuple[float, int, str, int]:
    """Run ``python -c code args``; return wall seconds, peak RSS (KB), stdout, exit code."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE,
                            text=True)
    out = proc.stdout.read()  # stderr goes straight through, for the live timeline
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - started, usage.ru_maxrss, out, proc.returncode


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=12_000_000)
    ap.add_argument("--workdir", type=Path, help="where the dump and index go (default: temp)")
    ap.add_argument("--keep", action="store_true", help="keep the workdir afterwards")
    ap.add_argument("--reuse", action="store_true",
                    help="reuse an already generated dump in --workdir")
    ap.add_argument("--generate-only", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--profile", type=int, default=0, metavar="N",
                    help="cProfile the build and print the top N functions (slows it down)")
    args = ap.parse_args()
    if args.generate_only:  # run in a child so the measuring parent stays small
        print(json.dumps(generate(args.generate_only, args.rows)))
        return 0

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="gaz-full-", dir="/var/tmp"))
    dump = workdir / "dump"
    dump.mkdir(parents=True, exist_ok=True)
    out = workdir / "index.sqlite"
    print(f"machine: {os.cpu_count()} cores, python {sys.version.split()[0]}, "
          f"{time.strftime('%Y-%m-%d %H:%M')}")
    print(f"workdir: {workdir}")
    try:
        if args.reuse and (dump / "allCountries.txt").is_file():
            print("generation: reusing existing dump")
        else:
            gen = json.loads(subprocess.run(
                [sys.executable, __file__, "--rows", str(args.rows), "--generate-only",
                 str(dump)], check=True, capture_output=True, text=True).stdout)
            print(f"generation (not measured): {gen['seconds']:.0f} s from {gen['source']} "
                  f"({gen['source_rows']:,} real rows)")
            print(f"  allCountries.txt      {gen['geonames_rows']:>12,} rows "
                  f"{gen['allCountries_bytes'] / 1e9:6.2f} GB")
            print(f"  alternateNamesV2.txt  {gen['alternate_rows']:>12,} rows "
                  f"{gen['alternateNames_bytes'] / 1e9:6.2f} GB "
                  f"({gen['alternate_rows_skipped_kinds']:,} link/post/code rows)")
        print("build (child process, timeline on stderr):", flush=True)
        wall, maxrss_kb, stdout, code = run_child(_BUILD_CHILD, str(dump), str(out),
                                                  str(args.profile))
        if code != 0:
            print(f"build FAILED with exit code {code}")
            return 1
        report = json.loads(stdout.strip().splitlines()[-1])
        counts = report["counts"]
        size = out.stat().st_size
        rows = args.rows
        print(f"BUILD wall {wall:.1f} s ({wall / 60:.1f} min), build_index {report['seconds']:.1f}"
              f" s, peak RSS {maxrss_kb / 1024:.0f} MB (child VmHWM {report['hwm_mb']} MB), "
              f"{rows / wall:,.0f} geoname rows/s")
        print(f"  counts: {json.dumps(counts)}")
        print(f"  index size: {size / 1e9:.2f} GB ({size / rows:.0f} B per geoname row)")
        if rows != 12_000_000:
            f = 12_000_000 / rows
            print(f"  linear extrapolation to 12,000,000 rows: {wall * f / 60:.1f} min, "
                  f"{size * f / 1e9:.1f} GB (RSS does not scale linearly; run it)")

        _, rss_q, stdout, code = run_child(_QUERY_CHILD, str(out))
        if code != 0:
            print(f"queries FAILED with exit code {code}")
            return 1
        q = json.loads(stdout.strip().splitlines()[-1])
        print(f"QUERIES (fresh process, peak RSS {rss_q / 1024:.0f} MB, "
              f"VmHWM {q['hwm_mb']} MB):")
        print(f"  import gazetteer {q['import_s'] * 1000:.0f} ms; Gazetteer(path) + first "
              f"search {q['open_plus_first_query_s'] * 1000:.1f} ms "
              f"(top: {q['first_query_top']})")
        for label, r in q.items():
            if isinstance(r, dict):
                print(f"  {label:<24} {r['per_s']:>8,}/s  {r['ms_each']:7.3f} ms each "
                      f"(n={r['n']}, non-empty {r['nonempty']})")
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
            print(f"removed {workdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
