"""Readers that turn archive inputs into :class:`ArchiveDoc` items (or :class:`ReadError` items, never raising for
one bad row or record).

Built-in readers, picked by file name (longest matching suffix) and else by sniffing the first bytes:

* ``jsonl`` — ``.jsonl``/``.ndjson``: one ``{"id"?, "url", "title", "published", "text"|"html", "source"?}`` per line.
* ``csv`` — ``.csv``/``.tsv`` with the same columns (a few aliases: ``Body ID``, ``articleBody``, ``headline``…).
* ``feed`` — RSS 2.0 / RSS 1.0 / Atom (``.rss``, ``.atom``, ``.xml``); documents with a DTD are refused.
* ``warc`` — ``.warc``/``.warc.gz``: ``response`` records of HTML or plain-text pages.
* ``article`` — a single ``.txt``/``.html`` file (the fallback), via :func:`factdesk.ingest.from_path`.

Folders are walked recursively (hidden entries skipped) for files whose reader allows folders (every reader
except the generic ``.xml``/``.csv`` ones). ``http(s)://`` sources are fetched with :func:`factdesk.ingest.from_url`.

New formats plug in with :func:`register_reader`::

    @register_reader("myformat", suffixes=(".myf",), sniff=lambda head: head.startswith(b"MYF"))
    def read_myformat(path: Path) -> Iterator[ArchiveDoc | ReadError]: ...
"""

from __future__ import annotations

import csv
import gzip
import json
import os
import re
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET
from xml.parsers import expat

from ..errors import FactdeskError, InputError
from ..ingest import MAX_BYTES, decode_bytes, domain_of, from_html, from_path, from_text, from_url, normalize_published
from ..ingest import json_loads, sniff_meta_charset
from .store import ArchiveDoc, PriorCheck, ReadError

__all__ = [
    "READERS",
    "ReaderSpec",
    "count_hint",
    "iter_source",
    "iter_sources",
    "reader_for",
    "register_reader",
]

Item = ArchiveDoc | ReadError | PriorCheck
ReadFn = Callable[[Path], Iterator[Item]]

FEED_MAX_BYTES = 5 * MAX_BYTES
_SNIFF_BYTES = 4096


@dataclass(frozen=True)
class ReaderSpec:
    name: str
    suffixes: tuple[str, ...]
    read: ReadFn
    sniff: Callable[[bytes], bool] | None = None
    in_folders: bool = True


READERS: dict[str, ReaderSpec] = {}


def register_reader(
    name: str,
    *,
    suffixes: Iterable[str] = (),
    sniff: Callable[[bytes], bool] | None = None,
    in_folders: bool = True,
) -> Callable[[ReadFn], ReadFn]:
    """Register ``read(path) -> Iterator[ArchiveDoc | ReadError]`` for file names ending in ``suffixes``
    (case-insensitive) and/or files whose first 4 KB satisfy ``sniff``. A later registration of the same name
    replaces the earlier one."""

    def deco(fn: ReadFn) -> ReadFn:
        READERS[name] = ReaderSpec(name, tuple(s.lower() for s in suffixes), fn, sniff, in_folders)
        return fn

    return deco


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as fh:
            head = fh.read(_SNIFF_BYTES)
    except OSError:
        return b""
    if head.startswith(b"\x1f\x8b"):
        try:
            with gzip.open(path, "rb") as gz:
                return gz.read(_SNIFF_BYTES)
        except (OSError, EOFError, zlib.error):
            return head
    return head


def reader_for(path: Path) -> ReaderSpec:
    """The reader for a file: longest matching suffix, else the first reader whose sniff accepts its head, else
    the single-article reader."""
    name = path.name.lower()
    matches = [(len(sfx), spec) for spec in READERS.values() for sfx in spec.suffixes if name.endswith(sfx)]
    if matches:
        return max(matches, key=lambda m: m[0])[1]
    head = _head(path)
    for spec in READERS.values():
        if spec.sniff is not None and head and spec.sniff(head):
            return spec
    return READERS["article"]


def _folder_suffixes() -> tuple[str, ...]:
    return tuple(s for spec in READERS.values() if spec.in_folders for s in spec.suffixes)


def _walk(folder: Path) -> Iterator[Path]:
    suffixes = _folder_suffixes()
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for f in sorted(files):
            if not f.startswith(".") and f.lower().endswith(suffixes):
                yield Path(root) / f


def _is_url(source: str) -> bool:
    return source.strip().lower().startswith(("http://", "https://"))


def iter_source(source: str, *, allow_private: bool = False) -> Iterator[Item]:
    """Every document (or read error) in one source: a URL, a folder, or a file of any registered format."""
    if _is_url(source):
        try:
            doc = from_url(source.strip(), allow_private=allow_private)
        except FactdeskError as exc:
            yield ReadError(source, None, exc.message)
            return
        yield ArchiveDoc.create(doc.text, url=doc.url, title=doc.title, published=doc.published, source=doc.domain)
        return
    path = Path(source).expanduser()
    if path.is_dir():
        for f in _walk(path):
            yield from _read_file(f)
        return
    if not path.exists():
        yield ReadError(source, None, "file not found")
        return
    yield from _read_file(path)


def _read_file(path: Path) -> Iterator[Item]:
    spec = reader_for(path)
    try:
        yield from spec.read(path)
    except FactdeskError as exc:
        yield ReadError(str(path), None, exc.message)
    except OSError as exc:
        yield ReadError(str(path), None, f"cannot read: {exc.strerror or exc}")


def iter_sources(sources: Iterable[str], *, allow_private: bool = False) -> Iterator[Item]:
    for s in sources:
        yield from iter_source(s, allow_private=allow_private)


def count_hint(source: str) -> int | None:
    """A cheap estimate of how many documents a source holds (None when unknown): files in a folder, lines of a
    JSONL file, rows of a CSV file."""
    if _is_url(source):
        return 1
    path = Path(source).expanduser()
    if path.is_dir():
        return sum(1 for _ in _walk(path))
    if not path.is_file():
        return 0
    spec = reader_for(path)
    if spec.name == "article":
        return 1
    if spec.name in ("jsonl", "csv") and not _head(path).startswith(b"\x1f\x8b"):
        try:
            with path.open("rb") as fh:
                lines = sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))
        except OSError:
            return None
        return max(0, lines - (1 if spec.name == "csv" else 0))
    return None


# ------------------------------------------------------------------------------------------- helpers


def _doc_from(text: str | None, html: str | None, *, url: str | None, title: str | None, published: str | None,
              doc_id: Any, source: str | None) -> ArchiveDoc:
    """Build through ingest (validation, cleaning, date normalisation); a text is never split into headline/body."""
    if text is not None:
        doc = from_text(text, title=title or "", url=url, published=published)
    elif html is not None:
        doc = from_html(html, url=url, published=published, title=title)
    else:
        raise InputError("row has no 'text' (or 'html') field")
    return ArchiveDoc.create(doc.text, url=doc.url, title=doc.title, published=doc.published,
                             source=source or doc.domain, doc_id=doc_id)


_FIELDS = ("id", "url", "title", "published", "text", "html", "source")


def _row_doc(row: dict[str, Any]) -> ArchiveDoc:
    for k in ("url", "title", "published", "text", "html", "source"):
        v = row.get(k)
        if v is not None and not isinstance(v, str):
            raise InputError(f"{k!r} must be a string, not {type(v).__name__}")
    ident = row.get("id")
    if ident is not None and (isinstance(ident, bool) or not isinstance(ident, str | int)):
        raise InputError(f"'id' must be a string or integer, not {type(ident).__name__}")
    text, html = row.get("text"), row.get("html")
    if text is not None and not text.strip():
        text = None
    if html is not None and not html.strip():
        html = None
    if text is None and html is None:
        raise InputError("row has no 'text' (or 'html')")
    source = (row.get("source") or "").strip() or None
    return _doc_from(text, html, url=row.get("url"), title=row.get("title"), published=row.get("published"),
                     doc_id=ident, source=source)


def _row_items(row: dict[str, Any], origin: str, line: int) -> list[Item]:
    """The row's document, or why it cannot be read; a date that cannot be read drops the date, not the row (the
    document is kept and a warning says so)."""
    published = row.get("published")
    if isinstance(published, int | float) and not isinstance(published, bool):
        published = str(published)
    warning: list[Item] = []
    if isinstance(published, str):
        try:
            published = _epoch(published) or normalize_published(published)
        except InputError as exc:
            warning = [ReadError(origin, line, f"{exc.message}: kept without a date", kept=True)]
            published = None
    try:
        return [_row_doc({**row, "published": published}), *warning]
    except InputError as exc:
        return [ReadError(origin, line, exc.message)]


def _epoch(value: str) -> str | None:
    """A Unix timestamp in seconds (10 digits) or milliseconds (13) as an ISO datetime in UTC; else None."""
    import datetime as dt

    v = value.strip()
    if not re.fullmatch(r"\d{10}(?:\d{3})?(?:\.\d+)?", v):
        return None
    seconds = float(v) / (1000 if len(v.split(".")[0]) == 13 else 1)
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).replace(microsecond=0).isoformat()


# --------------------------------------------------------------------------------------------- JSONL


@register_reader("jsonl", suffixes=(".jsonl", ".ndjson"), sniff=lambda h: h.lstrip()[:1] == b"{")
def read_jsonl(path: Path) -> Iterator[Item]:
    origin = str(path)
    with path.open("rb") as fh:
        lineno = 0
        while True:
            line = fh.readline(MAX_BYTES + 1)
            if not line:
                break
            lineno += 1
            if len(line) > MAX_BYTES and not line.endswith(b"\n"):
                while True:
                    rest = fh.readline(1 << 20)
                    if not rest or rest.endswith(b"\n"):
                        break
                yield ReadError(origin, lineno, f"row is larger than the {MAX_BYTES} byte cap")
                continue
            if lineno == 1 and line.startswith(b"\xef\xbb\xbf"):
                line = line[3:]
            if not line.strip():
                continue
            try:
                row = json_loads(line.decode("utf-8"))
            except UnicodeDecodeError:
                yield ReadError(origin, lineno, "not valid UTF-8")
                continue
            except json.JSONDecodeError as exc:
                yield ReadError(origin, lineno, f"invalid JSON ({exc.msg} at column {exc.colno})")
                continue
            if not isinstance(row, dict):
                yield ReadError(origin, lineno, f"expected a JSON object, got {type(row).__name__}")
                continue
            yield from _row_items(row, origin, lineno)


# ----------------------------------------------------------------------------------------------- CSV

_ALIASES = {
    "id": ("id", "doc_id", "body id", "body_id"),
    "text": ("text", "body", "articlebody", "article_body", "content"),
    "html": ("html",),
    "title": ("title", "headline"),
    "url": ("url", "link"),
    "published": ("published", "date", "pubdate", "published_at"),
    "source": ("source", "outlet", "domain"),
}


@register_reader("csv", suffixes=(".csv", ".tsv"), in_folders=False)
def read_csv(path: Path) -> Iterator[Item]:
    origin = str(path)
    csv.field_size_limit(max(csv.field_size_limit(), MAX_BYTES))
    delimiter = "\t" if path.name.lower().endswith(".tsv") else ","
    with path.open("r", encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        try:
            header = next(reader)
        except StopIteration:
            return
        except (csv.Error, UnicodeDecodeError) as exc:
            yield ReadError(origin, 1, f"cannot read the header: {exc}")
            return
        names = [h.strip().lower() for h in header]
        col: dict[str, int] = {}
        for key, aliases in _ALIASES.items():
            for a in aliases:
                if a in names:
                    col[key] = names.index(a)
                    break
        if "text" not in col and "html" not in col:
            yield ReadError(origin, 1, f"no 'text' column (columns: {', '.join(header)})")
            return
        prev = reader.line_num
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                yield ReadError(origin, prev + 1, f"malformed CSV ({exc})")
                if reader.line_num == prev:
                    break
                prev = reader.line_num
                continue
            except UnicodeDecodeError:
                yield ReadError(origin, prev + 1, "not valid UTF-8; stopped reading this file")
                break
            line, prev = prev + 1, reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                yield ReadError(origin, line, f"expected {len(header)} fields, got {len(cells)}")
                continue
            row = {k: (cells[i] if cells[i].strip() else None) for k, i in col.items()}
            yield from _row_items(row, origin, line)


# ------------------------------------------------------------------------------------------ RSS/Atom


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


def _looks_like_feed(head: bytes) -> bool:
    h = head.lower()
    return h.lstrip().startswith(b"<") and (b"<rss" in h or b"<feed" in h or b"<rdf:rdf" in h)


class _FeedScan:
    """One expat pass: refuse DTDs/entity declarations (no entity expansion is ever attempted) and note the line of
    each item/entry so errors can name it."""

    def __init__(self) -> None:
        self.item_lines: list[int] = []

    def run(self, data: bytes) -> None:
        p = expat.ParserCreate(namespace_separator="}")

        def doctype(*_: Any) -> None:
            raise InputError("feed declares a DTD; refusing it (entity expansion is unsafe)")

        def entity(*_: Any) -> None:
            raise InputError("feed declares entities; refusing it (entity expansion is unsafe)")

        def start(name: str, _attrs: Any) -> None:
            if _local(name) in ("item", "entry"):
                self.item_lines.append(p.CurrentLineNumber)

        p.StartDoctypeDeclHandler = doctype
        p.EntityDeclHandler = entity
        p.UnparsedEntityDeclHandler = entity
        p.ExternalEntityRefHandler = lambda *_: 0
        p.StartElementHandler = start
        p.Parse(data, True)


class _TextOnly(HTMLParser):
    _BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section", "article",
              "ul", "ol", "table", "pre", "figure", "hr"}
    _SKIP = {"script", "style", "noscript", "template"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in self._SKIP:
            self.skip += 1
        elif tag in self._BLOCK:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in self._BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def html_fragment_text(fragment: str) -> str:
    """Plain text of a small HTML fragment (a feed item's description): blocks become paragraphs."""
    if "<" not in fragment and "&" not in fragment:
        return fragment.strip()
    parser = _TextOnly()
    parser.feed(fragment)
    parser.close()
    paragraphs = [" ".join(p.split()) for p in "".join(parser.parts).split("\n\n")]
    return "\n\n".join(p for p in paragraphs if p)


def _child(el: ET.Element, *names: str) -> ET.Element | None:
    for name in names:
        for c in el:
            if isinstance(c.tag, str) and _local(c.tag) == name:
                return c
    return None


def _text_of(el: ET.Element | None) -> str | None:
    if el is None:
        return None
    if len(el) and el.get("type") in ("xhtml",):
        raw = ET.tostring(el, encoding="unicode", method="html")
        return html_fragment_text(raw) or None
    t = (el.text or "").strip()
    return t or None


def _link_of(el: ET.Element) -> str | None:
    for c in el:
        if not isinstance(c.tag, str) or _local(c.tag) != "link":
            continue
        href = c.get("href")
        if href and c.get("rel", "alternate") == "alternate":
            return href.strip()
        if not href and (c.text or "").strip():
            return c.text.strip()
    guid = _child(el, "guid", "id")
    if guid is not None and (guid.text or "").strip().lower().startswith(("http://", "https://")):
        return guid.text.strip()
    return None


@register_reader("feed", suffixes=(".rss", ".atom", ".xml"), sniff=_looks_like_feed)
def read_feed(path: Path) -> Iterator[Item]:
    origin = str(path)
    with path.open("rb") as fh:
        data = fh.read(FEED_MAX_BYTES + 1)
    if len(data) > FEED_MAX_BYTES:
        yield ReadError(origin, None, f"feed is larger than the {FEED_MAX_BYTES} byte cap")
        return
    scan = _FeedScan()
    try:
        scan.run(data)
    except InputError as exc:
        yield ReadError(origin, None, exc.message)
        return
    except expat.ExpatError as exc:
        yield ReadError(origin, exc.lineno, f"malformed XML ({expat.ErrorString(exc.code)})")
        return
    root = ET.fromstring(data)
    if _local(root.tag) not in ("rss", "feed", "RDF"):
        yield ReadError(origin, 1, f"not an RSS or Atom feed (root element <{_local(root.tag)}>)")
        return
    channel = _child(root, "channel")
    channel_link = _link_of(channel) if channel is not None else _link_of(root)
    # the feed's own name ("Gulf Dispatch") is the source of the items on its own site, as a JSONL row's "source"
    # is; an aggregator's items keep their own domains
    feed_name = _text_of(_child(channel if channel is not None else root, "title"))
    if feed_name and ("<" in feed_name or "&" in feed_name):
        feed_name = html_fragment_text(feed_name)
    feed_name = " ".join((feed_name or "").split()) or None
    items = [el for el in root.iter() if isinstance(el.tag, str) and _local(el.tag) in ("item", "entry")]
    for n, item in enumerate(items):
        line = scan.item_lines[n] if n < len(scan.item_lines) else None
        try:
            title = _text_of(_child(item, "title"))
            if title and ("<" in title or "&" in title):
                title = html_fragment_text(title) or None
            link = _link_of(item)
            body = _text_of(_child(item, "encoded", "content")) or _text_of(_child(item, "description", "summary"))
            text = html_fragment_text(body) if body else ""
            if not text:
                raise InputError("item has no description or content")
            raw_date = _text_of(_child(item, "pubDate", "published", "updated", "date", "issued", "modified"))
            published = normalize_published(raw_date, strict=False) if raw_date else None
            yield _doc_from(text, None, url=link, title=title, published=published, doc_id=None,
                            source=(feed_name if domain_of(link) in (None, domain_of(channel_link)) else None)
                            or domain_of(link) or domain_of(channel_link))
        except InputError as exc:
            yield ReadError(origin, line, exc.message)


# ---------------------------------------------------------------------------------------------- WARC


def _dechunk(body: bytes) -> bytes:
    out = bytearray()
    pos = 0
    while pos < len(body):
        nl = body.find(b"\r\n", pos)
        if nl == -1:
            break
        size_s = body[pos:nl].split(b";", 1)[0].strip()
        try:
            size = int(size_s, 16)
        except ValueError:
            return body  # not actually chunked
        if size == 0:
            break
        out += body[nl + 2 : nl + 2 + size]
        pos = nl + 2 + size + 2
    return bytes(out)


def _parse_http(block: bytes) -> tuple[int, dict[str, str], bytes] | None:
    sep = block.find(b"\r\n\r\n")
    skip = 4
    if sep == -1:
        sep, skip = block.find(b"\n\n"), 2
        if sep == -1:
            return None
    head = block[:sep].decode("latin-1").splitlines()
    body = block[sep + skip :]
    if not head or not head[0].startswith("HTTP/"):
        return None
    try:
        status = int(head[0].split()[1])
    except (IndexError, ValueError):
        return None
    headers: dict[str, str] = {}
    for h in head[1:]:
        name, _, value = h.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, body


@register_reader("warc", suffixes=(".warc", ".warc.gz"), sniff=lambda h: h.startswith(b"WARC/"))
def read_warc(path: Path) -> Iterator[Item]:
    """``response`` records with status 200 and an HTML or plain-text body become documents; other records
    (requests, metadata, redirects, images…) are passed over. Errors name the record number (1-based)."""
    origin = str(path)
    with path.open("rb") as raw:
        gz = raw.read(2) == b"\x1f\x8b"
    fh: Any = gzip.open(path, "rb") if gz else path.open("rb")
    with fh:
        n = 0
        while True:
            try:
                line = fh.readline(1 << 16)
                while line in (b"\r\n", b"\n"):
                    line = fh.readline(1 << 16)
                if not line:
                    return
                n += 1
                if not line.startswith(b"WARC/"):
                    yield ReadError(origin, None, f"record {n}: not a WARC record header; stopped reading")
                    return
                headers: dict[str, str] = {}
                while True:
                    h = fh.readline(1 << 16)
                    if h in (b"\r\n", b"\n", b""):
                        break
                    name, _, value = h.decode("utf-8", "replace").partition(":")
                    headers[name.strip().lower()] = value.strip()
                try:
                    length = int(headers.get("content-length", ""))
                except ValueError:
                    yield ReadError(origin, None, f"record {n}: no valid Content-Length; stopped reading")
                    return
                wanted = (headers.get("warc-type") == "response"
                          and "msgtype=response" in headers.get("content-type", "").replace(" ", "").lower())
                if not wanted or length > MAX_BYTES + 65536:
                    remaining = length
                    while remaining > 0:
                        chunk = fh.read(min(remaining, 1 << 20))
                        if not chunk:
                            break
                        remaining -= len(chunk)
                    if wanted:
                        yield ReadError(origin, None, f"record {n}: larger than the {MAX_BYTES} byte cap; skipped")
                    continue
                block = fh.read(length)
            except (OSError, EOFError, zlib.error) as exc:
                yield ReadError(origin, None, f"record {n}: cannot read ({exc}); stopped reading")
                return
            url = headers.get("warc-target-uri", "").strip("<> ") or None
            try:
                doc = _warc_doc(block, url=url, origin=f"{origin} record {n}")
            except InputError as exc:
                yield ReadError(origin, None, f"record {n} ({url}): {exc.message}")
                continue
            if doc is not None:
                yield doc


def _warc_doc(block: bytes, *, url: str | None, origin: str) -> ArchiveDoc | None:
    parsed = _parse_http(block)
    if parsed is None:
        raise InputError("not an HTTP response")
    status, headers, body = parsed
    if status != 200:
        return None
    ctype = headers.get("content-type", "")
    main = ctype.split(";", 1)[0].strip().lower()
    if main not in ("text/html", "application/xhtml+xml", "text/plain"):
        return None
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body = _dechunk(body)
    enc = headers.get("content-encoding", "").lower()
    if enc in ("gzip", "x-gzip", "deflate"):
        try:
            body = zlib.decompress(body, 47 if enc != "deflate" else 15)
        except zlib.error:
            try:
                body = zlib.decompress(body, -15)
            except zlib.error:
                raise InputError(f"cannot decompress the {enc} body") from None
    elif enc not in ("", "identity"):
        return None
    if len(body) > MAX_BYTES:
        raise InputError(f"page is larger than the {MAX_BYTES} byte cap")
    m = re.search(r"charset\s*=\s*[\"']?([\w.:\-]+)", ctype, re.I)
    charset = m.group(1) if m else (sniff_meta_charset(body) if main != "text/plain" else None)
    text = decode_bytes(body, origin=origin, encoding=charset)
    if main == "text/plain":
        doc = from_text(text, url=url)
    else:
        doc = from_html(text, url=url)
    return ArchiveDoc.create(doc.text, url=doc.url, title=doc.title, published=doc.published, source=doc.domain)


# -------------------------------------------------------------------------------------- single article


@register_reader("article", suffixes=(".txt", ".text", ".html", ".htm", ".xhtml"))
def read_article(path: Path) -> Iterator[Item]:
    try:
        doc = from_path(path)
    except InputError as exc:
        yield ReadError(str(path), None, exc.message)
        return
    yield ArchiveDoc.create(doc.text, url=doc.url, title=doc.title, published=doc.published, source=doc.domain)



# ------------------------------------------------------------------------------------------- ClaimReview


def _reviews_in(node: Any) -> Iterator[dict[str, Any]]:
    """ClaimReview objects anywhere in a JSON-LD value (a single object, a list, or an ``@graph``)."""
    if isinstance(node, list):
        for x in node:
            yield from _reviews_in(x)
    elif isinstance(node, dict):
        types = node.get("@type")
        if types == "ClaimReview" or (isinstance(types, list) and "ClaimReview" in types):
            yield node
        for key in ("@graph", "itemListElement", "hasPart"):
            if key in node:
                yield from _reviews_in(node[key])


def _name(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    return str(value).strip() or None if value else None


@register_reader("claimreview", suffixes=(".json", ".jsonld"), sniff=lambda h: b"ClaimReview" in h)
def read_claimreview(path: Path) -> Iterator[Item]:
    """schema.org ClaimReview JSON-LD: each review becomes a prior fact-check (claim, rating, url, reviewer)."""
    raw = path.read_bytes()
    if len(raw) > MAX_BYTES:
        yield ReadError(str(path), None, f"file is larger than {MAX_BYTES >> 20} MB")
        return
    try:
        data = json_loads(decode_bytes(raw, origin=str(path)))
    except (ValueError, InputError) as exc:
        yield ReadError(str(path), None, f"not JSON: {str(exc).splitlines()[0]}")
        return
    found = 0
    for i, r in enumerate(_reviews_in(data), 1):
        claim = r.get("claimReviewed")
        rating = r.get("reviewRating") or {}
        label = _name(rating.get("alternateName")) if isinstance(rating, dict) else None
        if not label and isinstance(rating, dict) and rating.get("ratingValue") is not None:
            label = f"{rating.get('ratingValue')}/{rating.get('bestRating', 5)}"
        if not isinstance(claim, str) or not claim.strip() or not label:
            yield ReadError(str(path), None, f"ClaimReview #{i} has no claimReviewed or no reviewRating")
            continue
        found += 1
        yield PriorCheck(claim=" ".join(claim.split()), rating=label, url=r.get("url"), reviewer=_name(r.get("author")),
                         date=r.get("datePublished"))
    if not found:
        yield ReadError(str(path), None, "no ClaimReview found in this JSON file")
