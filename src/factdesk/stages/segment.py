"""Paragraphs and sentences with character offsets into the body."""

from __future__ import annotations

import re

from ..document import Document, Sentence
from ..pipeline import Stage, register

# Tokens that end in a period without ending a sentence.
ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof gen lt col maj sgt capt cpt adm cmdr sen rep gov pres supt insp st jr sr rev fr hon
    u.s u.k u.n e.g i.e vs no inc co corp ltd dept est approx fig al jan feb mar apr jun jul aug sep sept oct
    nov dec mt ft a.m p.m ph.d""".split()
)

_PARAGRAPH = re.compile(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*")
# A candidate boundary: terminal punctuation, optional closing quotes/brackets, whitespace.
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+)")
_NEXT_STARTS_SENTENCE = re.compile(r"\s+[\"'“‘(\[]?[A-Z0-9]")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")
_BULLET = re.compile(r"[ \t]*(?:[-*•–—]|\d{1,2}[.)])[ \t]")  # a list item's start
_GOES_ON_IN_LOWER_CASE = re.compile(r"\n[ \t]*[a-z]")  # a line break inside a sentence of hard-wrapped prose
_ENDS_LIKE_A_SENTENCE = ".!?:;”\"'’"


_ABBREV_WINDOW = 32  # longer than any abbreviation; the search looks no further back (else it is quadratic)


def _is_abbreviation(text: str, dot: int) -> bool:
    lo = max(0, dot - _ABBREV_WINDOW)
    m = _WORD_BEFORE.search(text, lo, dot + 1)
    if not m or (m.start() == lo and lo > 0 and (text[lo - 1].isalpha() or text[lo - 1] == ".")):
        return False  # no word, or a word too long to be an abbreviation
    word = m.group(1).lower()
    if word in ABBREVIATIONS:
        return True
    # single initials ("David J. Smith") and dotted acronyms ("U.S.")
    return len(word) == 1 or bool(re.fullmatch(r"(?:[a-z]\.)+[a-z]", word))


def _lines_are_units(text: str, start: int, end: int) -> bool:
    """Whether each line of this paragraph stands alone (one paragraph per line, as web pages are often saved:
    captions, bylines, headings, "READ MORE" lines and one-sentence paragraphs), rather than hard-wrapped prose:
    at least three lines and none going on in lower case (in hard-wrapped prose some line nearly always does)."""
    return text.count("\n", start, end) >= 2 and _GOES_ON_IN_LOWER_CASE.search(text, start, end) is None


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans within ``text[start:end]`` (one paragraph). A line break inside a paragraph ends a sentence
    when the line before it ends like one (punctuation or colon: headings, hard-wrapped prose), when the next line
    is a list item, or when every line of the paragraph stands alone (``_lines_are_units``)."""
    units = "\n" in text[start:end] and _lines_are_units(text, start, end)
    spans: list[tuple[int, int]] = []
    cur = start
    pos = start
    while pos < end:
        m = _BOUNDARY.search(text, pos, end)
        nl = text.find("\n", pos, end)
        if nl != -1 and (m is None or nl < m.start()):
            prev = text[cur:nl].rstrip()
            if prev and (units or prev[-1] in _ENDS_LIKE_A_SENTENCE or _BULLET.match(text, nl + 1, end)):
                spans.append((cur, cur + len(prev)))
                cur = nl + 1
            pos = nl + 1
            continue
        if m is None:
            break
        cut = m.end()
        single_dot = text[m.start() : m.end()].startswith(".") and not text[m.start() : m.end()].startswith("..")
        if _NEXT_STARTS_SENTENCE.match(text, cut) and not (single_dot and _is_abbreviation(text, m.start())):
            spans.append((cur, cut))
            cur = cut
        pos = cut
    if cur < end:
        spans.append((cur, end))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        while e - s > MAX_SENTENCE_CHARS:  # no prose sentence is this long: cut it, so no later step sees one
            cut = _cut_point(text, s, s + MAX_SENTENCE_CHARS)
            out.append((s, cut))
            s = cut
            while s < e and text[s].isspace():
                s += 1
        if e > s:
            out.append((s, e))
    return out


MAX_SENTENCE_CHARS = 1500
_CLAUSE_BREAK = re.compile(r"[,;:]\s")


def _cut_point(text: str, s: int, limit: int) -> int:
    """Where to end an over-long sentence at or before ``limit``: after the last clause break (",;:") in its final
    fifth, else at the last space, else at ``limit``."""
    lo = s + (limit - s) * 4 // 5
    breaks = [m.end() for m in _CLAUSE_BREAK.finditer(text, lo, limit)]
    if breaks:
        return breaks[-1] - 1
    space = text.rfind(" ", lo, limit)
    return space if space > s else limit


@register
class Segment(Stage):
    name = "segment"
    requires = ("text",)
    assigns = ("sentences", "paragraphs")

    def __call__(self, doc: Document) -> Document:
        doc.paragraphs = [(m.start(), m.end()) for m in _PARAGRAPH.finditer(doc.text) if m.group().strip()]
        doc.sentences = [
            Sentence(s, e, doc.text[s:e], i)
            for i, (ps, pe) in enumerate(doc.paragraphs)
            for s, e in split_sentences(doc.text, ps, pe)
        ]
        return doc
