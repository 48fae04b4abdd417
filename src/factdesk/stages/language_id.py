"""Which language the article is in; English-only stages are skipped for anything else."""

from __future__ import annotations

from ..document import Document
from ..pipeline import Stage, register


@register
class LanguageId(Stage):
    name = "language_id"
    requires = ("text",)
    assigns = ("language",)

    def __call__(self, doc: Document) -> Document:
        from ..langid import detect_language

        if doc.language is None:
            doc.language, doc.language_confidence = detect_language(doc.text)
        if doc.language not in (None, "en"):
            doc.notes.append(
                f"The article appears to be in '{doc.language}', not English: claims, language, headline and "
                "score stages that need English were skipped."
            )
        return doc
