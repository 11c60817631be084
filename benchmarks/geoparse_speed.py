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
    adversarial(geoparser)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {peak:,.0f} MB")


def adversarial(geoparser: Geoparser) -> None:
    """Untrusted text must not stall a worker: inputs that were once slow, timed."""
    from mapper.model import Article
    from mapper.pipeline import incidents

    names = ["Paris", "London", "Kaluga", "Texas", "Moscow", "Springfield", "Aleppo", "Idlib"]
    cases = {
        "100,000 full stops": "." * 100_000,
        "4,000 regions in one run-on sentence": " in the ".join(
            f"{names[i % 8]} region" for i in range(4000)),
        "3,000 names in one list": ", ".join(names[i % 8] for i in range(3000)),
        "200 KB of ordinary prose": "Protests were reported in Kaluga and Tver. " * 4800,
    }
    for label, text in cases.items():
        started = time.perf_counter()
        geoparser(text)
        print(f"adversarial, {label} ({len(text) // 1000} KB): "
              f"{time.perf_counter() - started:.2f} s to geoparse")
    text = "A drone was shot down over " + ", ".join(names[i % 8] for i in range(3000)) + "."
    started = time.perf_counter()
    incidents([Article("list", text)], gazetteer=geoparser.gazetteer)
    print(f"adversarial, incidents of one sentence of 3,000 names: "
          f"{time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
