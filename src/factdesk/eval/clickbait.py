"""Clickbait benchmarks scored with the shipped ``clickbait`` model.

- Chakraborty et al. 2016: two plain-text files, one headline a line (blank lines ignored), every line of the
  first file clickbait, of the second not. Official metric: accuracy (P/R/F1 of the clickbait class as well).
  Every clickbait headline in that data is title case, so the input is lower-cased by default (the model also
  lower-cases in its featurizer, so ``--as-is`` gives the same numbers; both are reported).
- Webis-Clickbait-17: a JSON list of posts ``{post_text, click_bait (0/1), ...}`` (the derived copy in
  ``shared/data/clickbait/webis17_train.json``; the original ``postText`` list / ``truthClass`` fields are also
  read). Only the post text is used: ``truth_mean`` / ``truth_median`` / ``truth_mode`` are the annotators'
  judgements, i.e. the label. Official metric: F1 of the clickbait class.

The decision threshold is the one recorded in the model's meta.json (tuned on Webis-17 train, not dev).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from factdesk.errors import InputError
from factdesk.eval.metrics import binary_prf

MAX_HEADLINE_CHARS = 1000  # a longer "line" means the file is not one headline a line


def _model_info(model) -> dict[str, Any]:
    i = model.info()
    return {"name": i.name, "version": i.version, "sha256": i.sha256}


def _load(model):
    if model is not None:
        return model
    from factdesk.textmodel import load_model

    return load_model("clickbait")


def read_headlines(path: Path | str, what: str = "headlines") -> list[str]:
    """One headline a line, blank lines skipped. ``InputError`` naming the file when it is missing, not UTF-8
    text, empty, or looks like another format (JSON, TSV, very long lines)."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{what} file {p} does not exist")
    raw = p.read_bytes()
    if b"\x00" in raw[:4096]:
        raise InputError(f"{what} file {p} is binary, expected one headline a line")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(f"{what} file {p} is not UTF-8 text: {e.reason} at byte {e.start}") from None
    if text.lstrip()[:1] in ("[", "{"):
        raise InputError(f"{what} file {p} looks like JSON, expected one headline a line "
                         "(Webis-17 JSON goes to 'factdesk eval webis17')")
    out: list[str] = []
    for i, line in enumerate(text.splitlines(), start=1):
        t = line.strip()
        if not t:
            continue
        if "\t" in t or len(t) > MAX_HEADLINE_CHARS:
            raise InputError(f"{what} file {p} line {i} is not a headline (tab-separated or over "
                             f"{MAX_HEADLINE_CHARS} characters); expected one headline a line")
        out.append(t)
    if not out:
        raise InputError(f"{what} file {p} has no headlines")
    return out


def score_headlines(texts: Sequence[str], labels: Sequence[int], model=None, *, lowercase: bool = True,
                    both: bool = True) -> dict[str, Any]:
    """Accuracy (``score``) and P/R/F1 of the clickbait class at the model's threshold. With ``both``, the
    accuracy of the other casing is reported too (``accuracy_lowercased`` / ``accuracy_as_is``)."""
    model = _load(model)
    y = np.asarray(labels, dtype=np.int64)

    def run(lower: bool) -> dict[str, float]:
        p = model.predict_proba([t.lower() for t in texts] if lower else list(texts))
        return binary_prf(y, p >= model.threshold)

    main = run(lowercase)
    out: dict[str, Any] = {
        "score": round(main["accuracy"], 4),
        "accuracy": round(main["accuracy"], 4),
        "precision": round(main["precision"], 4),
        "recall": round(main["recall"], 4),
        "f1": round(main["f1"], 4),
        "lowercase": lowercase,
        "threshold": model.threshold,
        "n": int(y.size),
        "n_clickbait": int(y.sum()),
    }
    other = run(not lowercase) if both else None
    low, asis = (main, other) if lowercase else (other, main)
    if low is not None:
        out["accuracy_lowercased"] = round(low["accuracy"], 4)
    if asis is not None:
        out["accuracy_as_is"] = round(asis["accuracy"], 4)
    out["model"] = _model_info(model)
    return out


def evaluate_clickbait(clickbait: Path | str, non_clickbait: Path | str, model=None, *,
                       lowercase: bool = True) -> dict[str, Any]:
    """Chakraborty-format files → ``score`` = accuracy."""
    pos = read_headlines(clickbait, "clickbait headlines")
    neg = read_headlines(non_clickbait, "non-clickbait headlines")
    out = score_headlines(pos + neg, [1] * len(pos) + [0] * len(neg), model, lowercase=lowercase)
    out.update({"dataset": "chakraborty2016", "metric": "accuracy",
                "files": {"clickbait": str(clickbait), "non_clickbait": str(non_clickbait)}})
    return out


def _post_text(r: dict, p: Path, i: int) -> str:
    t = r.get("post_text", r.get("postText"))
    if isinstance(t, list):  # the original Webis-17 release: a list with the post text
        t = " ".join(str(x) for x in t)
    if not isinstance(t, str):
        raise InputError(f"Webis-17 file {p} item {i} has no 'post_text' string")
    return t.strip()


def _label(r: dict, p: Path, i: int) -> int:
    if "click_bait" in r:
        v = r["click_bait"]
        if v in (0, 1, "0", "1") and not isinstance(v, bool):
            return int(v)
        raise InputError(f"Webis-17 file {p} item {i}: 'click_bait' is {v!r}, expected 0 or 1")
    if "truthClass" in r:
        v = r["truthClass"]
        if v in ("clickbait", "no-clickbait"):
            return int(v == "clickbait")
        raise InputError(f"Webis-17 file {p} item {i}: 'truthClass' is {v!r}, expected clickbait/no-clickbait")
    raise InputError(f"Webis-17 file {p} item {i} has no 'click_bait' label")


def read_webis17(path: Path | str) -> tuple[list[str], list[int], list[str]]:
    """(post texts, labels, ids) of a Webis-17 JSON list (or JSON-lines) file; posts with an empty text are
    skipped. Only the post text and the label are read."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"Webis-17 file {p} does not exist")
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(f"Webis-17 file {p} is not UTF-8 text: {e.reason} at byte {e.start}") from None
    try:
        rows = json.loads(text)
    except ValueError:
        try:  # JSON lines, as in the original release's instances.jsonl + truth.jsonl merged
            rows = [json.loads(line) for line in text.splitlines() if line.strip()]
        except ValueError as e:
            raise InputError(f"Webis-17 file {p} is not JSON (expected a list of posts): {e}") from None
    if isinstance(rows, dict):
        rows = [rows]
    if not isinstance(rows, list) or not rows or not all(isinstance(r, dict) for r in rows):
        raise InputError(f"Webis-17 file {p} is not a JSON list of post objects")
    texts, labels, ids = [], [], []
    for i, r in enumerate(rows):
        t = _post_text(r, p, i)
        lab = _label(r, p, i)
        if t:
            texts.append(t)
            labels.append(lab)
            ids.append(str(r.get("text_id", r.get("id", i))))
    if not texts:
        raise InputError(f"Webis-17 file {p} has no posts with text")
    return texts, labels, ids


def score_webis(texts: Sequence[str], labels: Sequence[int], model=None) -> dict[str, Any]:
    """F1 of the clickbait class (``score``), P, R, accuracy on lower-cased post texts."""
    model = _load(model)
    y = np.asarray(labels, dtype=np.int64)
    p = model.predict_proba([t.lower() for t in texts])
    r = binary_prf(y, p >= model.threshold)
    return {
        "score": round(r["f1"], 4),
        "f1": round(r["f1"], 4),
        "precision": round(r["precision"], 4),
        "recall": round(r["recall"], 4),
        "accuracy": round(r["accuracy"], 4),
        "threshold": model.threshold,
        "n": int(y.size),
        "n_clickbait": int(y.sum()),
        "model": _model_info(model),
    }


def evaluate_webis17(path: Path | str, model=None) -> dict[str, Any]:
    """Webis-17 JSON → ``score`` = F1 of the clickbait class."""
    texts, labels, _ = read_webis17(path)
    out = score_webis(texts, labels, model)
    out.update({"dataset": "webis-clickbait-17", "metric": "f1_clickbait", "file": str(path)})
    return out
