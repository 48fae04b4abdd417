"""No pattern in factdesk backtracks catastrophically on untrusted text: every compiled regex of every runtime
module is run over long runs of the characters that make patterns ambiguous (dashes, quotes, spaces, short
words) and must answer within a generous bound. A run of 113 dashes once hung evidence tracing."""

from __future__ import annotations

import importlib
import pkgutil
import re
import signal

import pytest

import factdesk

UNITS = ["-", "'", "\u2019", "a", "a-", "1", "1,", "\"", "\u201c", ". ", "A ", "the ", "a' ", "-a", "Mr. ", "U.S. "]


def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    out = []
    for m in pkgutil.walk_packages(factdesk.__path__, "factdesk."):
        if ".training" in m.name:
            continue
        mod = importlib.import_module(m.name)
        for name, v in vars(mod).items():
            if isinstance(v, re.Pattern) and isinstance(v.pattern, str):
                out.append((f"{m.name}.{name}", v))
    return out


PATTERNS = _patterns()


class _Slow(Exception):
    pass


def _alarm(*_):
    raise _Slow


@pytest.mark.parametrize("name, pattern", PATTERNS, ids=[n for n, _ in PATTERNS])
def test_regex_safety_no_catastrophic_backtracking(name, pattern):
    assert len(PATTERNS) > 30
    old = signal.signal(signal.SIGALRM, _alarm)
    try:
        for unit in UNITS:
            text = unit * (1500 // len(unit)) + "!"
            signal.setitimer(signal.ITIMER_REAL, 2.0)  # linear patterns need milliseconds here
            try:
                pattern.search(text)
            except _Slow:
                pytest.fail(f"{name} takes over 2 s on {unit!r} * {1500 // len(unit)}")
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
    finally:
        signal.signal(signal.SIGALRM, old)


def test_regex_safety_long_space_runs_collapse_at_ingest():
    from factdesk.ingest import from_text

    doc = from_text("Title\n\nThe mayor  said" + " " * 5000 + "the plan was approved on Monday.")
    assert "mayor  said the plan" in doc.text and len(doc.text) < 100


_RUN_ON = "the coalition said that about 1,000 fighters remain in Syria and Iraq according to officials who were named"
ADVERSARIAL = {  # ~120 KB each, no sentence end: one huge paragraph; each of these once took 40-160 s
    "run_on_words": lambda: " ".join(_RUN_ON.split()[i % 18] for i in range(20000)),
    "open_quotes": lambda: " ".join('"' + " ".join(_RUN_ON.split()[i % 18: i % 18 + 5]) for i in range(3500)),
    "numbers": lambda: " ".join(f"{1000 + i} fighters" for i in range(9000)),
    "dates": lambda: ", ".join("in 2015 since November" for _ in range(5000)),
}


@pytest.mark.parametrize("case", sorted(ADVERSARIAL))
def test_regex_safety_long_adversarial_articles_finish(case, pipeline):
    from factdesk import ingest

    text = ADVERSARIAL[case]()
    assert len(text) > 90_000
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, 40.0)  # linear work takes a few seconds here; quadratic took minutes
    try:
        doc = pipeline(ingest.from_text(text, title="x"))
    except _Slow:
        pytest.fail(f"analysing {len(text)} characters of {case} takes over 40 s")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    assert doc.sentences and max(s.end - s.start for s in doc.sentences) <= 1500
