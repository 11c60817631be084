"""Fit the event-location weights in ``mapper/event_linker.py`` (a conditional logit).

Each sentence of Halterman's event-location corpus gives an event verb and the gold span
of where it happened; the candidates are the places ``candidate_places`` offers. The
weights maximise the likelihood of the gold candidate among a sentence's candidates
(softmax over candidates, L2 penalty). Sentences are split in two halves by a seeded
shuffle: the weights are fitted on one half and scored on the other, so the reported
figure is one the fit never saw. Paste the printed ``WEIGHTS`` into ``mapper/event_linker.py``.

    python scripts/fit_event_linker.py ../shared/eval/event_location.jsonl
"""

from __future__ import annotations

import argparse
import random
import textwrap

import numpy as np

from mapper.evaluate import load_gold
from mapper.event_linker import event_place_features
from mapper.pipeline import Geoparser
from mapper.place_candidates import candidate_places


def sentences(path: str) -> list[tuple[list[dict[str, float]], list[bool]]]:
    """Per sentence with a gold place: candidate features and which are right."""
    parser = Geoparser()
    out = []
    for doc in load_gold(path):
        verbs = doc.get("event_verbs") or []
        if not verbs or not doc["toponyms"]:
            continue
        text, verb = doc["text"], verbs[0]
        found = candidate_places(text, parser.recognize(text), after=verb["end"])
        places = [m for m in found if not m.is_demonym]
        gold = [(t["start"], t["end"]) for t in doc["toponyms"]]
        right = [any(m.start < e and s < m.end for s, e in gold) for m in places]
        feats = [event_place_features(text, verb["start"], verb["end"], m, places)
                 for m in places]
        out.append((feats, right))
    return out


def fit(rows, names, l2: float, steps: int) -> np.ndarray:
    """Maximise the mean of log P(gold | sentence) - l2 |w|^2 with Adam."""
    data = [(np.array([[f[n] for n in names] for f in feats]), np.array(right))
            for feats, right in rows if any(right)]
    w = np.zeros(len(names))
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    for t in range(1, steps + 1):
        grad = 2 * l2 * w
        for x, right in data:
            s = x @ w
            p = np.exp(s - s.max())
            p /= p.sum()
            q = p * right
            q /= q.sum()
            grad -= (q - p) @ x
        grad /= len(data)
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad ** 2
        w -= 0.05 * (m / (1 - 0.9 ** t)) / (np.sqrt(v / (1 - 0.999 ** t)) + 1e-8)
    return w


def accuracy(rows, names, w) -> float:
    """Share of sentences whose best-scored candidate overlaps the gold place."""
    hits = 0
    for feats, right in rows:
        if feats:
            x = np.array([[f[n] for n in names] for f in feats])
            hits += bool(right[int(np.argmax(x @ w))])
    return hits / len(rows) if rows else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--l2", type=float, default=0.01)
    parser.add_argument("--steps", type=int, default=600)
    args = parser.parse_args()
    rows = sentences(args.gold)
    names = sorted({n for feats, _ in rows for f in feats for n in f})
    random.Random(args.seed).shuffle(rows)
    half = len(rows) // 2
    train, test = rows[:half], rows[half:]
    w = fit(train, names, args.l2, args.steps)
    print(f"sentences {len(rows)}; gold among candidates "
          f"{sum(any(r) for _, r in rows) / len(rows):.1%}")
    print(f"accuracy on the fitted half {accuracy(train, names, w):.1%}, "
          f"on the held-out half {accuracy(test, names, w):.1%}")
    pairs = ", ".join(f'"{n}": {x:.2f}' for n, x in zip(names, w, strict=True))
    print(textwrap.fill("WEIGHTS: dict[str, float] = {" + pairs + "}", width=95,
                        subsequent_indent=" " * 29))


if __name__ == "__main__":
    main()
