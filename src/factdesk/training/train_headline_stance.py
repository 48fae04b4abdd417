"""Train the headline-vs-body stance model (FNC-1) into models/headline_stance.

Inputs per (headline, body) pair: L2-normalised term frequencies of the headline and of the body over the 5,000
most frequent non-stop words of the training headlines and bodies, the cosine of their TF-IDF vectors, and the
shipped ``stance`` model's 1,027 features (standardised, times FEATURE_WEIGHT). One hidden layer of 100 ReLU units
with dropout 0.4, Adam (lr 0.01, batch 500, L2 1e-5 on the weights), a fixed number of epochs, seed 0; needs
torch (the `train` extra) for training only. The shipped artifact is numpy arrays, run by
``factdesk.headline_stance``.

Splits (``--split``): ``body`` (shipped; dev = 20% of Body IDs, the project's FNC-1 rule), ``strict`` (dev pairs
have a dev body *and* a held-out headline, 30% of headlines; train has neither) and ``topic`` (the FNC-1 claims:
headlines and bodies joined by their related pairs, 20% of those groups held out on both sides). ``strict`` and
``topic`` runs measure how the recipe holds on headlines or whole stories it never saw; only ``body`` ships.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

import numpy as np

from factdesk.training import data as D
from factdesk.training import train_stance as T

NAME = "headline_stance"
VOCAB = 5000
HIDDEN = 100
FEATURE_WEIGHT = 0.3
EPOCHS = 8
CUT = False
SEED = 0
SPLIT_RULES = {
    "body": "dev = 20% of Body IDs (is_dev('fnc1:'+body_id)); every dev headline also occurs in train",
    "strict": "dev = dev body and held-out headline (is_dev('fnch:'+headline, 30)); train = neither",
    "topic": "FNC-1 claims (headlines and bodies joined by related pairs), 20% held out on both sides",
}


def split_of(pairs, mode: str) -> tuple[list[bool], list[bool]]:
    """Per pair: (in train, in dev)."""
    body = [D.is_dev("fnc1:" + p.body_id) for p in pairs]
    if mode == "body":
        return [not b for b in body], body
    if mode == "strict":
        head = [D.is_dev("fnch:" + p.headline, 30) for p in pairs]
        return [not b and not h for b, h in zip(body, head)], [b and h for b, h in zip(body, head)]
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for p in pairs:
        if p.stance != "unrelated":
            parent[find("h:" + p.headline)] = find("b:" + p.body_id)
    dev_b = [D.is_dev("fnct:" + find("b:" + p.body_id)) for p in pairs]
    dev_h = [D.is_dev("fnct:" + find("h:" + p.headline)) for p in pairs]
    return [not b and not h for b, h in zip(dev_b, dev_h)], [b and h for b, h in zip(dev_b, dev_h)]


def build_vocab(texts: list[str]) -> tuple[list[str], np.ndarray]:
    """The VOCAB most frequent non-stop words (ties by word) and their smoothed IDF over ``texts``."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    from factdesk.headline_stance import words

    tf: Counter[str] = Counter()
    df: Counter[str] = Counter()
    for t in texts:
        ws = [w for w in words(t) if w not in ENGLISH_STOP_WORDS]
        tf.update(ws)
        df.update(set(ws))
    vocab = [w for w, _ in sorted(tf.items(), key=lambda kv: (-kv[1], kv[0]))[:VOCAB]]
    n = len(texts)
    idf = np.array([np.log((1 + n) / (1 + df[w])) + 1.0 for w in vocab], dtype=np.float32)
    return vocab, idf


def inputs(items, vec, stance, vocab, idf, mean=None, scale=None):
    """Dense input rows for ``(headline, body sentences)`` items (term vectors, TF-IDF cosine, scaled stance
    features) and the scaler used."""
    from factdesk.headline_stance import _cosine, term_vectors

    heads = [h for h, _ in items]
    dense = stance.features(heads, [list(b) for _, b in items], claim_vecs=np.stack([vec[h] for h in heads]),
                            body_vecs=[np.stack([vec[s] for s in b]) for _, b in items])
    if mean is None:
        mean, scale = dense.mean(0), dense.std(0)
        scale[scale == 0] = 1.0
    v = {w: i for i, w in enumerate(vocab)}
    h_tf, h_w = term_vectors(heads, v, idf)
    distinct = list(dict.fromkeys(b for _, b in items))
    b_tf, b_w = term_vectors([" ".join(b) for b in distinct], v, idf)
    bpos = {b: i for i, b in enumerate(distinct)}
    X = np.zeros((len(items), 2 * len(vocab) + 1 + dense.shape[1]), dtype=np.float32)
    for r, (_, b) in enumerate(items):
        j = bpos[b]
        X[r, h_tf[r][0]] = h_tf[r][1]
        X[r, len(vocab) + b_tf[j][0]] = b_tf[j][1]
        X[r, 2 * len(vocab)] = _cosine((h_tf[r][0], h_w[r]), (b_tf[j][0], b_w[j]))
    X[:, 2 * len(vocab) + 1:] = FEATURE_WEIGHT * (dense - mean) / scale
    return X, mean.astype(np.float32), scale.astype(np.float32)


def cut(pairs, sents, vec, seed: int = SEED) -> list[tuple[str, tuple[str, ...]]]:
    """Each pair's body cut to its 1-3 sentences most similar to the headline (k drawn with a fixed seed)."""
    rng = np.random.default_rng(seed)
    out = []
    for p in pairs:
        ss = sents[p.body_id]
        k = int(rng.integers(1, 4))
        top = np.argsort(-(np.stack([vec[s] for s in ss]) @ vec[p.headline]), kind="stable")[:k]
        out.append((p.headline, tuple(ss[i] for i in sorted(top))))
    return out


def fit_mlp(X: np.ndarray, y: np.ndarray, epochs: int) -> dict[str, np.ndarray]:
    import torch

    torch.manual_seed(SEED)
    rng = np.random.default_rng(SEED)
    torch.set_num_threads(2)
    net = torch.nn.Sequential(torch.nn.Linear(X.shape[1], HIDDEN), torch.nn.ReLU(), torch.nn.Dropout(0.4),
                              torch.nn.Linear(HIDDEN, 4))
    opt = torch.optim.Adam(net.parameters(), lr=0.01)
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    net.train()
    for _ in range(epochs):
        perm = torch.from_numpy(rng.permutation(len(y)))
        for lo in range(0, len(y), 500):
            idx = perm[lo : lo + 500]
            loss = torch.nn.functional.cross_entropy(net(Xt[idx]), yt[idx])
            l2 = sum((w**2).sum() for n, w in net.named_parameters() if n.endswith("weight"))
            (loss + 1e-5 * l2).backward()
            opt.step()
            opt.zero_grad()
    first, last = net[0], net[3]
    return {"W1": first.weight.detach().numpy().T.astype(np.float16), "b1": first.bias.detach().numpy(),
            "W2": last.weight.detach().numpy().T.astype(np.float32), "b2": last.bias.detach().numpy()}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=D.default_data_root())
    ap.add_argument("--out", type=Path, default=Path("src/factdesk/models") / NAME)
    ap.add_argument("--split", default="body", choices=sorted(SPLIT_RULES),
                    help="body (ships), strict or topic (measurement only)")
    ap.add_argument("--epochs", type=int, default=EPOCHS)
    ap.add_argument("--cut", action=argparse.BooleanOptionalAction, default=CUT,
                    help="also train on each pair with its body cut to the 1-3 sentences closest to the headline")
    args = ap.parse_args(argv)

    from factdesk.eval.fnc1 import fnc_score
    from factdesk.headline_stance import HeadlineStanceModel
    from factdesk.stance import LABELS, load_stance
    from factdesk.textmodel import write_artifact

    t0 = time.time()
    pairs, sents = T.load_fnc1(args.data)
    vec = T.embed_cached([s for ss in sents.values() for s in ss] + [p.headline for p in pairs], "fnc1", True)
    t_embed = time.time() - t0
    in_train, in_dev = split_of(pairs, args.split)
    train = [p for p, k in zip(pairs, in_train) if k]
    dev = [p for p, k in zip(pairs, in_dev) if k]
    stance = load_stance()
    vocab, idf = build_vocab(sorted({p.headline for p in train}) + [" ".join(sents[b])
                                                                    for b in sorted({p.body_id for p in train})])
    items = [(p.headline, tuple(sents[p.body_id])) for p in train]
    y = np.array([LABELS.index(p.stance) for p in train])
    if args.cut:
        items += cut(train, sents, vec)
        y = np.concatenate([y, y])
    X, mean, scale = inputs(items, vec, stance, vocab, idf)
    arrays = fit_mlp(X, y, args.epochs)
    arrays.update({"vocab": np.array(vocab), "idf": idf.astype(np.float32), "mean": mean, "scale": scale})
    seconds = round(time.time() - t0, 1)
    meta = {
        "name": NAME, "version": "1", "kind": "stance",
        "task": "FNC-1 stance of an article body towards a headline: P(agree, disagree, discuss, unrelated)",
        "labels": list(LABELS),
        "stance_sha256": stance.meta.get("sha256"),
        "features": f"L2-normalised term frequencies of headline and body over {VOCAB} words, TF-IDF cosine, "
                    f"the stance model's {len(mean)} features standardised x {FEATURE_WEIGHT}",
        "model": {"type": f"MLP: {X.shape[1]} inputs -> {HIDDEN} ReLU (dropout 0.4 in training) -> 4, softmax",
                  "feature_weight": FEATURE_WEIGHT, "epochs": args.epochs, "seed": SEED, "cut_copies": args.cut,
                  "optimiser": "Adam lr 0.01, batch 500, L2 1e-5 on weights", "W1": "float16"},
        "data": {"datasets": ["fnc1"], "paths": ["fnc1/train_stances.csv", "fnc1/train_bodies.csv"],
                 "split": args.split, "split_rule": SPLIT_RULES[args.split],
                 "n_train": len(train), "n_dev": len(dev)},
        "data_licence": {"fnc1": "none stated (Fake News Challenge FNC-1 training data)"},
        "licence": D.ARTIFACT_LICENCE,
        "training": {"seconds": seconds, "embedding_seconds": round(t_embed, 1),
                     "versions": {**D.versions(), "torch": __import__("torch").__version__}},
    }
    write_artifact(args.out, meta, arrays=arrays)
    model = HeadlineStanceModel.load(args.out, stance=stance)
    proba = model.predict_proba([p.headline for p in dev], [sents[p.body_id] for p in dev],
                                claim_vecs=np.stack([vec[p.headline] for p in dev]),
                                body_vecs=[np.stack([vec[s] for s in sents[p.body_id]]) for p in dev])
    r = fnc_score([p.stance for p in dev], [LABELS[i] for i in proba.argmax(1)])
    metrics = {k: r[k] for k in ("score", "accuracy", "f1", "macro_f1", "confusion", "n")}
    sanity = model.predict_proba([c for c, _, _ in T.SANITY], [[e] for _, e, _ in T.SANITY]).argmax(1)
    n_ok = int(sum(LABELS[i] == want for i, (_, _, want) in zip(sanity, T.SANITY)))
    D.update_meta(args.out, {"metrics": {"dev": {f"fnc1_{args.split}_dev": metrics}},
                             "sanity": {"single_sentence_pairs": len(T.SANITY), "correct": n_ok}})
    print(f"fnc1 {args.split} dev: score {r['score']:.4f}  f1 {r['f1']}  ({len(train)} train, {len(dev)} dev, "
          f"{seconds}s); single-sentence sanity {n_ok}/{len(T.SANITY)}")


if __name__ == "__main__":
    main()
