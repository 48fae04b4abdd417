"""``factdesk archive …``: add sources to the evidence archive, search it, show its statistics.

Mounted by the main CLI as ``app.add_typer(archive_app, name="archive")``; also runs alone as
``python -m factdesk.archive.cli``.
"""

from __future__ import annotations

import json
import math
import sys
from dataclasses import asdict
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from ..errors import InputError, run_cli

archive_app = typer.Typer(
    add_completion=False,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    help="The local evidence archive: add articles (files, folders, feeds, WARC, URLs), search them, see stats.",
)

ArchiveOpt = Annotated[
    Optional[Path],
    typer.Option("--archive", help="Archive file. Default: $FACTDESK_ARCHIVE, else "
                 "$XDG_DATA_HOME/factdesk/archive.sqlite (~/.local/share/factdesk/archive.sqlite)."),
]


class Mode(str, Enum):
    hybrid = "hybrid"
    bm25 = "bm25"
    dense = "dense"


def _path(archive: Path | None) -> Path:
    from .store import default_path

    return archive if archive is not None else default_path()


@archive_app.command()
def add(
    sources: Annotated[list[str], typer.Argument(help="Files (.jsonl .csv .rss/.atom/.xml .warc[.gz] .txt .html), "
                                                  "folders (recursive) or http(s) URLs.")],
    archive: ArchiveOpt = None,
    allow_private: Annotated[bool, typer.Option("--allow-private",
                                                help="Allow fetching URLs on private or loopback addresses.")] = False,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Documents per transaction.")] = 64,
) -> None:
    """Add articles to the archive; documents already there are skipped, so re-running resumes."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from .store import Archive

    err = Console(stderr=True)
    with Progress(TextColumn("adding"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err,
                  transient=True, disable=not sys.stderr.isatty()) as progress:
        task = progress.add_task("add", total=None)

        def report(done: int, total: int | None) -> None:
            progress.update(task, completed=done, total=total if total and total >= done else None)

        path = _path(archive)
        existed = path.exists()
        with Archive(path) as ar:
            stats = ar.add(sources, allow_private=allow_private, progress=report, batch_size=batch_size)
    for origin, line, message in sorted(stats.errors + stats.warnings, key=lambda e: (e[0], e[1] or 0)):
        where = f"{origin}:{line}" if line is not None else origin
        print(f"{where}: {message}", file=sys.stderr)
    print(stats.summary(), file=sys.stderr)
    if stats.errors and stats.added == 0 and stats.skipped_duplicates == 0 and stats.fact_checks == 0:
        if not existed:  # no empty archive left behind for `check` to search
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        raise InputError("nothing could be added from the given sources")


def _plain(obj: Any) -> Any:
    d = asdict(obj)
    return {k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in d.items()}


@archive_app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words or a claim to look for.")],
    archive: ArchiveOpt = None,
    k: Annotated[int, typer.Option("-k", "--top", min=1, help="How many results.")] = 10,
    sentences: Annotated[bool, typer.Option("--sentences", help="Rank sentences (hybrid BM25 + vectors) "
                                            "instead of documents.")] = False,
    mode: Annotated[Mode, typer.Option("--mode", help="hybrid (words and meaning) or bm25 (words only); "
                                       "with --sentences also dense (meaning only).")] = Mode.hybrid,
    as_json: Annotated[bool, typer.Option("--json", help="Print the results as JSON.")] = False,
) -> None:
    """Search the archive, best match first."""
    from .store import Archive

    with Archive(_path(archive), create=False) as ar:
        hits: list[Any] = (ar.search_sentences(query, k=k, mode=mode.value) if sentences
                           else ar.search(query, k=k, hybrid=mode is not Mode.bm25))
    if as_json:
        print(json.dumps([_plain(h) for h in hits], ensure_ascii=False, indent=2))
        return
    if not hits:
        print("no matches", file=sys.stderr)
        return
    for i, h in enumerate(hits, 1):
        where = " · ".join(x for x in (h.source, h.published, f"group {h.group_id}") if x)
        if sentences:
            cos = f"{h.cosine:.3f}" if h.cosine is not None else "-"
            print(f"{i:>2}. [{h.score:.4f}] {h.sentence}")
            print(f"    bm25 {h.bm25:.2f}, cosine {cos} — {h.title or h.doc_id} ({where})")
        else:
            print(f"{i:>2}. [{h.score:.2f}] {h.title or h.doc_id} ({where})")
            print(f"    {' '.join(h.snippet.split())}")
        if h.url:
            print(f"    {h.url}")


def _size(n: int) -> str:
    for unit, size in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{n} bytes"


@archive_app.command()
def stats(
    archive: ArchiveOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the statistics as JSON.")] = False,
) -> None:
    """Documents, sentences, near-duplicate groups, sources, size on disk, schema and embedding model."""
    from .store import Archive

    with Archive(_path(archive), create=False) as ar:
        st = ar.stats()
    if as_json:
        print(json.dumps(st, indent=2))
        return
    for key, value in st.items():
        shown = _size(value) if key == "size_bytes" else value
        print(f"{key.replace('_', ' ')}: {shown if shown is not None else '-'}")


def main(argv: list[str] | None = None) -> None:
    """Run `factdesk archive` alone; errors end as in errors.run_cli."""
    run_cli(archive_app, argv, "factdesk archive")


if __name__ == "__main__":
    main()
