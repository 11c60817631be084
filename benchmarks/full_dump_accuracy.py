"""Accuracy of an index built from real official GeoNames files, beside the embedded one.

Why: the same code must work, unchanged, on an index that `mapper gazetteer build --from`
makes from the official dump. The whole dump is not at hand, but real official files are
(``../shared/geonames``): cities500, the per-country dump of the features that lie in no
country (``no-country.txt``: continents, oceans, seas, undersea features, regions), the
admin code files, countryInfo, hierarchy and the feature codes. This script builds an index
from exactly those with the command a user runs, scores both indexes on the gold corpora
(gold spans and end to end, the numbers `mapper evaluate` prints), and then compares them
gold toponym by gold toponym: which ones only one index places within 161 km, counted by
the feature code each index resolved them to.

What to expect: the official files carry no rows (so no points) for countries and admin
units; the builder gives each one the mean point of its member places, where the embedded
index has Natural Earth centres. The features of no-country.txt are what the built index
adds.

    python benchmarks/full_dump_accuracy.py                      # ~3 min
    python benchmarks/full_dump_accuracy.py --corpora gwn,trnews --workdir /tmp/fd --keep
    python benchmarks/full_dump_accuracy.py --index /tmp/fd/built.sqlite   # reuse a build
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MAPPER_SHARED", ROOT.parent / "shared"))
CORPORA = ("gwn", "trnews", "geovirus", "wiktor")
ACC_KM = 161.0

# Official file names the builder recognises; the first one present of each group is used.
OFFICIAL = (("cities500.txt.gz", "cities500.txt", "cities15000.zip"), ("no-country.txt",),
            ("admin1CodesASCII.txt",), ("admin2Codes.txt",), ("countryInfo.txt",),
            ("hierarchy.txt.gz", "hierarchy.txt"), ("featureCodes_en.txt",))


def assemble(geonames: Path, dump: Path) -> list[str]:
    """Link the official files into ``dump`` under their own names; return the names."""
    dump.mkdir(parents=True, exist_ok=True)
    linked = []
    for names in OFFICIAL:
        name = next((n for n in names if (geonames / n).is_file()), None)
        if name is None:
            print(f"  (no {' / '.join(names)} in {geonames}; building without it)")
            continue
        target = dump / name
        if not target.exists():
            target.symlink_to((geonames / name).resolve())
        linked.append(name)
    return linked


def build(dump: Path, out: Path, *, packaged: bool) -> float:
    """Run ``mapper gazetteer build --from DUMP -o OUT`` in this process; return seconds."""
    from mapper.cli import main

    args = ["gazetteer", "build", "--from", str(dump), "-o", str(out)]
    if not packaged:
        args.append("--no-packaged")
    started = time.perf_counter()
    try:
        main(args, standalone_mode=False)
    except SystemExit as exc:  # an error was reported on stderr
        raise SystemExit(f"build failed (exit code {exc.code})") from None
    return time.perf_counter() - started


def describe(path: Path) -> list[str]:
    """What the built index holds: rows by origin and the feature classes of no-country."""
    with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as db:
        total = db.execute("SELECT count(*) FROM places").fetchone()[0]
        made = db.execute(
            "SELECT CASE WHEN source LIKE 'mean of%' THEN 'member mean' ELSE 'packaged' END, "
            "feature_code, count(*) FROM places JOIN coordinate_sources USING (geonameid) "
            "GROUP BY 1, 2").fetchall()
        no_row = {table: db.execute(
            f"SELECT count(*) FROM {table} WHERE geonameid > 0 AND geonameid NOT IN "
            "(SELECT geonameid FROM places)").fetchone()[0]
            for table in ("admin1", "admin2", "countries")}
        codes = {table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                 for table in ("admin1", "admin2", "countries")}
        stateless = db.execute("SELECT feature_class, count(*) FROM places WHERE "
                               "country_code = '' GROUP BY 1 ORDER BY 2 DESC").fetchall()
    lines = [f"places {total:,}; rows made from the code files, by where the point came "
             "from: " + ", ".join(f"{code} {n:,} ({how})" for how, code, n in sorted(made))]
    lines.append("units in a code file with no row (no packaged point, no member place): "
                 + ", ".join(f"{t} {no_row[t]:,} of {codes[t]:,}" for t in no_row))
    lines.append("features in no country, by class: "
                 + ", ".join(f"{cls or '-'} {n:,}" for cls, n in stateless))
    return lines


def score(corpus: Path, index: Path, *, gold_spans: bool) -> dict[str, object]:
    """The numbers `mapper evaluate` prints, for one corpus, index and mode."""
    from gazetteer import Gazetteer
    from mapper.pipeline import evaluate

    report = evaluate(str(corpus), gold_spans=gold_spans, gazetteer=Gazetteer(index))
    column = report["columns"]["newsmapper"]
    res = column["resolution"]
    f1 = column.get("recognition", {}).get("overlap", {}).get("f1")
    return {"n": res["n"], "unresolved": res["unresolved"], "acc161": res["acc161"],
            "auc": res["auc"], "id": res.get("id_accuracy"), "f1": f1}


def compare(corpus: Path, embedded: Path, built: Path) -> tuple[Counter, dict]:
    """Gold toponyms within 161 km with one index only, keyed by (who, code, other code)."""
    from gazetteer import Gazetteer, haversine_km
    from mapper.evaluate import load_gold
    from mapper.pipeline import Geoparser

    parsers = {"embedded": Geoparser(Gazetteer(embedded)), "built": Geoparser(Gazetteer(built))}
    counts: Counter = Counter()
    examples: dict = defaultdict(Counter)
    for doc in load_gold(str(corpus)):
        spans = [(t["start"], t["end"]) for t in doc["toponyms"]]
        found = {}
        for name, parser in parsers.items():
            found[name] = {(r.mention.start, r.mention.end): r.place
                           for r in parser.resolve_given(doc["text"], spans)}
        for toponym in doc["toponyms"]:
            if toponym.get("lat") is None:
                continue
            places = {name: found[name].get((toponym["start"], toponym["end"]))
                      for name in parsers}
            right = {name: p is not None and haversine_km(
                toponym["lat"], toponym["lon"], p.lat, p.lon) <= ACC_KM
                for name, p in places.items()}
            if right["built"] == right["embedded"]:
                continue
            winner = "built" if right["built"] else "embedded"
            loser = "embedded" if winner == "built" else "built"

            def code(place: object) -> str:
                return "none" if place is None else f"{place.feature_class}.{place.feature_code}"
            key = (winner, code(places[winner]), code(places[loser]))
            counts[key] += 1
            examples[key][toponym["text"]] += 1
    return counts, examples


def pct(value: object) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=SHARED,
                    help="folder with geonames/ and eval/ (default: ../shared or $MAPPER_SHARED)")
    ap.add_argument("--corpora", default=",".join(CORPORA), help="comma-separated corpus names")
    ap.add_argument("--workdir", type=Path, help="where the dump links and the index go "
                    "(default: a temporary folder, removed afterwards)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary workdir")
    ap.add_argument("--index", type=Path, help="compare this already built index instead")
    ap.add_argument("--no-packaged", action="store_true",
                    help="build without the packaged aliases, shapes and unit points")
    ap.add_argument("--no-e2e", action="store_true", help="gold spans only")
    ap.add_argument("--examples", type=int, default=3, help="names shown per comparison row")
    ap.add_argument("--rows", type=int, default=25, help="comparison rows shown per corpus")
    args = ap.parse_args()

    geonames, evals = args.shared / "geonames", args.shared / "eval"
    if not (geonames / "countryInfo.txt").is_file() or not evals.is_dir():
        print(f"skipped: {args.shared} has no geonames/ and eval/ folders (the real GeoNames "
              "files and the gold corpora); pass --shared or set MAPPER_SHARED")
        return 0
    corpora = [evals / f"{name}.jsonl" for name in args.corpora.split(",") if name]
    corpora = [c for c in corpora if c.is_file()]

    from gazetteer.default import default_index_path

    embedded = default_index_path()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="full-dump-"))
    try:
        if args.index:
            built = args.index
            print(f"built index: {built} (given)")
        else:
            built = workdir / "built.sqlite"
            linked = assemble(geonames, workdir / "dump")
            print(f"building from {', '.join(linked)} ...", flush=True)
            seconds = build(workdir / "dump", built, packaged=not args.no_packaged)
            print(f"built {built} in {seconds:.0f} s")
        print(f"embedded index: {embedded}")
        for line in describe(built):
            print("  " + line)

        print()
        header = (f"{'corpus':<10} {'mode':<5} {'index':<9} {'topo':>6} {'unres':>6} "
                  f"{'acc@161':>8} {'AUC':>6} {'id acc':>7} {'F1 ovl':>7}")
        print(header)
        print("-" * len(header))
        modes = [True] if args.no_e2e else [True, False]
        for corpus in corpora:
            for gold_spans in modes:
                for label, index in (("embedded", embedded), ("built", built)):
                    s = score(corpus, index, gold_spans=gold_spans)
                    auc = "-" if s["auc"] is None else f"{s['auc']:.3f}"
                    print(f"{corpus.stem:<10} {'gold' if gold_spans else 'e2e':<5} {label:<9} "
                          f"{s['n']:>6,} {s['unresolved']:>6,} {pct(s['acc161']):>8} "
                          f"{auc:>6} {pct(s['id']):>7} {pct(s['f1']):>7}", flush=True)

        for corpus in corpora:
            counts, examples = compare(corpus, embedded, built)
            gained = sum(n for k, n in counts.items() if k[0] == "built")
            lost = sum(n for k, n in counts.items() if k[0] == "embedded")
            print(f"\n{corpus.stem}, gold spans: within {ACC_KM:.0f} km with the built index "
                  f"only {gained:,}, with the embedded index only {lost:,}")
            print(f"  {'only with':<9} {'n':>5}  {'its place':<12} {'other index':<12} names")
            for key, n in counts.most_common(args.rows):
                names = ", ".join(f"{t} ×{c}" if c > 1 else t
                                  for t, c in examples[key].most_common(args.examples))
                print(f"  {key[0]:<9} {n:>5}  {key[1]:<12} {key[2]:<12} {names}")
            by_class: Counter = Counter()
            for (winner, mine, _), n in counts.items():
                by_class[(winner, mine.split(".")[0])] += n
            print("  by feature class of the right place: " + "; ".join(
                f"{w} {c} {n}" for (w, c), n in sorted(by_class.items())))
    finally:
        if not args.workdir and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        elif args.keep and not args.workdir:
            print(f"kept {workdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
