"""Runtime for the shipped text models: hashed n-gram linear classifiers and a phrase lexicon.

Artifacts live in ``factdesk/models/<name>/`` and are never pickles:

- ``meta.json``: name, version, kind (``binary`` | ``multiclass`` | ``lexicon``), featurizer settings, data,
  licences, dev metrics, ``files`` (sha256 of each file) and ``sha256`` of the main file.
- ``weights.npz`` (classifiers): ``coef`` (k, D) float16, ``intercept`` (k,) and, per featurizer block with
  IDF, ``idf_<block>`` (n_features,) float16.
- ``phrases.tsv`` (lexicon): ``phrase<TAB>technique<TAB>score<TAB>count`` with a header line.

Text is featurised as scikit-learn's stateless ``HashingVectorizer`` does it (no fitted vocabulary; recomputed
here with ``mmh3`` by ``HashedNgrams`` so that a run never imports scikit-learn), then sublinear TF, IDF weights
over the hash buckets and L2 norm per block, as recorded in meta.json.

Optionally (``featurizer.embedding`` in meta.json) a dense block of sentence embeddings is appended: the
shipped MiniLM or a fine-tuned encoder stored beside the classifier (``EMBEDDING_MODELS``; ``factdesk.embed``,
created lazily once per process), and, with ``context_weight`` > 0, the embeddings of the
previous and next sentence (``predict_proba(texts, prev=..., next=...)``). Without that key the featurizer is
exactly the hashed n-gram one.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from factdesk.document import ModelInfo
from factdesk.errors import ModelError

MODELS_ROOT = Path(__file__).resolve().parent / "models"

__all__ = [
    "HashFeaturizer",
    "MODELS_ROOT",
    "MultiClassClassifier",
    "MultiLabelClassifier",
    "PhraseHit",
    "PhraseLexicon",
    "TextClassifier",
    "load_model",
    "word_tokens",
]


# =========================================================================== artifact files


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _model_dir(name: str, root: Path | str | None) -> Path:
    if not name or "/" in name or "\\" in name or name.startswith("."):
        raise ModelError(f"invalid model name {name!r}")
    return Path(root if root is not None else MODELS_ROOT) / name


def _read_meta(name: str, d: Path) -> dict[str, Any]:
    p = d / "meta.json"
    if not p.is_file():
        raise ModelError(f"model {name!r} is missing: no {p}", hint="reinstall factdesk or retrain the model")
    try:
        meta = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ModelError(f"model {name!r}: cannot read {p}: {e}".replace("\n", " ")) from None
    if not isinstance(meta, dict):
        raise ModelError(f"model {name!r}: {p} is not a JSON object")
    return meta


def read_npz_artifact(name: str, d: Path,
                      main_file: str = "weights.npz") -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """An artifact folder's meta.json and its verified arrays (every file checked against its recorded sha256)."""
    meta = _read_meta(name, d)
    path = _verify(name, d, meta, main_file)
    try:
        with np.load(path, allow_pickle=False) as z:
            return meta, {k: z[k] for k in z.files}
    except (OSError, ValueError) as e:
        raise ModelError(f"model {name!r}: cannot read {path}: {e}".replace("\n", " ")) from None


def _verify(name: str, d: Path, meta: dict[str, Any], main_file: str) -> Path:
    """Check every file listed in meta['files'] (and the main file against meta['sha256'])."""
    expected = dict(meta.get("files") or {})
    if meta.get("sha256"):
        expected.setdefault(main_file, meta["sha256"])
        if expected[main_file] != meta["sha256"]:
            raise ModelError(f"model {name!r}: meta.json lists two different sha256 for {main_file}")
    if main_file not in expected:
        raise ModelError(f"model {name!r}: meta.json records no sha256 for {main_file}")
    for fname, want in expected.items():
        p = d / fname
        if not p.is_file():
            raise ModelError(f"model {name!r} is missing {p}", hint="reinstall factdesk or retrain the model")
        got = sha256_file(p)
        if got != want:
            raise ModelError(
                f"model {name!r}: sha256 of {fname} is {got[:12]}…, meta.json expects {str(want)[:12]}…",
                hint="the artifact is corrupt or was replaced; reinstall factdesk or retrain the model",
            )
    return d / main_file


# =========================================================================== featurizer

_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "\u00a0": " "})
_DIGIT = re.compile(r"\d")
_PERCENT_MONEY = re.compile(r"%|\bper ?cent\b|[$€£¥]|\b(?:dollars?|euros?|pounds?)\b", re.I)
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")


def _extra_feature(name: str, text: str) -> float:
    if name == "has_digit":
        return 1.0 if _DIGIT.search(text) else 0.0
    if name == "has_percent_or_money":
        return 1.0 if _PERCENT_MONEY.search(text) else 0.0
    if name == "has_year":
        return 1.0 if _YEAR.search(text) else 0.0
    if name == "log_words":  # ~0 for 1 word, ~1 for 50 words
        return math.log1p(len(text.split())) / 4.0
    if name == "short":
        return 1.0 if len(text.split()) < 5 else 0.0
    raise ModelError(f"unknown extra feature {name!r} in model meta.json")


# embedding "model" key in a featurizer spec → its directory, relative to the models root the classifier is in
EMBEDDING_MODELS = {"minilm": "minilm", "clickbait-encoder": "clickbait/encoder"}


def _embedding_dir(model: str, root: Path | str | None = None) -> Path:
    """The embedder beside the classifier (under ``root``) if there is one there, else the shipped one."""
    if model not in EMBEDDING_MODELS:
        raise ModelError(f"unknown embedding model {model!r} in model meta.json")
    local = Path(root if root is not None else MODELS_ROOT) / EMBEDDING_MODELS[model]
    return local if (local / "meta.json").is_file() else MODELS_ROOT / EMBEDDING_MODELS[model]


def embedding_sha256(model: str = "minilm", root: Path | str | None = None) -> str:
    """sha256 of the embedder's ONNX file, as its meta.json records it (to pin in a featurizer spec)."""
    from factdesk.embed import Embedder

    return str(Embedder(_embedding_dir(model, root)).info().sha256)


_EMBEDDERS: dict[Path, Any] = {}


def _get_embedder(model: str, root: Path | str | None = None) -> Any:
    """One embedder per process and directory (the shipped MiniLM is ``factdesk.embed.default_embedder()``)."""
    d = _embedding_dir(model, root).resolve()
    emb = _EMBEDDERS.get(d)
    if emb is None:
        from factdesk.embed import DEFAULT_MODEL_DIR, Embedder, default_embedder

        emb = default_embedder() if d == DEFAULT_MODEL_DIR.resolve() else Embedder(d)
        _EMBEDDERS[d] = emb
    return emb


_WHITE_SPACES = re.compile(r"\s\s+")
# char_wb n-gram hashes per (ngram range) and word, shared by every model; cleared when it reaches the limit
# (≈ 450 bytes a word, so at most ≈ 23 MB; all 1,683 FNC-1 bodies hold 46,000 distinct words)
_WORD_HASHES: dict[tuple[int, int], dict[str, np.ndarray]] = {}
_WORD_HASH_LIMIT = 50_000
_SURROGATES = re.compile("[\ud800-\udfff]")  # not encodable as UTF-8 (JSON input can hold them); mmh3 must not see one


class HashedNgrams:
    """Hashed n-gram counts of one featurizer block, feature for feature what scikit-learn's
    ``HashingVectorizer(norm=None, alternate_sign=False)`` computes (murmurhash3_32 of each UTF-8 n-gram, seed 0,
    ``abs(h) % n_features``), so models trained with scikit-learn run on it unchanged
    (``tests/test_textmodel.py`` checks the two agree). Implemented on ``mmh3`` because importing scikit-learn
    costs about 1.5 s of a one-article ``factdesk check``."""

    def __init__(self, block: dict[str, Any]) -> None:
        self.analyzer = str(block["analyzer"])
        if self.analyzer not in ("word", "char", "char_wb"):
            raise ModelError(f"featurizer block {block.get('name')!r}: unsupported analyzer {self.analyzer!r}")
        if block.get("strip_accents") or block.get("alternate_sign"):
            raise ModelError(f"featurizer block {block.get('name')!r}: strip_accents/alternate_sign are not supported")
        self.min_n, self.max_n = (int(x) for x in block["ngram_range"])
        self.n_features = int(block["n_features"])
        self.lowercase = bool(block.get("lowercase", True))
        self.binary = bool(block.get("binary", False))
        self.token_re = re.compile(block.get("token_pattern", r"(?u)\b\w\w+\b"))
        if self.token_re.groups > 1:
            raise ModelError(f"featurizer block {block.get('name')!r}: token_pattern has more than one group")

    def _prepare(self, text: str) -> str:
        if not text.isascii():
            text = _SURROGATES.sub("\ufffd", text)
        return text.lower() if self.lowercase else text

    def ngrams(self, text: str) -> list[str]:
        text = self._prepare(text)
        lo, hi = self.min_n, self.max_n
        if self.analyzer == "word":
            tokens = self.token_re.findall(text)
            out = list(tokens) if lo == 1 else []
            for n in range(max(lo, 2), min(hi, len(tokens)) + 1):
                out.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
            return out
        text = _WHITE_SPACES.sub(" ", text)
        if self.analyzer == "char":
            out = list(text) if lo == 1 else []
            for n in range(max(lo, 2), min(hi, len(text)) + 1):
                out.extend(text[i : i + n] for i in range(len(text) - n + 1))
            return out
        out = []
        for w in text.split():  # char_wb: n-grams inside each space-padded word; a short word counts once
            out.extend(self._word_grams(w))
        return out

    def _word_grams(self, word: str) -> list[str]:
        w = f" {word} "
        out = []
        for n in range(self.min_n, self.max_n + 1):
            if n >= len(w):
                out.append(w)
                break
            out.extend([w[i : i + n] for i in range(len(w) - n + 1)])
        return out

    def _hashes(self, text: str) -> np.ndarray:
        """murmurhash3_32 of each n-gram of a (preprocessed) text. For char_wb the hashes are kept per word: news
        sentences repeat most of their words, and building every word's character n-grams again was most of a
        prediction's cost."""
        import mmh3

        if self.analyzer != "char_wb":
            grams = self.ngrams(text)
            return np.fromiter(map(mmh3.hash, grams), dtype=np.int64, count=len(grams))
        cache = _WORD_HASHES.setdefault((self.min_n, self.max_n), {})
        parts = []
        for w in self._prepare(text).split():
            h = cache.get(w)
            if h is None:
                if len(cache) >= _WORD_HASH_LIMIT:
                    cache.clear()
                grams = self._word_grams(w)
                h = cache[w] = np.fromiter(map(mmh3.hash, grams), dtype=np.int64, count=len(grams))
            parts.append(h)
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)

    def counts(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The counts as CSR arrays ``(data float32, indices, indptr)``: one row per text, each feature once per
        row, in increasing order."""
        hashes = [self._hashes(t) for t in texts]
        n_rows = len(hashes)
        if not n_rows:
            return np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.int64), np.zeros(1, dtype=np.int64)
        rows = np.repeat(np.arange(n_rows, dtype=np.int64), [len(h) for h in hashes])
        # one sort for the whole batch: (row, feature) pairs as one key, in row then feature order
        keys, n = np.unique(rows * self.n_features + np.abs(np.concatenate(hashes)) % self.n_features,
                            return_counts=True)
        indptr = np.zeros(n_rows + 1, dtype=np.int64)
        np.cumsum(np.bincount(keys // self.n_features, minlength=n_rows), out=indptr[1:])
        data = np.ones(len(n), dtype=np.float32) if self.binary else n.astype(np.float32)
        return data, keys % self.n_features, indptr

    def transform(self, texts: Sequence[str]) -> Any:
        """CSR float32 counts, one row per text (scipy; training and tests — predictions use :meth:`counts`)."""
        import scipy.sparse as sp

        data, idx, indptr = self.counts(texts)
        return sp.csr_matrix((data, idx, indptr), shape=(len(indptr) - 1, self.n_features))


class HashFeaturizer:
    """Text → sparse float32 rows, from the ``featurizer`` section of a meta.json.

    ``spec = {"preprocess": {"lowercase": bool, "normalize_quotes": bool},
              "blocks": [{"name", "analyzer", "ngram_range", "n_features", "token_pattern", "lowercase",
                          "alternate_sign": false, "binary", "strip_accents", "sublinear_tf", "idf", "norm",
                          "weight"}, ...],
              "extra": [names of cheap dense features], "extra_weight": float,
              "embedding": {"model": "minilm", "sha256": str, "dim": 384, "weight": float,
                            "context_weight": float}}``  (``embedding`` optional)

    Column order: the hashed blocks, the extra features, then (if ``embedding``) the unit sentence embedding
    × ``weight`` and, if ``context_weight`` > 0, the previous and the next sentence's embeddings ×
    ``context_weight`` (zeros where there is no previous/next sentence).
    """

    def __init__(
        self, spec: dict[str, Any], arrays: dict[str, np.ndarray] | None = None, root: Path | str | None = None
    ) -> None:
        self.spec = spec
        self.root = root  # models root the embedding directory is resolved against (default: the shipped one)
        self.blocks: list[dict[str, Any]] = list(spec["blocks"])
        self.extra: list[str] = list(spec.get("extra") or [])
        self.extra_weight = float(spec.get("extra_weight", 1.0))
        pre = spec.get("preprocess") or {}
        self.lowercase = bool(pre.get("lowercase", True))
        self.normalize_quotes = bool(pre.get("normalize_quotes", True))
        # arrays=None: an unfitted featurizer (training computes the IDF from its raw counts)
        self.idf: list[np.ndarray | None] = []
        for b in self.blocks:
            key = f"idf_{b['name']}"
            if b.get("idf") and arrays is not None:
                if key not in arrays:
                    raise ModelError(f"featurizer block {b['name']!r} needs array {key!r}, absent from weights")
                v = np.asarray(arrays[key], dtype=np.float32)
                if v.shape != (int(b["n_features"]),):
                    raise ModelError(f"array {key!r} has shape {v.shape}, expected ({b['n_features']},)")
                self.idf.append(v)
            else:
                self.idf.append(None)
        self.n_features = sum(int(b["n_features"]) for b in self.blocks) + len(self.extra)
        self._vecs: list[Any] | None = None
        self.embedding: dict[str, Any] | None = dict(spec["embedding"]) if spec.get("embedding") else None
        self.embedding_dim = 0
        self.context_weight = 0.0
        if self.embedding is not None:
            model = str(self.embedding.get("model", ""))
            _embedding_dir(model, root)  # unknown key → ModelError
            self.embedding_dim = int(self.embedding.get("dim", 384))
            self.context_weight = float(self.embedding.get("context_weight", 0.0) or 0.0)
            self.n_features += self.embedding_dim * (3 if self.context_weight > 0 else 1)

    @property
    def uses_context(self) -> bool:
        """True if the featurizer reads the previous/next sentence (``transform(texts, prev, next)``)."""
        return self.context_weight > 0

    def check_embedder(self) -> None:
        """Raise ModelError if the installed embedder is not the one the weights were trained with."""
        if self.embedding is None or not self.embedding.get("sha256"):
            return
        got = embedding_sha256(str(self.embedding["model"]), self.root)
        if got != self.embedding["sha256"]:
            raise ModelError(
                f"featurizer was trained with embedder sha256 {str(self.embedding['sha256'])[:12]}…, "
                f"the installed one is {got[:12]}…",
                hint="reinstall factdesk or retrain the model with the installed embedder",
            )

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """(n, dim) unit embeddings of the preprocessed texts; empty texts → zero rows. Each distinct text is
        encoded once per call."""
        assert self.embedding is not None
        pre = self.preprocess(texts)
        uniq = sorted({t for t in pre if t.strip()})
        out = np.zeros((len(pre), self.embedding_dim), dtype=np.float32)
        if uniq:
            E = np.asarray(_get_embedder(str(self.embedding["model"]), self.root).encode(uniq), dtype=np.float32)
            if E.shape != (len(uniq), self.embedding_dim):
                raise ModelError(f"embedder returned shape {E.shape}, expected ({len(uniq)}, {self.embedding_dim})")
            pos = {t: i for i, t in enumerate(uniq)}
            for i, t in enumerate(pre):
                if t in pos:
                    out[i] = E[pos[t]]
        return out

    def _vectorizers(self) -> list[HashedNgrams]:
        if self._vecs is None:
            self._vecs = [HashedNgrams(b) for b in self.blocks]
        return self._vecs

    def preprocess(self, texts: Sequence[str]) -> list[str]:
        out = []
        for t in texts:
            t = "" if t is None else str(t)
            if self.normalize_quotes:
                t = t.translate(_QUOTES)
            if self.lowercase:
                t = t.lower()
            out.append(t)
        return out

    def raw_counts(self, texts: Sequence[str]) -> list[Any]:
        """Per-block hashed counts (before TF/IDF/norm); used by training to fit the IDF."""
        texts = self.preprocess(texts)
        return [v.transform(texts).tocsr() for v in self._vectorizers()]

    def transform(
        self,
        texts: Sequence[str],
        prev: Sequence[str | None] | None = None,
        next: Sequence[str | None] | None = None,  # noqa: A002 - mirrors prev
        *,
        embeddings: np.ndarray | None = None,
    ) -> Any:
        """Feature rows. ``prev``/``next`` (same length as ``texts``; None/"" = no such sentence) are read only
        if the spec has an embedding block with ``context_weight`` > 0, and ignored otherwise.
        ``embeddings``: precomputed ``self.embed(texts + prev + next)`` rows (training caches), optional."""
        import scipy.sparse as sp

        raw = list(texts)
        counts = self.raw_counts(raw)
        mats = [self.weigh(i, X) for i, X in enumerate(counts)]
        if self.extra:
            mats.append(sp.csr_matrix(self._extra_rows(raw).astype(np.float32)))
        if self.embedding is not None:
            mats.append(sp.csr_matrix(self._embedding_rows(raw, prev, next, embeddings)))
        return sp.hstack(mats, format="csr", dtype=np.float32)

    def weigh(self, i: int, X: Any) -> Any:
        """Sublinear TF, IDF, row norm and block weight for block ``i`` (on a CSR copy)."""
        X = X.astype(np.float32, copy=True)
        X.data = self._weigh_data(i, X.data, X.indices, X.indptr)
        return X

    def _weigh_data(self, i: int, data: np.ndarray, indices: np.ndarray, indptr: np.ndarray) -> np.ndarray:
        """:meth:`weigh` on CSR arrays: the new values of ``data``."""
        b = self.blocks[i]
        data = data.astype(np.float32, copy=True)
        if b.get("sublinear_tf", True) and not b.get("binary", False):
            np.log(data, out=data)
            data += 1.0
        idf = self.idf[i]
        if idf is not None:
            data *= idf[indices]
        if b.get("norm", "l2") == "l2":
            n = len(indptr) - 1
            rows = np.repeat(np.arange(n), np.diff(indptr))
            sq = np.bincount(rows, weights=data.astype(np.float64) ** 2, minlength=n)
            scale = np.where(sq > 0, 1.0 / np.sqrt(np.maximum(sq, 1e-30)), 0.0).astype(np.float32)
            data *= scale[rows]
        w = float(b.get("weight", 1.0))
        if w != 1.0:
            data *= w
        return data

    def dot(self, texts: Sequence[str], W: np.ndarray, prev: Sequence[str | None] | None = None,
            next: Sequence[str | None] | None = None) -> np.ndarray:  # noqa: A002 - mirrors prev
        """``transform(texts, prev, next) @ W`` (``W``: features × outputs) without building the sparse matrix, so
        a prediction never imports scipy (≈ 0.2 s of a one-article ``factdesk check``)."""
        raw = list(texts)
        n = len(raw)
        out = np.zeros((n, W.shape[1]), dtype=np.float64)
        pre = self.preprocess(raw)
        off = 0
        for i, v in enumerate(self._vectorizers()):
            data, indices, indptr = v.counts(pre)
            data = self._weigh_data(i, data, indices, indptr)
            rows = np.repeat(np.arange(n), np.diff(indptr))
            part = data[:, None].astype(np.float64) * W[off + indices]
            for j in range(W.shape[1]):
                out[:, j] += np.bincount(rows, weights=part[:, j], minlength=n)
            off += v.n_features
        if self.extra:
            out += self._extra_rows(raw) @ W[off : off + len(self.extra)]
            off += len(self.extra)
        if self.embedding is not None:
            E = self._embedding_rows(raw, prev, next)
            out += E @ W[off : off + E.shape[1]]
        return out

    def _extra_rows(self, raw: list[str]) -> np.ndarray:
        """The weighted cheap dense features, one row per text."""
        dense = np.array([[_extra_feature(x, t or "") for x in self.extra] for t in raw], dtype=np.float64)
        return dense.reshape(len(raw), len(self.extra)) * self.extra_weight

    def _embedding_rows(self, raw: list[str], prev: Sequence[str | None] | None, next: Sequence[str | None] | None,
                        embeddings: np.ndarray | None = None) -> np.ndarray:  # noqa: A002 - mirrors prev
        """The weighted embedding columns: the text's vector, and with context the previous and next ones'."""
        n = len(raw)
        parts = [raw]
        if self.uses_context:
            for name, ctx in (("prev", prev), ("next", next)):
                ctx = [""] * n if ctx is None else ["" if c is None else str(c) for c in ctx]
                if len(ctx) != n:
                    raise ValueError(f"{name} has {len(ctx)} items, texts has {n}")
                parts.append(ctx)
        flat = [t for p in parts for t in p]
        E = self.embed(flat) if embeddings is None else np.asarray(embeddings, dtype=np.float32)
        if E.shape != (len(flat), self.embedding_dim):
            raise ValueError(f"embeddings have shape {E.shape}, expected ({len(flat)}, {self.embedding_dim})")
        w = float(self.embedding.get("weight", 1.0)) if self.embedding else 1.0
        cols = [E[:n] * w]
        if self.uses_context:
            cols.append(np.hstack([E[n : 2 * n], E[2 * n :]]) * self.context_weight)
        return np.hstack(cols)


# =========================================================================== linear classifiers


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -40.0, 40.0)))


class _LinearModel:
    kind = ""
    main_file = "weights.npz"

    def __init__(self, name: str, directory: Path, meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> None:
        self.name = name
        self.directory = directory
        self.meta = meta
        try:
            self.featurizer = HashFeaturizer(meta["featurizer"], arrays, root=directory.parent)
            coef = np.asarray(arrays["coef"], dtype=np.float32)
            self.intercept = np.asarray(arrays["intercept"], dtype=np.float32).reshape(-1)
        except KeyError as e:
            raise ModelError(f"model {name!r}: weights or meta.json lack {e}") from None
        if coef.ndim == 1:
            coef = coef[None, :]
        if coef.shape[1] != self.featurizer.n_features or coef.shape[0] != self.intercept.shape[0]:
            raise ModelError(
                f"model {name!r}: coef shape {coef.shape} does not fit {self.featurizer.n_features} features"
            )
        self.W = np.ascontiguousarray(coef.T)  # (D, k)
        self.featurizer.check_embedder()
        cal = meta.get("calibration") or {}
        self._platt = (float(cal.get("a", 1.0)), float(cal.get("b", 0.0))) if cal.get("method") == "platt" else None
        self._temperature = float(cal.get("temperature", 1.0)) if cal.get("method") == "temperature" else 1.0

    @classmethod
    def load(cls, name: str, root: Path | str | None = None):  # type: ignore[no-untyped-def]
        d = _model_dir(name, root)
        kind = _read_meta(name, d).get("kind")
        if kind != cls.kind:
            raise ModelError(f"model {name!r} is of kind {kind!r}, not {cls.kind!r}")
        meta, arrays = read_npz_artifact(name, d, cls.main_file)
        return cls(name, d, meta, arrays)

    @property
    def uses_context(self) -> bool:
        """True if predictions read the previous/next sentence (pass ``prev=``/``next=``)."""
        return self.featurizer.uses_context

    def decision_function(
        self,
        texts: Sequence[str],
        prev: Sequence[str | None] | None = None,
        next: Sequence[str | None] | None = None,  # noqa: A002 - mirrors prev
    ) -> np.ndarray:
        """Raw linear scores, shape (n, k). ``prev``/``next``: the sentence before/after each text (None or ""
        where there is none); used only by models with context features (``uses_context``), else ignored."""
        if isinstance(texts, str):
            raise TypeError("pass a sequence of texts, not a single string")
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.W.shape[1]), dtype=np.float64)
        return self.featurizer.dot(texts, self.W, prev, next) + self.intercept

    def info(self) -> ModelInfo:
        return ModelInfo(name=self.name, version=str(self.meta.get("version", "")), sha256=self.meta.get("sha256"))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r}, version={self.meta.get('version')!r})"


class TextClassifier(_LinearModel):
    """Binary text classifier. ``predict_proba`` → P(positive), shape (n,)."""

    kind = "binary"

    @property
    def threshold(self) -> float:
        return float(self.meta.get("threshold", 0.5))

    def predict_proba(
        self,
        texts: Sequence[str],
        prev: Sequence[str | None] | None = None,
        next: Sequence[str | None] | None = None,  # noqa: A002 - mirrors prev
    ) -> np.ndarray:
        z = self.decision_function(texts, prev, next)[:, 0]
        if self._platt is not None:
            a, b = self._platt
            z = a * z + b
        return _sigmoid(z)

    def predict(
        self,
        texts: Sequence[str],
        prev: Sequence[str | None] | None = None,
        next: Sequence[str | None] | None = None,  # noqa: A002 - mirrors prev
    ) -> np.ndarray:
        """Boolean labels at the threshold recorded in meta.json."""
        return self.predict_proba(texts, prev, next) >= self.threshold


class MultiClassClassifier(_LinearModel):
    """Single-label multi-class classifier (softmax). ``predict_proba`` → (n, k) over ``labels``."""

    kind = "multiclass"

    def __init__(self, name: str, directory: Path, meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> None:
        super().__init__(name, directory, meta, arrays)
        # optional second opinion from the span tagger's hidden states (meta "tagger_head"): a linear softmax on
        # standardised span features, mixed with the n-gram scores in log space
        self._head: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, float] | None = None
        head = meta.get("tagger_head")
        if head:
            try:
                self._head = (np.asarray(arrays["head_mean"], dtype=np.float32),
                              np.asarray(arrays["head_scale"], dtype=np.float32),
                              np.ascontiguousarray(np.asarray(arrays["head_coef"], dtype=np.float32).T),
                              np.asarray(arrays["head_intercept"], dtype=np.float32),
                              float(head["alpha"]))
            except KeyError as e:
                raise ModelError(f"model {name!r}: weights or meta.json lack {e}") from None
            if self._head[2].shape != (self._head[0].shape[0], len(self.labels)):
                raise ModelError(f"model {name!r}: head shape {self._head[2].shape} does not fit its features")

    @property
    def labels(self) -> list[str]:
        return list(self.meta["labels"])

    def reads_states_of(self, tagger_sha256: str | None) -> bool:
        """Whether ``predict_proba(..., states=)`` takes span features from the tagger with this sha256."""
        return self._head is not None and tagger_sha256 == (self.meta.get("tagger_head") or {}).get("tagger_sha256")

    def predict_proba(self, texts: Sequence[str], states: np.ndarray | None = None) -> np.ndarray:
        """(n, k) probabilities over ``labels``. ``states``: the span tagger's features of each text
        (``SpanTagger.span_features``), for a model with a tagger head (``reads_states_of``); else ignored."""
        z = self.decision_function(texts) / self._temperature
        if states is not None and self._head is not None and len(texts):
            mean, scale, w, b, alpha = self._head
            h = ((np.asarray(states, dtype=np.float32) - mean) / scale) @ w + b
            h -= h.max(axis=1, keepdims=True)
            log_p = h - np.log(np.exp(h).sum(axis=1, keepdims=True))
            z = alpha * z + (1.0 - alpha) * log_p
        z -= z.max(axis=1, keepdims=True) if z.size else 0.0
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def predict(self, texts: Sequence[str], states: np.ndarray | None = None) -> list[str]:
        p = self.predict_proba(texts, states)
        labs = self.labels
        return [labs[i] for i in p.argmax(axis=1)] if p.size else []


MultiLabelClassifier = MultiClassClassifier  # the technique model is multi-class; alias kept for callers


# =========================================================================== phrase lexicon

WORD_RE = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)
# two consecutive word tokens belong to one phrase only if the text between them matches this
GAP_RE = re.compile(r"[ \t\-\u2010\u2011]+")


_PLAIN_PHRASE = re.compile(r"[a-z0-9]+(?: [a-z0-9]+)*")


def word_tokens(text: str) -> list[tuple[int, int, str, int]]:
    """(start, end, lower-cased token, segment). A new segment starts wherever the text between two tokens is
    more than spaces/hyphens (punctuation, line breaks): phrases never run across a segment boundary."""
    out = []
    seg = 0
    prev_end = -1
    for m in WORD_RE.finditer(text):
        if prev_end >= 0 and not GAP_RE.fullmatch(text, prev_end, m.start()):
            seg += 1
        out.append((m.start(), m.end(), m.group(0).lower().replace("’", "'"), seg))
        prev_end = m.end()
    return out


@dataclass(slots=True, frozen=True)
class PhraseHit:
    start: int
    end: int
    text: str
    technique: str
    score: float


class PhraseLexicon:
    """Lower-case word n-grams → (technique, score). ``find`` returns non-overlapping hits, longest first."""

    kind = "lexicon"
    main_file = "phrases.tsv"

    def __init__(self, name: str, meta: dict[str, Any], phrases: dict[str, tuple[str, float]]) -> None:
        self.name = name
        self.meta = meta
        self.phrases = phrases
        self.max_n = max((len(p.split(" ")) for p in phrases), default=0)
        prefixes: set[str] = set()
        for p in phrases:
            toks = p.split(" ")
            for i in range(1, len(toks) + 1):
                prefixes.add(" ".join(toks[:i]))
        self._prefixes = prefixes

    @classmethod
    def load(cls, name: str, root: Path | str | None = None) -> PhraseLexicon:
        d = _model_dir(name, root)
        meta = _read_meta(name, d)
        if meta.get("kind") != cls.kind:
            raise ModelError(f"model {name!r} is of kind {meta.get('kind')!r}, not {cls.kind!r}")
        path = _verify(name, d, meta, cls.main_file)
        phrases: dict[str, tuple[str, float]] = {}
        try:
            with open(path, encoding="utf-8") as fh:
                for i, line in enumerate(fh):
                    parts = line.rstrip("\n").split("\t")
                    if i == 0 and parts[0] == "phrase":
                        continue
                    if len(parts) < 3 or not parts[0]:
                        continue
                    p = parts[0]
                    # most phrases are already lower-case words joined by single spaces: their own key
                    key = p if _PLAIN_PHRASE.fullmatch(p) else " ".join(t for _, _, t, _ in word_tokens(p))
                    phrases[key] = (parts[1], float(parts[2]))
        except (OSError, ValueError) as e:
            raise ModelError(f"model {name!r}: cannot read {path}: {e}".replace("\n", " ")) from None
        return cls(name, meta, phrases)

    def find(self, text: str) -> list[PhraseHit]:
        toks = word_tokens(text)
        cands: list[tuple[int, int, int]] = []  # (n tokens, first token, score rank helper)
        n_tok = len(toks)
        for i in range(n_tok):
            key = ""
            seg = toks[i][3]
            for n in range(1, self.max_n + 1):
                j = i + n - 1
                if j >= n_tok or toks[j][3] != seg:
                    break
                key = toks[j][2] if n == 1 else f"{key} {toks[j][2]}"
                if key not in self._prefixes:
                    break
                if key in self.phrases:
                    cands.append((n, i, j))
        # longest (in words, then characters) first; ties: higher score, then leftmost
        cands.sort(
            key=lambda c: (
                -c[0],
                -(toks[c[2]][1] - toks[c[1]][0]),
                -self.phrases[" ".join(t[2] for t in toks[c[1] : c[2] + 1])][1],
                c[1],
            )
        )
        taken = [False] * n_tok
        hits: list[PhraseHit] = []
        for _, i, j in cands:
            if any(taken[i : j + 1]):
                continue
            for k in range(i, j + 1):
                taken[k] = True
            key = " ".join(t[2] for t in toks[i : j + 1])
            tech, score = self.phrases[key]
            s, e = toks[i][0], toks[j][1]
            hits.append(PhraseHit(s, e, text[s:e], tech, score))
        hits.sort(key=lambda h: h.start)
        return hits

    def info(self) -> ModelInfo:
        return ModelInfo(name=self.name, version=str(self.meta.get("version", "")), sha256=self.meta.get("sha256"))

    def __len__(self) -> int:
        return len(self.phrases)

    def __repr__(self) -> str:
        return f"PhraseLexicon({self.name!r}, {len(self.phrases)} phrases)"


# =========================================================================== cached loading

_KINDS: dict[str, type] = {
    "binary": TextClassifier,
    "multiclass": MultiClassClassifier,
    "lexicon": PhraseLexicon,
}


@functools.cache
def load_model(name: str, root: Path | str | None = None) -> TextClassifier | MultiClassClassifier | PhraseLexicon:
    """Load a shipped artifact once per process (class chosen by meta.json ``kind``)."""
    d = _model_dir(name, root)
    kind = _read_meta(name, d).get("kind")
    cls = _KINDS.get(str(kind))
    if cls is None:
        raise ModelError(f"model {name!r} has unknown kind {kind!r} in meta.json")
    return cls.load(name, root)  # type: ignore[attr-defined,no-any-return]


# =========================================================================== writing (training side)


def fit_idf(featurizer: HashFeaturizer, texts: Sequence[str]) -> dict[str, np.ndarray]:
    """Smooth IDF per block over hash buckets, ``ln((1 + n) / (1 + df)) + 1``, as float16 arrays."""
    counts = featurizer.raw_counts(texts)
    n = len(texts)
    out: dict[str, np.ndarray] = {}
    for b, X in zip(featurizer.blocks, counts, strict=True):
        if not b.get("idf"):
            continue
        df = np.bincount(X.indices, minlength=int(b["n_features"]))
        out[f"idf_{b['name']}"] = (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float16)
    return out


def write_artifact(
    out_dir: Path | str,
    meta: dict[str, Any],
    *,
    arrays: dict[str, np.ndarray] | None = None,
    text_files: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Write ``weights.npz`` (compressed, no pickles) and/or text files plus ``meta.json`` with sha256 of each
    file; ``meta['sha256']`` is the hash of the main file (weights.npz, else the first text file)."""
    d = Path(out_dir)
    d.mkdir(parents=True, exist_ok=True)
    files: dict[str, str] = {}
    if arrays is not None:
        p = d / "weights.npz"
        np.savez_compressed(p, **arrays)
        files[p.name] = sha256_file(p)
    for fname, content in (text_files or {}).items():
        p = d / fname
        p.write_text(content, encoding="utf-8")
        files[fname] = sha256_file(p)
    meta = dict(meta)
    meta["files"] = files
    meta["sha256"] = files["weights.npz"] if "weights.npz" in files else next(iter(files.values()))
    meta["size_bytes"] = {f: (d / f).stat().st_size for f in files}
    (d / "meta.json").write_text(json.dumps(meta, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    return meta
