"""Evidence-archive benchmark: ingest throughput, size on disk, sentence-retrieval latency at ~1M sentences.

    python bench/bench_archive.py [--sentences 1000000] [--ingest-docs 2000] [--queries 200]
                                  [--workdir /tmp/factdesk-archive-bench] [--out bench/results/archive.json]

1. Ingest with the real int8 MiniLM embedder: the first ``--ingest-docs`` documents of the corpus (FNC-1 bodies,
   then lightly varied replicas) through ``Archive.add_documents`` — articles/s, sentences/s, extrapolated time
   for the full build.
2. Large build: the corpus is replicated (new ids and URLs, a dateline, word swaps, a credit line) until it holds
   ``--sentences`` sentences, and ingested through the same code path — FTS5, MinHash near-duplicate grouping,
   int8 vectors — except that vectors come from a *replay embedder*: each sentence gets the real MiniLM vector
   computed in step 1 for its original sentence, plus small seeded noise (sentences without an original, e.g.
   credit lines, get a seeded random vector). Embedding 1M sentences for real would take ~1 h per 300k on 2 cores.
3. Retrieval: ~200 claim-like queries (FNC-1 headlines) through ``search_sentences(mode="hybrid", k=10)`` with the
   real embedder encoding each query; p50/p95 latency, plus bm25-only and dense-only, and the cold first query
   (loading every vector into memory).

Writes bench/results/archive.json. Peak RSS is this process's (ru_maxrss).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import re
import resource
import sys
import time
import zlib
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from factdesk.archive import Archive, ArchiveDoc  # noqa: E402
from factdesk.archive.store import sentence_spans  # noqa: E402
from factdesk.embed import Embedder  # noqa: E402

DATA = Path("/work/shared/data/fnc1")
SWAPS = [("said", "stated"), ("people", "persons"), ("however", "but"), ("also", "additionally"),
         ("reported", "reports"), ("according to", "per"), ("officials", "authorities"), ("told", "informed"),
         ("announced", "declared"), ("about", "around")]
_REVERSE = {b: a for a, b in SWAPS}
_DATELINE = re.compile(r"^\(outlet\d+\) — ")


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_bodies() -> list[tuple[str, str]]:
    csv.field_size_limit(1 << 26)
    with (DATA / "train_bodies.csv").open(encoding="utf-8", newline="") as fh:
        return [(r["Body ID"], r["articleBody"]) for r in csv.DictReader(fh) if r["articleBody"].strip()]


def load_headlines(n: int, seed: int = 0) -> list[str]:
    with (DATA / "train_stances.csv").open(encoding="utf-8", newline="") as fh:
        heads = sorted({r["Headline"].strip() for r in csv.DictReader(fh) if r["Headline"].strip()})
    random.Random(seed).shuffle(heads)
    return heads[:n]


def vary(body: str, r: int) -> str:
    """Replica ``r`` of a body: a dateline, a few word swaps (which ones depends on r), a credit line."""
    if r == 0:
        return body
    text = body
    for i, (a, b) in enumerate(SWAPS):
        if (r >> (i % 5)) & 1:
            text = re.sub(rf"\b{a}\b", b, text)
    return f"(Outlet{r}) — {text.lstrip()}\n\nReporting by Outlet{r} staff."


def norm_key(sentence: str) -> str:
    s = _DATELINE.sub("", " ".join(sentence.lower().split()))
    for b, a in _REVERSE.items():
        s = re.sub(rf"\b{b}\b", a, s)
    return s


def corpus(bodies: list[tuple[str, str]], replicas: int):
    for r in range(replicas):
        for bid, body in bodies:
            yield ArchiveDoc.create(vary(body, r), url=f"https://outlet{r}.example/{bid}", title=None,
                                    published=f"2017-{1 + r % 12:02d}-{1 + int(bid) % 28:02d}",
                                    source=f"outlet{r}.example", doc_id=f"fnc-{bid}-r{r}")


class ReplayEmbedder:
    """Real MiniLM vectors looked up by original sentence, plus small seeded noise; random for unseen sentences."""

    def __init__(self, table: dict[str, np.ndarray], info, noise: float = 0.03) -> None:
        self.table = table
        self._info = info
        self.noise = noise
        self.hits = 0
        self.misses = 0

    def info(self):
        return self._info

    def encode(self, texts):
        out = np.empty((len(texts), 384), dtype=np.float32)
        for i, t in enumerate(texts):
            rng = np.random.default_rng(zlib.crc32(t.encode("utf-8")) ^ (i * 7919))
            base = self.table.get(norm_key(t))
            if base is None:
                self.misses += 1
                v = rng.standard_normal(384).astype(np.float32)
            else:
                self.hits += 1
                v = base + self.noise * rng.standard_normal(384).astype(np.float32)
            out[i] = v / np.linalg.norm(v)
        return out


class QueryEmbedder:
    """Real embedder for queries, identifying as the same model as the replayed vectors."""

    def __init__(self, real: Embedder) -> None:
        self.real = real

    def info(self):
        return self.real.info()

    def encode(self, texts):
        return self.real.encode(texts)


def pct(xs: list[float], p: float) -> float:
    return float(np.percentile(np.asarray(xs), p))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sentences", type=int, default=1_000_000)
    ap.add_argument("--ingest-docs", type=int, default=2000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/factdesk-archive-bench"))
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "archive.json")
    ap.add_argument("--reuse", action="store_true", help="reuse an existing large archive in --workdir")
    args = ap.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    result: dict = {"benchmark": "archive", "python": platform.python_version(), "cpus": os.cpu_count()}

    bodies = load_bodies()
    base_sents = sum(len(sentence_spans(b)) for _, b in bodies)
    log(f"{len(bodies)} FNC-1 bodies, {base_sents} sentences")
    real = Embedder()

    # 1. real-embedder ingest ---------------------------------------------------------------------------------
    small = args.workdir / "ingest.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(str(small) + suffix).unlink(missing_ok=True)
    docs = []
    for d in corpus(bodies, 1 + args.ingest_docs // len(bodies)):
        docs.append(d)
        if len(docs) >= args.ingest_docs:
            break
    real.encode(["warm up"])
    t0, c0 = time.perf_counter(), time.process_time()
    with Archive(small, embedder=real) as ar:
        st = ar.add_documents(docs)
        n_sent = ar.stats()["sentences"]
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    log(f"real ingest: {st.summary()} — {n_sent} sentences in {wall:.1f}s")
    result["ingest_real_embedder"] = {
        "documents": st.added, "sentences": n_sent, "seconds": round(wall, 1), "cpu_seconds": round(cpu, 1),
        "articles_per_s": round(st.added / wall, 2), "sentences_per_s": round(n_sent / wall, 1),
        "near_duplicates": st.near_duplicates,
        "size_bytes": sum(Path(str(small) + s).stat().st_size for s in ("", "-wal", "-shm")
                          if Path(str(small) + s).exists()),
        "extrapolated_hours_for_1M_sentences": round(1_000_000 / (n_sent / wall) / 3600, 2),
    }

    # the replay table: original sentence -> its real vector (from the archive just built)
    table: dict[str, np.ndarray] = {}
    import sqlite3

    con = sqlite3.connect(small)
    for (block, first, n) in con.execute("SELECT block, first_sentence, n FROM vectors"):
        codes = np.frombuffer(block, dtype=np.int8).reshape(n, 384).astype(np.float32)
        texts = [r[0] for r in con.execute("SELECT text FROM sentences WHERE id >= ? AND id < ? ORDER BY id",
                                           (first, first + n))]
        for t, v in zip(texts, codes, strict=True):
            table.setdefault(norm_key(t), v / np.linalg.norm(v))
    con.close()
    log(f"replay table: {len(table)} sentence vectors")

    # 2. large build ------------------------------------------------------------------------------------------
    big = args.workdir / "big.sqlite"
    replicas = -(-args.sentences // base_sents) + 1
    if not (args.reuse and big.exists()):
        for suffix in ("", "-wal", "-shm"):
            Path(str(big) + suffix).unlink(missing_ok=True)
        replay = ReplayEmbedder(table, real.info())
        t0 = time.perf_counter()
        added = 0
        with Archive(big, embedder=replay) as ar:
            def prog(done, total):
                if done % 5120 < 256:
                    log(f"  build: {done} docs, {time.perf_counter() - t0:.0f}s, rss {rss_mb():.0f} MB")

            def limited():
                count = 0
                for d in corpus(bodies, replicas):
                    if count >= args.sentences:
                        return
                    count += len(sentence_spans(d.text))
                    yield d

            st = ar.add_documents(limited(), batch_size=256, progress=prog)
            added = st.added
            stats = ar.stats()
        wall = time.perf_counter() - t0
        log(f"large build: {st.summary()} in {wall:.0f}s; {stats['sentences']} sentences")
        result["build_large"] = {
            "documents": added, "sentences": stats["sentences"], "seconds_without_embedding": round(wall, 1),
            "articles_per_s_without_embedding": round(added / wall, 1),
            "near_duplicate_groups": stats["near_duplicate_groups"],
            "near_duplicate_documents": stats["near_duplicate_documents"],
            "replay_vector_hit_rate": round(replay.hits / max(1, replay.hits + replay.misses), 4),
            "vectors": "real MiniLM vectors of the original sentences + N(0, 0.03) noise (replayed), see docstring",
        }
    with Archive(big, embedder=QueryEmbedder(real)) as ar:
        stats = ar.stats()
    result["index"] = {k: stats[k] for k in ("documents", "sentences", "near_duplicate_groups", "sources",
                                             "size_bytes", "dense_backend", "vector_dtype")}
    result["index"]["size_mb"] = round(stats["size_bytes"] / 2**20, 1)
    log(f"archive: {stats['sentences']} sentences, {stats['size_bytes'] / 2**20:.0f} MB")

    # 3. retrieval latency ------------------------------------------------------------------------------------
    queries = load_headlines(args.queries)
    with Archive(big, embedder=QueryEmbedder(real)) as ar:
        t0 = time.perf_counter()
        ar.search_sentences(queries[0], k=10)
        cold = time.perf_counter() - t0
        log(f"cold first query (loads vectors): {cold:.2f}s, rss {rss_mb():.0f} MB")
        real.encode(queries[:8])
        lat: dict[str, list[float]] = {"hybrid": [], "bm25": [], "dense": [], "encode": []}
        for q in queries:
            t = time.perf_counter()
            real.encode([q])
            lat["encode"].append(time.perf_counter() - t)
            for mode in ("hybrid", "bm25", "dense"):
                t = time.perf_counter()
                hits = ar.search_sentences(q, k=10, mode=mode)
                lat[mode].append(time.perf_counter() - t)
                assert hits or mode == "bm25", (mode, q)
        example = [{"sentence": h.sentence, "score": round(h.score, 4), "bm25": round(h.bm25, 2),
                    "cosine": round(h.cosine, 3) if h.cosine is not None else None, "group_id": h.group_id}
                   for h in ar.search_sentences(queries[1], k=3)]
        # dense-only over the index without the query encoder, to isolate the index scan
        qv = real.encode(queries[:50])
        scan = []
        for v in qv:
            t = time.perf_counter()
            ar._dense.search(v, 30)
            scan.append(time.perf_counter() - t)
    result["retrieval"] = {
        "queries": len(queries), "k": 10, "scale_sentences": stats["sentences"],
        "cold_first_query_s": round(cold, 2),
        **{f"{m}_ms_p50": round(pct(v, 50) * 1000, 1) for m, v in lat.items()},
        **{f"{m}_ms_p95": round(pct(v, 95) * 1000, 1) for m, v in lat.items()},
        "dense_index_scan_ms_p50": round(pct(scan, 50) * 1000, 1),
        "dense_index_scan_ms_p95": round(pct(scan, 95) * 1000, 1),
        "example_query": queries[1], "example_hits": example,
    }
    result["peak_rss_mb"] = round(rss_mb(), 1)
    result["loadavg_1m_after"] = round(os.getloadavg()[0], 2)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    log(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
