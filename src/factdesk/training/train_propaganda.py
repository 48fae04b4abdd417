"""Train the three Propaganda Techniques Corpus models: ``propaganda_sentence``, ``propaganda_technique``, ``ptc_phrases``.

    python -m factdesk.training.train_propaganda --data /work/shared/data --out src/factdesk/models

Data: PTC (SemEval-2020 Task 11) training articles with their SI spans and TC labels; dev = 20% of articles by
a hash of the article id (``factdesk.training.data.split_ptc``). Nothing below is tuned on dev: thresholds,
calibration and lexicon settings come from 3-fold out-of-fold scores on the training articles (folds grouped by
article), and dev is only measured.

- ``propaganda_sentence`` (binary): P(this sentence contains a propaganda span). One PTC line = one sentence.
  Hashed word 1–2 + char_wb 2–5 grams (sublinear TF-IDF, L2 per block) + log length, L2 logistic regression,
  Platt scaling. Dev: AP and best F1.
- ``propaganda_technique`` (multiclass, labels = ``data.TECHNIQUES``): the technique of a given span text.
  Same kind of features on the span text alone; one-vs-rest L2 logistic regression, softmax over the decision
  values with a temperature fitted out-of-fold. Dev: SemEval T11 TC micro-F1 on the gold dev spans.
- ``ptc_phrases`` (lexicon): lower-cased word 1–4 grams (``textmodel.word_tokens``, never across a segment
  boundary) mined from the training articles; an n-gram is kept if it occurs >= MIN_COUNT times and its
  smoothed in-span precision (inside + 1) / (count + 2) >= MIN_SCORE; technique = the most frequent gold TC
  technique covering its occurrences. Pure stopword / number n-grams are dropped. At run time a hit is used when
  ``score * p_sentence ** 0.5 >= threshold`` (``stages/language.py``); ``threshold`` is chosen on out-of-fold
  SI span F1 (lexicon and gate both rebuilt without the held-out fold). Dev: SI span F1 (``span_prf``).
"""

from __future__ import annotations

import argparse
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

from factdesk.eval.metrics import average_precision, best_f1_threshold, binary_prf, span_prf, technique_micro_f1
from factdesk.training import data as D

SEED = 0
SENT_NAME = "propaganda_sentence"
TECH_NAME = "propaganda_technique"
LEX_NAME = "ptc_phrases"
SENT_C = 2.0
TECH_C = 10.0
HEAD_C = 0.01  # the tagger head: out-of-fold micro-F1 was flat between 0.002 and 0.03
MAX_N = 4
MIN_COUNT = 2  # 2 / 3 / 5 gave out-of-fold SI F1 0.265 / 0.242 / 0.201 (hits, best threshold)
MIN_SCORE = 0.3  # smoothed precision needed to be written to phrases.tsv
GATE_POWER = 0.5  # score_used = hit.score * p_sentence ** GATE_POWER (as in stages/language.py)
THRESHOLDS = [round(0.15 + 0.025 * i, 3) for i in range(19)]  # candidate run-time thresholds 0.15 … 0.60
RUNTIME_DEFAULT = 0.45  # Language(lexicon_threshold=0.45) in stages/language.py


def sentence_spec() -> dict:
    return D.featurizer_spec(
        [D.hash_block("word", "word", (1, 2), 18), D.hash_block("char", "char_wb", (2, 5), 18)], ["log_words"]
    )


def technique_spec() -> dict:
    return D.featurizer_spec(
        [D.hash_block("word", "word", (1, 2), 17), D.hash_block("char", "char_wb", (2, 5), 17)],
        ["log_words", "short"],
    )


# =========================================================================== dev metrics (shared with the eval gate)


def sentence_dev_metrics(model, dev: list[D.PTCArticle]) -> dict:
    sents = D.ptc_sentences(dev)
    y = np.array([s.label for s in sents])
    p = model.predict_proba([s.text for s in sents])
    thr_best, f1_best = best_f1_threshold(y, p)
    at = binary_prf(y, p >= model.threshold)
    return {
        "AP": round(average_precision(y, p), 4),
        "f1_at_threshold": round(at["f1"], 4),
        "precision_at_threshold": round(at["precision"], 4),
        "recall_at_threshold": round(at["recall"], 4),
        "best_f1_any_threshold": round(f1_best, 4),
        "best_f1_threshold": round(thr_best, 3),
        "n_sentences": len(sents),
        "n_positive": int(y.sum()),
    }


def span_states(tagger, spans: list[D.PTCSpan]) -> np.ndarray:
    """The span tagger's features of each gold span, read in its line(s)."""
    return tagger.span_features([s.sentence for s in spans],
                                [(s.start - s.sentence_start, s.end - s.sentence_start) for s in spans])


def technique_dev_metrics(model, dev: list[D.PTCArticle], tagger=None) -> dict:
    """Micro-F1 on the gold spans as the product labels them: with the span tagger's states when the model
    reads them (``tagger``: default the shipped one)."""
    spans = D.ptc_spans(dev)
    states = None
    if getattr(model, "meta", {}).get("tagger_head"):
        from factdesk.tagger import default_tagger

        tagger = tagger if tagger is not None else default_tagger()
        if model.reads_states_of(tagger.info().sha256):
            states = span_states(tagger, spans)
    p = model.predict_proba([s.text for s in spans], states)
    keys = [(s.article, s.start, s.end) for s in spans]
    return {
        "micro_f1": round(technique_micro_f1(keys, [s.technique for s in spans], p, model.labels), 4),
        "n_spans": len(set(keys)),
        "n_labels": len(spans),
    }


def lexicon_spans(lexicon, gate_probs, lines, threshold: float, expand: bool = False) -> list[tuple[int, int]]:
    """Lexicon hits on ``lines`` [(start, end, text)] kept as the run time keeps them; ``expand``: report the
    whole segment (``word_tokens`` segment, i.e. the clause between punctuation) around each kept hit."""
    out = []
    for (s0, _, text), p in zip(lines, gate_probs, strict=True):
        g = float(p) ** GATE_POWER
        hits = [h for h in lexicon.find(text) if h.score * g >= threshold]
        if not hits:
            continue
        if not expand:
            out.extend((s0 + h.start, s0 + h.end) for h in hits)
            continue
        toks = D.word_tokens(text)
        seg_of = {t[0]: t[3] for t in toks}
        bounds: dict[int, list[int]] = {}
        for ts, te, _, sg in toks:
            bounds.setdefault(sg, [ts, te])[1] = te
        for h in hits:
            bs, be = bounds[seg_of[h.start]]
            out.append((s0 + bs, s0 + be))
    return out


def _article_lines(arts: list[D.PTCArticle]) -> list[tuple[str, int, int, str]]:
    return [(a.id, s, e, a.text[s:e]) for a in arts for s, e in D.line_spans(a.text)]


def si_dev_metrics(lexicon, gate, dev: list[D.PTCArticle], threshold: float | None = None) -> dict:
    """SI span F1 of the gated lexicon hits on the dev articles; also the whole-sentence baseline."""
    thr = float(lexicon.meta.get("threshold", 0.45)) if threshold is None else threshold
    rows = _article_lines(dev)
    p = gate.predict_proba([r[3] for r in rows])
    gold = {a.id: list(a.si) for a in dev}
    pred: dict[str, list] = {a.id: [] for a in dev}
    pred_default: dict[str, list] = {a.id: [] for a in dev}
    pred_seg: dict[str, list] = {a.id: [] for a in dev}
    sent_pred: dict[str, list] = {a.id: [] for a in dev}
    for (aid, s, e, text), pi in zip(rows, p, strict=True):
        line = [(s, e, text)]
        pred[aid].extend(lexicon_spans(lexicon, [pi], line, thr))
        pred_default[aid].extend(lexicon_spans(lexicon, [pi], line, RUNTIME_DEFAULT))
        pred_seg[aid].extend(lexicon_spans(lexicon, [pi], line, thr, expand=True))
        if pi >= gate.threshold:
            sent_pred[aid].append((s, e))
    r = span_prf(pred, gold)
    return {
        "si_f1": round(r["f1"], 4),
        "si_precision": round(r["precision"], 4),
        "si_recall": round(r["recall"], 4),
        "n_pred_spans": r["n_pred"],
        "n_gold_spans": r["n_gold"],
        "threshold": thr,
        f"si_f1_at_threshold_{RUNTIME_DEFAULT}": round(span_prf(pred_default, gold)["f1"], 4),
        "alt_hits_expanded_to_segment_si_f1": round(span_prf(pred_seg, gold)["f1"], 4),
        "alt_whole_sentence_at_gate_threshold_si_f1": round(span_prf(sent_pred, gold)["f1"], 4),
    }


# =========================================================================== phrase mining

_STOP: frozenset[str] | None = None


def _stopwords() -> frozenset[str]:
    global _STOP
    if _STOP is None:
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

        _STOP = frozenset(ENGLISH_STOP_WORDS) | {"s", "t", "don't", "it's", "i'm", "he's", "that's", "mr", "mrs"}
    return _STOP


def _content(tok: str) -> bool:
    return tok not in _stopwords() and not tok.replace("'", "").isdigit() and any(c.isalpha() for c in tok)


def ngram_stats(arts: list[D.PTCArticle], max_n: int = MAX_N):
    """n-gram → [count, inside, Counter(technique)] over the articles."""
    stats: dict[str, list] = defaultdict(lambda: [0, 0, Counter()])
    for a in arts:
        mask = np.zeros(len(a.text) + 1, dtype=np.int32)
        for s, e in a.si:
            mask[s:e] = 1
        cum = np.concatenate([[0], np.cumsum(mask)])
        toks = D.word_tokens(a.text)
        for i in range(len(toks)):
            key = ""
            for n in range(1, max_n + 1):
                j = i + n - 1
                if j >= len(toks) or toks[j][3] != toks[i][3]:
                    break
                key = toks[j][2] if n == 1 else f"{key} {toks[j][2]}"
                s, e = toks[i][0], toks[j][1]
                st = stats[key]
                st[0] += 1
                if cum[e] - cum[s] == e - s:
                    st[1] += 1
                    for tech, ts, te in a.tc:
                        if ts <= s and te >= e:
                            st[2][tech] += 1
    return stats


def select_phrases(stats, min_count: int = MIN_COUNT, min_score: float = MIN_SCORE) -> dict[str, tuple[str, float, int]]:
    out = {}
    for key, (count, inside, techs) in stats.items():
        if count < min_count or not techs:
            continue
        score = (inside + 1) / (count + 2)
        if score < min_score:
            continue
        if not any(_content(t) for t in key.split(" ")):
            continue
        tech = sorted(techs.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        out[key] = (tech, round(score, 4), count)
    return out


def make_lexicon(phrases: dict[str, tuple[str, float, int]], threshold: float = 0.45):
    from factdesk.textmodel import PhraseLexicon

    return PhraseLexicon(LEX_NAME, {"threshold": threshold}, {k: (t, s) for k, (t, s, _) in phrases.items()})


def phrases_tsv(phrases: dict[str, tuple[str, float, int]]) -> str:
    lines = ["phrase\ttechnique\tscore\tcount"]
    for k, (t, s, c) in sorted(phrases.items(), key=lambda kv: (-kv[1][1], -kv[1][2], kv[0])):
        lines.append(f"{k}\t{t}\t{s}\t{c}")
    return "\n".join(lines) + "\n"


# =========================================================================== training


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("--data", type=Path, default=D.default_data_root())
    ap.add_argument("--out", type=Path, default=Path("src/factdesk/models"), help="models root (one dir per model)")
    ap.add_argument("--tagger", type=Path, default=None,
                    help="ptc_tagger folder whose hidden states the technique model reads (default: the shipped one)")
    args = ap.parse_args(argv)
    from sklearn.linear_model import LogisticRegression

    from factdesk.textmodel import MultiClassClassifier, PhraseLexicon, TextClassifier, write_artifact

    arts = D.load_ptc(args.data)
    train, dev = D.split_ptc(arts)
    art_fold = dict(zip([a.id for a in train], D.group_folds([a.id for a in train], k=3), strict=True))
    common_data = {
        "datasets": ["ptc-semeval2020-t11"],
        "paths": ["ptc/train-articles/*.txt", "ptc/train-task1-SI.labels", "ptc/train-task2-TC.labels"],
        "split": "dev = 20% of articles by sha1 of the article id; factdesk.training.data.split_ptc",
    }
    licence = {"data_licence": {"ptc-semeval2020-t11": D.DATA_LICENCES["ptc-semeval2020-t11"]},
               "licence": D.ARTIFACT_LICENCE}

    # ------------------------------------------------------------------ 1. sentence gate
    t0 = time.time()
    sents = D.ptc_sentences(train)
    texts = [s.text for s in sents]
    y = np.array([s.label for s in sents])
    feat, arrays = D.fit_featurizer(sentence_spec(), texts)
    X = feat.transform(texts)

    def fit_sent(rows):
        return LogisticRegression(C=SENT_C, solver="liblinear", max_iter=5000, random_state=SEED).fit(X[rows], y[rows])

    folds = np.array([art_fold[s.article] for s in sents])
    oof = np.zeros(len(sents))
    for k in range(3):
        oof[folds == k] = fit_sent(folds != k).decision_function(X[folds == k])
    a, b = D.platt_fit(oof, y)
    p_oof = 1.0 / (1.0 + np.exp(-(a * oof + b)))
    thr, oof_f1 = best_f1_threshold(y, p_oof)
    model = fit_sent(np.ones(len(sents), dtype=bool))
    sent_secs = round(time.time() - t0, 1)
    sent_dir = args.out / SENT_NAME
    write_artifact(sent_dir, {
        "name": SENT_NAME,
        "version": "1",
        "kind": "binary",
        "task": "propaganda sentence detection: P(the sentence contains a propaganda span, PTC SI)",
        "positive_label": "contains propaganda",
        "threshold": round(thr, 3),
        "threshold_source": "best F1 on 3-fold out-of-fold train scores (grouped by article), not dev",
        "calibration": {"method": "platt", "a": a, "b": b, "fitted_on": "3-fold out-of-fold train scores"},
        "featurizer": sentence_spec(),
        "model": {"type": "logistic regression (L2)", "C": SENT_C, "solver": "liblinear", "seed": SEED},
        "data": {**common_data, "unit": "one PTC line = one sentence; label = overlaps a gold SI span",
                 "n_train": len(sents), "n_train_positive": int(y.sum()), "n_dev": len(D.ptc_sentences(dev))},
        **licence,
        "training": {"seconds": sent_secs, "versions": D.versions(), "oof_AP": round(average_precision(y, p_oof), 4),
                     "oof_f1_at_threshold": round(oof_f1, 4)},
    }, arrays=D.linear_arrays(model.coef_, model.intercept_, arrays))
    gate = TextClassifier.load(SENT_NAME, args.out)
    m_sent = sentence_dev_metrics(gate, dev)
    sanity = {t: round(float(p), 3) for t, p in zip(SANITY, gate.predict_proba(SANITY), strict=True)}
    D.update_meta(sent_dir, {"metrics": {"dev": m_sent}, "sanity": sanity})
    print(f"[{SENT_NAME}] {m_sent}  threshold {thr:.3f}  {sent_secs}s", flush=True)

    # ------------------------------------------------------------------ 2. phrase lexicon (uses the OOF gate)
    t0 = time.time()
    p_line = {(s.article, s.start): float(p) for s, p in zip(sents, p_oof, strict=True)}
    pred_by_thr: dict[float, dict[str, list]] = {t: {} for t in THRESHOLDS}
    gold_oof: dict[str, list] = {}
    for k in range(3):
        lex_k = make_lexicon(select_phrases(ngram_stats([a for a in train if art_fold[a.id] != k])))
        for art in (a for a in train if art_fold[a.id] == k):
            gold_oof[art.id] = list(art.si)
            lines = [(s, e, art.text[s:e]) for s, e in D.line_spans(art.text)]
            probs = [p_line[(art.id, s)] for s, _, _ in lines]
            hits = []
            for (s0, _, text), p in zip(lines, probs, strict=True):
                g = p**GATE_POWER
                hits.extend((s0 + h.start, s0 + h.end, h.score * g) for h in lex_k.find(text))
            for t in THRESHOLDS:
                pred_by_thr[t][art.id] = [(s, e) for s, e, sc in hits if sc >= t]
    oof_si = {t: span_prf(pred_by_thr[t], gold_oof) for t in THRESHOLDS}
    lex_thr = max(THRESHOLDS, key=lambda t: (round(oof_si[t]["f1"], 4), -t))
    stats = ngram_stats(train)
    phrases = select_phrases(stats)
    lex_secs = round(time.time() - t0, 1)
    lex_dir = args.out / LEX_NAME
    write_artifact(lex_dir, {
        "name": LEX_NAME,
        "version": "1",
        "kind": "lexicon",
        "task": "phrases typical of propaganda spans (PTC SI) with their most frequent technique (PTC TC)",
        "threshold": lex_thr,
        "threshold_source": f"best out-of-fold SI span F1 on train (3 folds by article; lexicon and "
                            f"{SENT_NAME} gate refitted without the held-out fold), not dev",
        "gate": {"model": SENT_NAME, "score_used": f"hit.score * p_sentence ** {GATE_POWER}",
                 "keep_if": "score_used >= threshold"},
        "mining": {"tokenizer": "factdesk.textmodel.word_tokens (lower-cased; never across a segment boundary)",
                   "ngram_range": [1, MAX_N], "min_count": MIN_COUNT, "min_score": MIN_SCORE,
                   "score": "(inside + 1) / (count + 2); inside = occurrences fully inside a gold SI span",
                   "technique": "most frequent gold TC technique among spans covering an inside occurrence",
                   "dropped": "n-grams of stopwords / numbers only; n-grams never inside a span"},
        "data": {**common_data, "n_train": len(train), "n_dev": len(dev), "n_phrases": len(phrases)},
        **licence,
        "training": {"seconds": lex_secs, "versions": D.versions(),
                     "oof_si": {str(t): round(v["f1"], 4) for t, v in oof_si.items()}},
    }, text_files={"phrases.tsv": phrases_tsv(phrases)})
    lexicon = PhraseLexicon.load(LEX_NAME, args.out)
    m_si = si_dev_metrics(lexicon, gate, dev)
    lex_sanity = {t: [[h.text, h.technique, round(h.score * float(p) ** GATE_POWER, 3)] for h in lexicon.find(t)
                      if h.score * float(p) ** GATE_POWER >= lex_thr]
                  for t, p in zip(SANITY, gate.predict_proba(SANITY), strict=True)}
    D.update_meta(lex_dir, {"metrics": {"dev": m_si}, "sanity": lex_sanity})
    print(f"[{LEX_NAME}] {len(phrases)} phrases  threshold {lex_thr}  oof F1 {oof_si[lex_thr]['f1']:.4f}  "
          f"{m_si}  {lex_secs}s", flush=True)

    # ------------------------------------------------------------------ 3. technique classifier
    t0 = time.time()
    spans = D.ptc_spans(train)
    labels = list(D.TECHNIQUES)
    stexts = [s.text for s in spans]
    yt = np.array([labels.index(s.technique) for s in spans])
    tfeat, tarrays = D.fit_featurizer(technique_spec(), stexts)
    XT = tfeat.transform(stexts)

    def fit_tech(rows):
        coef, icpt = [], []
        for j in range(len(labels)):
            yj = (yt[rows] == j).astype(int)
            m = LogisticRegression(C=TECH_C, solver="liblinear", max_iter=5000, random_state=SEED).fit(XT[rows], yj)
            coef.append(m.coef_[0])
            icpt.append(m.intercept_[0])
        return np.vstack(coef), np.array(icpt)

    tfolds = np.array([art_fold[s.article] for s in spans])
    zo = np.zeros((len(spans), len(labels)))
    for k in range(3):
        c, i0 = fit_tech(tfolds != k)
        zo[tfolds == k] = XT[tfolds == k] @ c.T + i0
    temp = _fit_temperature(zo, yt)
    okeys = [(s.article, s.start, s.end) for s in spans]
    oof_tc = technique_micro_f1(okeys, [s.technique for s in spans], zo, labels)
    coef, icpt = fit_tech(np.ones(len(spans), dtype=bool))

    # the span tagger's view of each span (its last hidden state pooled over the span and its line): a linear
    # softmax on it, mixed with the n-gram scores; the mixing weight is the best out-of-fold one
    from factdesk.tagger import SpanTagger

    tagger = SpanTagger(args.tagger)
    S = span_states(tagger, spans)
    mean, scale = S.mean(axis=0), S.std(axis=0) + 1e-6
    SZ = (S - mean) / scale

    def fit_head(rows):
        return LogisticRegression(C=HEAD_C, max_iter=3000, random_state=SEED).fit(SZ[rows], yt[rows])

    log_h = np.zeros_like(zo)
    for k in range(3):
        log_h[tfolds == k] = fit_head(tfolds != k).predict_log_proba(SZ[tfolds == k])
    mix = {round(float(a), 1): technique_micro_f1(okeys, [s.technique for s in spans],
                                                  a * zo / temp + (1 - a) * log_h, labels)
           for a in np.linspace(0.0, 1.0, 11)}
    alpha = max(mix, key=lambda a: (mix[a], a))
    head = fit_head(np.ones(len(spans), dtype=bool))
    tech_secs = round(time.time() - t0, 1)
    tech_dir = args.out / TECH_NAME
    write_artifact(tech_dir, {
        "name": TECH_NAME,
        "version": "2",
        "kind": "multiclass",
        "task": "propaganda technique (PTC TC) of a given span of text",
        "labels": labels,
        "calibration": {"method": "temperature", "temperature": temp,
                        "fitted_on": "3-fold out-of-fold train decision values (grouped by article), NLL"},
        "featurizer": technique_spec(),
        "model": {"type": "one-vs-rest logistic regression (L2), softmax over decision values", "C": TECH_C,
                  "solver": "liblinear", "seed": SEED},
        "tagger_head": {
            "features": "ptc_tagger's last hidden state (graph output 'hidden'): mean over the span's wordpieces, "
                        "mean over its line(s), first and last wordpiece (4 x 384), standardised",
            "model": "multinomial logistic regression (L2, lbfgs)", "C": HEAD_C, "seed": SEED,
            "alpha": alpha,
            "mix": "softmax(alpha * ngram_decision / temperature + (1 - alpha) * log P_head); alpha = best "
                   "3-fold out-of-fold micro-F1 (grouped by article)",
            "oof_micro_f1_by_alpha": mix,
            "tagger_sha256": tagger.info().sha256,
        },
        "data": {**common_data, "unit": "gold TC span text; a span with several techniques gives several rows",
                 "n_train": len(spans), "n_dev": len(D.ptc_spans(dev))},
        **licence,
        "training": {"seconds": tech_secs, "versions": D.versions(), "oof_micro_f1": round(oof_tc, 4),
                     "oof_micro_f1_with_head": round(mix[alpha], 4)},
    }, arrays={**D.linear_arrays(coef, icpt, tarrays), "head_mean": mean.astype(np.float32),
               "head_scale": scale.astype(np.float32), "head_coef": head.coef_.astype(np.float32),
               "head_intercept": head.intercept_.astype(np.float32)})
    tech = MultiClassClassifier.load(TECH_NAME, args.out)
    m_tech = technique_dev_metrics(tech, dev, tagger)
    m_tech["ngram_only_micro_f1"] = round(technique_micro_f1(
        [(s.article, s.start, s.end) for s in D.ptc_spans(dev)], [s.technique for s in D.ptc_spans(dev)],
        tech.predict_proba([s.text for s in D.ptc_spans(dev)]), labels), 4)
    tsanity = {t: lab for t, lab in zip(TECH_SANITY, tech.predict(TECH_SANITY), strict=True)}
    D.update_meta(tech_dir, {"metrics": {"dev": m_tech}, "sanity": tsanity})
    print(f"[{TECH_NAME}] {m_tech}  T={temp:.3f}  oof {oof_tc:.4f}  {tech_secs}s", flush=True)
    for t, p in sanity.items():
        print(f"  {p:.3f}  {t}  {lex_sanity[t]}")
    for t, lab in tsanity.items():
        print(f"  {lab:35s} {t}")


def _fit_temperature(z: np.ndarray, y: np.ndarray) -> float:
    """Temperature T minimising the NLL of softmax(z / T) (grid search, log scale)."""
    best, best_nll = 1.0, np.inf
    for t in np.exp(np.linspace(np.log(0.1), np.log(5.0), 60)):
        zt = z / t
        zt = zt - zt.max(axis=1, keepdims=True)
        nll = float(np.mean(np.log(np.exp(zt).sum(axis=1)) - zt[np.arange(len(y)), y]))
        if nll < best_nll:
            best, best_nll = float(t), nll
    return round(best, 4)


SANITY = [
    "The Donald has hunted them down like wild dogs and reduced their Islamic state to ashes.",
    "These traitors and their globalist puppet masters want to destroy everything our great nation stands for.",
    "The radical left will stop at nothing to silence you.",
    "The city council voted 7-2 on Tuesday to approve the budget, a spokeswoman said.",
    "The company reported revenue of $4.2 billion for the third quarter, up 3 percent from a year earlier.",
    "The meeting is scheduled for 10 a.m. at the county courthouse.",
]
TECH_SANITY = [
    "hunted them down like wild dogs",
    "traitors",
    "Make America Great Again",
    "God bless America",
    "so-called experts",
    "Hitler",
]

if __name__ == "__main__":
    main()
