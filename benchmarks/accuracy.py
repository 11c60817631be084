"""Accuracy on every gold corpus in ../shared/eval, gold spans and end to end.

Usage: python benchmarks/accuracy.py [EVAL_DIR] [-o docs/evaluation.md]

Runs the same code as `mapper evaluate` and writes one Markdown page of tables.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from mapper.evaluate import format_report
from mapper.pipeline import evaluate, evaluate_event_location

HERE = Path(__file__).resolve().parent
CORPORA = ("gwn", "trnews", "geovirus", "wiktor", "geocorpora")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("eval_dir", nargs="?", default=str(HERE.parent.parent / "shared" / "eval"))
    parser.add_argument("-o", "--output", default=None)
    args = parser.parse_args()
    parts = ["# Evaluation\n",
             "Produced by `python benchmarks/accuracy.py` (the same code as `mapper evaluate`),",
             "embedded gazetteer, " + time.strftime("%Y-%m-%d") + ".\n"]
    for name in CORPORA:
        path = Path(args.eval_dir) / f"{name}.jsonl"
        if not path.exists():
            continue
        for gold_spans in (True, False):
            started = time.perf_counter()
            report = evaluate(str(path), gold_spans=gold_spans)
            seconds = time.perf_counter() - started
            # the corpus as the README names it, not this machine's path
            report["title"] = report["title"].replace(str(path), f"{name}.jsonl")
            parts.append(f"## {name}: {'gold spans' if gold_spans else 'end to end'}\n")
            parts.append(f"`mapper evaluate ../shared/eval/{name}.jsonl"
                         f"{' --gold-spans' if gold_spans else ''}`, {seconds:.1f} s\n")
            parts.append("```\n" + format_report(report) + "\n```\n")
            print(f"{name} {'gold' if gold_spans else 'e2e'} done in {seconds:.1f} s", flush=True)
    events = Path(args.eval_dir) / "event_location.jsonl"
    if events.exists():
        started = time.perf_counter()
        report = evaluate_event_location(str(events))
        lines = [f"  {name:<16} {value:.1%} ({report['accuracy_when_recognised'][name]:.1%} "
                 "where the gold place was among the candidates)"
                 for name, value in report["accuracy"].items()]
        parts.append("## event_location: linking an event to its place\n")
        parts.append(f"`mapper evaluate ../shared/eval/event_location.jsonl`, "
                     f"{time.perf_counter() - started:.1f} s; {report['sentences']:,} sentences "
                     f"with a gold location, found among the candidates in "
                     f"{report['gold_location_recognised']:.1%}\n")
        parts.append("```\n" + "\n".join(lines) + "\n```\n")
    text = "\n".join(parts)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        print(text)


if __name__ == "__main__":
    main()
