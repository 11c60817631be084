"""Regenerate mapper/data/demonyms.tsv from the npm package world-countries (ODbL 1.0).

Usage: python scripts/vendor_demonyms.py [--cache DIR]
Writes: demonym, ISO country code (or continent code), source.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tarfile
from pathlib import Path

PACKAGE = "world-countries@5.1.0"
OUT = Path(__file__).resolve().parent.parent / "mapper" / "data" / "demonyms.tsv"
# Continent adjectives (GeoNames continent codes); our own list.
# Short forms news uses that world-countries lists only in longer form; our own list.
EXTRA = {"Saudi": "SA", "Yemeni": "YE", "Congolese": "CD", "Philippine": "PH", "Serb": "RS",
         "Kazakh": "KZ", "Uzbek": "UZ", "Kyrgyz": "KG", "Tajik": "TJ", "Azeri": "AZ",
         "Emirati": "AE", "Bosnian": "BA", "Kosovar": "XK"}
# Forms that name a region or several places more often than the one country listed.
DROP = {"Central African", "American Islander", "Channel Islander"}
CONTINENTS = {"African": "AF", "Asian": "AS", "European": "EU", "North American": "NA",
              "South American": "SA", "Oceanian": "OC", "Antarctic": "AN"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cache", type=Path, default=Path("/tmp/vendor-demonyms"))
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    tgz = next(args.cache.glob("world-countries-*.tgz"), None)
    if tgz is None:
        subprocess.run(["npm", "pack", PACKAGE], cwd=args.cache, check=True)
        tgz = next(args.cache.glob("world-countries-*.tgz"))
    with tarfile.open(tgz) as archive:
        countries = json.load(archive.extractfile("package/countries.json"))
    rows: dict[str, str] = {}
    # Where several countries share a demonym ("American"), the sovereign, larger one wins.
    countries.sort(key=lambda c: (not c.get("unMember"), not c.get("independent"),
                                  -(c.get("area") or 0)))
    for country in countries:
        eng = (country.get("demonyms") or {}).get("eng") or {}
        for form in {eng.get("m"), eng.get("f")} - {None, ""}:
            for word in form.split(","):
                word = word.strip()
                if word and word not in DROP:  # "Sri Lankan", "South Korean" too
                    rows.setdefault(word, country["cca2"])
    lines = ["# demonym\tcode\tsource: world-countries 5.1.0 (ODbL 1.0); continents ours"]
    lines += [f"{w}\t{c}\tworld-countries" for w, c in sorted(rows.items())]
    lines += [f"{w}\t{c}\tours" for w, c in EXTRA.items() if w not in rows]
    lines += [f"{w}\tcontinent:{c}\tours" for w, c in CONTINENTS.items()]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({len(lines) - 1} demonyms)")


if __name__ == "__main__":
    main()
