"""Loaded language and propaganda techniques (PTC names), as explained spans.

Three sources, merged: curated rules (each with its own explanation), the phrase lexicon learned from the
Propaganda Techniques Corpus, and the PTC span tagger (MiniLM fine-tuned on PTC SI, ``factdesk.tagger``), whose
spans get a technique from the ``propaganda_technique`` model. The PTC-trained sentence classifier gates both
learned sources: the lexicon through its score, the tagger by running only on sentences it scores at or above
``tagger_gate`` (most sentences of a plain story are skipped, which keeps the transformer's cost down).
Where flags overlap, the best-scored one is kept, so one stretch of text is never flagged twice.
Language inside a quotation is still flagged but scored lower: it is the speaker's, not the writer's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ..document import Document, Flag, ModelInfo
from ..pipeline import Stage, register

ANIMALS = r"(?:dogs|rats|vermin|cockroaches|pigs|beasts|animals|insects|parasites|snakes)"


@dataclass(frozen=True)
class Rule:
    pattern: re.Pattern[str]
    type: str
    technique: str | None
    score: float
    explanation: str


def _rule(pattern: str, type_: str, technique: str | None, score: float, explanation: str, flags: int = re.I) -> Rule:
    return Rule(re.compile(pattern, flags), type_, technique, score, explanation)


RULES: tuple[Rule, ...] = (
    _rule(rf"\b(?:\w+(?:\s+down)?\s+)?like\s+(?:wild\s+|rabid\s+|mad\s+|stray\s+)?{ANIMALS}\b", "propaganda",
          "Loaded_Language", 0.9, "Dehumanising comparison: likens people to animals to provoke contempt rather "
          "than to inform."),
    _rule(r"\b(?:vermin|subhumans?|savages|cockroaches)\b", "propaganda", "Name_Calling,Labeling", 0.85,
          "Dehumanising label for people."),
    _rule(r"\bthe Donald\b|\b(?:Crooked|Lyin[g']?|Sleepy|Crazy|Little|Slick)\s+[A-Z][a-z]+\b", "propaganda",
          "Name_Calling,Labeling", 0.85, "Mocking nickname in place of a name: signals the writer's attitude "
          "instead of information.", 0),
    _rule(r"\b(?:libtards?|snowflakes|sheeple|deplorables|feminazis?|moonbats?|wingnuts?|commies|globalists|"
          r"thugs|traitors?|lunatics|morons?|idiots?|puppets?|shills?|crooks?)\b", "propaganda",
          "Name_Calling,Labeling", 0.8, "Insulting label attached to a person or group."),
    _rule(r"\breduced\s+(?:\S+\s+){0,4}?to\s+(?:ashes|rubble|dust|nothing)\b|\bwiped\s+off\s+the\s+map\b|"
          r"\b(?:obliterated|annihilated)\b", "propaganda", "Exaggeration,Minimisation", 0.85,
          "Hyperbole: a sweeping image of total destruction stands in for a measurable outcome."),
    _rule(r"\bis\s+toast\b|\bmassively\b|\b(?:the\s+)?(?:worst|greatest|biggest)\s+(?:\w+\s+)?(?:ever|in\s+history|"
          r"of\s+all\s+time)\b|\b(?:completely|totally|utterly)\s+(?:destroyed|defeated|crushed|wiped\s+out)\b",
          "propaganda", "Exaggeration,Minimisation", 0.7, "Exaggeration: overstates the size or finality of what "
          "happened."),
    _rule(r"\b(?:shocking|outrageous|insane|disgusting|disgraceful|despicable|pathetic|vile|evil|horrific|"
          r"apocalyptic|nightmarish|sickening|treasonous|barbaric|heinous)\b", "loaded_language", "Loaded_Language",
          0.65, "Emotionally charged word: tells the reader how to feel rather than what happened."),
    _rule(r"\b(?:are|is)\s+(?:now\s+)?expected\s+to\s+(?:multiply|explode|skyrocket|soar)\b|\b(?:hordes?|swarms?|"
          r"invasion|flood)\s+of\s+(?:migrants|immigrants|refugees|foreigners|terrorists|jihadists)\b|"
          r"\bexistential\s+threat\b", "propaganda", "Appeal_to_fear-prejudice", 0.75,
          "Appeal to fear: predicts or pictures a looming danger without evidence of its size."),
    _rule(r"\b(?:real\s+Americans|true\s+patriots?|patriotic\s+duty|our\s+great\s+nation|un-American|"
          r"God\s+bless\s+America)\b", "propaganda", "Flag-Waving", 0.75,
          "Flag-waving: appeals to national identity in place of an argument."),
    _rule(r"\b(?:so-called|self-proclaimed|self-styled)\b", "propaganda", "Doubt", 0.6,
          "Casts doubt on a person or thing through a sneer rather than evidence."),
    _rule(r"\b(?:drain\s+the\s+swamp|lock\s+(?:her|him|them)\s+up|build\s+the\s+wall|make\s+\w+\s+great\s+again)\b",
          "propaganda", "Slogans", 0.75, "Political slogan used in place of a claim."),
    _rule(r"\b(?:like|worse\s+than|just\s+as\s+bad\s+as)\s+(?:Hitler|the\s+Nazis|Stalin)\b|\bNazi-style\b",
          "propaganda", "Reductio_ad_hitlerum", 0.8, "Compares a target to Hitler or the Nazis to discredit it."),
    _rule(r"\b(?:everyone|everybody)\s+(?:knows|agrees)\b|\bno\s+one\s+(?:can\s+)?(?:deny|doubt)\b",
          "propaganda", "Bandwagon", 0.7, "Bandwagon: claims universal agreement instead of showing evidence."),
    _rule(r"\bit\s+is\s+what\s+it\s+is\b|\bend\s+of\s+story\b|\bnothing\s+to\s+see\s+here\b", "propaganda",
          "Thought-terminating_Cliches", 0.65, "Cliché that shuts down further thought about the issue."),
    _rule(r"[!?]{2,}|(?<![A-Z])\b[A-Z]{3,}(?:\s+[A-Z]{3,}){1,}\b", "excess_punctuation", None, 0.5,
          "Shouting: repeated punctuation or capitals add emphasis, not information.", 0),
)
HEADLINE_STYLE = re.compile(r"!|[?!]{2,}")


def _inside(quotes: list[tuple[int, int]], s: int, e: int) -> bool:
    return any(qs <= s and e <= qe for qs, qe in quotes)


def merge(flags: list[Flag]) -> list[Flag]:
    """Keep the best flag where spans overlap (higher score, then longer span); others survive untouched."""
    kept: list[Flag] = []
    for f in sorted(flags, key=lambda f: (-f.score, -(f.end - f.start))):
        if not any(f.start < k.end and k.start < f.end for k in kept):
            kept.append(f)
    return sorted(kept, key=lambda f: f.start)


@register
class Language(Stage):
    name = "language"
    requires = ("sentences", "quotes")
    assigns = ("flags",)
    english_only = True

    def __init__(self, lexicon_threshold: float | None = 0.45, *, tagger: bool = True,
                 tagger_threshold: float | None = None, tagger_gate: float | None = None) -> None:
        # 0.45 keeps flags precise in a report a person reads; the threshold in ptc_phrases/meta.json (pass None)
        # maximises PTC span F1 instead, at about three times as many flags (many of them place names)
        self.lexicon_threshold = lexicon_threshold
        # tagger_threshold / tagger_gate: None = the values in ptc_tagger/meta.json (threshold, runtime_gate)
        self.use_tagger = tagger
        self.tagger_threshold = tagger_threshold
        self.tagger_gate = tagger_gate

    def _learned(self):  # the PTC phrase lexicon and sentence gate, loaded once per process
        from ..textmodel import load_model

        return load_model("ptc_phrases"), load_model("propaganda_sentence")

    def _tagging(self):  # the span tagger and the technique model, loaded once per process
        from ..tagger import default_tagger
        from ..textmodel import load_model

        return default_tagger(), load_model("propaganda_technique")

    def models(self) -> list[ModelInfo]:
        lexicon, gate = self._learned()
        infos = [lexicon.info(), gate.info()]
        if self.use_tagger:
            tagger, technique = self._tagging()
            infos += [tagger.info(), technique.info()]
        return infos

    def _tagger_flags(self, doc: Document, probs, quoted: list[tuple[int, int]]) -> list[Flag]:
        tagger, technique_model = self._tagging()
        gate_at = self.tagger_gate
        if gate_at is None:
            gate_at = float((tagger.meta.get("runtime_gate") or {}).get("threshold", 0.0))
        chosen = [(s, float(p)) for s, p in zip(doc.sentences, probs) if float(p) >= gate_at]
        if not chosen:
            return []
        thr, ext = tagger.levels(self.tagger_threshold)
        # the technique model reads the tagger's states of each span too, when it was trained on this tagger's
        with_states = technique_model.reads_states_of(tagger.info().sha256)
        rows, features = [], []
        for (sent, p), t in zip(chosen, tagger.iter_tag([s.text for s, _ in chosen])):
            for a, b, sc in tagger.decode(sent.text, t.words, t.probs, thr, ext):
                rows.append((sent, p, (a, b, sc)))
                if with_states:
                    features.append(t.features(a, b))
        if not rows:
            return []
        states = np.stack(features) if with_states else None
        tech_p = technique_model.predict_proba([sent.text[a:b] for sent, _, (a, b, _) in rows], states)
        labels = technique_model.labels
        out = []
        for (sent, p, (a, b, sc)), tp in zip(rows, tech_p):
            s, e = sent.start + a, sent.start + b
            j = int(tp.argmax())
            technique = labels[j]
            score = float(sc)
            note = (f"The propaganda span tagger (MiniLM fine-tuned on the Propaganda Techniques Corpus) marks this "
                    f"stretch with probability {sc:.2f}; closest technique: "
                    f"{technique.replace('_', ' ').replace(',', ' / ')} ({float(tp[j]):.2f}).")
            if _inside(quoted, s, e):
                score *= 0.6
                note += " (Inside a quotation: the speaker's words.)"
            out.append(Flag(type="loaded_language" if technique == "Loaded_Language" else "propaganda",
                            start=s, end=e, text=doc.text[s:e], score=round(score, 3), technique=technique,
                            explanation=note))
        return out

    def __call__(self, doc: Document) -> Document:
        text = doc.text
        quoted = [(q.start, q.end) for q in doc.quotes]
        found: list[Flag] = []
        for rule in RULES:
            for m in rule.pattern.finditer(text):
                s, e = m.span()
                score, note = rule.score, rule.explanation
                if _inside(quoted, s, e):
                    score, note = round(score * 0.6, 3), note + " (Inside a quotation: the speaker's words.)"
                found.append(Flag(type=rule.type, start=s, end=e, text=m.group(), score=score,
                                  technique=rule.technique, explanation=note))
        lexicon, gate = self._learned()
        threshold = self.lexicon_threshold
        if threshold is None:
            threshold = float(lexicon.meta.get("threshold", 0.45))
        if doc.sentences:
            probs = gate.predict_proba([s.text for s in doc.sentences])
            for sent, p in zip(doc.sentences, probs):
                for hit in lexicon.find(sent.text):
                    score = float(hit.score) * float(p) ** 0.5
                    s, e = sent.start + hit.start, sent.start + hit.end
                    if _inside(quoted, s, e):
                        score *= 0.6
                    if score < threshold:
                        continue
                    technique = hit.technique
                    found.append(Flag(
                        type="loaded_language" if technique == "Loaded_Language" else "propaganda",
                        start=s, end=e, text=hit.text, score=round(score, 3), technique=technique,
                        explanation=f"Phrase typical of {technique.replace('_', ' ').replace(',', ' / ')} in the "
                        f"Propaganda Techniques Corpus; this sentence reads as propaganda with probability {p:.2f}.",
                    ))
            if self.use_tagger:
                found.extend(self._tagger_flags(doc, probs, quoted))
        doc.flags = sorted([*doc.flags, *merge(found)], key=lambda f: (f.start, f.type))
        return doc
