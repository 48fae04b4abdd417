"""Propaganda Techniques Corpus (SemEval-2020 Task 11) files scored with the shipped propaganda models.

Format: a directory of ``article<ID>.txt`` files (one sentence a line; offsets are characters of the file as
written, newlines included) and a label file, tab-separated:

- SI (span identification): ``article_id  start  end`` → span F1 as SemEval-2020 T11 defines it
  (``metrics.span_prf``: spans merged per article, character-overlap precision and recall, micro over articles).
  Prediction = the product's language stage: the ``ptc_tagger`` span tagger (``factdesk.tagger``) at the
  threshold in its meta.json, on the lines ``propaganda_sentence`` scores at or above ``runtime_gate`` there
  (computed by ``training.train_span_tagger.tagger_dev_metrics``, the function that produced the dev numbers
  in meta.json). The earlier predictor, ``ptc_phrases`` hits gated by ``propaganda_sentence`` at the SI-optimal
  threshold in ``ptc_phrases/meta.json`` (``training.train_propaganda.si_dev_metrics``), is reported beside it
  (``lexicon_*``; ``threshold`` and ``alt_*`` keep their earlier meaning: the lexicon's). Every article in the
  directory is predicted; articles without gold spans count against precision, as in the official scorer.
- TC (technique classification): ``article_id  technique  start  end`` → micro-F1 of ``propaganda_technique``
  on the gold spans (a span carrying m techniques gets the model's m most probable ones).

The task is read from the label file's column count (3 = SI, 4 = TC) unless given.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from factdesk.errors import ConfigError, InputError
from factdesk.training.data import TECHNIQUES, PTCArticle

TASK_COLUMNS = {"si": 3, "tc": 4}


def read_ptc_articles(directory: Path | str) -> dict[str, PTCArticle]:
    d = Path(directory)
    if not d.is_dir():
        raise InputError(f"PTC articles directory {d} does not exist")
    arts: dict[str, PTCArticle] = {}
    for f in sorted(d.glob("article*.txt")):
        aid = f.stem[len("article"):]
        try:
            with open(f, encoding="utf-8", newline="") as fh:
                arts[aid] = PTCArticle(aid, fh.read())
        except UnicodeDecodeError as e:
            raise InputError(f"PTC article {f} is not UTF-8 text: {e.reason} at byte {e.start}") from None
    if not arts:
        raise InputError(f"PTC articles directory {d} has no article<ID>.txt files")
    return arts


def detect_task(labels: Path | str) -> str:
    """``"si"`` or ``"tc"`` from the column count of the first non-blank line."""
    p = Path(labels)
    if not p.is_file():
        raise InputError(f"PTC labels file {p} does not exist")
    try:
        with open(p, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    n = len(line.rstrip("\r\n").split("\t"))
                    for task, cols in TASK_COLUMNS.items():
                        if n == cols:
                            return task
                    raise InputError(f"PTC labels file {p} has {n} tab-separated columns; expected 3 (SI: "
                                     "article_id, start, end) or 4 (TC: article_id, technique, start, end)")
    except UnicodeDecodeError as e:
        raise InputError(f"PTC labels file {p} is not UTF-8 text: {e.reason} at byte {e.start}") from None
    raise InputError(f"PTC labels file {p} is empty")


def read_ptc_labels(labels: Path | str, arts: dict[str, PTCArticle], task: str) -> int:
    """Add the gold spans of ``labels`` to ``arts`` (``si`` or ``tc`` lists); return the number of rows.
    ``InputError`` naming the file and line for a wrong column count, non-integer or out-of-range offsets,
    an unknown technique or an article the directory does not have."""
    p = Path(labels)
    cols = TASK_COLUMNS[task]
    n = 0
    with open(p, encoding="utf-8") as fh:
        for i, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            parts = line.rstrip("\r\n").split("\t")
            if len(parts) != cols:
                raise InputError(f"PTC labels file {p} line {i} has {len(parts)} tab-separated columns; "
                                 f"{task.upper()} labels have {cols}")
            aid = parts[0].strip()
            if aid.startswith("article"):
                aid = aid[len("article"):]
            try:
                s, e = int(parts[-2]), int(parts[-1])
            except ValueError:
                raise InputError(f"PTC labels file {p} line {i}: start/end {parts[-2]!r}, {parts[-1]!r} are not "
                                 "integers") from None
            if aid not in arts:
                raise InputError(f"PTC labels file {p} line {i}: article {aid!r} is not in the articles directory")
            if not 0 <= s < e <= len(arts[aid].text):
                raise InputError(f"PTC labels file {p} line {i}: span {s}-{e} is outside article {aid} "
                                 f"({len(arts[aid].text)} characters)")
            if task == "si":
                arts[aid].si.append((s, e))
            else:
                tech = parts[1].strip()
                if tech not in TECHNIQUES:
                    raise InputError(f"PTC labels file {p} line {i}: technique {tech!r} is not one of the "
                                     f"{len(TECHNIQUES)} SemEval-2020 T11 techniques")
                arts[aid].tc.append((tech, s, e))
            n += 1
    if not n:
        raise InputError(f"PTC labels file {p} has no labels")
    return n


def score_si(arts: list[PTCArticle], lexicon=None, gate=None, tagger=None, thorough: bool = False) -> dict[str, Any]:
    """SI span F1 (``score``) of the span tagger as the product runs it (``thorough``: as ``check --thorough`` runs
    it, on every line), with its alternatives (``ungated_*``, ``gated_*``) and the earlier predictor's figures, the
    gated phrase lexicon (``lexicon_*``)."""
    from factdesk.tagger import default_tagger
    from factdesk.textmodel import load_model
    from factdesk.training.train_propaganda import si_dev_metrics
    from factdesk.training.train_span_tagger import tagger_dev_metrics

    lexicon = lexicon if lexicon is not None else load_model("ptc_phrases")
    gate = gate if gate is not None else load_model("propaganda_sentence")
    tagger = tagger if tagger is not None else default_tagger()
    r = tagger_dev_metrics(tagger, arts, gate)
    if thorough:
        r.update({k.removeprefix("ungated_"): v for k, v in r.items() if k.startswith("ungated_si_")})
        r.update({"gate_threshold": 0.0, "share_of_lines_tagged": 1.0, "n_pred_spans": r["ungated_n_pred_spans"]})
    out: dict[str, Any] = {"score": r["si_f1"], "f1": r["si_f1"], "precision": r["si_precision"],
                           "recall": r["si_recall"], "n_pred_spans": r["n_pred_spans"],
                           "n_gold_spans": r["n_gold_spans"], "tagger_threshold": r["threshold"]}
    out.update({k: v for k, v in r.items() if k not in out and not k.startswith("si_") and k != "threshold"})
    lex = si_dev_metrics(lexicon, gate, arts)
    out.update({"lexicon_si_f1": lex["si_f1"], "lexicon_si_precision": lex["si_precision"],
                "lexicon_si_recall": lex["si_recall"], "lexicon_n_pred_spans": lex["n_pred_spans"]})
    out.update({f"lexicon_{k}": v for k, v in lex.items() if not k.startswith(("si_", "n_")) or k.startswith("si_f1_at")})
    out["n_articles"] = len(arts)
    out["models"] = [_info(tagger), _info(gate), _info(lexicon)]
    return out


def score_tc(arts: list[PTCArticle], model=None, tagger=None) -> dict[str, Any]:
    """Technique micro-F1 (``score``) of ``propaganda_technique`` on the gold TC spans, reading the span
    tagger's states of each span as the product does."""
    from factdesk.tagger import default_tagger
    from factdesk.textmodel import load_model
    from factdesk.training.train_propaganda import technique_dev_metrics

    model = model if model is not None else load_model("propaganda_technique")
    tagger = tagger if tagger is not None else default_tagger()
    r = technique_dev_metrics(model, arts, tagger)
    models = [_info(model)] + ([_info(tagger)] if model.reads_states_of(tagger.info().sha256) else [])
    return {"score": r["micro_f1"], "micro_f1": r["micro_f1"], "n_spans": r["n_spans"], "n_labels": r["n_labels"],
            "n_articles": len(arts), "models": models}


def _info(m) -> dict[str, Any]:
    i = m.info()
    return {"name": i.name, "version": i.version, "sha256": i.sha256}


def evaluate_ptc(articles: Path | str, labels: Path | str, task: str | None = None,
                 thorough: bool = False) -> dict[str, Any]:
    """Score PTC-format files: SI → span F1, TC → technique micro-F1 (both under ``score``)."""
    found = detect_task(labels)
    if task is None:
        task = found
    task = task.lower()
    if task not in TASK_COLUMNS:
        raise InputError(f"PTC task {task!r} is not 'si' or 'tc'")
    if task != found:
        raise InputError(f"PTC labels file {Path(labels)} is in {found.upper()} format "
                         f"({TASK_COLUMNS[found]} columns) but --task {task} was asked")
    arts = read_ptc_articles(articles)
    read_ptc_labels(labels, arts, task)
    ordered = [arts[a] for a in sorted(arts)]
    if thorough and task != "si":
        raise ConfigError("--thorough applies to span identification (SI labels), not to technique labels")
    out = score_si(ordered, thorough=thorough) if task == "si" else score_tc([a for a in ordered if a.tc])
    out.update({"dataset": "ptc-semeval2020-t11", "task": task,
                "metric": "span_f1" if task == "si" else "micro_f1",
                "files": {"articles": str(articles), "labels": str(labels)}})
    return out
