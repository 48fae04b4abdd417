"""factdesk.fetch: safe URL fetching. Offline: every request goes through httpx.MockTransport and a fake
resolver; a test that would touch the network fails instead (see ``_no_dns``)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from factdesk import __version__, ingest
from factdesk.errors import BlockedAddressError, FetchError, InputError
from factdesk.fetch import MAX_REDIRECTS, FetchedPage, check_address, fetch

PUBLIC_IP = "93.184.216.34"

HTML = b"""<!doctype html><html><head><title>Storm Hits Coast | Coastal Times</title>
<meta name="author" content="Sam Reporter"><meta property="article:published_time" content="2022-08-01">
</head><body><nav><a href="/">Home</a> <a href="/weather">Weather</a></nav><article><h1>Storm Hits Coast</h1>
<p>A powerful storm hit the coast on Monday, cutting power to thousands of homes and closing several roads.</p>
<p>Officials said crews were working through the night and expected most power to be restored by Wednesday.</p>
</article></body></html>"""


def public_resolver(host: str, port: int) -> list[str]:
    return [PUBLIC_IP]


@pytest.fixture(autouse=True)
def _no_dns(monkeypatch: pytest.MonkeyPatch) -> None:
    """The real resolver must never be reached in tests."""

    def boom(*args: object, **kwargs: object) -> None:
        raise AssertionError("real DNS lookup attempted in an offline test")

    monkeypatch.setattr("socket.getaddrinfo", boom)


class Recorder:
    """A MockTransport handler that records requests and answers from a route table."""

    def __init__(self, routes: dict[str, httpx.Response] | None = None, default: httpx.Response | None = None):
        self.routes = routes or {}
        self.default = default
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        resp = self.routes.get(str(request.url), self.default)
        if resp is None:
            raise AssertionError(f"unexpected request to {request.url}")
        return resp

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)


def html_response(body: bytes = HTML, **headers: str) -> httpx.Response:
    return httpx.Response(200, headers={"content-type": "text/html; charset=utf-8", **headers}, content=body)


# --------------------------------------------------------------------------------------------- happy path


def test_fetch_html_becomes_document() -> None:
    rec = Recorder({"https://www.coastal.example/storm": html_response()})
    doc = ingest.from_url(
        "https://www.coastal.example/storm", transport=rec.transport, resolver=public_resolver, id="c1"
    )
    assert doc.title == "Storm Hits Coast"
    assert doc.author == "Sam Reporter"
    assert doc.published == "2022-08-01"
    assert doc.text.startswith("A powerful storm hit the coast on Monday")
    assert "\n\n" in doc.text and "Home" not in doc.text
    assert (doc.url, doc.domain, doc.id) == ("https://www.coastal.example/storm", "coastal.example", "c1")
    assert rec.requests[0].headers["user-agent"] == f"factdesk/{__version__}"


def test_fetch_returns_page() -> None:
    rec = Recorder({"http://news.example/a": html_response()})
    page = fetch("http://news.example/a", transport=rec.transport, resolver=public_resolver)
    assert isinstance(page, FetchedPage)
    assert (page.url, page.status, page.content_type) == ("http://news.example/a", 200, "text/html; charset=utf-8")
    assert "Storm Hits Coast" in page.text


def test_fetch_follows_public_redirects_and_reports_final_url() -> None:
    rec = Recorder(
        {
            "http://news.example/old": httpx.Response(301, headers={"location": "https://news.example/mid"}),
            "https://news.example/mid": httpx.Response(302, headers={"location": "/final?x=1"}),
            "https://news.example/final?x=1": html_response(),
        }
    )
    page = fetch("http://news.example/old", transport=rec.transport, resolver=public_resolver)
    assert page.url == "https://news.example/final?x=1"
    assert len(rec.requests) == 3


def test_fetch_too_many_redirects() -> None:
    rec = Recorder(default=httpx.Response(302, headers={"location": "/again"}))
    with pytest.raises(FetchError, match="too many redirects"):
        fetch("http://news.example/start", transport=rec.transport, resolver=public_resolver)
    assert len(rec.requests) == MAX_REDIRECTS + 1


@pytest.mark.parametrize(
    ("content_type", "body", "expected"),
    [
        (
            "text/plain; charset=windows-1252",
            "caf\u00e9 \u201cquoted\u201d".encode("cp1252"),
            "caf\u00e9 \u201cquoted\u201d",
        ),
        ("text/plain", "caf\u00e9 \u2014 na\u00efve".encode(), "caf\u00e9 \u2014 na\u00efve"),
        ("text/html", b'<meta charset="iso-8859-2"><p>\xa3\xf3d\xbc</p>', "\u0141\u00f3d\u017a"),
        ("text/plain; charset=utf-8", b"line one\r\nline two", "line one\nline two"),
    ],
    ids=["header-charset", "utf8-no-charset", "meta-charset", "crlf"],
)
def test_fetch_decodes_body(content_type: str, body: bytes, expected: str) -> None:
    rec = Recorder(default=httpx.Response(200, headers={"content-type": content_type}, content=body))
    page = fetch("http://news.example/t", transport=rec.transport, resolver=public_resolver)
    assert expected in page.text


# ------------------------------------------------------------------------------------------ errors


@pytest.mark.parametrize("status", [404, 410, 500, 503])
def test_fetch_http_error_status(status: int) -> None:
    rec = Recorder(default=httpx.Response(status, text="nope"))
    with pytest.raises(FetchError) as exc:
        fetch("https://news.example/missing", transport=rec.transport, resolver=public_resolver)
    assert exc.value.message == f"HTTP {status} fetching https://news.example/missing"


@pytest.mark.parametrize("error", [httpx.ReadTimeout, httpx.ConnectTimeout, httpx.PoolTimeout])
def test_fetch_timeout(error: type[httpx.TimeoutException]) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise error("slow", request=request)

    with pytest.raises(FetchError, match=r"timed out fetching https://slow\.example/a after 3s"):
        fetch("https://slow.example/a", timeout=3, transport=httpx.MockTransport(handler), resolver=public_resolver)


def test_fetch_connection_error_is_fetch_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with pytest.raises(FetchError, match="could not fetch"):
        fetch("https://down.example/", transport=httpx.MockTransport(handler), resolver=public_resolver)


class _Body(httpx.SyncByteStream):
    """A response body that counts how many bytes were pulled from it."""

    def __init__(self, chunk: int, chunks: int | None) -> None:
        self.chunk, self.chunks, self.pulled = chunk, chunks, 0

    def __iter__(self) -> Iterator[bytes]:
        n = 0
        while self.chunks is None or n < self.chunks:
            n += 1
            self.pulled += self.chunk
            yield b"a" * self.chunk


def test_fetch_oversized_declared_length_refused_before_reading() -> None:
    body = _Body(1024, 4)
    resp = httpx.Response(
        200, headers={"content-type": "text/html", "content-length": str(50 * 1024 * 1024)}, stream=body
    )
    with pytest.raises(FetchError, match=r"exceeds the 10 MB input cap"):
        fetch("https://big.example/", transport=httpx.MockTransport(lambda r: resp), resolver=public_resolver)
    assert body.pulled == 0


def test_fetch_oversized_streamed_body_stopped() -> None:
    body = _Body(64 * 1024, None)  # endless, no Content-Length
    resp = httpx.Response(200, headers={"content-type": "text/html"}, stream=body)
    cap = 1024 * 1024
    with pytest.raises(FetchError, match=r"exceeds the 1 MB input cap \(1048576 bytes\)"):
        fetch(
            "https://big.example/",
            max_bytes=cap,
            transport=httpx.MockTransport(lambda r: resp),
            resolver=public_resolver,
        )
    assert cap < body.pulled <= cap + 2 * 64 * 1024


def test_fetch_body_at_cap_is_accepted() -> None:
    resp = httpx.Response(200, headers={"content-type": "text/plain"}, content=b"a" * 1000)
    page = fetch(
        "https://ok.example/", max_bytes=1000, transport=httpx.MockTransport(lambda r: resp), resolver=public_resolver
    )
    assert len(page.text) == 1000


@pytest.mark.parametrize("content_type", ["application/pdf", "image/jpeg", "video/mp4"])
def test_fetch_non_text_content_type_refused(content_type: str) -> None:
    body = _Body(1024, 4)
    resp = httpx.Response(200, headers={"content-type": content_type}, stream=body)
    with pytest.raises(FetchError, match="not an HTML or plain-text article"):
        fetch("https://files.example/x", transport=httpx.MockTransport(lambda r: resp), resolver=public_resolver)
    assert body.pulled == 0


# ------------------------------------------------------------------------------------------- safety


@pytest.mark.parametrize(
    "url",
    [
        "ftp://news.example/a.txt",
        "file:///etc/passwd",
        "gopher://news.example/",
        "javascript:alert(1)",
        "data:text/html,<p>hi</p>",
    ],
)
def test_fetch_non_http_scheme_refused(url: str) -> None:
    rec = Recorder(default=html_response())
    with pytest.raises(FetchError, match="unsupported URL scheme"):
        fetch(url, transport=rec.transport, resolver=public_resolver)
    assert rec.requests == []


@pytest.mark.parametrize("url", ["news.example/a", "http:///nohost", "http://bad host.example/", "http://-x-.example/"])
def test_fetch_malformed_url_refused(url: str) -> None:
    rec = Recorder(default=html_response())
    with pytest.raises(FetchError):
        fetch(url, transport=rec.transport, resolver=public_resolver)
    assert rec.requests == []


PRIVATE_URLS = [
    ("http://127.0.0.1/", "127.0.0.1"),
    ("http://127.8.9.10:8080/admin", "127.8.9.10"),
    ("http://[::1]/", "::1"),
    ("http://10.1.2.3/", "10.1.2.3"),
    ("http://172.16.0.1/", "172.16.0.1"),
    ("http://172.31.255.255/", "172.31.255.255"),
    ("http://192.168.1.1/", "192.168.1.1"),
    ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),
    ("http://0.0.0.0/", "0.0.0.0"),
    ("http://100.64.0.1/", "100.64.0.1"),
    ("http://224.0.0.1/", "224.0.0.1"),
    ("http://[fc00::1]/", "fc00::1"),
    ("http://[fd12:3456::1]/", "fd12:3456::1"),
    ("http://[fe80::1]/", "fe80::1"),
    ("http://[::ffff:127.0.0.1]/", "::ffff:7f00:1"),
    ("http://[::ffff:10.0.0.1]/", "::ffff:a00:1"),
    ("http://2130706433/", "127.0.0.1"),
    ("http://0x7f000001/", "127.0.0.1"),
    ("http://127.1/", "127.0.0.1"),
    ("http://localhost:8000/", "127.0.0.1"),
]


@pytest.mark.parametrize(("url", "address"), PRIVATE_URLS)
def test_fetch_private_address_refused(url: str, address: str) -> None:
    rec = Recorder(default=html_response())
    with pytest.raises(BlockedAddressError) as exc:
        fetch(url, transport=rec.transport, resolver=public_resolver)
    assert address in exc.value.message
    assert "--allow-private" in exc.value.message
    assert rec.requests == []


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1/", "http://[::1]:8080/x", "http://169.254.169.254/", "http://2130706433/"]
)
def test_fetch_allow_private_lets_it_through(url: str) -> None:
    rec = Recorder(default=html_response())
    page = fetch(url, allow_private=True, transport=rec.transport, resolver=public_resolver)
    assert page.status == 200 and len(rec.requests) == 1


def test_fetch_redirect_to_loopback_refused() -> None:
    rec = Recorder({"https://news.example/a": httpx.Response(302, headers={"location": "http://127.0.0.1/admin"})})
    with pytest.raises(BlockedAddressError) as exc:
        fetch("https://news.example/a", transport=rec.transport, resolver=public_resolver)
    assert "127.0.0.1" in exc.value.message and "--allow-private" in exc.value.message
    assert "redirected from https://news.example/a" in exc.value.message
    assert [str(r.url) for r in rec.requests] == ["https://news.example/a"]


def test_fetch_redirect_to_private_hostname_refused() -> None:
    def resolver(host: str, port: int) -> list[str]:
        return ["192.168.0.7"] if host == "intranet.example" else [PUBLIC_IP]

    rec = Recorder({"https://news.example/a": httpx.Response(307, headers={"location": "http://intranet.example/"})})
    with pytest.raises(BlockedAddressError, match=r"intranet\.example resolves to 192\.168\.0\.7"):
        fetch("https://news.example/a", transport=rec.transport, resolver=resolver)
    assert len(rec.requests) == 1


@pytest.mark.parametrize("addresses", [["10.0.0.5"], [PUBLIC_IP, "10.0.0.5"], ["2606:2800:220:1::1", "::1"]])
def test_fetch_hostname_resolving_to_private_refused(addresses: list[str]) -> None:
    seen: list[tuple[str, int]] = []

    def resolver(host: str, port: int) -> list[str]:
        seen.append((host, port))
        return addresses

    rec = Recorder(default=html_response())
    with pytest.raises(BlockedAddressError, match="resolves to"):
        fetch("https://sneaky.example/", transport=rec.transport, resolver=resolver)
    assert seen == [("sneaky.example", 443)]
    assert rec.requests == []


def test_fetch_blocked_is_input_error_for_callers() -> None:
    with pytest.raises(InputError):
        ingest.from_url("http://10.0.0.1/", transport=Recorder(default=html_response()).transport)


@pytest.mark.parametrize(
    ("address", "blocked"),
    [
        (PUBLIC_IP, False),
        ("8.8.8.8", False),
        ("2606:4700:4700::1111", False),
        ("::ffff:8.8.8.8", False),
        ("::ffff:192.168.1.1", True),
        ("64:ff9b::7f00:1", True),
        ("2002:7f00:1::", True),
        ("198.18.0.1", True),
        ("240.0.0.1", True),
        ("255.255.255.255", True),
        ("fe80::1%eth0", True),
        ("not-an-ip", True),
    ],
)
def test_fetch_check_address(address: str, blocked: bool) -> None:
    assert (check_address(address) is not None) is blocked
