"""The torch-free PTC span tagger: offsets, empty input, long texts, model-file integrity, and what it marks."""

from __future__ import annotations

import json
import shutil
import sys

import numpy as np
import pytest

from factdesk.errors import ModelError
from factdesk.tagger import DEFAULT_MODEL_DIR, SpanTagger, Tagging, default_tagger, snap

LOADED = "These traitors and their globalist puppet masters want to destroy everything our great nation stands for."
NEUTRAL = "The city council voted 7-2 on Tuesday to approve the budget, a spokeswoman said."
MIXED = [
    LOADED,
    "",
    "   ",
    NEUTRAL,
    "The radical left will stop at nothing to silence you, and these lunatics must be stopped!",
    "The meeting is scheduled for 10 a.m. at the county courthouse.",
]


@pytest.fixture(scope="module")
def tagger() -> SpanTagger:
    return default_tagger()


@pytest.fixture()
def model_copy(tmp_path):
    dest = tmp_path / "ptc_tagger"
    shutil.copytree(DEFAULT_MODEL_DIR, dest)
    return dest


def test_offsets_map_back_to_text(tagger):
    out = tagger.spans(MIXED, threshold=0.2, extend=0.05)  # low levels: more spans to check
    assert len(out) == len(MIXED)
    assert any(out)
    for text, spans in zip(MIXED, out):
        prev_end = -1
        for s, e, score in spans:
            assert 0 <= s < e <= len(text)
            assert s > prev_end  # in order, not overlapping or touching
            prev_end = e
            piece = text[s:e]
            assert piece == piece.strip() and any(c.isalnum() for c in piece)
            assert snap(text, s, e) == (s, e)  # whole words only
            assert 0.05 <= score <= 1.0


def test_empty_input(tagger):
    assert tagger.spans([]) == []
    assert tagger.word_probs([]) == []
    assert tagger.spans(["", " \n "]) == [[], []]


def test_rejects_a_bare_string(tagger):
    with pytest.raises(TypeError):
        tagger.spans(LOADED)


def test_loaded_sentence_gets_a_span_neutral_does_not(tagger):
    loaded, neutral = tagger.spans([LOADED, NEUTRAL])
    assert loaded, "no span on a sentence full of name-calling"
    marked = " ".join(LOADED[s:e] for s, e, _ in loaded)
    assert any(w in marked for w in ("traitors", "puppet", "destroy"))
    assert neutral == []


def test_batching_and_order_barely_change_results(tagger):
    # int8 activation scales are chosen per batch, so probabilities move a little with the batch mates
    small = SpanTagger(batch_size=2)
    together = small.word_probs(MIXED)
    alone = [small.word_probs([t])[0] for t in MIXED]
    reverse = small.word_probs(MIXED[::-1])[::-1]
    for (wa, pa), (wb, pb), (wc, pc) in zip(together, alone, reverse):
        assert wa == wb == wc
        for other in (pb, pc):
            if len(pa):
                assert np.max(np.abs(pa - other)) < 0.15 and np.mean(np.abs(pa - other)) < 0.04
    assert [x[:2] for x in small.spans([LOADED])[0]] == [x[:2] for x in tagger.spans([LOADED, NEUTRAL])[0]]


@pytest.mark.parametrize("threads", [1, 2])
def test_tagger_probs_do_not_depend_on_the_other_texts(threads):
    # by default one window per ONNX call: int8 activation scales are each text's own, so an article's
    # neighbours, its order and the thread count leave every probability exactly as it is
    t = SpanTagger(threads=threads)
    together = t.word_probs(MIXED)
    for text, (words, probs) in zip(MIXED, together):
        alone_words, alone_probs = t.word_probs([text])[0]
        assert alone_words == words and np.array_equal(alone_probs, probs)


def test_long_text_is_windowed_with_offsets_in_the_whole_text():
    text = " ".join([NEUTRAL] * 6 + [LOADED] + [NEUTRAL] * 6)  # ~300 wordpieces, over max_length 128
    t = SpanTagger()
    words, probs = t.word_probs([text])[0]
    assert len(words) == len(probs) and words[-1][1] == len(text)  # the last word ends where the text does
    assert all(text[s:e].strip() == text[s:e] for s, e in words)
    spans = t.spans([text])[0]
    at = text.index(LOADED)
    assert spans and all(at <= s and e <= at + len(LOADED) for s, e, _ in spans)
    # a small window gives the same words and close probabilities
    w8, p8 = SpanTagger(max_length=16).word_probs([text])[0]
    assert w8 == words and np.all(np.isfinite(p8))


def test_snap_widens_to_whole_words():
    t = "He said don't be so-called experts."
    assert t[slice(*snap(t, 8, 11))] == "don't"
    assert t[slice(*snap(t, 18, 20))] == "so-called"
    assert t[slice(*snap(t, 29, 31))] == "experts"
    assert snap(t, 0, 2) == (0, 2)


def test_decode_hysteresis_widens_confident_words_and_drops_weak_runs():
    text = "the same experts are now warning, that"
    words = [(0, 3), (4, 8), (9, 16), (17, 20), (21, 24), (25, 32), (32, 33), (34, 38)]
    p = np.array([0.3, 0.2, 0.6, 0.15, 0.2, 0.5, 0.05, 0.3], dtype=np.float32)
    spans = SpanTagger.decode(text, words, p, 0.35, 0.1)
    assert [text[s:e] for s, e, _ in spans] == ["the same experts are now warning"]
    assert spans[0][2] == pytest.approx(float(p[:6].mean()), abs=1e-4)
    # without hysteresis: the confident words alone, as fragments
    assert [text[s:e] for s, e, _ in SpanTagger.decode(text, words, p, 0.35)] == ["experts", "warning"]
    # a run of weak words with no confident word is no span
    assert SpanTagger.decode(text, words, np.full(len(words), 0.3, dtype=np.float32), 0.35, 0.1) == []


def test_sha256_mismatch_is_model_error(model_copy):
    with open(model_copy / "model.onnx", "r+b") as fh:
        fh.seek(-1, 2)
        last = fh.read(1)
        fh.seek(-1, 2)
        fh.write(bytes([last[0] ^ 0xFF]))
    with pytest.raises(ModelError, match="sha256") as e:
        SpanTagger(model_copy).spans([LOADED])
    assert e.value.hint and "ptc_tagger" in e.value.hint


def test_tokenizer_mismatch_and_missing_files(model_copy):
    (model_copy / "tokenizer.json").write_text("{}", encoding="utf-8")
    with pytest.raises(ModelError, match="sha256"):
        SpanTagger(model_copy).spans([LOADED])
    (model_copy / "meta.json").unlink()
    with pytest.raises(ModelError, match="missing"):
        SpanTagger(model_copy).spans([LOADED])


def test_meta_without_sha_is_model_error(model_copy):
    meta = json.loads((model_copy / "meta.json").read_text())
    del meta["sha256"]
    (model_copy / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(ModelError, match="sha256"):
        SpanTagger(model_copy).info()


def test_tag_gives_states_per_wordpiece_and_span_features(tagger):
    text = " ".join([NEUTRAL] * 6 + [LOADED])  # over max_length: the states of both windows are filled
    (t,) = tagger.tag([text])
    assert t.states is not None and t.states.shape == (len(t.pieces), 384)
    assert np.all(np.abs(t.states).sum(axis=1) > 0)  # no wordpiece left without its state
    assert (t.words, list(t.probs)) == (tagger.word_probs([text])[0][0], list(tagger.word_probs([text])[0][1]))
    at = text.index("traitors")
    f = t.features(at, at + len("traitors"))
    g = t.features(0, len("The city"))
    assert f.shape == (4 * 384,) and np.all(np.isfinite(f))
    assert not np.allclose(f[:384], g[:384])  # the span part differs
    np.testing.assert_allclose(f[384:768], g[384:768])  # the whole-text part does not
    # span_features reads each span in its own text: the same numbers
    np.testing.assert_allclose(tagger.span_features([text], [(at, at + len("traitors"))])[0], f, atol=1e-5)


@pytest.mark.parametrize("start,end", [(3, 4), (0, 0)])
def test_features_of_a_span_between_wordpieces_use_the_nearest(tagger, start, end):
    (t,) = tagger.tag(["The   traitors ran."])
    assert t.features(start, end).shape == (4 * 384,)


def test_features_without_states_are_none():
    assert Tagging([(0, 3)], np.array([0.5]), [(0, 3)], None).features(0, 3) is None


def test_graph_without_hidden_output_still_tags_but_gives_no_features():
    t = SpanTagger()
    t.spans([LOADED])
    t._outputs = ["logits"]  # as a graph exported before the hidden output existed
    assert t.spans([LOADED])[0] and t.tag([LOADED])[0].states is None
    with pytest.raises(ModelError, match="no 'hidden' output"):
        t.span_features([LOADED], [(6, 14)])


def test_meta_records_what_ships(tagger):
    meta = tagger.meta
    assert meta["name"] == "ptc_tagger" and meta["labels"][0] == "O"
    assert (DEFAULT_MODEL_DIR / "model.onnx").stat().st_size <= 24 * 2**20
    assert 0.0 < meta["extend_threshold"] <= meta["threshold"] < 1.0
    dev = meta["metrics"]["dev"]
    assert dev["si_f1"] > 0.278  # the lexicon it replaces
    assert tagger.info().sha256 == meta["sha256"] == meta["files"]["model.onnx"]
    assert set(meta["outputs"]) == {"logits", "hidden"}


def test_loading_does_not_import_torch(tagger):
    tagger.spans([LOADED])
    assert "torch" not in sys.modules


def test_language_stage_flags_tagger_spans_once(pipeline):
    from factdesk.document import Document

    text = (
        "The city council voted 7-2 on Tuesday to approve the budget, a spokeswoman said.\n\n"
        + LOADED + "\n\nThe radical left will stop at nothing to silence you."
    )
    doc = pipeline(Document(text=text, title="Council budget"))
    lang = [f for f in doc.flags if f.type in ("propaganda", "loaded_language")]
    assert lang
    assert any("span tagger" in f.explanation for f in lang)
    for i, a in enumerate(lang):  # one flag per stretch of text
        for b in lang[i + 1:]:
            assert not (a.start < b.end and b.start < a.end), (a, b)
        assert doc.text[a.start:a.end] == a.text and a.technique
    assert not any(f.end <= len(text.split("\n")[0]) for f in lang)  # the neutral first sentence stays clean


def test_language_stage_labels_tagger_spans_with_the_tagger_states(pipeline):
    from factdesk.document import Document
    from factdesk.textmodel import load_model

    technique = load_model("propaganda_technique")
    tagger = default_tagger()
    assert technique.reads_states_of(tagger.info().sha256)
    doc = pipeline(Document(text=LOADED, title="Speech"))
    flags = [f for f in doc.flags if "span tagger" in f.explanation]
    assert flags
    for f in flags:
        (t,) = tagger.tag([LOADED])
        p = technique.predict_proba([f.text], t.features(f.start, f.end)[None, :])[0]
        assert f.technique == technique.labels[int(p.argmax())]
        assert f"({p.max():.2f})" in f.explanation


def test_span_features_are_computed_chunk_by_chunk(tagger, monkeypatch):
    import factdesk.tagger as tagger_module

    texts = [LOADED, NEUTRAL, MIXED[4], LOADED + " " + NEUTRAL, MIXED[5]]
    spans = [(6, 14), (4, 8), (4, 16), (0, 5), (4, 11)]
    whole = tagger.span_features(texts, spans)
    monkeypatch.setattr(tagger_module, "CHUNK", 2)
    chunked = tagger.span_features(texts, spans)
    assert chunked.shape == whole.shape == (5, 4 * 384)
    cos = (chunked * whole).sum(axis=1) / np.linalg.norm(chunked, axis=1) / np.linalg.norm(whole, axis=1)
    assert np.all(cos > 0.97)  # int8 activation scales are per batch: other batch mates, nearly the same numbers
    with pytest.raises(ValueError, match="5 texts but 4 spans"):
        tagger.span_features(texts, spans[:4])


@pytest.mark.parametrize("chunk", [1, 2, 256])
def test_tagger_iter_tag_chunked_equals_tagging_each_line_alone(tagger, monkeypatch, chunk):
    """One line per call: however the lines are chunked, every line's words and probabilities are exactly those of
    tagging it alone."""
    import factdesk.tagger as tagger_module

    texts = [LOADED, NEUTRAL, MIXED[4], LOADED + " " + NEUTRAL, MIXED[5]]
    want = [tagger.tag([t])[0] for t in texts]
    monkeypatch.setattr(tagger_module, "CHUNK", chunk)
    got = list(tagger.iter_tag(texts))
    assert [g.words for g in got] == [w.words for w in want]
    for g, w in zip(got, want, strict=True):
        np.testing.assert_array_equal(g.probs, w.probs)
    assert list(tagger.iter_tag([])) == []
