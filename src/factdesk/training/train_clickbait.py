"""Train the ``clickbait`` headline model.

    python -m factdesk.training.train_clickbait --data /work/shared/data --out src/factdesk/models/clickbait

Data: Chakraborty et al. 2016 headlines + the Webis-Clickbait-17 posts (train parts of both; dev = 20% by a
hash of the normalised headline / of text_id, see ``factdesk.training.data``). All input is lower-cased at train
and run time: in the Chakraborty data every clickbait headline is title case, so case would give the answer.

Model: hashed word 1–3 grams + char_wb 2–5 grams (sublinear TF-IDF, L2 per block), L2 logistic regression;
Webis posts get a higher sample weight (they are the harder, more realistic domain). Platt scaling and the
decision threshold come from 3-fold out-of-fold scores on the training part only (threshold = best F1 on
Webis-train out-of-fold), so the dev numbers are not tuned on dev.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from factdesk.eval.metrics import best_f1_threshold, binary_prf
from factdesk.training import data as D

NAME = "clickbait"
SEED = 0
C = 2.0
WEBIS_WEIGHT = 3.0


def spec() -> dict:
    return D.featurizer_spec(
        [
            D.hash_block("word", "word", (1, 3), 19),
            D.hash_block("char", "char_wb", (2, 5), 19),
        ]
    )


def dev_metrics(model, chak_dev: list[D.Headline], webis_dev: list[D.Headline]) -> dict:
    """Dev metrics of a loaded ``TextClassifier`` (shared with the eval gate)."""
    thr = model.threshold
    pc = model.predict_proba([h.text.lower() for h in chak_dev])
    pw = model.predict_proba([h.text.lower() for h in webis_dev])
    yc = np.array([h.label for h in chak_dev])
    yw = np.array([h.label for h in webis_dev])
    w = binary_prf(yw, pw >= thr)
    c = binary_prf(yc, pc >= thr)
    return {
        "chakraborty_dev_accuracy_lowercased": round(c["accuracy"], 4),
        "chakraborty_dev_f1": round(c["f1"], 4),
        "webis17_dev_f1_clickbait": round(w["f1"], 4),
        "webis17_dev_precision": round(w["precision"], 4),
        "webis17_dev_recall": round(w["recall"], 4),
        "webis17_dev_best_f1_any_threshold": round(best_f1_threshold(yw, pw)[1], 4),
        "n_chakraborty_dev": len(chak_dev),
        "n_webis17_dev": len(webis_dev),
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("--data", type=Path, default=D.default_data_root())
    ap.add_argument("--out", type=Path, default=Path("src/factdesk/models") / NAME)
    args = ap.parse_args(argv)
    from sklearn.linear_model import LogisticRegression

    from factdesk.textmodel import TextClassifier, write_artifact

    t0 = time.time()
    chak_tr, chak_dev = D.split_headlines(D.load_chakraborty(args.data))
    web_tr, web_dev = D.split_headlines(D.load_webis17(args.data))
    train = chak_tr + web_tr
    texts = [h.text.lower() for h in train]
    y = np.array([h.label for h in train])
    is_web = np.array([h.source == "webis17" for h in train])
    sw = np.where(is_web, WEBIS_WEIGHT, 1.0)
    feat, arrays = D.fit_featurizer(spec(), texts)
    X = feat.transform(texts)

    def fit(rows):
        return LogisticRegression(C=C, solver="liblinear", max_iter=5000, random_state=SEED).fit(
            X[rows], y[rows], sample_weight=sw[rows]
        )

    # out-of-fold decision values → Platt scaling + threshold (training part only)
    folds = D.group_folds([f"{h.source}:{h.key}" for h in train], k=3)
    oof = np.zeros(len(train))
    for k in range(3):
        m = fit(folds != k)
        oof[folds == k] = m.decision_function(X[folds == k])
    a, b = D.platt_fit(oof, y)
    p_oof = 1.0 / (1.0 + np.exp(-(a * oof + b)))
    thr, oof_f1 = best_f1_threshold(y[is_web], p_oof[is_web])
    thr = round(thr, 3)

    model = fit(np.ones(len(train), dtype=bool))
    train_seconds = round(time.time() - t0, 1)
    meta = {
        "name": NAME,
        "version": "1",
        "kind": "binary",
        "task": "clickbait headline detection; P(clickbait) of a lower-cased headline",
        "positive_label": "clickbait",
        "threshold": thr,
        "threshold_source": "best F1 on Webis-17 train posts, 3-fold out-of-fold (not dev)",
        "calibration": {"method": "platt", "a": a, "b": b, "fitted_on": "3-fold out-of-fold train scores"},
        "featurizer": spec(),
        "model": {"type": "logistic regression (L2)", "C": C, "solver": "liblinear",
                  "sample_weight": {"chakraborty": 1.0, "webis17": WEBIS_WEIGHT}, "seed": SEED},
        "data": {
            "datasets": ["chakraborty2016", "webis-clickbait-17"],
            "paths": ["clickbait/clickbait_data.txt", "clickbait/non_clickbait_data.txt",
                      "clickbait/webis17_train.json"],
            "split": "dev = 20% by sha1 of normalised headline (Chakraborty) / of text_id (Webis-17); "
                     "factdesk.training.data.split_headlines",
            "n_train": {"chakraborty": len(chak_tr), "webis17": len(web_tr)},
            "n_dev": {"chakraborty": len(chak_dev), "webis17": len(web_dev)},
        },
        "data_licence": {k: D.DATA_LICENCES[k] for k in ("chakraborty2016", "webis-clickbait-17")},
        "licence": D.ARTIFACT_LICENCE,
        "training": {"seconds": train_seconds, "versions": D.versions(), "oof_webis_f1_at_threshold": round(oof_f1, 4)},
    }
    write_artifact(args.out, meta, arrays=D.linear_arrays(model.coef_, model.intercept_, arrays))
    loaded = TextClassifier.load(args.out.name, args.out.parent)
    metrics = dev_metrics(loaded, chak_dev, web_dev)
    sanity = {t: round(float(p), 3) for t, p in zip(SANITY, loaded.predict_proba(SANITY), strict=True)}
    D.update_meta(args.out, {"metrics": {"dev": metrics}, "sanity": sanity})
    for k, v in metrics.items():
        print(f"{k:40s} {v}")
    print(f"threshold {thr}  platt a={a:.3f} b={b:.3f}  train {train_seconds}s")
    for t, p in sanity.items():
        print(f"  {p:.3f}  {t}")


SANITY = [
    "You Won't Believe What This Celebrity Did Next",
    "Senate passes budget bill after late-night vote",
    "SENATE PASSES BUDGET BILL AFTER LATE-NIGHT VOTE",
    "Senate Passes Budget Bill After Late-Night Vote",
    "17 Photos That Prove Cats Are Secretly Plotting Against You",
    "Earthquake of magnitude 6.1 strikes off coast of Japan",
]

if __name__ == "__main__":
    main()
