"""CLEF CheckThat! check-worthiness in political debates, scored with the shipped ``checkworthy`` model.

Format (2019 and 2020 releases): one TSV file per debate, one sentence a line: ``line_number <TAB> speaker <TAB>
sentence <TAB> label`` (label 1 = check-worthy, 0 = not). A header row is allowed. The official metric is the
mean over debates of the average precision of the debate's sentences ranked by the model's score (MAP), with
the mean precision at 5 / 10 / 20 beside it. Debates without any check-worthy sentence have no AP and are left
out (as ``ranking_by_group`` does; they are counted in ``n_debates_without_positive``).

Only the sentence is used: the speaker column would not transfer to news articles.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from factdesk.errors import InputError
from factdesk.eval.metrics import ranking_by_group

KS = (5, 10, 20)


def checkthat_paths(paths: Iterable[Path | str]) -> list[Path]:
    """Expand directories (recursively, ``*.tsv``) into their files; sorted, each file once."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(f for f in p.rglob("*.tsv") if f.is_file())
            if not found:
                raise InputError(f"CheckThat! directory {p} has no .tsv debate files")
            out.extend(found)
        elif p.is_file():
            out.append(p)
        else:
            raise InputError(f"CheckThat! file {p} does not exist")
    seen: set[Path] = set()
    uniq = []
    for f in out:
        r = f.resolve()
        if r not in seen:
            seen.add(r)
            uniq.append(f)
    if not uniq:
        raise InputError("no CheckThat! debate files given")
    return uniq


def read_checkthat_debate(path: Path | str) -> list[tuple[str, int]]:
    """``[(sentence, label)]`` of one debate TSV; ``InputError`` naming the file and line when a row does not
    have the four columns or its label is not 0/1."""
    p = Path(path)
    rows: list[tuple[str, int]] = []
    try:
        with open(p, encoding="utf-8-sig", newline="") as fh:
            for i, parts in enumerate(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE), start=1):
                if not parts or not any(x.strip() for x in parts):
                    continue
                if len(parts) < 4:
                    raise InputError(f"CheckThat! file {p} line {i} has {len(parts)} tab-separated column(s); "
                                     "expected line_number, speaker, sentence, label")
                label = parts[3].strip()
                if label not in ("0", "1"):
                    if i == 1 and not label.lstrip("-").isdigit():  # a header row
                        continue
                    raise InputError(f"CheckThat! file {p} line {i}: label {parts[3]!r} is not 0 or 1")
                if parts[2].strip():
                    rows.append((parts[2].strip(), int(label)))
    except UnicodeDecodeError as e:
        raise InputError(f"CheckThat! file {p} is not UTF-8 text: {e.reason} at byte {e.start}") from None
    except csv.Error as e:
        raise InputError(f"CheckThat! file {p} is not valid TSV: {e}") from None
    if not rows:
        raise InputError(f"CheckThat! file {p} has no sentences")
    return rows


def score_ranking(debates: Sequence[str], texts: Sequence[str], labels: Sequence[int], model=None) -> dict[str, Any]:
    """MAP over debates (``score``) and mean P@5/10/20 of the model's ranking within each debate."""
    if model is None:
        from factdesk.textmodel import load_model

        model = load_model("checkworthy")
    scores = model.predict_proba(list(texts))
    r = ranking_by_group(list(debates), list(labels), scores, ks=KS)
    n_all = len(set(debates))
    i = model.info()
    out: dict[str, Any] = {"score": round(r["MAP"], 4), "MAP": round(r["MAP"], 4)}
    out.update({f"P@{k}": round(r[f"P@{k}"], 4) for k in KS})
    out.update({"n_debates": r["n_groups"], "n_debates_without_positive": n_all - r["n_groups"],
                "n_sentences": len(texts), "n_positive": int(sum(labels)),
                "model": {"name": i.name, "version": i.version, "sha256": i.sha256}})
    return out


def evaluate_checkthat(paths: Iterable[Path | str] | Path | str, model=None) -> dict[str, Any]:
    """Score debate TSV files (or directories of them); each file is one debate."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    files = checkthat_paths(paths)
    debates, texts, labels = [], [], []
    for f in files:
        for t, lab in read_checkthat_debate(f):
            debates.append(f.as_posix())
            texts.append(t)
            labels.append(lab)
    out = score_ranking(debates, texts, labels, model)
    out.update({"dataset": "clef-checkthat", "metric": "MAP", "files": [str(f) for f in files]})
    return out
