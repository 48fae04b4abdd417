import json
from html.parser import HTMLParser

import pytest

from conftest import report_of
from factdesk.report import html, markdown
from factdesk.report.json import validate

HOSTILE = (
    'Officials said the plan failed. <script>alert("x")</script> More text here for the body.\n\n'
    '"><img src=x onerror=alert(1)> and <a href="javascript:alert(2)">click me</a> were in the page.\n\n'
    "“This quote has </span><script>steal()</script> inside it,” said a spokesman for the city."
)


class Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


@pytest.fixture(scope="module")
def hostile_report(pipeline):
    return report_of(pipeline, HOSTILE, title='Plan "fails" </title><script>alert(3)</script>',
                     url="javascript:alert(4)")


def test_report_html_renders_hostile_article_inert(hostile_report):
    page = html.render(hostile_report)
    parser = Elements()
    parser.feed(page)
    tags = [t for t, _ in parser.tags]
    assert "script" not in tags and "img" not in tags
    for tag, attrs in parser.tags:
        assert not any(k.startswith("on") for k in attrs), (tag, attrs)
        assert not (attrs.get("href") or "").lower().startswith("javascript:")
    assert "default-src 'none'" in page  # CSP: nothing executes even if an escape were missed
    assert "&lt;script&gt;" in page  # the text is shown, escaped, not dropped


def test_report_markdown_escapes_markup(hostile_report):
    md = markdown.render(hostile_report)
    assert "<script>" not in md and "<img" not in md
    assert "](javascript:" not in md


def test_report_html_highlights_every_flag_with_explanation(seed_report):
    page = html.render(seed_report)
    parser = Elements()
    parser.feed(page)
    titles = [a.get("title", "") for t, a in parser.tags if t == "span" and "hl" in (a.get("class") or "")]
    for f in seed_report["flags"]:
        if f["start"] >= 0 and f["type"] != "unattributed_claim":
            assert any(f["type"].replace("_", " ") in t for t in titles), f["type"]


def test_report_json_round_trips_and_validates(seed_report):
    again = json.loads(json.dumps(seed_report))
    validate(again)
    assert again["schema_version"] == "1"
    assert {m["name"] for m in again["provenance"]["models"]} >= {"clickbait", "checkworthy"}


def test_report_offsets_point_into_article_text(seed_report):
    text = seed_report["article"]["text"]
    for item in [*seed_report["claims"], *seed_report["quotes"], *[f for f in seed_report["flags"] if f["start"] >= 0]]:
        assert text[item["start"]:item["end"]] == item["text"]


def test_report_score_is_sum_of_components(seed_report):
    s = seed_report["score"]
    assert s["credibility"] == pytest.approx(max(0, min(100, 100 + sum(s["components"].values()))), abs=0.1)


def test_report_renderers_show_a_misattributed_quote_escaped(seed_report):
    from rich.console import Console

    from factdesk.report import terminal

    report = json.loads(json.dumps(seed_report))
    q = report["quotes"][0]
    q["traced"] = {"doc_id": "d1", "url": None, "match": "exact", "original": None, "coverage": 1.0,
                   "original_speaker": "<script>x</script> a Russian spokesman", "misattributed": True}
    page = html.render(report)
    assert "<b>misattributed</b>" in page and "<script>x" not in page and "&lt;script&gt;x" in page
    md = markdown.render(report)
    assert "**misattributed**" in md and "<script>x" not in md
    console = Console(record=True, width=200)
    terminal.render(report, console)
    assert "said by <script>x</script> a Russian spokesman" in console.export_text()  # plain text, not markup
