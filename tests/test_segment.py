import pytest

from factdesk.document import Document
from factdesk.stages.segment import Segment


def sentences(text):
    return [s.text for s in Segment()(Document(text=text)).sentences]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("He left. She stayed.", ["He left.", "She stayed."]),
        ("Lt. Gen. David Deptula spoke. Then he left.", ["Lt. Gen. David Deptula spoke.", "Then he left."]),
        ("The U.S. Air Force said so. Nobody argued.", ["The U.S. Air Force said so.", "Nobody argued."]),
        ("“It is over.” He smiled.", ["“It is over.”", "He smiled."]),
        ("Is it? Yes! Fine.", ["Is it?", "Yes!", "Fine."]),
        ("The price was 3.5 dollars. Cheap.", ["The price was 3.5 dollars.", "Cheap."]),
        ("Intro line:\nThe quote follows here.", ["Intro line:", "The quote follows here."]),
        # a web page saved one paragraph per line: captions, headings, READ MORE lines stand alone
        ("[Image caption: A map of the region (News graphic)]\nThe figure fell to 900.\nREAD MORE: Talks resume\n"
         "WHAT NEXT?\nOfficials will meet again.",
         ["[Image caption: A map of the region (News graphic)]", "The figure fell to 900.", "READ MORE: Talks resume",
          "WHAT NEXT?", "Officials will meet again."]),
        # list items start sentences; hard-wrapped prose is joined back
        ("Related:\n- Talks resume in Vienna\n- Fares rise by 25 percent", ["Related:", "- Talks resume in Vienna",
                                                                        "- Fares rise by 25 percent"]),
        ("The council voted on\nTuesday to raise fares, and the\nmayor said the vote was fair.",
         ["The council voted on\nTuesday to raise fares, and the\nmayor said the vote was fair."]),
        ("The council voted on\nTuesday to raise fares.", ["The council voted on\nTuesday to raise fares."]),
    ],
)
def test_segment_sentences(text, expected):
    assert sentences(text) == expected


def test_segment_offsets_index_the_body_and_paragraphs_count():
    text = "First para. Still first.\n\nSecond para here.\n\n\nThird."
    doc = Segment()(Document(text=text))
    assert [text[s.start : s.end] for s in doc.sentences] == [s.text for s in doc.sentences]
    assert [s.paragraph for s in doc.sentences] == [0, 0, 1, 2]
    assert len(doc.paragraphs) == 3


def test_segment_long_article_splits_in_linear_time():
    """The abbreviation check once searched back to the start of the text for every period: a 760 KB article took
    7 minutes. It now looks at most a few dozen characters back."""
    import signal

    from factdesk.stages.segment import split_sentences

    text = "The mayor said the plan was approved. Mr. Smith and the U.S. Army agreed. " * 3000

    def too_slow(*_):
        raise TimeoutError("split_sentences is not linear in the text length")

    old = signal.signal(signal.SIGALRM, too_slow)
    signal.setitimer(signal.ITIMER_REAL, 10.0)  # linear: well under a second; quadratic: over a minute
    try:
        spans = split_sentences(text, 0, len(text))
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    assert len(spans) == 6000
    assert text[spans[1][0]:spans[1][1]] == "Mr. Smith and the U.S. Army agreed."


@pytest.mark.parametrize("text, cut_after", [
    ("word " * 400 + "end, more " + "x " * 500 + "final.", None),  # no clause break in reach: the last space
    ("word " * 250 + "a clause ends here, " + "y " * 600 + "final.", "here,"),  # a comma in the final fifth
])
def test_segment_cuts_over_long_sentences(text, cut_after):
    from factdesk.stages.segment import MAX_SENTENCE_CHARS, split_sentences

    spans = split_sentences(text, 0, len(text))
    assert len(spans) >= 2 and all(e - s <= MAX_SENTENCE_CHARS for s, e in spans)
    assert all(text[s:e] == text[s:e].strip() and text[s:e] for s, e in spans)
    assert "".join(text[s:e] for s, e in spans).replace(" ", "") == text.replace(" ", "")  # nothing lost
    if cut_after:
        assert text[: spans[0][1]].endswith(cut_after)
    else:
        assert not text[spans[0][1] - 1].isspace() and text[spans[0][1]] == " "  # cut between words
