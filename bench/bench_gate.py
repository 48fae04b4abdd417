"""The analysis against one bare MiniLM pass over the same sentences, per span-tagger gate level and thread count.

    python bench/bench_gate.py [--n 200] [--gates 0.3 0.2 0.1 0.05] [--threads 1 2] [--repeat 2]

The speed budget is "the whole analysis within 1.4x one MiniLM pass". Its yardstick depends on threads: with
``FACTDESK_THREADS=2`` two model calls run at once, which nearly doubles the bare pass (all model calls) but not the
analysis, whose Python stages hold the GIL.
Each (threads, gate) cell runs in a fresh process with ``FACTDESK_THREADS`` set (numpy's BLAS on one thread, as the
workers run it), checks N FNC-1 bodies with the tagger gated at that level, then encodes the same sentences with
the bare embedder (``bench_check.time_analysis_and_bare_pass``); medians over ``--repeat`` runs.

Writes bench/results/gate.json and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def one_cell(n: int, gate: float, repeat: int, bodies: Path) -> dict:
    """Run in the child process: analysis and bare pass timings for one gate level."""
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_check import load_articles, time_analysis_and_bare_pass

    from factdesk import build_pipeline
    from factdesk.embed import Embedder

    articles = load_articles(bodies, bodies.with_name("train_stances.csv"), n)
    pipe = build_pipeline()
    next(s for s in pipe.stages if s.name == "language").tagger_gate = gate
    analysis, bare, _ = time_analysis_and_bare_pass(pipe, Embedder(), articles, repeat)
    a, b = statistics.median(analysis), statistics.median(bare)
    return {"analysis_articles_per_s": round(n / a, 2), "minilm_bare_articles_per_s": round(n / b, 2),
            "analysis_time_over_minilm_time": round(a / b, 3)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--gates", type=float, nargs="+", default=[0.3, 0.2, 0.1, 0.05])
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--bodies", type=Path, default=ROOT.parent / "shared/data/fnc1/train_bodies.csv")
    ap.add_argument("--out", type=Path, default=ROOT / "bench/results/gate.json")
    ap.add_argument("--cell", type=float, default=None, help=argparse.SUPPRESS)  # internal: one gate, in a child
    args = ap.parse_args()
    if args.cell is not None:
        print(json.dumps(one_cell(args.n, args.cell, args.repeat, args.bodies)))
        return
    rows = []
    for threads in args.threads:
        for gate in args.gates:
            env = {**os.environ, "FACTDESK_THREADS": str(threads), "OPENBLAS_NUM_THREADS": "1",
                   "OMP_NUM_THREADS": "1"}
            out = subprocess.run([sys.executable, __file__, "--cell", str(gate), "--n", str(args.n), "--repeat",
                                  str(args.repeat), "--bodies", str(args.bodies)], env=env, check=True,
                                 capture_output=True, text=True).stdout
            rows.append({"threads": threads, "gate": gate, **json.loads(out.strip().splitlines()[-1])})
            print(rows[-1], file=sys.stderr, flush=True)
    res = {"n_articles": args.n, "repeat": args.repeat, "cpu_count": os.cpu_count(), "rows": rows}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(res, indent=2) + "\n")
    print("| threads | gate | analysis articles/s | bare MiniLM articles/s | analysis ÷ MiniLM |\n|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['threads']} | {r['gate']} | {r['analysis_articles_per_s']} | {r['minilm_bare_articles_per_s']} "
              f"| {r['analysis_time_over_minilm_time']} |")


if __name__ == "__main__":
    main()
