#!/usr/bin/env python3
"""Regenerate mapper/assets/: vendored Leaflet + markercluster and the offline basemap.

The map page must work with no network (newsroom pages, air-gapped researchers), so
every asset it needs is vendored here and inlined into the page by ``mapper.render``:

* ``leaflet.js``, ``leaflet.css``, ``layers*.png``  npm ``leaflet`` (BSD-2-Clause)
* ``leaflet.markercluster.js``, ``MarkerCluster*.css``     npm ``leaflet.markercluster`` (MIT)
* ``LICENSE-leaflet.txt``, ``LICENSE-leaflet.markercluster.txt``  their licence files
* ``basemap.geojson``  country outlines: Natural Earth polygons (public domain) from
  ``gazetteer/data/country_shapes.geojson.xz``, simplified to ``--tolerance`` degrees
  and rounded to 2 decimals (~1 km), so the page stays small
* ``SOURCES.md``  what came from where, with versions and checksums

Files sit flat in the folder because the package data glob (``assets/*``) is flat.

The packages are fetched with the ordinary client (``npm pack``) into a cache folder
outside the repository. The vendored files are copied verbatim.

Usage: python scripts/vendor_assets.py [--cache DIR] [--out DIR] [--tolerance 0.05]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import lzma
import subprocess
import tarfile
import tempfile
from pathlib import Path

import shapely

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "mapper" / "assets"
COUNTRIES = REPO / "gazetteer" / "data" / "country_shapes.geojson.xz"

# package -> version, {path in the tarball: vendored name}
PACKAGES: dict[str, tuple[str, dict[str, str]]] = {
    "leaflet": ("1.9.4", {
        "package/dist/leaflet.js": "leaflet.js",
        "package/dist/leaflet.css": "leaflet.css",
        "package/dist/images/layers.png": "layers.png",
        "package/dist/images/layers-2x.png": "layers-2x.png",
        "package/LICENSE": "LICENSE-leaflet.txt",
    }),
    "leaflet.markercluster": ("1.5.3", {
        "package/dist/leaflet.markercluster.js": "leaflet.markercluster.js",
        "package/dist/MarkerCluster.css": "MarkerCluster.css",
        "package/dist/MarkerCluster.Default.css": "MarkerCluster.Default.css",
        "package/MIT-LICENCE.txt": "LICENSE-leaflet.markercluster.txt",
    }),
}
LICENCES = {"leaflet": "BSD-2-Clause", "leaflet.markercluster": "MIT"}


def npm_pack(name: str, version: str, cache: Path) -> Path:
    """Fetch ``name@version`` as a tarball with ``npm pack`` (cached)."""
    cache.mkdir(parents=True, exist_ok=True)
    tarball = cache / f"{name}-{version}.tgz"
    if not tarball.exists():
        subprocess.run(["npm", "pack", f"{name}@{version}", "--silent"], cwd=cache, check=True)
    return tarball


def extract(tarball: Path, files: dict[str, str], out: Path) -> list[tuple[str, str]]:
    """Copy the wanted members verbatim; return (vendored name, sha256) pairs."""
    done = []
    with tarfile.open(tarball) as tar:
        for member, name in files.items():
            data = tar.extractfile(member)
            if data is None:
                raise SystemExit(f"{tarball.name}: {member} missing")
            blob = data.read()
            (out / name).parent.mkdir(parents=True, exist_ok=True)
            (out / name).write_bytes(blob)
            done.append((name, hashlib.sha256(blob).hexdigest()))
    return done


def _round(coords: object) -> object:
    if isinstance(coords, list | tuple):
        if coords and isinstance(coords[0], float | int):
            return [round(float(c), 2) for c in coords]
        return [_round(c) for c in coords]
    return coords


def basemap(tolerance: float, out: Path) -> tuple[int, int]:
    """Write simplified country outlines as compact GeoJSON; return (features, bytes)."""
    data = json.loads(lzma.decompress(COUNTRIES.read_bytes()))
    features = []
    for feature in data["features"]:
        geom = shapely.geometry.shape(feature["geometry"])
        small = shapely.simplify(geom, tolerance, preserve_topology=True)
        if small.is_empty or small.area < tolerance * tolerance:
            continue  # islands smaller than the tolerance vanish at world zoom anyway
        mapping = shapely.geometry.mapping(small)
        features.append({"type": "Feature",
                         "properties": {"cc": feature["properties"].get("country_code")},
                         "geometry": {"type": mapping["type"],
                                      "coordinates": _round(mapping["coordinates"])}})
    text = json.dumps({"type": "FeatureCollection", "features": features},
                      separators=(",", ":"))
    (out / "basemap.geojson").write_text(text, encoding="utf-8")
    return len(features), len(text.encode())


SOURCES = """\
# Vendored map assets

Regenerate with `python scripts/vendor_assets.py` (fetches with `npm pack`; copies the files
verbatim; rebuilds the basemap). `mapper.render` inlines all of them into every map page, so
the page loads nothing from the network.

| file | from | version | licence | sha256 |
|---|---|---|---|---|
{rows}

`basemap.geojson`: country outlines from Natural Earth (public domain, naturalearthdata.com),
taken from `gazetteer/data/country_shapes.geojson.xz` (see `gazetteer/data/SOURCES.md`),
simplified with shapely at {tolerance}° tolerance (topology preserved), coordinates rounded
to 0.01°, polygons smaller than the tolerance squared dropped; property `cc` is the ISO
country code. {features} features, {size:,} bytes.

Leaflet: Copyright (c) 2010-2023 Volodymyr Agafonkin, (c) 2010-2011 CloudMade; BSD-2-Clause,
see `LICENSE-leaflet.txt`. Leaflet.markercluster: Copyright 2012 David Leaver; MIT, see
`LICENSE-leaflet.markercluster.txt`.
"""


def main() -> None:
    """Fetch, copy and generate everything, then write SOURCES.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path,
                        default=Path(tempfile.gettempdir()) / "newsmapper-npm-cache")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--tolerance", type=float, default=0.05)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    rows = []
    for name, (version, files) in PACKAGES.items():
        tarball = npm_pack(name, version, args.cache)
        for vendored, digest in extract(tarball, files, args.out):
            rows.append(f"| `{vendored}` | npm `{name}` | {version} | {LICENCES[name]} | "
                        f"`{digest[:16]}…` |")
    features, size = basemap(args.tolerance, args.out)
    (args.out / "SOURCES.md").write_text(
        SOURCES.format(rows="\n".join(rows), tolerance=args.tolerance, features=features,
                       size=size), encoding="utf-8")
    print(f"wrote {args.out}: basemap {features} features, {size:,} bytes")


if __name__ == "__main__":
    main()
