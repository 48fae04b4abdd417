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
