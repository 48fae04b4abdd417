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
            if p < threshold and not qs and att.type != "vague":
                continue
            in_quote = att.type == "direct" or any(q.start <= sent.start < q.end for q in doc.quotes)
            claims.append(Claim(id="", text=sent.text, start=sent.start, end=sent.end,
                                checkworthiness=round(float(p), 4),
                                kind=claim_kinds(sent.text, bool(qs), in_quote), attribution=att, quantities=qs))
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
