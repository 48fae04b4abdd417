"""Check-worthy factual sentences, ranked, with kind, attribution and quantities."""

from __future__ import annotations

import re

from ..document import Claim, Document, Flag, ModelInfo
from ..pipeline import Stage, register

KIND_PATTERNS = {
    "prediction": re.compile(r"\b(?:will|won't|going to|expected to|likely to|set to|forecasts?|predicts?|"
                             r"projected to|could soon|is poised to)\b", re.I),
    "causal": re.compile(r"\b(?:because|due to|caused|causes|led to|leads to|resulted in|results in|as a result|"
                         r"thanks to|owing to|therefore|hence|following|blamed|credited)\b", re.I),
    "opinion": re.compile(r"\b(?:I think|I believe|in my view|should|must|ought to|onerous|terrible|great news|"
                          r"good news|wonderful|disgrace|shameful|best|worst)\b", re.I),
    "event": re.compile(r"\b(?:declared|announced|killed|fell|fled|escaped|attacked|captured|signed|voted|won|lost|"
                        r"launched|arrested|died|began|ended|elected|resigned|passed|approved|struck|seized|"
                        r"defeated|reported|opened|closed|met|visited|agreed)\b", re.I),
}


# where a sentence carrying two differently dated or counted numbers splits into two claims
CLAUSE_BREAK = re.compile(r"[;,]\s+(?:(?:not to mention|while|whereas|but|and|compared with|up from|down from|"
                          r"against|when|as)\b)?|\s+(?:—|–|--)\s+")


def split_points(text: str, start: int, quantities: list) -> list[int]:
    """Offsets (into the document) where a sentence splits so each clause carries its own numbers: between two
    consecutive quantities that differ in date or in what they count, at the last clause break between them."""
    cuts = []
    for a, b in zip(quantities, quantities[1:]):
        undated = a.date is None or b.date is None  # a number without a date of its own is not dated apart
        if (a.date == b.date or undated) and (a.entity or "").lower() == (b.entity or "").lower():
            continue
        gap = text[a.end - start : b.start - start]
        breaks = list(CLAUSE_BREAK.finditer(gap))
        if breaks:
            cuts.append(a.end + breaks[-1].start())
    return cuts


ESTIMATE = re.compile(r"\b(?:estimated?|estimates|believed|thought|reportedly|roughly|approximately)\b", re.I)


def claim_kinds(text: str, has_quantity: bool, in_quote: bool) -> list[str]:
    kinds = [k for k, pat in (("quantity", None), ("quote", None)) if (has_quantity if k == "quantity" else in_quote)]
    kinds += [k for k, pat in KIND_PATTERNS.items() if pat.search(text)]
    return kinds or ["other"]


@register
class Claims(Stage):
    name = "claims"
    requires = ("sentences", "quantities", "quotes", "attributions")
    assigns = ("claims", "flags")
    english_only = True

    def __init__(self, min_words: int = 5) -> None:
        self.min_words = min_words

    def _model(self):
        from ..textmodel import load_model

        return load_model("checkworthy")

    def models(self) -> list[ModelInfo]:
        return [self._model().info()]

    def __call__(self, doc: Document) -> Document:
        model = self._model()
        threshold = float(model.meta.get("threshold", 0.5))
        candidates = [
            (i, s) for i, s in enumerate(doc.sentences)
            if len(s.text.split()) >= self.min_words and not s.text.rstrip().endswith(("?", ":"))
        ]
        probs = model.predict_proba([s.text for _, s in candidates]) if candidates else []
        claims: list[Claim] = []
        for (i, sent), p in zip(candidates, probs):
            qs = [q for q in doc.quantities if sent.start <= q.start < sent.end]
            att = doc.attributions[i]
            quoted = att.type == "direct" and any(
                q.well_formed and q.speaker and q.start <= sent.start < q.end for q in doc.quotes)
            if p < threshold and not qs and att.type != "vague" and not quoted:
                continue  # kept regardless of the model: numbers, attributed quotations, unsourced "experts say"
            in_quote = att.type == "direct" or any(q.start <= sent.start < q.end for q in doc.quotes)
            bounds = [sent.start, *split_points(sent.text, sent.start, qs), sent.end]
            for a, b in zip(bounds, bounds[1:]):
                piece = doc.text[a:b]
                lead = len(piece) - len(piece.lstrip(" ,;—–-"))
                tail = len(piece.rstrip())
                a, b = a + lead, a + tail
                part = [q for q in qs if a <= q.start < b]
                text = doc.text[a:b]
                claims.append(Claim(id="", text=text, start=a, end=b, checkworthiness=round(float(p), 4),
                                    kind=claim_kinds(text, bool(part), in_quote), attribution=att, quantities=part))
        claims.sort(key=lambda c: -c.checkworthiness)
        for rank, c in enumerate(claims, start=1):
            c.id = f"c{rank}"
            estimated = any(q.comparator not in ("=", None) for q in c.quantities) or ESTIMATE.search(c.text)
            if c.quantities and c.attribution.type == "none" and estimated:
                doc.flags.append(Flag(
                    type="unattributed_claim", start=c.start, end=c.end, text=c.text, score=0.5,
                    explanation="An estimated or approximate number is stated with no source: nobody is named as "
                    "having counted or estimated it.",
                ))
        doc.claims = claims
        return doc
