"""Fetch one web page safely: http(s) only, no private/loopback/link-local targets (checked on every redirect
hop), bounded time and size, and every byte through an injectable ``httpx`` transport so tests run offline.

DNS-rebinding-proof address pinning is *not* attempted: the host is resolved and checked before each hop, and
the HTTP stack then resolves it again to connect.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import httpx

from factdesk import __version__
from factdesk.errors import BlockedAddressError, FetchError
from factdesk.ingest import MAX_BYTES, decode_bytes, human_size, sniff_meta_charset

__all__ = ["MAX_REDIRECTS", "USER_AGENT", "FetchedPage", "check_address", "fetch", "system_resolver"]

USER_AGENT = f"factdesk/{__version__}"
MAX_REDIRECTS = 5
TOTAL_TIMEOUT_FACTOR = 3
"""The whole fetch (all hops, whole body) is abandoned after ``timeout * TOTAL_TIMEOUT_FACTOR`` seconds, so a
server that trickles bytes cannot hold it forever; connect/read each time out after ``timeout``."""

Resolver = Callable[[str, int], Iterable[str]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")
_NUMERIC_HOST = re.compile(r"^[0-9a-fx.]+$")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_TEXT_TYPES = frozenset({"application/xhtml+xml", "application/xml", "application/json", "application/octet-stream"})


@dataclass(frozen=True, slots=True)
class FetchedPage:
    url: str
    """The final URL, after redirects."""
    status: int
    content_type: str
    """The ``Content-Type`` header as sent (may be empty)."""
    text: str


# ---------------------------------------------------------------------------------------- addresses


def system_resolver(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (``socket.getaddrinfo``)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FetchError(f"cannot resolve host {host}: {exc.strerror or exc}") from None
    except (UnicodeError, OSError) as exc:
        raise FetchError(f"cannot resolve host {host}: {exc}") from None
    return [str(info[4][0]) for info in infos]


def _why_blocked(ip: IPAddress) -> str | None:
    """Why ``ip`` must not be fetched without --allow-private, or None if it is a public address."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded: ipaddress.IPv4Address | None = ip.ipv4_mapped
        label = "IPv4-mapped"
        if embedded is None and ip in _NAT64:
            embedded, label = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF), "NAT64"
        if embedded is None and ip.sixtofour is not None:
            embedded, label = ip.sixtofour, "6to4"
        if embedded is not None:
            inner = _why_blocked(embedded)
            return f"{label} {inner} ({embedded})" if inner else None
    if ip.is_loopback:
        return "loopback address"
    if ip.is_unspecified:
        return "unspecified address"
    if ip.is_link_local:
        if str(ip) in ("169.254.169.254", "fd00:ec2::254"):
            return "link-local address (cloud metadata service)"
        return "link-local address"
    if ip.is_multicast:
        return "multicast address"
    if ip.is_private:
        return "private address"
    if ip.is_reserved:
        return "reserved address"
    if not ip.is_global:
        return "non-public address"
    return None


def check_address(address: str | IPAddress) -> str | None:
    """``None`` if ``address`` is a public IP, else a short reason ("loopback address", …). Unparseable → reason."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0] if isinstance(address, str) else address)
    except ValueError:
        return "unparseable address"
    return _why_blocked(ip)


def _ip_literal(host: str) -> IPAddress | None:
    """The IP a URL host denotes literally, including legacy forms the C resolver accepts (2130706433,
    0x7f000001, 127.1, 0177.0.0.1); None for a hostname."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if _NUMERIC_HOST.match(host) and any(c.isdigit() for c in host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


# ---------------------------------------------------------------------------------------------- URLs


def _parse_url(url: str) -> httpx.URL:
    if not isinstance(url, str) or not url.strip():
        raise FetchError("empty URL")
    url = url.strip()
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError, TypeError) as exc:
        raise FetchError(f"invalid URL {url}: {exc}") from None
    scheme = parsed.scheme.lower()
    if not scheme:
        raise FetchError(f"not an absolute URL: {url}", hint="URLs must start with http:// or https://")
    if scheme not in ("http", "https"):
        raise FetchError(
            f"unsupported URL scheme {scheme!r} in {url}", hint="only http:// and https:// URLs can be fetched"
        )
    host = parsed.raw_host.decode("ascii", "replace").lower()
    if not host:
        raise FetchError(f"URL has no host: {url}")
    if _ip_literal(host) is None and ":" not in host:
        name = host[:-1] if host.endswith(".") else host
        if len(name) > 253 or not all(_HOST_LABEL.match(label) for label in name.split(".")):
            raise FetchError(f"invalid host name {host!r} in {url}")
    return parsed


def _check_host(url: httpx.URL, *, allow_private: bool, resolver: Resolver | None, origin: str) -> None:
    """Refuse (BlockedAddressError) if the URL's host is, or resolves to, any non-public address."""
    if allow_private:
        return
    host = url.raw_host.decode("ascii", "replace").lower()
    literal = _ip_literal(host)
    if literal is not None:
        addresses: list[str] = [str(literal)]
    elif host.rstrip(".") == "localhost" or host.rstrip(".").endswith(".localhost"):
        addresses = ["127.0.0.1"]
    else:
        port = url.port or (443 if url.scheme == "https" else 80)
        addresses = [str(a) for a in (resolver or system_resolver)(host, port)]
        if not addresses:
            raise FetchError(f"cannot resolve host {host}: no addresses")
    for address in addresses:
        reason = check_address(address)
        if reason is not None:
            where = f"{host} resolves to {address}" if literal is None and host != address else address
            raise BlockedAddressError(
                f"refusing to fetch {origin}: {where} is a {reason}; pass --allow-private to allow it"
            )


# --------------------------------------------------------------------------------------------- fetch


def _too_large(url: httpx.URL, cap: int) -> FetchError:
    return FetchError(f"{url} is too large: it exceeds the {human_size(cap)} input cap ({cap} bytes)")


def _acceptable_type(main: str) -> bool:
    return not main or main.startswith("text/") or main in _TEXT_TYPES or main.endswith(("+xml", "+json"))


def fetch(
    url: str,
    *,
    allow_private: bool = False,
    timeout: float = 10.0,
    max_bytes: int = MAX_BYTES,
    transport: httpx.BaseTransport | None = None,
    resolver: Resolver | None = None,
) -> FetchedPage:
    """GET ``url`` and decode it to text, refusing unsafe targets, big bodies, slow servers and HTTP errors.

    ``resolver(host, port) -> iterable of IP strings`` defaults to ``socket.getaddrinfo``; ``transport`` to a
    real ``httpx.HTTPTransport``. Redirects (at most :data:`MAX_REDIRECTS`) are followed by hand so that every
    hop's host is checked. Raises :class:`FetchError` / :class:`BlockedAddressError`.
    """
    current = _parse_url(url)
    start_url = str(current)
    deadline = time.monotonic() + timeout * TOTAL_TIMEOUT_FACTOR
    headers = {
        "User-Agent": USER_AGENT,
        "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1",
    }
    with httpx.Client(
        transport=transport, follow_redirects=False, timeout=httpx.Timeout(timeout), headers=headers
    ) as client:
        for hop in range(MAX_REDIRECTS + 1):
            origin = str(current) if hop == 0 else f"{current} (redirected from {start_url})"
            _check_host(current, allow_private=allow_private, resolver=resolver, origin=origin)
            try:
                with client.stream("GET", current) as resp:
                    location = resp.headers.get("location")
                    if resp.status_code in _REDIRECTS and location:
                        try:
                            target = current.join(location.strip())
                        except (httpx.InvalidURL, ValueError) as exc:
                            raise FetchError(f"bad redirect from {current} to {location!r}: {exc}") from None
                        current = _parse_url(str(target))
                        continue
                    if resp.status_code >= 400:
                        raise FetchError(f"HTTP {resp.status_code} fetching {current}", hint=resp.reason_phrase or None)
                    content_type = resp.headers.get("content-type", "")
                    main = content_type.split(";", 1)[0].strip().lower()
                    if not _acceptable_type(main):
                        raise FetchError(
                            f"{current} is {main}, not an HTML or plain-text article",
                            hint="save the article text to a file and pass the file",
                        )
                    declared = resp.headers.get("content-length")
                    if declared is not None and declared.strip().isdigit() and int(declared) > max_bytes:
                        raise _too_large(current, max_bytes)
                    chunks: list[bytes] = []
                    total = 0
                    for chunk in resp.iter_bytes():
                        total += len(chunk)
                        if total > max_bytes:
                            raise _too_large(current, max_bytes)
                        chunks.append(chunk)
                        if time.monotonic() > deadline:
                            raise FetchError(f"timed out fetching {current} after {timeout:g}s")
                    body = b"".join(chunks)
                    charset = resp.charset_encoding
                    if charset is None and ("html" in main or "xml" in main or not main):
                        charset = sniff_meta_charset(body)
                    text = decode_bytes(body, origin=str(current), encoding=charset)
                    return FetchedPage(url=str(current), status=resp.status_code, content_type=content_type, text=text)
            except httpx.TimeoutException:
                raise FetchError(f"timed out fetching {current} after {timeout:g}s") from None
            except httpx.HTTPError as exc:
                detail = str(exc) or type(exc).__name__
                raise FetchError(f"could not fetch {current}: {detail}") from None
            if time.monotonic() > deadline:
                raise FetchError(f"timed out fetching {start_url} after {timeout:g}s")
    raise FetchError(f"too many redirects (more than {MAX_REDIRECTS}) fetching {start_url}")
