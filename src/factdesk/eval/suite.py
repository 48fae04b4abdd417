"""``factdesk eval all``: every benchmark found under a data folder laid out like ``shared/data``.

Where a model was trained on the folder's data, only the dev part is scored, with the very split functions the
training scripts use (``factdesk.training.data``), so the numbers reproduce the dev metrics in each meta.json:

| model | data | metric | target |
|---|---|---|---|
| stance | FNC-1 train_stances/bodies, dev = 20% of Body IDs | FNC-1 relative score | >= 0.83 |
| stance | Climate-FEVER, dev = 20% of claim ids | macro-F1 | report only |
| clickbait | Chakraborty headlines (lower-cased), dev | accuracy | >= 0.98 |
| clickbait | Webis-17 posts, dev | F1 (clickbait) | >= 0.65 |
| checkworthy | CheckThat! 2019+2020 debates, dev | MAP | >= 0.20 |
| propaganda_sentence | PTC lines, dev articles | AP | report only |
| ptc_tagger + propaganda_sentence gate | PTC SI, dev articles | span F1 | >= 0.45 |
| propaganda_technique | PTC TC gold spans, dev articles | micro-F1 | >= 0.55 |

A benchmark whose files are missing is listed as skipped. ``score`` of the whole run = the share of targets met.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from factdesk.errors import InputError

TARGETS: dict[str, float | None] = {
    "fnc1": 0.83,
    "climate-fever": None,
    "chakraborty": 0.98,
    "webis17": 0.65,
    "checkthat": 0.20,
    "ptc-sentence": None,
    "ptc-si": 0.45,
    "ptc-tc": 0.55,
}


def _fnc1(root: Path) -> dict[str, Any]:
    from factdesk.eval.fnc1 import fnc_score, predict_fnc1, read_fnc1
    from factdesk.training.data import is_dev

    pairs, bodies = read_fnc1(root / "fnc1" / "train_stances.csv", root / "fnc1" / "train_bodies.csv")
    dev = [p for p in pairs if is_dev("fnc1:" + p.body_id)]
    r = fnc_score([p.stance for p in dev], predict_fnc1(dev, bodies))
    return {"score": r["score"], "n": r["n"], "detail": {"f1": r["f1"], "accuracy": r["accuracy"]}}


def _climate_fever(root: Path) -> dict[str, Any]:
    from factdesk.eval.climate_fever import evaluate_climate_fever

    r = evaluate_climate_fever(root / "climate_fever" / "climate-fever.jsonl", split="dev")
    return {"score": r["score"], "n": r["n"], "detail": {"f1": r["f1"], "accuracy": r["accuracy"]}}


def _chakraborty(root: Path) -> dict[str, Any]:
    from factdesk.eval.clickbait import score_headlines
    from factdesk.training import data as D

    dev = D.split_headlines(D.load_chakraborty(root))[1]
    r = score_headlines([h.text for h in dev], [h.label for h in dev], lowercase=True)
    return {"score": r["score"], "n": r["n"],
            "detail": {k: r[k] for k in ("precision", "recall", "f1", "accuracy_as_is")}}


def _webis(root: Path) -> dict[str, Any]:
    from factdesk.eval.clickbait import score_webis
    from factdesk.training import data as D

    dev = D.split_headlines(D.load_webis17(root))[1]
    r = score_webis([h.text for h in dev], [h.label for h in dev])
    return {"score": r["score"], "n": r["n"], "detail": {k: r[k] for k in ("precision", "recall", "accuracy")}}


def _checkthat(root: Path) -> dict[str, Any]:
    from factdesk.eval.checkthat import score_ranking
    from factdesk.training import data as D

    dev = D.split_checkthat(D.load_checkthat(root))[1]
    r = score_ranking([s.debate for s in dev], [s.text for s in dev], [s.label for s in dev])
    return {"score": r["score"], "n": r["n_sentences"],
            "detail": {k: r[k] for k in ("P@5", "P@10", "P@20", "n_debates", "n_positive")}}


_PTC_DEV: dict[str, list] = {}


def _ptc_dev(root: Path) -> list:
    key = str(root)
    if key not in _PTC_DEV:
        from factdesk.training import data as D

        _PTC_DEV[key] = D.split_ptc(D.load_ptc(root))[1]
    return _PTC_DEV[key]


def _ptc_sentence(root: Path) -> dict[str, Any]:
    from factdesk.textmodel import load_model
    from factdesk.training.train_propaganda import sentence_dev_metrics

    r = sentence_dev_metrics(load_model("propaganda_sentence"), _ptc_dev(root))
    return {"score": r["AP"], "n": r["n_sentences"],
            "detail": {k: r[k] for k in ("f1_at_threshold", "best_f1_any_threshold")}}


def _ptc_si(root: Path) -> dict[str, Any]:
    from factdesk.eval.ptc import score_si

    r = score_si(_ptc_dev(root))
    return {"score": r["score"], "n": r["n_gold_spans"],
            "detail": {k: r[k] for k in r if k not in ("score", "models", "n_gold_spans")}}


def _ptc_tc(root: Path) -> dict[str, Any]:
    from factdesk.eval.ptc import score_tc

    r = score_tc(_ptc_dev(root))
    return {"score": r["score"], "n": r["n_labels"], "detail": {"n_spans": r["n_spans"]}}


# (key, model, data label, metric, files needed, runner)
BENCHMARKS: list[tuple[str, str, str, str, tuple[str, ...], Callable[[Path], dict[str, Any]]]] = [
    ("fnc1", "stance", "FNC-1 train (dev split, 20% of bodies)", "FNC-1 relative score",
     ("fnc1/train_stances.csv", "fnc1/train_bodies.csv"), _fnc1),
    ("climate-fever", "stance", "Climate-FEVER (dev split, 20% of claims)", "macro-F1",
     ("climate_fever/climate-fever.jsonl",), _climate_fever),
    ("chakraborty", "clickbait", "Chakraborty 2016, lower-cased (dev split)", "accuracy",
     ("clickbait/clickbait_data.txt", "clickbait/non_clickbait_data.txt"), _chakraborty),
    ("webis17", "clickbait", "Webis-Clickbait-17 posts (dev split)", "F1 clickbait",
     ("clickbait/webis17_train.json",), _webis),
    ("checkthat", "checkworthy", "CheckThat! 2019+2020 debates (dev split)", "MAP",
     ("checkthat",), _checkthat),
    ("ptc-sentence", "propaganda_sentence", "PTC lines (dev split, 20% of articles)", "AP",
     ("ptc/train-articles", "ptc/train-task1-SI.labels", "ptc/train-task2-TC.labels"), _ptc_sentence),
    ("ptc-si", "ptc_tagger + propaganda_sentence gate", "PTC SI (dev split)", "SI span F1",
     ("ptc/train-articles", "ptc/train-task1-SI.labels", "ptc/train-task2-TC.labels"), _ptc_si),
    ("ptc-tc", "propaganda_technique", "PTC TC gold spans (dev split)", "TC micro-F1",
     ("ptc/train-articles", "ptc/train-task1-SI.labels", "ptc/train-task2-TC.labels"), _ptc_tc),
]


def evaluate_all(root: Path | str, only: list[str] | None = None) -> dict[str, Any]:
    """Run every benchmark whose files exist under ``root``; ``score`` = share of targets met."""
    root = Path(root)
    if not root.is_dir():
        raise InputError(f"data directory {root} does not exist")
    rows: list[dict[str, Any]] = []
    for key, model, data, metric, needs, run in BENCHMARKS:
        if only and key not in only:
            continue
        target = TARGETS[key]
        row: dict[str, Any] = {"benchmark": key, "model": model, "data": data, "metric": metric, "target": target}
        missing = [n for n in needs if not (root / n).exists()]
        if missing:
            row.update({"score": None, "met": None, "skipped": f"not found: {', '.join(missing)}"})
            rows.append(row)
            continue
        t0 = time.time()
        row.update(run(root))
        row["seconds"] = round(time.time() - t0, 1)
        row["met"] = None if target is None else bool(row["score"] >= target)
        rows.append(row)
    with_target = [r for r in rows if r["met"] is not None]
    met = sum(1 for r in with_target if r["met"])
    if not any(r["score"] is not None for r in rows):
        raise InputError(f"data directory {root} has none of the benchmark files (laid out like shared/data)")
    return {"score": round(met / len(with_target), 4) if with_target else 0.0, "targets_met": met,
            "targets": len(with_target), "data": str(root), "rows": rows}


def format_table(res: dict[str, Any]) -> str:
    head = ("model", "data", "metric", "score", "target")
    lines = []
    for r in res["rows"]:
        if r["score"] is None:
            score = "skipped"
        else:
            score = f"{r['score']:.4f}"
        if r["target"] is None:
            target = "report"
        else:
            mark = "" if r["met"] is None else (" met" if r["met"] else " NOT met")
            target = f">= {r['target']:.2f}{mark}"
        lines.append((r["model"], r["data"], r["metric"], score, target))
    widths = [max(len(h), *(len(x[i]) for x in lines)) for i, h in enumerate(head)]

    def fmt(cells) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    out = [fmt(head), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [fmt(x) for x in lines]
    out.append(f"targets met: {res['targets_met']} of {res['targets']}")
    return "\n".join(out)
