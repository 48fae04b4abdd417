"""Throughput of each shipped model on real data samples (this machine: 2 shared cores).

    python bench/bench_models.py [--data DIR] [--n N] [--runs 3]

For every model: load it and warm it up (not timed), then time the runtime call on a sample of the data it was
built for, ``--runs`` times, and report the median:

- clickbait: ``predict_proba`` on Webis-17 posts + Chakraborty headlines (texts/s; n-grams + the fine-tuned
  MiniLM headline encoder)
- checkworthy: ``predict_proba`` on CheckThat! debate sentences (texts/s)
- propaganda_sentence: ``predict_proba`` on PTC article lines (texts/s)
- propaganda_technique: ``predict_proba`` on PTC gold TC span texts (texts/s)
- ptc_phrases: ``PhraseLexicon.find`` on PTC article lines (sentences/s)
- ptc_tagger: ``SpanTagger.spans`` on PTC article lines (sentences/s; the product runs it only on lines the
  ``propaganda_sentence`` gate passes)
- stance: ``StanceModel.predict_proba`` on FNC-1 headline/body pairs with precomputed MiniLM vectors (pairs/s;
  the encoding is done once before timing: it is the MiniLM row)
- headline_stance: ``HeadlineStanceModel.predict_proba`` on the same pairs (pairs/s; stance features plus term
  vectors of headline and body)
- minilm: ``Embedder.encode`` on FNC-1 body sentences (sentences/s; one sentence per call, two calls at once)

Writes bench/results/models.json and prints a Markdown table. Takes about a minute.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from factdesk.training import data as D  # noqa: E402


def timed(fn, runs: int) -> tuple[float, list[float]]:
    secs = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        secs.append(time.perf_counter() - t0)
    return statistics.median(secs), secs


def sample(rows: list, n: int, seed: int = 0) -> list:
    rows = list(rows)
    if len(rows) <= n:
        return rows
    return random.Random(seed).sample(rows, n)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=D.default_data_root())
    ap.add_argument("--n", type=int, default=5000, help="texts per linear-model sample")
    ap.add_argument("--n-embed", type=int, default=600, help="sentences for the MiniLM and tagger rows")
    ap.add_argument("--n-bodies", type=int, default=100, help="FNC-1 bodies whose pairs make the stance sample")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "models.json")
    args = ap.parse_args(argv)
    if not args.data.is_dir():
        sys.exit(f"error: data directory {args.data} does not exist (pass --data or set FACTDESK_DATA)")

    from factdesk.textmodel import load_model

    t_start = time.time()
    rows: list[dict] = []

    def record(model_name: str, unit: str, data_desc: str, n: int, fn, info) -> None:
        med, secs = timed(fn, args.runs)  # the caller warms the model up first (untimed)
        rows.append({"model": model_name, "unit": unit, "data": data_desc, "n": n,
                     "seconds_per_run": [round(s, 4) for s in secs], "seconds_median": round(med, 4),
                     "per_s": round(n / med, 1), "sha256": info.sha256[:12]})
        print(f"  {model_name:22s} {n / med:10.1f} {unit}/s  ({n} in {med:.3f}s)", flush=True)

    # ---------------------------------------------------------------- linear text models
    web = D.load_webis17(args.data)
    chak = D.load_chakraborty(args.data)
    heads = [h.text for h in sample(web, args.n // 2)] + [h.text.lower() for h in sample(chak, args.n // 2)]
    m = load_model("clickbait")
    m.predict_proba(heads[:50])
    record("clickbait", "texts", "Webis-17 posts + Chakraborty headlines", len(heads),
           lambda: m.predict_proba(heads), m.info())

    ct = [s.text for s in sample(D.load_checkthat(args.data), args.n)]
    m = load_model("checkworthy")
    m.predict_proba(ct[:50])
    record("checkworthy", "texts", "CheckThat! debate sentences", len(ct), lambda: m.predict_proba(ct), m.info())

    arts = list(D.load_ptc(args.data).values())
    lines = [s.text for s in sample(D.ptc_sentences(arts), args.n)]
    m = load_model("propaganda_sentence")
    m.predict_proba(lines[:50])
    record("propaganda_sentence", "texts", "PTC article lines", len(lines), lambda: m.predict_proba(lines), m.info())

    spans = [s.text for s in sample(D.ptc_spans(arts), args.n)]
    m = load_model("propaganda_technique")
    m.predict_proba(spans[:50])
    record("propaganda_technique", "texts", "PTC gold TC spans", len(spans), lambda: m.predict_proba(spans), m.info())

    lex = load_model("ptc_phrases")
    lex.find(lines[0])
    record("ptc_phrases (lexicon)", "sentences", "PTC article lines", len(lines),
           lambda: [lex.find(t) for t in lines], lex.info())

    from factdesk.tagger import default_tagger

    tagger = default_tagger()
    tag_lines = lines[: args.n_embed]
    tagger.spans(tag_lines[:32])
    record("ptc_tagger (int8 ONNX)", "sentences", "PTC article lines", len(tag_lines),
           lambda: tagger.spans(tag_lines), tagger.info())

    # ---------------------------------------------------------------- MiniLM and stance
    from factdesk.embed import default_embedder
    from factdesk.eval.fnc1 import body_sentences, read_fnc1
    from factdesk.stance import load_stance

    pairs, bodies = read_fnc1(args.data / "fnc1" / "train_stances.csv", args.data / "fnc1" / "train_bodies.csv")
    body_ids = sorted({p.body_id for p in pairs}, key=lambda b: (D.bucket("bench:" + b), b))[: args.n_bodies]
    sents = {b: body_sentences(bodies[b]) for b in body_ids}
    flat = [s for b in body_ids for s in sents[b]]
    emb = default_embedder()
    emb.encode(flat[:32])
    embed_sample = flat[: args.n_embed]
    record("minilm (int8 ONNX)", "sentences", "FNC-1 body sentences", len(embed_sample),
           lambda: emb.encode(embed_sample), emb.info())

    chosen = [p for p in pairs if p.body_id in set(body_ids)]
    heads_u = sorted({p.headline for p in chosen})
    vecs = emb.encode(flat + heads_u)  # once, not timed
    bvec, pos = {}, 0
    for b in body_ids:
        bvec[b] = vecs[pos: pos + len(sents[b])]
        pos += len(sents[b])
    hvec = {h: vecs[pos + i] for i, h in enumerate(heads_u)}
    import numpy as np

    claims = [p.headline for p in chosen]
    bl = [sents[p.body_id] for p in chosen]
    cv = np.stack([hvec[p.headline] for p in chosen])
    bv = [bvec[p.body_id] for p in chosen]
    st = load_stance()
    st.predict_proba(claims[:10], bl[:10], claim_vecs=cv[:10], body_vecs=bv[:10])
    record("stance", "pairs", f"FNC-1 pairs of {len(body_ids)} bodies (whole bodies, "
           f"{len(flat) / len(body_ids):.0f} sentences each), vectors precomputed", len(chosen),
           lambda: st.predict_proba(claims, bl, claim_vecs=cv, body_vecs=bv), st.info())
    from factdesk.headline_stance import load_headline_stance

    hs = load_headline_stance()
    hs.predict_proba(claims[:10], bl[:10], claim_vecs=cv[:10], body_vecs=bv[:10])
    record("headline_stance", "pairs", "the same FNC-1 pairs, vectors precomputed", len(chosen),
           lambda: hs.predict_proba(claims, bl, claim_vecs=cv, body_vecs=bv), hs.info())

    res = {
        "benchmark": "bench_models",
        "runs": args.runs,
        "statistic": "median",
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "loadavg_1m_after": round(os.getloadavg()[0], 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "total_seconds": round(time.time() - t_start, 1),
        "rows": rows,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
    print()
    print("| model | throughput | unit | sample | n | median s |")
    print("|---|---:|---|---|---:|---:|")
    for r in rows:
        print(f"| {r['model']} | {r['per_s']:,.1f} | {r['unit']}/s | {r['data']} | {r['n']} | {r['seconds_median']:.3f} |")
    print(f"\n{os.cpu_count()} CPUs, median of {args.runs} runs, load average after {res['loadavg_1m_after']}, "
          f"peak RSS {res['peak_rss_mb']} MB, total {res['total_seconds']} s; written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
