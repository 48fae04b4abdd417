"""Numbers with comparator, unit, the thing counted, and the date each refers to."""

from __future__ import annotations

import bisect
import re
from typing import Any

from ..document import Comparator, Document, Quantity
from ..numbers import (
    A_SCALE_PATTERN,
    DIGITS_PATTERN,
    FRACTION_PATTERN,
    NUMBER_WORD_PATTERN,
    VAGUE_MULTIPLES,
    parse_number,
    with_rate,
)
from ..pipeline import Stage, register
from ..temporal import find_time_expressions, parse_published

COMPARATORS: dict[str, Comparator] = {
    "fewer than": "<", "less than": "<", "under": "<", "below": "<", "short of": "<",
    "more than": ">", "greater than": ">", "over": ">", "above": ">", "upwards of": ">", "in excess of": ">",
    "at least": ">=", "no fewer than": ">=", "no less than": ">=", "as many as": "<=",
    "at most": "<=", "no more than": "<=", "up to": "<=", "as few as": ">=",
    "nearly": "~", "almost": "~", "about": "~", "around": "~", "roughly": "~", "approximately": "~",
    "some": "~", "an estimated": "~", "estimated": "~", "close to": "~", "approx.": "~",
}
CURRENCIES = {"$": "USD", "£": "GBP", "€": "EUR", "US$": "USD"}
UNIT_WORDS = {
    "percent": "percent", "per cent": "percent", "%": "percent", "percentage points": "percentage points",
    "dollars": "USD", "euros": "EUR", "pounds": "GBP", "km": "km", "kilometres": "km", "kilometers": "km",
    "miles": "miles", "tons": "tonnes", "tonnes": "tonnes", "kg": "kg", "kilograms": "kg", "years": "years",
    "months": "months", "weeks": "weeks", "days": "days", "hours": "hours", "minutes": "minutes",
    "degrees": "degrees", "metres": "m", "meters": "m", "feet": "feet", "acres": "acres", "hectares": "hectares",
}

# a quotation's editor may bracket a comparator's first letter: "[A]t least 10 ISIS fighters"
_CMP = "|".join(rf"(?:{re.escape(c[0])}|\[{re.escape(c[0])}\]){re.escape(c[1:])}"
                for c in sorted(COMPARATORS, key=len, reverse=True))
_QUANTITY = re.compile(
    rf"(?:(?<![\w\]])(?P<cmp>{_CMP})\s+)?"
    r"(?P<cur>US\$|[$£€])?"
    rf"(?P<num>(?<![\w.,/-]){FRACTION_PATTERN}"
    rf"|(?<![\w.,-])(?:{DIGITS_PATTERN})(?:\s+(?:hundred|thousand|million|billion|trillion)\b)?(?![\w-])"
    rf"|{A_SCALE_PATTERN}"
    rf"|\b(?:{NUMBER_WORD_PATTERN})(?![\w-])"
    r"|\b(?:dozens|hundreds|thousands|millions|billions)(?=\s+of\b))"
    r"(?P<unit>\s*%|\s+per\s?cent\b|\s+percent\b|\s+percentage points\b)?",
    re.I,
)
_CLAUSE_END = re.compile(r"[;,]\s|\s(?:—|–|--)\s")  # not the comma of "1,000"
_TOKEN = re.compile(r"\s+(?:of\s+(?:the\s+)?)?([A-Za-z][\w’'-]*(?:/[A-Za-z][\w’'-]*)?)")
ENTITY_STOP = frozenset(
    """left remain remaining remained remains in on at to from into by for with within across of as than and or
    but nor who whom whose which that this these those there here where when while was were is are be been being
    have has had will would could should may might can did do does said say says believed thought estimated
    present ago more less fewer per each every a an the its their his her our your my it they we he she you
    overall now then today also already still just only lost earlier later before after since until yesterday
    tomorrow last next recently against during between through among without including near toward towards
    despite via amid instead apiece altogether respectively""".split()
)
NOT_A_QUANTITY_AFTER = frozenset({"of", "another", "day", "time", "way", "side", "hand", "thing", "point"})
# a rate: "$525 per square foot", "$15 a month", "$15/month", "3,000 people a day", "a $15 monthly fee"; its unit
# says so ("USD per month"), so a rate is never compared with a total
_RATE = re.compile(
    r"(?:\s*/\s*|\s+(?:per|a|an|each)\s+)(?P<per>(?:square\s+|cubic\s+)?(?:foot|feet|metre|meter|mile|kilometre|"
    r"kilometer|acre|hectare|day|week|month|year|hour|minute|share|head|person|capita|barrel|gallon|litre|liter|"
    r"tonne|ton|kilo|kilogram|pound|unit|night|seat|ticket|passenger|student|patient|household|mo|yr|hr)s?)\b"
    r"(?!\s+(?:ago|earlier|later|before|after|previously|from\s+now)\b)"  # "67 people a year ago" is a date
    # after "per" any noun: "$15,000 per bottle", "$29.11 per gram", "$905 per troy ounce"
    r"|\s+per\s+(?P<any>(?!(?:cent|the|a|an)\b)(?:troy\s+|fluid\s+)?[a-z]+)\b"
    r"|\s+(?P<adj>monthly|weekly|daily|yearly|annual|annually|hourly|nightly)\b", re.I)
_PER_WORD = {"feet": "foot", "mo": "month", "yr": "year", "hr": "hour", "monthly": "month", "weekly": "week",
             "daily": "day", "yearly": "year", "annual": "year", "annually": "year", "hourly": "hour",
             "nightly": "night"}


def _rate(text: str, *positions: int) -> str | None:
    """What a number is counted per, from the text right after it (or after its counted thing)."""
    for pos in positions:
        m = _RATE.match(text, pos)
        if m:
            words = (m.group("per") or m.group("any") or m.group("adj")).lower().split()
            last = words[-1] if words[-1] in _PER_WORD or not words[-1].endswith("s") else words[-1][:-1]
            return " ".join([*words[:-1], _PER_WORD.get(last, last)])
    return None


# "The militias number more than 100,000", "its fighters now number about 3,000": the counted thing is the subject
# of "number" (a verb here), before the quantity
_NUMBER_VERB = re.compile(r"\b([A-Za-z][\w’'-]*s)\s+(?:(?:now|still|currently|only|already|together)\s+)?"
                          r"(?:number|numbered|numbering|total|totalled|totaled)\s+$")


# "…, a number still under 1,000": a number restating the one before it, so counting the same thing
_RESTATED = re.compile(r"\b(?:a|the|that|its|their)\s+(?:[\w’'-]+\s+)?(?:number|figure|total|toll|tally)\s+"
                       r"(?:(?:still|well|just|now)\s+)?(?:(?:under|below|over|above|of|at)\s+)?$", re.I)
_SCALE_WORDS = frozenset({"hundred", "thousand", "million", "billion"})
_MONEY_SCALE = re.compile(r"(?:million|billion|trillion|\d[mbk]n?)$", re.I)
# "ran over two soldiers", "handed over 50 prisoners": "over" is the verb's particle, not "more than"
_PARTICLE_VERB = re.compile(r"\b(?:r[au]n(?:s|ning)?|hand(?:s|ed|ing)?|turn(?:s|ed|ing)?|knock(?:s|ed|ing)?|"
                            r"pull(?:s|ed|ing)?)\s+$", re.I)
# a later clause about another figure: its time is that figure's ("fewer than 1,000 …, a steep fall from the figure
# it gave three weeks ago")
_OTHER_FIGURE = re.compile(r"[;,]\s[^;]*?\b(?:from|than|compared\s+with|compared\s+to|versus)\b", re.I)
_LOOSE = re.compile(r"\b(?:a\s+few|few|several|many)\s+$", re.I)


def _entity(text: str, pos: int, end: int) -> tuple[str | None, int]:
    words: list[str] = []
    cur = pos
    while len(words) < 4:
        m = _TOKEN.match(text, cur, end)
        if not m or (words and m.group(0).lstrip().lower().startswith("of ")):
            break
        word = m.group(1)
        low = word.lower()
        name_first = not words and word.isupper() and len(word) > 1 and not text[m.end() : m.end() + 2].isupper()
        if (low in ENTITY_STOP and not name_first) or (words and len(low) > 4 and low.endswith("ed")):
            break  # ("IS fighters", "US troops": a capitalised abbreviation before a noun is a name, not "is")
        words.append(word.split("/")[0])
        cur = m.end()
    return (" ".join(words) or None), cur


def find_quantities(text: str, start: int, end: int, published: str | None) -> list[Quantity]:
    """Quantities in ``text[start:end]`` (offsets into ``text``); dates from the nearest time expression."""
    pub = parse_published(published)
    times = [t for t in find_time_expressions(text[start:end], pub)]
    for t in times:
        t.start += start
        t.end += start
    starts = [t.start for t in times]  # sorted, not overlapping
    # where each number starts: a time expression after another number is that number's ("…, down from 3,000
    # in early December"), not an earlier one's
    matches = list(_QUANTITY.finditer(text, start, end))
    numbers_at = [m.start("num") for m in matches]
    out: list[Quantity] = []
    for m in matches:
        num_s, num_e = m.span("num")
        i = bisect.bisect_right(starts, num_s) - 1
        if i >= 0 and num_s < times[i].end:
            continue  # "three weeks ago", "December 5th", "in 2015" are dates, not counts
        raw = m.group("num")
        low = raw.lower()
        cmp_word = (m.group("cmp") or "").lower().replace("[", "").replace("]", "")
        if cmp_word == "over" and _PARTICLE_VERB.search(text, max(start, m.start() - 16), m.start()):
            cmp_word = ""
        comparator: Comparator | None = COMPARATORS.get(cmp_word, "=")
        if low in VAGUE_MULTIPLES:
            value, comparator = VAGUE_MULTIPLES[low], ">"
        else:
            value = parse_number(raw)
        if value is None:
            continue
        j = bisect.bisect_left(starts, m.end())
        stop = starts[j] if j < len(starts) else end
        entity, entity_end = _entity(text, m.end(), stop)
        if (entity is None and not m.group("cur") and not m.group("unit")
                and (before := _NUMBER_VERB.search(text, max(start, m.start() - 60), m.start()))):
            entity = before.group(1)
        if entity is None and out and _RESTATED.search(text, max(start, m.start() - 30), m.start()):
            entity = out[-1].entity  # "at least 817 civilians …, a number still under 1,000": civilians again
        if low in _SCALE_WORDS and _LOOSE.search(text, max(start, m.start() - 12), m.start()):
            continue  # "a few hundred", "several thousand": too loose to compare
        if re.fullmatch(r"(?:1[89]|20)\d\d", raw) and not cmp_word and (entity is None or entity[0].isupper()):
            continue  # a year ("in 2017", "2017 Budget"), not a count
        if low in ("one", "a") and not cmp_word:
            continue  # "one of the", "no one": too ambiguous alone
        if entity and (entity.lower() in NOT_A_QUANTITY_AFTER or (entity.split()[0].lower() == "time" and value != 1)):
            continue  # "one of", "one day"; "12 Time PGA Winner" (12-time): no count
        unit: str | None = None
        if m.group("unit"):
            unit = UNIT_WORDS.get(m.group("unit").strip().lower().replace("per cent", "percent"), "percent")
        elif m.group("cur"):
            unit = CURRENCIES[m.group("cur").upper()]
        elif entity and entity.split()[0].lower() in UNIT_WORDS:
            unit = UNIT_WORDS[entity.split()[0].lower()]
            if unit == "GBP" and not _MONEY_SCALE.search(raw) and "sterling" not in entity.lower():
                unit = "lb"  # "weighed 280 pounds"; money is "£280" or "5 million pounds (sterling)"
            rest = entity.split()[1:]
            entity = " ".join(rest) or None
        unit = with_rate(unit, _rate(text, m.end(), entity_end))
        s = m.start("cmp") if cmp_word else (m.start("cur") if m.group("cur") else num_s)
        e = m.end()
        date = None
        if times:
            # the nearest time expression, but one that follows in a later clause ("12 of the 60 buses were in
            # service, down from 45 two years ago") dates that clause's numbers, not this one
            def rank(t: Any) -> tuple[bool, int]:
                later_clause = t.start >= e and _CLAUSE_END.search(text, e, t.start) is not None
                return later_clause, min(abs(t.start - e), abs(s - t.end))

            # only the few expressions around the number can be nearest: those starting before it, latest last,
            # and the first after it (if that one is in a later clause, so is every one after it)
            j = bisect.bisect_left(starts, e)
            near = [t for t in times[max(0, j - 3) : j + 1]
                    if t.start < e or (bisect.bisect_left(numbers_at, t.start) == bisect.bisect_right(numbers_at, num_s)
                                       and not _OTHER_FIGURE.search(text, e, t.start))]
            date = min(near, key=rank).date if near else None
        out.append(Quantity(text=text[s:e], value=value, start=s, end=e, comparator=comparator,
                            unit=unit, entity=entity, date=date))
    return out


@register
class Quantities(Stage):
    name = "quantities"
    requires = ("sentences", "published")
    assigns = ("quantities",)

    def __call__(self, doc: Document) -> Document:
        doc.quantities = [q for s in doc.sentences for q in find_quantities(doc.text, s.start, s.end, doc.published)]
        return doc
