"""``factdesk train``: the help lists the models; an unknown model or a missing data folder is a one-line error."""

from __future__ import annotations

import importlib.util
import sys

import pytest
from typer.testing import CliRunner

from factdesk import cli
from factdesk.cli import app
from factdesk.training.cli import MODELS

runner = CliRunner()


def run(monkeypatch, capsys, *args):
    monkeypatch.setattr(sys, "argv", ["factdesk", *args])
    with pytest.raises(SystemExit) as e:
        cli.main()
        raise SystemExit(0)
    out, err = capsys.readouterr()
    return e.value.code or 0, out, err


def test_train_help_lists_models():
    r = runner.invoke(app, ["train", "--help"])
    assert r.exit_code == 0
    names = {"clickbait", "checkworthy", "propaganda", "stance", "headline_stance", "embedder", "ptc_tagger"}
    assert all(name in r.stdout for name in names)
    assert set(MODELS) == names


def test_train_model_help_has_data_and_out():
    r = runner.invoke(app, ["train", "clickbait", "--help"])
    assert r.exit_code == 0 and "--data" in r.stdout and "--out" in r.stdout


def test_train_unknown_model_is_one_line_error(monkeypatch, capsys):
    code, out, err = run(monkeypatch, capsys, "train", "clikbait")
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "unknown model 'clikbait'" in lines[0] and "clickbait" in lines[0]


def test_train_missing_data_dir_is_one_line_error(monkeypatch, capsys, tmp_path):
    out_dir = tmp_path / "out"
    code, out, err = run(monkeypatch, capsys, "train", "clickbait", "--data", str(tmp_path / "nope"),
                         "--out", str(out_dir))
    assert code == 2 and len(err.strip().splitlines()) == 1 and "does not exist" in err
    assert not out_dir.exists()


@pytest.mark.skipif(importlib.util.find_spec("torch") is not None, reason="the train extra is installed")
@pytest.mark.parametrize("model", ["embedder", "headline_stance"])
def test_train_without_extra_says_how_to_install(monkeypatch, capsys, tmp_path, model):
    code, out, err = run(monkeypatch, capsys, "train", model, "--out", str(tmp_path / "m"))
    assert code != 0 and len(err.strip().splitlines()) == 1
    assert 'pip install -e ".[train]"' in err
    assert not (tmp_path / "m").exists()


@pytest.mark.skipif(importlib.util.find_spec("torch") is not None, reason="the train extra is installed")
def test_train_clickbait_without_extra_says_how_to_install(monkeypatch, capsys, tmp_path):
    from factdesk.training.data import default_data_root

    if not (default_data_root() / "clickbait").is_dir():
        pytest.skip("shared/data/clickbait not present")
    code, out, err = run(monkeypatch, capsys, "train", "clickbait", "--out", str(tmp_path / "m"))
    assert code != 0 and len(err.strip().splitlines()) == 1
    assert 'pip install -e ".[train]"' in err
    assert not (tmp_path / "m").exists()
