"""Trace claims and quotes to the evidence archive: related coverage, evidence with stance, verdicts.

For each claim: the archive's best sentences (BM25 + vectors), one or two per story (near-duplicate copies count
once), a stance for each from the shipped stance model, then the comparisons of :mod:`factdesk.verdicts` — a
number or date that changed, a qualifier the claim dropped, a quote with other words or another speaker. The
verdict follows from those findings alone, with the evidence named; with nothing relevant found it stays
``unverified`` (``no_evidence``). Without an archive the stage leaves every claim unverified.
"""

from __future__ import annotations

import functools
import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..document import Claim, Document, Evidence, ModelInfo, Quantity, Quote, Verdict
from ..numbers import A_SCALE_PATTERN, NUMBER_WORD_PATTERN, THOUSANDS_SEPARATOR, VAGUE_MULTIPLES, parse_number
from ..pipeline import Stage, register
from ..verdicts import (
    CONTINUES,
    ESTIMATE_REF,
    OTHER_TIME,
    UNDATED_WINDOW_DAYS,
    NumberCheck,
    compare_quantities,
    cities_in,
    counts_another_group,
    countries_named,
    dateline_country,
    dates_compatible,
    different_speakers,
    dropped_qualifiers,
    event_date,
    find_quote,
    named_apart,
    names_a_thing,
    places_in,
    qualifiers,
    same_thing,
    trend_direction,
    trend_of,
)

DENIAL = re.compile(r"\b(?:not|no|never|denied|denies|deny|false|falsely|incorrect|wrong|untrue|disputed|"
                   r"disputes|rejected|rejects)\b", re.I)
# "denied that …", "rejected claims that …": the sentence says the reported thing is not so
DENIED_THAT = re.compile(r"\b(?:denied|denies|deny|disputed|disputes|rejected|rejects|dismissed|dismisses)\b"
                         r"(?:\s+\w+){0,3}?\s+that\b", re.I)
# a sentence that calls something false: with the claim's number in it, not support (whose statement is false
# is not clear from the words alone)
CALLED_FALSE = re.compile(r"\b(?:false|falsely|incorrect|wrong|untrue|inaccurate|misleading|denied|denies|"
                          r"disputed|disputes|rejected|rejects)\b", re.I)
GIST_TEXTS = 4  # texts whose mean vector stands for the article in the coverage search, at the least
STANCE_NAMES = {"agree": "supports", "disagree": "refutes", "discuss": "discusses", "unrelated": "unrelated"}
_QUOTE_MARKS = "“”\"‘’'«» "


@dataclass(slots=True)
class _Found:
    """One evidence sentence for one claim, with what the comparisons found."""

    hit: Any  # archive SentenceHit
    proba: dict[str, float]
    stance: str
    numbers: list[NumberCheck] = field(default_factory=list)
    dropped: dict[str, list[str]] = field(default_factory=dict)
    context: str = ""  # the evidence sentence plus the sentence continuing it, where the qualifier may sit
    quantities: list[Any] = field(default_factory=list)  # the evidence sentence's own


def _claim_places(doc: Document, claim: Claim) -> tuple[frozenset[str], bool]:
    """The countries a claim is about, and whether the claim names them itself: the places it puts things in, else
    the story's (its headline's, else those its headline and opening put it in) and its cities' countries."""
    if own := places_in(claim.text):
        return own, True
    story = places_in(doc.title or "") or _opening_places(doc.title, doc.text)
    # a city the claim names in another role ("back to the capital Pyongyang"; but also "the Vienna agreement")
    return story | cities_in(claim.text), False


@functools.lru_cache(maxsize=64)  # asked once per claim of the same article
def _opening_places(title: str | None, text: str) -> frozenset[str]:
    return places_in(f"{title or ''}.\n{text[:600]}")


def _in_sentence(f: _Found) -> bool:
    """Whether the evidence sentence itself (not the one after it) carries a dropped qualifier."""
    return any(p in f.hit.sentence for ps in f.dropped.values() for p in ps)




def _digits(text: str) -> str:
    """Digit groups joined ("3,000" → "3000") so a number can be found as one token."""
    return THOUSANDS_SEPARATOR.sub("", text)


def _number_patterns(claim: Claim) -> list[re.Pattern[str]]:
    """Regexes for the claim's quantities written in digits (at least two digits: years and ranks of one digit
    are everywhere)."""
    out = []
    for q in claim.quantities:
        v = q.value
        if v is None or not math.isfinite(v):
            continue
        digits = str(int(v)) if float(v).is_integer() else f"{v:g}"
        if len(digits.replace(".", "")) >= 2:
            out.append(re.compile(rf"(?<![\d.]){re.escape(digits)}(?![\d]|\.\d)"))
    return out


# "across the country": the country the story is set in
THE_COUNTRY = re.compile(r"\b(?:in|across|throughout|around|inside|within|of)\s+the\s+country\b(?!\s+music)", re.I)
_THE_FIGURE = re.compile(r"\b(?:the|its|their|that|this)\s+(?:[\w’'-]+\s+){0,2}?(?:figure|estimate|tally|count)s?\b|"
                         r"\bthe\s+(?:remaining\s+)?(?:number|total)"
                         r"(?=\s+(?:at|to|was|is|stood|had|has|remained|fell|rose|dropped)\b)", re.I)
# "put the number of militants at 3,000": the sentence names what its number counts
_NUMBER_OF = re.compile(r"\b(?:number|count|total|tally)\s+of\s+(?:(?:remaining|surviving|active)\s+)?(?P<thing>(?:(?!(?:in|at|to|on|was|is|were|are|had|has|"
                        r"stood|remaining|left|still)\b)[\w’'-]+\s*){1,3})", re.I)
# a line that links to another story ("READ MORE: …", "Related: …", a headline in a list of links) is no statement
# of the story it sits in
_LINK_LINE = re.compile(r"^\s*(?:(?:READ|Read|read)\s+(?:MORE|More|more|ALSO|Also|also)|RELATED|Related|SEE\s+ALSO|See\s+also|"
                        r"MORE|More\s+on\s+this|WATCH|Watch|LISTEN|PHOTOS?|Photos?|VIDEO|Video)\b[^:\n]{0,20}:|"
                        r"^\s*[-•*–]\s+[^\n]*[^.!?”\"'’\s]\s*$")
_ANY_NUMBER = re.compile(rf"\d|\b(?:{NUMBER_WORD_PATTERN})\b", re.I)
_DATED_NUMBER = re.compile(rf"\A(?=[\s\S]*?(?:\d|\b(?:{NUMBER_WORD_PATTERN})\b))[\s\S]*?\b(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|"
                           r"Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d|ago|earlier|previously|last\s+(?:week|month))\b",
                           re.I)
_NUMBER_WORDS = re.compile(rf"{A_SCALE_PATTERN}|\b(?:{NUMBER_WORD_PATTERN})\b", re.I)


def _carries_number(claim: Claim, patterns: list[re.Pattern[str]], sentence: str) -> bool:
    """Whether ``sentence`` states one of the claim's numbers (of two digits or more), in digits ("3,000") or in
    words ("three thousand")."""
    joined = _digits(sentence)
    if any(p.search(joined) for p in patterns):
        return True
    values = {q.value for q in claim.quantities if q.value is not None and abs(q.value) >= 10}
    return bool(values) and any(parse_number(m.group(0)) in values for m in _NUMBER_WORDS.finditer(sentence))


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def _as_phrase(text: str) -> str:
    """"Fewer than 1,000" from a sentence start, as it reads mid-sentence ("fewer than 1,000"); "ISIS" stays."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _counts_another_group(claim: Claim, ev_qs: list[Any], sentence: str) -> bool:
    """Whether the evidence counts the claim's kind of thing for a group the claim does not name ("fewer than
    1,000 Taliban fighters" against "fewer than 1,000 ISIS fighters")."""
    return any(same_thing(cq.entity, eq.entity) and counts_another_group(cq, eq, claim.text, sentence)
               for cq in claim.quantities for eq in ev_qs)


# "the new estimate only counts …": about the latest number, not an earlier one
_NEW_ESTIMATE = re.compile(r"\b(?:the|its|this)\s+(?:new|latest|current|updated|revised|most\s+recent)\s+"
                           r"(?:[\w’'-]+\s+)?(?:estimate|figure|count|tally|assessment|number)s?\b", re.I)


_DEMONSTRATIVE = re.compile(r"[^\w’']*(?:[\w’']+[^\w’']+){0,10}?(?:that|this|these|those)\s+(?!(?:the|a|an)\s)"
                            r"(?:[\w’']+\s+)?(?:figure|estimate|count|number|tally|total)s?\b", re.I)


def _qualifies(sentence: str, nxt: str, published: str | None = None) -> bool:
    """Whether the sentence after an evidence sentence continues it with a qualifier ("That figure does not
    include …"); a caveat about "the new estimate", or about "the count" after an earlier figure, does not qualify a
    sentence's earlier number ("About three weeks ago, the coalition estimated roughly 3,000")."""
    if CONTINUES.search(nxt) is None or not qualifiers(nxt) or _new_estimate_for_old(sentence, nxt, published):
        return False
    # after an earlier figure ("On Dec. 5 the coalition put the number at some 3,000"), "the count covers only …"
    # is about the story's current figure; "that figure …" is about the one just given
    return _current_count(sentence, published) or _DEMONSTRATIVE.match(nxt) is not None


def _new_estimate_for_old(sentence: str, note: str, published: str | None = None) -> bool:
    """Whether ``note`` is a caveat on "the new estimate" while ``sentence`` leads with an earlier number ("About
    three weeks ago, the coalition estimated roughly 3,000") or states no current one ("In early December the
    coalition had said about 3,000"; not "Fewer than 1,000 remain, down from 3,000 a month ago", whose first
    number is the new one)."""
    if not _NEW_ESTIMATE.search(note):
        return False
    first = next((m for m in _ANY_NUMBER.finditer(sentence) if not _SPAN_OF_TIME.match(sentence, m.end())), None)
    return bool(OTHER_TIME.search(sentence[: first.start() if first else None])) or not _current_count(sentence,
                                                                                                       published)


# "three weeks ago": a number that measures time, not a count
_SPAN_OF_TIME = re.compile(r"\w*\s+(?:days?|weeks?|months?|years?)\b", re.I)


def _names_its_count(claim: Claim, h: Any) -> bool:
    """Whether an evidence sentence with the claim's number says what it counts, when the claim's number counts
    a named thing ("fewer than 1,000 ISIS fighters"): not when that number stands alone as the subject ("Fewer
    than 1,000 have completed training so far"), its counted thing named in another sentence."""
    counted = [q.value for q in claim.quantities if q.value is not None and q.entity and not q.unit]
    if not counted or CONTINUES.search(h.sentence) or _THE_FIGURE.search(h.sentence):
        return True
    same = [q for q in _sentence_quantities(h)
            if q.value is not None and any(math.isclose(q.value, v, rel_tol=0.01) for v in counted)]
    return not same or any(q.entity or q.unit or not _BARE_SUBJECT.match(h.sentence, q.end) for q in same)


def _counted_things(claim: Claim) -> list[str | None]:
    """What the claim's numbers count, or for a claim that a count rose or fell, the counted thing."""
    trend = trend_of(claim.text) if not claim.quantities else None
    return [q.entity for q in claim.quantities] or ([trend[0]] if trend else [])


def _days_after(day: str, days: int) -> str | None:
    """``day`` (YYYY-MM-DD…) plus ``days``, as YYYY-MM-DD; None when ``day`` is no full date."""
    from datetime import date, timedelta

    try:
        return (date.fromisoformat(day[:10]) + timedelta(days=days)).isoformat()
    except ValueError:
        return None


_DURATIONS = frozenset("second seconds minute minutes hour hours day days week weeks month months year years decade "
                       "decades century centuries".split())


OLD_STORY_DAYS = 30  # a story published this long before the article can no longer merely discuss its claims
# a number after a definite article counts things already known: "the two countries", "its three partners"
_KNOWN = re.compile(r"\b(?:the|these|those|its|their)\s+$", re.I)
# a number something has moved from: "down from 3,000", "fallen from around 3,000"
_FROM = re.compile(r"\bfrom\s+$", re.I)
LOCAL_NOTES = 3  # sentences after a count that leads only its own item, read for caveats on it
# a sentence that goes on about the one before it: "The new figure has limits. It reflects only …"
_GOES_ON = re.compile(r"^\W*(?:It|They|This|That|These)\b")


def _caveats(sentences: list[str], lo: int, hi: int, lead: str) -> list[str]:
    """The sentences in ``sentences[lo:hi]`` that narrow the scope of ``lead``'s estimate: naming the estimate ("The
    coalition's tally covers only …") or going on about a sentence that names it ("The new figure has limits. It
    reflects only the territory in which …"), but not giving a new estimate for an old one."""
    return [x for i, x in enumerate(sentences[lo:hi], lo) if "scope" in qualifiers(x)
            and (ESTIMATE_REF.search(x) or (i > lo and _GOES_ON.match(x) and ESTIMATE_REF.search(sentences[i - 1])))
            and not _new_estimate_for_old(lead, x)]


def _dated_to(h: Any, published: str | None) -> bool:
    """Whether an evidence sentence dates one of its numbers to the article's time (``published``)."""
    return any(q.date and dates_compatible(q.date, (published or "")[:7])
               for q in _sentence_quantities(h))


def _current_count(sentence: str, published: str | None) -> bool:
    """Whether a sentence states a count as of its story's date: undated or dated within a few days of it ("on
    Wednesday"), no earlier time in the count's clause ("Three and a half years ago", "45,000 at the group's
    height", "since 2014", "on Dec. 5", "at the start of December")."""
    for q in _quantities_of(sentence, published):
        if q.value is None or (q.unit or "").lower() in _DURATIONS or (
                q.date and not (published and len(q.date) >= 10 and dates_compatible(q.date, published[:10]))):
            continue  # "Three years after …" is a span of time, not a count
        clause = re.split(r"[,;:]\s", sentence[: q.start])[-1] + re.split(r"[,;:]\s", sentence[q.end :])[0]
        if not OTHER_TIME.search(clause):
            return True
    return False


# a number standing for its own subject, doing something the claim's count does not: "Fewer than 1,000 have
# completed training" (not "fewer than 1,000 remain", a count of what is left, as the claim's usually is)
_BARE_SUBJECT = re.compile(r"\s+(?:have|has|had|were|will)\s+(?!(?:still|remained|been\s+left)\b)")


_FIRST_SENTENCE = re.compile(r"[\s\S]*?(?:[.!?](?=\s)|$)")


def _setting(title: str | None, text: str) -> frozenset[str]:
    """The countries a story is set in: its headline's, else its first sentence's, else its opening's (the first
    600 characters), where the places an aside names ("with a little help from Russia and Iran", "foreigners who
    came from Iraq and Syria") would widen the setting; else its dateline's ("KABUL - Islamic State's Afghan
    affiliate has …")."""
    opening = text[:600]
    if found := (places_in(title or "") or places_in(_FIRST_SENTENCE.match(opening).group(0))  # type: ignore[union-attr]
                 or _opening_places(title, text)):
        return found
    country = dateline_country(text)
    return frozenset([country]) if country else frozenset()


@functools.lru_cache(maxsize=1)
def _thread_pools() -> Any:
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def _who(f: _Found) -> str:
    return f.hit.source or f.hit.title or f.hit.doc_id


def _said(f: _Found) -> str:
    """The evidence sentence as cited: in quotation marks unless it carries its own."""
    sentence = f.hit.sentence.strip()
    return sentence if any(m in sentence for m in "“”\"") else f"\u201c{sentence}\u201d"


@register
class Trace(Stage):
    name = "trace"
    requires = ("claims", "quotes", "quantities", "published", "source")
    assigns = ("coverage", "claims", "quotes", "source")
    english_only = True

    def __init__(self, archive: Any = None, *, max_claims: int = 12, k: int = 12, per_story: int = 2,
                 max_evidence: int = 5, min_cosine: float = 0.5, min_coverage: float = 0.5,
                 min_cosine_same_number: float = 0.35, min_cosine_bare_amount: float = 0.7,
                 stance: Any = None, calibration: bool = True) -> None:
        self.archive = archive
        self.max_claims = max_claims
        self.k = k
        self.per_story = per_story
        self.max_evidence = max_evidence
        self.min_cosine = min_cosine
        self.min_coverage = min_coverage
        # a sentence carrying the claim's own number, in a story that covers the same events, may word the rest
        # differently ("3,000 fighters remained in the two countries"): it needs less similarity to count
        self.min_cosine_same_number = min_cosine_same_number
        # an amount that names nothing it counts ("$499", "34.9 percent") is read as changed only by a sentence that
        # says nearly what the claim says: in a story about one watch, every price is "$" something
        self.min_cosine_bare_amount = min_cosine_bare_amount
        self._stance = stance
        self.calibration = calibration  # map raw confidences through models/verdict_calibration
        self._curves: dict[str, Any] | None = None
        self._vec_cache: dict[str, np.ndarray] = {}
        self._source_cache: dict[str, Any] = {}
        self._doc_cache: dict[str, Any] = {}
        self._places_cache: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
        self._notes_cache: dict[str, tuple[str | None, list[str]]] = {}
        self._sentences_cache: dict[str, list[str]] = {}

    # -- models ------------------------------------------------------------------------------------------------

    def stance_model(self) -> Any:
        if self._stance is None:
            from ..stance import load_stance

            self._stance = load_stance()
        return self._stance

    def curves(self) -> dict[str, Any]:
        if self._curves is None:
            self._curves = load_calibration()[0] if self.calibration else {}
        return self._curves

    def models(self) -> list[ModelInfo]:
        if self.archive is None:
            return []
        return [self.stance_model().info()] + ([load_calibration()[1]] if self.calibration else [])

    def _similar(self, a: str, b: str) -> bool:
        """Whether two short noun phrases mean the same ("ISIS jihadists", "Islamic State fighters")."""
        missing = [t for t in (a, b) if t not in self._vec_cache]
        if missing:
            if len(self._vec_cache) > 4096:
                self._vec_cache.clear()
            for t, v in zip(missing, self.archive.encode(missing)):
                self._vec_cache[t] = v
        return float(self._vec_cache[a] @ self._vec_cache[b]) >= 0.5

    # -- the stage ---------------------------------------------------------------------------------------------

    def __call__(self, doc: Document) -> Document:
        if self.archive is None:
            return doc
        # numpy's BLAS threads would spin after each small product here, against ONNX Runtime's threads in the next
        # embedding: one thread is faster overall (README, Speed)
        with _thread_pools().limit(limits=1):
            return self._trace(doc)

    def _trace(self, doc: Document) -> Document:
        from ..archive import derive_doc_id

        doc.archive = str(getattr(self.archive, "path", "")) or None
        own = {derive_doc_id(doc.url, doc.text)} | ({doc.id} if doc.id else set())
        # one embedding pass over the headline and the claims (the lead too when there are few claims) serves both
        # the coverage search and the evidence search: the article's gist without paying for every sentence
        claims = sorted(doc.claims, key=lambda c: (-len(c.quantities), -c.checkworthiness))[: self.max_claims]
        gist = [doc.title] if doc.title else []
        gist += [c.text for c in claims]
        gist += [x.text for x in doc.sentences[: max(0, GIST_TEXTS - len(gist))]]
        gist = list(dict.fromkeys(t for t in gist if t and t.strip())) or [doc.text[:2000]]
        vec_of = dict(zip(gist, self.archive.encode(gist)))
        doc.coverage, groups = self._coverage(doc, own, np.stack(list(vec_of.values())))
        covering_docs = [c["doc_id"] for c in doc.coverage] + [x["doc_id"] for c in doc.coverage for x in c["copies"]]
        empty = not self.archive.has_documents()
        if claims:
            vecs = np.stack([vec_of[c.text] for c in claims])
            for claim, prior in zip(claims, self.archive.prior_checks(vecs)):
                claim.fact_checks = prior
            for claim, vec in zip(claims, vecs):
                found = self._evidence(doc, claim, vec, own, groups, covering_docs)
                counts = self._counts(doc, claim, vec, own, covering_docs, found)
                claim.verdict = self._verdict(claim, found, counts, doc.published)
                cited = [f for f in counts if _said(f) in claim.verdict.explanation]  # the trend check's numbers
                claim.evidence = [self._as_evidence(f) for f in found + cited]
                if empty:
                    claim.verdict.explanation = ("The archive holds no articles yet: add coverage with "
                                                 "`factdesk archive add SOURCES` to trace this claim.")
                if self.calibration:  # evidence verdicts only: a quote found word for word needs no calibrating
                    from ..training.calibrate_verdicts import apply

                    v = claim.verdict
                    v.confidence = round(apply(self.curves(), v.label, v.confidence, v.reasons), 3)
        for quote in doc.quotes:
            quote.traced = self._trace_quote(quote, own)
        for claim in claims:
            self._quote_verdict(doc, claim)
        for claim in doc.claims:
            if claim not in claims:
                claim.verdict = Verdict(explanation="Not traced: only the most check-worthy claims are looked up.")
        self._track_record(doc)
        return doc

    def _track_record(self, doc: Document) -> None:
        """The domain's recorded verdicts; with no rating list entry and ten or more settled claims, they rate it."""
        record = self.archive.track_record(doc.source.get("domain"))
        doc.source["track_record"] = record
        if not record:
            return
        rating = doc.source.setdefault("rating", {"label": "unknown", "score": None, "basis": []})
        settled = record["supported"] + record["misleading"] + record["contradicted"]
        if rating.get("label") == "unknown" and settled >= 10:
            bad = (record["misleading"] + record["contradicted"]) / settled
            rating["label"] = "unreliable" if bad >= 0.5 else "mixed" if bad >= 0.2 else "reliable"
            rating["score"] = round(1.0 - bad, 3)
            rating["basis"] = [*rating.get("basis", []), "archive_track_record"]

    def _coverage(self, doc: Document, own: set[str], vectors: np.ndarray) -> tuple[list[dict[str, Any]], set[int]]:
        """The related stories, best first, and their near-duplicate group ids; for an article set somewhere, only
        stories that name its country (or none)."""
        out = []
        by_group: dict[int, dict[str, Any]] = {}
        # the countries the headline names count too: "Syria peace talks resume in Astana" is about Syria as well
        setting = _setting(doc.title, doc.text) | countries_named(doc.title or "")
        for h in self.archive.related(doc.text, k=8, exclude_url=doc.url, vectors=vectors):
            if h.doc_id in own or h.cosine < self.min_coverage:
                continue
            if setting and (theirs := self._story_places(h.doc_id)[1]) and not setting & theirs:
                continue  # a story about other countries only (kidnapped schoolgirls in Nigeria for students
                # missing in Mexico) is not coverage of this one, however alike the wording
            if h.group_id in by_group:  # a syndicated copy: listed under the story, not as another one
                by_group[h.group_id]["copies"].append({"doc_id": h.doc_id, "url": h.url, "title": h.title,
                                                       "source": h.source})
                continue
            by_group[h.group_id] = {"doc_id": h.doc_id, "url": h.url, "title": h.title, "source": h.source,
                                    "published": h.published, "similarity": round(float(h.cosine), 3), "copies": []}
            out.append(by_group[h.group_id])
        return sorted(out, key=lambda c: -c["similarity"]), set(by_group)

    def _source(self, d: Any) -> Any:
        """The archive document as a :class:`~factdesk.verdicts.SourceText`, kept for the next quotes."""
        from ..verdicts import SourceText

        cache = self._source_cache
        if d.doc_id not in cache:
            if len(cache) > 256:
                cache.clear()
            cache[d.doc_id] = SourceText(d.text)
        return cache[d.doc_id]

    def _doc(self, doc_id: str) -> Any:
        """An archive document, kept for the next claims and articles (a stored document never changes)."""
        cache = self._doc_cache
        if doc_id not in cache:
            if len(cache) > 512:
                cache.clear()
            cache[doc_id] = self.archive.get(doc_id)
        return cache[doc_id]

    def _sentences(self, doc_id: str) -> list[str]:
        """An archive document's sentences, kept for the next claims (scope notes, what "the tally" refers to)."""
        cache = self._sentences_cache
        if doc_id not in cache:
            if len(cache) > 1024:
                cache.clear()
            from ..archive.store import sentence_spans

            d = self._doc(doc_id)
            cache[doc_id] = [d.text[a:b] for a, b in sentence_spans(d.text)] if d else []
        return cache[doc_id]

    def _position(self, h: Any) -> int | None:
        """Where the evidence sentence ``h`` stands among its archive document's sentences."""
        norm = _norm(h.sentence)
        return next((i for i, x in enumerate(self._sentences(h.doc_id)) if _norm(x) == norm), None)

    def _story_places(self, doc_id: str) -> tuple[frozenset[str], frozenset[str]]:
        """An archive story's setting (see ``_setting``) and every country it names (as a place, an actor or a
        nationality)."""
        cache = self._places_cache
        if doc_id not in cache:
            if len(cache) > 4096:
                cache.clear()
            d = self._doc(doc_id)
            setting = _setting(d.title, d.text) if d else frozenset()
            cache[doc_id] = (setting, setting | countries_named(f"{d.title or ''}\n{d.text}")) if d else (
                frozenset(), frozenset())
        return cache[doc_id]

    def _counts_other_things(self, claim: Claim, ev_qs: list[Any]) -> bool:
        """Whether the claim's numbers (or the count a trend claim is about) and the evidence's all say what they
        count, and none of the evidence's counts what the claim's count ("2,000 U.S. troops" or "3,000 prisoners"
        against "1,000 ISIS fighters")."""
        things = _counted_things(claim)
        if not things or not ev_qs or not all(things) or not all(q.entity for q in ev_qs):
            return False
        return not any(same_thing(t, eq.entity, self._similar) and not named_apart(t, eq.entity)
                       for t in things for eq in ev_qs)

    def _refers_to_other_things(self, claim: Claim, h: Any, checks: list[NumberCheck], ev_qs: list[Any]) -> bool:
        """Whether the evidence's numbers name no counted thing but refer to "the tally" / "its estimate" of the
        sentence before it, which counts another thing than the claim ("The coalition's tally remains under 1,000"
        after "at least 817 civilians have been killed"); a number that names its thing, or differs from the
        claim's, is judged on its own."""
        things = _counted_things(claim)
        if (not ev_qs or not things or not all(things) or any(q.entity for q in ev_qs)
                or any(c.relation not in ("match", "approximate") for c in checks)
                or not ESTIMATE_REF.search(h.sentence)):
            return False
        sentences = self._sentences(h.doc_id)
        at = self._position(h)
        if not at:
            return False
        before = sentences[at - 1]
        # "the two countries": things already known, not a count "the number" could go on about
        named = [q.entity for q in _quantities_of(before, h.published)
                 if q.entity and q.text.strip().lower() not in VAGUE_MULTIPLES and not _KNOWN.search(before, 0, q.start)]
        return bool(named) and not any(same_thing(t, e, self._similar) for t in things for e in named)

    def _scope_notes(self, h: Any) -> list[str]:
        """When ``h`` states its story's lead figure (its first current count): the later sentences that refer to
        "the estimate" / "the coalition's tally" and narrow its scope ("covers only the territory where it
        operates"). A feature that opens on history ("Three and a half years ago", "20,000 fighters since 2014")
        and explains "what the number does and does not measure" far below leads with its first current figure."""
        if h.doc_id not in self._notes_cache:
            if len(self._notes_cache) > 1024:
                self._notes_cache.clear()
            sentences = self._sentences(h.doc_id)
            at = next((i for i, x in enumerate(sentences) if _ANY_NUMBER.search(x) and _current_count(x, h.published)),
                      None)
            lead = sentences[at] if at is not None else None
            notes = _caveats(sentences, at + 1, len(sentences), lead) if lead is not None else []
            self._notes_cache[h.doc_id] = (lead, notes)
        lead, notes = self._notes_cache[h.doc_id]
        if lead is not None and _norm(lead) == _norm(h.sentence):
            return notes
        # a count that leads only its own item (a live page's entry, a roundup's story): the next few sentences
        if not _current_count(h.sentence, h.published):
            return []
        at = self._position(h)
        if at is None:
            return []
        return _caveats(self._sentences(h.doc_id), at + 1, at + 1 + LOCAL_NOTES, h.sentence)

    def _about_elsewhere(self, h: Any, where: frozenset[str], own_places: bool, covering: set[str],
                         numbered: bool) -> bool:
        """Whether an evidence sentence is about other countries than the claim's: the ones it puts itself in; a
        sentence saying "the country" is where its story is set. A sentence naming none, for a claim naming its
        places or in a story outside the coverage: where its story is set when it states the claim's number
        (``numbered``; "KABUL - … has roughly 1,000 fighters left in the province of Nangarhar"), and about
        something else in a story that names countries, never the claim's ("Around 1,000 fighters are still
        believed held" in a story on Ukraine)."""
        if not where:
            return False
        here = places_in(h.sentence)
        the_country = THE_COUNTRY.search(h.sentence) is not None
        if here and not the_country:
            return not here & where
        if not (the_country or own_places or h.doc_id not in covering):
            return False
        setting, named = self._story_places(h.doc_id)
        if setting and (numbered or the_country):
            return not setting & where
        return bool(named) and not named & where

    def _previous_cosine(self, sentence_id: int, vec: np.ndarray) -> float:
        """Cosine between a claim's vector and the archive sentence before ``sentence_id`` (0 when there is none)."""
        prev = self.archive.previous_sentence_ids([sentence_id])[0]
        if prev is None:
            return 0.0
        return float(self.archive.sentence_vectors([prev])[0] @ vec)

    def _evidence(self, doc: Document, claim: Claim, vec: np.ndarray, own: set[str],
                  covering: set[int] | None = None, covering_docs: list[str] | None = None) -> list[_Found]:
        hits = self.archive.search_sentences(claim.text, k=self.k, vector=vec)
        if claim.quantities and covering_docs:
            # the covering stories' sentences that state the claim's number, however unlike the claim otherwise
            seen = {h.sentence_id for h in hits}
            hits += [h for h in self.archive.sentences_stating([q.value for q in claim.quantities], covering_docs,
                                                               vector=vec) if h.sentence_id not in seen]
        # a sentence with the claim's own number goes first, so the per-story cap keeps it over looser matches
        numbers = _number_patterns(claim)
        with_number = ({h.sentence_id for h in hits if _carries_number(claim, numbers, h.sentence)}
                       if claim.quantities else set())
        if with_number:
            hits = sorted(hits, key=lambda h: h.sentence_id not in with_number)
        claim_norm = _norm(claim.text)
        where, own_places = _claim_places(doc, claim)
        # a story published more than a week after the article reports a later state of things; it is evidence
        # only where it dates what it says to the claim's time ("In December the coalition said …")
        later_than = _days_after(doc.published, UNDATED_WINDOW_DAYS) if doc.published else None
        # a story from over a month before the article may confirm or refute (history: "45,000 at its height"),
        # but it cannot merely discuss what the article reports
        earlier_than = _days_after(doc.published, -OLD_STORY_DAYS) if doc.published else None
        covering_ids = set(covering_docs or ())
        per_group: dict[int, int] = {}
        seen_text: list[str] = []
        kept = []
        for h in hits:
            same_number = (h.sentence_id in with_number and h.group_id in (covering or ())
                           and _names_its_count(claim, h))
            floor = self.min_cosine_same_number if same_number else self.min_cosine
            cosine = h.cosine or 0.0
            if same_number and cosine < floor and CONTINUES.search(h.sentence):
                # "The figure was about 3,000 at the start of the month": a sentence that continues the one before
                # it takes its subject from that one, so it is as close to the claim as the two read together
                cosine = max(cosine, self._previous_cosine(h.sentence_id, vec))
            if h.doc_id in own or (doc.url and h.url == doc.url) or cosine < floor or _LINK_LINE.match(h.sentence):
                continue
            if _norm(h.sentence) == claim_norm and h.doc_id in own:
                continue
            if per_group.get(h.group_id, 0) >= self.per_story:
                continue
            if self._about_elsewhere(h, where, own_places, covering_ids, h.sentence_id in with_number):
                continue  # a number for another country ("3,000 fighters in Afghanistan") is not this claim's
            if later_than and (h.published or "")[:10] > later_than and not _dated_to(h, doc.published):
                continue
            norm = _norm(h.sentence)
            if any(norm in k or k in norm for k in seen_text):
                continue  # the same sentence in another outlet: a syndicated copy, not independent confirmation
            seen_text.append(norm)
            per_group[h.group_id] = per_group.get(h.group_id, 0) + 1
            kept.append(h)
        if not kept:
            return []
        from ..stance import LABELS as labels
        ev_vecs = self.archive.sentence_vectors([h.sentence_id for h in kept])
        proba = self.stance_model().predict_proba([claim.text] * len(kept), [[h.sentence] for h in kept],
                                                  claim_vecs=np.repeat(vec[None, :], len(kept), axis=0),
                                                  body_vecs=[v[None, :] for v in ev_vecs])
        found = []
        for h, p, nxt in zip(kept, proba, self.archive.next_sentences([h.sentence_id for h in kept])):
            pd = {STANCE_NAMES[lab]: float(x) for lab, x in zip(labels, p)}
            context = h.sentence + (" " + nxt if nxt and _qualifies(h.sentence, nxt, h.published) else "")
            ev_qs = _sentence_quantities(h)
            checks = compare_quantities(claim.quantities, ev_qs, claim_date=doc.published,
                                        evidence_date=h.published, evidence_text=h.sentence,
                                        # the attribution cue hedges a split-off clause too ("it was estimated that
                                        # 3000 …, not to mention the 45,000 …")
                                        claim_text=" ".join(filter(None, (claim.text, claim.attribution.cue))),
                                        similar=self._similar,
                                        bare_amounts=(h.cosine or 0.0) >= self.min_cosine_bare_amount)
            if self._refers_to_other_things(claim, h, checks, ev_qs):
                continue  # "The coalition's tally remains under 1,000", after "at least 817 civilians were killed"
            if not checks and (_counts_another_group(claim, ev_qs, h.sentence)
                               or self._counts_other_things(claim, ev_qs)):
                continue  # its numbers count another group ("1,000 Taliban fighters") or other things ("2,000 U.S.
                # troops" against "1,000 ISIS fighters"): not about this claim
            stance = max(pd, key=pd.get)
            same_number = any(c.relation in ("match", "approximate") for c in checks)
            if same_number and DENIED_THAT.search(h.sentence):
                stance = "refutes"  # "X denied that fewer than 1,000 remain"
            elif same_number and CALLED_FALSE.search(h.sentence):
                stance = "refutes" if stance == "refutes" else "discusses"
            elif same_number and (stance in ("unrelated", "discusses") or not DENIAL.search(h.sentence)):
                stance = "supports"  # the same number for the same thing is direct support, unless denied
            elif claim.quantities and not same_number and any(c.relation == "changed" for c in checks):
                stance = "refutes"  # another number for the same thing at the same time
            elif claim.quantities and not same_number and stance == "supports":
                stance = "discusses"  # a sentence without the claim's number cannot confirm the number
            if stance == "discusses" and earlier_than and h.published and h.published[:10] < earlier_than:
                continue
            if stance == "discusses" and where and not places_in(h.sentence):
                setting = self._story_places(h.doc_id)[0]
                if setting and not setting & where:
                    continue  # a story set elsewhere may confirm or refute the claim, not merely touch on it
            f = _Found(h, pd, stance, checks, context=context, quantities=ev_qs)
            # a qualifier near a sentence's main number is about that number: when the claim's number is a
            # secondary one there ("…, down from 3,000", "That figure, which has fallen from around 3,000, applies
            # solely to …"), the qualifier is not read as dropped from the claim
            primary = not claim.quantities or any(
                c.evidence is ev_qs[0] and not _FROM.search(h.sentence, 0, c.evidence.start)
                for c in checks if c.relation in ("match", "approximate"))
            if stance == "supports" and primary:
                f.dropped = dropped_qualifiers(claim.text, context)
                if "scope" not in f.dropped and (notes := self._scope_notes(h)):
                    # the story's lead figure, qualified further down ("The coalition's tally covers only …")
                    f.context = context = f"{context} {' '.join(notes)}"
                    f.dropped = dropped_qualifiers(claim.text, context)
            found.append(f)
        found = [f for f in found if f.stance != "unrelated"]
        # a sentence as like the claim as evidence must be that gives the claim's number for the same thing goes
        # before looser ones ("In early December, around December 5, the coalition estimated roughly 3,000 fighters
        # were left", below lines repeating another figure); one let in only for its number does not
        found.sort(key=lambda f: (not (any(c.relation in ("match", "approximate") for c in f.numbers)
                                       and (f.hit.cosine or 0.0) >= self.min_cosine), -(f.hit.cosine or 0.0)))
        return found[: self.max_evidence]

    def _counts(self, doc: Document, claim: Claim, vec: np.ndarray, own: set[str],
                covering_docs: list[str], found: list[_Found]) -> list[_Found]:
        """For a claim that a count rose or fell: the covering stories' sentences that state numbers, beyond the
        evidence already found ("The coalition's previous estimate … put the number of fighters at 3,000" is
        seldom like the claim in words or meaning). The trend check reads their dated numbers."""
        if claim.quantities or not covering_docs or not trend_of(claim.text):
            return []
        seen = {f.hit.sentence_id for f in found}
        where = _claim_places(doc, claim)[0]
        out = []
        # the sentences with numbers most like the claim, and those with a dated number however unlike it ("Around
        # December 5, a coalition spokesman had put the remaining total at roughly 3,000")
        hits = self.archive.sentences_matching(_ANY_NUMBER, covering_docs, vec, limit=self.k)
        hits += self.archive.sentences_matching(_DATED_NUMBER, covering_docs, vec, limit=self.k)
        for h in hits:
            if h.sentence_id in seen:
                continue
            seen.add(h.sentence_id)
            # a number from a story set elsewhere counts something else, however related the story
            if h.doc_id in own or self._about_elsewhere(h, where, True, set(), True):
                continue
            qs = _sentence_quantities(h)
            if self._refers_to_other_things(claim, h, [], qs):
                continue  # "The coalition's tally remains under 1,000", a tally of civilians killed
            out.append(_Found(h, {}, "discusses", quantities=qs))
        return out

    def _trend_verdict(self, claim: Claim, found: list[_Found], published: str | None = None) -> Verdict | None:
        """A claim that a count rose or fell, against the evidence's dated numbers for the same thing: the earliest
        and the latest of them show the direction (or overlap and settle nothing). A count dated more than a week
        after the article was published is left out: the claim cannot be about it."""
        trend = trend_of(claim.text)
        if trend is None:
            return None
        thing, claimed = trend
        latest = _days_after(published, UNDATED_WINDOW_DAYS) if published else None
        points = []
        for f in found:
            for q in f.quantities:
                when = event_date(q, f.hit.published) or f.hit.published
                # an unnamed number counts when its sentence names the thing ("put the number of fighters at 3,000")
                # or when it is "the figure" / "the coalition's estimate" of a story about the count
                named = (same_thing(thing, q.entity, self._similar) if q.entity
                         else same_thing(thing, f.hit.sentence) and thing.split()[-1].lower() in f.hit.sentence.lower()
                         or _THE_FIGURE.search(f.hit.sentence) is not None
                         or any(same_thing(thing, m["thing"].strip(), self._similar)
                                for m in _NUMBER_OF.finditer(f.hit.sentence)))
                # "2,000 U.S. troops", "3,000 militia fighters … from Mosul": members of another group; "300
                # people" (killed): a count of anyone is no count of the claim's thing
                named = (named and not counts_another_group(thing, q, "", f.hit.sentence)
                         and (not q.entity or names_a_thing(q.entity)))
                if (when and named and q.text.strip().lower() not in VAGUE_MULTIPLES
                        and (latest is None or when[:10] <= latest)):
                    points.append((when[:10], q, f))
        if len({w for w, _, _ in points}) < 2:
            return None
        # the earliest and the latest date; on a date, the most relevant sentence
        d0, q0, f0 = min(points, key=lambda x: (x[0], -(x[2].hit.cosine or 0.0)))
        d1, q1, f1 = max(points, key=lambda x: (x[0], x[2].hit.cosine or 0.0))
        moved = trend_direction(q0, q1)
        if moved == 0:
            return None
        shown = (f"{_who(f0)} gives {_as_phrase(q0.text)} {q0.entity or thing} on {d0} ({_said(f0)}); "
                 f"{_who(f1)} gives {_as_phrase(q1.text)} on {d1} ({_said(f1)}).")
        best = min((f0.hit.cosine or 0.0), (f1.hit.cosine or 0.0))
        confidence = round(min(0.95, 0.35 + 0.6 * best), 3)
        if moved == claimed:
            return Verdict("supported", confidence, [], f"The evidence shows the {'rise' if moved > 0 else 'fall'}: "
                                                        + shown)
        return Verdict("contradicted", confidence, [],
                       f"The evidence shows a {'rise' if moved > 0 else 'fall'}, not a "
                       f"{'rise' if claimed > 0 else 'fall'}: " + shown)

    @staticmethod
    def _as_evidence(f: _Found) -> Evidence:
        h = f.hit
        score = round(float((h.cosine or 0.0) * f.proba.get(f.stance, 1.0)), 4) if f.stance in f.proba else 0.0
        return Evidence(doc_id=h.doc_id, sentence=h.sentence, stance=f.stance,  # type: ignore[arg-type]
                        score=score, url=h.url, title=h.title, source=h.source, published=h.published)

    def _verdict(self, claim: Claim, found: list[_Found], counts: list[_Found] | None = None,
                 published: str | None = None) -> Verdict:
        """``counts``: more dated numbers for a trend claim (``_counts``), read by the trend check only;
        ``published``: the checked article's date."""
        # the covering stories' dated numbers can show a trend where no sentence is like the claim
        trend = self._trend_verdict(claim, found + (counts or []), published) if not claim.quantities else None
        if trend is not None:
            return trend
        if not found:
            return Verdict(label="unverified", confidence=0.5, reasons=["no_evidence"],
                           explanation="No article in the archive addresses this claim.")
        changed = [f for f in found if any(c.relation == "changed" for c in f.numbers)
                   and not any(c.relation in ("match", "approximate") for c in f.numbers)]
        matched = [f for f in found if any(c.relation in ("match", "approximate") for c in f.numbers)]
        date_changed = [f for f in found if any(c.relation == "date_changed" for c in f.numbers)]
        supports = [f for f in found if f.stance == "supports"]
        refutes = [f for f in found if f.stance == "refutes"]
        def conf(fs: list[_Found], key: str) -> float:
            """Higher the more relevant the evidence and the surer its stance; a matching number counts as sure."""
            best = max((f.hit.cosine or 0.0) * (1.0 if any(c.relation != "changed" for c in f.numbers)
                                                else f.proba.get(key, 0.5)) for f in fs)
            return round(min(0.95, 0.35 + 0.6 * best), 3)

        if changed and not matched:
            f = changed[0]
            c = next(c for c in f.numbers if c.relation == "changed")
            return Verdict("misleading", conf([f], "discusses"), ["number_changed"],
                           f"The claim gives {c.claim.text!r} where {_who(f)} gives {c.evidence.text!r}: {_said(f)}")
        if date_changed and not any(c.relation == "match" for f in found for c in f.numbers):
            f = date_changed[0]
            c = next(c for c in f.numbers if c.relation == "date_changed")
            return Verdict("misleading", conf([f], "supports"), ["date_changed"],
                           f"The claim dates {c.claim.text!r} to {c.claim.date}; {_who(f)} dates it to "
                           f"{c.evidence.date}: {_said(f)}")
        if supports and refutes and {f.hit.group_id for f in supports} != {f.hit.group_id for f in refutes}:
            return Verdict("unverified", 0.5, ["conflicting_evidence"],
                           f"Evidence points both ways: {_who(supports[0])} supports it ({_said(supports[0])}); "
                           f"{_who(refutes[0])} disputes it ({_said(refutes[0])}).")
        if refutes and not supports:
            return Verdict("contradicted", conf(refutes, "refutes"), [],
                           f"{_who(refutes[0])} contradicts it: {_said(refutes[0])}")
        if supports:
            # a qualifier in the evidence sentence itself is the clearest citation
            drops = sorted((f for f in supports if f.dropped), key=lambda f: not _in_sentence(f))
            approx = [f for f in supports if any(c.relation == "approximate" for c in f.numbers)]
            if drops:
                f = drops[0]
                phrases = list(dict.fromkeys(p for d in drops for ps in d.dropped.values() for p in ps))
                phrases = [p for p in phrases if not any(p != q and p in q for q in phrases)][:4]
                quoted = ", ".join(f"\u201c{p}\u201d" for p in phrases)
                return Verdict("misleading", conf([f], "supports"), ["missing_context"],
                               f"{_who(f)} reports the same but qualifies it ({quoted}), context the claim drops: "
                               f"{_said(f)}" + ("" if _in_sentence(f) else
                                                f" The qualifier follows in the same report: "
                                                f"\u201c{f.context[len(f.hit.sentence):].strip()}\u201d"))
            if approx:
                f = approx[0]
                c = next(c for c in f.numbers if c.relation == "approximate")
                return Verdict("misleading", conf([f], "supports"), ["missing_context"],
                               f"The claim states {c.claim.text!r} flatly; {_who(f)} says {c.evidence.text!r}: "
                               f"{_said(f)}")
            return Verdict("supported", conf(supports, "supports"), [],
                           f"{_who(supports[0])} supports it: {_said(supports[0])}")
        return Verdict("unverified", 0.5, ["no_evidence"],
                       f"Related coverage discusses this but neither confirms nor refutes it ({_who(found[0])}: "
                       f"{_said(found[0])}).")

    # -- quotes --------------------------------------------------------------------------------------------------

    def _trace_quote(self, quote: Quote, own: set[str]) -> dict[str, Any] | None:
        inner = quote.text.strip(_QUOTE_MARKS)
        if len(inner.split()) < 5:
            return None
        query = " ".join(inner.split()[:40])
        seen: list[str] = []
        for h in self.archive.search_sentences(query, k=8, mode="bm25"):
            if h.doc_id not in own and h.doc_id not in seen:
                seen.append(h.doc_id)
        best: tuple[Any, Any] | None = None
        for doc_id in seen[:5]:
            d = self._doc(doc_id)
            if d is None:
                continue
            m = find_quote(inner, self._source(d))
            if m and (best is None or (m.match, m.coverage) > (best[1].match, best[1].coverage)):
                best = (d, m)
                if m.match == "exact":
                    break
        if best is None:
            return {"match": "none", "original": None, "original_speaker": None}
        d, m = best
        speaker = _speaker_at(d.text, m.start, m.end)
        return {"doc_id": d.doc_id, "url": d.url, "title": d.title, "match": m.match,
                "original": d.text[m.start : m.end] if m.match != "exact" else None,
                "original_speaker": speaker, "coverage": m.coverage,
                "misattributed": different_speakers(quote.speaker, speaker, d.text)}

    def _quote_verdict(self, doc: Document, claim: Claim) -> None:
        """A claim that is a quotation: its trace decides quote_altered / misattributed, or confirms it."""
        quote = next((q for q in doc.quotes if q.start <= claim.start < q.end or claim.start <= q.start < claim.end),
                     None)
        if quote is None or not quote.traced or quote.traced.get("match") in (None, "none"):
            return
        t = quote.traced
        where = t.get("url") or (f"\u201c{t['title']}\u201d" if t.get("title") else t.get("doc_id"))
        reasons = []
        if t["match"] == "altered":
            reasons.append("quote_altered")
        if t.get("misattributed"):
            reasons.append("misattributed")
        v = claim.verdict
        if reasons:
            text = []
            if "quote_altered" in reasons:
                text.append(f"the words differ from the original in {where}: \u201c{t.get('original')}\u201d")
            if "misattributed" in reasons:
                text.append(f"the source attributes it to {t.get('original_speaker')}, not {quote.speaker}")
            claim.verdict = Verdict("misleading", 0.8, reasons, "Quote traced, but " + "; and ".join(text) + ".")
        elif v.label in ("unverified", "supported") and "conflicting_evidence" not in v.reasons:
            share = float(t.get("coverage") or 1.0)
            said = ("The quotation appears word for word in" if share >= 1.0 else
                    f"Part of the quotation ({share:.0%} of its words) appears word for word in")
            claim.verdict = Verdict("supported", max(v.confidence, 0.85 if share >= 1.0 else 0.7), [],
                                    f"{said} {where}."
                                    + (" " + v.explanation if v.label == "supported" else ""))


@functools.cache
def load_calibration() -> tuple[dict[str, Any], ModelInfo]:
    """The shipped verdict calibration (breakpoints per verdict group), sha256-checked like every artifact."""
    from ..errors import ModelError
    from ..textmodel import MODELS_ROOT, _read_meta, _verify

    d = MODELS_ROOT / "verdict_calibration"
    meta = _read_meta("verdict_calibration", d)
    path = _verify("verdict_calibration", d, meta, "calibration.json")
    try:
        curves = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ModelError(f"model 'verdict_calibration': cannot read {path}: {e}") from None
    return curves, ModelInfo(name="verdict_calibration", version=str(meta.get("version", "")), sha256=meta.get("sha256"))


def _speaker_at(text: str, start: int, end: int) -> str | None:
    """The speaker our own quote analysis finds for the quotation around ``text[start:end]``."""
    for qs, qe, speaker in _quotes_in(text):
        if qs <= start + 1 and end - 1 <= qe or (qs < end and start < qe):
            return speaker
    return None


@functools.lru_cache(maxsize=256)
def _quotes_in(text: str) -> tuple[tuple[int, int, str | None], ...]:
    """An archive document's quotations and their speakers, by our own quote analysis (kept for the next quote)."""
    from ..pipeline import REGISTRY

    d = Document(text=text)
    for name in ("segment", "quotes"):
        d = REGISTRY[name]()(d)
    return tuple((q.start, q.end, q.speaker) for q in d.quotes)


def _sentence_quantities(h: Any) -> list[Quantity]:
    """The quantities of an archive sentence (the same sentences come back claim after claim; any sentence's are
    kept by ``_quantities_of``)."""
    return list(_quantities_of(h.sentence, h.published))


@functools.lru_cache(maxsize=8192)
def _quantities_of(sentence: str, published: str | None) -> tuple[Quantity, ...]:
    from .quantities import find_quantities

    return tuple(find_quantities(sentence, 0, len(sentence), published))
