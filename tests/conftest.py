"""Shared fixtures. Every report built in this test session is validated against the JSON schema."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest

import factdesk.report.json as rjson

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seeds" / "000_19727acd434fd108.txt"
FIXTURES = Path(__file__).parent / "fixtures"

# never read or write the user's own evidence archive: the default location points into a fresh directory
os.environ["FACTDESK_ARCHIVE"] = str(Path(tempfile.mkdtemp(prefix="factdesk-test-")) / "archive.sqlite")

_to_report = rjson.to_report
VALIDATED = {"n": 0}


def _validating_to_report(*args, **kwargs):
    report = _to_report(*args, **kwargs)
    rjson.validate(json.loads(json.dumps(report)))
    VALIDATED["n"] += 1
    return report


rjson.to_report = _validating_to_report


@pytest.fixture(scope="session")
def pipeline():
    from factdesk import build_pipeline

    return build_pipeline()


@pytest.fixture(scope="session")
def seed_report(pipeline):
    if not SEED.exists():
        pytest.skip(f"seed article not found at {SEED}")
    from factdesk import check

    return check(str(SEED), pipeline=pipeline, published="2017-12-27")


@pytest.fixture(scope="session")
def wire_report(pipeline):
    from factdesk import check

    return check(str(FIXTURES / "wire_plain.txt"), pipeline=pipeline, published="2024-03-12")


def report_of(pipeline, text: str, **meta) -> dict:
    from factdesk import ingest
    from factdesk.api import check

    return check(ingest.from_text(text, **meta), pipeline=pipeline)


@pytest.fixture(scope="session")
def seed_archive(tmp_path_factory):
    """An archive of the seed story's coverage (our own writing) plus distractors, with the shipped embedder."""
    from factdesk.archive import Archive

    archive = Archive(tmp_path_factory.mktemp("archive") / "seed.sqlite")
    stats = archive.add([str(FIXTURES / "coverage" / "seed_story.jsonl"), str(FIXTURES / "coverage" / "claimreview.json")])
    assert stats.fact_checks == 2 and len(stats.errors) == 1  # the third ClaimReview in the file is empty
    yield archive
    archive.close()


@pytest.fixture(scope="session")
def traced_pipeline(seed_archive):
    from factdesk import build_pipeline

    return build_pipeline(archive=seed_archive)


@pytest.fixture(scope="session")
def traced_seed_report(traced_pipeline):
    if not SEED.exists():
        pytest.skip(f"seed article not found at {SEED}")
    from factdesk import check

    return check(str(SEED), pipeline=traced_pipeline, published="2017-12-27")
