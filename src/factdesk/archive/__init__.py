"""The local evidence archive: articles, their sentences, full-text and vector indexes in one SQLite file.

    from factdesk.archive import Archive

    with Archive() as archive:                    # default_path(): $FACTDESK_ARCHIVE or the user data dir
        archive.add(["corpus.jsonl", "pages/", "feed.rss"])
        hits = archive.search_sentences("fewer than 1,000 fighters remain", k=5)

Readers for new input formats plug in with :func:`factdesk.archive.sources.register_reader`.
"""

from __future__ import annotations

from .store import (
    APPLICATION_ID,
    SCHEMA_VERSION,
    AddStats,
    Archive,
    ArchiveDoc,
    DocHit,
    Hit,
    PriorCheck,
    ReadError,
    SentenceHit,
    default_path,
    derive_doc_id,
)

__all__ = [
    "APPLICATION_ID",
    "SCHEMA_VERSION",
    "AddStats",
    "Archive",
    "ArchiveDoc",
    "DocHit",
    "Hit",
    "PriorCheck",
    "ReadError",
    "SentenceHit",
    "default_path",
    "derive_doc_id",
]
