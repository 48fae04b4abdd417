"""`factdesk archive …`, `check --archive/--record` and `factdesk source`: the user's view of the archive."""

from __future__ import annotations

import json

import pytest

from conftest import FIXTURES, SEED
from test_cli import run

COVERAGE = FIXTURES / "coverage" / "seed_story.jsonl"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """An archive built through the CLI from the seed coverage set."""
    path = tmp_path_factory.mktemp("cli-archive") / "a.sqlite"
    mp = pytest.MonkeyPatch()
    import sys

    from factdesk import cli

    mp.setattr(sys, "argv", ["factdesk", "archive", "add", str(COVERAGE), "--archive", str(path)])
    with pytest.raises(SystemExit) as e:
        cli.main()
        raise SystemExit(0)
    mp.undo()
    assert (e.value.code or 0) == 0
    return path


def test_cli_archive_add_reports_bad_rows_by_line_and_keeps_the_rest(monkeypatch, capsys, tmp_path):
    path = tmp_path / "a.sqlite"
    code, _, err = run(monkeypatch, capsys, "archive", "add", str(FIXTURES / "archive" / "articles.jsonl"),
                       "--archive", str(path))
    assert code == 0
    assert "articles.jsonl:3: invalid JSON" in err and "articles.jsonl:4: row has no 'text'" in err
    assert "articles.jsonl:5: cannot parse published date 'someday soon': kept without a date" in err
    assert "added 4" in err and "2 errors, 1 warnings" in err
    code, _, err = run(monkeypatch, capsys, "archive", "add", str(FIXTURES / "archive" / "articles.jsonl"),
                       "--archive", str(path))
    assert code == 0 and "added 0" in err and "skipped 4 duplicates" in err



@pytest.mark.parametrize("existing", [False, True])
def test_cli_archive_add_with_nothing_to_add_leaves_no_new_file(monkeypatch, capsys, tmp_path, existing):
    path = tmp_path / "a.sqlite"
    if existing:
        assert run(monkeypatch, capsys, "archive", "add", str(FIXTURES / "archive" / "articles.jsonl"),
                   "--archive", str(path))[0] == 0
    code, _, err = run(monkeypatch, capsys, "archive", "add", str(tmp_path / "missing.jsonl"), "--archive", str(path))
    assert code == 2 and "nothing could be added" in err
    assert path.exists() is existing


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_cli_archive_add_keeps_a_row_whose_date_cannot_be_read(monkeypatch, capsys, tmp_path, fmt):
    import csv

    from factdesk.archive import Archive

    rows = [("https://a.example/1", "1514370000", "Fewer than 1,000 fighters remain in the coalition's area."),
            ("https://a.example/2", "last week", "The harbour ferry gets a new winter timetable this month."),
            ("https://a.example/3", "December 2017", "The council approved the new bus depot budget on Monday."),
            ("https://a.example/4", "2017-12-26", "Forecasters expect a dry weekend after the storm on the coast.")]
    src = tmp_path / f"rows.{fmt}"
    if fmt == "jsonl":
        src.write_text("".join(json.dumps({"url": u, "title": "t", "published": d, "text": t}) + "\n"
                               for u, d, t in rows))
    else:
        with src.open("w", newline="") as fh:
            csv.writer(fh).writerows([("url", "title", "published", "text"), *((u, "t", d, t) for u, d, t in rows)])
    db = tmp_path / "a.sqlite"
    code, _, err = run(monkeypatch, capsys, "archive", "add", str(src), "--archive", str(db))
    assert code == 0 and "added 4" in err and "0 errors, 2 warnings" in err
    first = 2 if fmt == "csv" else 1  # the CSV header is line 1
    assert f"rows.{fmt}:{first + 1}: cannot parse published date 'last week': kept without a date" in err
    assert f"rows.{fmt}:{first + 2}:" in err and "not a full date" in err
    with Archive(db) as archive:
        dates = {d.url: d.published for d in archive.iter_documents()}
    assert dates == {"https://a.example/1": "2017-12-27T10:20:00+00:00", "https://a.example/2": None,
                     "https://a.example/3": None, "https://a.example/4": "2017-12-26"}

def test_cli_archive_search_and_stats(monkeypatch, capsys, built):
    code, out, _ = run(monkeypatch, capsys, "archive", "search", "islamic state fighters remaining", "--archive",
                       str(built), "--json")
    assert code == 0
    hits = json.loads(out)
    assert hits[0]["doc_id"].startswith("wire-coalition-estimate")
    code, out, _ = run(monkeypatch, capsys, "archive", "stats", "--archive", str(built), "--json")
    assert code == 0 and json.loads(out)["documents"] == 8


@pytest.mark.parametrize("content", [b"", b"SQLite format 3\x00" + b"\x00" * 200, b"not a database at all " * 50])
def test_cli_archive_not_ours_is_one_line_error(monkeypatch, capsys, tmp_path, content):
    path = tmp_path / "x.sqlite"
    path.write_bytes(content)
    code, _, err = run(monkeypatch, capsys, "archive", "stats", "--archive", str(path))
    assert code == 2
    assert err.startswith("factdesk: error:") and err.count("\n") == 1 and "Traceback" not in err


def test_cli_check_with_archive_record_and_source(monkeypatch, capsys, built):
    if not SEED.exists():
        pytest.skip("seed article absent")
    code, out, _ = run(monkeypatch, capsys, "check", str(SEED), "--published", "2017-12-27", "--archive", str(built),
                       "--url", "https://partisan.example/isis-toast", "--record", "-f", "json")
    assert code == 0
    report = json.loads(out)
    labels = [c["verdict"]["label"] for c in report["claims"]]
    assert "misleading" in labels and "supported" in labels
    code, out, _ = run(monkeypatch, capsys, "source", "partisan.example", "--archive", str(built), "--json")
    rec = json.loads(out)
    assert rec["articles"] == 1 and rec["claims"] == len(labels)
    assert rec["misleading"] == labels.count("misleading") and rec["supported"] == labels.count("supported")
    # recording the same article again replaces its verdicts instead of counting them twice
    run(monkeypatch, capsys, "check", str(SEED), "--published", "2017-12-27", "--archive", str(built),
        "--url", "https://partisan.example/isis-toast", "--record", "-f", "json")
    _, out, _ = run(monkeypatch, capsys, "source", "partisan.example", "--archive", str(built), "--json")
    assert json.loads(out)["claims"] == len(labels)


def test_cli_record_without_archive_is_an_error(monkeypatch, capsys):
    code, _, err = run(monkeypatch, capsys, "check", str(FIXTURES / "wire_plain.txt"), "--no-archive", "--record")
    assert code == 2 and "--record needs an evidence archive" in err


def test_cli_check_claimreview_format(monkeypatch, capsys, built):
    if not SEED.exists():
        pytest.skip("seed article absent")
    code, out, _ = run(monkeypatch, capsys, "check", str(SEED), "--published", "2017-12-27", "--archive", str(built),
                       "--format", "claimreview")
    assert code == 0
    reviews = json.loads(out)
    assert reviews and {r["@type"] for r in reviews} == {"ClaimReview"}
    assert {r["reviewRating"]["alternateName"] for r in reviews} <= {"True", "Misleading", "False"}
    assert any(r["reviewRating"]["alternateName"] == "Misleading" for r in reviews)


def test_cli_archive_add_lone_surrogate_escapes_are_replaced(monkeypatch, capsys, tmp_path):
    rows = tmp_path / "s.jsonl"
    rows.write_text('{"url": "https://x.example/a", "title": "T \\udc80", "text": "Forty buses \\udc80 were '
                    'replaced on Monday, the council said."}\n')
    db = tmp_path / "a.sqlite"
    code, out, err = run(monkeypatch, capsys, "archive", "add", str(rows), "--archive", str(db))
    assert code == 0 and "added 1" in out + err, err
    code, out, err = run(monkeypatch, capsys, "archive", "search", "buses replaced", "--archive", str(db))
    assert code == 0 and "\ufffd were" in out and "T \ufffd" in out
