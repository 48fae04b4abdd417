"""Headline-vs-body stance (the FNC-1 task): does an article body agree with a headline, deny it, discuss it or
not address it at all?

Inputs of the shipped model (``models/headline_stance``): the headline's and the body's term-frequency vectors
over a 5,000-word vocabulary (lower-cased words of two or more letters or digits, English stop words left out,
each vector L2-normalised), the cosine of their TF-IDF vectors, and all 1,027 features of the ``stance`` model
(MiniLM cosines, claim × best-sentence vectors, overlaps, cue words; that model itself uses 259 of them),
standardised and scaled. One hidden layer (ReLU) and a softmax over ``LABELS``. It reads whole news bodies, as
FNC-1 has them; ``factdesk eval fnc1`` scores it. ``check`` keeps the claim/evidence ``stance`` model, which reads
single evidence sentences (on those this one is unreliable: MODELS.md).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .document import ModelInfo
from .errors import ModelError
from .stance import LABELS, StanceModel, load_stance

MODEL_DIR = Path(__file__).resolve().parent / "models" / "headline_stance"
_RETRAIN = "reinstall factdesk, or re-run `factdesk train headline_stance` in the training venv"
_WORD = re.compile(r"\b\w\w+\b")


def words(text: str) -> list[str]:
    """The model's tokens: lower-cased runs of two or more word characters."""
    return _WORD.findall(text.lower())


def term_vectors(texts: Sequence[str], vocab: dict[str, int], idf: np.ndarray
                 ) -> tuple[list[tuple[np.ndarray, np.ndarray]], list[np.ndarray]]:
    """Per text, the L2-normalised term-frequency vector as ``(indices, values)`` and the L2-normalised TF-IDF
    values over the same indices (words outside ``vocab`` are ignored)."""
    tf, tfidf = [], []
    for t in texts:
        counts = Counter(i for i in (vocab.get(w) for w in words(t)) if i is not None)
        idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        val = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
        w = val * idf[idx]
        tf.append((idx, val / (np.linalg.norm(val) or 1.0)))
        tfidf.append(w / (np.linalg.norm(w) or 1.0))
    return tf, tfidf


def _cosine(a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]) -> float:
    common, ia, ib = np.intersect1d(a[0], b[0], assume_unique=True, return_indices=True)
    return float(a[1][ia] @ b[1][ib]) if len(common) else 0.0


class HeadlineStanceModel:
    """The shipped FNC-1 model: ``predict_proba(headlines, bodies)`` like ``StanceModel``'s."""

    def __init__(self, meta: dict[str, Any], arrays: dict[str, np.ndarray], stance: StanceModel) -> None:
        self.meta = meta
        try:
            self.vocab = {str(w): i for i, w in enumerate(arrays["vocab"].tolist())}
            self.idf = arrays["idf"].astype(np.float32)
            self.mean, self.scale = arrays["mean"].astype(np.float32), arrays["scale"].astype(np.float32)
            self.W1, self.b1 = arrays["W1"].astype(np.float32), arrays["b1"].astype(np.float32)
            self.W2, self.b2 = arrays["W2"].astype(np.float32), arrays["b2"].astype(np.float32)
        except KeyError as e:
            raise ModelError(f"headline stance weights have no array {e}", hint=_RETRAIN) from None
        if tuple(meta.get("labels", ())) != LABELS:
            raise ModelError(f"headline stance labels {meta.get('labels')} are not {list(LABELS)}", hint=_RETRAIN)
        wanted = meta.get("stance_sha256")
        if wanted != stance.meta.get("sha256"):
            raise ModelError("headline stance model was trained on another stance model's features "
                             f"(sha256 {str(wanted)[:12]}…, shipped {str(stance.meta.get('sha256'))[:12]}…)",
                             hint=_RETRAIN)
        v = len(self.vocab)
        if self.idf.shape != (v,) or self.W1.shape[0] != 2 * v + 1 + len(self.mean):
            raise ModelError("headline stance weights do not fit its vocabulary", hint=_RETRAIN)
        self.stance = stance
        self.feature_weight = float(meta["model"]["feature_weight"])

    @classmethod
    def load(cls, root: Path | str | None = None, stance: StanceModel | None = None) -> HeadlineStanceModel:
        from .textmodel import read_npz_artifact

        meta, arrays = read_npz_artifact("headline_stance", Path(root) if root is not None else MODEL_DIR)
        if not isinstance(meta.get("model"), dict):
            raise ModelError(f"headline stance model: {root or MODEL_DIR}/meta.json has no model description",
                             hint=_RETRAIN)
        return cls(meta, arrays, stance if stance is not None else load_stance())

    def info(self) -> ModelInfo:
        return ModelInfo(name=str(self.meta.get("name", "headline_stance")),
                         version=str(self.meta.get("version", "?")), sha256=self.meta.get("sha256"))

    def hidden_inputs(self, headlines: Sequence[str], bodies: Sequence[Sequence[str]], *,
                      claim_vecs: np.ndarray | None = None,
                      body_vecs: Sequence[np.ndarray] | None = None) -> np.ndarray:
        """The first layer's pre-activations ``x @ W1 + b1`` (the sparse term vectors are summed row by row)."""
        bodies = [list(b) for b in bodies]
        dense = self.stance.features(headlines, bodies, claim_vecs=claim_vecs, body_vecs=body_vecs)
        z = (self.feature_weight * (dense - self.mean) / self.scale) @ self.W1[-len(self.mean):] + self.b1
        v = len(self.vocab)
        h_tf, h_w = term_vectors(headlines, self.vocab, self.idf)
        distinct = list({id(b): b for b in bodies}.values())  # a body shared by many headlines: counted once
        pos = {id(b): i for i, b in enumerate(distinct)}
        b_tf, b_w = term_vectors([" ".join(b) for b in distinct], self.vocab, self.idf)
        for r, body in enumerate(bodies):
            (hi, hv), j = h_tf[r], pos[id(body)]
            bi, bv = b_tf[j]
            z[r] += hv @ self.W1[hi] + bv @ self.W1[v + bi]
            z[r] += _cosine((hi, h_w[r]), (bi, b_w[j])) * self.W1[2 * v]
        return z

    def predict_proba(self, headlines: Sequence[str], bodies: Sequence[Sequence[str]], *,
                      claim_vecs: np.ndarray | None = None,
                      body_vecs: Sequence[np.ndarray] | None = None) -> np.ndarray:
        """``(n, 4)`` probabilities in ``LABELS`` order; ``bodies[i]`` is a body as a list of sentences."""
        if isinstance(headlines, str):
            raise TypeError("predict_proba() takes a sequence of headlines, not a single string")
        if len(headlines) == 0:
            return np.zeros((0, len(LABELS)))
        h = np.maximum(self.hidden_inputs(headlines, bodies, claim_vecs=claim_vecs, body_vecs=body_vecs), 0.0)
        z = (h @ self.W2 + self.b2).astype(np.float64)
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)


@functools.cache
def load_headline_stance() -> HeadlineStanceModel:
    """The shipped headline-vs-body model, loaded once per process."""
    return HeadlineStanceModel.load()
