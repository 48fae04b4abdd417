import json
import subprocess
import sys

import pytest

from conftest import FIXTURES, SEED
from factdesk import cli
from factdesk.report.json import validate


def run(monkeypatch, capsys, *args):
    monkeypatch.setattr(sys, "argv", ["factdesk", *args])
    with pytest.raises(SystemExit) as e:
        cli.main()
        raise SystemExit(0)
    out, err = capsys.readouterr()
    return e.value.code or 0, out, err


def test_cli_check_text_file_json(monkeypatch, capsys):
    code, out, err = run(monkeypatch, capsys, "check", str(FIXTURES / "wire_plain.txt"), "--format", "json",
                         "--published", "2024-03-12", "--url", "https://www.ledger.example/a")
    assert code == 0
    report = json.loads(out)
    validate(report)
    assert report["article"]["domain"] == "ledger.example"


@pytest.mark.parametrize("fmt, marker", [("html", "<!doctype html>"), ("md", "# factdesk report"), ("terminal", "Credibility")])
def test_cli_writes_each_format_to_file(monkeypatch, capsys, tmp_path, fmt, marker):
    out_file = tmp_path / f"r.{fmt}"
    code, _, _ = run(monkeypatch, capsys, "check", str(FIXTURES / "wire_plain.txt"), "--format", fmt, "-o", str(out_file))
    assert code == 0 and marker in out_file.read_text()


def test_cli_ratings_file_rates_domain(monkeypatch, capsys, tmp_path):
    ratings = tmp_path / "r.csv"
    ratings.write_text("domain,label,score,name\nledger.example,reliable,0.9,Test list\n")
    code, out, _ = run(monkeypatch, capsys, "check", str(FIXTURES / "wire_plain.txt"), "-f", "json",
                       "--url", "https://news.ledger.example/x", "--ratings", str(ratings))
    assert code == 0
    assert json.loads(out)["source"]["rating"] == {"label": "reliable", "score": 0.9, "basis": ["Test list"]}


@pytest.mark.parametrize(
    "content, needle",
    [
        (b"", "empty"),
        (b"   \n\n  ", "empty"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "binary"),
        (b"<html><head><title>x</title></head><body><nav><a href='/'>Home</a></nav></body></html>", "no article text"),
    ],
)
def test_cli_bad_input_one_line_error(monkeypatch, capsys, tmp_path, content, needle):
    f = tmp_path / ("bad.html" if content.startswith(b"<html") else "bad.txt")
    f.write_bytes(content)
    code, out, err = run(monkeypatch, capsys, "check", str(f), "-f", "json")
    assert code != 0 and out == ""
    assert len(err.strip().splitlines()) == 1 and needle in err.lower()
    assert "Traceback" not in err


@pytest.mark.parametrize("args, needle", [
    (["check", "/nonexistent/article.txt"], "not found"),
    (["check", "x.txt", "--ratings", "/nonexistent.csv"], "ratings file not found"),
    (["check", "ftp://example.org/a"], "scheme"),
    (["check", "x.txt", "--workers", "2"], "--workers needs --jsonl"),
    (["check", "x.txt", "-o", "."], "is a directory"),
    (["check", "--jsonl", "x.jsonl", "-o", "."], "is a directory"),
])
def test_cli_bad_arguments_one_line_error(monkeypatch, capsys, args, needle):
    code, out, err = run(monkeypatch, capsys, *args)
    assert code != 0 and needle in err.lower() and "Traceback" not in err



@pytest.mark.parametrize("args, needle", [
    (["check", "x.txt", "--format", "markdown"], "'--format'"),
    (["archive", "search", "fighters", "--top", "lots"], "'-k' / '--top'"),
    (["archive", "search", "fighters", "--top", "0"], "'-k' / '--top'"),
    (["nosuch"], "no such command"),
    (["archive", "search"], "missing argument"),
    (["archive", "stats", "--nope"], "no such option"),
    (["eval", "fnc1"], "missing option '--stances'"),
    (["train", "stance", "--nope"], "no such option"),
    (["check"], "missing input"),
])
def test_cli_usage_mistake_is_exit_2_not_internal_error(monkeypatch, capsys, args, needle):
    code, out, err = run(monkeypatch, capsys, *args)
    assert code == 2 and out == ""
    assert needle in err.lower() and "internal error" not in err and "Traceback" not in err

def test_cli_jsonl_skips_bad_rows_and_keeps_good(monkeypatch, capsys, tmp_path):
    rows = tmp_path / "a.jsonl"
    good = (FIXTURES / "wire_plain.txt").read_text()
    rows.write_text("\n".join([
        json.dumps({"id": "a", "text": good, "title": "Council approves budget"}),
        "{not json",
        json.dumps({"id": "c", "text": ""}),
        json.dumps({"id": "d", "text": "The council met on Tuesday and approved the budget by seven votes to two."}),
    ]) + "\n")
    out_file = tmp_path / "out.jsonl"
    code, _, err = run(monkeypatch, capsys, "check", "--jsonl", str(rows), "-o", str(out_file))
    assert code == 0
    reports = [json.loads(line) for line in out_file.read_text().splitlines()]
    assert [r["id"] for r in reports] == ["a", "d"]
    assert ":2:" in err and ":3:" in err and "2 article(s) checked, 2 skipped" in err


@pytest.mark.parametrize("module", ["factdesk.cli", "factdesk"])
def test_cli_stdin_in_real_process(module):
    text = SEED.read_bytes() if SEED.exists() else (FIXTURES / "wire_plain.txt").read_bytes()
    p = subprocess.run([sys.executable, "-m", module, "check", "-", "--format", "json"], input=text,
                       capture_output=True, timeout=120)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["claims"]


def test_cli_invalid_utf8_in_real_process(tmp_path):
    f = tmp_path / "latin.txt"
    f.write_bytes("Caf\xe9 owners protest\n\nThe caf\xe9 owners said rents rose by 40 percent in two years.".encode("cp1252"))
    p = subprocess.run([sys.executable, "-m", "factdesk.cli", "check", str(f), "-f", "json"], capture_output=True, timeout=120)
    assert p.returncode == 0, p.stderr
    assert "café" in json.loads(p.stdout)["article"]["text"]


def test_cli_jsonl_lone_surrogate_escapes_do_not_crash(monkeypatch, capsys, tmp_path):
    rows = tmp_path / "s.jsonl"
    text = "The council said on Monday that 45 buses \\udc80 will be replaced. Officials confirmed the plan."
    rows.write_text('{"id": "s", "title": "Bad \\ud800 title", "text": "' + text + '"}\n')
    out_file = tmp_path / "out.jsonl"
    code, _, err = run(monkeypatch, capsys, "check", "--jsonl", str(rows), "-o", str(out_file))
    assert code == 0, err
    (report,) = [json.loads(line) for line in out_file.read_text().splitlines()]
    assert report["article"]["title"] == "Bad \ufffd title" and "buses \ufffd will" in report["article"]["text"]


def test_cli_version_lists_the_shipped_models(monkeypatch, capsys):
    from factdesk import __version__
    from factdesk.stance import MODEL_DIR

    code, out, _ = run(monkeypatch, capsys, "version")
    lines = out.splitlines()
    assert code == 0 and lines[0] == f"factdesk {__version__}"
    shipped = {p.parent.name for p in MODEL_DIR.parent.glob("*/meta.json")}
    assert {line.split()[0] for line in lines[1:]} == shipped and "headline_stance" in shipped
