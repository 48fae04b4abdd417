"""Time expressions in news text, resolved against the publication date.

Resolution keeps the precision the text has: "2 years ago" → "2015", "last month" → "2017-11",
"On December 5th" → "2017-12-05", "Wednesday" → the latest Wednesday on or before publication.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from .numbers import NUMBER_WORD_PATTERN, parse_number

MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
            ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
            ("november", "nov"), ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}
WEEKDAYS = {d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}

_MONTH = r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:1[89]|20)\d\d)"
_N = rf"(?P<n>\d+|{NUMBER_WORD_PATTERN}|a|an|one)"
_UNIT = r"(?P<unit>year|month|week|day)s?"

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("month_day", re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?:,?\s+{_YEAR}\b)?", re.I)),
    ("day_month", re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}\b(?:,?\s+{_YEAR}\b)?", re.I)),
    ("iso", re.compile(r"\b(?P<year>(?:1[89]|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b")),
    ("ago", re.compile(rf"\b{_N}\s+{_UNIT}\s+(?:ago|earlier)\b", re.I)),  # "three weeks earlier": before the report
    ("last", re.compile(r"\b(?P<which>last|this|next)\s+(?P<unit>year|month|week)\b", re.I)),
    # "at the start of the month", "by the end of the year": the current one
    ("of_the", re.compile(r"\b(?:(?:start|beginning|end|middle|turn)\s+of|(?:early|earlier|late|later)\s+in)\s+the\s+"
                          r"(?P<unit>year|month|week)\b", re.I)),
    ("relday", re.compile(r"\b(?P<rel>yesterday|today|tomorrow)\b", re.I)),
    ("weekday", re.compile(r"\b(?:on\s+|last\s+)?(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")),
    ("month_year", re.compile(rf"\b{_MONTH}\s+(?:of\s+)?{_YEAR}\b", re.I)),
    # "in December", "from early December", "late November"
    ("in_month", re.compile(rf"\b(?i:(?:in|since|during|by|until|from)\s+(?:early\s+|late\s+|mid-)?|early\s+|late\s+|mid-|"
                            rf"(?:start|beginning|end|middle)\s+of\s+){_MONTH}(?!\s+[0-3]?\d)\b")),
    ("year", re.compile(rf"\b(?i:in|since|during|by|until|of|from|before|after)\s+(?:early\s+|late\s+|mid-)?{_YEAR}\b")),
]


@dataclass(slots=True)
class TimeExpression:
    start: int
    end: int
    text: str
    date: str | None  # ISO at the text's precision, None when it cannot be resolved


def _fmt(d: date, precision: str) -> str:
    return {"year": f"{d.year:04d}", "month": f"{d.year:04d}-{d.month:02d}"}.get(precision, d.isoformat())


def _resolve(kind: str, m: re.Match[str], published: date | None) -> str | None:
    g = m.groupdict()
    if kind in ("month_day", "day_month", "iso"):
        month = int(g["month"]) if kind == "iso" else MONTHS[g["month"].lower().rstrip(".")]
        day = int(g["day"])
        if g.get("year"):
            year = int(g["year"])
        elif published:
            year = published.year
        else:
            return None
        try:
            d = date(year, month, day)
        except ValueError:
            return None
        if not g.get("year") and published and d > published + timedelta(days=31):
            d = d.replace(year=year - 1)  # "December 5" in a January article is last December
        return d.isoformat()
    if kind == "month_year":
        return f"{int(g['year']):04d}-{MONTHS[g['month'].lower().rstrip('.')]:02d}"
    if kind == "year":
        return g["year"]
    if published is None:
        return None
    if kind == "in_month":
        month = MONTHS[g["month"].lower().rstrip(".")]
        year = published.year if month <= published.month else published.year - 1
        return f"{year:04d}-{month:02d}"
    if kind == "ago":
        n = 1 if g["n"].lower() in ("a", "an") else parse_number(g["n"])
        if n is None:
            return None
        unit = g["unit"].lower()
        delta = {"year": relativedelta(years=int(n)), "month": relativedelta(months=int(n)),
                 "week": relativedelta(weeks=int(n)), "day": relativedelta(days=int(n))}[unit]
        return _fmt(published - delta, unit)
    if kind == "last":
        step = {"last": -1, "this": 0, "next": 1}[g["which"].lower()]
        unit = g["unit"].lower()
        delta = {"year": relativedelta(years=step), "month": relativedelta(months=step), "week": relativedelta(weeks=step)}[unit]
        return _fmt(published + delta, "day" if unit == "week" else unit)
    if kind == "of_the":
        unit = g["unit"].lower()
        return _fmt(published, "day" if unit == "week" else unit)
    if kind == "relday":
        return (published + timedelta(days={"yesterday": -1, "today": 0, "tomorrow": 1}[g["rel"].lower()])).isoformat()
    if kind == "weekday":
        back = (published.weekday() - WEEKDAYS[g["weekday"].lower()]) % 7
        return (published - timedelta(days=back)).isoformat()
    return None


def find_time_expressions(text: str, published: date | None) -> list[TimeExpression]:
    """Non-overlapping time expressions in ``text``, earliest first; earlier patterns win overlaps."""
    found: list[TimeExpression] = []
    starts: list[int] = []  # the expressions taken so far, by start; they never overlap, so ends are sorted too
    ends: list[int] = []
    for kind, pattern in PATTERNS:
        for m in pattern.finditer(text):
            s, e = m.span()
            i = bisect.bisect_left(starts, e)  # the taken ones starting before e: only the last can reach past s
            if i and ends[i - 1] > s:
                continue
            starts.insert(i, s)
            ends.insert(i, e)
            found.append(TimeExpression(s, e, m.group(), _resolve(kind, m, published)))
    return sorted(found, key=lambda t: t.start)


def parse_published(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
