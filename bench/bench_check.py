"""Speed of `factdesk check`: articles/s over N FNC-1 bodies with --jsonl, beside the bare cost of one MiniLM pass
over the same sentences, plus cold-start time and peak memory.

    python bench/bench_check.py [--n 1000] [--bodies ../shared/data/fnc1/train_bodies.csv] [--archive-docs 600]

Also the same analysis with evidence tracing: an archive built from ``--archive-docs`` other FNC-1 bodies (real
MiniLM vectors; FNC-1 bodies cover a few hundred stories, so most claims find related evidence), then the N
articles checked against it in-process, and end to end with `check --jsonl --archive`. The --jsonl runs are
measured with one process and with ``--workers`` (default: one per core; memory is summed over the processes).

Writes bench/results/check.json and prints a Markdown table. Medians over --repeat runs; the machine is shared.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def load_articles(bodies: Path, stances: Path, n: int, skip: int = 0) -> list[dict]:
    csv.field_size_limit(10**8)
    titles: dict[str, str] = {}
    if stances.exists():
        with stances.open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                titles.setdefault(row["Body ID"], row["Headline"])
    out = []
    with bodies.open(encoding="utf-8") as f:
        for i, row in enumerate(csv.DictReader(f)):
            if i < skip:
                continue
            out.append({"id": row["Body ID"], "title": titles.get(row["Body ID"]), "text": row["articleBody"]})
            if len(out) == n:
                break
    return out


def _tree_rss_kb(root: int) -> int:
    """Resident memory of a process and all its descendants, from /proc (0 where /proc is missing)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        pid = int(status.parent.name)
        children.setdefault(int(fields.get("PPid", "0").strip()), []).append(pid)
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0])
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += children.get(pid, [])
    return total


def run_tree(cmd: list[str]) -> tuple[float, float]:
    """Run ``cmd``; its wall time and the peak of its process tree's summed RSS in MB (sampled every 0.2 s)."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    while p.poll() is None:
        peak = max(peak, _tree_rss_kb(p.pid))
        time.sleep(0.2)
    elapsed = time.perf_counter() - t0
    if p.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed with exit code {p.returncode}")
    return elapsed, peak / 1024


def time_analysis_and_bare_pass(pipe, emb, articles: list[dict], repeat: int) -> tuple[list[float], list[float],
                                                                                       list[str]]:
    """Seconds of ``repeat`` analyses of ``articles`` (models warmed first), seconds of up to two bare passes of
    ``emb`` over their sentences, and those sentences."""
    from factdesk import ingest

    def doc(a: dict):
        return ingest.from_text(a["text"], title=a["title"] or "untitled")

    pipe(doc(articles[0]))
    analysis: list[float] = []
    sentences: list[str] = []
    for r in range(repeat):
        t0 = time.perf_counter()
        done = [pipe(doc(a)) for a in articles]
        analysis.append(time.perf_counter() - t0)
        if r == 0:
            sentences = [s.text for d in done for s in d.sentences]
    emb.encode(sentences[:64])
    bare = []
    for _ in range(max(1, min(repeat, 2))):
        t0 = time.perf_counter()
        emb.encode(sentences)
        bare.append(time.perf_counter() - t0)
    return analysis, bare, sentences


def cli(*args: str) -> list[str]:
    exe = Path(sys.executable).parent / "factdesk"
    return [str(exe), *args]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--bodies", type=Path, default=ROOT.parent / "shared/data/fnc1/train_bodies.csv")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", type=Path, default=ROOT / "bench/results/check.json")
    ap.add_argument("--archive-docs", type=int, default=600)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="for the --workers rows")
    args = ap.parse_args()
    os.environ["FACTDESK_ARCHIVE"] = str(Path(tempfile.mkdtemp()) / "none.sqlite")  # never the user's archive

    from factdesk import build_pipeline, ingest
    from factdesk.embed import Embedder

    articles = load_articles(args.bodies, args.bodies.with_name("train_stances.csv"), args.n)
    with tempfile.TemporaryDirectory() as tmp:
        jsonl = Path(tmp) / "articles.jsonl"
        jsonl.write_text("\n".join(json.dumps(a) for a in articles) + "\n", encoding="utf-8")

        # 1. cold start: one `factdesk check` of the bundled example, as a user runs it
        cold = []
        for _ in range(max(args.repeat, 3)):
            t0 = time.perf_counter()
            subprocess.run(cli("check", str(ROOT / "examples/transit_rewrite.txt"), "-f", "json"), check=True,
                           stdout=subprocess.DEVNULL)
            cold.append(time.perf_counter() - t0)

        # 2. end to end: `factdesk check --jsonl` over N articles (one model load), peak RSS of that process
        e2e = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            subprocess.run(cli("check", "--jsonl", str(jsonl), "-o", str(Path(tmp) / "out.jsonl")), check=True,
                           stderr=subprocess.DEVNULL)
            e2e.append(time.perf_counter() - t0)
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        # 2b. the same with --workers: one process per core
        par, par_mb = [], []
        for _ in range(args.repeat):
            t, mb = run_tree(cli("check", "--jsonl", str(jsonl), "-w", str(args.workers), "-o",
                                 str(Path(tmp) / "out.jsonl")))
            par.append(t)
            par_mb.append(mb)

    # 3. in-process analysis only (models warm), and the bare MiniLM pass over the same sentences
    pipe = build_pipeline()
    docs = [ingest.from_text(a["text"], title=a["title"] or "untitled") for a in articles]
    emb = Embedder()
    analysis, minilm, sentences = time_analysis_and_bare_pass(pipe, emb, articles, args.repeat)

    # 4. with evidence: an archive of other FNC-1 bodies, the same articles traced against it
    from factdesk.archive import Archive, ArchiveDoc

    evidence_docs = load_articles(args.bodies, args.bodies.with_name("train_stances.csv"), args.archive_docs,
                                  skip=len(articles))
    with tempfile.TemporaryDirectory() as tmp:
        store = Archive(Path(tmp) / "bench.sqlite", embedder=emb)
        t0 = time.perf_counter()
        store.add_documents([ArchiveDoc.create(a["text"], doc_id=f"fnc-{a['id']}", title=a["title"],
                                               url=f"https://fnc.example/{a['id']}") for a in evidence_docs])
        ingest_s = time.perf_counter() - t0
        traced = build_pipeline(archive=store)
        traced(docs[0])
        with_evidence = []
        labels: dict[str, int] = {}
        for r in range(max(1, min(args.repeat, 2))):
            t0 = time.perf_counter()
            done = [traced(ingest.from_text(a["text"], title=a["title"] or "untitled")) for a in articles]
            with_evidence.append(time.perf_counter() - t0)
            if r == 0:
                for d in done:
                    for c in d.claims:
                        labels[c.verdict.label] = labels.get(c.verdict.label, 0) + 1
        archive_sentences = store.stats()["sentences"]
        store.close()
        # 4b. with evidence, end to end: `check --jsonl --archive`, one process and --workers
        jsonl = Path(tmp) / "articles.jsonl"
        jsonl.write_text("\n".join(json.dumps(a) for a in articles) + "\n", encoding="utf-8")
        traced_e2e: dict[int, list[float]] = {1: [], args.workers: []}
        for _ in range(max(1, min(args.repeat, 2))):
            for w in traced_e2e:
                traced_e2e[w].append(run_tree(cli("check", "--jsonl", str(jsonl), "--archive", str(store.path),
                                                  "-w", str(w), "-o", str(Path(tmp) / "out.jsonl")))[0])

    n = len(articles)
    res = {
        "n_articles": n,
        "n_sentences": len(sentences),
        "cold_start_s_median": round(statistics.median(cold), 3),
        "jsonl_end_to_end_articles_per_s": round(n / statistics.median(e2e), 2),
        "analysis_articles_per_s": round(n / statistics.median(analysis), 2),
        "minilm_bare_articles_per_s": round(n / statistics.median(minilm), 2),
        "minilm_bare_sentences_per_s": round(len(sentences) / statistics.median(minilm), 1),
        "analysis_time_over_minilm_time": round(statistics.median(analysis) / statistics.median(minilm), 3),
        "jsonl_peak_rss_mb": round(peak_mb, 1),
        "jsonl_workers": args.workers,
        "jsonl_workers_articles_per_s": round(n / statistics.median(par), 2),
        "jsonl_workers_peak_rss_mb_all_processes": round(statistics.median(par_mb), 1),
        "archive_docs": len(evidence_docs),
        "archive_sentences": archive_sentences,
        "archive_ingest_articles_per_s": round(len(evidence_docs) / ingest_s, 2),
        "with_evidence_articles_per_s": round(n / statistics.median(with_evidence), 2),
        "with_evidence_share_of_analysis_speed": round(statistics.median(analysis) / statistics.median(with_evidence), 3),
        "with_evidence_verdicts": labels,
        "jsonl_with_evidence_articles_per_s": round(n / statistics.median(traced_e2e[1]), 2),
        "jsonl_workers_with_evidence_articles_per_s": round(n / statistics.median(traced_e2e[args.workers]), 2),
        "process_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "cpu_count": os.cpu_count(),
        "python": sys.version.split()[0],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(res, indent=2) + "\n")
    print("| measure | value |\n|---|---|")
    for k, v in res.items():
        print(f"| {k} | {v} |")


if __name__ == "__main__":
    main()
