"""Throughput of the bare int8 embedder on FNC-1 article bodies.

    python bench/bench_embedder.py [--n 1000] [--bodies PATH] [--batch-size 1] [--threads N]

Splits the first N bodies into sentences, warms the embedder up, times ``Embedder.encode`` over all sentences
(median of 3 runs when one run is quick, else 1 run) and writes bench/results/embedder.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import re
import resource
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from factdesk.embed import DEFAULT_MODEL_DIR, Embedder  # noqa: E402

_PARAGRAPHS = re.compile(r"\n\s*\n")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])")
QUICK_S = 20.0  # a run shorter than this is repeated for a median of 3


def regex_sentences(text: str) -> list[str]:
    out = []
    for para in _PARAGRAPHS.split(text):
        out.extend(s for s in _SENTENCE_END.split(" ".join(para.split())) if s.strip())
    return out


def pick_splitter():
    """factdesk's own segmenter when it exists and behaves as expected, else the regex above."""
    try:
        from factdesk.stages.segment import split_sentences
    except Exception:
        return "regex", regex_sentences

    def seg(text: str) -> list[str]:
        out = []
        for m in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*", text):
            for start, end in split_sentences(text, m.start(), m.end()):
                s = text[start:end].strip()
                if s:
                    out.append(s)
        return out

    try:
        probe = seg("First sentence here. Second one follows.\n\nNew paragraph.")
        if len(probe) == 3 and all(isinstance(s, str) for s in probe):
            return "factdesk.stages.segment", seg
    except Exception:
        pass
    return "regex", regex_sentences


def read_bodies(path: Path, n: int) -> list[str]:
    csv.field_size_limit(1 << 24)
    bodies = []
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            bodies.append(row["articleBody"])
            if len(bodies) >= n:
                break
    return bodies


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bodies", type=Path, default=REPO / ".." / "shared" / "data" / "fnc1" / "train_bodies.csv")
    ap.add_argument("--n", type=int, default=1000, help="number of bodies (articles) to embed")
    ap.add_argument("--batch-size", type=int, default=1, help="texts per ONNX call (the product uses 1)")
    ap.add_argument("--threads", type=int, default=None, help="model calls at once (default: all cores)")
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "embedder.json")
    args = ap.parse_args(argv)

    if not args.bodies.is_file():
        print(f"error: {args.bodies} not found; pass --bodies PATH to FNC-1 train_bodies.csv", file=sys.stderr)
        return 2
    bodies = read_bodies(args.bodies, args.n)
    splitter_name, split = pick_splitter()
    sentences = [s for b in bodies for s in split(b)]
    if not sentences:
        print("error: no sentences found", file=sys.stderr)
        return 2

    emb = Embedder(batch_size=args.batch_size, threads=args.threads)
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(DEFAULT_MODEL_DIR / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(emb.max_length)
    mean_tokens = statistics.fmean(len(e.ids) for e in tok.encode_batch(sentences))

    t0 = time.perf_counter()
    emb.encode(sentences[: min(len(sentences), 4 * args.batch_size)])  # loads the model and warms it up
    load_and_warmup_s = time.perf_counter() - t0

    times = []
    cpu0 = time.process_time()
    for _ in range(3):
        t = time.perf_counter()
        emb.encode(sentences)
        times.append(time.perf_counter() - t)
        if times[0] >= QUICK_S:
            break
    cpu_s = (time.process_time() - cpu0) / len(times)
    wall = statistics.median(times)

    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    result = {
        "benchmark": "embedder.encode",
        "model": emb.info().name,
        "model_sha256": emb.info().sha256,
        "n_articles": len(bodies),
        "n_sentences": len(sentences),
        "mean_tokens": round(mean_tokens, 1),
        "splitter": splitter_name,
        "batch_size": args.batch_size,
        "threads": args.threads or len(os.sched_getaffinity(0)),
        "runs": len(times),
        "seconds_per_run": [round(t, 3) for t in times],
        "seconds_median": round(wall, 3),
        "cpu_seconds_per_run": round(cpu_s, 3),
        "sentences_per_s": round(len(sentences) / wall, 1),
        "articles_per_s": round(len(bodies) / wall, 2),
        # Wall figures swing with other load on a shared box; CPU cost per sentence is the steadier number.
        "sentences_per_cpu_s": round(len(sentences) / cpu_s, 1),
        "loadavg_1m_after": round(os.getloadavg()[0], 2),
        "load_and_warmup_s": round(load_and_warmup_s, 3),
        "peak_rss_mb": round(peak_kb / 1024, 1),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
