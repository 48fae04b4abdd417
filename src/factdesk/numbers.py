"""Numbers written in digits or words: "1,000", "3.5 million", "one thousand", "forty-five thousand"."""

from __future__ import annotations

import re

UNITS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
        "seventeen eighteen nineteen".split()
    )
}
TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if w != "_"}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "trillion": 10**12}
_WORDS = sorted([*UNITS, *TENS, *SCALES], key=len, reverse=True)
_WORD = "(?:" + "|".join(_WORDS) + ")"
# one or more number words joined by spaces, hyphens or "and": "forty-five thousand", "one hundred and twenty"
NUMBER_WORD_PATTERN = rf"{_WORD}(?:(?:[\s-]+|\s+and\s+){_WORD})*"
# "a thousand", "an hundred": one of a scale
A_SCALE_PATTERN = r"\ban?\s+(?:hundred|thousand|million|billion|trillion)\b"
# "thousands of …": an order of magnitude, read as "more than 1,000"
VAGUE_MULTIPLES = {"dozens": 12.0, "hundreds": 100.0, "thousands": 1000.0, "millions": 1e6, "billions": 1e9}
MONTHS = ("January February March April May June July August September October November December Jan Feb Mar Apr "
           "Jun Jul Aug Sep Sept Oct Nov Dec").split()
# not a day after its month: "On Dec. 5 300 soldiers arrived" is the 5th and 300
_NOT_A_DAY = "".join(rf"(?<!{m} )(?<!{m}\. )" for m in MONTHS)
# a thousands separator between digits, never the space after a month's day ("Dec. 5 300 soldiers")
THOUSANDS_SEPARATOR = re.compile(r"(?<=\d)(?:[,\u202f\u00a0]|" + "".join(
    rf"(?<!{m}{dot} \d)(?<!{m}{dot} \d\d)" for m in MONTHS for dot in ("", r"\.")) + r" )(?=\d{3}\b)")
# "6 1/2", "3/4": a whole number and a fraction, or a fraction alone, of halves, thirds, quarters or eighths
# ("24/7" and "9/11" are no fractions)
FRACTION_PATTERN = r"(?:\d{1,3}\s+)?(?:1/[2348]|2/3|3/[48]|[57]/8)(?![\w/])"
# "1,000", "2.5", "3 000" / "45 000" (thousands set off by a space), "3k"
DIGITS_PATTERN = (rf"(?:\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|{_NOT_A_DAY}\d{{1,3}}(?:[ \u00a0\u202f]\d{{3}})+(?![\d]|[,.]\d)"
                  r"|\d+(?:\.\d+)?)"
                  r"(?:[kK](?![\w-]|\s+(?:gold|white|rose|yellow|karat|carat)))?")


_NUMBER_NAMES = {v: w for w, v in (UNITS | TENS).items()}  # 3 -> "three", 40 -> "forty"


def spoken_forms(value: float) -> list[str]:
    """How a round number of hundreds, thousands, millions or billions may be written in words: 3000 → "three
    thousand", "3 thousand"; 1000 → "one thousand", "a thousand"; 2_500_000 → nothing (not a whole count of a
    scale). Hyphens as spaces ("twenty-five" is read as two words)."""
    out = []
    for scale in ("billion", "million", "thousand", "hundred"):
        k, rest = divmod(value, SCALES[scale])
        if rest or not 1 <= k < 100:
            continue
        k = int(k)
        tens, ones = k - k % 10, k % 10
        words = _NUMBER_NAMES.get(k) or (f"{_NUMBER_NAMES[tens]} {_NUMBER_NAMES[ones]}" if k > 20 and ones else None)
        out += [f"{k} {scale}"] + ([f"{words} {scale}"] if words else []) + (["a " + scale] if k == 1 else [])
        break
    return out


def parse_number(text: str) -> float | None:
    """Value of a number in digits ("45,000", "2.5") or words ("one thousand", "forty-five"), with an optional
    trailing scale word ("3.5 million"). None when it is not a number."""
    if m := re.fullmatch(r"(?:(\d+)\s+)?(\d)/(\d)", text.strip()):
        return float(m[1] or 0) + int(m[2]) / int(m[3])
    t = THOUSANDS_SEPARATOR.sub("", text.strip()).lower().replace(",", "")
    t = re.sub(r"(?<=\d)k$", " thousand", t)  # "3k"
    parts = re.split(r"[\s-]+", t)
    parts = [p for p in parts if p and p != "and"]
    if not parts:
        return None
    if parts[0] in ("a", "an") and len(parts) > 1 and parts[1] in SCALES:
        parts[0] = "one"  # "a thousand"
    try:
        value = float(parts[0])
        for p in parts[1:]:
            if p not in SCALES:
                return None
            value *= SCALES[p]
        return value
    except ValueError:
        pass
    total, current = 0.0, 0.0
    for p in parts:
        if p in UNITS:
            current += UNITS[p]
        elif p in TENS:
            current += TENS[p]
        elif p == "hundred":
            current = max(current, 1) * 100
        elif p in SCALES:
            total += max(current, 1) * SCALES[p]
            current = 0
        else:
            return None
    return total + current


def with_rate(unit: str | None, per: str | None) -> str | None:
    """A quantity's unit with what it is counted per: ("USD", "month") → "USD per month", (None, "day") → "per day"."""
    if not per:
        return unit
    return f"{unit} per {per}" if unit else f"per {per}"


def split_rate(unit: str | None) -> tuple[str | None, str | None]:
    """The inverse of :func:`with_rate`: "USD per month" → ("USD", "month"), "percent" → ("percent", None)."""
    base, _, per = f" {unit or ''}".partition(" per ")
    return base.strip() or None, per.strip() or None
