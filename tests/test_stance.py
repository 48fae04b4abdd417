"""The shipped stance model: loading, integrity, shapes, and claim/evidence behaviour on plain sentences."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from factdesk.errors import ModelError
from factdesk.stance import LABELS, MODEL_DIR, StanceModel, load_stance

CLAIM = "The Eiffel Tower will be demolished next year."
SUPPORT = "Paris officials confirmed on Monday that the Eiffel Tower will be torn down next year."
PARAPHRASE = "The Eiffel Tower is going to be demolished next year, the city of Paris announced."
DENIAL = "City officials denied reports that the Eiffel Tower will be demolished, calling the story a hoax."
UNRELATED = "The central bank raised interest rates by a quarter point to curb inflation."

REL = [LABELS.index(x) for x in ("agree", "disagree", "discuss")]


@pytest.fixture(scope="module")
def model() -> StanceModel:
    return load_stance()


def test_labels_and_info(model):
    assert LABELS == ("agree", "disagree", "discuss", "unrelated")
    info = model.info()
    assert info.name == "stance" and info.sha256 and len(info.sha256) == 64
    assert load_stance() is model


def test_shape_and_probabilities(model):
    p = model.predict_proba([CLAIM, CLAIM, CLAIM], [[SUPPORT], [UNRELATED, SUPPORT], [DENIAL]])
    assert p.shape == (3, 4)
    assert np.all(p >= 0) and np.allclose(p.sum(axis=1), 1.0)
    assert model.predict_proba([], []).shape == (0, 4)


def test_supporting_sentence_is_related_unrelated_is_not(model):
    p = model.predict_proba([CLAIM, CLAIM], [[SUPPORT], [UNRELATED]])
    related = p[:, REL].sum(axis=1)
    assert related[0] > related[1]
    assert related[0] > 0.5 and related[1] < 0.5
    assert LABELS[int(p[1].argmax())] == "unrelated"


def test_denial_gets_more_disagree_than_paraphrase(model):
    p = model.predict_proba([CLAIM, CLAIM], [[PARAPHRASE], [DENIAL]])
    d = LABELS.index("disagree")
    assert p[1, d] > p[0, d]
    assert p[0, LABELS.index("agree")] > p[1, LABELS.index("agree")]


def test_second_domain_denial():
    m = load_stance()
    claim = "Apple is buying Tesla for $100 billion."
    p = m.predict_proba([claim, claim], [["Apple has agreed to acquire Tesla in a $100 billion deal, the companies said."],
                                         ["Tesla said there is no truth to the rumour that Apple is buying the carmaker."]])
    d = LABELS.index("disagree")
    assert p[1, d] > p[0, d]


def test_precomputed_vectors_match_encoding(model):
    from factdesk.embed import default_embedder

    claims, bodies = [CLAIM, CLAIM], [[SUPPORT, UNRELATED], [DENIAL]]
    emb = default_embedder()
    cv = emb.encode(claims)
    bv = [emb.encode(b) for b in bodies]
    p1 = model.predict_proba(claims, bodies, claim_vecs=cv, body_vecs=bv)
    p2 = model.predict_proba(claims, bodies)
    # int8 activations are quantised per batch, so vectors (and probabilities) can differ slightly
    assert np.allclose(p1, p2, atol=0.05)
    assert (p1.argmax(1) == p2.argmax(1)).all()


def test_whole_body_evidence(model):
    body = [UNRELATED, "Tourists crowded the Champs-Elysees on Sunday.", SUPPORT,
            "The tower was built for the 1889 World's Fair."]
    p = model.predict_proba([CLAIM], [body])
    assert p[0, REL].sum() > 0.5


def test_mismatched_lengths_raise(model):
    with pytest.raises(ValueError):
        model.predict_proba([CLAIM], [[SUPPORT], [DENIAL]])


def test_tampered_weights_raise_model_error(tmp_path):
    d = tmp_path / "stance"
    shutil.copytree(MODEL_DIR, d)
    StanceModel.load(d)  # the copy is fine
    w = d / "weights.npz"
    data = bytearray(w.read_bytes())
    data[len(data) // 2] ^= 0xFF
    w.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="sha256"):
        StanceModel.load(d)


def test_missing_model_raises_model_error(tmp_path):
    with pytest.raises(ModelError, match="missing"):
        StanceModel.load(tmp_path / "nothing-here")
    d = tmp_path / "stance"
    shutil.copytree(MODEL_DIR, d)
    (d / "weights.npz").unlink()
    with pytest.raises(ModelError, match="missing"):
        StanceModel.load(d)
