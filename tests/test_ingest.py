"""factdesk.ingest: any input → Document, safely. Fully offline."""

from __future__ import annotations

import io
import json
import os
import time
from pathlib import Path

import httpx
import pytest

from factdesk import ingest
from factdesk.document import Document
from factdesk.errors import FetchError, InputError
from factdesk.ingest import MAX_BYTES

SEED = Path("/work/shared/seeds/000_19727acd434fd108.txt")

ARTICLE_HTML = """<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Council Approves School Budget | Riverton Gazette</title>
<meta name="author" content="Jane Doe">
<meta property="og:site_name" content="Riverton Gazette">
<meta property="article:published_time" content="2021-03-04T10:00:00Z">
<script>var tracking = "<p>not article</p>";</script>
<style>p { color: red }</style>
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<article>
<h1>Council Approves School Budget</h1>
<p>The city council voted on <b>Tuesday</b> to approve the new budget, which raises spending on schools by
12 percent, the <a href="/mayor">mayor's office</a> said.</p>
<p>Critics said the plan was rushed and that residents had too little time to comment on the proposal
before the vote was held late in the evening.</p>
<p>Supporters argued that the schools had waited long enough for the money &amp; that further delays would
only hurt students &lt;and teachers&gt;.</p>
</article>
<footer>Copyright 2021 Riverton Gazette. All rights reserved.</footer>
</body></html>
"""

NAV_ONLY_HTML = """<!doctype html><html><head><title>Menu</title></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World news</a></li>
<li><a href="/sport">Sport</a></li></ul></nav>
<div class="menu"><a href="/about">About us</a> | <a href="/contact">Contact</a></div>
<footer>(c) 2020 Example Corp.</footer></body></html>"""


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


# ------------------------------------------------------------------------------------- empty / binary


@pytest.mark.parametrize(
    "content", [b"", b"   \n\t\n  \r\n", b"\xef\xbb\xbf\n\n"], ids=["empty", "whitespace", "bom-only"]
)
def test_ingest_empty_file_refused(tmp_path: Path, content: bytes) -> None:
    p = _write(tmp_path, "a.txt", content)
    with pytest.raises(InputError, match="empty"):
        ingest.from_path(p)


@pytest.mark.parametrize("text", ["", "   ", "\n\n \t\n"])
def test_ingest_from_text_empty_refused(text: str) -> None:
    with pytest.raises(InputError, match="article is empty"):
        ingest.from_text(text)


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n" + os.urandom(4096),
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
        b"PK\x03\x04" + os.urandom(512),
        b"\x1f\x8b\x08\x00" + os.urandom(512),
        b"plain start then a NUL\x00 byte in the middle of text",
        bytes(range(1, 9)) * 200,
    ],
    ids=["png", "pdf", "zip", "gzip", "nul-byte", "control-bytes"],
)
def test_ingest_binary_file_refused(tmp_path: Path, data: bytes) -> None:
    p = _write(tmp_path, "article.txt", data)
    with pytest.raises(InputError, match="looks like a binary file, not an article") as exc:
        ingest.from_path(p)
    assert str(p) in exc.value.message


# ------------------------------------------------------------------------------------------ decoding


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Headline\n\nThe caf\u00e9\u2019s owner said \u201cno\u201d \u2014 twice.\n", "cp1252"),
        ("Schlagzeile\n\n\u00dcber die Stra\u00dfe gehen wir sch\u00f6n langsam.\n", "cp1252"),
        ("Titre\n\nLe caf\u00e9 \u00e9tait ferm\u00e9, na\u00efve id\u00e9e.\n", "cp1252"),
        (
            "\u898b\u51fa\u3057\n\n\u65e5\u672c\u8a9e\u306e\u30c6\u30ad\u30b9\u30c8\u3067\u3059\u3002"
            "\u6771\u4eac\u3067\u4f1a\u8b70\u304c\u958b\u304b\u308c\u307e\u3057\u305f\u3002\n",
            "shift_jis",
        ),
    ],
    ids=["cp1252-quotes", "cp1252-german", "cp1252-french", "shift_jis"],
)
def test_ingest_legacy_encoding_decoded(tmp_path: Path, text: str, encoding: str) -> None:
    data = text.encode(encoding)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # the file really is invalid UTF-8
    doc = ingest.from_path(_write(tmp_path, "a.txt", data))
    title, _, body = text.strip().partition("\n\n")
    assert doc.title == title
    assert doc.text == body


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig", "utf-32"])
def test_ingest_unicode_with_bom_decoded(tmp_path: Path, encoding: str) -> None:
    text = "Caf\u00e9 news\r\n\r\nThe caf\u00e9\u2019s owner said \u201cno\u201d.\r\nSecond line.\r\n"
    bom = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}.get(encoding, b"")
    data = bom + text.encode(encoding)
    doc = ingest.from_path(_write(tmp_path, "a.txt", data))
    assert doc.title == "Caf\u00e9 news"
    assert doc.text == "The caf\u00e9\u2019s owner said \u201cno\u201d.\nSecond line."
    assert "\ufeff" not in doc.text and "\r" not in doc.text


def test_ingest_decode_bytes_normalises_newlines() -> None:
    assert ingest.decode_bytes(b"a\r\nb\rc\nd", origin="x") == "a\nb\nc\nd"


def test_ingest_decode_bytes_declared_charset_wins_over_detection() -> None:
    data = "\u0141\u00f3d\u017a i \u017b\u00f3\u0142w".encode("iso8859-2")
    assert ingest.decode_bytes(data, origin="x", encoding="iso-8859-2") == "\u0141\u00f3d\u017a i \u017b\u00f3\u0142w"


def test_ingest_decode_bytes_latin1_declared_but_utf8_sent() -> None:
    assert ingest.decode_bytes("caf\u00e9".encode(), origin="x", encoding="ISO-8859-1") == "caf\u00e9"


# ------------------------------------------------------------------------------------------ size cap


def test_ingest_50mb_html_file_refused_quickly(tmp_path: Path) -> None:
    p = tmp_path / "huge.html"
    block = b"<p>" + b"word " * 200 + b"</p>\n"
    with p.open("wb") as fh:
        fh.write(b"<!doctype html><html><body><article>")
        for _ in range(50 * 1024 * 1024 // len(block) + 1):
            fh.write(block)
    assert p.stat().st_size > 50 * 1024 * 1024
    t0 = time.perf_counter()
    with pytest.raises(InputError) as exc:
        ingest.from_path(p)
    assert time.perf_counter() - t0 < 2.0
    assert "10 MB" in exc.value.message and str(MAX_BYTES) in exc.value.message


class _CountingReader(io.RawIOBase):
    """An endless stream of HTML-ish bytes that records how much was read; has no usable fileno()."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        if n is None or n < 0:
            n = self.total - self.read_bytes
        n = min(n, self.total - self.read_bytes)
        self.read_bytes += n
        return b"a" * n

    def fileno(self) -> int:
        raise io.UnsupportedOperation("no fileno")


def test_ingest_from_path_reads_at_most_cap_plus_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Even when the size cannot be stat'ed, a 50 MB file is not read wholly."""
    p = tmp_path / "big.html"
    p.write_bytes(b"x")
    reader = _CountingReader(50 * 1024 * 1024)
    monkeypatch.setattr(Path, "open", lambda self, *a, **k: reader)
    with pytest.raises(InputError, match="10 MB input cap"):
        ingest.from_path(p)
    assert reader.read_bytes <= MAX_BYTES + 1


def test_ingest_stdin_capped() -> None:
    reader = _CountingReader(50 * 1024 * 1024)
    with pytest.raises(InputError, match="standard input is too large"):
        ingest.from_source("-", stdin=reader)
    assert reader.read_bytes <= MAX_BYTES + 1


# ---------------------------------------------------------------------------------------------- HTML


def test_ingest_html_article_extracted() -> None:
    doc = ingest.from_html(ARTICLE_HTML, url="https://WWW.Riverton-Gazette.example/news/1")
    assert doc.title == "Council Approves School Budget"
    assert doc.author == "Jane Doe"
    assert doc.site == "Riverton Gazette"
    assert doc.published == "2021-03-04"
    assert doc.domain == "riverton-gazette.example"
    paragraphs = doc.text.split("\n\n")
    assert len(paragraphs) == 3
    assert paragraphs[0].startswith("The city council voted on Tuesday to approve")
    assert "mayor's office said" in paragraphs[0]
    assert paragraphs[2].endswith("only hurt students <and teachers>.")  # entities decoded, nothing dropped
    assert "&amp;" not in doc.text and "<b>" not in doc.text and "<p>" not in doc.text
    for junk in ("Home", "Sport", "Copyright", "tracking", "color: red", "Council Approves"):
        assert junk not in doc.text


def test_ingest_html_overrides_and_id() -> None:
    doc = ingest.from_html(ARTICLE_HTML, published="27 Dec 2017", id="a1", title="My title")
    assert (doc.published, doc.id, doc.title, doc.domain) == ("2017-12-27", "a1", "My title", None)


@pytest.mark.parametrize(("link", "url"), [
    ('<link rel="canonical" href="https://www.meridian-wire.example/world/count">',
     "https://www.meridian-wire.example/world/count"),
    ('<link rel="canonical" href="javascript:alert(1)">', None),  # an address only if it is a web address
])
def test_ingest_html_saved_page_names_its_own_address(link: str, url: str | None) -> None:
    doc = ingest.from_html(ARTICLE_HTML.replace("<head>", "<head>" + link, 1))
    assert doc.url == url
    assert doc.domain == (url and "meridian-wire.example")


@pytest.mark.parametrize("html", [NAV_ONLY_HTML, "<html><body></body></html>", "<html><body><script>x()</script>"])
def test_ingest_html_without_article_body_refused(html: str) -> None:
    with pytest.raises(InputError, match="no article text found in the HTML page"):
        ingest.from_html(html)


def test_ingest_html_file_without_body_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no article text found in the HTML page"):
        ingest.from_path(_write(tmp_path, "menu.htm", NAV_ONLY_HTML.encode()))


@pytest.mark.parametrize("name", ["page.html", "page.txt", "page"])
def test_ingest_from_path_sniffs_html(tmp_path: Path, name: str) -> None:
    doc = ingest.from_path(_write(tmp_path, name, ARTICLE_HTML.encode()))
    assert doc.title == "Council Approves School Budget"
    assert "<" not in doc.text.replace("<and teachers>", "")


def test_ingest_html_meta_charset_respected(tmp_path: Path) -> None:
    html = ARTICLE_HTML.replace('<meta charset="utf-8">', '<meta charset="windows-1252">').replace(
        "Tuesday", "Tuesday in the caf\u00e9\u2019s back room"
    )
    doc = ingest.from_path(_write(tmp_path, "p.html", html.encode("cp1252")))
    assert "caf\u00e9\u2019s back room" in doc.text


# ---------------------------------------------------------------------------------------------- text


@pytest.mark.skipif(not SEED.exists(), reason="seed corpus not present")
def test_ingest_seed_file_layout() -> None:
    doc = ingest.from_path(SEED)
    assert doc.title == "ISIS is Toast: Fewer Than 1,000 Jihadists Left in Syria and Iraq!"
    assert doc.text.startswith("isis defeated\n\nAccording to")
    assert doc.title not in doc.text
    assert doc.text.count("\n\n") >= 3  # paragraphs kept
    assert "\n\n\n" not in doc.text and doc.text == doc.text.strip()
    assert (doc.url, doc.domain, doc.published) == (None, None, None)


def test_ingest_from_text_headline_and_paragraphs() -> None:
    doc = ingest.from_text("\n\n  Big Headline  \n\n\n\nFirst para line.\nSame para.\n\n\n\nSecond para.  \n")
    assert doc.title == "Big Headline"
    assert doc.text == "First para line.\nSame para.\n\nSecond para."


def test_ingest_from_text_headline_only_refused() -> None:
    with pytest.raises(InputError, match="has a headline but no body"):
        ingest.from_text("Just a headline\n\n   \n")


def test_ingest_from_text_long_single_paragraph_is_body() -> None:
    para = "This single paragraph is long enough that it is clearly body text rather than a headline. " * 4
    doc = ingest.from_text(para)
    assert doc.title is None and doc.text == para.strip()


def test_ingest_from_text_explicit_title_keeps_text_whole() -> None:
    doc = ingest.from_text("First line stays.\n\nSecond.", title="Given", url="http://www.BBC.co.uk/x", id="7")
    assert (doc.title, doc.text, doc.domain, doc.id) == ("Given", "First line stays.\n\nSecond.", "bbc.co.uk", "7")


# ------------------------------------------------------------------------------------ metadata helpers


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2017-12-27", "2017-12-27"),
        ("27 Dec 2017", "2017-12-27"),
        ("December 27, 2017", "2017-12-27"),
        ("Wed, 27 Dec 2017", "2017-12-27"),
        ("2017-12-27T14:05:00Z", "2017-12-27T14:05:00+00:00"),
        ("2017-12-27 14:05", "2017-12-27T14:05:00"),
        ("  2017-12-27 ", "2017-12-27"),
        (None, None),
        ("", None),
    ],
)
def test_ingest_published_normalised(value: str | None, expected: str | None) -> None:
    assert ingest.normalize_published(value) == expected
    assert ingest.from_text("T\n\nBody.", published=value).published == expected


@pytest.mark.parametrize("value", ["not a date", "2017-02-30", "December 2017", "yesterday-ish"])
def test_ingest_published_unparseable_refused(value: str) -> None:
    with pytest.raises(InputError, match="published date"):
        ingest.from_text("T\n\nBody.", published=value)
    assert ingest.normalize_published(value, strict=False) is None


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("https://www.Example.COM/path?q=1", "example.com"),
        ("http://news.bbc.co.uk:8080/x", "news.bbc.co.uk"),
        ("https://wwwexample.com/", "wwwexample.com"),
        ("example.org/article", "example.org"),
        (None, None),
        ("", None),
    ],
)
def test_ingest_domain_from_url(url: str | None, domain: str | None) -> None:
    assert ingest.domain_of(url) == domain


# ------------------------------------------------------------------------------------- paths & sources


def test_ingest_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        ingest.from_path(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="is a directory"):
        ingest.from_path(tmp_path)
    with pytest.raises(InputError, match="file not found"):
        ingest.from_source(str(tmp_path / "nope.txt"))


@pytest.mark.parametrize(
    "stdin",
    [io.BytesIO("Head\n\nBody caf\u00e9.".encode()), io.StringIO("Head\n\nBody caf\u00e9.")],
    ids=["bytes", "text"],
)
def test_ingest_from_source_stdin(stdin: io.IOBase) -> None:
    doc = ingest.from_source("-", stdin=stdin, id="s1")
    assert (doc.title, doc.text, doc.id) == ("Head", "Body caf\u00e9.", "s1")


def test_ingest_from_source_stdin_empty() -> None:
    with pytest.raises(InputError, match="standard input is empty"):
        ingest.from_source("-", stdin=io.BytesIO(b"  \n"))


def test_ingest_from_source_non_http_scheme_refused() -> None:
    with pytest.raises(FetchError, match="unsupported URL scheme"):
        ingest.from_source("ftp://example.com/article.txt")


def _public(host: str, port: int) -> list[str]:
    return ["93.184.216.34"]


@pytest.mark.parametrize(
    ("content_type", "body", "title"),
    [
        ("text/html; charset=utf-8", ARTICLE_HTML.encode(), "Council Approves School Budget"),
        ("text/plain", b"Plain Headline\n\nPlain body text.", "Plain Headline"),
    ],
)
def test_ingest_from_source_url(content_type: str, body: bytes, title: str) -> None:
    transport = httpx.MockTransport(
        lambda req: httpx.Response(200, headers={"content-type": content_type}, content=body)
    )
    doc = ingest.from_source("https://www.news.example/a", transport=transport, resolver=_public, id="u1")
    assert (doc.title, doc.url, doc.domain, doc.id) == (title, "https://www.news.example/a", "news.example", "u1")


@pytest.mark.parametrize("content_type", ["application/pdf", "image/png", "application/zip"])
def test_ingest_from_url_non_article_content_type_refused(content_type: str) -> None:
    transport = httpx.MockTransport(
        lambda req: httpx.Response(200, headers={"content-type": content_type}, content=b"%PDF-1.4")
    )
    with pytest.raises(InputError, match=content_type.replace("+", r"\+")):
        ingest.from_url("https://news.example/a.pdf", transport=transport, resolver=_public)


def test_ingest_from_url_binary_body_with_text_type_refused() -> None:
    transport = httpx.MockTransport(
        lambda req: httpx.Response(
            200, headers={"content-type": "application/octet-stream"}, content=b"\x89PNG\r\n\x1a\n\x00\x01"
        )
    )
    with pytest.raises(InputError, match="looks like a binary file"):
        ingest.from_url("https://news.example/x", transport=transport, resolver=_public)


# ---------------------------------------------------------------------------------------------- JSONL


def test_ingest_jsonl_good_and_bad_rows(tmp_path: Path) -> None:
    rows = [
        json.dumps({"text": "First line is not a headline.\n\nSecond para.", "id": "a"}),  # 1
        "",  # 2 blank: skipped
        "{not json",  # 3
        json.dumps(["a", "list"]),  # 4
        json.dumps({"title": "no text"}),  # 5
        json.dumps({"text": "   "}),  # 6
        json.dumps({"text": 42}),  # 7
        json.dumps({"text": "ok", "title": ["x"]}),  # 8
        json.dumps({"text": "ok", "published": "someday"}),  # 9
        json.dumps(
            {"text": "Body two.", "title": "T2", "url": "https://www.x.example/2", "published": "27 Dec 2017", "id": 5}
        ),  # 10
        json.dumps({"html": ARTICLE_HTML}),  # 11
        json.dumps({"html": NAV_ONLY_HTML}),  # 12
        "   ",  # 13 blank
        json.dumps({"text": "Last good row."}),  # 14
    ]
    p = tmp_path / "corpus.jsonl"
    p.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = list(ingest.iter_jsonl(p, url="https://default.example/"))
    assert [n for n, _ in out] == [1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14]
    got = dict(out)
    bad = {n for n, r in out if isinstance(r, InputError)}
    assert bad == {3, 4, 5, 6, 7, 8, 9, 12}
    assert all(isinstance(got[n], Document) for n in (1, 10, 11, 14))
    assert "invalid JSON" in got[3].message
    assert "expected a JSON object" in got[4].message
    assert "no 'text'" in got[5].message
    assert "empty" in got[6].message
    assert "must be a string" in got[7].message and "must be a string" in got[8].message
    assert "published date" in got[9].message
    assert "no article text found" in got[12].message
    d1 = got[1]
    assert d1.title is None and d1.text == "First line is not a headline.\n\nSecond para." and d1.id == "a"
    assert d1.url == "https://default.example/" and d1.domain == "default.example"
    d10 = got[10]
    assert (d10.title, d10.domain, d10.published, d10.id) == ("T2", "x.example", "2017-12-27", "5")
    assert got[11].title == "Council Approves School Budget" and got[11].author == "Jane Doe"
    assert got[14].text == "Last good row."


def test_ingest_jsonl_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        ingest.iter_jsonl(tmp_path / "missing.jsonl")


def test_ingest_jsonl_invalid_utf8_row_skipped(tmp_path: Path) -> None:
    p = tmp_path / "c.jsonl"
    p.write_bytes(b'{"text": "caf\xe9"}\n{"text": "fine"}\n')
    out = list(ingest.iter_jsonl(p))
    assert isinstance(out[0][1], InputError) and "UTF-8" in out[0][1].message
    assert out[1][0] == 2 and out[1][1].text == "fine"
