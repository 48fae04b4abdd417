"""How a claim compares with one piece of evidence: dropped qualifiers, changed numbers or dates, altered quotes.

Pure functions over text and :class:`~factdesk.document.Quantity` values, so each rule is testable alone; the
``trace`` stage gathers the evidence and turns these comparisons into verdicts.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass

from .document import Quantity

# Qualifiers that narrow what a number or statement covers. A claim "drops" one when its evidence carries a
# qualifier of a class the claim has none of. Classes, not phrases: "area of operations" in the claim answers
# "does not include western Syria" in the evidence.
QUALIFIERS: dict[str, re.Pattern[str]] = {
    "scope": re.compile(
        r"\b(?:area|areas|zone|zones)\s+of\s+operations?\b|\b(?:does|do|did)\s+not\s+(?:include|cover|count|"
        r"account\s+for|extend\s+to)\b|\bnot\s+(?:including|counting|covering)\b|\bexclud(?:es|ing|ed|e)\b|"
        r"\bexcept(?:\s+for)?\b|\bonly\s+(?:in|within|covers?|counts?|includes?|applies|refers|those)\b|"
        r"\b(?:covers|counts|includes)\s+only\b|\bwith\s+the\s+exception\s+of\b|\boutside\s+(?:of\s+)?(?:the\s+)?"
        r"(?:area|region|zone)s?\b|\bin\s+(?:the\s+)?areas?\s+(?:it|they|we)\s+(?:control|controls|operate|operates)\b",
        re.I),
    "time": re.compile(r"\bso\s+far\b|\bto\s+date\b|\bas\s+of\s+(?:now|today|\w+\s+\d)|\bfor\s+now\b|"
                       r"\bpreliminary\b|\bprovisional\b|\bat\s+the\s+time\b|\buntil\s+further\b", re.I),
    "uncertainty": re.compile(r"\b(?:unconfirmed|could\s+not\s+be\s+(?:independently\s+)?(?:verified|confirmed)|"
                              r"not\s+(?:been\s+)?(?:independently\s+)?(?:verified|confirmed)|"
                              r"alleged(?:ly)?|without\s+(?:providing\s+|offering\s+)?evidence)\b", re.I),
}
# a claim that already hedges its numbers keeps the evidence's "about 3,000"
HEDGE = re.compile(r"\b(?:about|around|roughly|approximately|some|nearly|almost|estimated?|estimates|believed|"
                   r"thought|reportedly|fewer\s+than|less\s+than|more\s+than|at\s+least|up\s+to|as\s+many\s+as)\b",
                   re.I)
# the sentence after an evidence sentence is read with it when it continues the same subject
CONTINUES = re.compile(r"^\s*(?:The|That|This|Those|These|Its|Their)\s+(?:\w+\s+){0,2}?(?:estimate|estimates|figure|"
                       r"figures|number|numbers|count|tally|total|assessment|statement|data)\b|^\s*(?:It|They|That|"
                       r"This)\s+(?:does|do|did|only|excludes|covers|counts|includes|refers|applies|is|was)\b", re.I)
# words in an evidence sentence saying its number is about another time than the claim's
OTHER_TIME = re.compile(r"\b(?:earlier|previous(?:ly)?|prior|before|ago|peak|height|at\s+its\s+(?:peak|height)|"
                        r"had\s+been|once|last\s+(?:year|month|week)|initially|originally|down\s+from|up\s+from)\b",
                        re.I)


def qualifiers(text: str) -> dict[str, str]:
    """Qualifier class → the first phrase of that class in ``text``."""
    out = {}
    for cls, pat in QUALIFIERS.items():
        m = pat.search(text)
        if m:
            out[cls] = m.group(0)
    return out


def dropped_qualifiers(claim: str, evidence: str) -> dict[str, str]:
    """Qualifiers the evidence has and the claim lacks (class → evidence phrase); a hedged claim ("estimated",
    "believed") keeps the evidence's doubt."""
    have = qualifiers(claim)
    hedged = bool(HEDGE.search(claim))
    return {cls: phrase for cls, phrase in qualifiers(evidence).items()
            if cls not in have and not (cls == "uncertainty" and hedged)}


# ------------------------------------------------------------------------------------------------- numbers

_WORD = re.compile(r"[a-z0-9]+")
_GENERIC = frozenset("the a an of in and people those who were are is left remaining remain".split())


def _stem(w: str) -> str:
    return w[:-1] if len(w) > 3 and w.endswith("s") else w


def same_thing(a: str | None, b: str | None, similar: Callable[[str, str], bool] | None = None) -> bool:
    """Whether two counted things ("ISIS fighters", "Islamic State fighters") plausibly name the same thing: they
    share a content word, ``similar`` (e.g. an embedding comparison) says so, or one of them is unnamed."""
    if not a or not b:
        return True
    wa = {_stem(w) for w in _WORD.findall(a.lower())} - _GENERIC
    wb = {_stem(w) for w in _WORD.findall(b.lower())} - _GENERIC
    return bool(wa & wb) or not wa or not wb or (similar is not None and similar(a, b))


def dates_compatible(a: str | None, b: str | None) -> bool:
    """ISO dates at any precision ("2017", "2017-12", "2017-12-05") agree when one is a prefix of the other."""
    if not a or not b:
        return True
    return a.startswith(b) or b.startswith(a)


def close(a: float, b: float, tol: float = 0.01) -> bool:
    return abs(a - b) <= tol * max(abs(a), abs(b), 1e-9)


@dataclass(slots=True)
class NumberCheck:
    """How a claim's quantity relates to one evidence quantity: ``match`` (same value), ``approximate`` (same
    value, but the evidence says "about"/"fewer than" where the claim states it flat), ``changed`` (another value
    for the same thing at the same time), ``date_changed`` (same value and thing, another date)."""

    relation: str
    claim: Quantity
    evidence: Quantity


def compare_quantities(claim_qs: list[Quantity], ev_qs: list[Quantity], *, claim_date: str | None,
                       evidence_date: str | None, evidence_text: str, claim_text: str = "",
                       similar: Callable[[str, str], bool] | None = None) -> list[NumberCheck]:
    """Every comparable (claim quantity, evidence quantity) pair. ``claim_date``/``evidence_date`` stand in for a
    quantity without its own date (the publication dates); an evidence sentence that speaks of another time
    ("earlier", "at its peak") is never read as changing the claim's number."""
    out = []
    other_time = bool(OTHER_TIME.search(evidence_text))
    hedged = bool(HEDGE.search(claim_text))
    for cq in claim_qs:
        for eq in ev_qs:
            if (cq.unit or None) != (eq.unit or None) or not same_thing(cq.entity, eq.entity, similar):
                continue
            cd, ed = cq.date or claim_date, eq.date or evidence_date
            if close(cq.value, eq.value):
                if cq.date and eq.date and not dates_compatible(cq.date, eq.date):
                    out.append(NumberCheck("date_changed", cq, eq))
                elif eq.comparator not in ("=", None) and cq.comparator in ("=", None) and not hedged:
                    out.append(NumberCheck("approximate", cq, eq))
                else:
                    out.append(NumberCheck("match", cq, eq))
            elif dates_compatible(cd, ed) and not other_time and ((cq.entity and eq.entity) or cq.unit):
                out.append(NumberCheck("changed", cq, eq))
    return out


# -------------------------------------------------------------------------------------------------- quotes

_QTOKEN = re.compile(r"\w+(?:['’]\w+)*")


def _tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(0).lower().replace("’", "'"), m.start(), m.end()) for m in _QTOKEN.finditer(text)]


@dataclass(slots=True)
class QuoteMatch:
    match: str  # "exact" | "altered"
    coverage: float  # share of the quote's words found in order in the source
    start: int  # the matched passage in the source text
    end: int


def find_quote(quote: str, source: str, *, min_coverage: float = 0.6) -> QuoteMatch | None:
    """Where ``quote`` appears in ``source``: ``exact`` when its words appear there contiguously and in order
    (punctuation and case aside), ``altered`` when at least ``min_coverage`` of its words align in order around
    one passage; None otherwise."""
    q = _tokens(quote)
    s = _tokens(source)
    if len(q) < 3 or not s:
        return None
    qw = [t for t, _, _ in q]
    sw = [t for t, _, _ in s]
    n = len(qw)
    # exact: a contiguous run
    first = qw[0]
    for i, w in enumerate(sw):
        if w == first and sw[i : i + n] == qw:
            return QuoteMatch("exact", 1.0, s[i][1], s[i + n - 1][2])
    sm = difflib.SequenceMatcher(None, qw, sw, autojunk=False)
    blocks = [b for b in sm.get_matching_blocks() if b.size]
    if not blocks:
        return None
    # keep the blocks around the largest one that stay within a window about the quote's length
    anchor = max(blocks, key=lambda b: b.size)
    window = int(n * 1.6) + 5
    near = [b for b in blocks if abs(b.b - anchor.b) <= window]
    matched = sum(b.size for b in near)
    cov = matched / n
    if cov < min_coverage:
        return None
    lo = min(b.b for b in near)
    hi = max(b.b + b.size for b in near) - 1
    return QuoteMatch("altered", round(cov, 3), s[lo][1], s[hi][2])


GENERIC_SPEAKER = re.compile(r"^(?:an?|the|one|another)\s", re.I)


def different_speakers(a: str | None, b: str | None) -> bool:
    """Two named speakers with no name in common ("Jane Doe" vs "John Roe"); unnamed roles ("an official") never
    count as a different speaker."""
    if not a or not b or GENERIC_SPEAKER.match(a) or GENERIC_SPEAKER.match(b):
        return False
    na = {w.lower() for w in re.findall(r"\b[A-Z][a-z’'-]{2,}\b", a)}
    nb = {w.lower() for w in re.findall(r"\b[A-Z][a-z’'-]{2,}\b", b)}
    return bool(na) and bool(nb) and not (na & nb)
