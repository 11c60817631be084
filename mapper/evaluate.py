"""Score a geoparser against gold corpora: the standard recognition and resolution metrics.

Pure functions only: they take spans, distances and hits that the caller computed and
return plain dicts, so the same numbers come out of the CLI, notebooks and benchmarks.

- Recognition (geotagging): precision, recall and F1 over spans, strict (same start and
  end) and overlapping (one-to-one: each gold span credits at most one prediction).
- Resolution (geocoding): accuracy within 161 km (100 miles), the AUC of the sorted
  log-error curve (Gritta et al. 2018; 0 is perfect, 1 the worst), mean and median error,
  and exact GeoNames-id accuracy.
"""

from __future__ import annotations

import gzip
import json
import math
import statistics
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, overload

import numpy as np
import numpy.typing as npt

from .errors import InputError
from .model import Problem

__all__ = [
    "ACC_KM",
    "GWN_ASSOCIATIVE",
    "GWN_LITERAL",
    "MAX_ERROR_KM",
    "format_report",
    "group_of",
    "haversine_km",
    "load_gold",
    "recognition_scores",
    "resolution_scores",
]

EARTH_RADIUS_KM = 6371.0088  # the mean radius, as gazetteer.haversine_km uses
MAX_ERROR_KM = 20039.0  # half the equator: the largest error the AUC allows
ACC_KM = 161.0  # 100 miles, the literature's "accurate" threshold

GWN_LITERAL = frozenset({"Literal", "Mixed", "Coercion", "Embedded_Literal", "Literal_Modifier"})
GWN_ASSOCIATIVE = frozenset({"Metonymic", "Non_Literal_Modifier", "Embedded_Non_Lit",
                             "Demonym", "Homonym", "Language"})

Span = tuple[int, int]
FloatArray = npt.NDArray[np.float64]


@overload
def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float: ...
@overload
def haversine_km(lat1: npt.ArrayLike, lon1: npt.ArrayLike, lat2: npt.ArrayLike,
                 lon2: npt.ArrayLike) -> float | FloatArray: ...
def haversine_km(lat1: npt.ArrayLike, lon1: npt.ArrayLike, lat2: npt.ArrayLike,
                 lon2: npt.ArrayLike) -> float | FloatArray:
    """Great-circle distances in km, element-wise over arrays (floats give a float).

    Parameters
    ----------
    lat1, lon1, lat2, lon2
        Degrees; numbers or array-likes that broadcast together.

    Returns
    -------
    float or numpy.ndarray
        The distance of each pair, in km.

    Examples
    --------
    >>> round(haversine_km(48.8534, 2.3488, 51.5085, -0.1257))
    344
    >>> haversine_km([0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [0.0, 180.0]).round().tolist()
    [0.0, 20015.0]
    """
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dlat, dlon = p2 - p1, np.radians(np.subtract(lon2, lon1))
    a = np.sin(dlat / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlon / 2) ** 2
    km = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    return float(km) if np.ndim(km) == 0 else km


def recognition_scores(gold_spans: Sequence[Iterable[Any]],
                       predicted_spans: Sequence[Iterable[Any]]) -> dict[str, Any]:
    """Precision, recall and F1 of predicted spans against gold, strict and overlapping.

    A strict match has the same start and end. An overlapping match shares at least one
    character (or is identical); matching is one-to-one and maximal, so a long
    prediction covering two gold spans credits one and leaves the other missed, whatever
    the order of the spans. Undefined ratios (nothing predicted, say) are 0.0.

    Parameters
    ----------
    gold_spans, predicted_spans
        One list per document, aligned, of spans: ``(start, end)`` pairs, ``{"start",
        "end"}`` dicts or objects with ``start``/``end`` (a :class:`Mention`).

    Returns
    -------
    dict
        ``{"documents": n, "strict": {...}, "overlap": {...}}`` where each inner dict has
        ``precision``, ``recall``, ``f1``, ``tp``, ``fp`` and ``fn``.

    Examples
    --------
    >>> s = recognition_scores([[(0, 5), (10, 16)]], [[(0, 5), (11, 16), (20, 22)]])
    >>> s["strict"]["tp"], s["overlap"]["tp"], round(s["overlap"]["precision"], 3)
    (1, 2, 0.667)
    """
    if len(gold_spans) != len(predicted_spans):
        raise ValueError(f"{len(gold_spans)} gold documents but {len(predicted_spans)} "
                         "predicted; pass one span list per document for both")
    strict = overlap = n_gold = n_pred = 0
    for gold_doc, pred_doc in zip(gold_spans, predicted_spans, strict=True):
        gold, pred = [_span(s) for s in gold_doc], [_span(s) for s in pred_doc]
        n_gold, n_pred = n_gold + len(gold), n_pred + len(pred)
        strict += sum((Counter(gold) & Counter(pred)).values())
        overlap += _overlap_matches(gold, pred)
    return {"documents": len(gold_spans),
            "strict": _prf(strict, n_pred - strict, n_gold - strict),
            "overlap": _prf(overlap, n_pred - overlap, n_gold - overlap)}


def _span(item: Any) -> Span:
    """A span as ``(start, end)`` from a pair, a mapping or an object with start/end."""
    if isinstance(item, Mapping):
        start, end = item["start"], item["end"]
    elif hasattr(item, "start") and hasattr(item, "end"):
        start, end = item.start, item.end
    else:
        start, end = item
    if not 0 <= int(start) <= int(end):
        raise ValueError(f"bad span ({start}, {end}): need 0 <= start <= end")
    return int(start), int(end)


def _overlap_matches(gold: list[Span], pred: list[Span]) -> int:
    """Size of a maximum one-to-one matching of overlapping spans (Kuhn's algorithm)."""
    def touches(g: Span, p: Span) -> bool:
        return g == p or (g[0] < p[1] and p[0] < g[1])

    def options_of(p: Span) -> list[int]:  # the gold spans it may take, exact match first
        return sorted((j for j, g in enumerate(gold) if touches(g, p)), key=lambda j: gold[j] != p)

    options = [options_of(p) for p in pred]
    owner = [-1] * len(gold)

    def augment(i: int, seen: set[int]) -> bool:
        for j in options[i]:
            if j not in seen:
                seen.add(j)
                if owner[j] < 0 or augment(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    return sum(augment(i, set()) for i in range(len(pred)))


def _prf(tp: int, fp: int, fn: int) -> dict[str, Any]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn}


def resolution_scores(errors_km: Iterable[float], *,
                      id_hits: Iterable[bool] | None = None) -> dict[str, Any]:
    """Accuracy@161km, AUC, mean and median of resolution errors, and id accuracy.

    The AUC is the trapezoidal area under the sorted errors scaled as
    ``ln(1 + err) / ln(1 + 20039)``, with the points spread evenly over [0, 1] (Gritta et
    al. 2018, who divide by ``ln 20039``; the ``1 +`` makes the worst case exactly 1).
    Errors beyond 20039 km count as 20039. How to count a toponym the system left
    unresolved (skip it, or pass ``MAX_ERROR_KM``) is the caller's choice.

    Parameters
    ----------
    errors_km
        One distance per resolved toponym, in km (non-negative).
    id_hits
        Optional: for each toponym whose gold has a GeoNames id, whether the predicted id
        is the same.

    Returns
    -------
    dict
        ``n``, ``acc161`` (share of errors <= 161 km), ``auc``, ``mean_km``, ``median_km``
        (None when ``n`` is 0) and, with ``id_hits``, ``id_accuracy`` and ``n_ids``.

    Examples
    --------
    >>> s = resolution_scores([0.0, 100.0, 20039.0], id_hits=[True, False])
    >>> s["n"], round(s["acc161"], 3), round(s["auc"], 3), s["median_km"], s["id_accuracy"]
    (3, 0.667, 0.483, 100.0, 0.5)
    >>> resolution_scores([0.0, 0.0])["auc"], resolution_scores([20039.0])["auc"]
    (0.0, 1.0)
    """
    errors = np.asarray(list(errors_km), dtype=float)
    if errors.size and not (np.isfinite(errors).all() and (errors >= 0).all()):
        raise ValueError("errors_km must be finite, non-negative distances in km")
    out: dict[str, Any] = {"n": int(errors.size), "acc161": None, "auc": None,
                           "mean_km": None, "median_km": None}
    if errors.size:
        out |= {"acc161": float(np.mean(errors <= ACC_KM)), "auc": _auc(errors),
                "mean_km": float(np.mean(errors)),
                "median_km": float(statistics.median(errors.tolist()))}
    if id_hits is not None:
        hits = [bool(hit) for hit in id_hits]
        out |= {"id_accuracy": sum(hits) / len(hits) if hits else None, "n_ids": len(hits)}
    return out


def accuracy_counting_misses(errors_km: Iterable[float], unresolved: int) -> float | None:
    """acc@161km over every gold point, an unresolved toponym counting as a miss.

    ``acc161`` scores only what was resolved; a system that always answers (CamCoder) is
    best compared with this figure.

    >>> accuracy_counting_misses([5.0, 300.0], unresolved=2)
    0.25
    """
    errors = list(errors_km)
    total = len(errors) + unresolved
    return sum(error <= ACC_KM for error in errors) / total if total else None


def _auc(errors: FloatArray) -> float:
    y = np.sort(np.log1p(np.minimum(errors, MAX_ERROR_KM))) / math.log1p(MAX_ERROR_KM)
    if y.size == 1:
        return float(y[0])
    return float((y.sum() - (y[0] + y[-1]) / 2) / (y.size - 1))


def group_of(toponym: Mapping[str, Any] | str | None) -> str:
    """The GeoWebNews group of a toponym: "literal", "associative", or "untyped".

    Parameters
    ----------
    toponym
        A gold toponym dict (its ``type`` is read) or the type itself.

    Returns
    -------
    str
        "literal" for the five literal types, "associative" for any other type, and
        "untyped" when there is no type (corpora other than GeoWebNews).

    Examples
    --------
    >>> group_of({"type": "Embedded_Literal"}), group_of("Demonym"), group_of({})
    ('literal', 'associative', 'untyped')
    """
    kind = toponym.get("type") if isinstance(toponym, Mapping) else toponym
    if not kind:
        return "untyped"
    return "literal" if kind in GWN_LITERAL else "associative"


def load_gold(path: str | Path, *, problems: list[Problem] | None = None) -> Iterator[dict]:
    """Read a gold corpus in the evaluation JSONL schema, one document per line, streaming.

    Each document has ``id`` (the line number when missing), ``text`` and ``toponyms``
    (a list, empty when missing) whose ``start``/``end`` lie inside the text. A ``.gz``
    file is decompressed.

    Parameters
    ----------
    path
        The JSONL file.
    problems
        Receives a :class:`Problem` per unusable line, and reading goes on. Without it
        the first unusable line raises :class:`InputError`.

    Returns
    -------
    Iterator[dict]
        The documents as parsed, in file order.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> gold = pathlib.Path(tempfile.mkdtemp()) / "gold.jsonl"
    >>> _ = gold.write_text('{"text": "In Afrin.", "toponyms": [{"start": 3, "end": 8}]}\\n')
    >>> [(d["id"], len(d["toponyms"])) for d in load_gold(gold)]
    [('1', 1)]
    """
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rt", encoding="utf-8-sig") as lines:
            for number, line in enumerate(lines, 1):
                if not line.strip():
                    continue
                doc = _gold_document(line, number)
                if isinstance(doc, dict):
                    yield doc
                elif problems is None:  # scoring stops: no line is skipped
                    raise InputError(f"{path}:{number}: {doc.removesuffix('; line skipped')}")
                else:
                    problems.append(Problem(str(path), number, doc))
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 ({exc.reason}); re-save it as UTF-8") from None


def _gold_document(line: str, number: int) -> dict[str, Any] | str:
    """A gold line as a document, or why it cannot be one."""
    try:
        doc = json.loads(line)
    except (json.JSONDecodeError, RecursionError) as exc:
        where = f" at column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else ""
        return f"not valid JSON{where}; line skipped"
    if not isinstance(doc, dict) or not isinstance(doc.get("text"), str):
        return "not a gold document (needs an object with a string 'text'); line skipped"
    doc.setdefault("toponyms", [])
    doc["id"] = str(doc["id"]) if doc.get("id") not in (None, "") else str(number)
    toponyms = doc["toponyms"]
    if not isinstance(toponyms, list) or not all(_is_span(t, len(doc["text"]))
                                                 for t in toponyms):
        return "'toponyms' must be a list of {start, end} inside the text; line skipped"
    return doc


def _is_span(toponym: Any, length: int) -> bool:
    if not isinstance(toponym, dict):
        return False
    start, end = toponym.get("start"), toponym.get("end")
    return (isinstance(start, int) and isinstance(end, int)
            and not isinstance(start, bool) and 0 <= start <= end <= length)


# (label, section key, metric key, format) rows of the report table, in print order
_RECOGNITION = [("precision", "precision", "pct"), ("recall", "recall", "pct"),
                ("F1", "f1", "pct")]
_RESOLUTION = [("toponyms", "n", "int"), ("not resolved", "unresolved", "int"),
               ("acc@161km", "acc161", "pct"),
               ("acc@161km, unresolved = miss", "acc161_all", "pct"),
               ("AUC", "auc", "auc"), ("mean error", "mean_km", "km"),
               ("median error", "median_km", "km"), ("id accuracy", "id_accuracy", "pct"),
               ("id acc. (held)", "id_accuracy_held", "pct"),
               ("calibration (ECE)", "ece", "auc")]


_GROUP_METRICS = [m for m in _RESOLUTION if m[1] in ("n", "acc161", "auc", "id_accuracy")]


def format_report(report: Mapping[str, Any]) -> str:
    """Render evaluation results side by side (the system next to a baseline) as text.

    Parameters
    ----------
    report
        ``{"title": str (optional), "columns": {name: results, ...}}``, where each
        ``results`` may hold ``"recognition"`` (from :func:`recognition_scores`),
        ``"resolution"`` (from :func:`resolution_scores`) and ``"groups"`` (a name →
        :func:`resolution_scores` dict, e.g. literal/associative). Columns and groups
        print in the order given; a metric missing from a column prints as ``-``.

    Returns
    -------
    str
        A plain-text table, one metric a line.

    Examples
    --------
    >>> system = {"resolution": resolution_scores([5.0, 300.0])}
    >>> baseline = {"resolution": resolution_scores([5.0, 900.0])}
    >>> print(format_report({"title": "tiny", "columns": {"system": system,
    ...                                                   "population": baseline}}))
    tiny
    metric                            system  population
    resolution
      toponyms                             2           2
      not resolved                         -           -
      acc@161km                        50.0%       50.0%
      acc@161km, unresolved = miss         -           -
      AUC                              0.379       0.434
      mean error                      152 km      452 km
      median error                    152 km      452 km
      id accuracy                          -           -
      id acc. (held)                       -           -
      calibration (ECE)                    -           -
    (% and F1: higher is better; AUC and km: lower is better)
    """
    columns: Mapping[str, Mapping[str, Any]] = report.get("columns", {})
    rows: list[tuple[str, list[str]]] = []
    for kind in ("strict", "overlap"):
        if any(kind in c.get("recognition", {}) for c in columns.values()):
            rows.append((f"recognition, {kind}", []))
            rows += _metric_rows(columns, _RECOGNITION, lambda c, k=kind: c.get(
                "recognition", {}).get(k, {}))
    if any("resolution" in c for c in columns.values()):
        rows.append(("resolution", []))
        rows += _metric_rows(columns, _RESOLUTION, lambda c: c.get("resolution", {}))
    names = list(dict.fromkeys(g for c in columns.values() for g in c.get("groups", {})))
    for group in names:
        rows.append((f"resolution, {group}", []))
        rows += _metric_rows(columns, _GROUP_METRICS,
                             lambda c, g=group: c.get("groups", {}).get(g, {}))
    return _table(report.get("title"), list(columns), rows)


def _metric_rows(columns: Mapping[str, Mapping[str, Any]], metrics: list[tuple[str, str, str]],
                 section: Any) -> list[tuple[str, list[str]]]:
    return [(f"  {label}", [_format(section(c).get(key), style) for c in columns.values()])
            for label, key, style in metrics]


def _format(value: Any, style: str) -> str:
    if value is None:
        return "-"
    if style == "pct":
        return f"{100 * value:.1f}%"
    if style == "auc":
        return f"{value:.3f}"
    return f"{value:,.0f} km" if style == "km" else f"{value:,}"


def _table(title: str | None, names: list[str], rows: list[tuple[str, list[str]]]) -> str:
    label_width = max([len("metric"), *(len(label) for label, _ in rows)]) + 2
    widths = [max([len(name), *(len(v[i]) for _, v in rows if v)]) + 2
              for i, name in enumerate(names)]
    lines = [title] if title else []
    lines.append("metric".ljust(label_width) + "".join(
        n.rjust(w) for n, w in zip(names, widths, strict=True)))
    for label, values in rows:
        cells = "".join(v.rjust(w) for v, w in zip(values, widths, strict=False))
        lines.append((label.ljust(label_width) + cells).rstrip())
    lines.append("(% and F1: higher is better; AUC and km: lower is better)")
    return "\n".join(lines)
