"""Our verdicts as schema.org ClaimReview JSON-LD, one review per traced claim (unverified claims are left out:
a ClaimReview states a rating, and "nobody could check it" is not one)."""

from __future__ import annotations

import json
from typing import Any

from .. import __version__

# schema.org Rating: 1 (false) … 5 (true)
RATING = {"contradicted": (1, "False"), "misleading": (2, "Misleading"), "supported": (5, "True")}


def reviews(report: dict[str, Any]) -> list[dict[str, Any]]:
    art = report["article"]
    out = []
    for c in report["claims"]:
        v = c["verdict"]
        if v["label"] not in RATING:
            continue
        value, name = RATING[v["label"]]
        item: dict[str, Any] = {"@type": "CreativeWork", "datePublished": art.get("published")}
        if art.get("url"):
            item["url"] = art["url"]
        speaker = (c.get("attribution") or {}).get("speaker")
        if speaker:
            item["author"] = {"@type": "Person", "name": speaker}
        out.append({
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "claimReviewed": c["text"],
            "itemReviewed": {"@type": "Claim", "appearance": item},
            "reviewRating": {"@type": "Rating", "ratingValue": value, "bestRating": 5, "worstRating": 1,
                             "alternateName": name, "ratingExplanation": v.get("explanation", "")},
            "author": {"@type": "Organization", "name": f"factdesk {__version__} (automated)"},
            "reviewBody": ", ".join(v["reasons"]) or v["label"],
            "citation": [e.get("url") or e["doc_id"] for e in c.get("evidence", [])],
        })
    return out


def render(report: dict[str, Any]) -> str:
    return json.dumps(reviews(report), ensure_ascii=False, indent=2)
