#!/usr/bin/env python3
"""Map page at scale: 10,000 synthetic incidents → build time, file size, page-ready time.

Targets: build ≤ 10 s, file ≤ 5 MB, ready ≤ 3 s in headless Chromium (ready = the page
script has added the clustered markers layer: ``window.__mapReady``, a
``performance.now()`` from navigation start). The network is cut off while the page loads.

Synthetic data: random points on land-ish latitudes, 8 event types, 1–3 sources per
incident drawn from a pool of articles (one article reports ~2–6 incidents, as in
real corpora), quotes of 80–240 characters in mixed scripts, 4-level admin paths, 3% with
an inconsistency finding, 5% region-level over 50 regions (circular shapes of 200 vertices
standing in for simplified admin-1 polygons).

Usage: python benchmarks/map_scale.py [--incidents 10000] [--runs 3] [--keep map.html]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from shapely.geometry import Point

from mapper.model import Finding, Incident, Source, Suggestion
from mapper.render import write_map

TYPES = ("shelling", "airstrike", "protest", "riot", "arrest", "explosion", "drone attack",
         "abduction")
WORDS = ("the", "village", "reported", "shelling", "near", "district", "officials", "said",
         "residents", "огонь", "район", "police", "المدينة", "protesters", "gathered", "on",
         "Tuesday", "after", "strike", "damaged", "school", "and", "two", "houses")
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]


class RegionShapes:
    """Stands in for the gazetteer: a circular region per code."""

    def shape(self, kind: str, code: str) -> Any:
        n = int(code.split(".")[1])
        return Point(-120 + n * 5, -30 + n).buffer(1.5, quad_segs=50)


def sentence(rng: random.Random, low: int, high: int) -> str:
    words: list[str] = []
    while sum(len(w) + 1 for w in words) < rng.randint(low, high):
        words.append(rng.choice(WORDS))
    return " ".join(words).capitalize() + "."


def synthetic(n: int, seed: int = 5) -> list[Incident]:
    rng = random.Random(seed)
    articles = [Source(f"a{k}", sentence(rng, 40, 90), f"Outlet {k % 120}",
                       f"https://news{k % 120}.example/2024/{k}/{sentence(rng, 20, 40)[:30]}",
                       f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}")
                for k in range(max(1, n // 2))]
    finding = Finding((0, 11, "Dzhezkazgan"), (30, 36, "Kaluga"), "inconsistent", 1, 2, "",
                      actual={"name": "Zhezqazghan", "admin1_name": "Ulytau",
                              "country_code": "KZ", "distance_km": 2612.4},
                      suggestions=(Suggestion(3, "Dzerzhinskiy Rayon", "ADM2", 0.8),))
    out = []
    for i in range(n):
        town = rng.randrange(3000)  # a town lies in one district of one region
        place = f"Town {town}"
        is_region = rng.random() < 0.05
        out.append(Incident(
            id=f"inc-{i}", event_type=rng.choice(TYPES),
            date=f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            quote=sentence(rng, 80, 240), place_name=place, geonameid=100000 + i,
            lat=round(rng.uniform(-45, 65), 5), lon=round(rng.uniform(-170, 175), 5),
            country_code="XX",
            admin_path=(place, f"District {town % 700}", f"Region {town % 700 % 50}",
                        "Country"),
            precision=3 if is_region else rng.choice((1, 1, 1, 2)),
            region_code=f"XX.{i % 50}" if is_region else None,
            findings=(finding,) if rng.random() < 0.03 else (),
            sources=tuple(rng.sample(articles, rng.randint(1, 3)))))
    return out


def page_ready_ms(path: Path, runs: int) -> tuple[list[float], int, list[str]]:
    from playwright.sync_api import sync_playwright

    times, blocked, errors = [], 0, []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for _ in range(runs):
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            hits: list[str] = []

            def route(r: Any, hits: list[str] = hits) -> None:
                if r.request.url.startswith(("file:", "data:")):
                    r.continue_()
                else:
                    hits.append(r.request.url)
                    r.abort()

            context.route("**/*", route)
            page = context.new_page()
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(path.as_uri())
            page.wait_for_function("window.__mapReady !== undefined", timeout=60_000)
            times.append(page.evaluate("window.__mapReady"))
            blocked += len(hits)
            context.close()
        browser.close()
    return times, blocked, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write the page here and keep it")
    args = parser.parse_args()
    incidents = synthetic(args.incidents)
    path = args.keep or Path(tempfile.mkdtemp()) / "map.html"
    builds = []
    for _ in range(args.runs):
        start = time.perf_counter()
        write_map(incidents, path, title="Synthetic incidents",
                  gazetteer=RegionShapes())  # type: ignore[arg-type]
        builds.append(time.perf_counter() - start)
    size = path.stat().st_size
    ready, blocked, errors = page_ready_ms(path, args.runs)
    print(f"incidents: {args.incidents:,} ({sum(i.precision == 3 for i in incidents)} "
          f"region-level, {sum(bool(i.findings) for i in incidents)} with a warning)")
    print(f"build (render + write): first {builds[0]:.2f} s, median "
          f"{statistics.median(builds):.2f} s (target ≤ 10 s)")
    page = path.read_text(encoding="utf-8")
    data = page.split('id="incident-data">', 1)[1].split("</script>", 1)[0]
    basemap = page.split('id="basemap-data">', 1)[1].split("</script>", 1)[0]
    print(f"file size: {size / 1e6:.2f} MB (target ≤ 5 MB): incident data "
          f"{len(data.encode()) / 1e6:.2f} MB, basemap {len(basemap.encode()) / 1e6:.2f} MB, "
          f"code and CSS {(size - len(data.encode()) - len(basemap.encode())) / 1e6:.2f} MB")
    print(f"page ready (markers layer added): median {statistics.median(ready) / 1000:.2f} s, "
          f"runs {', '.join(f'{t / 1000:.2f}' for t in ready)} s (target ≤ 3 s)")
    print(f"network requests attempted: {blocked}; page errors: {len(errors)}")


if __name__ == "__main__":
    main()
