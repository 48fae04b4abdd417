"""Clickbait probability of the headline, from the model trained on Chakraborty et al. 2016 (+ Webis-17)."""

from __future__ import annotations

from ..document import Document, Flag, ModelInfo
from ..pipeline import Stage, register
from .language import HEADLINE_STYLE


@register
class Headline(Stage):
    name = "headline"
    requires = ("title",)
    assigns = ("headline",)
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
        score = float(model.predict_proba([doc.title])[0])
        label = score >= float(model.meta.get("threshold", 0.5))
        doc.headline = {"text": doc.title, "clickbait": {"score": round(score, 4), "label": label},
                        "stance_to_body": None}
        if label:
            doc.flags.append(Flag(type="clickbait_headline", start=-1, end=-1, text=doc.title, score=round(score, 4),
                                  explanation="The headline reads like clickbait: it teases or sensationalises "
                                  "rather than stating what happened."))
        if HEADLINE_STYLE.search(doc.title):
            doc.flags.append(Flag(type="excess_punctuation", start=-1, end=-1, text=doc.title, score=0.5,
                                  explanation="Exclamation marks in a headline add emphasis, not information."))
        return doc
