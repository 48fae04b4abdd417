"""Checking many articles in worker processes: same reports, same order, errors and Ctrl-C handled."""

import json
import pickle
import signal
import subprocess
import sys
import time

import pytest

from conftest import FIXTURES, SEED
from factdesk import ingest
from factdesk.api import check_many
from factdesk.errors import ArchiveError, ConfigError, FactdeskError, InputError, ModelError

ARTICLES = [
    ("Fares up", "The city council voted 7-2 on Tuesday to raise bus fares by 25 percent, the mayor said."),
    ("Rally", "Officials said 3,000 people attended the rally in Springfield on Saturday, far more than the 1,200 "
              "expected. \u201cWe have never seen a crowd like this,\u201d organiser Jane Doe said."),
    ("Jobs", "Unemployment fell to 3.5 percent last year, the lowest level in five decades, the Labor Department "
             "said."),
    ("Outrage", "Shocking: you won't believe what this senator said about taxes. Critics called it a disgraceful "
                "betrayal by a corrupt elite."),
    ("Budget", (FIXTURES / "wire_plain.txt").read_text(encoding="utf-8")),
]


def _without_timings(report: dict) -> dict:
    return {k: v for k, v in report.items() if k != "provenance"}


def _docs() -> list:
    return [ingest.from_text(text, title=title, published="2024-03-12") for title, text in ARTICLES]


def test_parallel_reports_match_one_process_in_order(pipeline):
    one = [_without_timings(r) for r in check_many(_docs(), pipeline=pipeline)]
    two = [_without_timings(r) for r in check_many(_docs(), workers=2)]
    assert [r["article"]["title"] for r in two] == [title for title, _ in ARTICLES]
    assert two == one


@pytest.mark.skipif(not SEED.exists(), reason="seed article not found")
def test_parallel_workers_honour_thorough():
    # a sentence the propaganda_sentence gate scores under its level, where the span tagger still finds a label
    docs = _docs()[:2] + [ingest.from_text("The senator is a career party operative, a hard-liner during both "
                                           "budget fights. The vote is on Tuesday.", title="Profile")]
    one = [_without_timings(r) for r in check_many(docs, thorough=True)]
    two = [_without_timings(r) for r in check_many(docs, workers=2, thorough=True)]
    assert two == one
    gated = [_without_timings(r) for r in check_many(docs)]
    assert gated[:2] == one[:2]

    def flagged(report):
        return [report["article"]["text"][f["start"]:f["end"]] for f in report["flags"]]

    assert any("hard-liner" in f for f in flagged(one[2])) and not any("hard-liner" in f for f in flagged(gated[2]))


def test_parallel_workers_trace_against_the_archive(traced_pipeline, seed_archive):
    doc = ingest.from_text(SEED.read_text(encoding="utf-8"), published="2017-12-27")
    (one,) = check_many([doc], pipeline=traced_pipeline)
    reports = list(check_many([doc, doc], workers=2, archive=seed_archive.path))
    verdicts = [[(c["text"], c["verdict"]["label"], c["verdict"]["reasons"]) for c in r["claims"]] for r in reports]
    assert verdicts[0] == verdicts[1] == [(c["text"], c["verdict"]["label"], c["verdict"]["reasons"])
                                          for c in one["claims"]]
    assert any(c["verdict"]["label"] == "misleading" for c in one["claims"])


@pytest.mark.parametrize("kwargs, needle", [
    ({"workers": 0}, "workers must be 1 or more"),
    ({"workers": 2, "pipeline": object()}, "not a pipeline"),
    ({"pipeline": object(), "thorough": True}, "give thorough to build_pipeline"),
])
def test_parallel_bad_options_are_config_errors(kwargs, needle):
    with pytest.raises(ConfigError, match=needle):
        list(check_many(_docs()[:1], **kwargs))


def test_parallel_worker_error_reaches_the_caller_as_itself(tmp_path):
    missing = tmp_path / "no-such-archive.sqlite"
    with pytest.raises(ArchiveError, match="no-such-archive"):
        list(check_many(_docs()[:2], workers=2, archive=missing))


@pytest.mark.parametrize("error", [FactdeskError("boom"), InputError("bad row", hint="fix line 3"),
                                   ArchiveError("locked", hint="wait"), ModelError("missing")])
def test_errors_survive_pickling_between_processes(error):
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is type(error) and (back.message, back.hint, str(back)) == (error.message, error.hint,
                                                                                   str(error))


@pytest.mark.parametrize("workers", ["1", "2"])
def test_parallel_ctrl_c_keeps_the_reports_written(tmp_path, workers):
    rows = tmp_path / "many.jsonl"
    rows.write_text("".join(json.dumps({"id": f"a{i}", "title": t, "text": x}) + "\n"
                            for i, (t, x) in enumerate(ARTICLES * 80)), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    p = subprocess.Popen([sys.executable, "-m", "factdesk.cli", "check", "--jsonl", str(rows), "--no-archive",
                          "-w", workers, "-o", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and p.poll() is None:  # wait until some reports are on disk
        if sum(f.read_text().count("\n") for f in tmp_path.glob(".out.jsonl.*.tmp")) >= 3:
            break
        time.sleep(0.1)
    p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=60)
    assert p.returncode == 130 and "interrupted" in err and "Traceback" not in err
    reports = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert 3 <= len(reports) < len(ARTICLES) * 80
    assert [r["id"] for r in reports] == [f"a{i}" for i in range(len(reports))]
    assert f"{len(reports)} article(s) checked" in err
    assert not list(tmp_path.glob(".out.jsonl.*.tmp"))
