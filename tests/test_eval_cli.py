"""``factdesk eval clickbait|webis17|checkthat|ptc`` on tiny official-format fixtures, and the metrics they use."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factdesk import cli
from factdesk.cli import app
from factdesk.errors import InputError
from factdesk.eval.checkthat import read_checkthat_debate
from factdesk.eval.metrics import average_precision, binary_prf, precision_at_k, ranking_by_group, span_prf
from factdesk.eval.ptc import detect_task, read_ptc_articles, read_ptc_labels

FIX = Path(__file__).parent / "fixtures" / "eval"
runner = CliRunner()


def _json_line(args: list[str]) -> dict:
    r = runner.invoke(app, ["eval", *args, "--json"])
    assert r.exit_code == 0, r.output
    lines = r.stdout.strip().splitlines()
    assert len(lines) == 1, r.stdout
    res = json.loads(lines[0])
    assert isinstance(res["score"], float | int) and 0.0 <= res["score"] <= 1.0
    return res


def _one_line_error(monkeypatch, capsys, args: list[str], needle: str) -> None:
    """Through the real entry point (``cli.main``): an InputError is one line on stderr and exit code 2."""
    monkeypatch.setattr(sys, "argv", ["factdesk", "eval", *args])
    with pytest.raises(SystemExit) as e:
        cli.main()
    out, err = capsys.readouterr()
    assert e.value.code == 2, err
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0], err


F = str(FIX)


def test_eval_clickbait_json():
    res = _json_line(["clickbait", "--clickbait", f"{F}/clickbait_headlines.txt",
                      "--non-clickbait", f"{F}/non_clickbait_headlines.txt"])
    assert res["n"] == 8 and res["n_clickbait"] == 4 and res["lowercase"] is True
    assert res["score"] == res["accuracy"] and "accuracy_as_is" in res and "accuracy_lowercased" in res
    assert res["score"] >= 0.75  # obvious headlines
    as_is = _json_line(["clickbait", "--clickbait", f"{F}/clickbait_headlines.txt",
                        "--non-clickbait", f"{F}/non_clickbait_headlines.txt", "--as-is"])
    assert as_is["lowercase"] is False and as_is["score"] == res["accuracy_as_is"]


def test_eval_webis17_json_uses_post_text_only(tmp_path):
    res = _json_line(["webis17", "--data", f"{F}/webis17_small.json"])
    assert res["n"] == 5 and res["n_clickbait"] == 2 and res["score"] == res["f1"]
    # the annotator scores are the label: changing them must not change the prediction
    rows = json.loads((FIX / "webis17_small.json").read_text())
    for r in rows:
        r["truth_mean"] = r["truth_median"] = r["truth_mode"] = 1.0 - r["click_bait"]
    f = tmp_path / "w.json"
    f.write_text(json.dumps(rows))
    assert _json_line(["webis17", "--data", str(f)])["score"] == res["score"]


def test_eval_checkthat_json():
    res = _json_line(["checkthat", "--data", f"{F}/checkthat"])
    assert res["n_debates"] == 2 and res["n_sentences"] == 11 and res["n_positive"] == 4
    assert {"P@5", "P@10", "P@20"} <= set(res)
    same = _json_line(["checkthat", "--data", f"{F}/checkthat/debate1.tsv", "--data", f"{F}/checkthat/debate2.tsv"])
    assert same["score"] == res["score"]


@pytest.mark.parametrize("labels, task", [("ptc_si.labels", "si"), ("ptc_tc.labels", "tc")])
def test_eval_ptc_json_detects_task(labels, task):
    res = _json_line(["ptc", "--articles", f"{F}/ptc_articles", "--labels", f"{F}/{labels}"])
    assert res["task"] == task and res["n_articles"] == 2
    again = _json_line(["ptc", "--articles", f"{F}/ptc_articles", "--labels", f"{F}/{labels}", "--task", task])
    assert again["score"] == res["score"]


def test_eval_ptc_si_uses_recorded_thresholds():
    from factdesk.tagger import default_tagger
    from factdesk.textmodel import load_model

    res = _json_line(["ptc", "--articles", f"{F}/ptc_articles", "--labels", f"{F}/ptc_si.labels"])
    assert res["tagger_threshold"] == default_tagger().threshold
    assert res["lexicon_threshold"] == load_model("ptc_phrases").meta["threshold"]
    assert res["score"] == res["f1"] and 0 <= res["lexicon_si_f1"] <= 1
    assert res["n_gold_spans"] == 4  # 5 rows, two overlapping spans merged


def test_eval_ptc_si_thorough_scores_every_line():
    args = ["ptc", "--articles", f"{F}/ptc_articles", "--labels", f"{F}/ptc_si.labels"]
    gated, every = _json_line(args), _json_line([*args, "--thorough"])
    assert every["score"] == every["f1"] == gated["ungated_si_f1"]
    assert every["share_of_lines_tagged"] == 1.0 and every["gate_threshold"] == 0.0
    assert every["n_pred_spans"] >= gated["n_pred_spans"]
    r = runner.invoke(app, ["eval", "ptc", "--articles", f"{F}/ptc_articles", "--labels", f"{F}/ptc_tc.labels",
                            "--thorough"])
    assert r.exit_code != 0 and "--thorough applies to span identification" in str(r.exception)


def test_eval_table_output():
    r = runner.invoke(app, ["eval", "checkthat", "--data", f"{F}/checkthat"])
    assert r.exit_code == 0 and "MAP" in r.stdout and "score" in r.stdout


@pytest.mark.parametrize(
    "args, needle",
    [
        (["checkthat", "--data", f"{F}/checkthat_wrong.tsv"], "checkthat_wrong.tsv line 1"),
        (["ptc", "--articles", f"{F}/ptc_articles", "--labels", f"{F}/ptc_wrong.labels"], "ptc_wrong.labels"),
        (["ptc", "--articles", f"{F}/ptc_articles", "--labels", f"{F}/ptc_si.labels", "--task", "tc"], "SI format"),
        (["webis17", "--data", f"{F}/clickbait_headlines.txt"], "not JSON"),
        (["clickbait", "--clickbait", f"{F}/webis17_small.json", "--non-clickbait",
          f"{F}/non_clickbait_headlines.txt"], "looks like JSON"),
    ],
)
def test_eval_wrong_format_is_one_line_exit_2(monkeypatch, capsys, args, needle):
    _one_line_error(monkeypatch, capsys, args, needle)


def test_readers_reject_bad_rows(tmp_path):
    f = tmp_path / "d.tsv"
    f.write_text("1\tA\tSome sentence.\t0\n2\tB\tAnother one.\tyes\n")
    with pytest.raises(InputError, match="line 2"):
        read_checkthat_debate(f)
    f.write_text("line\tspeaker\ttext\tlabel\n1\tA\tSome sentence.\t1\n")  # header row allowed
    assert read_checkthat_debate(f) == [("Some sentence.", 1)]
    arts = read_ptc_articles(FIX / "ptc_articles")
    bad = tmp_path / "x.labels"
    bad.write_text("1001\t10\t100000\n")
    with pytest.raises(InputError, match="outside article 1001"):
        read_ptc_labels(bad, arts, detect_task(bad))
    bad.write_text("9999\t1\t5\n")
    with pytest.raises(InputError, match="not in the articles directory"):
        read_ptc_labels(bad, arts, "si")
    bad.write_text("1001\tMade_Up\t1\t5\n")
    with pytest.raises(InputError, match="technique"):
        read_ptc_labels(bad, arts, "tc")


# --------------------------------------------------------------------------- metrics, hand-computed


def test_average_precision_and_map_hand_computed():
    # ranking by score: a(1) b(0) c(1) d(0) e(1) → precisions at the hits 1/1, 2/3, 3/5
    labels = [1, 0, 1, 0, 1]
    scores = [0.9, 0.8, 0.7, 0.6, 0.5]
    assert average_precision(labels, scores) == pytest.approx((1 + 2 / 3 + 3 / 5) / 3)
    assert precision_at_k(labels, scores, 2) == pytest.approx(0.5)
    assert precision_at_k(labels, scores, 20) == pytest.approx(3 / 20)  # k beyond the debate: divide by k
    # second debate: single positive ranked 2nd → AP 1/2; a third debate with no positive is skipped
    groups = ["d1"] * 5 + ["d2"] * 3 + ["d3"] * 2
    y = labels + [0, 1, 0] + [0, 0]
    s = scores + [0.9, 0.5, 0.1] + [0.3, 0.2]
    r = ranking_by_group(groups, y, s, ks=(5, 10, 20))
    assert r["n_groups"] == 2
    assert r["MAP"] == pytest.approx(((1 + 2 / 3 + 3 / 5) / 3 + 0.5) / 2)
    assert r["P@5"] == pytest.approx((3 / 5 + 1 / 5) / 2)
    assert r["P@20"] == pytest.approx((3 / 20 + 1 / 20) / 2)


def test_span_prf_hand_computed():
    # gold [0,10); predicted [5,15): overlap 5 → P = 5/10, R = 5/10; an extra prediction in another article
    # with no gold halves the precision
    r = span_prf({"a": [(5, 15)]}, {"a": [(0, 10)]})
    assert r["precision"] == pytest.approx(0.5) and r["recall"] == pytest.approx(0.5)
    r = span_prf({"a": [(5, 15)], "b": [(0, 4)]}, {"a": [(0, 10)]})
    assert r["precision"] == pytest.approx(0.25) and r["recall"] == pytest.approx(0.5)
    assert r["f1"] == pytest.approx(2 * 0.25 * 0.5 / 0.75)


def test_binary_prf_hand_computed():
    r = binary_prf([1, 1, 0, 0, 1], [1, 0, 1, 0, 1])
    assert r["precision"] == pytest.approx(2 / 3) and r["recall"] == pytest.approx(2 / 3)
    assert r["accuracy"] == pytest.approx(3 / 5)


def test_eval_cli_verdicts_end_to_end_on_climate_fever_format(monkeypatch, capsys):
    res = _json_line(["verdicts", "--data", f"{F}/verdicts_climate_fever.jsonl"])
    assert res["n_claims"] == 3
    assert 0.0 <= res["ece_calibrated"] <= 1.0
    assert sum(v["n"] for v in res["by_label"].values()) == 3
    _one_line_error(monkeypatch, capsys, ["verdicts", "--data", f"{F}/fnc_stances.csv"], "not Climate-FEVER")
