"""Command line: parse, call the library, turn errors into one line on stderr and an exit code."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional, TextIO

import typer

from . import __version__
from .archive.cli import archive_app
from .eval.cli import eval_app
from .training.cli import train_app
from .errors import ConfigError, InputError, run_cli
from .sources import RatingList

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, no_args_is_help=True,
                  help="Check news articles: claims, numbers, quotes, loaded language, sources — with reasons.")
app.add_typer(archive_app, name="archive")
app.add_typer(eval_app, name="eval")
app.add_typer(train_app, name="train")


class Format(str, Enum):
    terminal = "terminal"
    json = "json"
    html = "html"
    md = "md"
    claimreview = "claimreview"


def _pick_format(fmt: Format | None, output: Path | None) -> Format:
    if fmt:
        return fmt
    if output:
        return {".html": Format.html, ".htm": Format.html, ".md": Format.md}.get(output.suffix.lower(), Format.json)
    return Format.terminal if sys.stdout.isatty() else Format.json


def _write(output: Path | None, content: str) -> None:
    """Write atomically: a crash mid-write never leaves a truncated report behind."""
    if output is None:
        sys.stdout.write(content if content.endswith("\n") else content + "\n")
        return
    with _lines_to(output, keep_partial=False) as f:
        f.write(content)


def _render(report: dict, fmt: Format, output: Path | None) -> None:
    from .report import claimreview, html, json as rjson, markdown

    if fmt is Format.terminal:
        from rich.console import Console

        from .report import terminal

        if output is None:
            terminal.render(report, Console())
            return
        console = Console(record=True, width=120, file=open(os.devnull, "w"))
        terminal.render(report, console)
        _write(output, console.export_text())
        return
    content = {Format.json: lambda: rjson.dumps(report), Format.html: lambda: html.render(report),
               Format.md: lambda: markdown.render(report), Format.claimreview: lambda: claimreview.render(report)}[fmt]()
    _write(output, content)


@app.command()
def check(
    input: Annotated[Optional[str], typer.Argument(help="A .txt or .html file, an http(s) URL, or - for stdin.")] = None,
    published: Annotated[Optional[str], typer.Option(help="Publication date (YYYY-MM-DD) to resolve 'Wednesday', '2 years ago'.")] = None,
    title: Annotated[Optional[str], typer.Option(help="Headline, when the input has none.")] = None,
    url: Annotated[Optional[str], typer.Option(help="The article's URL (gives the source domain).")] = None,
    format: Annotated[Optional[Format], typer.Option("--format", "-f", help="Default: terminal on a TTY, else JSON; with -o, from its extension.")] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the report here instead of stdout.")] = None,
    jsonl: Annotated[Optional[Path], typer.Option(help="Many articles: one JSON object per line {text, title?, url?, published?, id?}.")] = None,
    ratings: Annotated[Optional[Path], typer.Option(help="Source ratings CSV: domain,label[,score,name].")] = None,
    allow_private: Annotated[bool, typer.Option("--allow-private", help="Allow fetching URLs on private or loopback addresses.")] = False,
    archive: Annotated[Optional[Path], typer.Option("--archive", help="Evidence archive to trace claims against. Default: $FACTDESK_ARCHIVE, else the user data directory's, when it exists.")] = None,
    no_archive: Annotated[bool, typer.Option("--no-archive", help="Do not trace claims (every claim stays unverified).")] = False,
    record: Annotated[bool, typer.Option("--record", help="Store the verdicts in the archive: the source's track record (factdesk source DOMAIN).")] = False,
    workers: Annotated[int, typer.Option("--workers", "-w", min=1, help="With --jsonl: check in this many processes (one per core is fastest; each needs its own memory).")] = 1,
    thorough: Annotated[bool, typer.Option("--thorough", help="Look for propaganda spans in every sentence, not only in those the sentence model flags: more found (PTC dev span F1 0.452 instead of 0.441), analysis about 1.5 times as long.")] = False,
) -> None:
    """Analyse an article and print its report."""
    from . import api, ingest
    from .report import json as rjson

    if output is not None and output.is_dir():  # found before the work, not when writing its result
        raise ConfigError(f"--output {output} is a directory: give a file name")
    store = None if no_archive else api.open_archive(archive)
    if record and store is None:
        raise InputError("--record needs an evidence archive", hint="build one with: factdesk archive add SOURCES")
    rating_list = RatingList.load(ratings) if ratings else None
    if jsonl is not None:
        if input is not None:
            raise ConfigError("give either INPUT or --jsonl, not both")
        _check_jsonl(jsonl, output, published=published, ratings=rating_list, archive=store, record=record,
                     workers=workers, thorough=thorough)
        return
    if workers != 1:
        raise ConfigError("--workers needs --jsonl (one article is checked in one process)")
    pipeline = api.build_pipeline(ratings=rating_list, archive=store, thorough=thorough)
    if input is None:
        raise ConfigError("missing INPUT (a file, a URL, or - for stdin)")
    meta = {k: v for k, v in {"published": published, "title": title, "url": url}.items() if v is not None}
    doc = ingest.from_source(input, allow_private=allow_private, stdin=sys.stdin.buffer if input == "-" else None,
                             **meta)
    report = rjson.to_report(pipeline(doc))
    if record:
        store.record(report)
    _render(report, _pick_format(format, output), output)


def _check_jsonl(path: Path, output: Path | None, *, published: str | None, ratings: RatingList | None,
                 archive, record: bool, workers: int, thorough: bool) -> None:
    from collections import deque

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from . import api, ingest
    from .report.json import dumps

    err = Console(stderr=True)
    bad = 0
    line_nos: deque[int] = deque()  # of the documents handed on, in order: reports come back in the same order

    def documents():
        nonlocal bad
        for line_no, item in ingest.iter_jsonl(path, **({"published": published} if published else {})):
            if isinstance(item, InputError):
                bad += 1
                print(f"factdesk: {path}:{line_no}: skipped: {item.message}", file=sys.stderr)
            else:
                line_nos.append(line_no)
                yield item

    checked = 0
    try:
        with _lines_to(output) as out, Progress(TextColumn("checking"), BarColumn(), MofNCompleteColumn(),
                                                TimeElapsedColumn(), console=err, transient=True,
                                                disable=not sys.stderr.isatty()) as progress:
            task = progress.add_task("check", total=None)
            for report in api.check_many(documents(), workers=workers, ratings=ratings, archive=archive,
                                         thorough=thorough):
                if record:
                    archive.record(report)
                report["line"] = line_nos.popleft()
                out.write(dumps(report, indent=None) + "\n")
                checked += 1
                progress.advance(task)
    finally:  # also when interrupted: the reports written so far are kept
        print(f"factdesk: {checked} article(s) checked, {bad} skipped", file=sys.stderr)
    if not checked:
        raise InputError(f"no valid article in {path}")


@contextmanager
def _lines_to(output: Path | None, *, keep_partial: bool = True) -> Iterator[TextIO]:
    """Where output goes: stdout, or ``output`` written under a temporary name and moved into place at the end.
    When stopped early, ``keep_partial`` moves what was written so far into place (complete report lines)."""
    if output is None:
        yield sys.stdout
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".tmp")
    ok = False
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            yield f
        ok = True
    finally:
        if ok or (keep_partial and os.path.getsize(tmp)):
            os.replace(tmp, output)
        else:
            Path(tmp).unlink(missing_ok=True)


@app.command()
def source(
    domain: Annotated[str, typer.Argument(help="A domain, e.g. example.com (subdomains included).")],
    archive: Annotated[Optional[Path], typer.Option("--archive", help="Archive file (default as for check).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the track record as JSON.")] = False,
) -> None:
    """A source's track record: its recorded claims (factdesk check --record) by verdict."""
    import json

    from . import api
    from .archive import default_path

    store = api.open_archive(archive)
    if store is None:
        raise InputError(f"no archive at {default_path()}", hint="build one with: factdesk archive add SOURCES")
    rec = store.track_record(domain.strip().lower().removeprefix("www."))
    if as_json:
        print(json.dumps(rec))
        return
    if not rec:
        print(f"no recorded claims from {domain}")
        return
    print(f"{rec['domain']}: {rec['claims']} claim(s) in {rec['articles']} article(s) — supported {rec['supported']}, "
          f"misleading {rec['misleading']}, contradicted {rec['contradicted']}, unverified {rec['unverified']}")


@app.command()
def version() -> None:
    """Print the version and the shipped models (name, version, sha256 prefix, from each meta.json)."""
    import json

    print(f"factdesk {__version__}")
    for meta_path in sorted((Path(__file__).resolve().parent / "models").glob("*/meta.json")):
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            print(f"  {meta_path.parent.name}: unreadable meta.json")
            continue
        print(f"  {meta_path.parent.name} {meta.get('version', '?')} "
              f"sha256 {str(meta.get('sha256') or '-')[:12]}")


def main(argv: list[str] | None = None) -> None:
    """Run the factdesk command line (see errors.run_cli for how errors end)."""
    run_cli(app, argv, "factdesk")


if __name__ == "__main__":
    main()
