"""FNC-1 (Fake News Challenge stage 1) files and its official score.

``read_fnc1(stances_csv, bodies_csv)`` reads the published format (``Headline, Body ID, Stance`` and
``Body ID, articleBody``; a stances file without ``Stance``, as in the unlabelled test release, is accepted for
prediction but not for scoring). ``fnc_score`` is the official weighted score: +0.25 when related/unrelated is
right, +0.75 more when a related pair's agree/disagree/discuss is right; the relative score is that divided by
the score of a perfect prediction. ``evaluate_fnc1`` scores the shipped stance model (or any object with the
``StanceModel.predict_proba`` signature) on a pair of files.
"""

from __future__ import annotations

import csv
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from factdesk.errors import InputError

LABELS = ("agree", "disagree", "discuss", "unrelated")
RELATED = ("agree", "disagree", "discuss")

_PARAGRAPH = re.compile(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*")


@dataclass(slots=True)
class FNCPair:
    headline: str
    body_id: str
    stance: str | None  # None when the stances file has no Stance column


def _read_csv(path: Path | str, required: Sequence[str], what: str) -> list[dict[str, str]]:
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{what} file {p} does not exist")
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    try:
        with open(p, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            header = [h.strip() for h in (reader.fieldnames or [])]
            missing = [c for c in required if c not in header]
            if missing:
                raise InputError(
                    f"{what} file {p} is not in FNC-1 format: missing column(s) {', '.join(map(repr, missing))}"
                    f" (found {', '.join(map(repr, header)) or 'no header'}; expected {', '.join(map(repr, required))})"
                )
            reader.fieldnames = header
            rows = [{k: (v or "") for k, v in r.items() if k is not None} for r in reader]
    except UnicodeDecodeError as e:
        raise InputError(f"{what} file {p} is not UTF-8 text: {e.reason} at byte {e.start}") from None
    except csv.Error as e:
        raise InputError(f"{what} file {p} is not valid CSV: {e}") from None
    return rows


def read_fnc1(stances_csv: Path | str, bodies_csv: Path | str) -> tuple[list[FNCPair], dict[str, str]]:
    """``(pairs, bodies)``: the stance rows in file order and ``{Body ID: articleBody}``.

    Raises ``InputError`` naming the file when a column is missing, a stance is not one of FNC-1's four labels,
    or a pair refers to a Body ID that the bodies file does not have.
    """
    brows = _read_csv(bodies_csv, ("Body ID", "articleBody"), "FNC-1 bodies")
    bodies: dict[str, str] = {}
    for r in brows:
        bodies[r["Body ID"].strip()] = r["articleBody"]
    p = Path(stances_csv)
    srows = _read_csv(p, ("Headline", "Body ID"), "FNC-1 stances")
    has_stance = bool(srows) and "Stance" in srows[0]
    pairs: list[FNCPair] = []
    for i, r in enumerate(srows, start=2):
        bid = r["Body ID"].strip()
        if bid not in bodies:
            raise InputError(f"FNC-1 stances file {p} line {i}: Body ID {bid!r} is not in {Path(bodies_csv)}")
        stance = None
        if has_stance:
            stance = r["Stance"].strip().lower()
            if stance not in LABELS:
                raise InputError(f"FNC-1 stances file {p} line {i}: Stance {r['Stance']!r} is not one of "
                                 f"{', '.join(LABELS)}")
        pairs.append(FNCPair(r["Headline"], bid, stance))
    if not pairs:
        raise InputError(f"FNC-1 stances file {p} has no rows")
    return pairs, bodies


def body_sentences(text: str) -> list[str]:
    """An article body as a list of sentences (paragraphs first, then factdesk's sentence splitter)."""
    from factdesk.stages.segment import split_sentences

    out: list[str] = []
    for m in _PARAGRAPH.finditer(text):
        for s, e in split_sentences(text, m.start(), m.end()):
            sent = " ".join(text[s:e].split())
            if sent:
                out.append(sent)
    return out or ([" ".join(text.split())] if text.strip() else [""])


def fnc_score(gold: Sequence[str], pred: Sequence[str]) -> dict[str, Any]:
    """Official FNC-1 score plus per-class F1 and the confusion matrix (rows gold, columns predicted, in
    ``LABELS`` order). ``score`` is the relative score (weighted score / best possible)."""
    if len(gold) != len(pred):
        raise ValueError(f"gold has {len(gold)} labels, pred has {len(pred)}")
    idx = {lab: i for i, lab in enumerate(LABELS)}
    conf = np.zeros((4, 4), dtype=np.int64)
    raw = 0.0
    best = 0.0
    for g, p in zip(gold, pred, strict=True):
        if g not in idx or p not in idx:
            raise ValueError(f"labels must be among {LABELS}, got gold={g!r} pred={p!r}")
        conf[idx[g], idx[p]] += 1
        g_rel, p_rel = g != "unrelated", p != "unrelated"
        best += 1.0 if g_rel else 0.25
        if g == p:
            raw += 0.25
        if g_rel and p_rel:
            raw += 0.25 if g != p else 0.75  # related/unrelated right; +0.75 when the related label matches too
    f1 = {}
    for i, lab in enumerate(LABELS):
        tp = conf[i, i]
        prec = tp / conf[:, i].sum() if conf[:, i].sum() else 0.0
        rec = tp / conf[i, :].sum() if conf[i, :].sum() else 0.0
        f1[lab] = round(float(2 * prec * rec / (prec + rec)) if prec + rec else 0.0, 4)
    n = len(gold)
    return {
        "score": round(raw / best, 4) if best else 0.0,
        "raw_score": round(raw, 2),
        "max_score": round(best, 2),
        "accuracy": round(float(np.trace(conf) / n), 4) if n else 0.0,
        "f1": f1,
        "macro_f1": round(float(np.mean(list(f1.values()))), 4),
        "labels": list(LABELS),
        "confusion": conf.tolist(),
        "n": n,
    }


def predict_fnc1(pairs: Sequence[FNCPair], bodies: dict[str, str], model=None, *, embedder=None) -> list[str]:
    """Predicted stance labels for ``pairs`` (default model: the shipped headline-vs-body one); each distinct body
    and headline is encoded once."""
    from factdesk.headline_stance import load_headline_stance
    from factdesk.stance import LABELS as MODEL_LABELS

    model = model if model is not None else load_headline_stance()
    if embedder is None:
        from factdesk.embed import default_embedder

        embedder = default_embedder()
    used = sorted({p.body_id for p in pairs})
    sents = {b: body_sentences(bodies[b]) for b in used}
    flat = [s for b in used for s in sents[b]]
    heads = sorted({p.headline for p in pairs})
    vecs = embedder.encode(flat + heads)
    bvec: dict[str, np.ndarray] = {}
    pos = 0
    for b in used:
        bvec[b] = vecs[pos : pos + len(sents[b])]
        pos += len(sents[b])
    hvec = {h: vecs[pos + i] for i, h in enumerate(heads)}
    proba = model.predict_proba(
        [p.headline for p in pairs],
        [sents[p.body_id] for p in pairs],
        claim_vecs=np.stack([hvec[p.headline] for p in pairs]),
        body_vecs=[bvec[p.body_id] for p in pairs],
    )
    return [MODEL_LABELS[i] for i in np.argmax(proba, axis=1)]


def evaluate_fnc1(stances: Path | str, bodies: Path | str, model=None) -> dict[str, Any]:
    """Score a stance model (default: the shipped headline-vs-body one) on FNC-1-format files: the ``fnc_score`` dict (``score`` = relative score)."""
    pairs, body_text = read_fnc1(stances, bodies)
    if any(p.stance is None for p in pairs):
        raise InputError(f"FNC-1 stances file {Path(stances)} has no 'Stance' column: nothing to score against")
    pred = predict_fnc1(pairs, body_text, model)
    out = fnc_score([p.stance for p in pairs], pred)  # type: ignore[misc]
    out["dataset"] = "fnc1"
    out["files"] = {"stances": str(stances), "bodies": str(bodies)}
    return out
