"""Report writers: JSON (the contract), terminal, HTML, Markdown and ClaimReview."""

from __future__ import annotations

from typing import Any


def copies_note(coverage: dict[str, Any]) -> str:
    """" · also in A, B" for a related story's syndicated copies (plain text: each writer escapes it)."""
    names = [c.get("source") or c.get("title") or c.get("doc_id") or "?" for c in coverage.get("copies") or []]
    return f" · also in {', '.join(dict.fromkeys(names))}" if names else ""
