"""Runtime of the shipped text models (factdesk.textmodel): loading, integrity checks, real predictions."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from factdesk.errors import ModelError
from factdesk.textmodel import (
    MODELS_ROOT,
    HashFeaturizer,
    MultiClassClassifier,
    PhraseLexicon,
    TextClassifier,
    load_model,
    word_tokens,
)

# (model, texts that should score high, texts that should score low)
BINARY = {
    "clickbait": (
        ["You Won't Believe What This Celebrity Did Next", "17 Photos That Prove Cats Are Secretly Plotting Against You"],
        ["Senate passes budget bill after late-night vote", "Earthquake of magnitude 6.1 strikes off coast of Japan"],
    ),
    "checkworthy": (
        ["Unemployment has fallen to 3.5 percent, the lowest level in 50 years.",
         "We spent $2 trillion on the war in Iraq."],
        ["Thank you very much.", "Good evening, everyone."],
    ),
    "propaganda_sentence": (
        ["The Donald has hunted them down like wild dogs and reduced their Islamic state to ashes.",
         "These traitors and their globalist puppet masters want to destroy everything our great nation stands for."],
        ["The city council voted 7-2 on Tuesday to approve the budget, a spokeswoman said.",
         "The meeting is scheduled for 10 a.m. at the county courthouse."],
    ),
}
WIRE = "The city council voted 7-2 on Tuesday to approve the budget, a spokeswoman said."


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_models_probabilities_and_ordering(name):
    model = load_model(name)
    assert isinstance(model, TextClassifier)
    high, low = BINARY[name]
    p_high, p_low = model.predict_proba(high), model.predict_proba(low)
    for p in (p_high, p_low):
        assert p.shape == (2,) and np.all((p >= 0) & (p <= 1))
    assert p_high.min() > p_low.max(), (p_high, p_low)
    assert model.predict(high).dtype == bool
    assert model.info().sha256 == model.meta["sha256"]


def test_propaganda_gate_is_confident_on_obvious_cases():
    gate = load_model("propaganda_sentence")
    p_loaded, p_wire = gate.predict_proba([BINARY["propaganda_sentence"][0][0], WIRE])
    assert p_loaded >= gate.threshold > p_wire
    assert p_wire < 0.1


def test_technique_model():
    model = load_model("propaganda_technique")
    assert isinstance(model, MultiClassClassifier)
    from factdesk.training.data import TECHNIQUES

    assert model.labels == TECHNIQUES
    texts = ["traitors", "Make America Great Again", "God bless America", "hunted them down like wild dogs"]
    p = model.predict_proba(texts)
    assert p.shape == (4, len(TECHNIQUES))
    assert np.all((p >= 0) & (p <= 1)) and np.allclose(p.sum(axis=1), 1.0, atol=1e-5)
    assert model.predict(texts) == ["Name_Calling,Labeling", "Slogans", "Flag-Waving", "Loaded_Language"]


def test_phrase_lexicon_gated_like_the_runtime():
    lex, gate = load_model("ptc_phrases"), load_model("propaganda_sentence")
    assert isinstance(lex, PhraseLexicon) and len(lex) > 100
    thr = float(lex.meta["threshold"])
    loaded = "These traitors and their globalist puppet masters want to destroy everything our great nation stands for."
    p_loaded, p_wire = gate.predict_proba([loaded, WIRE])
    kept = [h for h in lex.find(loaded) if h.score * p_loaded**0.5 >= thr]
    assert any(h.text == "traitors" for h in kept)
    assert all(0.0 <= h.score <= 1.0 for h in lex.find(loaded))
    assert [h for h in lex.find(WIRE) if h.score * p_wire**0.5 >= thr] == []


def test_load_model_is_cached_and_kind_checked():
    assert load_model("clickbait") is load_model("clickbait")
    with pytest.raises(ModelError):
        MultiClassClassifier.load("clickbait")
    with pytest.raises(ModelError):
        load_model("../clickbait")


# --------------------------------------------------------------------------- integrity


@pytest.mark.parametrize("name", ["clickbait", "propaganda_sentence"])
def test_sha256_tamper_detected(tmp_path, name):
    shutil.copytree(MODELS_ROOT / name, tmp_path / name)
    TextClassifier.load(name, root=tmp_path)  # the untouched copy loads
    p = tmp_path / name / "weights.npz"
    data = bytearray(p.read_bytes())
    data[len(data) // 2] ^= 0x01
    p.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="sha256"):
        TextClassifier.load(name, root=tmp_path)


def test_lexicon_tamper_detected(tmp_path):
    shutil.copytree(MODELS_ROOT / "ptc_phrases", tmp_path / "ptc_phrases")
    p = tmp_path / "ptc_phrases" / "phrases.tsv"
    p.write_text(p.read_text(encoding="utf-8") + "the\tLoaded_Language\t1.0\t99\n", encoding="utf-8")
    with pytest.raises(ModelError, match="sha256"):
        PhraseLexicon.load("ptc_phrases", root=tmp_path)


def test_missing_meta_is_model_error(tmp_path):
    shutil.copytree(MODELS_ROOT / "clickbait", tmp_path / "clickbait")
    (tmp_path / "clickbait" / "meta.json").unlink()
    with pytest.raises(ModelError, match="missing"):
        TextClassifier.load("clickbait", root=tmp_path)
    with pytest.raises(ModelError):
        TextClassifier.load("nonexistent", root=tmp_path)


def test_missing_weights_is_model_error(tmp_path):
    shutil.copytree(MODELS_ROOT / "clickbait", tmp_path / "clickbait")
    (tmp_path / "clickbait" / "weights.npz").unlink()
    with pytest.raises(ModelError, match="missing"):
        TextClassifier.load("clickbait", root=tmp_path)


# --------------------------------------------------------------------------- phrase matching


def _toy_lexicon() -> PhraseLexicon:
    phrases = {"wild dogs": ("Loaded_Language", 0.8), "like wild dogs": ("Loaded_Language", 0.9),
               "dogs": ("Name_Calling,Labeling", 0.6), "radical left": ("Name_Calling,Labeling", 0.7),
               "left": ("Loaded_Language", 0.5), "so called": ("Doubt", 0.7)}
    return PhraseLexicon("toy", {}, phrases)


def test_lexicon_find_longest_non_overlapping_with_offsets():
    lex = _toy_lexicon()
    text = "They hunted them like wild dogs, and the radical left cheered the so-called experts’ dogs."
    hits = lex.find(text)
    assert [h.text for h in hits] == ["like wild dogs", "radical left", "so-called", "dogs"]
    for h in hits:
        assert text[h.start : h.end] == h.text
    for a, b in zip(hits, hits[1:]):
        assert a.end <= b.start
    assert hits[0].technique == "Loaded_Language" and hits[0].score == 0.9


def test_lexicon_never_matches_across_punctuation():
    lex = _toy_lexicon()
    for text in ("They ran wild. Dogs barked.", "wild, dogs", "the radical\nleft", "radical (left)"):
        hits = lex.find(text)
        assert all(" " not in h.text or h.text.lower() in ("wild dogs", "radical left", "like wild dogs")
                   for h in hits)
        assert not any(h.text.lower() in ("wild dogs", "radical left") for h in hits), (text, hits)
        for h in hits:
            assert text[h.start : h.end] == h.text


def test_shipped_lexicon_offsets_on_real_text():
    lex = load_model("ptc_phrases")
    text = "The so-called “experts” — these traitors! — want to destroy our great nation, again and again."
    hits = lex.find(text)
    assert hits
    for h in hits:
        assert text[h.start : h.end] == h.text
        toks = word_tokens(h.text)
        assert len({t[3] for t in toks}) == 1  # one segment: no punctuation inside a hit
    for a, b in zip(hits, hits[1:]):
        assert a.end <= b.start


# --------------------------------------------------------------------------- featurizer


@pytest.mark.parametrize("name", ["clickbait", "propaganda_sentence", "propaganda_technique"])
def test_featurizer_normalises_curly_quotes(name):
    feat = load_model(name).featurizer
    assert isinstance(feat, HashFeaturizer)
    plain = 'He said "it\'s a total disgrace" and left.'
    curly = "He said “it’s a total disgrace” and left."
    X = feat.transform([plain, curly])
    assert X.shape == (2, feat.n_features) and X[0].nnz > 0
    assert (X[0] != X[1]).nnz == 0


def test_meta_records_provenance():
    for name in ("propaganda_sentence", "propaganda_technique", "ptc_phrases"):
        meta = json.loads((MODELS_ROOT / name / "meta.json").read_text(encoding="utf-8"))
        assert meta["name"] == name and meta["version"] == ("2" if name == "propaganda_technique" else "1")
        assert "ptc-semeval2020-t11" in meta["data_licence"] and meta["licence"]
        assert meta["metrics"]["dev"] and meta["training"]["seconds"] > 0
        assert "sanity" in meta


# --------------------------------------------------------------------------- optional embedding block


class _FakeEmbedder:
    """Deterministic stand-in for factdesk.embed.Embedder: 4-d unit vectors from the text length."""

    def __init__(self):
        self.calls = []

    def encode(self, texts):
        self.calls.append(list(texts))
        out = np.array([[len(t), 1.0, 0.0, t.count(" ")] for t in texts], dtype=np.float32)
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def _emb_spec(context_weight=0.0, sha=None):
    from factdesk.training import data as D

    spec = D.featurizer_spec([D.hash_block("word", "word", (1, 1), 8, idf=False)], ["short"])
    spec["embedding"] = {"model": "minilm", "dim": 4, "weight": 0.5, "context_weight": context_weight}
    if sha:
        spec["embedding"]["sha256"] = sha
    return spec


@pytest.fixture
def fake_embedder(monkeypatch):
    import factdesk.textmodel as tm

    fake = _FakeEmbedder()
    monkeypatch.setitem(tm._EMBEDDERS, tm._embedding_dir("minilm").resolve(), fake)
    return fake


def test_featurizer_without_embedding_key_is_unchanged(fake_embedder):
    from factdesk.training import data as D

    spec = D.featurizer_spec([D.hash_block("word", "word", (1, 1), 8, idf=False)], ["short"])
    f = HashFeaturizer(spec)
    texts = ["Good evening.", "Unemployment fell to 3.5 percent"]
    X = f.transform(texts)
    assert X.shape == (2, 2**8 + 1) and f.n_features == 2**8 + 1 and not f.uses_context
    assert (f.transform(texts, ["a", "b"], ["c", "d"]) != X).nnz == 0  # context ignored
    assert fake_embedder.calls == []


def test_embedding_block_columns_and_weight(fake_embedder):
    f = HashFeaturizer(_emb_spec())
    texts = ["Good evening.", "Unemployment fell", "good evening."]
    X = f.transform(texts).toarray()
    assert X.shape == (3, 2**8 + 1 + 4) and f.n_features == X.shape[1]
    E = fake_embedder.encode(["good evening.", "unemployment fell"])  # lower-cased, distinct texts once
    assert fake_embedder.calls[0] == ["good evening.", "unemployment fell"]
    np.testing.assert_allclose(X[:, -4:], 0.5 * E[[0, 1, 0]], rtol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(X[:, :256], axis=1), 1.0, rtol=1e-5)  # hashed block untouched


def test_embedding_context_blocks(fake_embedder):
    f = HashFeaturizer(_emb_spec(context_weight=2.0))
    assert f.uses_context and f.n_features == 2**8 + 1 + 12
    texts = ["b b", "c c c"]
    X = f.transform(texts, prev=[None, "b b"], next=["c c c", ""]).toarray()
    assert fake_embedder.calls[-1] == ["b b", "c c c"]  # neighbours are the same sentences: encoded once
    e_b, e_c = fake_embedder.encode(["b b", "c c c"])
    np.testing.assert_allclose(X[0, -8:-4], 0.0)
    np.testing.assert_allclose(X[0, -4:], 2.0 * e_c, rtol=1e-6)
    np.testing.assert_allclose(X[1, -8:-4], 2.0 * e_b, rtol=1e-6)
    np.testing.assert_allclose(X[1, -4:], 0.0)
    np.testing.assert_allclose(f.transform(texts).toarray()[:, -8:], 0.0)  # no context given → zeros
    with pytest.raises(ValueError):
        f.transform(texts, prev=["only one"])


def test_embedding_model_artifact_roundtrip_and_sha_pin(tmp_path, fake_embedder):
    from factdesk.textmodel import embedding_sha256, write_artifact

    sha = embedding_sha256("minilm")
    assert sha == json.loads((MODELS_ROOT / "minilm" / "meta.json").read_text())["sha256"]
    spec = _emb_spec(context_weight=1.0, sha=sha)
    n = HashFeaturizer(spec).n_features
    coef = np.zeros((1, n), dtype=np.float16)
    coef[0, -12:-8] = 1.0  # only the sentence's own embedding counts
    meta = {"name": "m", "version": "1", "kind": "binary", "featurizer": spec}
    write_artifact(tmp_path / "m", meta, arrays={"coef": coef, "intercept": np.zeros(1, np.float32)})
    model = TextClassifier.load("m", tmp_path)
    assert model.uses_context
    p = model.predict_proba(["a b c d e", "x"], prev=["x", None], next=[None, "a b c d e"])
    assert p.shape == (2,) and p[0] != p[1]
    np.testing.assert_allclose(p, model.predict_proba(["a b c d e", "x"], prev=["q", "r"]), rtol=1e-6)

    spec["embedding"]["sha256"] = "0" * 64
    write_artifact(tmp_path / "bad", dict(meta, featurizer=spec), arrays={"coef": coef, "intercept": np.zeros(1)})
    with pytest.raises(ModelError, match="embedder"):
        TextClassifier.load("bad", tmp_path)


def test_embedding_block_with_the_real_embedder():
    import factdesk.textmodel as tm

    spec = _emb_spec()
    spec["embedding"]["dim"] = 384
    f = HashFeaturizer(spec)
    X = f.transform(["Unemployment fell to 3.5 percent.", "Good evening."]).toarray()
    E = X[:, -384:]
    np.testing.assert_allclose(np.linalg.norm(E, axis=1), 0.5, rtol=1e-3)
    assert tm._get_embedder("minilm") is tm._get_embedder("minilm")


def test_textmodel_embedding_dir_prefers_the_encoder_beside_the_classifier(tmp_path):
    import factdesk.textmodel as tm

    assert tm._embedding_dir("clickbait-encoder", tmp_path) == tm.MODELS_ROOT / "clickbait" / "encoder"
    (tmp_path / "clickbait" / "encoder").mkdir(parents=True)
    (tmp_path / "clickbait" / "encoder" / "meta.json").write_text("{}")
    assert tm._embedding_dir("clickbait-encoder", tmp_path) == tmp_path / "clickbait" / "encoder"
    with pytest.raises(ModelError, match="unknown embedding model"):
        tm._embedding_dir("nope", tmp_path)


NGRAM_TEXTS = [
    "Fewer than 1,000 Islamic State fighters remain, the coalition said.",
    "",
    "   ",
    "a I x",
    "Ünïcödé façade — naïve café in São Paulo; 東京 2020!",
    "tabs\tand\n\nnewlines   and  runs of    spaces",
    "it's the 'Donald' \"quoted\" don't-stop e-mail #tag @user 3.5%",
    "x" * 300,
]


@pytest.mark.parametrize(
    "analyzer, ngram_range, binary",
    [("word", (1, 2), False), ("word", (1, 3), False), ("word", (2, 2), False), ("word", (1, 1), True),
     ("char_wb", (2, 5), False), ("char_wb", (1, 3), True), ("char", (1, 3), False), ("char", (3, 4), False)],
)
def test_textmodel_hashed_ngrams_match_sklearn_hashing_vectorizer(analyzer, ngram_range, binary):
    from sklearn.feature_extraction.text import HashingVectorizer

    from factdesk.training import data as D
    from factdesk.textmodel import HashedNgrams

    block = D.hash_block("b", analyzer, ngram_range, 12, binary=binary)
    ref = HashingVectorizer(analyzer=analyzer, ngram_range=ngram_range, n_features=2**12,
                            token_pattern=block.get("token_pattern", r"(?u)\b\w\w+\b"), lowercase=True,
                            alternate_sign=False, binary=binary, norm=None, dtype=np.float32)
    want = ref.transform(NGRAM_TEXTS).toarray()
    got = HashedNgrams(block).transform(NGRAM_TEXTS)
    assert got.dtype == np.float32 and got.shape == want.shape
    np.testing.assert_array_equal(got.toarray(), want)
    assert want.sum() > 20  # the texts really produce n-grams


@pytest.mark.parametrize("limit", [1, 3, 200_000])
def test_textmodel_hashed_ngrams_per_word_cache_changes_nothing(monkeypatch, limit):
    """char_wb hashes are kept per word across calls and models; a warm, a cold and an overflowing cache give the
    same counts as scikit-learn, batch by batch and text by text."""
    from sklearn.feature_extraction.text import HashingVectorizer

    from factdesk import textmodel
    from factdesk.training import data as D

    monkeypatch.setattr(textmodel, "_WORD_HASH_LIMIT", limit)
    monkeypatch.setattr(textmodel, "_WORD_HASHES", {})
    ref = HashingVectorizer(analyzer="char_wb", ngram_range=(2, 5), n_features=2**12, lowercase=True,
                            alternate_sign=False, norm=None, dtype=np.float32)
    want = ref.transform(NGRAM_TEXTS).toarray()
    v = textmodel.HashedNgrams(D.hash_block("b", "char_wb", (2, 5), 12))
    for _ in range(2):
        np.testing.assert_array_equal(v.transform(NGRAM_TEXTS).toarray(), want)
        one_by_one = np.vstack([v.transform([t]).toarray() for t in reversed(NGRAM_TEXTS)])[::-1]
        np.testing.assert_array_equal(one_by_one, want)
    assert all(len(c) <= limit for c in textmodel._WORD_HASHES.values())


def test_textmodel_hashed_ngrams_survive_lone_surrogates():
    from factdesk.training import data as D
    from factdesk.textmodel import HashedNgrams

    X = HashedNgrams(D.hash_block("c", "char_wb", (2, 5), 10)).transform(["bad \udc80 byte", "fine"])
    assert X.shape == (2, 1024) and X[0].sum() > 0


def test_textmodel_prediction_does_not_import_sklearn_or_scipy():
    import subprocess
    import sys

    code = ("import sys; from factdesk.textmodel import load_model; "
            "p = load_model('checkworthy').predict_proba(['Unemployment fell to 3.5 percent in May.']); "
            "t = load_model('propaganda_technique').predict_proba(['They are traitors.']); "
            "assert 0 <= p[0] <= 1 and t.shape[0] == 1; print('sklearn' in sys.modules, 'scipy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False False"


@pytest.mark.parametrize("name", ["checkworthy", "clickbait", "propaganda_sentence", "propaganda_technique"])
def test_textmodel_scores_without_scipy_equal_the_sparse_product(name):
    from factdesk.textmodel import load_model

    m = load_model(name)
    texts = [*NGRAM_TEXTS, "", "Fewer than 1,000 fighters remain, the coalition said."]
    f = m.featurizer
    ctx = {"prev": ["x"] * len(texts), "next": [None] * len(texts)} if f.uses_context else {}
    want = np.asarray(f.transform(texts, **ctx) @ m.W, dtype=np.float64)
    np.testing.assert_allclose(f.dot(texts, m.W, **ctx), want, rtol=1e-4, atol=1e-5)
    assert np.abs(want).sum() > 0


def test_textmodel_shipped_artifacts_fit_the_size_budget():
    total = sum(p.stat().st_size for p in MODELS_ROOT.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    assert 20e6 < total <= 80e6  # all shipped models together: at most 80 MB in the repository


def test_textmodel_phrase_lexicon_keys_are_the_tokenized_phrases():
    from factdesk.textmodel import MODELS_ROOT as ROOT, PhraseLexicon, word_tokens

    rows = (ROOT / "ptc_phrases" / "phrases.tsv").read_text(encoding="utf-8").splitlines()[1:]
    want = {" ".join(t for _, _, t, _ in word_tokens(r.split("\t")[0])) for r in rows if r.split("\t")[0]}
    assert set(PhraseLexicon.load("ptc_phrases").phrases) == want and len(want) > 1000


# --------------------------------------------------------------------------- technique model + tagger head


def test_technique_model_mixes_in_the_tagger_states():
    from factdesk.tagger import default_tagger

    model = load_model("propaganda_technique")
    tagger = default_tagger()
    assert model.reads_states_of(tagger.info().sha256)
    assert not model.reads_states_of("0" * 64) and not model.reads_states_of(None)
    texts = ["traitors", "Make America Great Again"]
    contexts = ["These traitors must go.", "Make America Great Again, he shouted."]
    states = tagger.span_features(contexts, [(6, 14), (0, 24)])
    alone, mixed = model.predict_proba(texts), model.predict_proba(texts, states)
    assert mixed.shape == alone.shape == (2, len(model.labels))
    np.testing.assert_allclose(mixed.sum(axis=1), 1.0, rtol=1e-5)
    assert not np.allclose(alone, mixed)
    assert model.predict(texts, states)[0] == "Name_Calling,Labeling"
    meta = model.meta["tagger_head"]
    assert 0.0 < meta["alpha"] < 1.0 and meta["tagger_sha256"] == tagger.info().sha256
    assert model.meta["metrics"]["dev"]["micro_f1"] > model.meta["metrics"]["dev"]["ngram_only_micro_f1"]


def test_technique_model_with_a_head_but_no_head_weights_is_model_error(tmp_path):
    from factdesk.textmodel import MODELS_ROOT, MultiClassClassifier, sha256_file

    d = tmp_path / "propaganda_technique"
    shutil.copytree(MODELS_ROOT / "propaganda_technique", d)
    arrays = dict(np.load(d / "weights.npz"))
    del arrays["head_coef"]
    np.savez(d / "weights.npz", **arrays)
    meta = json.loads((d / "meta.json").read_text())
    meta["sha256"] = meta["files"]["weights.npz"] = sha256_file(d / "weights.npz")
    (d / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(ModelError, match="head_coef"):
        MultiClassClassifier.load("propaganda_technique", tmp_path)
