"""The evidence archive: one SQLite file with documents, sentences, full-text indexes and sentence vectors.

Layout (schema version 1, ``PRAGMA application_id`` = ``FDKA``):

* ``meta(key, value)`` — app name, schema version, embedding model name/sha256/dimension, vector scale.
* ``documents`` — one row per article (``doc_id`` unique), its near-duplicate ``group_id`` and MinHash signature.
* ``sentences(id, doc_rowid, idx, text, start, end)`` — character offsets into the document text.
* ``documents_fts`` / ``sentences_fts`` — FTS5 (porter + unicode61 without diacritics), external content.
* ``vectors(doc_rowid, first_sentence, n, block, mean)`` — the document's sentence vectors as one int8 block
  (``round(v * scale)``), and its mean vector.
* ``lsh(key, doc_rowid)`` — MinHash band keys, to find near-duplicate candidates at ingest.

A document and all its rows are written in one transaction (a batch of documents per transaction), in WAL mode:
a killed ingest loses nothing committed and the next run skips what is already there.

Dense search keeps every sentence vector in memory (loaded on the first search, topped up when the file grows):
exact inner product over the int8 codes with faiss when it is installed (sharded over the cores), else numpy.
"""

from __future__ import annotations

import functools
import hashlib
import math
import os
import re
import sqlite3
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from ..errors import ArchiveError, ConfigError
from ..ingest import normalize_published
from ..numbers import spoken_forms

__all__ = [
    "APPLICATION_ID",
    "SCHEMA_VERSION",
    "AddStats",
    "Archive",
    "ArchiveDoc",
    "DocHit",
    "Hit",
    "ReadError",
    "SentenceHit",
    "default_path",
    "derive_doc_id",
    "sentence_spans",
]

SCHEMA_VERSION = 1
APPLICATION_ID = 0x46444B41  # "FDKA"
APP_NAME = "factdesk-archive"
VECTOR_SCALE = 320.0  # int8 code = round(component * scale); unit MiniLM vectors stay well inside ±127/320
RRF_K = 60
QUICK_CHECK_MAX_BYTES = 64 << 20
SMALL_INDEX_ROWS = 50_000  # below this the dense index is a numpy matrix even when faiss is installed
PARALLEL_MIN_ROWS = 200_000
SIGN_PREFILTER_ROWS = 200_000  # from here on, dense search shortlists by sign bits, then scores exactly
SIGN_CANDIDATES = 1024  # below this a dense scan takes a few ms: threads would only add hand-off latency  # integrity-check smaller files on open; larger ones are checked as they are read

Progress = Callable[[int, "int | None"], None]

_REBUILD = "rebuild it: delete the file and add your sources again"


# ------------------------------------------------------------------------------------------------ records


@dataclass(slots=True)
class ArchiveDoc:
    """One archived article. ``source`` is the outlet (usually the URL's domain)."""

    doc_id: str
    url: str | None
    title: str | None
    published: str | None
    text: str
    source: str | None = None

    @classmethod
    def create(
        cls,
        text: str,
        *,
        url: str | None = None,
        title: str | None = None,
        published: str | None = None,
        source: str | None = None,
        doc_id: str | int | None = None,
    ) -> ArchiveDoc:
        """An ArchiveDoc with ``doc_id`` derived from the URL (else the normalised text) when not given, and
        ``source`` defaulting to the URL's domain."""
        from ..ingest import domain_of

        url = url.strip() or None if isinstance(url, str) else None
        if source is None:
            source = domain_of(url)
        ident = str(doc_id).strip() if doc_id is not None else ""
        return cls(doc_id=ident or derive_doc_id(url, text), url=url, title=title, published=published,
                   text=text, source=source)


@dataclass(frozen=True, slots=True)
class ReadError:
    """A row, record or input that could not be read; ``line`` is 1-based when the input has lines. ``kept``: a
    warning only, the row's document was added without the part named in ``message``."""

    origin: str
    line: int | None
    message: str
    kept: bool = False

    def __str__(self) -> str:
        return f"{self.origin}:{self.line}: {self.message}" if self.line is not None else f"{self.origin}: {self.message}"


@dataclass(slots=True)
class AddStats:
    """What an ingest did. ``near_duplicates`` counts added documents that joined an existing near-duplicate
    group (they are included in ``added``); ``errors`` holds ``(origin, line, message)`` triples of what was not
    added, ``warnings`` the same for what was added in part (a row kept without its unreadable date)."""

    added: int = 0
    skipped_duplicates: int = 0
    near_duplicates: int = 0
    errors: list[tuple[str, int | None, str]] = field(default_factory=list)
    warnings: list[tuple[str, int | None, str]] = field(default_factory=list)
    fact_checks: int = 0  # ClaimReview items stored (new ones)

    def summary(self) -> str:
        return (f"added {self.added}, skipped {self.skipped_duplicates} duplicates, "
                f"{self.near_duplicates} near-duplicates, {len(self.errors)} errors"
                + (f", {len(self.warnings)} warnings" if self.warnings else "")
                + (f", {self.fact_checks} prior fact-checks" if self.fact_checks else ""))


@dataclass(frozen=True, slots=True)
class PriorCheck:
    """A published fact-check (schema.org ClaimReview): the claim it reviewed, its rating, where it is."""

    claim: str
    rating: str
    url: str | None = None
    reviewer: str | None = None
    date: str | None = None

    @property
    def key(self) -> str:
        return hashlib.sha1(f"{self.url}\n{self.claim}".encode()).hexdigest()


@dataclass(slots=True)
class Hit:
    """A document found by full-text search; ``snippet`` marks matched terms with ``[`` ``]``."""

    doc_id: str
    url: str | None
    title: str | None
    source: str | None
    published: str | None
    score: float
    snippet: str
    group_id: int


@dataclass(slots=True)
class SentenceHit:
    """A sentence found by :meth:`Archive.search_sentences`. ``score`` is the fused score (reciprocal-rank fusion in
    hybrid mode, BM25 in ``bm25`` mode, cosine in ``dense`` mode); ``bm25`` is 0 when the sentence is not among the
    full-text candidates (found by meaning only); ``cosine`` is None when it was not computed (``bm25`` mode). Hits with the same ``group_id`` come from near-duplicate copies of one article."""

    doc_id: str
    sentence: str
    sent_index: int
    score: float
    bm25: float
    cosine: float | None
    url: str | None
    title: str | None
    source: str | None
    published: str | None
    group_id: int
    sentence_id: int = -1  # the archive's row id of the sentence (see Archive.sentence_vectors)


@dataclass(slots=True)
class DocHit:
    """A related article; ``score`` mixes the document-vector ``cosine`` with normalised ``bm25``."""

    doc_id: str
    url: str | None
    title: str | None
    source: str | None
    published: str | None
    score: float
    cosine: float
    bm25: float
    group_id: int


class EmbedderLike(Protocol):
    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


# ------------------------------------------------------------------------------------------------- paths


def default_path() -> Path:
    """``$FACTDESK_ARCHIVE``, else ``$XDG_DATA_HOME/factdesk/archive.sqlite``, else
    ``~/.local/share/factdesk/archive.sqlite``."""
    env = os.environ.get("FACTDESK_ARCHIVE", "").strip()
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME", "").strip()
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "share"
    return base / "factdesk" / "archive.sqlite"


# ------------------------------------------------------------------------------------------------- text

_TOKEN = re.compile(r"\w+")


def _norm_tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.casefold())


def derive_doc_id(url: str | None, text: str) -> str:
    """A stable id: ``u`` + sha1 of the URL, else ``t`` + sha1 of the normalised text (case and punctuation
    folded), so re-adding the same input finds the same id."""
    if url:
        return "u" + hashlib.sha1(url.strip().encode("utf-8")).hexdigest()[:24]
    return "t" + hashlib.sha1(" ".join(_norm_tokens(text)).encode("utf-8")).hexdigest()[:24]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence ``(start, end)`` offsets over the whole text, paragraph by paragraph (the segment stage's rules)."""
    from ..stages.segment import _PARAGRAPH, split_sentences

    spans: list[tuple[int, int]] = []
    for m in _PARAGRAPH.finditer(text):
        if m.group().strip():
            spans.extend(split_sentences(text, m.start(), m.end()))
    if not spans and text.strip():
        s = len(text) - len(text.lstrip())
        spans = [(s, len(text.rstrip()))]
    return spans


STOPWORDS = frozenset(
    """a about above after again against all also am an and any are aren as at be because been before being below
    between both but by can cannot could couldn did didn do does doesn doing don down during each few for from
    further had hadn has hasn have haven having he her here hers herself him himself his how i if in into is isn it
    its itself just let me more most mustn my myself no nor not now of off on once only or other ought our ours
    ourselves out over own same shan she should shouldn so some such than that the their theirs them themselves then
    there these they this those through to too under until up very was wasn we were weren what when where which
    while who whom why will with won would wouldn you your yours yourself yourselves s t ll re ve d m""".split()
)
MAX_QUERY_TERMS = 32
SENTENCE_QUERY_TERMS = 12
RELATED_BM25_ROWS = 2000  # related(): documents ranked by full text, enough to score every cosine candidate
# from here on, very common query words are dropped from full-text queries (long posting lists of common words
# cost the most and rank the least)
LARGE_ARCHIVE_SENTENCES = 50_000


def query_terms(text: str, *, limit: int = MAX_QUERY_TERMS) -> list[str]:
    """Content words of ``text`` (stopwords and 1-letter tokens dropped). When there are more than ``limit``, the
    likely rarest are kept: numbers and capitalised words (names), then longer words, in text order on ties."""
    toks = [t for t in _norm_tokens(text) if t not in STOPWORDS and (len(t) > 1 or t.isdigit())]
    counts = Counter(toks)
    first = {t: i for i, t in reversed(list(enumerate(toks)))}
    terms = sorted(counts, key=lambda t: (-counts[t], first[t]))
    if len(terms) <= limit:
        return terms
    capital = {w.lower() for w in re.findall(r"\b[A-Z][\w'’-]+", text[1:] if text else "")}
    keep = sorted(terms, key=lambda t: (not (t.isdigit() or t in capital), -len(t), first[t]))[:limit]
    return [t for t in terms if t in keep]


def fts_query(text: str, *, limit: int = MAX_QUERY_TERMS) -> str | None:
    """An FTS5 MATCH expression: the query's content words, each quoted, joined with OR (None if none)."""
    terms = query_terms(text, limit=limit)
    return " OR ".join(f'"{t}"' for t in terms) if terms else None


# ---------------------------------------------------------------------------------------- near-duplicates

_NPERM = 64
_BANDS, _ROWS = 20, 3  # 60 of the 64 hashes go into LSH bands: ~90% recall at Jaccard 0.55, ~12% candidates at 0.3
NEAR_DUP_JACCARD = 0.6
_SHINGLE = 5
_U64 = np.uint64
_rng = np.random.default_rng(0x5EED_F00D)
_PERM_A = _rng.integers(1, 2**63, _NPERM, dtype=np.uint64) | _U64(1)
_PERM_B = _rng.integers(0, 2**63, _NPERM, dtype=np.uint64)
_BAND_MULT = _rng.integers(1, 2**63, _ROWS + 1, dtype=np.uint64) | _U64(1)
_FNV = _U64(1099511628211)
_EMPTY_SIG = np.full(_NPERM, 0xFFFFFFFF, dtype=np.uint32)


def minhash(text: str) -> np.ndarray:
    """64 MinHash values (uint32) over word 5-shingles of the case-folded text."""
    toks = _norm_tokens(text)
    if not toks:
        return _EMPTY_SIG.copy()
    ids = np.fromiter((zlib.crc32(t.encode("utf-8")) for t in toks), dtype=np.uint64, count=len(toks))
    k = min(_SHINGLE, len(ids))
    n = len(ids) - k + 1
    with np.errstate(over="ignore"):
        h = np.zeros(n, dtype=np.uint64)
        for j in range(k):
            h = h * _FNV + ids[j : j + n]
        h = np.unique(h)
        sig = np.full(_NPERM, np.iinfo(np.uint64).max, dtype=np.uint64)
        for lo in range(0, len(h), 8192):
            part = h[lo : lo + 8192]
            v = (_PERM_A[:, None] * part[None, :] + _PERM_B[:, None]) >> _U64(32)
            np.minimum(sig, v.min(axis=1), out=sig)
    return sig.astype(np.uint32)


def band_keys(sig: np.ndarray) -> list[int]:
    """One signed 64-bit LSH key per band."""
    s = sig[: _BANDS * _ROWS].astype(np.uint64).reshape(_BANDS, _ROWS)
    with np.errstate(over="ignore"):
        key = np.arange(_BANDS, dtype=np.uint64) * _BAND_MULT[_ROWS]
        for r in range(_ROWS):
            key = key + s[:, r] * _BAND_MULT[r]
    return key.view(np.int64).tolist()


# ------------------------------------------------------------------------------------------------ vectors


def quantize(vecs: np.ndarray, scale: float = VECTOR_SCALE) -> np.ndarray:
    return np.clip(np.rint(vecs * scale), -127, 127).astype(np.int8)


def _faiss() -> Any:
    try:
        import faiss
    except Exception:  # noqa: BLE001 - optional accelerator; any import failure means "use numpy"
        return None
    return faiss


def _cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


class _Shard:
    __slots__ = ("index", "ids", "_pending")

    def __init__(self, index: Any) -> None:
        self.index = index
        self.ids = np.zeros(0, dtype=np.int64)
        self._pending: list[np.ndarray] = []

    def finish(self) -> None:
        if self._pending:
            self.ids = np.concatenate([self.ids, *self._pending])
            self._pending = []


class DenseIndex:
    """Exact inner-product search over int8 sentence vectors, keyed by sentence id.

    With faiss: ``IndexScalarQuantizer(QT_8bit_direct_signed)`` holding the stored codes as they are (no copy in
    float), split into one shard per core searched in parallel; the query is rounded to the same int8 grid, then
    the shortlist is re-scored exactly with the float query. Without faiss: a float32 numpy matrix (4x the memory).
    """

    def __init__(self, dim: int, scale: float = VECTOR_SCALE, backend: str = "auto") -> None:
        self.dim = dim
        self.scale = scale
        faiss = _faiss() if backend in ("auto", "faiss") else None
        if backend == "faiss" and faiss is None:
            raise ConfigError("dense_backend='faiss' but faiss is not installed", hint="pip install faiss-cpu")
        self.backend = "faiss" if faiss is not None else "numpy"
        self._pool: ThreadPoolExecutor | None = None
        if faiss is not None:
            n = min(2, _cores())
            self._shards = [
                _Shard(faiss.IndexScalarQuantizer(dim, faiss.ScalarQuantizer.QT_8bit_direct_signed,
                                                  faiss.METRIC_INNER_PRODUCT))
                for _ in range(n)
            ]
            self._signs = faiss.IndexBinaryFlat(dim)
            self._sign_ids: list[np.ndarray] = []
        else:
            self._mat = np.zeros((0, dim), dtype=np.float32)
            self._n = 0
            self._ids = np.zeros(0, dtype=np.int64)

    def __len__(self) -> int:
        if self.backend == "faiss":
            return sum(s.index.ntotal for s in self._shards)
        return self._n

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False)
            self._pool = None

    def append(self, ids: np.ndarray, codes: np.ndarray) -> None:
        """Add rows (``ids`` strictly increasing, above every id already held)."""
        if not len(ids):
            return
        codes = np.ascontiguousarray(codes, dtype=np.int8).reshape(-1, self.dim)
        if self.backend == "faiss":
            shard = min(self._shards, key=lambda s: s.index.ntotal)
            shard.index.add_sa_codes(codes.view(np.uint8) ^ np.uint8(0x80))
            shard._pending.append(np.asarray(ids, dtype=np.int64))
            self._signs.add(np.packbits(codes > 0, axis=1))
            self._sign_ids.append(np.asarray(ids, dtype=np.int64))
            return
        need = self._n + len(ids)
        if need > len(self._mat):
            grown = np.zeros((max(need, 2 * len(self._mat), 1024), self.dim), dtype=np.float32)
            grown[: self._n] = self._mat[: self._n]
            self._mat = grown
            ids_grown = np.zeros(len(grown), dtype=np.int64)
            ids_grown[: self._n] = self._ids[: self._n]
            self._ids = ids_grown
        self._mat[self._n : need] = codes.astype(np.float32) / self.scale
        self._ids[self._n : need] = ids
        self._n = need

    def _finish(self) -> None:
        if self.backend == "faiss":
            for s in self._shards:
                s.finish()
            if len(self._sign_ids) > 1:
                self._sign_ids = [np.concatenate(self._sign_ids)]

    def _search_signs(self, q: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
        """Large indexes: a Hamming scan over the vectors' sign bits (48 bytes a sentence) shortlists
        ``SIGN_CANDIDATES``, which are then scored exactly; an order of magnitude less to scan than the int8 codes."""
        self._finish()
        _, pos = self._signs.search(np.packbits(q > 0)[None, :], SIGN_CANDIDATES)
        pos = pos[0][pos[0] >= 0]
        ids = self._sign_ids[0][pos]
        exact = self.cosine(q, ids.tolist())
        best = sorted(exact, key=lambda i: -exact[i])[:n]
        return np.array(best, dtype=np.int64), np.array([exact[i] for i in best], dtype=np.float32)

    def search(self, q: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
        """The ``n`` best sentence ids and their cosines, best first."""
        self._finish()
        q = np.asarray(q, dtype=np.float32).reshape(-1)
        total = len(self)
        if total == 0 or n <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        if self.backend == "numpy":
            scores = self._mat[: self._n] @ q
            m = min(n, self._n)
            top = np.argpartition(-scores, m - 1)[:m] if m < self._n else np.arange(self._n)
            top = top[np.argsort(-scores[top], kind="stable")]
            return self._ids[top].copy(), scores[top].astype(np.float32)
        if total >= SIGN_PREFILTER_ROWS and n <= SIGN_CANDIDATES // 4:
            return self._search_signs(q, n)
        q8 = np.clip(np.rint(q * self.scale), -127, 127).astype(np.float32)[None, :]
        live = [s for s in self._shards if s.index.ntotal]
        want = n + 8  # a few spare: the int8-rounded query can swap near-ties, the exact re-score fixes the order

        def one(shard: _Shard) -> tuple[np.ndarray, np.ndarray]:
            return shard.index.search(q8, min(want, shard.index.ntotal))

        if len(live) > 1 and total >= PARALLEL_MIN_ROWS:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=len(self._shards), thread_name_prefix="factdesk-dense")
            results = list(self._pool.map(one, live))
        else:
            results = [one(s) for s in live]
        cand: list[tuple[float, int, int]] = []
        for si, (dist, pos) in enumerate(results):
            for d, p in zip(dist[0].tolist(), pos[0].tolist(), strict=True):
                if p >= 0:
                    cand.append((d, si, p))
        cand.sort(key=lambda c: -c[0])
        cand = cand[:want]
        ids = np.array([live[si].ids[p] for _, si, p in cand], dtype=np.int64)
        vecs = np.empty((len(cand), self.dim), dtype=np.float32)
        for si, shard in enumerate(live):
            rows = [i for i, c in enumerate(cand) if c[1] == si]
            if rows:
                vecs[rows] = shard.index.reconstruct_batch(np.array([cand[i][2] for i in rows], dtype=np.int64))
        cos = vecs @ q / self.scale
        order = np.argsort(-cos, kind="stable")[:n]
        return ids[order], cos[order].astype(np.float32)

    def vectors(self, ids: Sequence[int]) -> dict[int, np.ndarray]:
        """The stored vectors (dequantised) of the given sentence ids; ids not held are left out."""
        self._finish()
        want = np.asarray(sorted(set(ids)), dtype=np.int64)
        out: dict[int, np.ndarray] = {}
        if not len(want):
            return out
        if self.backend == "numpy":
            held = self._ids[: self._n]
            pos = np.searchsorted(held, want)
            ok = (pos < self._n) & (held[np.minimum(pos, self._n - 1)] == want) if self._n else np.zeros(len(want), bool)
            out.update(zip(want[ok].tolist(), self._mat[pos[ok]], strict=True))
            return out
        for shard in self._shards:
            if not len(shard.ids):
                continue
            pos = np.searchsorted(shard.ids, want)
            ok = (pos < len(shard.ids)) & (shard.ids[np.minimum(pos, len(shard.ids) - 1)] == want)
            if ok.any():
                vecs = shard.index.reconstruct_batch(pos[ok].astype(np.int64)) / self.scale
                out.update(zip(want[ok].tolist(), vecs, strict=True))
        return out

    def cosine(self, q: np.ndarray, ids: Sequence[int]) -> dict[int, float]:
        """Exact cosine of the query with the given sentence ids (ids not held are left out)."""
        self._finish()
        q = np.asarray(q, dtype=np.float32).reshape(-1)
        out: dict[int, float] = {}
        want = np.asarray(sorted(set(ids)), dtype=np.int64)
        if not len(want):
            return out
        if self.backend == "numpy":
            held = self._ids[: self._n]
            pos = np.searchsorted(held, want)
            ok = (pos < self._n) & (held[np.minimum(pos, self._n - 1)] == want) if self._n else np.zeros(len(want), bool)
            if ok.any():
                sims = self._mat[pos[ok]] @ q
                out.update(zip(want[ok].tolist(), sims.tolist(), strict=True))
            return out
        for shard in self._shards:
            if not len(shard.ids):
                continue
            pos = np.searchsorted(shard.ids, want)
            ok = (pos < len(shard.ids)) & (shard.ids[np.minimum(pos, len(shard.ids) - 1)] == want)
            if ok.any():
                vecs = shard.index.reconstruct_batch(pos[ok].astype(np.int64))
                sims = vecs @ q / self.scale
                out.update(zip(want[ok].tolist(), sims.tolist(), strict=True))
        return out


# --------------------------------------------------------------------------------------------------- schema

_TOKENIZER = "porter unicode61 remove_diacritics 2"
_SCHEMA = f"""
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE documents(
    id INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL UNIQUE,
    url TEXT,
    title TEXT,
    published TEXT,
    source TEXT,
    text TEXT NOT NULL,
    group_id INTEGER NOT NULL,
    n_sentences INTEGER NOT NULL,
    minhash BLOB,
    added_at REAL NOT NULL
);
CREATE INDEX documents_url ON documents(url);
CREATE INDEX documents_group ON documents(group_id);
CREATE TABLE sentences(
    id INTEGER PRIMARY KEY,
    doc_rowid INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    text TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL
);
CREATE INDEX sentences_doc ON sentences(doc_rowid, idx);
CREATE TABLE vectors(
    doc_rowid INTEGER PRIMARY KEY,
    first_sentence INTEGER NOT NULL,
    n INTEGER NOT NULL,
    block BLOB NOT NULL,
    mean BLOB NOT NULL
);
CREATE TABLE lsh(key INTEGER NOT NULL, doc_rowid INTEGER NOT NULL);
CREATE INDEX lsh_key ON lsh(key);
CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, content='documents', content_rowid='id',
    tokenize='{_TOKENIZER}');
CREATE VIRTUAL TABLE sentences_fts USING fts5(text, content='sentences', content_rowid='id',
    tokenize='{_TOKENIZER}');
"""
# verdicts of checked articles (factdesk check --record): a source's track record
_RECORDS = """CREATE TABLE IF NOT EXISTS records(
    article TEXT NOT NULL, domain TEXT, claim_id TEXT NOT NULL, label TEXT NOT NULL, reasons TEXT NOT NULL,
    recorded_at REAL NOT NULL, PRIMARY KEY (article, claim_id))"""
# prior fact-checks (ClaimReview JSON-LD added with factdesk archive add)
_REVIEWS = """CREATE TABLE IF NOT EXISTS claimreviews(
    key TEXT PRIMARY KEY, claim TEXT NOT NULL, rating TEXT NOT NULL, url TEXT, reviewer TEXT, date TEXT,
    vec BLOB NOT NULL)"""
_REQUIRED_TABLES = {"meta", "documents", "sentences", "vectors", "lsh", "documents_fts", "sentences_fts"}


def _guarded(method: Callable[..., Any]) -> Callable[..., Any]:
    """Turn sqlite3 errors raised inside a public method into one-line ArchiveErrors naming the file."""

    @functools.wraps(method)
    def wrapper(self: Archive, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as exc:
            raise self._db_error(exc) from None

    return wrapper


# -------------------------------------------------------------------------------------------------- archive


class Archive:
    """A local evidence archive in one SQLite file. Construction only stores settings; the file is opened on
    first use, by :meth:`open`, or on entering a ``with`` block. One instance is for one thread at a time."""

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        embedder: EmbedderLike | None = None,
        create: bool = True,
        dense_backend: str = "auto",
    ) -> None:
        if dense_backend not in ("auto", "faiss", "numpy"):
            raise ConfigError(f"dense_backend must be 'auto', 'faiss' or 'numpy', not {dense_backend!r}")
        self.path = Path(path).expanduser() if path is not None else default_path()
        self.create = create
        self.dense_backend = dense_backend
        self._embedder = embedder
        self._conn: sqlite3.Connection | None = None
        self._dense: DenseIndex | None = None
        self._dense_upto = 0  # highest doc rowid whose vectors are in _dense
        self._docmat: np.ndarray | None = None
        self._docids = np.zeros(0, dtype=np.int64)
        self._doc_upto = 0
        self._model_ok = False
        self._n_sentences: int | None = None  # for query pruning; refreshed after each add
        self._df: dict[str, int] = {}  # full-text document frequency of query words, per process

    # -- opening -------------------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path | None = None, **kwargs: Any) -> Archive:
        archive = cls(path, **kwargs)
        archive._connect()
        return archive

    def __enter__(self) -> Archive:
        self._connect()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        if self._dense is not None:
            self._dense.close()
        self._dense = None
        self._dense_upto = 0
        self._docmat = None
        self._doc_upto = 0
        if self._conn is not None:
            try:
                self._conn.close()
            finally:
                self._conn = None

    def __repr__(self) -> str:
        return f"Archive({str(self.path)!r})"

    def _db_error(self, exc: sqlite3.Error) -> ArchiveError:
        msg = str(exc) or type(exc).__name__
        low = msg.lower()
        if "locked" in low or "busy" in low:
            return ArchiveError(f"archive {self.path} is locked by another process",
                                hint="wait for the other factdesk to finish, or use another --archive")
        if "malformed" in low or "not a database" in low or "corrupt" in low or "disk i/o" in low:
            return ArchiveError(f"archive {self.path} is corrupted ({msg})", hint=_REBUILD)
        if "unable to open" in low or "readonly" in low or "read-only" in low:
            return ArchiveError(f"cannot write archive {self.path} ({msg})", hint="check the path and permissions")
        return ArchiveError(f"archive {self.path}: database error ({msg})")

    def _connect(self) -> sqlite3.Connection:
        if self._conn is not None:
            return self._conn
        p = self.path
        if p.is_dir():
            raise ArchiveError(f"archive path {p} is a directory, not a file")
        if p.exists():
            try:
                with p.open("rb") as fh:
                    head = fh.read(100)
            except OSError as exc:
                raise ArchiveError(f"cannot read archive {p}: {exc.strerror or exc}") from None
            if head and not head.startswith(b"SQLite format 3\x00"):
                raise ArchiveError(f"{p} is not a factdesk archive (not an SQLite database)",
                                   hint="choose another --archive path")
        elif not self.create:
            raise ArchiveError(f"no archive at {p}", hint="build one first: factdesk archive add SOURCES")
        else:
            try:
                p.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise ArchiveError(f"cannot create archive {p}: {exc.strerror or exc}") from None
        try:
            conn = sqlite3.connect(str(p), timeout=30.0, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise self._db_error(exc) from None
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table','view')")}
            if app_id != APPLICATION_ID:
                if app_id != 0 or tables:
                    raise ArchiveError(f"{p} is an SQLite database but not a factdesk archive",
                                       hint="choose another --archive path")
                if not self.create:
                    raise ArchiveError(f"{p} is an empty database, not a factdesk archive",
                                       hint="build one first: factdesk archive add SOURCES")
                self._configure(conn)
                self._init_schema(conn)
            else:
                self._configure(conn)
                self._check_schema(conn)
            conn.execute(_RECORDS)  # added after schema 1 shipped; harmless on archives that have them
            conn.execute(_REVIEWS)
        except sqlite3.Error as exc:
            conn.close()
            raise self._db_error(exc) from None
        except BaseException:
            conn.close()
            raise
        self._conn = conn
        return conn

    @staticmethod
    def _configure(conn: sqlite3.Connection) -> None:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA temp_store=MEMORY")
        conn.execute("PRAGMA cache_size=-65536")

    def _init_schema(self, conn: sqlite3.Connection) -> None:
        conn.execute("BEGIN IMMEDIATE")
        try:
            if conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID:
                conn.execute("COMMIT")  # another process created it meanwhile
                self._check_schema(conn)
                return
            for stmt in _SCHEMA.split(";"):
                if stmt.strip():
                    conn.execute(stmt)
            conn.executemany("INSERT INTO meta(key, value) VALUES (?, ?)", [
                ("app", APP_NAME),
                ("schema_version", str(SCHEMA_VERSION)),
                ("vector_scale", repr(VECTOR_SCALE)),
                ("vector_dtype", "int8"),
                ("created_at", time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())),
            ])
            conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def _check_schema(self, conn: sqlite3.Connection) -> None:
        p = self.path
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise ArchiveError(f"archive {p} has schema version {version}; this factdesk reads up to "
                               f"{SCHEMA_VERSION}", hint="upgrade factdesk")
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        missing = _REQUIRED_TABLES - tables
        if missing:
            raise ArchiveError(f"archive {p} is incomplete (missing {', '.join(sorted(missing))})", hint=_REBUILD)
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        if meta.get("app") != APP_NAME:
            raise ArchiveError(f"{p} is not a factdesk archive (meta app is {meta.get('app')!r})")
        try:
            size = p.stat().st_size
        except OSError:
            size = 0
        if size <= QUICK_CHECK_MAX_BYTES:
            result = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
            if result != "ok":
                raise ArchiveError(f"archive {p} is corrupted ({result})", hint=_REBUILD)

    # -- meta & model --------------------------------------------------------------------------------------

    def _meta(self) -> dict[str, str]:
        return dict(self._connect().execute("SELECT key, value FROM meta").fetchall())

    @property
    def embedder(self) -> EmbedderLike:
        if self._embedder is None:
            from ..embed import default_embedder

            self._embedder = default_embedder()
        return self._embedder

    def _model_identity(self) -> tuple[str, str]:
        emb = self.embedder
        info = getattr(emb, "info", None)
        if callable(info):
            mi = info()
            return str(mi.name), str(mi.sha256 or mi.version)
        return type(emb).__name__, str(getattr(emb, "sha256", type(emb).__qualname__))

    def _check_model(self) -> None:
        """Raise ArchiveError when the archive's vectors were made by another embedding model."""
        if self._model_ok:
            return
        meta = self._meta()
        stored = meta.get("embed_sha256")
        if stored is None:
            return  # nothing embedded yet; the first ingest records the model
        name, sha = self._model_identity()
        if stored != sha:
            n_docs = self._connect().execute("SELECT count(*) FROM documents").fetchone()[0]
            if n_docs == 0:
                return  # empty archive: the next ingest re-records the model
            raise ArchiveError(
                f"archive {self.path} was built with embedding model {meta.get('embed_model')} "
                f"({stored[:12]}), but this factdesk uses {name} ({sha[:12]})",
                hint=_REBUILD,
            )
        self._model_ok = True

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length embeddings from the archive's embedding model (checked against the one that built it)."""
        self._connect()
        self._check_model()
        return self._encode(texts)

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        vecs = np.asarray(self.embedder.encode(list(texts)), dtype=np.float32)
        if vecs.ndim != 2 or vecs.shape[0] != len(texts):
            raise ArchiveError(f"the embedder returned shape {vecs.shape} for {len(texts)} texts")
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        return vecs / np.maximum(norms, 1e-12)

    def _dim(self) -> int | None:
        d = self._meta().get("embed_dim")
        return int(d) if d else None

    def _scale(self) -> float:
        return float(self._meta().get("vector_scale", VECTOR_SCALE))

    # -- ingest --------------------------------------------------------------------------------------------

    @_guarded
    def add_documents(
        self,
        docs: Iterable[ArchiveDoc | ReadError],
        *,
        batch_size: int = 64,
        progress: Progress | None = None,
        total: int | None = None,
    ) -> AddStats:
        """Add documents (in batches of ``batch_size``, one transaction per batch). Documents whose ``doc_id`` is
        already stored are skipped; :class:`ReadError` items (from the readers) are recorded in ``errors``.
        ``progress(done, total)`` is called after each batch."""
        if batch_size < 1:
            raise ConfigError("batch_size must be at least 1")
        if total is None and hasattr(docs, "__len__"):
            total = len(docs)  # type: ignore[arg-type]
        self._connect()
        self._check_model()
        stats = AddStats()
        done = 0
        batch: list[ArchiveDoc] = []
        for n, item in enumerate(docs, 1):
            if isinstance(item, PriorCheck):
                new = self._write_reviews([item])
                stats.fact_checks += new
                stats.skipped_duplicates += 1 - new
                done += 1
                continue
            if isinstance(item, ReadError):
                (stats.warnings if item.kept else stats.errors).append((item.origin, item.line, item.message))
                done += 0 if item.kept else 1
                continue
            problem = _invalid(item)
            if problem:
                origin = getattr(item, "doc_id", None) or f"document #{n}"
                stats.errors.append((str(origin), None, problem))
                done += 1
                continue
            batch.append(item)
            if len(batch) >= batch_size:
                self._write_batch(batch, stats)
                done += len(batch)
                batch = []
                if progress:
                    progress(done, total)
        if batch:
            self._write_batch(batch, stats)
            done += len(batch)
        if progress:
            progress(done, total)
        return stats

    def add(
        self,
        sources: Sequence[str],
        *,
        allow_private: bool = False,
        progress: Progress | None = None,
        batch_size: int = 64,
    ) -> AddStats:
        """Add files, folders (recursive) and URLs, read by :mod:`factdesk.archive.sources`."""
        from .sources import count_hint, iter_sources

        if isinstance(sources, str | Path):
            sources = [str(sources)]
        total: int | None = 0
        for s in sources:
            c = count_hint(str(s))
            total = None if c is None or total is None else total + c
        return self.add_documents(iter_sources([str(s) for s in sources], allow_private=allow_private),
                                  batch_size=batch_size, progress=progress, total=total)

    def _existing(self, conn: sqlite3.Connection, ids: list[str]) -> set[str]:
        found: set[str] = set()
        for lo in range(0, len(ids), 500):
            part = ids[lo : lo + 500]
            q = f"SELECT doc_id FROM documents WHERE doc_id IN ({','.join('?' * len(part))})"
            found.update(r[0] for r in conn.execute(q, part))
        return found

    def _write_batch(self, batch: list[ArchiveDoc], stats: AddStats) -> None:
        self._n_sentences = None
        self._df.clear()
        conn = self._connect()
        seen: set[str] = set()
        unique: list[ArchiveDoc] = []
        for d in batch:
            if d.doc_id in seen:
                stats.skipped_duplicates += 1
            else:
                seen.add(d.doc_id)
                unique.append(d)
        existing = self._existing(conn, [d.doc_id for d in unique])
        todo = [d for d in unique if d.doc_id not in existing]
        stats.skipped_duplicates += len(unique) - len(todo)
        if not todo:
            return
        spans = [sentence_spans(d.text) for d in todo]
        texts = [d.text[s:e] for d, sp in zip(todo, spans, strict=True) for s, e in sp]
        vecs = self._encode(texts)
        scale = self._scale()
        codes = quantize(vecs, scale)
        sigs = [minhash(d.text) for d in todo]
        name, sha = self._model_identity()
        dim = vecs.shape[1]

        conn.execute("BEGIN IMMEDIATE")
        try:
            meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
            n_docs = None
            if meta.get("embed_sha256") != sha or meta.get("embed_dim") != str(dim):
                n_docs = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
                if n_docs and meta.get("embed_sha256") is not None:
                    raise ArchiveError(
                        f"archive {self.path} was built with embedding model {meta.get('embed_model')} "
                        f"({meta.get('embed_sha256', '')[:12]}, dim {meta.get('embed_dim')}), but this factdesk "
                        f"uses {name} ({sha[:12]}, dim {dim})", hint=_REBUILD)
                conn.executemany("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)",
                                 [("embed_model", name), ("embed_sha256", sha), ("embed_dim", str(dim))])
            existing = self._existing(conn, [d.doc_id for d in todo])  # another writer may have added some
            next_doc = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM documents").fetchone()[0]
            next_sent = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM sentences").fetchone()[0]
            now = time.time()
            row = 0
            for d, sp, sig in zip(todo, spans, sigs, strict=True):
                lo, row = row, row + len(sp)
                if d.doc_id in existing:
                    stats.skipped_duplicates += 1
                    continue
                rowid = next_doc
                next_doc += 1
                keys = band_keys(sig) if _norm_tokens(d.text) else []
                group = self._find_group(conn, sig, keys)
                if group is not None:
                    stats.near_duplicates += 1
                conn.execute(
                    "INSERT INTO documents(id, doc_id, url, title, published, source, text, group_id, n_sentences,"
                    " minhash, added_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    (rowid, d.doc_id, d.url, d.title, d.published, d.source, d.text,
                     group if group is not None else rowid, len(sp), sig.tobytes(), now),
                )
                conn.execute("INSERT INTO documents_fts(rowid, title, text) VALUES (?,?,?)",
                             (rowid, d.title or "", d.text))
                sent_rows = [(next_sent + i, rowid, i, d.text[s:e], s, e) for i, (s, e) in enumerate(sp)]
                conn.executemany('INSERT INTO sentences(id, doc_rowid, idx, text, start, "end") VALUES (?,?,?,?,?,?)',
                                 sent_rows)
                conn.executemany("INSERT INTO sentences_fts(rowid, text) VALUES (?,?)",
                                 [(r[0], r[3]) for r in sent_rows])
                mean = vecs[lo:row].mean(axis=0)
                mean /= max(float(np.linalg.norm(mean)), 1e-12)
                conn.execute("INSERT INTO vectors(doc_rowid, first_sentence, n, block, mean) VALUES (?,?,?,?,?)",
                             (rowid, next_sent, len(sp), codes[lo:row].tobytes(), quantize(mean, scale).tobytes()))
                conn.executemany("INSERT INTO lsh(key, doc_rowid) VALUES (?,?)", [(k, rowid) for k in keys])
                next_sent += len(sp)
                stats.added += 1
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    @staticmethod
    def _find_group(conn: sqlite3.Connection, sig: np.ndarray, keys: list[int]) -> int | None:
        """The group of the most similar stored document with estimated Jaccard >= NEAR_DUP_JACCARD."""
        if not keys:
            return None
        q = f"SELECT DISTINCT doc_rowid FROM lsh WHERE key IN ({','.join('?' * len(keys))}) LIMIT 1000"
        cands = [r[0] for r in conn.execute(q, keys)]
        if not cands:
            return None
        best, best_j = None, NEAR_DUP_JACCARD
        for lo in range(0, len(cands), 500):
            part = cands[lo : lo + 500]
            rows = conn.execute(f"SELECT id, group_id, minhash FROM documents WHERE id IN ({','.join('?' * len(part))})",
                                part).fetchall()
            for rid, gid, blob in rows:
                other = np.frombuffer(blob, dtype=np.uint32)
                j = float(np.mean(other == sig))
                if j >= best_j and (best is None or j > best_j or gid < best):
                    best, best_j = gid, j
        return best

    # -- dense state ---------------------------------------------------------------------------------------

    def _dense_index(self) -> DenseIndex | None:
        conn = self._connect()
        dim = self._dim()
        if dim is None:
            return None
        if self._dense is None:
            backend = self.dense_backend
            if backend == "auto":
                n = conn.execute("SELECT coalesce(sum(n), 0) FROM vectors").fetchone()[0]
                # a float matrix product beats faiss's per-query set-up on small archives
                backend = "numpy" if n < SMALL_INDEX_ROWS else "auto"
            self._dense = DenseIndex(dim, self._scale(), backend)
            self._dense_upto = 0
        top = conn.execute("SELECT coalesce(max(doc_rowid), 0) FROM vectors").fetchone()[0]
        while self._dense_upto < top:
            rows = conn.execute(
                "SELECT doc_rowid, first_sentence, n, block FROM vectors WHERE doc_rowid > ? ORDER BY doc_rowid"
                " LIMIT 20000", (self._dense_upto,)).fetchall()
            if not rows:
                break
            firsts = np.array([r[1] for r in rows], dtype=np.int64)
            counts = np.array([r[2] for r in rows], dtype=np.int64)
            ids = np.repeat(firsts - np.cumsum(counts) + counts, counts) + np.arange(int(counts.sum()))
            codes = np.frombuffer(b"".join(r[3] for r in rows), dtype=np.int8).reshape(-1, dim)
            if len(codes) != len(ids):
                raise ArchiveError(f"archive {self.path} is corrupted (vector blocks do not match sentence counts)",
                                   hint=_REBUILD)
            self._dense.append(ids, codes)
            self._dense_upto = rows[-1][0]
        return self._dense

    def _doc_matrix(self) -> tuple[np.ndarray, np.ndarray] | None:
        conn = self._connect()
        dim = self._dim()
        if dim is None:
            return None
        top = conn.execute("SELECT coalesce(max(doc_rowid), 0) FROM vectors").fetchone()[0]
        if self._docmat is None:
            self._docmat = np.zeros((0, dim), dtype=np.float32)
        if self._doc_upto < top:
            rows = conn.execute("SELECT doc_rowid, mean FROM vectors WHERE doc_rowid > ? ORDER BY doc_rowid",
                                (self._doc_upto,)).fetchall()
            if rows:
                new = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.int8).reshape(-1, dim)
                self._docmat = np.concatenate([self._docmat, new.astype(np.float32) / self._scale()])
                self._docids = np.concatenate([self._docids, np.array([r[0] for r in rows], dtype=np.int64)])
                self._doc_upto = rows[-1][0]
        return self._docids, self._docmat

    # -- search --------------------------------------------------------------------------------------------

    @_guarded
    def search(self, query: str, *, k: int = 10, hybrid: bool = False) -> list[Hit]:
        """Documents for a query, best first, with a snippet of the body (matched terms in ``[ ]``). Full-text
        BM25 (title weighted 3x) by default — it needs no vectors; ``hybrid=True`` ranks as :meth:`related` does
        (document vectors plus BM25), so a query finds articles that say it in other words."""
        if not isinstance(query, str) or not query.strip() or k <= 0:
            return []
        conn = self._connect()
        expr = fts_query(query)
        if hybrid:
            ranked = [(h.doc_id, h.score) for h in self.related(query, k=k)]
        else:
            if not expr:
                return []
            ranked = [(r[0], -float(r[1])) for r in conn.execute(
                "SELECT d.doc_id, bm25(documents_fts, 3.0, 1.0) AS s FROM documents_fts JOIN documents d"
                " ON d.id = documents_fts.rowid WHERE documents_fts MATCH ? ORDER BY s LIMIT ?", (expr, k))]
        if not ranked:
            return []
        marks = ",".join("?" * len(ranked))
        ids = [doc_id for doc_id, _ in ranked]
        snippets: dict[str, str] = {}
        if expr:
            snippets = dict(conn.execute(
                f"SELECT d.doc_id, snippet(documents_fts, 1, '[', ']', ' … ', 24) FROM documents_fts"
                f" JOIN documents d ON d.id = documents_fts.rowid"
                f" WHERE documents_fts MATCH ? AND d.doc_id IN ({marks})", (expr, *ids)).fetchall())
        docs = {r[0]: r for r in conn.execute(
            f"SELECT doc_id, url, title, source, published, group_id, substr(text, 1, 300) FROM documents"
            f" WHERE doc_id IN ({marks})", ids)}
        hits = []
        for doc_id, score in ranked:
            d = docs.get(doc_id)
            if d is None:
                continue
            snippet = snippets.get(doc_id) or " ".join(d[6].split()[:24])
            hits.append(Hit(doc_id=doc_id, url=d[1], title=d[2], source=d[3], published=d[4], score=score,
                            snippet=snippet, group_id=d[5]))
        return hits

    @_guarded
    def _sentence_query(self, query: str) -> str | None:
        """The full-text expression for a claim. On a large archive, words in more than 1% of its sentences are
        dropped (their posting lists cost the most and rank the least), keeping at least the three rarest."""
        terms = query_terms(query, limit=SENTENCE_QUERY_TERMS)
        if not terms:
            return None
        conn = self._connect()
        if self._n_sentences is None:
            self._n_sentences = conn.execute("SELECT coalesce(max(id), 0) FROM sentences").fetchone()[0]
        n = self._n_sentences
        if n >= LARGE_ARCHIVE_SENTENCES and len(terms) > 3:
            cap = int(0.01 * n) + 1  # counting stops here: a common word's full posting list is never walked
            for t in terms:
                if t not in self._df:
                    self._df[t] = conn.execute(
                        "SELECT count(*) FROM (SELECT rowid FROM sentences_fts WHERE sentences_fts MATCH ? LIMIT ?)",
                        (f'"{t}"', cap)).fetchone()[0]
            by_rarity = sorted(terms, key=lambda t: self._df[t])
            keep = set(by_rarity[:3]) | {t for t in terms if self._df[t] <= 0.01 * n}
            terms = [t for t in terms if t in keep]
        return " OR ".join(f'"{t}"' for t in terms)

    def _bm25_sentences(self, expr: str, n: int, only: Sequence[int] | None = None) -> list[tuple[int, float]]:
        conn = self._connect()
        if only is not None:
            if not only:
                return []
            out = []
            only = list(only)
            for lo in range(0, len(only), 500):
                part = only[lo : lo + 500]
                out += conn.execute(
                    f"SELECT rowid, -bm25(sentences_fts) FROM sentences_fts WHERE sentences_fts MATCH ?"
                    f" AND rowid IN ({','.join('?' * len(part))})", (expr, *part)).fetchall()
            return out
        return conn.execute(
            "SELECT rowid, -bm25(sentences_fts) AS s FROM sentences_fts WHERE sentences_fts MATCH ?"
            " ORDER BY s DESC LIMIT ?", (expr, n)).fetchall()

    @_guarded
    def search_sentences(self, query: str, *, k: int = 20, mode: str = "hybrid",
                         vector: np.ndarray | None = None) -> list[SentenceHit]:
        """Sentences for a claim: BM25 over sentences and exact cosine over sentence vectors, fused by reciprocal
        rank (``mode="hybrid"``), or one of them alone (``"bm25"``, ``"dense"``). ``vector``: the query's embedding
        when the caller already has it (unit length, from the archive's embedder)."""
        if mode not in ("hybrid", "bm25", "dense"):
            raise ConfigError(f"mode must be 'hybrid', 'bm25' or 'dense', not {mode!r}")
        if not isinstance(query, str) or not query.strip() or k <= 0:
            return []
        self._connect()
        n_cand = max(3 * k, 50)
        expr = self._sentence_query(query)
        index = None
        if mode != "bm25":
            self._check_model()
            index = self._dense_index()
        qv = None
        if index is not None and len(index):
            qv = self._encode([query])[0] if vector is None else np.asarray(vector, dtype=np.float32)
        dense: list[tuple[int, float]] = []
        if qv is not None and index is not None:
            # on this thread: faiss's OpenMP search is several times slower when called from a worker thread
            ids, cos = index.search(qv, n_cand)
            dense = list(zip(ids.tolist(), cos.tolist(), strict=True))
        lex: list[tuple[int, float]] = []
        if mode != "dense" and expr:
            lex = self._bm25_sentences(expr, n_cand)
        bm = dict(lex)
        co = dict(dense)
        if mode == "hybrid":
            cand = set(bm) | set(co)
            missing_cos = [s for s in cand if s not in co]
            if missing_cos and qv is not None and self._dense is not None:
                co.update(self._dense.cosine(qv, missing_cos))
            # sentences found only by meaning keep bm25 = 0: re-scoring them would run the full-text query again
            lex_rank = {s: r for r, s in enumerate(sorted((s for s in cand if bm.get(s, 0.0) > 0),
                                                          key=lambda s: -bm[s]), 1)}
            dense_rank = {s: r for r, s in enumerate(sorted((s for s in cand if s in co), key=lambda s: -co[s]), 1)}
            score = {s: (1.0 / (RRF_K + lex_rank[s]) if s in lex_rank else 0.0)
                     + (1.0 / (RRF_K + dense_rank[s]) if s in dense_rank else 0.0) for s in cand}
        elif mode == "bm25":
            score = dict(bm)
        else:
            score = dict(co)
        best = sorted(score, key=lambda s: (-score[s], s))[:k]
        if not best:
            return []
        if mode == "dense" and expr:
            bm.update(self._bm25_sentences(expr, 0, only=[s for s in best if s not in bm]))
        return self._sentence_hits(best, score, bm, co)

    def _sentence_hits(self, best: list[int], score: dict[int, float], bm: dict[int, float],
                       co: dict[int, float]) -> list[SentenceHit]:
        conn = self._connect()
        rows = {r[0]: r for r in conn.execute(
            f"SELECT s.id, s.idx, s.text, d.doc_id, d.url, d.title, d.source, d.published, d.group_id"
            f" FROM sentences s JOIN documents d ON d.id = s.doc_rowid WHERE s.id IN ({','.join('?' * len(best))})",
            best)}
        hits = []
        for sid in best:
            r = rows.get(sid)
            if r is None:
                continue
            hits.append(SentenceHit(doc_id=r[3], sentence=r[2], sent_index=r[1], score=float(score[sid]),
                                    bm25=float(bm.get(sid, 0.0)),
                                    cosine=float(co[sid]) if sid in co else None,
                                    url=r[4], title=r[5], source=r[6], published=r[7], group_id=r[8],
                                    sentence_id=int(sid)))
        return hits

    @_guarded
    def sentences_stating(self, numbers: Sequence[float], doc_ids: Sequence[str], *,
                          vector: np.ndarray | None = None, limit: int = 20) -> list[SentenceHit]:
        """Sentences of the given articles that state one of ``numbers`` in digits ("3000", "3,000", "3 000") or
        round ones in words ("three thousand", "a thousand"), with their cosine to ``vector`` when it is given.
        The full-text tokenizer splits "3,000" into "3" "000", so a claim's "3000" would not find it by words, and a
        sentence like "the figure stood at 3,000" may be too unlike the claim to be found by meaning."""
        forms: list[str] = []
        for v in numbers:
            if v is None or not math.isfinite(v) or v != int(v) or abs(v) < 10 or abs(v) >= 1e15:
                continue
            forms += [f'"{int(v)}"', f'"{int(v):,}"'.replace(",", " "), *(f'"{w}"' for w in spoken_forms(v))]
        if not forms or not doc_ids:
            return []
        conn = self._connect()
        ids = list(dict.fromkeys(doc_ids))[:200]
        rows = conn.execute(
            f"SELECT s.id FROM sentences_fts JOIN sentences s ON s.id = sentences_fts.rowid"
            f" JOIN documents d ON d.id = s.doc_rowid WHERE sentences_fts MATCH ? AND d.doc_id IN"
            f" ({','.join('?' * len(ids))}) LIMIT ?", (" OR ".join(dict.fromkeys(forms)), *ids, limit)).fetchall()
        best = [r[0] for r in rows]
        if not best:
            return []
        co: dict[int, float] = {}
        if vector is not None:
            vecs = self.sentence_vectors(best)
            co = {sid: float(v @ np.asarray(vector, dtype=np.float32)) for sid, v in zip(best, vecs, strict=True)
                  if v.any()}
        return self._sentence_hits(best, {sid: co.get(sid, 0.0) for sid in best}, {}, co)

    @_guarded
    def sentences_matching(self, pattern: re.Pattern[str], doc_ids: Sequence[str], vector: np.ndarray, *,
                           limit: int = 10) -> list[SentenceHit]:
        """The sentences of the given articles that ``pattern`` finds something in, most like ``vector`` first
        (``limit`` of them): read by article, so no full-text query runs over the whole archive."""
        ids = list(dict.fromkeys(doc_ids))[:200]
        if not ids:
            return []
        rows = self._connect().execute(
            f"SELECT s.id, s.text FROM sentences s JOIN documents d ON d.id = s.doc_rowid"
            f" WHERE d.doc_id IN ({','.join('?' * len(ids))})", ids).fetchall()
        found = [sid for sid, text in rows if pattern.search(text)]
        if not found:
            return []
        vecs = self.sentence_vectors(found)
        co = {sid: float(v @ np.asarray(vector, dtype=np.float32)) for sid, v in zip(found, vecs, strict=True)}
        best = sorted(found, key=lambda sid: -co[sid])[:limit]
        return self._sentence_hits(best, {sid: co[sid] for sid in best}, {}, co)

    def sentence_vectors(self, ids: Sequence[int]) -> np.ndarray:
        """Unit vectors of archive sentences by id (``SentenceHit.sentence_id``), shape (len(ids), dim); a row
        of zeros for an id the index does not hold."""
        index = self._dense_index()
        dim = self._dim() or 0
        out = np.zeros((len(ids), dim), dtype=np.float32)
        if index is None or not len(ids):
            return out
        got = index.vectors(ids)
        for i, sid in enumerate(ids):
            v = got.get(int(sid))
            if v is not None:
                out[i] = v / max(float(np.linalg.norm(v)), 1e-12)
        return out

    @_guarded
    def previous_sentence_ids(self, ids: Sequence[int]) -> list[int | None]:
        """The id of the sentence before each archive sentence (by ``SentenceHit.sentence_id``) in its document,
        None for a document's first sentence."""
        conn = self._connect()
        out: list[int | None] = []
        for sid in ids:
            row = conn.execute(
                "SELECT p.id FROM sentences s JOIN sentences p ON p.doc_rowid = s.doc_rowid AND p.idx = s.idx - 1 "
                "WHERE s.id = ?", (int(sid),)).fetchone()
            out.append(int(row[0]) if row else None)
        return out

    @_guarded
    def next_sentences(self, ids: Sequence[int]) -> list[str]:
        """The sentence that follows each archive sentence (by ``SentenceHit.sentence_id``) in its document, ""
        where there is none."""
        conn = self._connect()
        out = []
        for sid in ids:
            row = conn.execute(
                "SELECT n.text FROM sentences s JOIN sentences n ON n.doc_rowid = s.doc_rowid AND n.idx = s.idx + 1 "
                "WHERE s.id = ?", (int(sid),)).fetchone()
            out.append(row[0] if row else "")
        return out

    @_guarded
    def related(self, text: str, *, k: int = 10, exclude_url: str | None = None,
                vectors: np.ndarray | None = None) -> list[DocHit]:
        """Articles covering the same story as ``text``, best first: cosine between the text's mean sentence vector
        and each document's mean vector (weight 0.75) plus BM25 over documents normalised to the best (0.25)."""
        if not isinstance(text, str) or not text.strip() or k <= 0:
            return []
        conn = self._connect()
        self._check_model()
        mats = self._doc_matrix()
        if mats is None or not len(mats[0]):
            return []
        docids, mat = mats
        if vectors is None or not len(vectors):
            spans = sentence_spans(text)[:64]
            vectors = self._encode([text[s:e] for s, e in spans] or [text])
        qv = np.asarray(vectors, dtype=np.float32).mean(axis=0)
        qv /= max(float(np.linalg.norm(qv)), 1e-12)
        cos = mat @ qv
        n_cand = max(5 * k, 50)
        m = min(n_cand, len(cos))
        top = np.argpartition(-cos, m - 1)[:m] if m < len(cos) else np.arange(len(cos))
        cand = {int(docids[i]): float(cos[i]) for i in top}
        bm: dict[int, float] = {}
        expr = fts_query(text, limit=24)
        if expr:
            # FTS5 scores every matching document before ORDER BY either way, so a long LIMIT costs little and gives
            # the cosine candidates their scores too; one ranked beyond it scores 0 (`rowid IN (…)` beside MATCH
            # would re-run the match per id: 5 ms for ten ids on 300 documents)
            ranked = conn.execute(
                "SELECT rowid, -bm25(documents_fts, 3.0, 1.0) AS s FROM documents_fts WHERE documents_fts MATCH ?"
                " ORDER BY s DESC LIMIT ?", (expr, max(n_cand, RELATED_BM25_ROWS))).fetchall()
            bm = {rid: s for rid, s in ranked if rid in cand}
            for rid, s in ranked[:n_cand]:
                if rid not in cand:
                    pos = int(np.searchsorted(docids, rid))
                    if pos < len(docids) and docids[pos] == rid:
                        cand[rid] = float(cos[pos])
                        bm[rid] = s
        top_bm = max((v for v in bm.values() if v > 0), default=0.0)
        scored = {r: 0.75 * c + (0.25 * bm.get(r, 0.0) / top_bm if top_bm > 0 else 0.0) for r, c in cand.items()}
        order = sorted(scored, key=lambda r: (-scored[r], r))
        hits: list[DocHit] = []
        for lo in range(0, len(order), 200):
            part = order[lo : lo + 200]
            rows = {r[0]: r for r in conn.execute(
                f"SELECT id, doc_id, url, title, source, published, group_id FROM documents"
                f" WHERE id IN ({','.join('?' * len(part))})", part)}
            for rid in part:
                d = rows.get(rid)
                if d is None or (exclude_url and d[2] == exclude_url):
                    continue
                hits.append(DocHit(doc_id=d[1], url=d[2], title=d[3], source=d[4], published=d[5],
                                   score=float(scored[rid]), cosine=float(cand[rid]), bm25=float(bm.get(rid, 0.0)),
                                   group_id=d[6]))
                if len(hits) >= k:
                    return hits
        return hits

    # -- inspection ----------------------------------------------------------------------------------------

    @_guarded
    def get(self, doc_id: str) -> ArchiveDoc | None:
        row = self._connect().execute(
            "SELECT doc_id, url, title, published, text, source FROM documents WHERE doc_id = ?", (str(doc_id),)
        ).fetchone()
        return ArchiveDoc(*row) if row else None

    @_guarded
    def has_documents(self) -> bool:
        return self._connect().execute("SELECT 1 FROM documents LIMIT 1").fetchone() is not None

    @_guarded
    def stats(self) -> dict[str, Any]:
        conn = self._connect()
        meta = self._meta()
        one = lambda q: conn.execute(q).fetchone()[0]  # noqa: E731
        size = 0
        for suffix in ("", "-wal", "-shm"):
            try:
                size += Path(str(self.path) + suffix).stat().st_size
            except OSError:
                pass
        return {
            "path": str(self.path),
            "schema_version": int(one("PRAGMA user_version")),
            "documents": one("SELECT count(*) FROM documents"),
            "sentences": one("SELECT count(*) FROM sentences"),
            "near_duplicate_groups": one(
                "SELECT count(*) FROM (SELECT group_id FROM documents GROUP BY group_id HAVING count(*) > 1)"),
            "near_duplicate_documents": one("SELECT count(*) FROM documents WHERE group_id != id"),
            "sources": one("SELECT count(DISTINCT source) FROM documents WHERE source IS NOT NULL"),
            "size_bytes": size,
            "embedding_model": meta.get("embed_model"),
            "embedding_sha256": meta.get("embed_sha256"),
            "embedding_dim": int(meta["embed_dim"]) if meta.get("embed_dim") else None,
            "vector_dtype": meta.get("vector_dtype", "int8"),
            "dense_backend": "faiss" if self.dense_backend != "numpy" and _faiss() is not None else "numpy",
            "created_at": meta.get("created_at"),
        }

    def _write_reviews(self, items: list[PriorCheck]) -> int:
        conn = self._connect()
        vecs = self._encode([i.claim for i in items])
        with conn:
            before = conn.total_changes
            conn.executemany("INSERT OR IGNORE INTO claimreviews VALUES (?, ?, ?, ?, ?, ?, ?)",
                             [(i.key, i.claim, i.rating, i.url, i.reviewer, i.date, v.astype(np.float16).tobytes())
                              for i, v in zip(items, vecs, strict=True)])
            return conn.total_changes - before

    @_guarded
    def prior_checks(self, vectors: np.ndarray, *, min_cosine: float = 0.8, k: int = 3) -> list[list[dict[str, Any]]]:
        """For each query vector (a claim's embedding), the stored fact-checks of the same claim, best first."""
        rows = self._connect().execute("SELECT claim, rating, url, reviewer, date, vec FROM claimreviews").fetchall()
        out: list[list[dict[str, Any]]] = [[] for _ in range(len(vectors))]
        if not rows or not len(vectors):
            return out
        mat = np.stack([np.frombuffer(r[5], dtype=np.float16).astype(np.float32) for r in rows])
        sims = np.asarray(vectors, dtype=np.float32) @ mat.T
        for i, row in enumerate(sims):
            for j in np.argsort(-row)[:k]:
                if row[j] >= min_cosine:
                    claim, rating, url, reviewer, date, _ = rows[j]
                    out[i].append({"claim": claim, "rating": rating, "url": url, "reviewer": reviewer,
                                   "date": date, "similarity": round(float(row[j]), 3)})
        return out

    @_guarded
    def record(self, report: dict[str, Any]) -> int:
        """Store a report's claim verdicts under its source domain (re-recording an article replaces its rows);
        returns the number of claims recorded."""
        art = report.get("article") or {}
        src = report.get("source") or {}
        article = art.get("url") or art.get("id") or derive_doc_id(None, art.get("text") or "")
        rows = [(article, src.get("domain"), c["id"], c["verdict"]["label"], ",".join(c["verdict"]["reasons"]),
                 time.time()) for c in report.get("claims", [])]
        conn = self._connect()
        with conn:
            conn.execute("DELETE FROM records WHERE article = ?", (article,))
            conn.executemany("INSERT INTO records VALUES (?, ?, ?, ?, ?, ?)", rows)
        return len(rows)

    @_guarded
    def track_record(self, domain: str | None) -> dict[str, Any] | None:
        """Recorded claims from ``domain`` (and its subdomains) by verdict; None when nothing is recorded."""
        if not domain:
            return None
        conn = self._connect()
        rows = conn.execute("SELECT label, count(*), count(DISTINCT article) FROM records WHERE domain = ? OR domain "
                            "LIKE ? GROUP BY label", (domain, f"%.{domain}")).fetchall()
        if not rows:
            return None
        by = {label: n for label, n, _ in rows}
        articles = conn.execute("SELECT count(DISTINCT article) FROM records WHERE domain = ? OR domain LIKE ?",
                                (domain, f"%.{domain}")).fetchone()[0]
        return {"domain": domain, "articles": articles, "claims": sum(by.values()),
                **{k: by.get(k, 0) for k in ("supported", "misleading", "contradicted", "unverified")}}

    @_guarded
    def iter_documents(self) -> Iterator[ArchiveDoc]:
        """Every stored document, in insertion order."""
        cur = self._connect().execute("SELECT doc_id, url, title, published, text, source FROM documents ORDER BY id")
        for row in cur:
            yield ArchiveDoc(*row)


def _invalid(doc: Any) -> str | None:
    if not isinstance(doc, ArchiveDoc):
        return f"expected an ArchiveDoc, got {type(doc).__name__}"
    if not isinstance(doc.doc_id, str) or not doc.doc_id.strip():
        return "document has no doc_id"
    if not isinstance(doc.text, str) or not doc.text.strip():
        return "document has no text"
    for name in ("url", "title", "published", "source"):
        v = getattr(doc, name)
        if v is not None and not isinstance(v, str):
            return f"{name} must be a string, not {type(v).__name__}"
    if doc.published:
        doc.published = normalize_published(doc.published, strict=False) or doc.published
    return None
