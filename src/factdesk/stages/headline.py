"""Is the headline clickbait? The model trained on Chakraborty et al. 2016 (+ Webis-17) catches teasers
("You won't believe…"); sensational headlines ("ISIS is Toast: …!") are caught by explicit cues — the same
curated language rules the body gets, plus exclamation marks and shouted lead words. Both are reported:
score = 1 − (1 − model) × Π(1 − cue weight)."""

from __future__ import annotations

import re

from ..document import Document, Flag, ModelInfo
from ..pipeline import Stage, register
from .language import RULES

CUE_WEIGHT = 0.8  # a curated rule hit in a headline counts for 80% of its body score
EXCLAMATION = re.compile(r"!")
SHOUTED_LEAD = re.compile(r"^[A-Z]{4,}[:!]")


def headline_cues(title: str) -> list[dict]:
    cues = []
    for rule in RULES:
        for m in rule.pattern.finditer(title):
            cues.append({"cue": rule.technique or rule.type, "text": m.group(), "weight": round(rule.score * CUE_WEIGHT, 3)})
    if EXCLAMATION.search(title):
        cues.append({"cue": "exclamation", "text": "!", "weight": 0.4})
    if m := SHOUTED_LEAD.search(title):
        cues.append({"cue": "shouted_lead", "text": m.group(), "weight": 0.5})
    return cues


@register
class Headline(Stage):
    name = "headline"
    requires = ("title",)
    assigns = ("headline", "flags")
    english_only = True

    def _model(self):
        from ..textmodel import load_model

        return load_model("clickbait")

    def models(self) -> list[ModelInfo]:
        return [self._model().info()]

    def __call__(self, doc: Document) -> Document:
        if not doc.title:
            doc.headline = {"text": None, "clickbait": {"score": 0.0, "label": False}, "stance_to_body": None}
            return doc
        model = self._model()
        p = float(model.predict_proba([doc.title])[0])
        cues = headline_cues(doc.title)
        keep = 1.0 - p
        for c in cues:
            keep *= 1.0 - c["weight"]
        score = 1.0 - keep
        label = score >= float(model.meta.get("threshold", 0.5))
        doc.headline = {"text": doc.title, "clickbait": {"score": round(score, 4), "label": label,
                                                         "model_score": round(p, 4), "cues": cues},
                        "stance_to_body": None}
        if label:
            why = "; ".join(f"{c['cue'].replace('_', ' ')} “{c['text']}”" for c in cues)
            doc.flags.append(Flag(
                type="clickbait_headline", start=-1, end=-1, text=doc.title, score=round(score, 4),
                explanation="The headline sensationalises or teases rather than stating what happened"
                + (f" ({why})." if why else f" (clickbait model probability {p:.2f})."),
            ))
        return doc
