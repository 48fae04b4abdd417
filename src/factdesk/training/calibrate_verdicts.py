"""Calibrate verdict confidence on Climate-FEVER: how often is a verdict of each label right, at each raw confidence?

    python -m factdesk.training.calibrate_verdicts [--data DIR] [--out src/factdesk/models/verdict_calibration]

Climate-FEVER gives, for 1,535 claims, five Wikipedia evidence sentences and a claim label (SUPPORTS, REFUTES,
NOT_ENOUGH_INFO, DISPUTED). We put every evidence sentence into an archive (grouped by Wikipedia article, as
coverage would be), trace each claim with the product's own ``trace`` stage, and count a verdict as right when it
agrees with the claim label: supported ↔ SUPPORTS; contradicted, or misleading by a changed number/date/quote ↔
REFUTES or DISPUTED; misleading by missing context ↔ anything but NOT_ENOUGH_INFO (the evidence bears on the claim);
unverified with conflicting_evidence ↔ DISPUTED; other unverified ↔ NOT_ENOUGH_INFO. Per verdict label, an isotonic map from raw
confidence to P(right) is fitted on the training claims (80% by a hash of claim_id) and measured on the rest.
The artifact is a small JSON of breakpoints; the trace stage applies it.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np

from factdesk.training import data as D

NAME = "verdict_calibration"
def group(label: str, reasons: list[str]) -> str:
    """Verdicts calibrate in four groups: supported; refuted (contradicted, or a changed number, date or quote);
    missing_context (true as far as it goes); unverified."""
    if label == "misleading" and "missing_context" in reasons:
        return "missing_context"
    return {"supported": "supported", "contradicted": "refuted", "misleading": "refuted"}.get(label, "unverified")


def truth(label: str, reasons: list[str], gold: str) -> bool:
    """Whether a verdict agrees with a Climate-FEVER claim label. Missing context says the evidence bears on the
    claim but qualifies it, so any label but NOT_ENOUGH_INFO agrees with it."""
    g = group(label, reasons)
    if g == "supported":
        return gold == "SUPPORTS"
    if g == "refuted":
        return gold in ("REFUTES", "DISPUTED")
    if g == "missing_context":
        return gold != "NOT_ENOUGH_INFO"
    if "conflicting_evidence" in reasons:
        return gold == "DISPUTED"
    return gold == "NOT_ENOUGH_INFO"


def trace_claims(path: Path, limit: int | None = None) -> list[dict]:
    """Trace every Climate-FEVER claim against an archive of all the evidence sentences (uncalibrated)."""
    from factdesk.archive import Archive, ArchiveDoc
    from factdesk.document import Claim, Document
    from factdesk.pipeline import REGISTRY
    from factdesk.stages.trace import Trace

    rows = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()][:limit]
    articles: dict[str, list[str]] = {}
    for r in rows:
        for e in r["evidences"]:
            sents = articles.setdefault(e["article"], [])
            if e["evidence"] not in sents:
                sents.append(" ".join(e["evidence"].split()))
    out = []
    with tempfile.TemporaryDirectory() as tmp, Archive(Path(tmp) / "cf.sqlite") as archive:
        archive.add_documents([ArchiveDoc.create("\n\n".join(s), doc_id=f"wiki:{a}", title=a,
                                                 url=f"https://wiki.example/{a.replace(' ', '_')}")
                               for a, s in articles.items()])
        stage = Trace(archive, calibration=False)
        prep = [REGISTRY[n]() for n in ("segment", "quantities", "quotes")]
        for r in rows:
            doc = Document(text=r["claim"], id=f"cf-claim-{r['claim_id']}")
            for s in prep:
                doc = s(doc)
            doc.source = {"domain": None, "rating": {"label": "unknown", "score": None, "basis": []}}
            doc.claims = [Claim(id="c1", text=doc.text, start=0, end=len(doc.text), checkworthiness=1.0,
                                quantities=list(doc.quantities))]
            v = stage(doc).claims[0].verdict
            out.append({"claim_id": str(r["claim_id"]), "gold": r["claim_label"], "label": v.label,
                        "reasons": v.reasons, "confidence": v.confidence,
                        "right": truth(v.label, v.reasons, r["claim_label"])})
    return out


def fit(traced: list[dict]) -> dict[str, dict[str, list[float]]]:
    from sklearn.isotonic import IsotonicRegression

    curves = {}
    for g in ("supported", "refuted", "missing_context", "unverified"):
        rows = [t for t in traced if group(t["label"], t["reasons"]) == g]
        if len(rows) < 20:
            continue
        x = np.array([t["confidence"] for t in rows])
        y = np.array([t["right"] for t in rows], dtype=float)
        iso = IsotonicRegression(y_min=0.02, y_max=0.98, out_of_bounds="clip").fit(x, y)
        curves[g] = {"x": [round(float(v), 4) for v in iso.X_thresholds_],
                         "y": [round(float(v), 4) for v in iso.y_thresholds_]}
    return curves


def apply(curves: dict, label: str, confidence: float, reasons: list[str] | None = None) -> float:
    c = curves.get(group(label, reasons or []))
    if not c:
        return confidence
    return float(np.interp(confidence, c["x"], c["y"]))


def metrics(traced: list[dict], curves: dict | None) -> dict:
    def ece(conf: np.ndarray, right: np.ndarray, bins: int = 10) -> float:
        edges = np.linspace(0, 1, bins + 1)
        total = 0.0
        for lo, hi in zip(edges[:-1], edges[1:], strict=True):
            m = (conf >= lo) & (conf < hi) if hi < 1 else (conf >= lo)
            if m.any():
                total += m.sum() / len(conf) * abs(conf[m].mean() - right[m].mean())
        return total

    raw = np.array([t["confidence"] for t in traced])
    cal = np.array([apply(curves, t["label"], t["confidence"], t["reasons"]) for t in traced]) if curves else raw
    right = np.array([t["right"] for t in traced], dtype=float)
    by_label = {}
    for lab in ("supported", "refuted", "missing_context", "unverified"):
        rows = [t for t in traced if group(t["label"], t["reasons"]) == lab]
        if rows:
            by_label[lab] = {"n": len(rows), "precision": round(float(np.mean([t["right"] for t in rows])), 4)}
    return {"n_claims": len(traced), "accuracy": round(float(right.mean()), 4),
            "ece_raw": round(ece(raw, right), 4), "ece_calibrated": round(ece(cal, right), 4), "by_label": by_label}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("--data", type=Path, default=D.default_data_root())
    ap.add_argument("--out", type=Path, default=Path("src/factdesk/models") / NAME)
    ap.add_argument("--limit", type=int, default=None, help="only the first N claims (a quick check)")
    args = ap.parse_args(argv)
    from factdesk.textmodel import write_artifact

    t0 = time.time()
    traced = trace_claims(args.data / "climate_fever" / "climate-fever.jsonl", args.limit)
    train = [t for t in traced if not D.is_dev("cf:" + t["claim_id"])]
    dev = [t for t in traced if D.is_dev("cf:" + t["claim_id"])]
    curves = fit(train)
    seconds = round(time.time() - t0, 1)
    meta = {
        "name": NAME, "version": "1", "kind": "calibration",
        "task": "P(verdict right) from the trace stage's raw confidence, per verdict group (supported; refuted = "
                "contradicted or a changed number/date/quote; missing_context; unverified)",
        "method": "isotonic regression per group on Climate-FEVER training claims",
        "data": {"datasets": ["climate-fever"], "paths": ["climate_fever/climate-fever.jsonl"],
                 "split": "dev = 20% of claims by hash of claim_id (factdesk.training.data.is_dev('cf:' + id))",
                 "n_train": len(train), "n_dev": len(dev)},
        "data_licence": {"climate-fever": "research (as shared/data/README.md states)"},
        "licence": D.ARTIFACT_LICENCE,
        "metrics": {"dev": metrics(dev, curves), "dev_uncalibrated": metrics(dev, None), "train": metrics(train, curves)},
        "training": {"seconds": seconds, "versions": D.versions()},
    }
    write_artifact(args.out, meta, text_files={"calibration.json": json.dumps(curves, indent=1) + "\n"})
    print(json.dumps(meta["metrics"], indent=1))
    print(f"{seconds}s")


if __name__ == "__main__":
    main()
