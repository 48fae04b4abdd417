"""Check many documents in worker processes, one pipeline per process, reports in input order.

One process runs its model calls side by side on its cores (``factdesk.embed.run_batches``), but its Python stages
hold the GIL, so a process per core, each with one core's share of every thread pool, is what uses the cores.
Workers are spawned (never forked from a process that may hold model-call threads and SQLite connections), ignore
Ctrl-C (the parent stops them), and receive a few documents at a time, with a bounded number in flight so a
stream of millions never sits in memory.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from typing import Any

from .document import Document
from .errors import FactdeskError

CHUNK = 4  # documents per task: few enough to keep both workers busy at the end of a stream
IN_FLIGHT = 3  # tasks per worker submitted ahead

_pipeline: Any = None
_recipe: dict[str, Any] = {}


def _start(recipe: dict[str, Any], threads: int) -> None:
    global _recipe
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # every thread pool in the worker gets its share of the cores: ONNX Runtime's, and numpy's BLAS and OpenMP
    # (faiss), whose idle threads otherwise spin against the other workers (with evidence, two workers: 9.6
    # articles/s uncapped, 14.6 capped)
    for name in ("FACTDESK_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = str(threads)  # for libraries loaded from here on
    from threadpoolctl import threadpool_limits

    threadpool_limits(threads)  # for those already loaded
    _recipe = recipe


def _check(docs: list[Document]) -> list[dict[str, Any]]:
    global _pipeline
    from . import api
    from .report import json as rjson

    if _pipeline is None:  # built on the first task, so a model or archive error reaches the parent as itself
        archive = api.open_archive(_recipe["archive"], use_default=False)
        _pipeline = api.build_pipeline(ratings=_recipe["ratings"], archive=archive, thorough=_recipe["thorough"])
    return [rjson.to_report(_pipeline(doc)) for doc in docs]


def check_in_processes(docs: Iterable[Document], workers: int, recipe: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Reports for ``docs`` in order, from ``workers`` processes building their pipeline from ``recipe``
    (``ratings``, ``archive``, ``thorough`` as for :func:`factdesk.api.build_pipeline`, the archive as a path)."""
    from .embed import default_threads

    threads = max(1, default_threads() // workers)
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"), initializer=_start,
                               initargs=(recipe, threads))
    it = iter(docs)
    pending: deque[Future[list[dict[str, Any]]]] = deque()

    def submit() -> None:
        batch = list(islice(it, CHUNK))
        if batch:
            pending.append(pool.submit(_check, batch))

    try:
        for _ in range(workers * IN_FLIGHT):
            submit()
        while pending:
            try:
                reports = pending.popleft().result()
            except BrokenProcessPool:
                raise FactdeskError("a worker process died (out of memory?)",
                                    hint="retry with fewer workers") from None
            submit()
            yield from reports
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
