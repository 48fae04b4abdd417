"""Is the headline clickbait? The model trained on Chakraborty et al. 2016 (+ Webis-17) catches teasers
("You won't believe…"); sensational headlines ("ISIS is Toast: …!") are caught by explicit cues — the same
curated language rules the body gets, plus exclamation marks and shouted lead words. Both are reported:
score = 1 − (1 − model) × Π(1 − cue weight).

Does the body back its headline? ``stance_to_body`` is the FNC-1 headline-vs-body stance (``headline_stance``)
of the article's own body: agree, disagree, discuss or unrelated. It costs a MiniLM pass over every body sentence
(about as much as the rest of the analysis), so by default it is computed for the headlines that need the
question asked, those read as clickbait (``body_stance="clickbait"``; ``"always"`` / ``"never"`` otherwise).
"""

from __future__ import annotations

import re

from ..document import Document, Flag, ModelInfo
from ..errors import ConfigError
from ..pipeline import Stage, register
from .language import RULES

CUE_WEIGHT = 0.8  # a curated rule hit in a headline counts for 80% of its body score
EXCLAMATION = re.compile(r"!")
SHOUTED_LEAD = re.compile(r"^[A-Z]{4,}[:!]")
BODY_STANCE = ("clickbait", "always", "never")
# what each FNC-1 label says about an article's own body; agree and discuss are the model's weak distinction
# (MODELS.md, headline_stance), so neither is read as more than it is
STANCE_MEANING = {
    "agree": "the body states what the headline says",
    "disagree": "the body contradicts its own headline",
    "discuss": "the body reports or discusses what the headline says without stating it as fact",
    "unrelated": "the body does not address what the headline says",
}


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
    requires = ("title", "sentences")
    assigns = ("headline", "flags")
    english_only = True

    def __init__(self, body_stance: str = "clickbait") -> None:
        if body_stance not in BODY_STANCE:
            raise ConfigError(f"body_stance must be one of {', '.join(BODY_STANCE)}, not {body_stance!r}")
        self.body_stance = body_stance

    def _model(self):
        from ..textmodel import load_model

        return load_model("clickbait")

    def models(self) -> list[ModelInfo]:
        infos = [self._model().info()]
        if self.body_stance != "never":
            from ..headline_stance import load_headline_stance

            infos.append(load_headline_stance().info())
        return infos

    def _stance_to_body(self, doc: Document) -> dict | None:
        from ..headline_stance import load_headline_stance
        from ..stance import LABELS

        body = [s.text for s in doc.sentences]
        if not body or not doc.title:
            return None
        p = load_headline_stance().predict_proba([doc.title], [body])[0]
        j = int(p.argmax())
        return {"label": LABELS[j], "score": round(float(p[j]), 4),
                "probabilities": {k: round(float(v), 4) for k, v in zip(LABELS, p, strict=True)},
                "explanation": f"Headline-vs-body stance model (FNC-1): {STANCE_MEANING[LABELS[j]]}."}

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
        wanted = self.body_stance == "always" or (self.body_stance == "clickbait" and label)
        doc.headline = {"text": doc.title, "clickbait": {"score": round(score, 4), "label": label,
                                                         "model_score": round(p, 4), "cues": cues},
                        "stance_to_body": self._stance_to_body(doc) if wanted else None}
        if label:
            why = "; ".join(f"{c['cue'].replace('_', ' ')} “{c['text']}”" for c in cues)
            doc.flags.append(Flag(
                type="clickbait_headline", start=-1, end=-1, text=doc.title, score=round(score, 4),
                explanation="The headline sensationalises or teases rather than stating what happened"
                + (f" ({why})." if why else f" (clickbait model probability {p:.2f})."),
            ))
        return doc
