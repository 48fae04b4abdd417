"""The library entry point the CLI and any other front end call."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .document import Document
from .pipeline import REGISTRY, DEFAULT_STAGES, Pipeline
from .report import json as rjson
from .sources import RatingList


def build_pipeline(*, ratings: str | Path | RatingList | None = None) -> Pipeline:
    """The default analysis. ``ratings``: a CSV of domain,label[,score,name] or a loaded RatingList."""
    from . import stages as _  # noqa: F401

    rl = ratings if isinstance(ratings, RatingList) else (RatingList.load(ratings) if ratings else None)
    built = []
    for name in DEFAULT_STAGES:
        built.append(REGISTRY[name](ratings=rl) if name == "source" else REGISTRY[name]())
    return Pipeline(built)


def check(article: str | Document, *, pipeline: Pipeline | None = None, allow_private: bool = False,
          **meta: Any) -> dict[str, Any]:
    """Analyse one article and return its JSON report (a dict).

    ``article`` is a Document, a path, a URL, or ``"-"`` for stdin; ``meta`` may give title, url, published, id.
    """
    from . import ingest

    doc = article if isinstance(article, Document) else ingest.from_source(article, allow_private=allow_private,
                                                                            **meta)
    return rjson.to_report((pipeline or build_pipeline())(doc))


def check_many(docs: Iterable[Document], *, pipeline: Pipeline | None = None) -> Iterator[dict[str, Any]]:
    """Reports for many documents with one pipeline (models load once)."""
    pipe = pipeline or build_pipeline()
    for doc in docs:
        yield rjson.to_report(pipe(doc))
