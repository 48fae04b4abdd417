"""Sentence embeddings from the shipped int8 ONNX MiniLM (all-MiniLM-L6-v2), without torch.

``Embedder(...)`` only stores settings; the ONNX session and the tokenizer load on the first ``encode`` (in
``_load``), after checking ``model.onnx`` against the sha256 recorded in ``meta.json``. Embeddings are mean-pooled
over the attention mask and L2-normalised, so a dot product is a cosine similarity.

Batching: dynamic int8 quantization picks activation scales per batch, padding included, so a batched text's
vector would depend in the third decimal on its batch mates. By default each text is its own ONNX call
(``batch_size=1``): a text's vector is then the same whatever it is encoded with, and the calls run ``threads`` at
a time, each single-threaded (ONNX Runtime releases the GIL while it runs). On this project's short inputs that
uses two cores better than ONNX Runtime's own intra-op threads, which barely speed up one article's few
sentences, and it costs nothing per text: measured on FNC-1 sentences, one text per call was as fast as batches
of 8 or 32 on one thread, and 1.5-1.7x faster than batches of 32 with two intra-op threads. Accuracy is a wash
(the span tagger's SI F1 on every PTC line, one line per call vs batches of 32: dev 0.4516 vs 0.4490, its
held-out training slice 0.4351 vs 0.4444).
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from .document import ModelInfo
from .errors import ConfigError, ModelError

_T = TypeVar("_T")
_R = TypeVar("_R")
DEFAULT_MODEL_DIR = Path(__file__).resolve().parent / "models" / "minilm"
DIM = 384
_REEXPORT = (
    "reinstall factdesk, or re-run `python -m factdesk.training.export_embedder --out src/factdesk/models/minilm`"
)


def default_threads() -> int:
    """Model calls run at once (``run_batches``): $FACTDESK_THREADS when set, else the cores this process may use."""
    env = os.environ.get("FACTDESK_THREADS", "").strip()
    if env:
        if not env.isdigit() or int(env) < 1:
            raise ConfigError(f"FACTDESK_THREADS must be a whole number of 1 or more, not {env!r}")
        return int(env)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def read_verified(file: Path, expected: str | None, what: str, hint: str) -> bytes:
    """The bytes of a model file, checked against the sha256 its meta.json records (``what`` names the model)."""
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise ModelError(f"{what} file {file} is missing", hint=hint) from None
    except OSError as exc:
        raise ModelError(f"{what} file {file} is unreadable: {exc}", hint=hint) from None
    if expected is not None:
        actual = hashlib.sha256(data).hexdigest()
        if actual != expected:
            raise ModelError(f"{what} file {file} has sha256 {actual[:12]}…, meta.json expects {expected[:12]}…",
                             hint=hint)
    return data


def cpu_session(model_bytes: bytes, file: Path, what: str, hint: str) -> Any:
    """A single-threaded ONNX Runtime CPU session, all graph optimisations (``run_batches`` adds the threads)."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.inter_op_num_threads = 1
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    opts.log_severity_level = 3
    try:
        return ort.InferenceSession(model_bytes, sess_options=opts, providers=["CPUExecutionProvider"])
    except Exception as exc:  # onnxruntime raises its own Fail/InvalidGraph types
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ModelError(f"{what} model {file} cannot be loaded: {first}", hint=hint) from None


class Embedder:
    """Encode sentences into 384-d unit vectors with the int8 MiniLM ONNX model.

    ``batch_size``: texts per ONNX call (1: each vector independent of the others; see the module docstring).
    ``threads``: calls run at once (default ``default_threads()``)."""

    def __init__(
        self,
        path: Path | None = None,
        *,
        max_length: int = 128,
        batch_size: int = 1,
        threads: int | None = None,
    ) -> None:
        if max_length < 2:
            raise ValueError("max_length must be at least 2 (room for [CLS] and [SEP])")
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        if threads is not None and threads < 1:
            raise ValueError("threads must be at least 1")
        self.path = Path(path) if path is not None else DEFAULT_MODEL_DIR
        self.max_length = max_length
        self.batch_size = batch_size
        self.threads = threads
        self._meta: dict[str, Any] | None = None
        self._session: Any = None
        self._tokenizer: Any = None
        self._input_names: tuple[str, ...] = ()
        self._lock = threading.Lock()

    # -- loading -------------------------------------------------------------------------------------------

    def _read_meta(self) -> dict[str, Any]:
        if self._meta is None:
            meta_path = self.path / "meta.json"
            try:
                meta = json.loads(meta_path.read_text(encoding="utf-8"))
            except FileNotFoundError:
                raise ModelError(f"embedder metadata {meta_path} is missing", hint=_REEXPORT) from None
            except (OSError, ValueError) as exc:
                raise ModelError(f"embedder metadata {meta_path} is unreadable: {exc}", hint=_REEXPORT) from None
            if not isinstance(meta, dict) or not isinstance(meta.get("sha256"), str):
                raise ModelError(f"embedder metadata {meta_path} has no sha256", hint=_REEXPORT)
            if meta.get("dim", DIM) != DIM:
                raise ModelError(f"embedder metadata {meta_path} says dim={meta.get('dim')}, expected {DIM}",
                                 hint=_REEXPORT)
            self._meta = meta
        return self._meta

    def _read_verified(self, name: str, expected: str | None) -> bytes:
        return read_verified(self.path / name, expected, "embedder", _REEXPORT)

    def _load(self) -> None:
        """Verify and load the tokenizer and the ONNX session: the one place either is created."""
        with self._lock:
            if self._session is not None:
                return
            from tokenizers import Tokenizer

            meta = self._read_meta()
            files = meta.get("files") or {}
            # Read once, hash the bytes, hand the same bytes to the loaders: cheap and no check/use race.
            model_bytes = self._read_verified("model.onnx", meta["sha256"])
            tok_bytes = self._read_verified("tokenizer.json", files.get("tokenizer.json"))
            try:
                tokenizer = Tokenizer.from_str(tok_bytes.decode("utf-8"))
            except Exception as exc:  # tokenizers raises plain Exception
                raise ModelError(f"embedder tokenizer {self.path / 'tokenizer.json'} is invalid: {exc}",
                                 hint=_REEXPORT) from None
            pad_id = tokenizer.token_to_id("[PAD]")
            tokenizer.enable_truncation(self.max_length)
            # tokenizer.json ships fixed 128 padding; pad each batch to its own longest sequence instead.
            tokenizer.no_padding()
            tokenizer.enable_padding(pad_id=0 if pad_id is None else pad_id, pad_token="[PAD]")

            session = cpu_session(model_bytes, self.path / "model.onnx", "embedder", _REEXPORT)
            self._input_names = tuple(i.name for i in session.get_inputs())
            self._tokenizer = tokenizer
            self._session = session

    # -- public API ----------------------------------------------------------------------------------------

    def info(self) -> ModelInfo:
        meta = self._read_meta()
        return ModelInfo(name=str(meta.get("name", "minilm")), version=str(meta.get("version", "?")),
                         sha256=meta["sha256"])

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """``(len(texts), 384)`` float32, one L2-normalised mean-pooled vector per text, in input order."""
        if isinstance(texts, str):
            raise TypeError("encode() takes a sequence of strings, not a single string")
        texts = list(texts)
        for t in texts:
            if not isinstance(t, str):
                raise TypeError(f"encode() takes strings, got {type(t).__name__}")
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        if not texts:
            return out
        if self._session is None:
            self._load()
        batches = length_batches([len(t) for t in texts], self.batch_size, PAD_SHARE)
        vectors = run_batches(self._encode_batch, [[texts[i] for i in idx] for idx in batches],
                              self.threads or default_threads())
        for idx, v in zip(batches, vectors, strict=True):
            out[idx] = v
        return out

    def _encode_batch(self, batch: list[str]) -> np.ndarray:
        enc = self._tokenizer.encode_batch(batch)
        ids = np.array([e.ids for e in enc], dtype=np.int64)
        mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._input_names:
            feeds["token_type_ids"] = np.array([e.type_ids for e in enc], dtype=np.int64)
        (hidden,) = self._session.run(["last_hidden_state"], feeds)
        m = mask.astype(np.float32)[:, :, None]
        pooled = (hidden * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32, copy=False)


PAD_SHARE = 2 / 3  # a text joins a batch only if it is at least this share of the batch's longest


def length_batches(lengths: Sequence[int], batch_size: int, pad_share: float) -> list[list[int]]:
    """Indices in batches, longest first (a too-big batch fails early); a batch closes at ``batch_size`` items or
    where an item is shorter than ``pad_share`` of the batch's first, so a few long inputs do not pad many short
    ones to their length."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i], reverse=True)
    out: list[list[int]] = []
    for i in order:
        if out and len(out[-1]) < batch_size and lengths[i] >= pad_share * lengths[out[-1][0]]:
            out[-1].append(i)
        else:
            out.append([i])
    return out


_pools: dict[tuple[int, int], ThreadPoolExecutor] = {}  # (process id, threads) -> pool
_pools_lock = threading.Lock()
_POOL_PREFIX = "factdesk-model"


def run_batches(fn: Callable[[_T], _R], batches: Sequence[_T], threads: int) -> list[_R]:
    """``[fn(b) for b in batches]``, up to ``threads`` calls at a time on a pool shared by the models (one per
    process: a forked child, e.g. a Spark or gunicorn worker, gets its own, as the parent's threads are not in it)."""
    if threads <= 1 or len(batches) <= 1 or threading.current_thread().name.startswith(_POOL_PREFIX):
        return [fn(b) for b in batches]  # inside a pool thread: inline, as waiting on the pool could deadlock it
    key = (os.getpid(), threads)
    with _pools_lock:
        pool = _pools.get(key)
        if pool is None:
            pool = _pools[key] = ThreadPoolExecutor(threads, thread_name_prefix=_POOL_PREFIX)
    return list(pool.map(fn, batches))


_default: Embedder | None = None
_default_lock = threading.Lock()


def default_embedder() -> Embedder:
    """The process-wide embedder on the shipped model (created once, loaded on first use)."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = Embedder()
    return _default
