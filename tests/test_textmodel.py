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
        assert meta["name"] == name and meta["version"] == "1"
        assert "ptc-semeval2020-t11" in meta["data_licence"] and meta["licence"]
        assert meta["metrics"]["dev"] and meta["training"]["seconds"] > 0
        assert "sanity" in meta
