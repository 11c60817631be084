"""Geoparser throughput: articles per second end to end, cached resolutions per second.

Usage: python benchmarks/geoparse_speed.py [CORPUS.jsonl] [--repeat N]

Reads article texts from an evaluation-format JSONL (default ../shared/eval/gwn.jsonl; any
JSONL with a "text" field works), opens the default index, then times one core.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

from gazetteer import Gazetteer
from mapper.model import Mention
from mapper.pipeline import Geoparser

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?", default=str(HERE.parent.parent / "shared" / "eval"
                                                         / "gwn.jsonl"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with open(args.corpus, encoding="utf-8") as handle:
        texts = [json.loads(line)["text"] for line in handle]
    chars = sum(map(len, texts))

    started = time.perf_counter()
    gaz = Gazetteer.default()
    geoparser = Geoparser(gaz)
    print(f"open index + lexicon: {time.perf_counter() - started:.2f} s")

    for round_ in range(args.repeat):
        started = time.perf_counter()
        mentions = sum(len(geoparser(text)) for text in texts)
        seconds = time.perf_counter() - started
        print(f"round {round_ + 1}: {len(texts)} articles ({chars / 1e6:.1f} M chars), "
              f"{mentions} mentions in {seconds:.2f} s = {len(texts) / seconds:,.0f} "
              f"articles/s")

    names = ["Kaluga", "Aleppo", "Paris", "Kyiv", "Long Beach", "Texas", "Syria", "Moscow"]
    batch = [Mention(0, len(n), n) for n in names] * 2000
    geoparser.resolver.resolve(batch[:100])
    started = time.perf_counter()
    for i in range(0, len(batch), 20):
        geoparser.resolver.resolve(batch[i:i + 20])
    seconds = time.perf_counter() - started
    print(f"repeated-name resolutions: {len(batch) / seconds:,.0f} per second "
          "(documents of 20 mentions, caches warm)")
    singles = [[m] for m in batch]
    started = time.perf_counter()
    for single in singles:
        geoparser.resolver.resolve(single)
    seconds = time.perf_counter() - started
    print(f"repeated lone names (geocoding a column): {len(singles) / seconds:,.0f} per "
          "second (caches warm)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {peak:,.0f} MB")


if __name__ == "__main__":
    main()
