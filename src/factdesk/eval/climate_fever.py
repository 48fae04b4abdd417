"""Climate-FEVER (Diggelmann et al. 2020) claim/evidence pairs scored with the stance model.

Each JSONL record has ``claim_id``, ``claim`` and ``evidences`` (``evidence``, ``evidence_label`` ∈ SUPPORTS /
REFUTES / NOT_ENOUGH_INFO). Every (claim, evidence sentence) pair is one example; the model's ``agree`` counts as
SUPPORTS, ``disagree`` as REFUTES, ``discuss`` and ``unrelated`` as NOT_ENOUGH_INFO. ``score`` is the macro-F1
over the three labels.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from factdesk.errors import InputError

CF_LABELS = ("SUPPORTS", "REFUTES", "NOT_ENOUGH_INFO")
FROM_STANCE = {"agree": "SUPPORTS", "disagree": "REFUTES", "discuss": "NOT_ENOUGH_INFO",
               "unrelated": "NOT_ENOUGH_INFO"}


@dataclass(slots=True)
class CFPair:
    claim_id: str
    claim: str
    evidence: str
    label: str


def read_climate_fever(path: Path | str) -> list[CFPair]:
    """All (claim, evidence) pairs of a Climate-FEVER JSONL file; ``InputError`` naming the file and line when a
    record is not in that format."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"Climate-FEVER file {p} does not exist")
    out: list[CFPair] = []
    try:
        with open(p, encoding="utf-8") as fh:
            for i, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    d = json.loads(line)
                except ValueError as e:
                    raise InputError(f"Climate-FEVER file {p} line {i} is not JSON: {e}") from None
                if not isinstance(d, dict) or not isinstance(d.get("claim"), str) \
                        or not isinstance(d.get("evidences"), list):
                    raise InputError(f"Climate-FEVER file {p} line {i} is not a Climate-FEVER record "
                                     "(needs 'claim' and a list 'evidences')")
                cid = str(d.get("claim_id", i))
                for e in d["evidences"]:
                    if not isinstance(e, dict) or not isinstance(e.get("evidence"), str) \
                            or e.get("evidence_label") not in CF_LABELS:
                        raise InputError(f"Climate-FEVER file {p} line {i}: an evidence needs 'evidence' and "
                                         f"'evidence_label' in {', '.join(CF_LABELS)}")
                    out.append(CFPair(cid, d["claim"], e["evidence"], e["evidence_label"]))
    except UnicodeDecodeError as e:
        raise InputError(f"Climate-FEVER file {p} is not UTF-8 text: {e.reason} at byte {e.start}") from None
    if not out:
        raise InputError(f"Climate-FEVER file {p} has no claim/evidence pairs")
    return out


def cf_scores(gold: list[str], pred: list[str]) -> dict[str, Any]:
    idx = {lab: i for i, lab in enumerate(CF_LABELS)}
    conf = np.zeros((3, 3), dtype=np.int64)
    for g, p in zip(gold, pred, strict=True):
        conf[idx[g], idx[p]] += 1
    f1 = {}
    for i, lab in enumerate(CF_LABELS):
        tp = conf[i, i]
        prec = tp / conf[:, i].sum() if conf[:, i].sum() else 0.0
        rec = tp / conf[i, :].sum() if conf[i, :].sum() else 0.0
        f1[lab] = round(float(2 * prec * rec / (prec + rec)) if prec + rec else 0.0, 4)
    n = len(gold)
    return {"score": round(float(np.mean(list(f1.values()))), 4), "macro_f1": round(float(np.mean(list(f1.values()))), 4),
            "accuracy": round(float(np.trace(conf) / n), 4) if n else 0.0, "f1": f1, "labels": list(CF_LABELS),
            "confusion": conf.tolist(), "n": n}


def evaluate_climate_fever(path: Path | str, model=None, *, split: str = "all") -> dict[str, Any]:
    """Score a stance model on Climate-FEVER pairs. ``split="dev"`` keeps only the claims of factdesk's dev split
    (20% of claim_ids, as in the stance model's meta.json); ``"all"`` scores every pair in the file."""
    from factdesk.embed import default_embedder
    from factdesk.stance import LABELS, load_stance

    if split not in ("all", "dev"):
        raise ValueError("split must be 'all' or 'dev'")
    pairs = read_climate_fever(path)
    if split == "dev":
        from factdesk.training.data import is_dev

        pairs = [p for p in pairs if is_dev("cf:" + p.claim_id)]
    model = model if model is not None else load_stance()
    texts = sorted({p.claim for p in pairs} | {p.evidence for p in pairs})
    vecs = default_embedder().encode(texts)
    pos = {t: i for i, t in enumerate(texts)}
    proba = model.predict_proba(
        [p.claim for p in pairs], [[p.evidence] for p in pairs],
        claim_vecs=vecs[[pos[p.claim] for p in pairs]],
        body_vecs=[vecs[[pos[p.evidence]]] for p in pairs],
    )
    pred = [FROM_STANCE[LABELS[i]] for i in np.argmax(proba, axis=1)]
    out = cf_scores([p.label for p in pairs], pred)
    out.update({"dataset": "climate-fever", "split": split, "file": str(path)})
    return out
