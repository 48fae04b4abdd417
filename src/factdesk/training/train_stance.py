"""Train the ``stance`` model (claim ↔ evidence: agree / disagree / discuss / unrelated).

    python -m factdesk.training.train_stance [--data DIR] [--out src/factdesk/models/stance]

Data: FNC-1 training pairs (dev = 20% of Body IDs, never by row) and Climate-FEVER claim/evidence pairs (dev =
20% of claim_ids). Each FNC-1 train pair is used twice, with the whole body and cut to its 1–3 sentences most
similar to the headline, because the product asks about one or a few archive sentences. Embeddings are the
shipped MiniLM, cached in $FACTDESK_STANCE_CACHE (default /tmp/factdesk_stance_cache), never in the repo.

Model: multinomial logistic regression (C=0.05) on the scalar + cue-word features of ``factdesk.stance``.
Chosen by the numbers below (dev = FNC-1 dev relative score; sanity = hand-written single-sentence pairs):

- MLP(128) on all features incl. claim*best / |claim-best| vectors: dev 0.888, Climate-FEVER macro-F1 0.46, but
  4/10 sanity (a denial scored as agree, a confirmation as disagree). Every FNC-1 dev headline also occurs in
  train with other bodies, so the vector blocks partly memorise headlines: on a stricter split (claims grouped
  by shared related bodies, new headlines and new bodies) the MLP scored 0.73 vs 0.72 for logistic regression.
- logistic regression on scalar + cue features: dev 0.844, cut-to-sentences 0.851, Climate-FEVER 0.31,
  8/10 sanity, denial > paraphrase on P(disagree) in every hand-written pair: shipped.
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


SANITY = [
    # (claim, evidence sentence, expected label)
    ("The Eiffel Tower will be demolished next year.",
     "Paris officials confirmed on Monday that the Eiffel Tower will be torn down next year.", "agree"),
    ("The Eiffel Tower will be demolished next year.",
     "City officials denied reports that the Eiffel Tower will be demolished, calling the story a hoax.", "disagree"),
    ("The Eiffel Tower will be demolished next year.",
     "A viral post claims the Eiffel Tower may be demolished, but it is unclear where the rumour started.", "discuss"),
    ("The Eiffel Tower will be demolished next year.",
     "The central bank raised interest rates by a quarter point to curb inflation.", "unrelated"),
    ("Apple is buying Tesla for $100 billion.",
     "Apple has agreed to acquire Tesla in a $100 billion deal, the companies announced.", "agree"),
    ("Apple is buying Tesla for $100 billion.",
     "Tesla said there is no truth to the rumour that Apple is buying the carmaker.", "disagree"),
    ("Global warming is driving polar bears toward extinction.",
     "Polar bear populations are declining as sea ice disappears because of global warming.", "agree"),
    ("Global warming is driving polar bears toward extinction.",
     "Polar bear numbers have actually increased and the species is not threatened by climate change.", "disagree"),
    ("A man was bitten by a shark at Bondi Beach on Sunday.",
     "The football club announced a new coach for next season.", "unrelated"),
    ("A man was bitten by a shark at Bondi Beach on Sunday.",
     "Witnesses reportedly saw a shark near Bondi Beach, though police have not confirmed an attack.", "discuss"),
]


def _label_metrics(model, X, y) -> dict:
    from factdesk.eval.fnc1 import fnc_score
    from factdesk.stance import LABELS

    pred = model.proba_from_features(X).argmax(1)
    r = fnc_score([LABELS[i] for i in y], [LABELS[i] for i in pred])
    return {k: r[k] for k in ("score", "accuracy", "f1", "macro_f1", "confusion", "n")}


def _cf_metrics(model, X, y) -> dict:
    from factdesk.eval.climate_fever import FROM_STANCE, cf_scores
    from factdesk.stance import LABELS

    gold_map = {"agree": "SUPPORTS", "disagree": "REFUTES", "discuss": "NOT_ENOUGH_INFO"}
    pred = model.proba_from_features(X).argmax(1)
    r = cf_scores([gold_map[LABELS[i]] for i in y], [FROM_STANCE[LABELS[i]] for i in pred])
    return {k: r[k] for k in ("score", "accuracy", "f1", "confusion", "n")}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("--data", type=Path, default=D.default_data_root())
    ap.add_argument("--out", type=Path, default=Path("src/factdesk/models") / NAME)
    args = ap.parse_args(argv)
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    from factdesk.stance import FEATURE_VERSION, LABELS, StanceModel, feature_blocks
    from factdesk.textmodel import write_artifact

    t0 = time.time()
    pairs, sents, fnc_vec, cf, cf_vec = build_everything(args.data, verbose=True)
    t_embed = time.time() - t0
    vec = {**fnc_vec, **cf_vec}
    idf = fit_idf_table([s for b, ss in sents.items() if not D.is_dev("fnc1:" + b) for s in ss]
                        + [e for r in cf if not D.is_dev("cf:" + r["claim_id"]) for e, _ in r["evidences"]])
    train = (fnc_pairs(pairs, sents, False, False, vec) + fnc_pairs(pairs, sents, False, True, vec)
             + cf_pairs(cf, False, random_unrelated=CF_RANDOM_UNRELATED))
    dev_full = fnc_pairs(pairs, sents, True, False, vec)
    dev_cut = fnc_pairs(pairs, sents, True, True, vec, seed=SEED + 1)
    cf_dev = cf_pairs(cf, True)
    X = features_of(train, vec, idf)
    y = labels_of(train)
    scaler = StandardScaler().fit(X)
    sw = np.array([CF_WEIGHT if p.source.startswith("climate-fever") else 1.0 for p in train])
    blocks = feature_blocks()
    mask = np.zeros(X.shape[1], dtype=bool)
    for b in BLOCKS:
        mask[slice(*blocks[b])] = True
    clf = LogisticRegression(C=C, max_iter=3000).fit(scaler.transform(X)[:, mask], y, sample_weight=sw)
    if list(clf.classes_) != list(range(len(LABELS))):
        raise SystemExit(f"unexpected classes {clf.classes_}")
    arrays = {"idf": np.asarray(idf, dtype=np.float16), "mean": scaler.mean_.astype(np.float32),
              "scale": scaler.scale_.astype(np.float32), "mask": mask.astype(np.uint8),
              "W0": clf.coef_.T.astype(np.float32), "b0": clf.intercept_.astype(np.float32)}
    train_seconds = round(time.time() - t0, 1)
    n_src = {s: sum(p.source == s for p in train) for s in sorted({p.source for p in train})}
    meta = {
        "name": NAME,
        "version": "1",
        "kind": "stance",
        "task": "stance of evidence sentences towards a claim: P(agree, disagree, discuss, unrelated)",
        "labels": list(LABELS),
        "feature_version": FEATURE_VERSION,
        "features": "factdesk.stance.featurize: MiniLM cosine statistics over evidence sentences, claim*best and "
                    "|claim-best| sentence vectors, IDF/bigram/number/negation overlap, cue-word counts",
        "embedder": "factdesk.embed (models/minilm, int8 all-MiniLM-L6-v2)",
        "model": {"type": "multinomial logistic regression (L2) on standardised features",
                  "feature_blocks": list(BLOCKS), "n_features": int(mask.sum()), "C": C, "n_layers": 1,
                  "sample_weight": {"fnc1": 1.0, "climate-fever": CF_WEIGHT}, "seed": SEED,
                  "sklearn": "LogisticRegression(lbfgs), exported to weights.npz (W0 = coef.T, b0 = intercept)"},
        "data": {
            "datasets": ["fnc1", "climate-fever"],
            "paths": ["fnc1/train_stances.csv", "fnc1/train_bodies.csv", "climate_fever/climate-fever.jsonl"],
            "split": "FNC-1 dev = 20% of Body IDs (is_dev('fnc1:'+body_id)); Climate-FEVER dev = 20% of "
                     "claim_ids (is_dev('cf:'+claim_id)). FNC-1 headlines are shared across bodies, so every "
                     "dev headline also occurs in train (with other bodies).",
            "augmentation": "each FNC-1 train pair twice: whole body, and cut to its 1-3 sentences most similar "
                            "to the headline (same label); Climate-FEVER SUPPORTS->agree, REFUTES->disagree, "
                            f"NOT_ENOUGH_INFO->discuss, plus {CF_RANDOM_UNRELATED} random other-claim evidence "
                            "sentences per claim as unrelated",
            "n_train": n_src,
            "n_dev": {"fnc1": len(dev_full), "climate-fever": len(cf_dev)},
        },
        "data_licence": {"fnc1": "none stated (Fake News Challenge FNC-1 training data)",
                         "climate-fever": "research; cite Diggelmann et al. 2020"},
        "licence": D.ARTIFACT_LICENCE,
        "training": {"seconds": train_seconds, "embedding_seconds": round(t_embed, 1), "versions": D.versions()},
    }
    write_artifact(args.out, meta, arrays=arrays)
    model = StanceModel.load(args.out)
    metrics = {
        "fnc1_dev": _label_metrics(model, features_of(dev_full, vec, idf), labels_of(dev_full)),
        "fnc1_dev_cut_to_1_3_sentences": _label_metrics(model, features_of(dev_cut, vec, idf), labels_of(dev_cut)),
        "climate_fever_dev": _cf_metrics(model, features_of(cf_dev, vec, idf), labels_of(cf_dev)),
    }
    proba = model.predict_proba([c for c, _, _ in SANITY], [[s] for _, s, _ in SANITY])
    sanity = [{"claim": c, "evidence": s, "expected": e, "predicted": LABELS[int(p.argmax())],
               "proba": {lab: round(float(v), 3) for lab, v in zip(LABELS, p, strict=True)}}
              for (c, s, e), p in zip(SANITY, proba, strict=True)]
    n_ok = sum(x["expected"] == x["predicted"] for x in sanity)
    D.update_meta(args.out, {"metrics": {"dev": metrics}, "sanity": {"correct": n_ok, "n": len(sanity),
                                                                     "pairs": sanity}})
    for k, v in metrics.items():
        print(f"{k:32s} score {v['score']:.4f}  f1 {v['f1']}")
    print(f"sanity {n_ok}/{len(sanity)}")
    for x in sanity:
        print(f"  {x['expected']:9s} -> {x['predicted']:9s} {x['proba']}  {x['evidence'][:70]}")
    print(f"train {train_seconds}s (embedding {t_embed:.0f}s)")


BLOCKS = ("scalar", "cue_top", "cue_body")  # no raw claim/sentence vector products: see the module docstring
C = 0.05
CF_RANDOM_UNRELATED = 2
CF_WEIGHT = 1.0

if __name__ == "__main__":
    main()
