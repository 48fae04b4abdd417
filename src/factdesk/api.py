"""The library entry point the CLI and any other front end call."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .document import Document
from .errors import ConfigError
from .pipeline import REGISTRY, DEFAULT_STAGES, Pipeline
from .report import json as rjson
from .sources import RatingList


def open_archive(archive: str | Path | Any | None = None, *, use_default: bool = True) -> Any:
    """The evidence archive ``check`` traces claims against: ``archive`` (a path or an open Archive), else the
    default one ($FACTDESK_ARCHIVE or the user data directory) when it exists and ``use_default``; else None."""
    from .archive import Archive, default_path

    if archive is None:
        if not use_default or not default_path().exists():
            return None
        archive = default_path()
    if isinstance(archive, (str, Path)):
        return Archive.open(archive, create=False)
    return archive


def build_pipeline(*, ratings: str | Path | RatingList | None = None, archive: Any = None,
                   thorough: bool = False) -> Pipeline:
    """The default analysis. ``ratings``: a CSV of domain,label[,score,name] or a loaded RatingList.
    ``archive``: an open :class:`factdesk.archive.Archive` (see :func:`open_archive`) to trace claims against;
    without one every claim stays unverified. ``thorough``: the propaganda span tagger reads every sentence, not
    only those the sentence model scores at its gate (PTC dev SI F1 0.452 instead of 0.441, analysis about
    1.5 times as long)."""
    from . import stages as _  # noqa: F401

    rl = ratings if isinstance(ratings, RatingList) else (RatingList.load(ratings) if ratings else None)
    options: dict[str, dict[str, Any]] = {"source": {"ratings": rl}, "trace": {"archive": archive},
                                          "language": {"tagger_gate": 0.0} if thorough else {}}
    return Pipeline([REGISTRY[name](**options.get(name, {})) for name in DEFAULT_STAGES], settings={"thorough": thorough})


def check(article: str | Document, *, pipeline: Pipeline | None = None, allow_private: bool = False,
          thorough: bool = False, **meta: Any) -> dict[str, Any]:
    """Analyse one article and return its JSON report (a dict).

    ``article`` is a Document, a path, a URL, or ``"-"`` for stdin; ``meta`` may give title, url, published, id.
    ``thorough``: see :func:`build_pipeline` (give it there when you pass a ``pipeline``).
    """
    from . import ingest

    if pipeline is not None and thorough:
        raise ConfigError("give thorough to build_pipeline, not with a ready pipeline")
    doc = article if isinstance(article, Document) else ingest.from_source(article, allow_private=allow_private,
                                                                            **meta)
    return rjson.to_report((pipeline or build_pipeline(thorough=thorough))(doc))


def check_many(docs: Iterable[Document], *, pipeline: Pipeline | None = None, workers: int = 1,
               ratings: str | Path | RatingList | None = None, archive: str | Path | Any = None,
               thorough: bool = False) -> Iterator[dict[str, Any]]:
    """Reports for many documents, in their order, with models loaded once per process.

    With ``workers`` > 1 the documents are checked in that many processes, each building its own pipeline from
    ``ratings``, ``archive`` (a path or an open Archive; each process opens the file itself) and ``thorough``, with
    ``cores // workers`` model threads: on a 2-core machine two processes give 1.4-1.9 times the throughput of one
    process using both cores, for twice the memory. Call it under ``if __name__ == "__main__":`` (workers are
    spawned, not forked)."""
    if workers < 1:
        raise ConfigError(f"workers must be 1 or more, not {workers}")
    if pipeline is not None and thorough:
        raise ConfigError("give thorough to build_pipeline, not with a ready pipeline")
    if workers == 1:
        pipe = pipeline or build_pipeline(ratings=ratings, archive=open_archive(archive, use_default=False),
                                          thorough=thorough)
        for doc in docs:
            yield rjson.to_report(pipe(doc))
        return
    if pipeline is not None:
        raise ConfigError("with workers > 1 give ratings and archive, not a pipeline: each process builds its own")
    if archive is not None and not isinstance(archive, (str, Path)):
        archive = archive.path  # an open Archive: each process opens the same file
    from .parallel import check_in_processes

    yield from check_in_processes(docs, workers, {"ratings": ratings, "archive": archive, "thorough": thorough})
