"""Train the ``checkworthy`` sentence model (is this sentence a factual claim worth checking?).

    python -m factdesk.training.train_checkworthy --data /work/shared/data --out src/factdesk/models/checkworthy

Data: CLEF CheckThat! 2019 + 2020 training debates. The two releases share debates, so files are joined into
debates and deduplicated by sentence; dev = 25% of debates by hash, and no sentence of a dev debate is
trained on (``factdesk.training.data.split_checkthat``). The speaker column is not used: the model must
transfer from debate transcripts to news sentences.

Model: hashed word 1–2 grams + char_wb 2–5 grams (sublinear TF-IDF, L2 per block) + a few cheap features
(digit, %/money, year, length, short), L2 logistic regression with balanced class weights. Platt scaling
(balanced weights inflate probabilities) and the threshold come from 3-fold out-of-fold scores grouped by
debate on the training part. Dev metric: MAP over debates, and mean P@5 / P@10.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from factdesk.eval.metrics import best_f1_threshold, ranking_by_group
from factdesk.training import data as D

NAME = "checkworthy"
SEED = 0
C = 3.0
EXTRA = ["has_digit", "has_percent_or_money", "has_year", "log_words", "short"]


def spec() -> dict:
    return D.featurizer_spec(
        [D.hash_block("word", "word", (1, 2), 18), D.hash_block("char", "char_wb", (2, 5), 19)], EXTRA
    )


def dev_metrics(model, dev: list[D.CheckSentence]) -> dict:
    p = model.predict_proba([r.text for r in dev])
    r = ranking_by_group([s.debate for s in dev], [s.label for s in dev], p)
    return {
        "MAP": round(r["MAP"], 4),
        "P@5": round(r["P@5"], 4),
        "P@10": round(r["P@10"], 4),
        "n_debates": r["n_groups"],
        "n_sentences": len(dev),
        "n_positive": int(sum(s.label for s in dev)),
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("--data", type=Path, default=D.default_data_root())
    ap.add_argument("--out", type=Path, default=Path("src/factdesk/models") / NAME)
    args = ap.parse_args(argv)
    from sklearn.linear_model import LogisticRegression

    from factdesk.textmodel import TextClassifier, write_artifact

    t0 = time.time()
    train, dev = D.split_checkthat(D.load_checkthat(args.data))
    texts = [r.text for r in train]
    y = np.array([r.label for r in train])
    feat, arrays = D.fit_featurizer(spec(), texts)
    X = feat.transform(texts)

    def fit(rows):
        return LogisticRegression(
            C=C, class_weight="balanced", solver="liblinear", max_iter=5000, random_state=SEED
        ).fit(X[rows], y[rows])

    folds = D.group_folds([r.debate for r in train], k=3)
    oof = np.zeros(len(train))
    for k in range(3):
        oof[folds == k] = fit(folds != k).decision_function(X[folds == k])
    a, b = D.platt_fit(oof, y)
    p_oof = 1.0 / (1.0 + np.exp(-(a * oof + b)))
    thr, oof_f1 = best_f1_threshold(y, p_oof)
    oof_rank = ranking_by_group([r.debate for r in train], y, oof)

    model = fit(np.ones(len(train), dtype=bool))
    secs = round(time.time() - t0, 1)
    meta = {
        "name": NAME,
        "version": "1",
        "kind": "binary",
        "task": "check-worthiness of a sentence: P(a fact-checker would check it); use as a ranking score",
        "positive_label": "check-worthy",
        "threshold": round(thr, 3),
        "threshold_source": "best F1 on 3-fold out-of-fold train scores (grouped by debate), not dev",
        "calibration": {"method": "platt", "a": a, "b": b, "fitted_on": "3-fold out-of-fold train scores"},
        "featurizer": spec(),
        "model": {"type": "logistic regression (L2)", "C": C, "class_weight": "balanced", "solver": "liblinear",
                  "seed": SEED},
        "data": {
            "datasets": ["clef-checkthat-2019-2020"],
            "paths": ["checkthat/clef2019_train/*.tsv", "checkthat/clef2020_train/v2.0/training/*.tsv"],
            "split": "debates (2019/2020 copies joined by shared sentences) → 25% dev by sha1; sentences "
                     "deduplicated; dev sentences removed from train; factdesk.training.data.split_checkthat",
            "n_train": len(train),
            "n_train_positive": int(y.sum()),
            "n_dev": len(dev),
            "n_dev_debates": len({r.debate for r in dev}),
        },
        "data_licence": {"clef-checkthat-2019-2020": D.DATA_LICENCES["clef-checkthat-2019-2020"]},
        "licence": D.ARTIFACT_LICENCE,
        "training": {"seconds": secs, "versions": D.versions(), "oof_MAP": round(oof_rank["MAP"], 4),
                     "oof_f1_at_threshold": round(oof_f1, 4)},
    }
    write_artifact(args.out, meta, arrays=D.linear_arrays(model.coef_, model.intercept_, arrays))
    loaded = TextClassifier.load(args.out.name, args.out.parent)
    metrics = dev_metrics(loaded, dev)
    sanity = {t: round(float(p), 3) for t, p in zip(SANITY, loaded.predict_proba(SANITY), strict=True)}
    D.update_meta(args.out, {"metrics": {"dev": metrics}, "sanity": sanity})
    for k, v in metrics.items():
        print(f"{k:20s} {v}")
    print(f"threshold {thr:.3f}  platt a={a:.3f} b={b:.3f}  oof MAP {oof_rank['MAP']:.4f}  train {secs}s")
    for t, p in sanity.items():
        print(f"  {p:.3f}  {t}")


SANITY = [
    "Unemployment fell to 3.5 percent last year, the lowest rate since 1969.",
    "The city spent $12 million on the new stadium, twice the original budget.",
    "Thank you very much, it's great to be here tonight.",
    "Good evening and welcome.",
]

if __name__ == "__main__":
    main()
