"""Loaders for the raw training formats and the deterministic dev splits.

Used by the training scripts, the eval gate (tests/test_models_eval_gate.py) and ``factdesk eval``, so that
a dev metric recorded in a model's meta.json can be recomputed from the raw data with exactly the same split.

Splits are by group, never by row (see ../shared/data/README.md):
- Chakraborty clickbait: by a hash of the normalised headline (there are no groups; identical headlines stay
  together); Webis-17: by a hash of ``text_id``.
- CheckThat!: by debate. The 2019 and 2020 releases contain the same debates under different file names, so
  files that share many sentences are first joined into one debate; sentences are deduplicated within a
  debate, and every sentence seen in a dev debate is kept out of train.
- PTC: by article id.

All hashing uses sha1, so splits do not depend on PYTHONHASHSEED, platform or library versions.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

# the phrase tokenizer lives with the runtime so the lexicon is built and matched by the same code
from factdesk.textmodel import GAP_RE, WORD_RE, word_tokens  # noqa: F401

DEV_PERCENT = 20  # share of groups held out for dev, in percent
CHECKTHAT_DEV_PERCENT = 25  # only 55 debates: a larger share keeps the dev MAP less noisy (9 debates)


def default_data_root() -> Path:
    """``$FACTDESK_DATA`` or the ``shared/data`` folder beside the repository checkout."""
    env = os.environ.get("FACTDESK_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[3].parent / "shared" / "data"


def bucket(key: str, salt: str = "factdesk-dev-v1", n: int = 100) -> int:
    h = hashlib.sha1(f"{salt}:{key}".encode("utf-8")).hexdigest()
    return int(h[:12], 16) % n


def is_dev(key: str, percent: int = DEV_PERCENT) -> bool:
    return bucket(key) < percent


def norm_text(text: str) -> str:
    """Lower-cased, whitespace-collapsed text: the key for deduplication and hash splits."""
    return " ".join(text.lower().split())


# =========================================================================== clickbait


@dataclass(slots=True)
class Headline:
    text: str
    label: int  # 1 = clickbait
    source: str  # "chakraborty" | "webis17"
    key: str  # split key


def load_chakraborty(root: Path | str) -> list[Headline]:
    """Chakraborty et al. 2016: ``clickbait/{clickbait,non_clickbait}_data.txt``, one headline a line."""
    d = Path(root) / "clickbait"
    out: list[Headline] = []
    for fname, label in (("clickbait_data.txt", 1), ("non_clickbait_data.txt", 0)):
        with open(d / fname, encoding="utf-8") as fh:
            for line in fh:
                t = line.strip()
                if t:
                    out.append(Headline(t, label, "chakraborty", norm_text(t)))
    return out


def load_webis17(root: Path | str) -> list[Headline]:
    """Webis-Clickbait-17 derived copy: JSON list of {post_text, click_bait, text_id, ...}."""
    with open(Path(root) / "clickbait" / "webis17_train.json", encoding="utf-8") as fh:
        rows = json.load(fh)
    out = []
    for r in rows:
        t = str(r.get("post_text") or "").strip()
        if t:
            out.append(Headline(t, int(r["click_bait"]), "webis17", str(r["text_id"])))
    return out


def split_headlines(rows: Iterable[Headline]) -> tuple[list[Headline], list[Headline]]:
    train, dev = [], []
    for r in rows:
        (dev if is_dev(f"{r.source}:{r.key}") else train).append(r)
    return train, dev


# =========================================================================== CheckThat!


@dataclass(slots=True)
class CheckSentence:
    debate: str  # debate group id (after joining the 2019/2020 copies)
    text: str
    label: int
    speaker: str = ""
    files: list[str] = field(default_factory=list)


def checkthat_files(root: Path | str) -> list[Path]:
    d = Path(root) / "checkthat"
    files = sorted((d / "clef2019_train").glob("*.tsv")) + sorted((d / "clef2020_train").rglob("*.tsv"))
    return [f for f in files if f.is_file()]


def _read_checkthat_tsv(path: Path) -> list[tuple[str, str, int]]:
    rows = []
    with open(path, encoding="utf-8", newline="") as fh:
        for parts in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(parts) < 4 or not parts[2].strip():
                continue
            try:
                label = int(parts[3])
            except ValueError:  # a header row
                continue
            rows.append((parts[1].strip(), parts[2].strip(), label))
    return rows


def _debate_groups(texts: dict[str, set[str]], min_share: float = 0.10) -> dict[str, str]:
    """Join files sharing >= ``min_share`` of the smaller file's distinct sentences (same debate, two releases)."""
    names = sorted(texts)
    parent = {n: n for n in names}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            small = min(len(texts[a]), len(texts[b])) or 1
            if len(texts[a] & texts[b]) / small >= min_share:
                ra, rb = find(a), find(b)
                if ra != rb:
                    parent[max(ra, rb)] = min(ra, rb)
    return {n: find(n) for n in names}


def load_checkthat(root: Path | str) -> list[CheckSentence]:
    """All CheckThat! 2019 + 2020 training sentences, joined into debates and deduplicated by sentence
    within each debate (label = 1 if any copy is labelled check-worthy). Debate id = the group's first file,
    relative to ``checkthat/``."""
    base = Path(root) / "checkthat"
    per_file: dict[str, list[tuple[str, str, int]]] = {}
    for f in checkthat_files(root):
        per_file[f.relative_to(base).as_posix()] = _read_checkthat_tsv(f)
    groups = _debate_groups({k: {norm_text(t) for _, t, _ in v} for k, v in per_file.items()})
    out: dict[tuple[str, str], CheckSentence] = {}
    for fname in sorted(per_file):
        g = groups[fname]
        for speaker, text, label in per_file[fname]:
            key = (g, norm_text(text))
            cur = out.get(key)
            if cur is None:
                out[key] = CheckSentence(g, text, int(label > 0), speaker, [fname])
            else:
                cur.label = max(cur.label, int(label > 0))
                if fname not in cur.files:
                    cur.files.append(fname)
    return list(out.values())


def _checkthat_dev(debate: str) -> bool:
    return is_dev("checkthat:" + debate, CHECKTHAT_DEV_PERCENT)


def split_checkthat(rows: list[CheckSentence]) -> tuple[list[CheckSentence], list[CheckSentence]]:
    """(train, dev). Dev = whole debates; train is deduplicated by sentence across debates and excludes any
    sentence that occurs in a dev debate."""
    dev = [r for r in rows if _checkthat_dev(r.debate)]
    dev_keys = {norm_text(r.text) for r in dev}
    train_by_key: dict[str, CheckSentence] = {}
    for r in rows:
        if _checkthat_dev(r.debate):
            continue
        k = norm_text(r.text)
        if k in dev_keys:
            continue
        cur = train_by_key.get(k)
        if cur is None:
            train_by_key[k] = CheckSentence(r.debate, r.text, r.label, r.speaker, list(r.files))
        else:
            cur.label = max(cur.label, r.label)
    return list(train_by_key.values()), dev


# =========================================================================== PTC (SemEval-2020 T11)

TECHNIQUES = [
    "Appeal_to_Authority",
    "Appeal_to_fear-prejudice",
    "Bandwagon,Reductio_ad_hitlerum",
    "Black-and-White_Fallacy",
    "Causal_Oversimplification",
    "Doubt",
    "Exaggeration,Minimisation",
    "Flag-Waving",
    "Loaded_Language",
    "Name_Calling,Labeling",
    "Repetition",
    "Slogans",
    "Thought-terminating_Cliches",
    "Whataboutism,Straw_Men,Red_Herring",
]


@dataclass(slots=True)
class PTCArticle:
    id: str
    text: str
    si: list[tuple[int, int]] = field(default_factory=list)
    tc: list[tuple[str, int, int]] = field(default_factory=list)


def load_ptc(root: Path | str) -> dict[str, PTCArticle]:
    d = Path(root) / "ptc"
    arts: dict[str, PTCArticle] = {}
    for f in sorted((d / "train-articles").glob("article*.txt")):
        aid = f.stem[len("article") :]
        with open(f, encoding="utf-8", newline="") as fh:
            arts[aid] = PTCArticle(aid, fh.read())
    for line in open(d / "train-task1-SI.labels", encoding="utf-8"):
        p = line.rstrip("\n").split("\t")
        if len(p) >= 3 and p[0] in arts:
            arts[p[0]].si.append((int(p[1]), int(p[2])))
    for line in open(d / "train-task2-TC.labels", encoding="utf-8"):
        p = line.rstrip("\n").split("\t")
        if len(p) >= 4 and p[0] in arts:
            arts[p[0]].tc.append((p[1], int(p[2]), int(p[3])))
    return arts


def split_ptc(arts: dict[str, PTCArticle]) -> tuple[list[PTCArticle], list[PTCArticle]]:
    train, dev = [], []
    for aid in sorted(arts):
        (dev if is_dev("ptc:" + aid) else train).append(arts[aid])
    return train, dev


def line_spans(text: str) -> list[tuple[int, int]]:
    """PTC articles have one sentence per line: (start, end) of each non-blank line, whitespace trimmed."""
    out = []
    pos = 0
    for line in text.split("\n"):
        s = len(line) - len(line.lstrip())
        e = len(line.rstrip())
        if e > s:
            out.append((pos + s, pos + e))
        pos += len(line) + 1
    return out


@dataclass(slots=True)
class PTCSentence:
    article: str
    start: int
    end: int
    text: str
    label: int  # 1 = overlaps at least one gold SI span


def ptc_sentences(arts: Iterable[PTCArticle]) -> list[PTCSentence]:
    out = []
    for a in arts:
        spans = a.si
        for s, e in line_spans(a.text):
            lab = int(any(ss < e and ee > s for ss, ee in spans))
            out.append(PTCSentence(a.id, s, e, a.text[s:e], lab))
    return out


@dataclass(slots=True)
class PTCSpan:
    article: str
    start: int
    end: int
    text: str
    sentence: str  # the line(s) containing the span
    technique: str
    sentence_start: int = 0  # where ``sentence`` starts in the article


def ptc_spans(arts: Iterable[PTCArticle]) -> list[PTCSpan]:
    """One row per gold TC label (a span with several techniques gives several rows with the same offsets)."""
    out = []
    for a in arts:
        lines = line_spans(a.text)
        for tech, s, e in sorted(a.tc, key=lambda x: (x[1], x[2], x[0])):
            cov = [(ls, le) for ls, le in lines if ls < e and le > s]
            at = cov[0][0] if cov else s
            ctx = a.text[at : cov[-1][1]] if cov else a.text[s:e]
            out.append(PTCSpan(a.id, s, e, a.text[s:e], ctx, tech, at))
    return out


# =========================================================================== training helpers

# licences as the data README states them (../shared/data/README.md)
DATA_LICENCES = {
    "chakraborty2016": "MIT; cite Chakraborty et al. 2016",
    "webis-clickbait-17": "research",
    "clef-checkthat-2019-2020": "free for general research use",
    "ptc-semeval2020-t11": "research; cite Da San Martino et al. 2019",
}
ARTIFACT_LICENCE = (
    "Apache-2.0 (factdesk's licence) for the weights as a work of this project; they are derived from the "
    "data listed under data_licence, whose terms (research use) apply to their use"
)


def hash_block(
    name: str,
    analyzer: str,
    ngram_range: tuple[int, int],
    bits: int,
    *,
    weight: float = 1.0,
    idf: bool = True,
    sublinear_tf: bool = True,
    binary: bool = False,
) -> dict:
    """One featurizer block for ``factdesk.textmodel.HashFeaturizer`` (recorded verbatim in meta.json)."""
    b = {
        "name": name,
        "analyzer": analyzer,
        "ngram_range": [int(ngram_range[0]), int(ngram_range[1])],
        "n_features": 2**bits,
        "lowercase": True,
        "alternate_sign": False,
        "binary": binary,
        "strip_accents": None,
        "sublinear_tf": sublinear_tf,
        "idf": idf,
        "norm": "l2",
        "weight": weight,
        "hashing": "sklearn.feature_extraction.text.HashingVectorizer (murmurhash3_32, norm=None)",
    }
    if analyzer == "word":
        b["token_pattern"] = r"(?u)\b\w+\b"
    return b


def featurizer_spec(blocks: list[dict], extra: list[str] | None = None, extra_weight: float = 1.0) -> dict:
    return {
        "preprocess": {"lowercase": True, "normalize_quotes": True},
        "blocks": blocks,
        "extra": list(extra or []),
        "extra_weight": extra_weight,
    }


def fit_featurizer(spec: dict, texts: list[str]):  # -> HashFeaturizer, arrays
    from factdesk.textmodel import HashFeaturizer, fit_idf

    arrays = fit_idf(HashFeaturizer(spec), texts)
    return HashFeaturizer(spec, arrays), arrays


def platt_fit(z, y) -> tuple[float, float]:
    """Platt scaling p = sigmoid(a*z + b) fitted on held-out decision values (unregularised 1-D LR)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    m = LogisticRegression(C=1e6, max_iter=1000).fit(np.asarray(z).reshape(-1, 1), np.asarray(y))
    return float(m.coef_[0, 0]), float(m.intercept_[0])


def group_folds(groups: list[str], k: int = 3) -> list:
    """Deterministic fold id per row from a hash of its group."""
    import numpy as np

    return np.array([bucket(str(g), salt="factdesk-fold-v1", n=k) for g in groups])


def linear_arrays(coef, intercept, idf_arrays: dict) -> dict:
    import numpy as np

    coef = np.asarray(coef, dtype=np.float32)
    if coef.ndim == 1:
        coef = coef[None, :]
    out = {"coef": coef.astype(np.float16), "intercept": np.asarray(intercept, dtype=np.float32).reshape(-1)}
    out.update(idf_arrays)
    return out


def versions() -> dict:
    import platform

    import numpy as np
    import sklearn

    return {"python": platform.python_version(), "numpy": np.__version__, "scikit-learn": sklearn.__version__}


def update_meta(out_dir, fields: dict) -> dict:
    """Add fields to an artifact's meta.json (files and sha256 are left as written)."""
    p = Path(out_dir) / "meta.json"
    meta = json.loads(p.read_text(encoding="utf-8"))
    meta.update(fields)
    p.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return meta
