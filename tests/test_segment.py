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
