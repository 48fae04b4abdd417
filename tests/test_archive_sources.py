"""The archive's readers, one per input format, over the fixtures in tests/fixtures/archive."""

from pathlib import Path

import pytest

from factdesk.archive.sources import ReadError, iter_source

FIXTURES = Path(__file__).parent / "fixtures" / "archive"


def _read(name: str) -> tuple[list, list]:
    items = list(iter_source(str(FIXTURES / name)))
    return [i for i in items if not isinstance(i, ReadError)], [i for i in items if isinstance(i, ReadError)]


@pytest.mark.parametrize(("name", "docs", "errors"), [
    # id, url, title, published, source; a bad row is reported by its line and the rest is read
    ("articles.csv", [
        ("c1", "https://www.example-news.com/a", "Storm hits coast", "2018-01-05", "Example News"),
        ("c2", "https://other.example.com/b", "Rates unchanged", "2018-01-06", "other.example.com"),
        ("c5", None, "Multi-line row", "2018-01-09", None),
    ], [(4, "row has no 'text'"), (5, "expected 6 fields, got 7")]),
    # a feed's items take the feed's name as their source; an item without text is an error at its line
    ("feed.rss", [
        (None, "https://wire.example.com/bridge", "Bridge reopens after repairs", "2018-01-15", "Example Wire"),
        (None, "https://wire.example.com/museum", "Museum gets record visitors", None, "Example Wire"),
    ], [(20, "item has no description or content")]),
    ("feed.atom", [
        (None, "https://atom.example.org/rail", "Rail strike called off", "2018-02-01", "Example Atom"),
        (None, "https://atom.example.org/harbour", "Harbour dredging starts", "2018-02-02", "Example Atom"),
    ], []),
    ("pages.warc", [
        (None, "https://water.example.com/prices", "Water prices to rise", None, "water.example.com"),
        (None, "https://cafe.example.com/award", "Café wins award", None, "cafe.example.com"),
        (None, "https://tram.example.com/delay", "Tram line delayed", None, "tram.example.com"),
    ], []),
    # .txt and .html files, sub-folders included; hidden files and other formats skipped; a year in the prose
    # ("since the event began in 2009") is no publication date
    ("folder", [
        (None, None, "Library extends opening hours", None, None),
        (None, None, "Park cleanup draws volunteers", None, None),
    ], []),
])
def test_archive_sources_read_each_format(name, docs, errors):
    got, errs = _read(name)
    assert [(d.doc_id if want[0] else None, d.url, d.title, (d.published or "")[:10] or None, d.source)
            for d, want in zip(got, docs, strict=True)] == docs
    assert all(d.text.strip() and "<" not in d.text for d in got)  # markup stripped
    assert [(e.line, e.message[:len(m)]) for e, (_, m) in zip(errs, errors, strict=True)] == errors
