"""Who published it: the domain and its rating from the user's rating lists (unknown otherwise)."""

from __future__ import annotations

from ..document import Document
from ..pipeline import Stage, register
from ..sources import RatingList


@register
class Source(Stage):
    name = "source"
    requires = ("domain",)
    assigns = ("source",)

    def __init__(self, ratings: RatingList | None = None) -> None:
        self.ratings = ratings or RatingList()

    def __call__(self, doc: Document) -> Document:
        r = self.ratings.lookup(doc.domain)
        rating = (
            {"label": r.label, "score": r.score, "basis": [r.name or r.basis]}
            if r
            else {"label": "unknown", "score": None, "basis": []}
        )
        doc.source = {"domain": doc.domain, "rating": rating, "track_record": None, "name": r.name if r else None}
        return doc
