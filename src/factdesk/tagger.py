"""Propaganda spans from the shipped int8 ONNX token tagger (MiniLM fine-tuned on PTC SI), without torch.

``SpanTagger(...)`` only stores settings; the ONNX session and the tokenizer load on first use (``_load``), after
checking ``model.onnx`` and ``tokenizer.json`` against the sha256 recorded in ``meta.json``.

Decoding (the same code produced the dev figures in meta.json): P(inside) per wordpiece = 1 − P(O); a word
(BERT pre-tokenizer word: letters/digits, or one punctuation mark) gets the mean over its wordpieces. A span is
a maximal run of consecutive words at or above the *extend* level that holds at least one word at or above the
*threshold* (hysteresis: confident words seed a span, weaker neighbours widen it instead of splitting it into
fragments); it is snapped outwards so no word is cut (``don't``, ``so-called``), and a span without a letter or
digit is dropped. Score = mean word probability of the span. Both levels come from meta.json.
Texts longer than ``max_length`` wordpieces are tagged in consecutive windows, by default one window per ONNX
call (``batch_size=1``; see ``factdesk.embed`` for why), spread over ``threads`` calls at a time.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .document import ModelInfo
from .embed import cpu_session, default_threads, length_batches, read_verified, run_batches
from .errors import ModelError

DEFAULT_MODEL_DIR = Path(__file__).resolve().parent / "models" / "ptc_tagger"
_RETRAIN = (
    "reinstall factdesk, or re-run `factdesk train ptc_tagger --out src/factdesk/models/ptc_tagger` "
    "in the training venv"
)
Span = tuple[int, int, float]
PAD_SHARE = 0.75  # a window joins a batch only if it is at least this share of the batch's longest
CHUNK = 256  # texts tagged at a time where their states are kept (``Tagging.states``: 1.5 KB per wordpiece)
WordProbs = tuple[list[tuple[int, int]], np.ndarray]


_JOINERS = "'’-"


def _joined(text: str, i: int) -> bool:
    """Whether the boundary before ``text[i]`` lies inside a word (letters/digits, or an apostrophe or hyphen
    between two of them)."""
    if i <= 0 or i >= len(text):
        return False
    a, b = text[i - 1], text[i]
    if a.isalnum() and b.isalnum():
        return True
    if a.isalnum() and b in _JOINERS:
        return i + 1 < len(text) and text[i + 1].isalnum()
    if a in _JOINERS and b.isalnum():
        return i >= 2 and text[i - 2].isalnum()
    return False


def snap(text: str, s: int, e: int) -> tuple[int, int]:
    """Widen ``[s, e)`` to whole words: never start or end inside a word (``don't``, ``so-called``)."""
    while _joined(text, s):
        s -= 1
    while _joined(text, e):
        e += 1
    return s, e


@dataclass(slots=True)
class Tagging:
    """One text as the tagger saw it: words with P(inside), and per wordpiece its character offsets and the
    encoder's last hidden state (None when the graph does not output it)."""

    words: list[tuple[int, int]]
    probs: np.ndarray
    pieces: list[tuple[int, int]]
    states: np.ndarray | None

    def features(self, start: int, end: int) -> np.ndarray | None:
        """The span ``[start, end)`` as the technique model reads it: the mean state over its wordpieces, the
        mean over the whole text, and the states of its first and last wordpiece (4 × 384 values)."""
        if self.states is None or not len(self.pieces):
            return None
        inside = [j for j, (s, e) in enumerate(self.pieces) if s < end and e > start]
        if not inside:  # a span between wordpieces (whitespace): the nearest wordpiece after it
            inside = [min(range(len(self.pieces)), key=lambda j: abs(self.pieces[j][0] - start))]
        h = self.states
        return np.concatenate([h[inside].mean(axis=0), h.mean(axis=0), h[inside[0]], h[inside[-1]]])


class SpanTagger:
    """Character spans of propaganda in each text, from the int8 MiniLM token tagger.

    ``batch_size``: windows per ONNX call (1: each text's probabilities independent of the others).
    ``threads``: calls run at once (default ``factdesk.embed.default_threads()``)."""

    def __init__(
        self,
        path: Path | None = None,
        *,
        threshold: float | None = None,
        max_length: int | None = None,
        batch_size: int = 1,
        threads: int | None = None,
    ) -> None:
        if max_length is not None and max_length < 3:
            raise ValueError("max_length must be at least 3 (room for [CLS], one wordpiece and [SEP])")
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        if threads is not None and threads < 1:
            raise ValueError("threads must be at least 1")
        if threshold is not None and not 0.0 <= threshold <= 1.0:
            raise ValueError("threshold must be between 0 and 1")
        self.path = Path(path) if path is not None else DEFAULT_MODEL_DIR
        self._threshold = threshold
        self._max_length = max_length
        self.batch_size = batch_size
        self.threads = threads
        self._meta: dict[str, Any] | None = None
        self._session: Any = None
        self._tokenizer: Any = None
        self._input_names: tuple[str, ...] = ()
        self._outputs: list[str] = ["logits"]
        self._outside = 0
        self._special: tuple[int, int, int] = (101, 102, 0)
        self._lock = threading.Lock()

    # -- loading -------------------------------------------------------------------------------------------

    @property
    def meta(self) -> dict[str, Any]:
        return self._read_meta()

    @property
    def threshold(self) -> float:
        if self._threshold is not None:
            return self._threshold
        return float(self._read_meta().get("threshold", 0.5))

    @property
    def max_length(self) -> int:
        if self._max_length is not None:
            return self._max_length
        return int(self._read_meta().get("max_length", 128))

    def _read_meta(self) -> dict[str, Any]:
        if self._meta is None:
            meta_path = self.path / "meta.json"
            try:
                meta = json.loads(meta_path.read_text(encoding="utf-8"))
            except FileNotFoundError:
                raise ModelError(f"span tagger metadata {meta_path} is missing", hint=_RETRAIN) from None
            except (OSError, ValueError) as exc:
                raise ModelError(f"span tagger metadata {meta_path} is unreadable: {exc}", hint=_RETRAIN) from None
            if not isinstance(meta, dict) or not isinstance(meta.get("sha256"), str):
                raise ModelError(f"span tagger metadata {meta_path} has no sha256", hint=_RETRAIN)
            labels = meta.get("labels")
            if not isinstance(labels, list) or "O" not in labels or len(labels) < 2:
                raise ModelError(f"span tagger metadata {meta_path} has no label list with 'O'", hint=_RETRAIN)
            self._meta = meta
        return self._meta

    def _read_verified(self, name: str, expected: str | None) -> bytes:
        return read_verified(self.path / name, expected, "span tagger", _RETRAIN)

    def _load(self) -> None:
        """Verify and load the tokenizer and the ONNX session: the one place either is created."""
        with self._lock:
            if self._session is not None:
                return
            from tokenizers import Tokenizer

            meta = self._read_meta()
            files = meta.get("files") or {}
            model_bytes = self._read_verified("model.onnx", meta["sha256"])
            tok_bytes = self._read_verified("tokenizer.json", files.get("tokenizer.json"))
            try:
                tokenizer = Tokenizer.from_str(tok_bytes.decode("utf-8"))
            except Exception as exc:  # tokenizers raises plain Exception
                raise ModelError(f"span tagger tokenizer {self.path / 'tokenizer.json'} is invalid: {exc}",
                                 hint=_RETRAIN) from None
            # whole texts, no padding: windows and padding are built here
            tokenizer.no_truncation()
            tokenizer.no_padding()
            cls_id, sep_id, pad_id = (tokenizer.token_to_id(t) for t in ("[CLS]", "[SEP]", "[PAD]"))
            if cls_id is None or sep_id is None:
                raise ModelError(f"span tagger tokenizer {self.path / 'tokenizer.json'} lacks [CLS]/[SEP]",
                                 hint=_RETRAIN)

            session = cpu_session(model_bytes, self.path / "model.onnx", "span tagger", _RETRAIN)
            if "logits" not in {o.name for o in session.get_outputs()}:
                raise ModelError(f"span tagger model {self.path / 'model.onnx'} has no 'logits' output",
                                 hint=_RETRAIN)
            self._input_names = tuple(i.name for i in session.get_inputs())
            self._outputs = ["logits"] + (["hidden"] if "hidden" in {o.name for o in session.get_outputs()} else [])
            self._outside = list(meta["labels"]).index("O")
            self._special = (cls_id, sep_id, 0 if pad_id is None else pad_id)
            self._tokenizer = tokenizer
            self._session = session

    # -- public API ----------------------------------------------------------------------------------------

    def info(self) -> ModelInfo:
        meta = self._read_meta()
        return ModelInfo(name=str(meta.get("name", "ptc_tagger")), version=str(meta.get("version", "?")),
                         sha256=meta["sha256"])

    @property
    def extend(self) -> float:
        return float(self._read_meta().get("extend_threshold", self.threshold))

    def spans(self, texts: Sequence[str], threshold: float | None = None,
              extend: float | None = None) -> list[list[Span]]:
        """Per text, ``(start, end, score)`` character spans (``text[start:end]``), in order, not overlapping.
        ``threshold`` / ``extend``: the seed and widening levels (default: meta.json's; ``extend`` is never
        above ``threshold``)."""
        texts = self._check(texts)
        thr, ext = self.levels(threshold, extend)
        return [self.decode(t, w, p, thr, ext) for t, (w, p) in zip(texts, self.word_probs(texts), strict=True)]

    def levels(self, threshold: float | None = None, extend: float | None = None) -> tuple[float, float]:
        """The seed and widening levels ``spans`` decodes with: the given ones, else meta.json's; ``extend`` is
        never above ``threshold``."""
        thr = self.threshold if threshold is None else threshold
        return thr, min(thr, self.extend if extend is None else extend)

    def word_probs(self, texts: Sequence[str]) -> list[WordProbs]:
        """Per text: the words' ``(start, end)`` character offsets and their P(inside a propaganda span)."""
        return [(t.words, t.probs) for t in self.tag(texts)]

    def tag(self, texts: Sequence[str]) -> list[Tagging]:
        """Per text: its words and their P(inside), plus the encoder's state per wordpiece (for span features)."""
        texts = self._check(texts)
        if not texts:
            return []
        if self._session is None:
            self._load()
        encs = self._tokenizer.encode_batch(texts)
        # one window = up to max_length - 2 wordpieces of one text (specials stripped, re-added per window)
        step = self.max_length - 2
        windows: list[tuple[int, int, int]] = []  # (text index, first wordpiece, end wordpiece)
        inner: list[tuple[list[int], list[tuple[int, int]], list[int | None]]] = []
        for i, enc in enumerate(encs):
            # each Encoding attribute read builds a new list: read each once (per wordpiece it was quadratic)
            special, all_ids, offsets, word_ids = enc.special_tokens_mask, enc.ids, enc.offsets, enc.word_ids
            keep = [j for j, sp in enumerate(special) if not sp]
            ids = [all_ids[j] for j in keep]
            inner.append((ids, [offsets[j] for j in keep], [word_ids[j] for j in keep]))
            for lo in range(0, len(ids), step):
                windows.append((i, lo, min(lo + step, len(ids))))
        probs = [np.zeros(len(x[0]), dtype=np.float32) for x in inner]
        states: list[np.ndarray | None] = [None] * len(inner)
        batches = self._batches(windows)
        results = run_batches(self._run, [[inner[i][0][a:b] for i, a, b in batch] for batch in batches],
                              self.threads or default_threads())
        for batch, (out, hidden) in zip(batches, results, strict=True):
            for r, ((i, a, b), row) in enumerate(zip(batch, out, strict=True)):
                probs[i][a:b] = row[1 : 1 + b - a]
                if hidden is not None:
                    if states[i] is None:
                        states[i] = np.zeros((len(inner[i][0]), hidden.shape[-1]), dtype=np.float32)
                    states[i][a:b] = hidden[r, 1 : 1 + b - a]
        result: list[Tagging] = []
        for (_, offsets, word_ids), p, h in zip(inner, probs, states, strict=True):
            words: list[tuple[int, int]] = []
            sums: list[float] = []
            counts: list[int] = []
            last: int | None = None
            for (s, e), w, pi in zip(offsets, word_ids, p, strict=True):
                if w is not None and w == last and words:
                    words[-1] = (words[-1][0], max(words[-1][1], e))
                    sums[-1] += float(pi)
                    counts[-1] += 1
                else:
                    words.append((s, e))
                    sums.append(float(pi))
                    counts.append(1)
                last = w
            result.append(Tagging(words, np.array(sums, dtype=np.float32) / np.maximum(np.array(counts), 1),
                                  offsets, h))
        return result

    def iter_tag(self, texts: Sequence[str]) -> Iterator[Tagging]:
        """``tag``, ``CHUNK`` texts at a time: only one chunk's states (1.5 KB per wordpiece) are held."""
        texts = self._check(texts)
        for lo in range(0, len(texts), CHUNK):
            yield from self.tag(texts[lo : lo + CHUNK])

    def span_features(self, texts: Sequence[str], spans: Sequence[tuple[int, int]]) -> np.ndarray:
        """``(len(texts), 4 * 384)`` span features (see ``Tagging.features``), span i being ``texts[i][a:b]``."""
        texts = self._check(texts)
        if len(texts) != len(spans):
            raise ValueError(f"{len(texts)} texts but {len(spans)} spans")
        rows = [t.features(a, b) for t, (a, b) in zip(self.iter_tag(texts), spans, strict=True)]
        if any(r is None for r in rows):
            raise ModelError(f"span tagger model {self.path / 'model.onnx'} has no 'hidden' output", hint=_RETRAIN)
        return np.stack(rows) if rows else np.zeros((0, 0), dtype=np.float32)

    @staticmethod
    def decode(text: str, words: list[tuple[int, int]], probs: np.ndarray, threshold: float,
               extend: float | None = None) -> list[Span]:
        """Spans of ``text`` from its words' probabilities (see the module docstring)."""
        low = threshold if extend is None else min(extend, threshold)
        out: list[Span] = []
        i, n = 0, len(words)
        while i < n:
            if probs[i] < low:
                i += 1
                continue
            j = i
            while j + 1 < n and probs[j + 1] >= low:
                j += 1
            if float(np.max(probs[i : j + 1])) < threshold:
                i = j + 1
                continue
            s, e = snap(text, words[i][0], words[j][1])
            score = float(np.mean(probs[i : j + 1]))
            if any(c.isalnum() for c in text[s:e]):
                if out and s <= out[-1][1]:  # snapping can make neighbours touch: one span
                    ps, _, psc = out[-1]
                    out[-1] = (ps, max(e, out[-1][1]), round(max(psc, score), 4))
                else:
                    out.append((s, e, round(score, 4)))
            i = j + 1
        return out

    # -- internals -----------------------------------------------------------------------------------------

    @staticmethod
    def _check(texts: Sequence[str]) -> list[str]:
        if isinstance(texts, str):
            raise TypeError("spans() takes a sequence of strings, not a single string")
        texts = list(texts)
        for t in texts:
            if not isinstance(t, str):
                raise TypeError(f"spans() takes strings, got {type(t).__name__}")
        return texts

    def _batches(self, windows: list[tuple[int, int, int]]) -> list[list[tuple[int, int, int]]]:
        """Longest first; a batch closes at ``batch_size`` windows or when the next window is under
        ``PAD_SHARE`` of the batch's longest, so little of a batch is padding (one article's sentences are
        usually a single short batch, where padding to its longest sentence would cost more than extra calls)."""
        lengths = [b - a + 2 for _, a, b in windows]  # with [CLS] and [SEP]
        return [[windows[i] for i in idx] for idx in length_batches(lengths, self.batch_size, PAD_SHARE)]

    def _run(self, seqs: list[list[int]]) -> tuple[list[np.ndarray], np.ndarray | None]:
        """P(inside) per position (with [CLS] at 0) for each wordpiece sequence, and the hidden states
        (batch, position, dim) when the graph has them."""
        cls_id, sep_id, pad_id = self._special
        n = max(len(s) for s in seqs) + 2
        ids = np.full((len(seqs), n), pad_id, dtype=np.int64)
        mask = np.zeros((len(seqs), n), dtype=np.int64)
        for r, s in enumerate(seqs):
            ids[r, : len(s) + 2] = [cls_id, *s, sep_id]
            mask[r, : len(s) + 2] = 1
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._input_names:
            feeds["token_type_ids"] = np.zeros_like(ids)
        outputs = self._session.run(self._outputs, feeds)
        logits = outputs[0]
        z = logits - logits.max(axis=-1, keepdims=True)
        ez = np.exp(z)
        p_out = ez[..., self._outside] / ez.sum(axis=-1)
        return list(1.0 - p_out), (outputs[1] if len(outputs) > 1 else None)


_default: SpanTagger | None = None
_default_lock = threading.Lock()


def default_tagger() -> SpanTagger:
    """The process-wide tagger on the shipped model (created once, loaded on first use)."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = SpanTagger()
    return _default
