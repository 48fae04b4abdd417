"""Ordered stages over one Document. Each stage declares what it reads and writes; the order is checked once,
when the pipeline is built, so a misordered or missing stage fails early with a clear message."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any, ClassVar

from .document import Document, ModelInfo
from .errors import PipelineError

# Fields a freshly ingested Document already carries.
INGESTED = ("text", "title", "url", "domain", "author", "published", "site", "language")
# What the pipeline copies from the Document it is given: the ingested fields, the id and the detected language.
_INPUT = (*INGESTED, "id", "language_confidence")


class Stage:
    """A pipeline component: ``stage(doc) -> doc``. Subclasses set the class attributes and ``__call__``.

    ``english_only`` stages are skipped (and the skip recorded on the document) when the article is not English.
    Constructors only store settings; models load lazily on first use, in one place (``factdesk.models``).
    """

    name: ClassVar[str]
    requires: ClassVar[tuple[str, ...]] = ()
    assigns: ClassVar[tuple[str, ...]] = ()
    english_only: ClassVar[bool] = False

    def __call__(self, doc: Document) -> Document:  # pragma: no cover - abstract
        raise NotImplementedError

    def models(self) -> list[ModelInfo]:
        """Model artifacts this stage uses, for the report's provenance."""
        return []


REGISTRY: dict[str, Callable[..., Stage]] = {}


def register(cls: type[Stage]) -> type[Stage]:
    """Class decorator: make a stage available by name."""
    if cls.name in REGISTRY:
        raise PipelineError(f"stage {cls.name!r} is registered twice")
    REGISTRY[cls.name] = cls
    return cls


DEFAULT_STAGES = ("language_id", "segment", "quantities", "quotes", "claims", "language", "headline", "source", "trace",
                  "score")


class Pipeline:
    """Runs stages in order. ``Pipeline()`` builds the default analysis; pass stage instances to customise.
    ``settings``: how it was built (e.g. ``{"thorough": True}``), copied into each report's provenance."""

    def __init__(self, stages: Iterable[Stage] | None = None, *, settings: dict[str, Any] | None = None) -> None:
        if stages is None:
            from . import stages as _  # noqa: F401  (registers the built-in stages)

            stages = [REGISTRY[n]() for n in DEFAULT_STAGES]
        self.stages = list(stages)
        self.settings = dict(settings or {})
        self._check_order()

    def _check_order(self) -> None:
        available = set(INGESTED)
        for stage in self.stages:
            missing = [r for r in stage.requires if r not in available]
            if missing:
                raise PipelineError(
                    f"stage {stage.name!r} requires {', '.join(missing)} but no earlier stage assigns it",
                    hint="put the stage that assigns it first",
                )
            available.update(stage.assigns)

    def __call__(self, doc: Document) -> Document:
        """A new Document: the given one's input fields, filled in by the stages. The given Document is not
        changed, so checking it again gives the same result."""
        t0 = time.perf_counter()
        doc = Document(**{name: getattr(doc, name) for name in _INPUT}, settings=dict(self.settings))
        for stage in self.stages:
            if stage.english_only and doc.language not in (None, "en"):
                doc.skipped.append(stage.name)
                continue
            doc = stage(doc)
        seen: set[str] = set()
        doc.models = []
        for stage in self.stages:
            for m in stage.models():
                if m.name not in seen:
                    seen.add(m.name)
                    doc.models.append(m)
        doc.elapsed_ms = round((time.perf_counter() - t0) * 1000, 2)
        return doc

    def pipe(self, docs: Iterable[Document]) -> Iterator[Document]:
        for doc in docs:
            yield self(doc)

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.stages]
