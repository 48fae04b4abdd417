"""The torch-free int8 MiniLM embedder: shape, order, meaning, determinism and model-file integrity."""

from __future__ import annotations

import json
import shutil
import sys

import numpy as np
import pytest

from factdesk.embed import DEFAULT_MODEL_DIR, Embedder, default_embedder
from factdesk.errors import ModelError

MIXED = [
    "Short.",
    "A small meteorite crashed into a wooded area in Nicaragua's capital of Managua overnight, the government "
    "said Sunday, leaving a crater near the city's airport that residents heard as a mysterious boom.",
    "Police said the man was arrested.",
    "",
    "Apple will unveil a new smartwatch next month, according to people familiar with the plans.",
    "ISIS fighters remain in Syria",
    "The recipe needs two eggs",
]


@pytest.fixture(scope="module")
def emb() -> Embedder:
    return Embedder()


@pytest.fixture()
def model_copy(tmp_path):
    dest = tmp_path / "minilm"
    shutil.copytree(DEFAULT_MODEL_DIR, dest)
    return dest


def test_shape_dtype_unit_norm(emb):
    v = emb.encode(MIXED)
    assert v.shape == (len(MIXED), 384)
    assert v.dtype == np.float32
    assert np.all(np.isfinite(v))
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)


def test_order_preserved_with_mixed_lengths(emb):
    # Batch size 2 forces several length-sorted batches; each row must still belong to its own text.
    small = Embedder(batch_size=2)
    v = small.encode(MIXED)
    alone = np.stack([small.encode([t])[0] for t in MIXED])
    sims = v @ alone.T
    assert list(sims.argmax(axis=1)) == list(range(len(MIXED)))
    assert np.all(np.diag(sims) > 0.97)  # int8 activation scales depend a little on batch mates
    reversed_v = small.encode(MIXED[::-1])
    assert np.all(np.sum(reversed_v[::-1] * v, axis=1) > 0.97)


def test_batches_end_where_texts_get_much_shorter(monkeypatch):
    emb = Embedder(batch_size=32)
    sizes: list[list[int]] = []
    real = emb._encode_batch

    def spy(batch):
        sizes.append([len(t) for t in batch])
        return real(batch)

    monkeypatch.setattr(emb, "_encode_batch", spy)
    texts = ["x " * 100, "y " * 90, "short one", "short two", "tiny"]
    v = emb.encode(texts)
    assert v.shape == (5, 384) and np.all(np.linalg.norm(v, axis=1) > 0.99)
    assert sizes == [[200, 180], [9, 9], [4]]  # longest first; a batch never pads a text to 1.5x its length


def test_run_batches_keeps_order_and_runs_nested_calls_inline():
    import threading

    from factdesk.embed import run_batches

    def inner(x: int) -> list[int]:  # a model call that itself runs batches: waiting on the full pool would hang
        return run_batches(lambda y: y * 2, [x, x + 1], 2)

    out: list = []
    t = threading.Thread(target=lambda: out.append(run_batches(inner, [1, 2, 3, 4], 2)), daemon=True)
    t.start()
    t.join(timeout=30)
    assert not t.is_alive(), "nested run_batches deadlocked"
    assert out == [[[2, 4], [4, 6], [6, 8], [8, 10]]]


_FORKED: Embedder | None = None


def _encode_in_child(texts: list[str]) -> np.ndarray:
    assert _FORKED is not None
    return _FORKED.encode(texts)


def test_embed_runs_in_a_forked_child_after_the_parent_ran_two_at_once():
    # the parent's pool threads do not exist in a forked child (Spark, gunicorn): the child must not wait on them
    import multiprocessing

    global _FORKED
    _FORKED = Embedder(threads=2)
    parent = _FORKED.encode(MIXED)
    with multiprocessing.get_context("fork").Pool(1) as pool:
        child = pool.apply_async(_encode_in_child, (MIXED,)).get(timeout=60)
    assert np.array_equal(child, parent)


@pytest.mark.parametrize("threads", [1, 2])
def test_embed_vector_does_not_depend_on_the_other_texts(threads):
    # one text per ONNX call (the default), so int8 activation scales are each text's own
    emb = Embedder(threads=threads)
    together = emb.encode(MIXED)
    for i, text in enumerate(MIXED):
        assert np.array_equal(emb.encode([text])[0], together[i])


def test_semantic_sanity(emb):
    a, b, c = emb.encode(
        ["ISIS fighters remain in Syria", "Islamic State militants are left in Syria", "The recipe needs two eggs"]
    )
    assert a @ b > 0.6
    assert a @ c < 0.2
    assert a @ b > a @ c + 0.4


def test_empty_input():
    e = Embedder(path=DEFAULT_MODEL_DIR / "does-not-exist")  # must not even try to load
    out = e.encode([])
    assert out.shape == (0, 384) and out.dtype == np.float32


def test_rejects_a_bare_string(emb):
    with pytest.raises(TypeError):
        emb.encode("not a list")


def test_deterministic_and_pinned(emb):
    texts = ["ISIS fighters remain in Syria", "The recipe needs two eggs"]
    first = emb.encode(texts)
    again = Embedder().encode(texts)  # a fresh session gives the very same numbers
    assert np.array_equal(first, again)
    # Fingerprint of the shipped model.onnx (sha in meta.json); re-export → update these values.
    expected = np.array(
        [
            [0.0777, 0.0412, -0.0098, -0.0594, 0.0347, 0.0045, 0.0157, -0.1368],
            [-0.0342, -0.0277, 0.0067, 0.0050, -0.0623, -0.0015, -0.0376, -0.0298],
        ],
        dtype=np.float32,
    )
    np.testing.assert_allclose(first[:, :8], expected, atol=2e-3)


def test_info_matches_meta():
    meta = json.loads((DEFAULT_MODEL_DIR / "meta.json").read_text())
    info = Embedder().info()
    assert info.name == "minilm-l6-v2-int8" and info.version == meta["version"]
    assert info.sha256 == meta["sha256"] == meta["files"]["model.onnx"]
    assert meta["dim"] == 384 and meta["pooling"] == "mean" and meta["normalize"] is True


def test_model_folder_holds_only_shipped_files():
    assert sorted(p.name for p in DEFAULT_MODEL_DIR.iterdir()) == ["meta.json", "model.onnx", "tokenizer.json"]


def test_default_embedder_is_cached():
    assert default_embedder() is default_embedder()


def test_corrupted_model_raises(model_copy):
    model = model_copy / "model.onnx"
    data = bytearray(model.read_bytes())
    data[len(data) // 2] ^= 0xFF
    model.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="sha256") as exc:
        Embedder(model_copy).encode(["hello"])
    assert "\n" not in str(exc.value) and "export_embedder" in str(exc.value)


def test_missing_model_raises(model_copy):
    (model_copy / "model.onnx").unlink()
    with pytest.raises(ModelError, match="missing"):
        Embedder(model_copy).encode(["hello"])


def test_missing_meta_raises(model_copy):
    (model_copy / "meta.json").unlink()
    with pytest.raises(ModelError, match="meta"):
        Embedder(model_copy).encode(["hello"])


def test_tampered_tokenizer_raises(model_copy):
    tok = model_copy / "tokenizer.json"
    tok.write_text(tok.read_text().replace('"[UNK]"', '"[UNKNOWN]"', 1))
    with pytest.raises(ModelError, match="tokenizer.json"):
        Embedder(model_copy).encode(["hello"])


def test_copy_with_intact_files_loads(model_copy):
    v = Embedder(model_copy).encode(["hello world"])
    assert v.shape == (1, 384)


def test_runtime_never_imports_torch(emb):
    emb.encode(["anything"])
    assert "torch" not in sys.modules


@pytest.mark.parametrize("value, threads", [("1", 1), ("3", 3), (" 2 ", 2)])
def test_embed_threads_from_environment(monkeypatch, value, threads):
    from factdesk.embed import default_threads

    monkeypatch.setenv("FACTDESK_THREADS", value)
    assert default_threads() == threads


@pytest.mark.parametrize("value", ["0", "two", "-1", "1.5"])
def test_embed_bad_threads_setting_is_a_config_error(monkeypatch, value):
    from factdesk.embed import default_threads
    from factdesk.errors import ConfigError

    monkeypatch.setenv("FACTDESK_THREADS", value)
    with pytest.raises(ConfigError, match="FACTDESK_THREADS"):
        default_threads()
