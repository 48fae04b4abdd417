"""Train the ``stance`` model (claim ↔ evidence: agree / disagree / discuss / unrelated).

    python -m factdesk.training.train_stance [--data DIR] [--out src/factdesk/models/stance]

PLACEHOLDER
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from factdesk.training import data as D

NAME = "stance"
SEED = 0
CACHE_DIR = Path(os.environ.get("FACTDESK_STANCE_CACHE", "/tmp/factdesk_stance_cache"))
CF_MAP = {"SUPPORTS": "agree", "REFUTES": "disagree", "NOT_ENOUGH_INFO": "discuss"}


# =========================================================================== data


@dataclass(slots=True)
class Pair:
    claim: str
    sents: list[str]  # evidence sentences
    label: str  # agree / disagree / discuss / unrelated
    group: str  # split key: "fnc1:<body id>" or "cf:<claim id>"
    source: str  # fnc1 | fnc1-cut | climate-fever | climate-fever-random


def load_fnc1(root: Path) -> tuple[list, dict[str, list[str]]]:
    from factdesk.eval.fnc1 import body_sentences, read_fnc1

    pairs, bodies = read_fnc1(root / "fnc1" / "train_stances.csv", root / "fnc1" / "train_bodies.csv")
    return pairs, {b: body_sentences(t) for b, t in bodies.items()}


def load_climate_fever(path: Path) -> list[dict]:
    from factdesk.errors import InputError

    rows = []
    with open(path, encoding="utf-8") as fh:
        for i, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
                rows.append({"claim_id": str(d["claim_id"]), "claim": d["claim"],
                             "evidences": [(e["evidence"], e["evidence_label"]) for e in d["evidences"]]})
            except (ValueError, KeyError, TypeError) as e:
                raise InputError(f"Climate-FEVER file {path} line {i} is not a Climate-FEVER record: {e!r}") from None
    return rows


# =========================================================================== embedding cache (in /tmp, never in the repo)


def embed_cached(texts: list[str], tag: str, verbose: bool = False) -> dict[str, np.ndarray]:
    """``{text: vector}`` for the distinct ``texts``, cached in CACHE_DIR keyed by the embedder sha256 + texts."""
    from factdesk.embed import default_embedder

    emb = default_embedder()
    uniq = sorted(set(texts))
    h = hashlib.sha1(emb.info().sha256.encode())
    for t in uniq:
        h.update(t.encode("utf-8") + b"\0")
    f = CACHE_DIR / f"{tag}-{h.hexdigest()[:16]}.npy"
    if f.is_file():
        vecs = np.load(f, allow_pickle=False)
    else:
        t0 = time.time()
        if verbose:
            print(f"embedding {len(uniq)} texts for {tag} …", flush=True)
        vecs = np.zeros((len(uniq), 384), dtype=np.float32)
        step = 2048
        for lo in range(0, len(uniq), step):
            vecs[lo : lo + step] = emb.encode(uniq[lo : lo + step])
            if verbose:
                print(f"  {min(lo + step, len(uniq))}/{len(uniq)}  {time.time() - t0:.0f}s", flush=True)
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        tmp = f.with_suffix(".tmp.npy")
        np.save(tmp, vecs)
        os.replace(tmp, f)
    return dict(zip(uniq, vecs, strict=True))


def build_everything(root: Path, verbose: bool = False):
    pairs, sents = load_fnc1(root)
    fnc_vec = embed_cached([s for ss in sents.values() for s in ss] + [p.headline for p in pairs], "fnc1", verbose)
    cf = load_climate_fever(root / "climate_fever" / "climate-fever.jsonl")
    cf_vec = embed_cached([r["claim"] for r in cf] + [e for r in cf for e, _ in r["evidences"]], "cf", verbose)
    return pairs, sents, fnc_vec, cf, cf_vec


# =========================================================================== pairs + features


def fnc_pairs(pairs, sents, dev: bool, cut: bool, vec: dict, seed: int = SEED) -> list[Pair]:
    """FNC-1 pairs of the train (``dev=False``) or dev part, split by Body ID. ``cut=True`` replaces each body by
    its 1–3 sentences most similar to the headline (k drawn with a fixed seed): the sentence-level setting."""
    rng = np.random.default_rng(seed)
    out = []
    for p in pairs:
        if D.is_dev("fnc1:" + p.body_id) != dev:
            continue
        ss = sents[p.body_id]
        src = "fnc1"
        if cut:
            k = int(rng.integers(1, 4))
            sims = np.stack([vec[s] for s in ss]) @ vec[p.headline]
            top = np.argsort(-sims, kind="stable")[:k]
            ss = [ss[i] for i in sorted(top)]
            src = "fnc1-cut"
        out.append(Pair(p.headline, ss, p.stance, "fnc1:" + p.body_id, src))
    return out


def cf_pairs(rows, dev: bool, random_unrelated: int = 0, seed: int = SEED) -> list[Pair]:
    """Climate-FEVER claim/evidence pairs (SUPPORTS→agree, REFUTES→disagree, NOT_ENOUGH_INFO→discuss), split
    by claim_id; ``random_unrelated`` extra pairs per claim with an evidence sentence of another claim."""
    rng = np.random.default_rng(seed)
    part = [r for r in rows if D.is_dev("cf:" + r["claim_id"]) == dev]
    out = []
    for r in part:
        for ev, lab in r["evidences"]:
            out.append(Pair(r["claim"], [ev], CF_MAP[lab], "cf:" + r["claim_id"], "climate-fever"))
    if random_unrelated:
        for i, r in enumerate(part):
            for _ in range(random_unrelated):
                j = int(rng.integers(len(part) - 1))
                j += j >= i
                ev = part[j]["evidences"][int(rng.integers(len(part[j]["evidences"])))][0]
                out.append(Pair(r["claim"], [ev], "unrelated", "cf:" + r["claim_id"], "climate-fever-random"))
    return out


def fit_idf_table(texts) -> np.ndarray:
    """Smoothed IDF over hashed tokens (one 'document' per text), as float16 (1 << IDF_BITS,)."""
    from factdesk.stance import IDF_BITS, _hash, _tokens

    df = np.zeros(1 << IDF_BITS, dtype=np.float64)
    n = 0
    for t in texts:
        n += 1
        for h in {_hash(w) for w in _tokens(t)}:
            df[h] += 1
    return np.log((1 + n) / (1 + df)).astype(np.float16) + np.float16(1.0)


def features_of(pairs: list[Pair], vec: dict, idf) -> np.ndarray:
    from factdesk.stance import featurize

    # pairs sharing a body share the list object → tokenised once
    bodies, bvecs, seen = [], [], {}
    for p in pairs:
        key = tuple(p.sents)
        if key not in seen:
            seen[key] = (p.sents, np.stack([vec[s] for s in p.sents]))
        b, v = seen[key]
        bodies.append(b)
        bvecs.append(v)
    cvecs = np.stack([vec[p.claim] for p in pairs])
    return featurize([p.claim for p in pairs], bodies, cvecs, bvecs, np.asarray(idf, dtype=np.float32))


def labels_of(pairs: list[Pair]) -> np.ndarray:
    from factdesk.stance import LABELS

    return np.array([LABELS.index(p.label) for p in pairs])


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("--data", type=Path, default=D.default_data_root())
    ap.add_argument("--out", type=Path, default=Path("src/factdesk/models") / NAME)
    args = ap.parse_args(argv)
    build_everything(args.data, verbose=True)


if __name__ == "__main__":
    main()
