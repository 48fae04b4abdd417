"""Turn any user input (text, HTML, a file, a URL, stdin, a JSONL corpus) into a :class:`Document`, safely.

Everything that can go wrong with the *input* raises :class:`~factdesk.errors.InputError` (or its subclass
:class:`~factdesk.errors.FetchError` for URLs) with a one-line message that names the input.
"""

from __future__ import annotations

import codecs
import datetime as _dt
import json
import os
import re
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from factdesk.document import Document
from factdesk.errors import InputError

__all__ = [
    "MAX_BYTES",
    "decode_bytes",
    "domain_of",
    "from_html",
    "from_path",
    "from_source",
    "from_text",
    "from_url",
    "iter_jsonl",
    "normalize_published",
]

MAX_BYTES = 10 * 1024 * 1024
"""Input cap in bytes for a file, a page, stdin or one JSONL row."""

# --------------------------------------------------------------------------------------------- sizes


def human_size(n: int) -> str:
    """``10485760`` → ``"10 MB"`` (binary units, as the cap is defined)."""
    for unit, size in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= size:
            value = n / size
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{n} bytes"


def too_large(origin: str, cap: int) -> InputError:
    return InputError(
        f"{origin} is too large: it exceeds the {human_size(cap)} input cap ({cap} bytes)",
        hint="trim it, or split a corpus into a JSONL file with one article per line",
    )


def _read_capped(stream: BinaryIO, *, origin: str, cap: int = MAX_BYTES) -> bytes:
    """Read at most ``cap + 1`` bytes; more than ``cap`` → InputError naming the cap."""
    chunks: list[bytes] = []
    total = 0
    while total <= cap:
        chunk = stream.read(min(1 << 20, cap + 1 - total))
        if not chunk:
            break
        if isinstance(chunk, str):  # a text stream slipped through (e.g. io.StringIO as stdin)
            chunk = chunk.encode("utf-8")
        chunks.append(chunk)
        total += len(chunk)
    if total > cap:
        raise too_large(origin, cap)
    return b"".join(chunks)


# ------------------------------------------------------------------------------------------ decoding

# Plain-ASCII magics ("OggS", "ID3" …) are left out: such files are caught by their NUL/control bytes, and a
# text that merely starts with those letters must not be refused.
_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF"),
    (b"PK\x03\x04", "ZIP/Office"),
    (b"PK\x05\x06", "ZIP"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\x1f\x8b", "gzip"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip"),
    (b"Rar!\x1a\x07", "RAR"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"\x28\xb5\x2f\xfd", "zstd"),
    (b"\x7fELF", "ELF"),
    (b"SQLite format 3\x00", "SQLite"),
    (b"\x00asm", "WebAssembly"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Office"),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Control bytes that plain text does not contain (tab, LF, VT, FF, CR and ESC are allowed).
_CONTROL = frozenset(range(0x00, 0x20)) - {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1B} | {0x7F}
_CP1252_TOLERANCE = 0.05  # chaos margin within which a cp1252 reading beats charset-normalizer's top pick
_LATIN_SINGLE_BYTE = frozenset({"iso8859-1", "ascii", "cp1252"})  # codecs.lookup() names


def _binary_kind(data: bytes) -> str | None:
    """A short name if ``data`` looks like a binary file, else None. Call only after BOM checks."""
    for magic, kind in _BINARY_MAGIC:
        if kind and data.startswith(magic):
            return kind
    if data[4:8] in (b"ftyp",):
        return "MP4/QuickTime"
    if data.startswith(b"RIFF") and data[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return "RIFF"
    head = data[:8192]
    if b"\x00" in head:
        return "binary"
    if head:
        controls = sum(1 for b in head if b in _CONTROL)
        if controls / len(head) > 0.05:
            return "binary"
    return None


_SURROGATE = re.compile("[\ud800-\udfff]")


def _no_surrogates(value: Any) -> Any:
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_no_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {_no_surrogates(k): _no_surrogates(v) for k, v in value.items()}
    return value


def json_loads(text: str | bytes) -> Any:
    """``json.loads``, except that lone surrogate escapes (``"\\udc80"``: valid JSON, not encodable text) become
    U+FFFD, so no string the pipeline, the tokenizer or SQLite sees can fail to encode."""
    data = json.loads(text)
    raw = text if isinstance(text, str) else text.decode("utf-8", "replace")
    return _no_surrogates(data) if "\\ud" in raw.lower() else data


def _normalize_newlines(text: str) -> str:
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _codec_name(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None


def decode_bytes(data: bytes, *, origin: str, encoding: str | None = None) -> str:
    """Decode an article's bytes to text with ``\\n`` newlines.

    Order: a UTF-8/16/32 byte-order mark; then ``encoding`` (a declared charset, e.g. from an HTTP header or
    an HTML ``<meta>``) if given and it decodes cleanly; then strict UTF-8; then charset-normalizer detection
    (preferring cp1252 among equally good Western candidates). Binary data and undecodable bytes raise
    :class:`InputError` naming ``origin``.
    """
    if data.startswith(codecs.BOM_UTF8):
        try:
            return _normalize_newlines(data[len(codecs.BOM_UTF8) :].decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{origin}: starts with a UTF-8 byte-order mark but is not valid UTF-8 (byte {exc.start})",
                hint="re-save the file as UTF-8",
            ) from None
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return _normalize_newlines(data[len(bom) :].decode(codec))
            except UnicodeDecodeError:
                raise InputError(
                    f"{origin}: starts with a {codec.upper()} byte-order mark but cannot be decoded as {codec}",
                    hint="re-save the file as UTF-8",
                ) from None

    declared = _codec_name(encoding)
    if declared is not None and declared.startswith(("utf-16", "utf-32")):
        try:  # BOM-less UTF-16/32 is full of NUL bytes: decode it before the binary check
            return _normalize_newlines(data.decode(declared))
        except UnicodeDecodeError:
            declared = None

    kind = _binary_kind(data)
    if kind is not None:
        what = f"it looks like {kind} data; " if kind != "binary" else ""
        raise InputError(
            f"{origin}: looks like a binary file, not an article",
            hint=f"{what}give factdesk the article as plain text or HTML",
        )

    if declared is not None:
        if declared in _LATIN_SINGLE_BYTE and not data.isascii():
            # Servers often declare latin-1 while sending UTF-8: valid non-ASCII UTF-8 wins.
            try:
                return _normalize_newlines(data.decode("utf-8"))
            except UnicodeDecodeError:
                pass
            if declared != "cp1252":
                declared = "cp1252"  # as browsers do for latin-1/ascii (WHATWG)
                try:
                    return _normalize_newlines(data.decode("cp1252"))
                except UnicodeDecodeError:
                    return _normalize_newlines(data.decode("latin-1"))
        try:
            return _normalize_newlines(data.decode(declared))
        except UnicodeDecodeError:
            pass  # a wrong declaration: detect instead

    try:
        return _normalize_newlines(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass

    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        raise InputError(
            f"{origin}: cannot decode the text (not UTF-8, and no other text encoding fits)",
            hint="re-save the file as UTF-8",
        )
    best = min(matches, key=lambda m: m.chaos)
    chosen = best.encoding
    for m in matches:  # short Western texts are ambiguous: prefer cp1252 when it is about as plausible
        if m.chaos <= best.chaos + _CP1252_TOLERANCE and "cp1252" in m.could_be_from_charset:
            chosen = "cp1252"
            break
    try:
        return _normalize_newlines(data.decode(chosen))
    except (UnicodeDecodeError, LookupError):
        return _normalize_newlines(str(best))


_META_CHARSET = re.compile(rb"""<meta[^>]{0,512}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE)


def sniff_meta_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in a ``<meta>`` tag within its first 4 KB, if any."""
    m = _META_CHARSET.search(data[:4096])
    if not m:
        return None
    name = m.group(1).decode("ascii", "replace")
    # a <meta> read as ASCII cannot truthfully declare UTF-16/32 (WHATWG treats it as UTF-8)
    return None if name.lower().replace("_", "-").startswith(("utf-16", "utf-32")) else name


# ------------------------------------------------------------------------------------------ metadata


def domain_of(url: str | None) -> str | None:
    """Lower-case host of ``url`` without a leading ``www.`` (``None`` if there is no host)."""
    if not url or not isinstance(url, str):
        return None
    url = url.strip()
    if "//" not in url:
        url = "//" + url
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host:
        return None
    host = host.lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    return host or None


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_D1 = _dt.datetime(2001, 1, 1, 0, 0, 0, 0)
_D2 = _dt.datetime(2002, 2, 2, 1, 1, 1, 1)


def normalize_published(value: Any, *, strict: bool = True) -> str | None:
    """A publication date as ISO ``YYYY-MM-DD``, or a full ISO datetime when a time of day is given.

    Accepts ``2017-12-27``, ``27 Dec 2017``, ``December 27, 2017``, ISO datetimes, ``date``/``datetime``.
    An unparseable or incomplete (no day) value raises :class:`InputError` if ``strict``, else gives None.
    """
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        return value.isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if not isinstance(value, str):
        if strict:
            raise InputError(f"published date must be a string like 2017-12-27, not {type(value).__name__}")
        return None
    s = value.strip()
    if not s:
        return None
    if _ISO_DATE.match(s):
        try:
            return _dt.date.fromisoformat(s).isoformat()
        except ValueError:
            pass  # e.g. 2017-02-30: fall through to the error below
    else:
        from dateutil import parser

        try:
            a = parser.parse(s, default=_D1)
            b = parser.parse(s, default=_D2)
        except (ValueError, OverflowError, TypeError):
            a = b = None
        if a is not None and b is not None:
            if (a.year, a.month, a.day) == (b.year, b.month, b.day):
                if (a.hour, a.minute) == (b.hour, b.minute):
                    return a.isoformat()  # a time of day was given (missing seconds default to 0)
                return a.date().isoformat()
            if strict:
                raise InputError(
                    f"published date {value!r} is not a full date (year, month and day)",
                    hint="use YYYY-MM-DD, e.g. 2017-12-27",
                )
            return None
    if strict:
        raise InputError(f"cannot parse published date {value!r}", hint="use YYYY-MM-DD, e.g. 2017-12-27")
    return None


def _opt_str(name: str, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(f"{name} must be a string, not {type(value).__name__}")
    value = value.strip()
    return value or None


def _finish(doc: Document, *, url: Any, published: Any, id: Any, strict_date: bool = True) -> Document:
    doc.url = _opt_str("url", url)
    doc.domain = domain_of(doc.url)
    if published is not None:
        doc.published = normalize_published(published, strict=strict_date)
    if id is not None:
        if isinstance(id, bool) or not isinstance(id, str | int):
            raise InputError(f"id must be a string, not {type(id).__name__}")
        doc.id = str(id)
    return doc


# -------------------------------------------------------------------------------------------- text

_BLANK_RUN = re.compile(r"\n{3,}")
_SPACE_RUN = re.compile(r"[^\S\n]{16,}")  # layout padding, not prose; long runs make some patterns quadratic


def _clean_text(text: str) -> str:
    """Newlines to ``\\n``, trailing spaces off every line, runs of blank lines to one, ends trimmed."""
    text = _normalize_newlines(text)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    text = _BLANK_RUN.sub("\n\n", text)
    text = _SPACE_RUN.sub(" ", text)
    return text.strip("\n").strip()


_HEADLINE_MAX = 200  # a lone "line" longer than this is a one-paragraph body, not a headline


def _text_document(text: str, *, title: str | None, split_headline: bool, origin: str = "article") -> Document:
    if not isinstance(text, str):
        raise InputError(f"{origin} text must be a string, not {type(text).__name__}")
    body = _clean_text(text)
    if not body:
        raise InputError(f"{origin} is empty", hint="give factdesk an article with a headline and a body")
    if split_headline:
        first, _, rest = body.partition("\n")
        first = first.strip()
        rest = rest.strip("\n").strip()
        if not rest:
            if len(first) > _HEADLINE_MAX:
                return Document(text=first, title=None)
            raise InputError(
                f"{origin} has a headline but no body",
                hint="put the headline on the first line, then the article text",
            )
        return Document(text=rest, title=first)
    return Document(text=body, title=title)


def from_text(
    text: str,
    *,
    title: str | None = None,
    url: str | None = None,
    published: str | None = None,
    id: str | None = None,
) -> Document:
    """A Document from plain text. With ``title=None`` the first non-empty line is the headline."""
    split = title is None
    title = _opt_str("title", title)
    doc = _text_document(text, title=title, split_headline=split)
    return _finish(doc, url=url, published=published, id=id)


# -------------------------------------------------------------------------------------------- HTML


def _element_text(el: Any) -> str:
    """Plain text of one trafilatura output element; ``<lb/>`` → newline, list items one per line."""
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag == "list":
        lines = [_element_text(item) for item in el if isinstance(item.tag, str)]
        return "\n".join(line for line in lines if line)
    if tag == "table":
        rows = []
        for row in el.iter("row"):
            cells = [" ".join("".join(c.itertext()).split()) for c in row if c.tag == "cell"]
            cells = [c for c in cells if c]
            if cells:
                rows.append(" | ".join(cells))
        return "\n".join(rows)
    parts: list[str] = []

    def walk(node: Any) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            if child.tag == "lb":
                parts.append("\n")
            elif isinstance(child.tag, str) and child.tag in ("list", "table", "p", "quote"):
                parts.append("\n" + _element_text(child) + "\n")
            else:
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(el)
    raw = "".join(parts)
    lines = [" ".join(line.split()) for line in raw.split("\n")]
    return "\n".join(line for line in lines if line)


def _html_paragraphs(result: Any) -> list[str]:
    body = getattr(result, "body", None)
    paragraphs: list[str] = []
    if body is not None and len(body):
        for child in body:
            if not isinstance(child.tag, str):
                continue
            text = _element_text(child)
            if text:
                paragraphs.append(text)
    if not paragraphs:
        text = getattr(result, "text", None) or ""
        paragraphs = [" ".join(line.split()) for line in text.split("\n") if line.strip()]
    return paragraphs


def from_html(
    html: str,
    *,
    url: str | None = None,
    published: str | None = None,
    id: str | None = None,
    title: str | None = None,
) -> Document:
    """A Document from an HTML page: main text (paragraphs separated by blank lines) and metadata, via
    trafilatura (precision-oriented, no comments). ``title``/``published`` given here override the page's."""
    if not isinstance(html, str):
        raise InputError(f"HTML must be a string, not {type(html).__name__}")
    if not html.strip():
        raise InputError("HTML page is empty")
    import trafilatura

    try:
        result = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            favor_precision=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            include_formatting=False,
            # the page's own date (meta tags, <time>, JSON-LD) only: a year in the prose ("since the event began in
            # 2009") is not when the page was published
            date_extraction_params={"original_date": True, "extensive_search": False,
                                    "max_date": _dt.date.today().isoformat()},
        )
    except Exception as exc:  # noqa: BLE001 - trafilatura/lxml raise many things on hostile markup
        raise InputError(f"could not parse the HTML page: {type(exc).__name__}") from None
    if result is None:
        raise InputError(
            "no article text found in the HTML page",
            hint="the page may be a menu, index or script-rendered; save the article text instead",
        )
    paragraphs = _html_paragraphs(result)
    page_title = " ".join((getattr(result, "title", None) or "").split()) or None
    # trafilatura keeps the <h1> as the first block; it is the title, not body text
    if paragraphs and page_title and paragraphs[0].casefold() == page_title.casefold():
        paragraphs = paragraphs[1:]
    text = "\n\n".join(paragraphs).strip()
    if len(text.split()) < 5:  # a lone menu label ("Home") is what extractors return for pages with no article
        raise InputError(
            "no article text found in the HTML page",
            hint="the page may be a menu, index or script-rendered; save the article text instead",
        )
    author = " ".join((getattr(result, "author", None) or "").split()) or None
    site = " ".join((getattr(result, "sitename", None) or "").split()) or None
    doc = Document(
        text=text,
        title=_opt_str("title", title) if title is not None else page_title,
        author=author,
        site=site,
    )
    page_date = getattr(result, "date", None)
    if published is None and page_date:
        doc.published = normalize_published(page_date, strict=False)
    # a saved page names its own address (<link rel="canonical">, og:url); one it was fetched from wins
    page_url = getattr(result, "url", None)
    if url is None and isinstance(page_url, str) and re.fullmatch(r"https?://[^\s/]+\.[^\s/]+(?:/\S*)?", page_url):
        url = page_url
    return _finish(doc, url=url, published=published, id=id)


# ------------------------------------------------------------------------------------- files & URLs


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:2048].lower()
    if head.startswith(("<!doctype", "<html")):
        return True
    return head.startswith(("<?xml", "<!--")) and "<html" in head


def _from_decoded(text: str, *, html_hint: bool, meta: dict[str, Any]) -> Document:
    if html_hint or _looks_like_html(text):
        return from_html(text, **meta)
    return from_text(text, **meta)


def _decode_maybe_html(data: bytes, *, origin: str, html_hint: bool) -> str:
    charset = sniff_meta_charset(data) if (html_hint or b"<" in data[:4096]) else None
    return decode_bytes(data, origin=origin, encoding=charset)


def from_path(path: str | Path, **meta: Any) -> Document:
    """A Document from a file: ``.html``/``.htm`` (or content starting with ``<!doctype``/``<html``) is parsed
    as HTML, anything else as plain text. ``meta``: title, url, published, id."""
    p = Path(path)
    origin = str(path)
    try:
        if p.is_dir():
            raise InputError(f"{origin} is a directory, not an article file")
        with p.open("rb") as fh:
            try:
                st = os.fstat(fh.fileno())
            except OSError:
                st = None
            if st is not None and stat.S_ISREG(st.st_mode) and st.st_size > MAX_BYTES:
                raise too_large(origin, MAX_BYTES)  # refuse at once; _read_capped is the backstop
            data = _read_capped(fh, origin=origin)
    except FileNotFoundError:
        raise InputError(f"file not found: {origin}") from None
    except IsADirectoryError:
        raise InputError(f"{origin} is a directory, not an article file") from None
    except PermissionError:
        raise InputError(f"cannot read {origin}: permission denied") from None
    except OSError as exc:
        raise InputError(f"cannot read {origin}: {exc.strerror or exc}") from None
    html_hint = p.suffix.lower() in (".html", ".htm", ".xhtml", ".shtml")
    text = _decode_maybe_html(data, origin=origin, html_hint=html_hint)
    if not text.strip():
        raise InputError(f"{origin} is empty", hint="give factdesk an article with a headline and a body")
    return _from_decoded(text, html_hint=html_hint, meta=meta)


def from_url(
    url: str,
    *,
    allow_private: bool = False,
    transport: Any = None,
    resolver: Any = None,
    **meta: Any,
) -> Document:
    """Fetch ``url`` safely (see :func:`factdesk.fetch.fetch`) and read it as HTML or plain text.

    ``transport`` (an ``httpx.BaseTransport``) and ``resolver`` are for tests. Other content types → InputError.
    """
    from factdesk.fetch import fetch

    page = fetch(url, allow_private=allow_private, transport=transport, resolver=resolver)
    ctype = page.content_type.split(";", 1)[0].strip().lower()
    meta.pop("url", None)
    if ctype in ("text/html", "application/xhtml+xml"):
        return from_html(page.text, url=page.url, **meta)
    if ctype == "text/plain":
        if _looks_like_html(page.text):
            return from_html(page.text, url=page.url, **meta)
        return from_text(page.text, url=page.url, **meta)
    if ctype in ("", "application/octet-stream") and _looks_like_html(page.text):
        return from_html(page.text, url=page.url, **meta)
    raise InputError(
        f"{page.url} is {ctype or 'of unknown type'}, not an HTML or plain-text article",
        hint="save the article text to a file and pass the file",
    )


_URL_LIKE = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")


def from_source(
    source: str,
    *,
    allow_private: bool = False,
    stdin: Any = None,
    transport: Any = None,
    resolver: Any = None,
    **meta: Any,
) -> Document:
    """``"-"`` → stdin (bytes, capped); ``http(s)://…`` → :func:`from_url`; anything else → :func:`from_path`."""
    if source == "-":
        stream = stdin if stdin is not None else sys.stdin
        raw = getattr(stream, "buffer", stream)
        data = _read_capped(raw, origin="standard input")
        text = _decode_maybe_html(data, origin="standard input", html_hint=False)
        if not text.strip():
            raise InputError("standard input is empty", hint="pipe an article into factdesk, or pass a file")
        return _from_decoded(text, html_hint=False, meta=meta)
    lowered = source.strip().lower()
    if lowered.startswith(("http://", "https://")):
        return from_url(source.strip(), allow_private=allow_private, transport=transport, resolver=resolver, **meta)
    if _URL_LIKE.match(source) and not Path(source).exists():
        from factdesk.fetch import fetch  # raises FetchError("unsupported URL scheme …")

        fetch(source, allow_private=allow_private, transport=transport, resolver=resolver)
    return from_path(source, **meta)


# ------------------------------------------------------------------------------------------- JSONL

_ROW_KEYS = ("title", "url", "published", "id")


def _jsonl_row(line: bytes, *, origin: str, defaults: dict[str, Any]) -> Document:
    try:
        s = line.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{origin}: not valid UTF-8", hint="JSONL files must be UTF-8") from None
    try:
        row = json_loads(s)
    except json.JSONDecodeError as exc:
        raise InputError(f"{origin}: invalid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(row, dict):
        raise InputError(f"{origin}: expected a JSON object, got {type(row).__name__}")
    merged = {**defaults, **{k: v for k, v in row.items() if v is not None}}
    meta = {k: merged.get(k) for k in _ROW_KEYS}
    for k in ("title", "url", "published"):
        if meta[k] is not None and not isinstance(meta[k], str):
            raise InputError(f"{origin}: {k!r} must be a string, not {type(meta[k]).__name__}")
    if meta["id"] is not None and (isinstance(meta["id"], bool) or not isinstance(meta["id"], str | int)):
        raise InputError(f"{origin}: 'id' must be a string or integer, not {type(meta['id']).__name__}")
    text, html = row.get("text"), row.get("html")
    try:
        if text is not None:
            if not isinstance(text, str):
                raise InputError(f"'text' must be a string, not {type(text).__name__}")
            doc = _text_document(text, title=_opt_str("title", meta["title"]), split_headline=False)
            return _finish(doc, url=meta["url"], published=meta["published"], id=meta["id"])
        if html is not None:
            if not isinstance(html, str):
                raise InputError(f"'html' must be a string, not {type(html).__name__}")
            return from_html(html, **meta)
    except InputError as exc:
        raise InputError(f"{origin}: {exc.message}", hint=exc.hint) from None
    raise InputError(f"{origin}: row has no 'text' (or 'html') field")


def iter_jsonl(path: str | Path, **defaults: Any) -> Iterator[tuple[int, Document | InputError]]:
    """Read one article per line: ``{"text"|"html", "title"?, "url"?, "published"?, "id"?}``.

    Yields ``(line_number, Document)`` or ``(line_number, InputError)`` for a bad row, never stopping early;
    blank lines are skipped. ``defaults`` (title/url/published/id) apply where a row has no value.
    A ``text`` row is never split into headline and body. A missing file raises InputError at once.
    """
    p = Path(path)
    if p.is_dir():
        raise InputError(f"{path} is a directory, not a JSONL file")
    try:
        fh = p.open("rb")
    except FileNotFoundError:
        raise InputError(f"file not found: {path}") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    unknown = set(defaults) - set(_ROW_KEYS)
    if unknown:
        fh.close()
        raise InputError(f"unknown JSONL default(s): {', '.join(sorted(unknown))}")
    return _iter_jsonl(fh, str(path), defaults)


def _iter_jsonl(fh: BinaryIO, name: str, defaults: dict[str, Any]) -> Iterator[tuple[int, Document | InputError]]:
    with fh:
        lineno = 0
        while True:
            line = fh.readline(MAX_BYTES + 1)
            if not line:
                break
            lineno += 1
            origin = f"{name} line {lineno}"
            if len(line) > MAX_BYTES and not line.endswith(b"\n"):
                while True:  # skip the rest of the oversized row without holding it in memory
                    rest = fh.readline(1 << 20)
                    if not rest or rest.endswith(b"\n"):
                        break
                yield lineno, too_large(origin, MAX_BYTES)
                continue
            if lineno == 1 and line.startswith(codecs.BOM_UTF8):
                line = line[len(codecs.BOM_UTF8) :]
            if not line.strip():
                continue
            try:
                yield lineno, _jsonl_row(line, origin=origin, defaults=defaults)
            except InputError as exc:
                yield lineno, exc
