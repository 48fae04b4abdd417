"""Stance of evidence towards a claim: agree / disagree / discuss / unrelated (FNC-1 labels).

``StanceModel.predict_proba(claims, bodies)`` takes, per pair, a claim and its evidence as a list of sentences (a
whole article body split into sentences, or one to a few archive sentences) and returns ``(n, 4)`` probabilities
in ``LABELS`` order. Sentence vectors are the shipped MiniLM embeddings (``factdesk.embed``); pass precomputed
ones as ``claim_vecs`` / ``body_vecs`` to skip encoding.

Features (``featurize``; identical at training and run time):

- semantic: cosine of the claim to each evidence sentence (max, top-2/top-3 mean, mean, spread, counts above
  thresholds), cosine to the mean evidence vector, and ``claim*best``, ``|claim-best|`` of the claim vector and
  the best-matching sentence vector (384 + 384 dims);
- lexical: IDF-weighted and plain overlap of the claim's content words with the best sentence, the top three and
  the whole evidence, Jaccard, bigram overlap, number agreement and mismatch, negation in claim vs evidence;
- cue words: per-word log counts of refuting / hedging / confirming words in the top three sentences and in the
  whole evidence (``CUE_WORDS``).

The classifier is a numpy forward pass over ``models/stance/weights.npz`` (no pickles; sha256-checked against
``meta.json`` at load): standardise, keep the columns in ``mask``, then dense layers (ReLU between) and softmax.
The shipped model is one layer, i.e. multinomial logistic regression on the scalar and cue-word blocks (see
``factdesk.training.train_stance`` for why the vector blocks are left out).
"""

from __future__ import annotations

import functools
import math
import re
import threading
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from factdesk.document import ModelInfo
from factdesk.errors import ModelError

LABELS = ("agree", "disagree", "discuss", "unrelated")
MODEL_DIR = Path(__file__).resolve().parent / "models" / "stance"
FEATURE_VERSION = 2
IDF_BITS = 16
DIM = 384
TOPK = 3

__all__ = ["LABELS", "StanceModel", "featurize", "load_stance"]

_RETRAIN = "reinstall factdesk, or retrain with `python -m factdesk.training.train_stance`"

# --------------------------------------------------------------------------- text helpers

_TOKEN = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
STOPWORDS = frozenset(
    """a an the and or but if of to in on at by for with from as into onto about over under after before than then
    that this these those it its it's is are was were be been being am do does did doing have has had having i me
    my we our you your he him his she her they them their what which who whom whose when where why how all any
    both each few more most other some such only own same so too very s t can will just should now also would
    could may might must shall there here up down out off again further once during while through because until
    against between above below said says say according new one two""".split()
)
NEGATIONS = frozenset("not no never neither nor none nobody nothing cannot can't don't doesn't didn't isn't aren't "
                      "wasn't weren't won't wouldn't hasn't haven't hadn't without".split())

# Cue words: each gets its own feature (log count in the top sentences and in the whole evidence).
CUE_WORDS = (
    # refuting
    "fake", "fakes", "faked", "fraud", "hoax", "hoaxes", "false", "falsely", "deny", "denies", "denied", "denial",
    "debunk", "debunked", "debunks", "not", "no", "never", "doubt", "doubts", "doubtful", "misleading", "rumor",
    "rumors", "rumour", "rumours", "myth", "incorrect", "wrong", "untrue", "baseless", "lie", "lies", "lied",
    "fabricated", "satire", "satirical", "prank", "refute", "refuted", "refutes", "reject", "rejected", "dismiss",
    "dismissed", "contrary", "however", "despite", "claim", "claims", "claimed", "nothing", "neither",
    "unsubstantiated", "photoshopped", "parody", "joke", "spoof", "scam", "despite", "actually", "truth",
    # hedging / reporting
    "reportedly", "allegedly", "alleged", "purportedly", "apparently", "appears", "seems", "may", "might", "could",
    "possibly", "possible", "unconfirmed", "unverified", "rumored", "rumoured", "report", "reports", "reported",
    "according", "sources", "believed", "suggest", "suggests", "if", "whether", "speculation", "says", "said",
    # confirming
    "confirmed", "confirms", "confirm", "announced", "official", "officially", "revealed", "shows", "proof",
    "evidence", "true", "indeed", "verified", "statement", "video", "footage", "photo", "photos",
)
REFUTE_WORDS = frozenset(CUE_WORDS[: CUE_WORDS.index("truth") + 1]) - {"claim", "claims", "claimed", "however",
                                                                     "despite", "actually", "truth"}
HEDGE_WORDS = frozenset(CUE_WORDS[CUE_WORDS.index("reportedly") : CUE_WORDS.index("said") + 1]) | {
    "claim", "claims", "claimed"}
CONFIRM_WORDS = frozenset(CUE_WORDS[CUE_WORDS.index("confirmed") :])
_CUE_INDEX = {w: i for i, w in enumerate(dict.fromkeys(CUE_WORDS))}
N_CUES = len(_CUE_INDEX)


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower().replace("’", "'"))


def _hash(tok: str) -> int:
    return zlib.crc32(tok.encode("utf-8")) & ((1 << IDF_BITS) - 1)


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "") for n in _NUMBER.findall(text)}


class _Sent:
    """Per-sentence token data, computed once per evidence list."""

    __slots__ = ("toks", "content", "bigrams", "nums", "neg", "cue", "groups")

    def __init__(self, text: str) -> None:
        toks = _tokens(text)
        self.toks = toks
        self.content = {t for t in toks if t not in STOPWORDS and len(t) > 1}
        self.bigrams = {(a, b) for a, b in zip(toks, toks[1:], strict=False)}
        self.nums = _numbers(text)
        self.neg = sum(1 for t in toks if t in NEGATIONS)
        cue = np.zeros(N_CUES, dtype=np.float32)
        for t in toks:
            j = _CUE_INDEX.get(t)
            if j is not None:
                cue[j] += 1
        self.cue = cue
        self.groups = [[t for t in toks if t in g] for g in (REFUTE_WORDS, HEDGE_WORDS, CONFIRM_WORDS)]


class _Body:
    __slots__ = ("sents", "content", "bigrams", "nums", "cue", "neg", "ntok")

    def __init__(self, sentences: Sequence[str]) -> None:
        self.sents = [_Sent(s) for s in sentences]
        self.content = set().union(*(s.content for s in self.sents)) if self.sents else set()
        self.bigrams = set().union(*(s.bigrams for s in self.sents)) if self.sents else set()
        self.nums = set().union(*(s.nums for s in self.sents)) if self.sents else set()
        self.cue = np.sum([s.cue for s in self.sents], axis=0) if self.sents else np.zeros(N_CUES, np.float32)
        self.neg = sum(s.neg for s in self.sents)
        self.ntok = sum(len(s.toks) for s in self.sents)


N_SCALAR = 43


def _scalar_features(claim: str, c: np.ndarray, S: np.ndarray, body: _Body, idf: np.ndarray) -> tuple:
    """(scalar features, top-3 cue counts, index of the best sentence)."""
    m = S.shape[0]
    sims = S @ c if m else np.zeros(1, np.float32)
    order = np.argsort(-sims, kind="stable")
    ss = sims[order]
    top = order[: min(TOPK, m)] if m else np.zeros(0, dtype=np.int64)
    best = int(order[0]) if m else -1
    mean_vec = S.mean(axis=0) if m else np.zeros(DIM, np.float32)
    nrm = float(np.linalg.norm(mean_vec))
    cos_mean = float(mean_vec @ c / nrm) if nrm > 0 else 0.0

    ctoks = _tokens(claim)
    ccontent = {t for t in ctoks if t not in STOPWORDS and len(t) > 1}
    cbig = {(a, b) for a, b in zip(ctoks, ctoks[1:], strict=False)}
    cnums = _numbers(claim)
    cneg = sum(1 for t in ctoks if t in NEGATIONS)
    w = {t: float(idf[_hash(t)]) for t in ccontent}
    wsum = sum(w.values()) or 1.0
    nc = max(len(ccontent), 1)

    bs = body.sents[best] if m else _Sent("")
    top_content: set[str] = set().union(*(body.sents[i].content for i in top)) if m else set()
    top_nums: set[str] = set().union(*(body.sents[i].nums for i in top)) if m else set()
    top_bigrams = set().union(*(body.sents[i].bigrams for i in top)) if m else set()
    top_neg = sum(body.sents[i].neg for i in top) if m else 0
    top_cue = np.sum([body.sents[i].cue for i in top], axis=0) if m else np.zeros(N_CUES, np.float32)

    def wov(words: set[str]) -> float:
        return sum(v for t, v in w.items() if t in words) / wsum

    union_best = ccontent | bs.content
    cset = set(ctoks)
    grp = []  # cue groups in the best sentence / top sentences that the claim itself does not use
    for g in range(3):
        grp.append(math.log1p(sum(1 for t in bs.groups[g] if t not in cset)))
        grp.append(math.log1p(sum(1 for i in top for t in body.sents[i].groups[g] if t not in cset)) if m else 0.0)
    claim_refute = sum(1 for t in ctoks if t in REFUTE_WORDS)
    f = [
        float(ss[0]),
        float(ss[: 2].mean()),
        float(ss[: 3].mean()),
        float(sims.mean()),
        float(ss[0] - sims.mean()),
        float(sims.std()),
        float(np.mean(sims > 0.4)),
        float(np.mean(sims > 0.6)),
        math.log1p(float(np.sum(sims > 0.5))),
        cos_mean,
        math.log1p(m) / 4.0,
        math.log1p(body.ntok) / 7.0,
        math.log1p(len(ctoks)) / 4.0,
        wov(bs.content),
        wov(top_content),
        wov(body.content),
        len(ccontent & bs.content) / nc,
        len(ccontent & top_content) / nc,
        len(ccontent & body.content) / nc,
        len(ccontent & bs.content) / max(len(union_best), 1),
        len(cbig & top_bigrams) / max(len(cbig), 1),
        len(cbig & body.bigrams) / max(len(cbig), 1),
        float(bool(cnums)),
        len(cnums & top_nums) / max(len(cnums), 1) if cnums else 0.0,
        len(cnums - body.nums) / max(len(cnums), 1) if cnums else 0.0,
        float(bool(bs.nums - cnums)) if cnums else 0.0,
        float(cneg > 0),
        float(bs.neg > 0),
        float((cneg > 0) != (bs.neg > 0)),
        math.log1p(top_neg),
        math.log1p(body.neg) / 2.0,
        body.neg / max(body.ntok, 1) * 20.0,
        float(m == 1),
        float(ss[1]) if m > 1 else float(ss[0]),
        *grp,
        math.log1p(claim_refute),
        float((claim_refute > 0) != (grp[0] > 0)),
        math.log1p(sum(1 for t in ctoks if t in HEDGE_WORDS)),
    ]
    return f, top_cue, best


def featurize(
    claims: Sequence[str],
    bodies: Sequence[Sequence[str]],
    claim_vecs: np.ndarray,
    body_vecs: Sequence[np.ndarray],
    idf: np.ndarray,
) -> np.ndarray:
    """``(n, N_SCALAR + 2*N_CUES + 2*384)`` float32 features; identical evidence lists are tokenised once."""
    n = len(claims)
    out = np.zeros((n, N_SCALAR + 2 * N_CUES + 2 * DIM), dtype=np.float32)
    cache: dict[tuple[str, ...], _Body] = {}
    for i in range(n):
        sents = bodies[i]
        key = tuple(sents)
        body = cache.get(key)
        if body is None:
            body = cache[key] = _Body(sents)
        S = np.asarray(body_vecs[i], dtype=np.float32).reshape(-1, DIM)
        c = np.asarray(claim_vecs[i], dtype=np.float32)
        f, top_cue, best = _scalar_features(claims[i], c, S, body, idf)
        out[i, :N_SCALAR] = f
        out[i, N_SCALAR : N_SCALAR + N_CUES] = np.log1p(top_cue)
        out[i, N_SCALAR + N_CUES : N_SCALAR + 2 * N_CUES] = np.log1p(body.cue)
        if best >= 0:
            b = S[best]
            o = N_SCALAR + 2 * N_CUES
            out[i, o : o + DIM] = c * b * 10.0
            out[i, o + DIM : o + 2 * DIM] = np.abs(c - b) * 10.0
    return out


def feature_blocks() -> dict[str, tuple[int, int]]:
    o = N_SCALAR + 2 * N_CUES
    return {"scalar": (0, N_SCALAR), "cue_top": (N_SCALAR, N_SCALAR + N_CUES),
            "cue_body": (N_SCALAR + N_CUES, o), "prod": (o, o + DIM), "absdiff": (o + DIM, o + 2 * DIM)}


# --------------------------------------------------------------------------- model


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


class StanceModel:
    """Shipped stance classifier: features from ``featurize`` → standardise → MLP (ReLU) → softmax."""

    def __init__(self, meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> None:
        self.meta = meta
        try:
            self.idf = arrays["idf"].astype(np.float32)
            self.mean = arrays["mean"].astype(np.float32)
            self.scale = arrays["scale"].astype(np.float32)
            nl = int(meta["model"]["n_layers"])
            self.layers = [(arrays[f"W{k}"].astype(np.float32), arrays[f"b{k}"].astype(np.float32))
                           for k in range(nl)]
            self.mask = arrays["mask"].astype(bool) if "mask" in arrays else None
        except KeyError as e:
            raise ModelError(f"stance model weights have no array {e}", hint=_RETRAIN) from None
        if tuple(meta.get("labels", ())) != LABELS:
            raise ModelError(f"stance model labels {meta.get('labels')} are not {list(LABELS)}", hint=_RETRAIN)
        if int(meta.get("feature_version", -1)) != FEATURE_VERSION:
            raise ModelError(f"stance model was trained on feature version {meta.get('feature_version')}, "
                             f"this factdesk computes version {FEATURE_VERSION}", hint=_RETRAIN)
        if self.idf.shape != (1 << IDF_BITS,):
            raise ModelError("stance model idf table has the wrong size", hint=_RETRAIN)
        self._embedder = None
        self._lock = threading.Lock()

    @classmethod
    def load(cls, root: Path | str | None = None) -> StanceModel:
        from factdesk.textmodel import read_npz_artifact

        return cls(*read_npz_artifact("stance", Path(root) if root is not None else MODEL_DIR))

    def info(self) -> ModelInfo:
        return ModelInfo(name=str(self.meta.get("name", "stance")), version=str(self.meta.get("version", "?")),
                         sha256=self.meta.get("sha256"))

    def _encode(self, texts: list[str]) -> np.ndarray:
        if self._embedder is None:
            with self._lock:
                if self._embedder is None:
                    from factdesk.embed import default_embedder

                    self._embedder = default_embedder()
        return self._embedder.encode(texts)

    def features(self, claims, bodies, *, claim_vecs=None, body_vecs=None) -> np.ndarray:
        claims = list(claims)
        bodies = [b if isinstance(b, list) else ([b] if isinstance(b, str) else list(b)) for b in bodies]
        if len(claims) != len(bodies):
            raise ValueError(f"{len(claims)} claims but {len(bodies)} bodies")
        if claim_vecs is None:
            claim_vecs = self._encode(claims)
        claim_vecs = np.asarray(claim_vecs, dtype=np.float32).reshape(len(claims), DIM)
        if body_vecs is None:
            # encode each distinct sentence once
            uniq = list(dict.fromkeys(s for b in bodies for s in b))
            vecs = self._encode(uniq) if uniq else np.zeros((0, DIM), np.float32)
            pos = {s: i for i, s in enumerate(uniq)}
            body_vecs = [vecs[[pos[s] for s in b]] if b else np.zeros((0, DIM), np.float32) for b in bodies]
        elif len(body_vecs) != len(bodies):
            raise ValueError(f"{len(bodies)} bodies but {len(body_vecs)} body_vecs")
        return featurize(claims, bodies, claim_vecs, body_vecs, self.idf)

    def proba_from_features(self, X: np.ndarray) -> np.ndarray:
        h = (X - self.mean) / self.scale
        if self.mask is not None:
            h = h[:, self.mask]
        for k, (W, b) in enumerate(self.layers):
            h = h @ W + b
            if k < len(self.layers) - 1:
                np.maximum(h, 0.0, out=h)
        return _softmax(h.astype(np.float64))

    def predict_proba(
        self,
        claims: Sequence[str],
        bodies: Sequence[Sequence[str]],
        *,
        claim_vecs: np.ndarray | None = None,
        body_vecs: Sequence[np.ndarray] | None = None,
    ) -> np.ndarray:
        """``(n, 4)`` probabilities in ``LABELS`` order; ``bodies[i]`` is the evidence as a list of sentences."""
        if isinstance(claims, str):
            raise TypeError("predict_proba() takes a sequence of claims, not a single string")
        if len(claims) == 0:
            return np.zeros((0, len(LABELS)))
        return self.proba_from_features(
            self.features(claims, bodies, claim_vecs=claim_vecs, body_vecs=body_vecs))

    def predict(self, claims, bodies, **kw) -> list[str]:
        return [LABELS[i] for i in np.argmax(self.predict_proba(claims, bodies, **kw), axis=1)]


@functools.cache
def load_stance() -> StanceModel:
    """The shipped stance model, loaded once per process."""
    return StanceModel.load()
