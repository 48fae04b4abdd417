"""Eval gate: recompute each shipped model's dev metric from the raw data and compare with tests/eval_gate.json.

The data is looked up in ``$FACTDESK_DATA`` or in ``shared/data`` beside the repository checkout; the tests skip
(with the reason) when it is absent. The dev metric functions are those of the training scripts, so the gate
and the numbers recorded at training time are computed the same way on the same split.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from factdesk.textmodel import load_model

GATE = json.loads((Path(__file__).parent / "eval_gate.json").read_text(encoding="utf-8"))
DATA = Path(os.environ.get("FACTDESK_DATA") or Path(__file__).resolve().parents[2] / "shared" / "data")


def _need(*parts: str) -> Path:
    p = DATA.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"eval data absent: {p} (set FACTDESK_DATA or put shared/data beside the checkout)")
    return p


def _check(name: str, got: dict, meta: dict | None = None) -> None:
    for key, minimum in GATE[name].items():
        assert got[key] >= minimum, f"{name}: dev {key} = {got[key]:.4f} < pinned minimum {minimum}"
    recorded = (meta if meta is not None else load_model(name).meta)["metrics"]["dev"]
    for key in GATE[name]:  # same code, same split: the gate must reproduce the training-time number
        assert got[key] == pytest.approx(recorded[key], abs=2e-3), f"{name}: {key} differs from meta.json"


@pytest.fixture(scope="module")
def ptc_dev():
    _need("ptc", "train-task1-SI.labels")
    from factdesk.training import data as D

    return D.split_ptc(D.load_ptc(DATA))[1]


def test_clickbait_gate():
    _need("clickbait", "webis17_train.json")
    from factdesk.training import data as D
    from factdesk.training.train_clickbait import dev_metrics

    chak_dev = D.split_headlines(D.load_chakraborty(DATA))[1]
    web_dev = D.split_headlines(D.load_webis17(DATA))[1]
    _check("clickbait", dev_metrics(load_model("clickbait"), chak_dev, web_dev))


def test_checkworthy_gate():
    _need("checkthat")
    from factdesk.training import data as D
    from factdesk.training.train_checkworthy import dev_metrics

    dev = D.split_checkthat(D.load_checkthat(DATA))[1]
    _check("checkworthy", dev_metrics(load_model("checkworthy"), dev))


def test_propaganda_sentence_gate(ptc_dev):
    from factdesk.training.train_propaganda import sentence_dev_metrics

    _check("propaganda_sentence", sentence_dev_metrics(load_model("propaganda_sentence"), ptc_dev))


def test_propaganda_technique_gate(ptc_dev):
    from factdesk.training.train_propaganda import technique_dev_metrics

    _check("propaganda_technique", technique_dev_metrics(load_model("propaganda_technique"), ptc_dev))


def test_ptc_phrases_gate(ptc_dev):
    from factdesk.training.train_propaganda import si_dev_metrics

    _check("ptc_phrases", si_dev_metrics(load_model("ptc_phrases"), load_model("propaganda_sentence"), ptc_dev))


def test_ptc_tagger_gate(ptc_dev):
    from factdesk.tagger import SpanTagger
    from factdesk.training.train_span_tagger import tagger_dev_metrics

    tagger = SpanTagger()
    _check("ptc_tagger", tagger_dev_metrics(tagger, ptc_dev, load_model("propaganda_sentence")), tagger.meta)
