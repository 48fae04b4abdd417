"""The shipped headline-vs-body (FNC-1) stance model: loading, integrity, its sparse inputs, and behaviour on a
news body."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from factdesk.errors import ModelError
from factdesk.headline_stance import MODEL_DIR, HeadlineStanceModel, load_headline_stance, term_vectors, words
from factdesk.stance import LABELS

HEADLINE = "City council approves new budget for road repairs"
BODY = [
    "The city council on Tuesday approved a new budget that sets aside $12 million for road repairs.",
    "Council members voted seven to two in favour of the plan after a three-hour debate.",
    "The mayor said work on the worst streets would begin in the spring.",
    "Opponents argued the money should have gone to public transport instead.",
]
OTHER = [
    "The national football team won its qualifying match 3-1 on Saturday evening.",
    "The striker scored twice in the second half before a crowd of 40,000.",
]


@pytest.fixture(scope="module")
def model() -> HeadlineStanceModel:
    return load_headline_stance()


def test_headline_stance_info_and_probabilities(model):
    info = model.info()
    assert info.name == "headline_stance" and len(info.sha256 or "") == 64
    p = model.predict_proba([HEADLINE, HEADLINE], [BODY, OTHER])
    assert p.shape == (2, len(LABELS)) and np.allclose(p.sum(axis=1), 1.0)
    assert model.predict_proba([], []).shape == (0, len(LABELS))
    with pytest.raises(TypeError):
        model.predict_proba(HEADLINE, [BODY])


def test_headline_stance_unrelated_body_is_unrelated_related_body_is_not(model):
    p = model.predict_proba([HEADLINE, HEADLINE], [BODY, OTHER])
    unrelated = LABELS.index("unrelated")
    assert p[1].argmax() == unrelated and p[1, unrelated] > 0.9
    assert p[0].argmax() != unrelated


@pytest.mark.parametrize("text, known", [
    ("The Council approved the BUDGET, the council said.", True),
    ("zzqx qqzz", False),
])
def test_headline_stance_term_vectors_are_unit_length_and_skip_unknown_words(model, text, known):
    tf, tfidf = term_vectors([text], model.vocab, model.idf)
    idx, val = tf[0]
    if known:
        assert len(idx) > 0 and abs(float(np.linalg.norm(val)) - 1.0) < 1e-5
        assert abs(float(np.linalg.norm(tfidf[0])) - 1.0) < 1e-5
        by_index = {i: w for w, i in model.vocab.items()}
        assert {by_index[int(i)] for i in idx} <= set(words(text))
    else:
        assert len(idx) == 0


def test_headline_stance_sparse_inputs_equal_the_training_rows(model):
    """The runtime's row-by-row sums equal the dense input rows the training script builds, times W1."""
    from factdesk.embed import default_embedder
    from factdesk.training.train_headline_stance import inputs

    bodies = [tuple(BODY), tuple(OTHER)]
    texts = [HEADLINE, *BODY, *OTHER]
    vec = dict(zip(texts, default_embedder().encode(texts), strict=True))
    vocab = sorted(model.vocab, key=model.vocab.get)
    X, _, _ = inputs([(HEADLINE, b) for b in bodies], vec, model.stance, vocab, model.idf, model.mean, model.scale)
    dense = X @ model.W1 + model.b1
    sparse = model.hidden_inputs([HEADLINE, HEADLINE], [list(b) for b in bodies],
                                 claim_vecs=np.stack([vec[HEADLINE]] * 2),
                                 body_vecs=[np.stack([vec[s] for s in b]) for b in bodies])
    assert np.allclose(dense, sparse, atol=1e-3)


def test_headline_stance_refuses_features_of_another_stance_model(tmp_path):
    d = tmp_path / "headline_stance"
    shutil.copytree(MODEL_DIR, d)
    meta = json.loads((d / "meta.json").read_text())
    meta["stance_sha256"] = "0" * 64
    (d / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(ModelError, match="another stance model"):
        HeadlineStanceModel.load(d)


def test_headline_stance_tampered_or_missing_weights_raise_model_error(tmp_path):
    d = tmp_path / "headline_stance"
    shutil.copytree(MODEL_DIR, d)
    (d / "weights.npz").write_bytes((d / "weights.npz").read_bytes()[:-10])
    with pytest.raises(ModelError, match="sha256"):
        HeadlineStanceModel.load(d)
    with pytest.raises(ModelError, match="missing"):
        HeadlineStanceModel.load(tmp_path / "nowhere")
