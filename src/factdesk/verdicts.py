"""How a claim compares with one piece of evidence: dropped qualifiers, changed numbers or dates, altered quotes.

Pure functions over text and :class:`~factdesk.document.Quantity` values, so each rule is testable alone; the
``trace`` stage gathers the evidence and turns these comparisons into verdicts.
"""

from __future__ import annotations

import bisect
import difflib
import functools
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from .document import Quantity
from .numbers import TENS, UNITS, VAGUE_MULTIPLES, split_rate

# "the estimate", "the coalition's tally", "that figure": words naming a story's estimate, after a determiner
_ESTIMATE = r"\s+(?:[\w’'-]+\s+){0,2}?(?:estimate|figure|number|count|tally|total|assessment"


# Qualifiers that narrow what a number or statement covers. A claim "drops" one when its evidence carries a
# qualifier of a class the claim has none of. Classes, not phrases: "area of operations" in the claim answers
# "does not include western Syria" in the evidence.
QUALIFIERS: dict[str, re.Pattern[str]] = {
    "scope": re.compile(
        r"\b(?:area|areas|zone|zones)\s+of\s+operations?\b|\b(?:(?:does|do|did)\s+not|(?:doesn|don|didn)['’]t)\s+"
        r"(?:include|cover|count|account\s+for|extend\s+to|take\s+into\s+account|reflect)\b|"
        r"\b(?:is|are|was|were)(?:\s+not|n['’]t)\s+(?:part\s+of|included\s+in|counted\s+in|covered\s+by)\s+"
        r"(?:the|that|this|its|their)\s+(?:[\w-]+\s+)?(?:estimate|figure|count|tally|number|total|assessment)s?\b|"
        r"\bnot\s+(?:including|counting|covering)\b|\bexclud(?:es|ing|ed|e)\b|"
        r"\bexcept(?:\s+for)?\b|\bonly\s+(?:in|within|covers?|counts?|includes?|applies|refers|those)\b|"
        r"\b(?:covers?|counts?|includes?)\s+(?:only|just)\b|\bwith\s+the\s+exception\s+of\b|"
        r"\boutside\s+(?:of\s+)?(?:the\s+|its\s+|their\s+)?(?:[\w’'-]+\s+){0,2}?(?:area|region|zone|territor(?:y|ie))s?\b|"
        r"\bin\s+(?:the\s+)?areas?\s+(?:it|they|we)\s+(?:control|controls|operate|operates)\b|"
        r"\b(?:limited|restricted|confined)\s+to\b|"
        r"\b(?:leaves?|leaving|left)\s+out\b|"
        r"\b(?:and|but)\s+not\s+(?:to|in|for|across|inside)\b|"
        # the same restriction in other words: "applies only to", "solely for", "is for the territory where",
        # "are not counted", "omits", "falls outside the estimate", "its operating area", "covers X only"
        r"\b(?:appl(?:y|ies)|refers?|relates?|pertains?)\s+(?:only|solely|exclusively|just)\s+to\b|"
        r"\bonly\s+(?:for|within)\b|\b(?:solely|exclusively)\s+(?:for|to|in|within)\b|"
        r"\b(?:territor(?:y|ies)|areas?|places?|regions?|parts?|zones?|ground)\s+(?:where|in\s+which)\b|"
        # "only reaches as far as", "reflects only", "sit outside that tally"
        r"\bonly\s+(?:reach|extend|stretch|go)(?:es|s)?\b|"
        r"\b(?:reflects?|measures?|captures?|tracks?|describes?)\s+only\b|"
        r"\boutside\s+(?:the|that|this|its|their)" + _ESTIMATE + r")s?\b|"
        r"\bnot\s+(?:included|counted|covered)\b|\bomit(?:s|ted|ting)?\b|\b(?:leaves?|leaving)\s+aside\b|"
        r"\bfalls?\s+outside\b|\bbeyond\s+the\s+scope\b|"
        r"\b(?:operating|operational)\s+(?:area|zone|theat(?:re|er))s?\b|"
        r"\b(?:areas?|zones?|territor(?:y|ies))\s+(?:it|they|we)\s+(?:controls?|operates?|monitors?|holds?)\b|"
        r"\b(?:concerns|applies|refers)\s+(?:only|just|solely|exclusively)\b|"
        r"\bcovers\s+(?:[\w’'-]+\s+){1,4}?only\b",
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
# (words and the gaps between them are disjoint character classes, so a run of dashes cannot be split many ways)
CONTINUES = re.compile(r"^[^\w’'-]*(?:[\w’'-]+[^\w’'-]+){0,10}?(?:the|that|this|these|those|its|their)" + _ESTIMATE
                       + r"|statement|data)s?\b"
                       r"|^\s*(?:It|They|That|This)\s+(?:does|do|did|only|excludes|covers|counts|includes|refers|applies|"
                       r"is|was)\b", re.I)
# a sentence about a story's estimate anywhere in it ("The coalition's tally covers only …")
ESTIMATE_REF = re.compile(r"\b(?:the|that|this|these|those|its|their)" + _ESTIMATE + r")s?\b", re.I)
# words in an evidence sentence saying its number is about another time than the claim's
OTHER_TIME = re.compile(r"\b(?:earlier|previous(?:ly)?|prior|before|ago|peak|height|at\s+its\s+(?:peak|height)|"
                        r"had\s+been|once|last\s+(?:year|month|week)|initially|originally|down\s+from|up\s+from|"
                        # the past before the story's: "the coalition had said approximately 3,000 were left"
                        r"had\s+(?:said|put|estimated|reported|counted|given|stood|numbered|thought|believed))\b",
                        re.I)


# a period ends a clause unless it is an initial's or sits inside a word ("U.S.-led", "zone where the U.S. operates")
_CLAUSE_TAIL = re.compile(r"(?:[^,.;:!?()\"“”]|(?<=\b[A-Z])\.|\.(?=[\w-]))*")
_TAIL_WORD = re.compile(r"(?:[^\s,.;:!?()\"“”]|(?<=\b[A-Z])\.|\.(?=[\w-]))+")


def _clause(text: str, m: re.Match[str], max_words: int = 5) -> tuple[str, int]:
    """The qualifier with what it governs ("does not include" → "does not include western Syria"), and where that
    ends in ``text``."""
    end = m.end()
    stop = _CLAUSE_TAIL.match(text, end).end()  # type: ignore[union-attr]
    words = list(_TAIL_WORD.finditer(text, end, stop))[:max_words]
    if words:
        end = words[-1].end()
    return " ".join([m.group(0), *(w.group(0) for w in words)]), end


def qualifiers(text: str) -> dict[str, list[str]]:
    """Qualifier class → the phrases of that class in ``text``, in order; a match inside an earlier phrase
    ("applies only to territory where …") is part of it, not another phrase."""
    out = {}
    for cls, pat in QUALIFIERS.items():
        found: list[str] = []
        covered = -1
        for m in pat.finditer(text):
            if m.start() < covered:
                continue
            phrase, covered = _clause(text, m)
            if phrase not in found:
                found.append(phrase)
        if found:
            out[cls] = found
    return out


def dropped_qualifiers(claim: str, evidence: str) -> dict[str, list[str]]:
    """Qualifiers the evidence has and the claim lacks (class → evidence phrases); a hedged claim ("estimated",
    "believed") keeps the evidence's doubt."""
    have = qualifiers(claim)
    hedged = bool(HEDGE.search(claim))
    return {cls: phrases for cls, phrases in qualifiers(evidence).items()
            if cls not in have and not (cls == "uncertainty" and hedged)}


# ------------------------------------------------------------------------------------------------- numbers

_WORD = re.compile(r"[a-z0-9]+")
_GENERIC = frozenset("the a an of in and people those who were are is left remaining remain".split())


def _stem(w: str) -> str:
    return w[:-1] if len(w) > 3 and w.endswith("s") else w


# Nouns news copy uses interchangeably for the same counted people, so a count of "jihadists" and one of
# "fighters" can be the same count. Kept to near-synonyms: "troops" and "militants" never share a class.
_SAME_COUNT = [
    "fighter militant jihadist terrorist insurgent extremist operative gunman gunmen combatant",
    "soldier troop serviceman servicemen servicemember personnel",
    "person individual resident inhabitant citizen civilian",
    "worker employee staff staffer job",
    "death dead fatality killed life lives",
    "migrant refugee asylum-seeker",
]
_CLASS_OF = {_stem(w): f"={i}" for i, line in enumerate(_SAME_COUNT) for w in line.split()}


def _count_words(text: str) -> set[str]:
    """A counted thing's content words (crudely stemmed), plus the class of each word that has a near-synonym."""
    words = {_stem(w) for w in _WORD.findall(text.lower())} - _GENERIC
    return words | {_CLASS_OF[w] for w in words if w in _CLASS_OF}


def names_a_thing(entity: str) -> bool:
    """Whether a counted thing says what is counted ("fighters", "buildings"), not just anyone ("people", "those")."""
    return bool(_count_words(entity))


def same_thing(a: str | None, b: str | None, similar: Callable[[str, str], bool] | None = None) -> bool:
    """Whether two counted things ("ISIS fighters", "Islamic State fighters") plausibly name the same thing: they
    share a content word or a near-synonym ("jihadists", "fighters"), ``similar`` (e.g. an embedding comparison)
    says so, or one of them is unnamed."""
    if not a or not b:
        return True
    wa, wb = _count_words(a), _count_words(b)
    if (_just_people(a) and wb & _ARMED) or (_just_people(b) and wa & _ARMED):
        return False  # "850 people from the U.K." or "300 people killed" are no count of fighters or troops
    ca, cb = {w for w in wa if w[0] == "="}, {w for w in wb if w[0] == "="}
    if ca and cb and not ca & cb:
        return False  # "civilians" and "fighters", "troops" and "militants": however alike their vectors
    return bool(wa & wb) or not wa or not wb or (similar is not None and similar(a, b))


_ARMED = frozenset({_CLASS_OF["fighter"], _CLASS_OF["soldier"]})


def _just_people(thing: str) -> bool:
    """A count of "people" / "persons" and nothing more specific ("people from the U.K.")."""
    return not _count_words(thing) and re.search(r"\b(?:people|persons)\b", thing, re.IGNORECASE) is not None


def dates_compatible(a: str | None, b: str | None) -> bool:
    """ISO dates at any precision ("2017", "2017-12", "2017-12-05") agree when one is a prefix of the other."""
    if not a or not b:
        return True
    if len(a) >= 10 and len(b) >= 10:  # two days: "three weeks ago" and "December 5" may be a day or two apart
        pa, pb = _period(a), _period(b)
        if pa and pb:
            return abs(pa[0].toordinal() - pb[0].toordinal()) <= 3
    return a.startswith(b) or b.startswith(a)


# how long after a period a report of "the current number" can still be about it, by the period's precision
_TOLERANCE_DAYS = {4: 120, 7: 31, 10: 7}


def _period(iso: str) -> tuple[date, date] | None:
    try:
        if len(iso) == 4:
            return date(int(iso), 1, 1), date(int(iso), 12, 31)
        if len(iso) == 7:
            y, m = int(iso[:4]), int(iso[5:7])
            nxt = date(y + (m == 12), m % 12 + 1, 1)
            return date(y, m, 1), date.fromordinal(nxt.toordinal() - 1)
        d = date.fromisoformat(iso[:10])
        return d, d
    except ValueError:
        return None


def same_time(dated: str, reported: str | None) -> bool:
    """Whether an undated number in a text published on ``reported`` can be about the period ``dated``: the report
    falls in the period or shortly after it (a week after a day, a month after a month, four months after a year)."""
    period, rep = _period(dated), _period(reported or "")
    if period is None or rep is None:
        return True
    start, end = period
    day = rep[0]
    return start.toordinal() - 7 <= day.toordinal() <= end.toordinal() + _TOLERANCE_DAYS.get(len(dated), 7)


UNDATED_WINDOW_DAYS = 7  # two undated numbers are about the same time when published within a week


def times_comparable(cd: str | None, ed: str | None, claim_pub: str | None, evidence_pub: str | None) -> bool:
    """Whether two numbers are about the same time: their own dates agree, or the one undated number was
    published while the other's period was current; two undated numbers, when published within a week."""
    if cd and ed:
        return dates_compatible(cd, ed)
    if cd:
        return same_time(cd, evidence_pub)
    if ed:
        return same_time(ed, claim_pub)
    if claim_pub and evidence_pub:  # a count told as current three weeks apart ("about 3,000 remain") may have moved
        a, b = _period(claim_pub), _period(evidence_pub)
        return a is None or b is None or abs(a[0].toordinal() - b[0].toordinal()) <= UNDATED_WINDOW_DAYS
    return True


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


def event_date(q: Quantity, reported: str | None) -> str | None:
    """The date a quantity is about: its own date, unless that is just the day of reporting ("said on
    Tuesday" in a story published that week), which says when it was told, not when it was true."""
    if not q.date or not reported or len(q.date) < 10:
        return q.date
    try:
        gap = (date.fromisoformat(reported[:10]) - date.fromisoformat(q.date)).days
    except ValueError:
        return q.date
    return None if 0 <= gap <= 7 else q.date


def consistent(cq: Quantity, eq: Quantity) -> bool:
    """Whether the evidence's number bears the claim's number out: the same value with a compatible comparator,
    or a value on the claimed side of a bound ("more than 40" vs "45")."""
    c, e = cq.comparator or "=", eq.comparator or "="
    if close(cq.value, eq.value):
        if c[:1] in "<>" and e[:1] in "<>" and c[:1] != e[:1]:
            return False  # "fewer than 1,000" and "more than 1,000" bound the count from opposite sides
        return not (c in ("<", ">") and e in ("=", ">=", "<=") and c != e[:1])  # "more than 40" is not "40"
    if c in (">", ">=") and e not in ("<", "<=", "~"):
        return eq.value > cq.value
    if c in ("<", "<=") and e not in (">", ">=", "~"):
        return eq.value < cq.value
    return False


# a number tied to one of these counts an event ("killed 1,000 militants"), not how many there are: it cannot
# change a claim's count of how many there are ("fewer than 1,000 fighters left")
EVENT_VERB = re.compile(r"\b(?:kill(?:ed|s|ing)?|captur(?:ed|es|ing)|arrest(?:ed|s)?|detain(?:ed|s)?|"
                        r"escap(?:ed|es|ing)|fled|flee(?:s|ing)?|return(?:ed|s|ing)?|deport(?:ed|s)?|"
                        r"die(?:d|s)?|wounded|injured|evacuated|freed|released|recruited|trained|deployed|"
                        r"surrender(?:ed|s)?|defected|executed|rescued|travell?(?:ed|ing|s)?|arriv(?:ed|ing|es)|"
                        r"join(?:ed|ing|s)?|cross(?:ed|ing|es)|enter(?:ed|ing|s)?|flock(?:ed|ing|s)?)\b", re.I)


def _counts_events(text: str, q: Quantity, window: int = 40) -> bool:
    """Whether an event verb sits within ``window`` characters of the quantity in ``text`` (its own sentence)."""
    return bool(EVENT_VERB.search(text, max(0, q.start - window), min(len(text), q.end + window)))


def _names(entity: str) -> list[str]:
    return [w for w in re.findall(r"\b[A-Z][\w’'-]*", entity) if _stem(w.lower()) not in _CLASS_OF]


def name_table(file: str, *, canonical_too: bool = True) -> dict[str, str]:
    """``data/<file>`` as name -> canonical name: one thing per line, its canonical name first, then its other
    names, "|"-separated ("#" starts a comment line)."""
    out: dict[str, str] = {}
    for line in (Path(__file__).resolve().parent / "data" / file).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            first, *rest = (n.strip() for n in line.split("|"))
            out.update(dict.fromkeys([first, *rest] if canonical_too else rest, first))
    return out


def _any_of(names: Iterable[str]) -> str:
    """A regex matching any of ``names``, the longest it can first, written as a trie ("Ra(?:mad|qq)i…"): an
    alternation of thousands of names would be tried name by name at every position."""
    trie: dict[str, Any] = {}
    for n in names:
        node = trie
        for ch in n:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        alts = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        body = alts[0] if len(alts) == 1 else f"(?:{'|'.join(alts)})" if alts else ""
        return f"(?:{body})?" if "" in node and body else body

    return emit(trie)


@functools.cache
def _groups() -> tuple[re.Pattern[str], dict[str, str]]:
    """The armed-group name pattern and alias -> group (data/groups.txt)."""
    group = name_table("groups.txt")
    return re.compile(rf"(?<![\w-])(?:{_any_of(group)})(?![\w-])"), group


def groups_named(text: str) -> frozenset[str]:
    """The armed groups ``text`` names, by their canonical names ("Daesh militants" → Islamic State)."""
    pattern, group = _groups()
    return frozenset(group[m.group(0)] for m in pattern.finditer(text))


def named_apart(a: str | None, b: str | None) -> bool:
    """Whether two counted things are told apart by their names ("ISIS fighters", "Nusra Front fighters"); two
    names of one group count as one ("Daesh", "ISIS"), and so do names whose initials begin the other's name
    ("Islamic State" → "IS…" as in "ISIS")."""
    na, nb = _names(a or ""), _names(b or "")
    if not na or not nb or {w.lower() for w in na} & {w.lower() for w in nb}:
        return False
    ga, gb = groups_named(a or ""), groups_named(b or "")
    if ga and gb:
        return not ga & gb
    for x, y in ((na, nb), (nb, na)):
        initials = "".join(w[0] for w in x).upper()
        short = [w for w in x if w.isupper() and len(w) >= 2] + ([initials] if len(initials) >= 2 else [])
        if any(u.upper().startswith(w) for w in short for u in y):  # "IS" / "Islamic State" and "ISIS"
            return False
    return True


# capitalised words that name no group: dates, titles, sentence connectives
_NOT_A_NAME = frozenset("""january february march april may june july august september october november december jan
    feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday mr mrs ms
    dr president general minister prime secretary officials official""".split())


_GOVERNMENT = re.compile(r"\s+(?:government|regime|authorities|administration)\b", re.I)
_OPENS_AFTER = frozenset(":-–—•*(\"“")
_SPEAKER_LABEL = re.compile(r"\s*(?:[A-Z][A-Z.’'-]+\s+){0,3}[A-Z][A-Z.’'-]+:\s+")
# words that open a sentence without beginning a name
_OPENERS = frozenset("""the a an in on at by for but and or after before as since while when with from to of this that
    these those its their his her our there here it we they he she some many most all about around nearly almost
    only just even still now then so yet if""".split())


# a counted thing that names its group by pointing back to it: "the group's fighters", "its fighters"
_BACK_REFERENCE = re.compile(r"(?:its|their|(?:group|organi[sz]ation|movement|militia|network)[’']s)\s", re.I)


def _group_runs(q: Quantity, sentence: str) -> list[str]:
    """The names a quantity counts members of: its counted thing's ("1,000 Taliban fighters"), else each run of
    capitalised words in its sentence that is no country, date or title ("Boko Haram" in "At its peak Boko Haram
    had some 45,000 fighters"); a sentence's first word counts only as part of a longer run ("Islamic State is
    down to …"), never alone or as an opener ("The", "In"). None when the counted thing points back to a group
    named elsewhere ("1,000 of the group's fighters", "its fighters"): the sentence's names are then its sources."""
    if q.entity and _names(q.entity):
        return [q.entity]
    if q.entity and _BACK_REFERENCE.match(q.entity):
        return []
    countries = _country_names()
    label = _SPEAKER_LABEL.match(sentence)  # a transcript's "CORRESPONDENT: At the start of …" opens after it
    body = sentence[label.end():] if label else sentence.lstrip()
    runs = []
    for m in re.finditer(r"(?:(?<=\s)|^)[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*", body):
        words = m.group(0).split()
        opens = m.start() == 0 or body[: m.start()].rstrip()[-1:] in _OPENS_AFTER
        if opens and (len(words) == 1 or words[0].lower() in _OPENERS):
            # capitalised only because it opens the sentence, a bullet or what follows a colon ("- A sharp drop:
            # Around Dec. 5, …"); "Islamic State is …" keeps it
            words = words[1:]
        words = [w for w in words if w.lower() not in _NOT_A_NAME and w.strip("’'") not in countries]
        if len(words) == 1 and words[0] in _city_names() and _GOVERNMENT.match(body, m.end()):
            continue  # "the Damascus government": a country's government, not a group the count could be of
        if words:
            runs.append(" ".join(words))
    return runs


def counts_another_group(cq: Quantity | str, eq: Quantity, claim_text: str, evidence_text: str) -> bool:
    """Whether the evidence's number counts members of groups none of which the claim names ("ISIS fighters"
    against "Taliban fighters", or a sentence about Boko Haram); False when either side names none. The claim's
    side may be a counted thing alone ("ISIS fighters", from "the number of ISIS fighters dropped")."""
    mine = ([cq] if _names(cq) else []) if isinstance(cq, str) else _group_runs(cq, claim_text)
    theirs = _group_runs(eq, evidence_text)
    return bool(mine and theirs) and all(named_apart(a, b) for a in mine for b in theirs)


def _vague(q: Quantity) -> bool:
    """"Thousands of …", "dozens of …": an order of magnitude, too loose to confirm or change a count."""
    return q.text.strip().lower() in VAGUE_MULTIPLES


_CALENDAR_WORDS = ("January|February|March|April|May|June|July|August|September|October|November|December|"
                   "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday")


_NAME_MARK = re.compile(r"\x00(\d+)\x01")  # a place name, masked: its index among the text's names


@functools.cache
def _places() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str]]:
    """The locative pattern (a place after a locative preposition, or in a list after one) over text whose place
    names are masked (``_NAME_MARK``), the place-name pattern (countries and cities) and alias -> country. Masking
    keeps the thousands of names out of the locative pattern, which would otherwise hold them six times over."""
    alias = name_table("countries.txt") | name_table("cities.txt", canonical_too=False)  # "in Mosul" is in Iraq
    # "in Syria", "in northern Iraq", "in Nairobi, Kenya" (a place, then its country)
    country = r"(?:the\s+)?(?:(?:north|south|east|west|central|northern|southern|eastern|western)\s+)?\x00\d+\x01"
    # a place, then its country, then the clause ends ("in Nairobi, Kenya, in September"); not "in December,
    # Syria's army said" nor "in Geneva, Iran and the United States agreed"
    city = rf"(?!\x00|(?:{_CALENDAR_WORDS})\b)[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?"
    one = rf"(?:{city},\s+{country}(?=\s*[,.;:)]|\s*$)|{country})"
    # "in Iraq and Syria", "in Iraq, Syria and Turkey"; not "in Afghanistan, U.S. officials say" nor "according to"
    return (re.compile(rf"\b(?:in|across|throughout|inside|within|into|from|through|(?<![Aa]ccording\s)to|"
                       rf"out\s+of)\s+(?P<places>{one}(?:(?:,\s+{one})*,?\s+(?:and|or)\s+(?:in\s+)?{one})?)"),
            re.compile(rf"(?<![\w-])(?:{_any_of(alias)})(?![\w-])"), alias)


def places_in(text: str) -> frozenset[str]:
    """Countries ``text`` puts something in ("in Syria and Iraq", "across Libya", "escaped through Turkey", "in
    Mosul"); a country that only acts ("the U.S.-led coalition", "Russia said") is not a place here."""
    locative, name, alias = _places()
    names: list[str] = []

    def mark(m: re.Match[str]) -> str:
        names.append(m.group(0))
        return f"\x00{len(names) - 1}\x01"

    masked = name.sub(mark, text.replace("\x00", " "))
    if not names:
        return frozenset()
    cities, out = _city_names(), set()
    for m in locative.finditer(masked):
        marks = list(_NAME_MARK.finditer(m.group("places")))
        found = [names[int(k.group(1))] for k in marks]
        after = masked[m.start("places") + marks[0].end():]
        if found[0] in cities and after.startswith(","):
            # "in Vienna, Iran and the United States agreed": the countries act, the city is where
            found = [n for n in found if n in cities or alias[n] == alias[found[0]]]
        out.update(alias[n] for n in found)
    return frozenset(out)


def cities_in(text: str) -> frozenset[str]:
    """The countries of the cities ``text`` names in any role ("sent back to the capital Pyongyang", "a Mosul
    hospital"): unlike a country's name, a city's is seldom an actor's."""
    _, name, alias = _places()
    cities = _city_names()
    return frozenset(alias[m.group(0)] for m in name.finditer(text) if m.group(0) in cities)


@functools.cache
def _city_names() -> frozenset[str]:
    return frozenset(name_table("cities.txt", canonical_too=False))


@functools.cache
def _country_names() -> frozenset[str]:
    return frozenset(name_table("countries.txt"))


# "KABUL -", "BAGHDAD (Reuters) -", "Manila, Dec 27 -": a story's dateline
_DATELINE = re.compile(r"\s*([A-Z][A-Za-z]+(?:\s[A-Z][A-Za-z]+)?)\s*(?:\([^)]{1,40}\)\s*)?"
                       r"(?:[-–—]+\s|:\s|,\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d)")


def dateline_country(text: str) -> str | None:
    """The country of a story's dateline city (data/capitals.txt): "KABUL - …", "BAGHDAD (Reuters) - …", "Mexico
    City, Dec 27 - …"; not "Tehran-backed militias …" nor "Moscow, which backs …"."""
    m = _DATELINE.match(text)
    return _capitals().get(m.group(1).title()) if m else None


@functools.cache
def _capitals() -> dict[str, str]:
    return name_table("cities.txt", canonical_too=False) | name_table("capitals.txt", canonical_too=False)


# a claim that a count moved ("the number of ISIS fighters dropped massively") without giving numbers: the
# evidence's dated numbers for the same thing confirm or refute the direction
TREND = re.compile(
    r"\b(?:number|count|total|tally|ranks|population)\s+of\s+(?P<thing>(?:[\w’'/-]+\s+){0,3}?[\w’'/-]+)\s+"
    r"(?:has\s+|have\s+|had\s+)?(?:\w+ly\s+)?(?P<verb>dropped|fell|fallen|declined|decreased|shrank|shrunk|"
    r"plunged|plummeted|dwindled|halved|rose|risen|increased|grew|grown|soared|climbed|jumped|doubled|tripled)\b",
    re.I)
_RISE = {"rose", "risen", "increased", "grew", "grown", "soared", "climbed", "jumped", "doubled", "tripled"}


def trend_of(text: str) -> tuple[str, int] | None:
    """``(counted thing, +1 rise / -1 fall)`` when ``text`` says a count moved ("the number of X dropped")."""
    m = TREND.search(text)
    if not m:
        return None
    return m.group("thing"), (1 if m.group("verb").lower() in _RISE else -1)


def _bounds(q: Quantity) -> tuple[float, float]:
    c = q.comparator or "="
    if c in ("<", "<="):
        return -math.inf, q.value
    if c in (">", ">="):
        return q.value, math.inf
    return q.value, q.value


# "about 3,000" is taken to mean within a tenth of 3,000
APPROX_TOLERANCE = 0.1
# two counts of one thing further apart than this are counts of different things ("more than 200,000 people" killed
# in a war, "at least eight people" killed in one air strike), unless one is the other with another scale word
MAX_CHANGE_RATIO = 50.0


def _range(q: Quantity) -> tuple[float, float, bool, bool]:
    """The values a quantity allows, (low, high, low excluded, high excluded): a bound's side, or "about"'s
    tolerance."""
    c = q.comparator or "="
    if c == "~":
        a, b = q.value * (1 - APPROX_TOLERANCE), q.value * (1 + APPROX_TOLERANCE)
        return min(a, b), max(a, b), False, False
    lo, hi = _bounds(q)
    return lo, hi, c == ">", c == "<"


def contradicts(cq: Quantity, eq: Quantity) -> bool:
    """Whether two numbers, if they counted the same thing, could not both be true: no value satisfies both
    ("more than 3,400" and "more than 3,000" can; "28" and "27", "fewer than 1,000" and "more than 1,000" cannot),
    and they are near enough in size to count the same thing (within ``MAX_CHANGE_RATIO``, or the same digits with
    another scale: "$800" and "$800 million")."""
    (clo, chi, clx, chx), (elo, ehi, elx, ehx) = _range(cq), _range(eq)
    lo, lo_x = max((clo, clx), (elo, elx))
    hi, hi_x = min((chi, not chx), (ehi, not ehx))
    if lo < hi or (lo == hi and not lo_x and hi_x):  # hi_x here: the high end is included
        return False
    small, big = sorted((max(abs(cq.value), 1.0), max(abs(eq.value), 1.0)))
    ratio = big / small
    if ratio <= MAX_CHANGE_RATIO:
        return True
    return close(ratio, 10 ** round(math.log10(ratio)))


def trend_direction(earlier: Quantity, later: Quantity) -> int:
    """+1 when the later count is surely higher, -1 surely lower, 0 when their ranges overlap ("about 3,000" then
    "fewer than 1,000": -1)."""
    (elo, ehi), (llo, lhi) = _bounds(earlier), _bounds(later)
    if lhi < elo:
        return -1
    if llo > ehi:
        return 1
    return 0


# "two people familiar with the matter", "three sources said": who told the reporter, not a count of anything
SOURCING = re.compile(r"\s+(?:people|persons|sources|officials|diplomats|individuals|insiders)\s+(?:familiar\s+with|"
                      r"with\s+(?:direct\s+)?knowledge|briefed\s+on|close\s+to|who\s+(?:spoke|asked|declined|"
                      r"requested|were\s+not\s+authori[sz]ed)|said|say|told)\b", re.I)


def _sourcing(q: Quantity, sentence: str) -> bool:
    """Whether the quantity counts a story's sources ("two people familiar with the matter said"); its offsets index
    ``sentence``."""
    return bool(SOURCING.match(sentence, q.end))


_PAST = re.compile(r"\b(?:(?:1[89]|20)\d\d|was|were|had|did|won|lost|got|took|made|sold|received|reached)\b", re.I)


def compare_quantities(claim_qs: list[Quantity], ev_qs: list[Quantity], *, claim_date: str | None,
                       evidence_date: str | None, evidence_text: str, claim_text: str = "",
                       similar: Callable[[str, str], bool] | None = None,
                       bare_amounts: bool = True) -> list[NumberCheck]:
    """Every comparable (claim quantity, evidence quantity) pair, in the evidence's order. ``claim_date`` and
    ``evidence_date`` are the publication dates: a quantity dated to the week it was reported counts as undated.
    A rate ("$99 a year") and a plain amount ("$99") can match, but a different plain amount is never read as
    changing a rate ("$525 per square foot" against "a $585 million deal"); two different rates never compare.
    Two numbers are compared when their dates agree or either is undated; an evidence sentence that speaks of
    another time ("earlier", "at its peak", "down from") is never read as changing the claim's number, nor is a
    sentence that also gives the claim's own number, nor one whose number could be true with the claim's
    (``contradicts``). ``bare_amounts``: whether an amount that names nothing it counts ("$499", "34.9 percent")
    may be read as changed (the caller knows whether the two sentences say nearly the same)."""
    out = []
    other_time = bool(OTHER_TIME.search(evidence_text))
    hedged = bool(HEDGE.search(claim_text))
    claim_event = bool(EVENT_VERB.search(claim_text))
    # a claim stating a count as it stands ("there are fewer than 1,000 left"), not a past event or total ("won 65.8
    # million votes", "at its height", "the 2004 tsunami")
    present = not claim_event and not OTHER_TIME.search(claim_text) and not _PAST.search(claim_text)
    ev_qs = [eq for eq in ev_qs if not _sourcing(eq, evidence_text)]
    for cq in claim_qs:
        if _vague(cq):
            continue
        cd = event_date(cq, claim_date)
        # the sentence gives the claim's own number: another of its numbers counts something else ("struck at least
        # six times, with two bullets hitting his head" against "hit by at least six bullets")
        restated = any(split_rate(eq.unit)[0] == split_rate(cq.unit)[0] and close(cq.value, eq.value)
                       and not contradicts(cq, eq) for eq in ev_qs)
        for eq in ev_qs:
            (cu, cper), (eu, eper) = split_rate(cq.unit), split_rate(eq.unit)
            if _vague(eq) or cu != eu or not same_thing(cq.entity, eq.entity, similar):
                continue
            if cper and eper and cper != eper:
                continue  # "$15 per month" and "$99 per year": two different rates
            if counts_another_group(cq, eq, claim_text, evidence_text):
                continue  # "ISIS fighters" and "Taliban fighters", or the sentence's "Boko Haram had 45,000 …"
            ed = event_date(eq, evidence_date)
            if consistent(cq, eq):
                if cd is None and ed and claim_date and not same_time(ed, claim_date) and present:
                    continue  # a claim about now, a count from months before ("a few hundred in Raqqa" in October)
                if cd and ed and not dates_compatible(cd, ed):
                    out.append(NumberCheck("date_changed", cq, eq))
                elif eq.comparator not in ("=", None) and cq.comparator in ("=", None) and not hedged:
                    out.append(NumberCheck("approximate", cq, eq))
                else:
                    out.append(NumberCheck("match", cq, eq))
            elif (cper == eper and not restated and contradicts(cq, eq)
                  and times_comparable(cd, ed, claim_date, evidence_date) and not other_time
                  and ((cq.entity and eq.entity) or (cq.unit and bare_amounts))
                  and claim_event == _counts_events(evidence_text, eq)):
                out.append(NumberCheck("changed", cq, eq))
    return out


# -------------------------------------------------------------------------------------------------- quotes

_QTOKEN = re.compile(r"\w+(?:['’]\w+)*")
_QTOKEN_EDITED = re.compile(r"(?:\[\w\])?\w+(?:['’]\w+)*")  # "[T]here": an editor's capital is the word "there"


# a number a transcript may write either way: "at least ten" and "at least 10" are the same words spoken
_NUMERAL = {w: str(v) for w, v in (UNITS | TENS).items()}


# British and American spellings are one word: "authorises"/"authorizes", "colour"/"color", "towards"/"toward"
_SPELLING = re.compile(r"(?<=\w\w)(?:is(?=(?:e|ed|es|ing|ation|ations)$)|our(?=s?$))")
_SPELLING_AS = {"is": "iz", "our": "or"}
_SPELLING_WORDS = {"towards": "toward", "afterwards": "afterward", "backwards": "backward", "forwards": "forward",
                   "amongst": "among", "whilst": "while"}


def _word(w: str) -> str:
    w = _NUMERAL.get(w, w)
    if len(w) < 5:
        return w
    return _SPELLING_WORDS.get(w) or _SPELLING.sub(lambda m: _SPELLING_AS[m.group(0)], w)


def tokens(text: str) -> list[tuple[str, int, int]]:
    """(lower-cased word, start, end) for each word of ``text``; number words as digits ("ten" → "10"), British
    spellings as American ("authorises" → "authorizes")."""
    low = text.lower().replace("’", "'")  # same length: offsets still index ``text``
    if "[" not in low:
        return [(_word(m.group(0)), m.start(), m.end()) for m in _QTOKEN.finditer(low)]
    return [(_word(m.group(0).replace("[", "").replace("]", "")), m.start(), m.end())
            for m in _QTOKEN_EDITED.finditer(low)]


@dataclass(slots=True)
class QuoteMatch:
    match: str  # "exact" | "altered"
    coverage: float  # share of the quote's words found in order in the source
    start: int  # the matched passage in the source text
    end: int


class SourceText:
    """A source document's words, and its alignment index once a quote needed it: built once per document however
    many quotes are looked up in it."""

    __slots__ = ("text", "tokens", "words", "_matcher", "_quotations", "_marks")

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokens(text)
        self.words = [t for t, _, _ in self.tokens]
        self._matcher: difflib.SequenceMatcher[str] | None = None
        self._quotations: list[tuple[int, list[list[str]], int, int]] | None = None
        self._marks: list[tuple[int, int]] | None = None

    def quotations(self) -> list[tuple[int, list[list[str]], int, int]]:
        if self._quotations is None:
            self._quotations = _quotations(self)
        return self._quotations

    def quoted_spans(self) -> list[tuple[int, int]]:
        """Every stretch of the text in quotation marks, marks included, however short."""
        if self._marks is None:
            self._marks = [(m.start(), m.end()) for m in _QUOTATION.finditer(self.text)]
        return self._marks

    def matcher(self, words: list[str]) -> difflib.SequenceMatcher[str]:
        if self._matcher is None:
            self._matcher = difflib.SequenceMatcher(None, [], self.words, autojunk=False)
        self._matcher.set_seq1(words)
        return self._matcher


def find_quote(quote: str, source: str | SourceText, *, min_coverage: float = 0.6) -> QuoteMatch | None:
    """Where ``quote`` appears in ``source``: ``exact`` when its words appear there contiguously and in order
    (punctuation and case aside), ``altered`` when at least ``min_coverage`` of its words align in order around
    one passage, make up at least ``MIN_DENSITY`` of it and mostly lie inside quotation marks; None otherwise.
    Give a :class:`SourceText` to look up many quotes in one source."""
    src = source if isinstance(source, SourceText) else SourceText(source)
    source = src.text
    q = tokens(quote)
    s = src.tokens
    if len(q) < 3 or not s:
        return None
    qw = [t for t, _, _ in q]
    sw = src.words
    n = len(qw)
    # exact: a contiguous run
    first = qw[0]
    for i, w in enumerate(sw):
        if w == first and sw[i : i + n] == qw:
            return QuoteMatch("exact", 1.0, s[i][1], s[i + n - 1][2])
    part = _quoted_part(qw, src)
    if part is not None:
        return part
    present = set(sw)
    if sum(w in present for w in qw) < min_coverage * n:
        return None  # too few of the quote's words occur at all for enough of them to align in order
    blocks = [b for b in src.matcher(qw).get_matching_blocks() if b.size]
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
    if matched < MIN_DENSITY * (hi - lo + 1):
        return None  # a few of the quote's words scattered through other words ("I was going to win. So I pretty
        # much" for "I was pretty much shaking"): no passage says it
    marks = src.quoted_spans()
    inside = sum(1 for b in near for j in range(b.b, b.b + b.size) if any(a <= s[j][1] < e for a, e in marks))
    if inside * 2 < matched:
        return None  # reported speech ("the coalition said its partners …"): a paraphrase is not an altered quote
    return QuoteMatch("altered", round(cov, 3), s[lo][1], s[hi][2])


# an altered quote's aligned words make up at least this share of the passage they span
MIN_DENSITY = 0.5
_QUOTATION = re.compile(r"[“\"][^“”\"]+[”\"]")


_QUOTED = re.compile(r"[“\"]([^“”\"]{20,}?)[”\"]")


def _quotations(src: SourceText) -> list[tuple[int, list[list[str]], int, int]]:
    """The source's quotations of at least 8 words, in quotation marks: (words, the word runs an ellipsis separates,
    start, end)."""
    s, source = src.tokens, src.text
    starts = [t[1] for t in s]
    out = []
    for m in _QUOTED.finditer(source):
        lo = bisect.bisect_left(starts, m.start(1))
        hi = lo
        while hi < len(s) and s[hi][2] <= m.end(1):
            hi += 1
        seg = s[lo:hi]
        if len(seg) < 8:
            continue
        cuts = [e.start() for e in _ELLIPSIS.finditer(source, m.start(1), m.end(1))]
        pieces: list[list[str]] = [[] for _ in range(len(cuts) + 1)]
        for t in seg:
            pieces[bisect.bisect_left(cuts, t[1])].append(t[0])
        out.append((len(seg), [p for p in pieces if p], seg[0][1], seg[-1][2]))
    return out


def _quoted_part(qw: list[str], src: SourceText) -> QuoteMatch | None:
    """A quotation in the source (at least 8 words, in quotation marks) that appears word for word inside the
    quote: the source printed part of it, and that part is exact. An ellipsis in the printed part ("Due to the
    commitment of the Coalition ... there are") marks words left out: each piece must appear, in order."""
    best: QuoteMatch | None = None
    for n, pieces, start, end in src.quotations():
        if n >= len(qw):
            continue
        at = 0
        for piece in pieces:
            k = len(piece)
            at = next((i + k for i in range(at, len(qw) - k + 1) if qw[i : i + k] == piece), -1)
            if at < 0:
                break
        if at >= 0:
            cov = round(n / len(qw), 3)
            if best is None or cov > best.coverage:
                best = QuoteMatch("exact", cov, start, end)
    return best


_ELLIPSIS = re.compile(r"\.\.\.|…|\[\.\.\.\]")


GENERIC_SPEAKER = re.compile(r"^(?:an?|the|one|another)\s", re.I)


@functools.cache
def _demonyms() -> tuple[re.Pattern[str], dict[str, str]]:
    """The nationality-word pattern ("Russian", "North Korean") and word -> country (data/demonyms.txt)."""
    country = name_table("demonyms.txt", canonical_too=False)
    # "pro-Russian", "Russian-backed" too; "Latin American" is no nationality
    return re.compile(rf"(?<!\w)(?<!Latin )(?<!South )(?<!Central )(?<!North )(?:{_any_of(country)})(?!\w)"), country


def countries_named(text: str) -> frozenset[str]:
    """Every country ``text`` names, as a place, an actor or a nationality: the countries a speaker's description
    ties them to ("a Russian defence ministry spokesman" → Russia, "a representative for the US-led coalition" →
    United States), or all a story mentions."""
    _, name, alias = _places()
    found = {alias[m.group(0)] for m in name.finditer(text)}
    demonym, country = _demonyms()
    found |= {country[m.group(0)] for m in demonym.finditer(text)}
    return frozenset(found)


def different_speakers(a: str | None, b: str | None, *texts: str) -> bool:
    """Two named speakers with no name in common ("Jane Doe" vs "John Roe"), or two speakers tied to different
    countries ("a Russian spokesman" vs "a U.S. official"); unnamed roles ("an official", "a coalition spokesman")
    are otherwise never a different speaker. Names that one full name in ``texts`` joins ("Jess" and "Smith" where
    a story names "Jess Smith") are one person."""
    if not a or not b:
        return False
    ca, cb = countries_named(a), countries_named(b)
    if ca and cb and not (ca & cb):
        return True
    if GENERIC_SPEAKER.match(a) or GENERIC_SPEAKER.match(b):
        return False
    na, nb = _name_words(a), _name_words(b)
    if len(na) == 1 and len(nb) == 1 and bool(_TITLED.match(a)) != bool(_TITLED.match(b)):
        return False  # "Jess" and "Miss Smith": a first name and a surname may be one person
    if not na or not nb or na & nb:
        return False
    return not any((full := {w.lower() for w in m.group().split()}) & na and full & nb
                   for t in texts for m in _FULL_NAME.finditer(t))


def _name_words(speaker: str) -> set[str]:
    """The lower-cased capitalised words of a speaker's name, honorifics left out."""
    return {w.lower() for w in re.findall(r"\b[A-Z][a-z’'-]{2,}\b", speaker)} - _HONORIFICS


_FULL_NAME = re.compile(r"\b[A-Z][a-z’'-]+(?:\s+[A-Z][a-z’'-]+)+\b")


_HONORIFICS = frozenset("mr mrs ms miss mx dr prof sir dame lady lord".split())
_TITLED = re.compile(rf"^\s*(?:{'|'.join(sorted(_HONORIFICS))})\b\.?\s", re.I)
