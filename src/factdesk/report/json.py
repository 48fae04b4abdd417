"""The JSON report (the contract in ``schema.json``, schema version 1)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from .. import __version__
from ..document import Document, to_plain


def to_report(doc: Document, *, archive: str | None = None) -> dict[str, Any]:
    return {
        "schema_version": "1",
        "id": doc.id,
        "article": {
            "title": doc.title, "text": doc.text, "url": doc.url, "domain": doc.domain, "author": doc.author,
            "published": doc.published, "site": doc.site, "language": doc.language,
        },
        "source": doc.source or {"domain": doc.domain, "rating": {"label": "unknown", "score": None, "basis": []}},
        "headline": doc.headline or {"text": doc.title, "clickbait": {"score": 0.0, "label": False}},
        "claims": to_plain(doc.claims),
        "quotes": to_plain(doc.quotes),
        "flags": to_plain(doc.flags),
        "coverage": doc.coverage,
        "score": doc.score or {"credibility": 0.0, "label": "not scored", "components": {}},
        "notes": doc.notes,
        "skipped_stages": doc.skipped,
        "provenance": {
            "factdesk_version": __version__,
            "models": to_plain(doc.models),
            "archive": archive or doc.archive,
            "elapsed_ms": doc.elapsed_ms,
            "settings": doc.settings,
        },
    }


@cache
def schema() -> dict[str, Any]:
    return json.loads(resources.files("factdesk.report").joinpath("schema.json").read_text("utf-8"))


def validate(report: dict[str, Any]) -> None:
    """Raise ``jsonschema.ValidationError`` if the report breaks the contract."""
    import jsonschema

    jsonschema.validate(report, schema())


def dumps(report: dict[str, Any], *, indent: int | None = 2) -> str:
    return json.dumps(report, ensure_ascii=False, indent=indent)
