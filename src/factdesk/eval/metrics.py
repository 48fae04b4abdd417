"""Evaluation metrics shared by the training scripts, the eval gate and ``factdesk eval``.

Pure numpy; no sklearn import, so the CLI can score predictions cheaply.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np

Span = tuple[int, int]


# --------------------------------------------------------------------------- ranking


def average_precision(labels: Sequence[int], scores: Sequence[float]) -> float:
    """AP of ranking items by ``scores`` (descending; ties broken by original order, i.e. stable).

    Mean of precision@k over the ranks k of the positive items; 0.0 if there is no positive.
    """
    y = np.asarray(labels, dtype=np.int64)
    s = np.asarray(scores, dtype=np.float64)
    if y.size == 0 or y.sum() == 0:
        return 0.0
    order = np.argsort(-s, kind="stable")
    ys = y[order]
    hits = np.cumsum(ys)
    ranks = np.arange(1, ys.size + 1)
    return float(np.sum((hits / ranks)[ys == 1]) / ys.sum())


def precision_at_k(labels: Sequence[int], scores: Sequence[float], k: int) -> float:
    y = np.asarray(labels, dtype=np.int64)
    s = np.asarray(scores, dtype=np.float64)
    if y.size == 0:
        return 0.0
    order = np.argsort(-s, kind="stable")[:k]
    return float(y[order].sum() / k)


def ranking_by_group(
    groups: Sequence[str], labels: Sequence[int], scores: Sequence[float], ks: Iterable[int] = (5, 10)
) -> dict[str, float]:
    """MAP and mean P@k over groups (e.g. debates). Groups without any positive are skipped."""
    g = np.asarray(groups)
    y = np.asarray(labels)
    s = np.asarray(scores, dtype=np.float64)
    aps: list[float] = []
    pks: dict[int, list[float]] = {k: [] for k in ks}
    for name in sorted(set(g.tolist())):
        m = g == name
        if y[m].sum() == 0:
            continue
        aps.append(average_precision(y[m], s[m]))
        for k in pks:
            pks[k].append(precision_at_k(y[m], s[m], k))
    out = {"MAP": float(np.mean(aps)) if aps else 0.0, "n_groups": len(aps)}
    for k, v in pks.items():
        out[f"P@{k}"] = float(np.mean(v)) if v else 0.0
    return out


# --------------------------------------------------------------------------- classification


def binary_prf(labels: Sequence[int], pred: Sequence[int]) -> dict[str, float]:
    y = np.asarray(labels, dtype=bool)
    p = np.asarray(pred, dtype=bool)
    tp = float(np.sum(y & p))
    prec = tp / max(float(p.sum()), 1.0)
    rec = tp / max(float(y.sum()), 1.0)
    f1 = 2 * prec * rec / (prec + rec) if prec + rec > 0 else 0.0
    return {"precision": prec, "recall": rec, "f1": f1, "accuracy": float(np.mean(y == p)) if y.size else 0.0}


def best_f1_threshold(labels: Sequence[int], scores: Sequence[float]) -> tuple[float, float]:
    """(threshold, F1) maximising F1 of ``score >= threshold``."""
    y = np.asarray(labels, dtype=np.int64)
    s = np.asarray(scores, dtype=np.float64)
    order = np.argsort(-s, kind="stable")
    ys, ss = y[order], s[order]
    tp = np.cumsum(ys)
    k = np.arange(1, ys.size + 1)
    f1 = 2 * tp / (k + max(int(y.sum()), 1))
    # only cut between distinct scores
    valid = np.r_[ss[1:] != ss[:-1], True]
    f1 = np.where(valid, f1, -1)
    i = int(np.argmax(f1))
    return float(ss[i]), float(f1[i])


# --------------------------------------------------------------------------- spans (SemEval-2020 T11)


def merge_spans(spans: Iterable[Span]) -> list[Span]:
    """Sort and merge overlapping (or touching) character spans."""
    out: list[list[int]] = []
    for s, e in sorted((int(a), int(b)) for a, b in spans if int(b) > int(a)):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(a, b) for a, b in out]


def _overlap_sum(a: list[Span], b: list[Span]) -> np.ndarray:
    """For each span in ``a``: total characters it shares with spans of ``b`` (both merged, sorted)."""
    res = np.zeros(len(a), dtype=np.float64)
    j = 0
    for i, (s, e) in enumerate(a):
        while j < len(b) and b[j][1] <= s:
            j += 1
        k = j
        tot = 0
        while k < len(b) and b[k][0] < e:
            tot += min(e, b[k][1]) - max(s, b[k][0])
            k += 1
        res[i] = tot
    return res


def span_prf(pred: Mapping[str, Iterable[Span]], gold: Mapping[str, Iterable[Span]]) -> dict[str, float]:
    """Character-overlap precision/recall/F1 of span identification, after SemEval-2020 Task 11 (SI).

    Spans are merged per article first (gold and predicted). For predicted span s and gold span t,
    C(s, t, h) = |s ∩ t| / h. P = Σ_s Σ_t C(s, t, |s|) / |S|, R = Σ_s Σ_t C(s, t, |t|) / |T|,
    summed over all articles (micro). Articles only in ``pred`` count against precision.
    """
    p_num = r_num = 0.0
    n_pred = n_gold = 0
    for doc in set(pred) | set(gold):
        ps = merge_spans(pred.get(doc, ()))
        gs = merge_spans(gold.get(doc, ()))
        n_pred += len(ps)
        n_gold += len(gs)
        if not ps or not gs:
            continue
        ov_p = _overlap_sum(ps, gs)
        ov_g = _overlap_sum(gs, ps)
        p_num += float(np.sum(ov_p / np.array([e - s for s, e in ps], dtype=np.float64)))
        r_num += float(np.sum(ov_g / np.array([e - s for s, e in gs], dtype=np.float64)))
    prec = p_num / n_pred if n_pred else 0.0
    rec = r_num / n_gold if n_gold else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec > 0 else 0.0
    return {"precision": prec, "recall": rec, "f1": f1, "n_pred": n_pred, "n_gold": n_gold}


def technique_micro_f1(
    span_keys: Sequence[object], gold: Sequence[str], proba: np.ndarray, labels: Sequence[str]
) -> float:
    """Micro-F1 of technique classification on gold spans (SemEval-2020 T11 TC).

    ``span_keys[i]`` identifies the span of gold row i (rows sharing a key are one span carrying several
    techniques). For a span with m gold rows the m most probable techniques are predicted, so predictions and
    gold rows are equal in number and P = R = F1 = matched rows / gold rows.
    """
    by_key: dict[object, list[int]] = {}
    for i, k in enumerate(span_keys):
        by_key.setdefault(k, []).append(i)
    matched = 0
    for rows in by_key.values():
        p = proba[rows[0]]
        top = [labels[j] for j in np.argsort(-p, kind="stable")[: len(rows)]]
        remaining = [gold[i] for i in rows]
        for t in top:
            if t in remaining:
                remaining.remove(t)
                matched += 1
    return matched / len(gold) if len(gold) else 0.0
