"""A transparent 0–100 credibility score: 100 plus the listed (negative or positive) components."""

from __future__ import annotations

from ..document import Document
from ..pipeline import Stage, register

SOURCE_PENALTY = {"reliable": 0.0, "unknown": -10.0, "mixed": -20.0, "unreliable": -40.0}
LABELS = ((80, "high"), (60, "moderate"), (40, "low"), (0, "very low"))


@register
class Score(Stage):
    name = "score"
    requires = ("flags", "claims", "source", "headline")
    assigns = ("score",)

    def __call__(self, doc: Document) -> Document:
        flags = doc.flags
        by_type: dict[str, float] = {}  # summed flag scores
        count: dict[str, int] = {}
        for f in flags:
            by_type[f.type] = by_type.get(f.type, 0.0) + f.score
            count[f.type] = count.get(f.type, 0) + 1
        cb = doc.headline.get("clickbait") or {}
        verdicts = [c.verdict.label for c in doc.claims]
        components = {
            "source_rating": SOURCE_PENALTY[doc.source.get("rating", {}).get("label", "unknown")],
            "clickbait_headline": -15.0 * float(cb.get("score", 0.0)) if cb.get("label") else 0.0,
            "loaded_language": -min(30.0, 6.0 * (by_type.get("propaganda", 0) + by_type.get("loaded_language", 0))),
            "vague_attribution": -min(15.0, 6.0 * by_type.get("vague_attribution", 0)),
            "malformed_quotes": -min(10.0, 6.0 * by_type.get("malformed_quote", 0)),
            "unsourced_numbers": -min(10.0, 2.5 * count.get("unattributed_claim", 0)),
            "style": -min(5.0, 2.0 * count.get("excess_punctuation", 0)),
            "contradicted_claims": -min(30.0, 10.0 * verdicts.count("contradicted")),
            "misleading_claims": -min(24.0, 8.0 * verdicts.count("misleading")),
            "supported_claims": min(10.0, 2.0 * verdicts.count("supported")),
        }
        components = {k: round(v, 2) for k, v in components.items()}
        credibility = round(min(100.0, max(0.0, 100.0 + sum(components.values()))), 1)
        label = next(name for cut, name in LABELS if credibility >= cut)
        doc.score = {"credibility": credibility, "label": label, "components": components,
                     "explanation": "100 plus the components; each component is a penalty (negative) or credit "
                     "(positive) computed from the flags, claims and source listed in this report."}
        return doc
