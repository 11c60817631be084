"""Dask scaling: mentions_dask on a local cluster of 1 vs 2 worker processes.

Usage: python benchmarks/dask_scaling.py [--articles 2000] [--partitions 8] [--corpus FILE]

Builds N articles from ../shared/eval/gwn.jsonl texts, repeated (examples/articles.jsonl
when ../shared is absent), and geoparses them three ways: plain single-process
``mapper.geoparse_frame``; then ``mapper.distributed.mentions_dask`` on a
``LocalCluster(processes=True, threads_per_worker=1)`` with 1 and with 2 workers. For each
cluster it times the first run (cold workers: imports, opening the index, loading the
recogniser) and a second run (warm workers). The workers read the articles from JSONL
files, one per partition; wall times include reading and Dask's scheduling.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from pathlib import Path

import dask.dataframe as dd
import pandas as pd
from distributed import Client, LocalCluster

import mapper
from gazetteer import Gazetteer
from gazetteer.default import default_index_path
from mapper.distributed import mentions_dask

HERE = Path(__file__).resolve().parent
SHARED_CORPUS = HERE.parent.parent / "shared" / "eval" / "gwn.jsonl"
EXAMPLES = HERE.parent / "examples" / "articles.jsonl"


def load_texts(corpus: Path | None) -> tuple[Path, list[str]]:
    path = corpus or (SHARED_CORPUS if SHARED_CORPUS.is_file() else EXAMPLES)
    with path.open(encoding="utf-8") as handle:
        return path, [json.loads(line)["text"] for line in handle if line.strip()]


def articles(texts: list[str], n: int) -> pd.DataFrame:
    return pd.DataFrame({"id": [f"a{i}" for i in range(n)],
                         "text": [texts[i % len(texts)] for i in range(n)]})


def rate(label: str, n: int, seconds: float, mentions: int) -> None:
    print(f"{label:<34} {seconds:7.2f} s  {n / seconds:8,.0f} articles/s  ({mentions} mentions)")


def write_parts(frame: pd.DataFrame, partitions: int, folder: Path, run: str) -> str:
    """The articles as JSONL files, one per partition, for the workers to read themselves.

    Each run gets its own files (and ids), so Dask cannot reuse the previous run's results.
    """
    size = -(-len(frame) // partitions)
    for part in range(partitions):
        chunk = frame.iloc[part * size:(part + 1) * size].assign(
            id=lambda f: f["id"] + f"-{run}")
        chunk.to_json(folder / f"{run}-{part:03d}.jsonl", orient="records", lines=True,
                      force_ascii=False)
    return str(folder / f"{run}-*.jsonl")


def on_cluster(frame: pd.DataFrame, workers: int, partitions: int, index: str) -> None:
    started = time.perf_counter()
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      dashboard_address=":0") as cluster, Client(cluster), \
            tempfile.TemporaryDirectory() as folder:
        print(f"{workers} worker(s): cluster up in {time.perf_counter() - started:.2f} s")
        for run in ("cold", "warm"):
            pattern = write_parts(frame, partitions, Path(folder), f"{workers}{run}")
            started = time.perf_counter()
            parts = dd.read_json(pattern, lines=True, orient="records", blocksize=None)
            result = mentions_dask(parts, index_path=index).compute()
            rate(f"  mentions_dask, {workers} worker(s), {run}", len(frame),
                 time.perf_counter() - started, len(result))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--partitions", type=int, default=8)
    parser.add_argument("--corpus", type=Path)
    args = parser.parse_args()
    source, texts = load_texts(args.corpus)
    frame = articles(texts, args.articles)
    index = str(default_index_path())
    print(f"{args.articles} articles from {source.name} ({len(texts)} distinct texts, "
          f"{frame['text'].str.len().sum() / 1e6:.1f} M chars), {args.partitions} partitions; "
          f"{os.cpu_count()} CPUs, Python {platform.python_version()}")

    started = time.perf_counter()
    gaz = Gazetteer(index)
    mapper.geoparse("warm-up", gazetteer=gaz)
    print(f"single process: open index + load recogniser {time.perf_counter() - started:.2f} s")
    started = time.perf_counter()
    result = mapper.geoparse_frame(frame, gazetteer=gaz)
    rate("  geoparse_frame, 1 process", len(frame), time.perf_counter() - started, len(result))

    for workers in (1, 2):
        on_cluster(frame, workers, args.partitions, index)


if __name__ == "__main__":
    main()
