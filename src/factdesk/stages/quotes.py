"""Quotations (with speaker, verb, relay and well-formedness) and how each sentence is attributed."""

from __future__ import annotations

import re

from ..document import Attribution, Document, Flag, Quote
from ..pipeline import Stage, register

VERBS = (
    r"said|says|told|tells|stated|states|added|adds|noted|notes|warned|warns|explained|explains|wrote|writes|"
    r"declared|declares|announced|announces|claimed|claims|insisted|insists|argued|argues|asked|asks|replied|"
    r"tweeted|posted|reported|reports|confirmed|confirms|acknowledged|admitted|stressed|urged|predicted|estimated"
)
_ROLE = (
    r"official|spokesman|spokeswoman|spokesperson|representative|source|officer|analyst|expert|minister|diplomat|"
    r"aide|adviser|advisor|commander|general|statement|report|witness|resident|researcher|scientist|lawyer|"
    r"prosecutor|doctor|economist|lawmaker|senator|member|leader|chief|director|president|secretary|envoy|"
    r"coalition|government|ministry|agency|police|army|military|council|committee|department|authorit(?:y|ie)|office"
)
# a word of a name after its first: a pronoun that opens the next sentence ("… with Syria. It said") is not one
_CAP = r"(?!(?:It|He|She|They|We|This|That|There)\b)(?:[A-Z][\w’'.-]*|(?:al|el|bin|ibn|abu)-[A-Z][\w’'.-]*|of|the|for|and|de|van|von|al)"
NAME = rf"(?:[A-Z][\w’'.-]*)(?:\s+{_CAP}){{0,7}}(?<!\sof)(?<!\sthe)(?<!\sfor)(?<!\sand)"
ROLE_NP = (
    rf"(?:[Aa]n?|[Tt]he|[Oo]ne|[Aa]nother)\s+(?:(?!(?:[Aa]n?|[Tt]he)\s)[\w’'-]+\s+){{0,3}}?(?:{_ROLE})s?"
    rf"(?:\s+(?:for|of|from|with|at|in|led\s+by)\s+(?:the\s+)?[\w’'-]+(?:\s+(?!(?:{VERBS}|on|in|at|to|that|who|which|as|quoted|cited)\b)[\w’'-]+){{0,4}})?"
)
TITLED_NAME = rf"(?:[A-Za-z][\w-]*\s+){{0,2}}?(?:{_ROLE})\s+{NAME}"  # "council member Dana Whitfield"
SPEAKER = rf"(?:{ROLE_NP}|{TITLED_NAME}|{NAME})"

# "David Deptula, a former head of Air Force intelligence, said:": an appositive (with at most one comma of its own,
# before a lower-case word: "a frequent visitor to Pyongyang, the North Korean capital,"; never "…, the minister,
# Moshe Ya'alon, said", whose speaker is the name) may stand between name and verb
# An age may come first ("Nicola Dawson, 48, who was visiting from nearby Kendal, said:"; "Bill Smith, 49, said").
_APPOSITION = r"(?:an?|the|who|now|then|formerly)\s+[^,;:“”\"]{1,80}?(?:,\s+(?![A-Z])[^,;:“”\"]{1,60}?)?,"
_APPOSITIVE = rf"(?:\s*,\s+\d{{1,3}}\s*,(?:\s+{_APPOSITION})?|\s*,\s+{_APPOSITION})?"
_AFTER_VERB_FIRST = re.compile(rf"^\s*(?:,\s*)?(?P<verb>{VERBS})\s+(?P<speaker>{SPEAKER})", re.S)
_AFTER_SPEAKER_FIRST = re.compile(rf"^\s*(?:,\s*)?(?P<speaker>{SPEAKER}|he|she|they){_APPOSITIVE}\s+(?P<verb>{VERBS})\b",
                                  re.S)
# "…,” a coalition spokesman, Army Colonel Ryan Dillon, said": the name in apposition is the speaker
_AFTER_ROLE_NAME = re.compile(rf"^\s*(?:,\s*)?{ROLE_NP},\s+(?P<speaker>{TITLED_NAME}|{NAME}),\s+(?P<verb>{VERBS})\b",
                              re.S)
_QUOTED_BY = re.compile(rf"(?P<speaker>{SPEAKER})\s+(?:quoted|cited)\s+by\s+(?P<via>{NAME})")
_QUOTED_AS = re.compile(rf"(?P<via>{NAME})\s+quoted\s+(?P<speaker>{SPEAKER})\s+as\s+saying")
_INCLUDING = re.compile(rf"\bincluding\s+(?P<speaker>{NAME})")
_BEFORE = re.compile(rf"(?P<speaker>{SPEAKER}){_APPOSITIVE}\s*,?\s+(?P<verb>{VERBS})(?:\s+(?:that|the\s+[\w-]+|[\w-]+)){{0,4}}?"
                     r"\s*[:,]?\s*$")
_ACCORDING = re.compile(rf"\baccording to\s+(?P<speaker>{SPEAKER})", re.I)

VAGUE = re.compile(
    r"\b(?:(?:the\s+same|some|many|other|most|several|top|leading)\s+)?"
    r"(?:experts?|analysts|observers|critics|sources|insiders|scientists|commentators|people)\s+"
    r"(?:are\s+|have\s+|had\s+|were\s+)?(?:now\s+|also\s+|increasingly\s+)?"
    r"(?:say|said|saying|warn|warned|warning|claim|claimed|claiming|believe|believed|suggest|suggested|fear|feared|"
    r"agree|predict|predicted|predicting|argue|argued|think|insist|tell\s+us)\b"
    r"|\b(?:many|some|most|others)\s+(?:say|believe|think|agree|argue|claim|fear)\b"
    r"|\b(?:it\s+(?:is|was|has\s+been)\s+(?:estimated|believed|thought|claimed|alleged)|(?:is|are|was|were)\s+"
    r"(?:believed|thought|said|rumou?red)\s+to\s+(?:be|have))\b"
    r"|\bby\s+many\b|\b(?:it\s+is|it's)\s+(?:widely\s+)?(?:believed|said|thought|feared|reported|rumou?red)\b"
    r"|\breportedly\b|\baccording\s+to\s+(?:some|many|unnamed|anonymous)?\s*(?:experts|sources|reports|insiders)\b"
    r"|\b(?:people|everyone|everybody)\s+(?:are\s+saying|knows)\b|\bsome\s+(?:have\s+)?(?:suggested|argued|claimed)\b",
    re.I,
)
# "…, officials say." / "…, the coalition said on Wednesday.": the attribution closes the sentence
_TRAILING = re.compile(
    rf",\s+(?P<speaker>{SPEAKER}|(?:[Tt]he\s+)?(?:[\w.’'-]+\s+){{0,2}}?(?:{_ROLE})s?)\s+(?P<verb>{VERBS}|say)"
    rf"(?:\s+(?:on|in|last|this|late|early)(?:\s+[\w-]+){{1,3}})?\s*[.!]?[”\"]?\s*$")
_INDIRECT_SUBJECT = re.compile(
    rf"^(?:However,?\s+|But\s+|And\s+|Meanwhile,?\s+)?(?P<speaker>{SPEAKER})(?:,[^,]{{1,80}},)?\s+"
    rf"(?P<verb>{VERBS}|reports|believes)\b",
)


PRONOUNS = ("he", "she", "they")
INTRO_CHARS = 400
_PERSON = re.compile(r"\b(?!(?:The|A|An|In|On|At|By|For|From|With|To|Of|When|While|But|And|If|As|After|Before|Since|"
                     r"Although|Because|So|Then|Now|Yet|Meanwhile|However|Last|This|That|Earlier|Later)\b)[A-Z][^\W\d_’'.-]*(?:[’'.-][^\W\d_’'.-]*)*"
                     r"(?:\s+[A-Z][^\W\d_’'-]*(?:[’'-][^\W\d_’'-]*)*)+\b")  # letters only: not "AD_152311327"


def _last_person(text: str) -> str | None:
    """The last multi-word capitalised name in ``text``: what 'he said' / 'she said' most likely refers to."""
    # not a possessive ("Taylor’s Instagram") nor a name closing a quotation ("the ‘Holy Mother’")
    # nor a title or an institution ("the Asian Games", "the Late Show With David Letterman")
    # nor whom the words were told to ("she told Radar Online"), nor a sentence's last word joined to the next
    # sentence's first ("in August. He")
    names = [m.group() for m in _PERSON.finditer(text)
             if not re.search(r"[’']s\b", m.group()) and text[m.end() : m.end() + 1] not in ("’", "'")
             and text[max(0, m.start() - 4) : m.start()].lower() != "the "
             and text[max(0, m.start() - 5) : m.start()].lower() != "told "
             and not re.match(r"[^\s.]{4,}\.\s", m.group())]
    return names[-1] if names else None


def _clean(speaker: str | None) -> str | None:
    if not speaker:
        return None
    s = re.sub(r"\s+", " ", speaker).strip(" ,.:;")
    return None if s.lower() in ("he", "she", "they", "it", "i", "we") else s


def _from_intro(sentence: str) -> tuple[str | None, str | None, str | None]:
    """Speaker, via and verb from a sentence that introduces a quotation (ends with ':' or 'said,')."""
    if m := _QUOTED_BY.search(sentence):
        return _clean(m["speaker"]), _clean(m["via"]), "quoted"
    if m := _QUOTED_AS.search(sentence):
        return _clean(m["speaker"]), _clean(m["via"]), "quoted"
    if m := _BEFORE.search(sentence):
        return _clean(m["speaker"]), None, m["verb"]
    if m := _ACCORDING.search(sentence):
        return _clean(m["speaker"]), None, "according to"
    if m := _INCLUDING.search(sentence):
        return _clean(m["speaker"]), None, None
    return None, None, None


def _from_after(text: str) -> tuple[str | None, str | None]:
    if m := _AFTER_ROLE_NAME.match(text):
        return _clean(m["speaker"]), m["verb"]
    if m := _AFTER_VERB_FIRST.match(text):
        return _clean(m["speaker"]), m["verb"]
    if m := _AFTER_SPEAKER_FIRST.match(text):
        who = m["speaker"]
        return (who if who.lower() in PRONOUNS else _clean(who)), m["verb"]
    return None, None


def _quote_spans(text: str, ps: int, pe: int, next_para_opens: bool) -> list[tuple[int, int, bool]]:
    """(start, end, well_formed) of quotations in one paragraph. Curly and straight double quotes."""
    spans: list[tuple[int, int, bool]] = []
    open_at: int | None = None
    for i in range(ps, pe):
        c = text[i]
        if c == "“" or (c == '"' and open_at is None and (i == ps or not text[i - 1].isalnum())):
            if open_at is not None:
                spans.append((open_at, i, False))  # opened again without closing
            open_at = i
        elif c == "”" or c == '"':
            if open_at is None:
                start = ps
                while start < i and text[start].isspace():
                    start += 1
                spans.append((start, i + 1, False))  # closing mark with no opening one
            else:
                spans.append((open_at, i + 1, True))
                open_at = None
    if open_at is not None:
        end = pe
        # a quote running on into a paragraph that reopens with a quotation mark is the usual convention
        spans.append((open_at, end, next_para_opens))
    return spans


# after a closing ‘…’ quotation: punctuation, the paragraph's end, or the attribution ("’ said a spokesman")
_AFTER_SINGLE = re.compile(rf"[,.;:?!)]|\s*$|\s+(?:{VERBS}|according)\b|(?P<far>\s+[a-z]+\s+(?:{VERBS})\b)")


def _single_quote_spans(text: str, ps: int, pe: int) -> list[tuple[int, int, bool]]:
    """(start, end, True) of British-style quotations in one paragraph that has no double quotes. Curly: ‘ opening
    a word after a space or the paragraph's start, closed by the first ’ that follows punctuation ("….’") or is
    followed by punctuation, the paragraph's end or an attribution ("…’ said a spokesman"); a ’ inside or after a
    word ("don’t", "the fighters’ families") is an apostrophe. Straight: ' before a capital, closed only by a '
    after ".,!?" (said: 'We can tell you ….'). A run of capitalised words (‘Alive And Well’) is a title, not a
    quotation."""
    spans: list[tuple[int, int, bool]] = []
    for opening, closing in (("‘", "’"), ("'", "'")):
        straight = opening == "'"
        i = text.find(opening, ps, pe)
        while i != -1:
            j = None
            if ((i == ps or text[i - 1] in " \t\n([—–-") and i + 1 < pe
                    and (text[i + 1].isupper() if straight else text[i + 1].isalpha())):  # not "the ‘90s"
                k = text.find(closing, i + 1, pe)
                while k != -1 and opening not in text[i + 1 : k]:
                    ends = not (k + 1 < pe and text[k + 1].isalnum())
                    # "…’ said": only after punctuation or at a clause's end; "the fighters’ families said" is a
                    # possessive
                    after = _AFTER_SINGLE.match(text[:pe], k + 1)
                    if ends and (text[k - 1] in ".,!?" or (not straight and after and after.lastgroup != "far")):
                        j = k
                        break
                    k = text.find(closing, k + 1, pe)
            if j is not None:
                words = re.findall(r"[A-Za-z][\w’'-]*", text[i + 1 : j])
                if not all(w[0].isupper() for w in words if len(w) > 3):
                    spans.append((i, j + 1, True))
                i = text.find(opening, j + 1, pe)
            else:
                i = text.find(opening, i + 1, pe)
        if spans:
            break
    return spans


@register
class Quotes(Stage):
    name = "quotes"
    requires = ("sentences", "paragraphs")
    assigns = ("quotes", "attributions", "flags")

    min_words = 3  # shorter quoted spans are titles or scare quotes, not quotations

    def __call__(self, doc: Document) -> Document:
        text = doc.text
        quotes: list[Quote] = []
        for k, (ps, pe) in enumerate(doc.paragraphs):
            nxt = doc.paragraphs[k + 1] if k + 1 < len(doc.paragraphs) else None
            next_opens = bool(nxt and text[nxt[0] : nxt[1]].lstrip().startswith(("“", '"')))
            spans = _quote_spans(text, ps, pe, next_opens)
            if not spans and not any(c in text[ps:pe] for c in "“”\""):
                spans = _single_quote_spans(text, ps, pe)  # British style: ‘…’
            for s, e, ok in spans:
                inner = text[s:e].strip("“”\"‘’ ")
                if len(inner.split()) < self.min_words:
                    continue
                speaker, via, verb = self._attribute(doc, k, s, e)
                quotes.append(Quote(id=f"q{len(quotes) + 1}", text=text[s:e], start=s, end=e, speaker=speaker,
                                    well_formed=ok, via=via, verb=verb))
        doc.quotes = quotes
        for q in quotes:
            if not q.well_formed:
                doc.flags.append(Flag(
                    type="malformed_quote", start=q.start, end=q.end, text=q.text, score=0.9,
                    explanation="Quotation marks are unbalanced: the quote's start or end is missing, so where the "
                    "speaker's words begin or end cannot be checked.",
                ))
        doc.attributions = [self._sentence_attribution(doc, s.start, s.end) for s in doc.sentences]
        for sent, att in zip(doc.sentences, doc.attributions):
            if att.type == "vague" and att.cue:
                at = sent.start + sent.text.find(att.cue)
                doc.flags.append(Flag(
                    type="vague_attribution", start=at, end=at + len(att.cue), text=att.cue, score=0.8,
                    explanation="The claim is put in the mouths of unnamed people; no one who could be checked "
                    "is named as its source.",
                ))
        return doc

    def _attribute(self, doc: Document, k: int, s: int, e: int) -> tuple[str | None, str | None, str | None]:
        speaker, via, verb = self._attribute_raw(doc, k, s, e)
        if speaker and speaker.lower() in PRONOUNS:
            start = doc.paragraphs[k - 1][0] if k > 0 else doc.paragraphs[k][0]
            speaker = _last_person(doc.text[start:s])
        return _clean(speaker), via, verb

    def _attribute_raw(self, doc: Document, k: int, s: int, e: int) -> tuple[str | None, str | None, str | None]:
        text = doc.text
        ps, pe = doc.paragraphs[k]
        # 1. after the quote, same paragraph: ', said X' / ', X said'
        after = text[e:pe]
        continues = text[s:e].rstrip("”\"’ ").endswith(",") or after.lstrip()[:1].islower()
        speaker, verb = _from_after(after) if continues else (None, None)
        if speaker:
            return speaker, None, verb
        # 2. the quote ends its paragraph and the next one starts 'said X'
        if text[e:pe].strip() == "" and k + 1 < len(doc.paragraphs):
            ns, ne = doc.paragraphs[k + 1]
            nxt = text[ns:ne].lstrip()
            speaker, verb = _from_after(nxt) if nxt[:1].islower() else (None, None)
            if speaker:
                return speaker, None, verb
        # 3. before the quote, same paragraph: 'X said: “' (its last INTRO_CHARS: an introduction sits right before
        # the quote, and a whole long paragraph per quote made this quadratic)
        before = text[max(ps, s - INTRO_CHARS):s]
        if before.strip():
            speaker, via, verb = _from_intro(before.rstrip())
            if speaker:
                return speaker, via, verb
        # 4. the quote opens its paragraph and the previous one introduces it ('… quoted by Reuters:')
        if not before.strip() and k > 0:
            qs, qe = doc.paragraphs[k - 1]
            prev = text[qs:qe].rstrip()
            if prev.endswith((":", ",")):
                last = [x for x in doc.sentences if x.paragraph == k - 1][-1:]
                intro = last[0].text if last else prev
                speaker, via, verb = _from_intro(intro.rstrip(":, ")[-INTRO_CHARS:])
                return speaker, via, verb
        return None, None, None

    def _sentence_attribution(self, doc: Document, s: int, e: int) -> Attribution:
        for q in doc.quotes:
            if q.start <= s and e <= q.end + 1 or (s <= q.start and q.end <= e):
                return Attribution(type="direct" if q.speaker else "none", speaker=q.speaker, via=q.via, verb=q.verb)
        sent = doc.text[s:e]
        if m := VAGUE.search(sent):
            return Attribution(type="vague", cue=m.group())
        if m := _ACCORDING.search(sent):
            return Attribution(type="indirect", speaker=_clean(m["speaker"]), verb="according to")
        if m := _INDIRECT_SUBJECT.search(sent):
            return Attribution(type="indirect", speaker=_clean(m["speaker"]), verb=m["verb"])
        if m := _TRAILING.search(sent):
            return Attribution(type="indirect", speaker=_clean(m["speaker"]), verb=m["verb"])
        return Attribution(type="none")
