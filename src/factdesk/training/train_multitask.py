"""Continue the PTC span tagger's fine-tuning with a second task: check-worthiness of the whole sentence.

    python -m factdesk.training.train_multitask --data ../shared/data --init /tmp/factdesk-ptc-tagger/tagger.pt \
        --work /tmp/factdesk-multitask

Runs in the training venv (the ``train`` extra). ``--init`` is the state dict ``train_span_tagger`` keeps in its
``--work`` folder (``tagger.pt``). One encoder then serves both the language stage (P(inside a propaganda span)
per wordpiece) and the claims stage (P(check-worthy) per sentence), so the product pays one transformer pass per
sentence for both.

1. Data: the PTC lines of ``train_span_tagger`` (minus its held-out articles) and the CheckThat! sentences of
   ``finetune_checkworthy`` (minus its held-out debates); dev splits unchanged and only measured.
2. Check-worthiness head: the mean of the encoder's last hidden state over the sentence's wordpieces (no [CLS] /
   [SEP], as ``Tagging.states`` holds them at run time), L2-normalised, times ``SCALE``, a linear layer; binary
   cross-entropy with the positives weighted ``POS_WEIGHT``. Token head: the tagger's cross-entropy.
3. Each step is one batch of one task (PTC 16 lines, CheckThat 32 sentences, length-bucketed), shuffled together;
   AdamW, linear warm-up/decay, seed 0. A checkpoint per epoch.
4. Each checkpoint is exported to int8 ONNX (with the ``hidden`` output) and scored as the runtime runs it, on the
   held-out slices (where the epoch is chosen) and on dev: SI span F1 (every line, shipped decoding levels) and
   MAP / P@5 / P@10. Writes ``<work>/result.json``.
"""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import argparse  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from factdesk.training import data as D  # noqa: E402
from factdesk.training import finetune_checkworthy as CW  # noqa: E402
from factdesk.training import train_span_tagger as T  # noqa: E402

SEED = 0
EPOCHS = 2
LR = 4e-5
HEAD_LR = 2e-3
CW_BATCH = 32
POS_WEIGHT = 8.0
SCALE = 20.0
CW_LOSS_WEIGHT = 1.0


def encode_sentences(tok, rows: list[D.CheckSentence]) -> list[tuple[list[int], float]]:
    return [(list(e.ids), float(r.label)) for r, e in zip(rows, tok.encode_batch([r.text for r in rows]), strict=True)]


def collate_cw(examples, rows: list[int]):
    import torch

    n = max(len(examples[i][0]) for i in rows)
    ids = np.zeros((len(rows), n), dtype=np.int64)
    mask = np.zeros((len(rows), n), dtype=np.int64)
    inner = np.zeros((len(rows), n), dtype=np.float32)  # wordpieces without [CLS] / [SEP]: what gets pooled
    for r, i in enumerate(rows):
        x = examples[i][0]
        ids[r, : len(x)] = x
        mask[r, : len(x)] = 1
        inner[r, 1 : len(x) - 1] = 1.0
    y = torch.tensor([examples[i][1] for i in rows])
    return torch.from_numpy(ids), torch.from_numpy(mask), torch.from_numpy(inner), y


def sentence_scores(states: list[np.ndarray | None], coef: np.ndarray, bias: float) -> np.ndarray:
    """The check-worthiness logit per text from its wordpiece states (run-time formula)."""
    out = np.full(len(states), -1e9)
    for i, h in enumerate(states):
        if h is not None and len(h):
            v = h.mean(axis=0)
            out[i] = float(v @ coef / max(float(np.linalg.norm(v)), 1e-9) + bias)
    return out


def evaluate(folder: Path, coef: np.ndarray, bias: float, ptc_sets: dict, cw_sets: dict) -> dict:
    from factdesk.tagger import SpanTagger

    tagger = SpanTagger(folder, threshold=0.35)
    out: dict = {}
    for name, arts in ptc_sets.items():
        gold = {a.id: list(a.si) for a in arts}
        out[f"{name}_si"] = T.si_metrics(T.predict_spans(tagger, arts, threshold=0.35, extend=0.1), gold)["si_f1"]
    for name, rows in cw_sets.items():
        states = [t.states for t in tagger.iter_tag([r.text for r in rows])]
        out[f"{name}_cw"] = CW.ranking(rows, sentence_scores(states, coef, bias))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=D.default_data_root())
    ap.add_argument("--init", type=Path, required=True, help="train_span_tagger's tagger.pt")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "factdesk-multitask")
    ap.add_argument("--epochs", type=int, default=EPOCHS)
    ap.add_argument("--lr", type=float, default=LR)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--eval-only", action="store_true", help="score the checkpoints already in --work")
    args = ap.parse_args(argv)
    import torch
    from tokenizers import Tokenizer

    torch.set_num_threads(args.threads)
    torch.manual_seed(SEED)
    rng = random.Random(SEED)
    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)
    src = T.source_model_dir()

    ptc_train, ptc_dev = D.split_ptc(D.load_ptc(args.data))
    ptc_fit, ptc_held = T.split_train(ptc_train)
    cw_train, cw_dev = D.split_checkthat(D.load_checkthat(args.data))
    cw_fit = [r for r in cw_train if not CW.is_holdout(r.debate)]
    cw_held = [r for r in cw_train if CW.is_holdout(r.debate)]
    tok = Tokenizer.from_file(str(src / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(T.MAX_LENGTH)
    ptc_ex = T.encode_examples(tok, ptc_fit)
    cw_ex = encode_sentences(tok, cw_fit)
    print(f"PTC {len(ptc_ex)} lines, CheckThat {len(cw_ex)} sentences ({int(sum(y for _, y in cw_ex))} positive)",
          flush=True)

    model = T.build_model(T.load_torch_model(src), len(T.LABELS))
    model.load_state_dict(torch.load(args.init))
    head = torch.nn.Linear(model.encoder.config.hidden_size, 1)
    t0 = time.time()
    if not args.eval_only:
        torch.set_grad_enabled(True)
        model.train()
        per_epoch = []
        for _ in range(args.epochs):
            steps = [("ptc", b) for b in T.batches(ptc_ex, T.BATCH, rng)]
            steps += [("cw", b) for b in T.batches(cw_ex, CW_BATCH, rng)]
            rng.shuffle(steps)
            per_epoch.append(steps)
        total = sum(len(s) for s in per_epoch)
        warm = max(1, int(T.WARMUP * total))
        no_decay = ("bias", "LayerNorm.weight", "LayerNorm.bias")
        opt = torch.optim.AdamW([
            {"params": [p for n, p in model.named_parameters() if not any(k in n for k in no_decay)],
             "weight_decay": T.WEIGHT_DECAY, "lr": args.lr},
            {"params": [p for n, p in model.named_parameters() if any(k in n for k in no_decay)],
             "weight_decay": 0.0, "lr": args.lr},
            {"params": list(head.parameters()), "weight_decay": 0.0, "lr": HEAD_LR}])
        sched = torch.optim.lr_scheduler.LambdaLR(
            opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm))))
        tok_loss = torch.nn.CrossEntropyLoss(ignore_index=-100)
        pos_weight = torch.tensor(POS_WEIGHT)
        step = 0
        for ep, steps in enumerate(per_epoch):
            run = {"ptc": [0.0, 0], "cw": [0.0, 0]}
            for task, rows in steps:
                if task == "ptc":
                    ids, mask, types, lab = T.collate(ptc_ex, rows)
                    logits = model(ids, mask, types)
                    loss = tok_loss(logits.reshape(-1, len(T.LABELS)), lab.reshape(-1))
                else:
                    ids, mask, inner, y = collate_cw(cw_ex, rows)
                    h = model.encoder(input_ids=ids, attention_mask=mask,
                                      token_type_ids=torch.zeros_like(ids)).last_hidden_state
                    m = inner.unsqueeze(-1)
                    pooled = (h * m).sum(1) / m.sum(1).clamp(min=1.0)
                    z = head(torch.nn.functional.normalize(pooled, dim=-1) * SCALE).squeeze(-1)
                    loss = CW_LOSS_WEIGHT * torch.nn.functional.binary_cross_entropy_with_logits(
                        z, y, pos_weight=pos_weight)
                opt.zero_grad(set_to_none=True)
                loss.backward()
                torch.nn.utils.clip_grad_norm_(list(model.parameters()) + list(head.parameters()), 1.0)
                opt.step()
                sched.step()
                step += 1
                run[task][0] += float(loss.detach())
                run[task][1] += 1
                if step % 100 == 0:
                    print(f"epoch {ep + 1} step {step}/{total} ptc {run['ptc'][0] / max(1, run['ptc'][1]):.4f} "
                          f"cw {run['cw'][0] / max(1, run['cw'][1]):.4f} {time.time() - t0:.0f}s", flush=True)
            torch.save({"model": model.state_dict(), "head": head.state_dict()}, work / f"epoch{ep + 1}.pt")
            print(f"epoch {ep + 1} saved {time.time() - t0:.0f}s", flush=True)
    torch.set_grad_enabled(False)

    result: dict = {"recipe": {"init": str(args.init), "epochs": args.epochs, "lr": args.lr, "head_lr": HEAD_LR,
                               "cw_batch": CW_BATCH, "ptc_batch": T.BATCH, "pos_weight": POS_WEIGHT,
                               "scale": SCALE, "seed": SEED, "threads": args.threads},
                    "train_seconds": round(time.time() - t0, 1), "epochs": {}}
    ptc_sets = {"held": ptc_held, "dev": ptc_dev}
    cw_sets = {"held": cw_held, "dev": cw_dev}
    for ep in range(1, args.epochs + 1):
        state = torch.load(work / f"epoch{ep}.pt")
        model.load_state_dict(state["model"])
        head.load_state_dict(state["head"])
        model.eval()
        folder = work / f"epoch{ep}"
        folder.mkdir(exist_ok=True)
        T.export_int8(model, src / "tokenizer.json", folder / "fp32.onnx", folder)
        (folder / "fp32.onnx").unlink()
        coef = head.weight.detach().numpy().reshape(-1) * SCALE
        bias = float(head.bias.detach().numpy()[0])
        np.savez(folder / "checkworthy_head.npz", coef=coef, bias=np.array([bias]))
        T.write_meta(folder, {"threshold": 0.35, "extend_threshold": 0.1})
        result["epochs"][ep] = evaluate(folder, coef, bias, ptc_sets, cw_sets)
        print(json.dumps({ep: result["epochs"][ep]}), flush=True)
        (work / "result.json").write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
