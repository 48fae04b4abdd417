import pytest

from factdesk.document import Document
from factdesk.stages.quotes import Quotes
from factdesk.stages.segment import Segment


def analyse(text):
    return Quotes()(Segment()(Document(text=text)))


@pytest.mark.parametrize(
    "text, speaker, via",
    [
        ("“We will rebuild the bridge,” a spokesman for the ministry said on Tuesday.", "a spokesman for the ministry", None),
        ("The minister told reporters: “The bridge will reopen in May this year.”", "The minister", None),
        ("Angela Merkel said, “We are ready to talk now.”", "Angela Merkel", None),
        ("Here is an official quoted by Reuters on the issue:\n\n“There are fewer than 1,000 fighters left in the area.”", "an official", "Reuters"),
        ("“We are working with our partners to capture them”\n\nsaid a representative for the coalition.", "a representative for the coalition", None),
        ("“The fleet is ready for winter service,” said Luis Ferreira.", "Luis Ferreira", None),
        # an appositive between the name and the verb
        ("Retired Air Force Lt. Gen. David Deptula, a former head of Air Force intelligence, said: “The rules of "
         "engagement were onerous.”", "Retired Air Force Lt. Gen. David Deptula", None),
        ("Mr Madden, a frequent visitor to Pyongyang, the North Korean capital, added: “They are one of the few "
         "ways in.”", "Mr Madden", None),
        ("Jorge Santamaria, who lives near the airport, said: “I was sitting on my porch when it fell.”",
         "Jorge Santamaria", None),
        ("Asked about the reports, the Israeli defence minister, Moshe Ya’alon, said: “I cannot confirm that at "
         "all.”", "Moshe Ya’alon", None),
        ("Responding to inquiries from Mashable, a WHO spokesperson, Christy Feigh, said, “We have no official "
         "notification.”", "Christy Feigh", None),
        ("Libyan PM Abdullah al-Thani, who recently stepped down, said: “State offices in Tripoli have been lost.”",
         "Libyan PM Abdullah al-Thani", None),
        # words between the verb and the quotation; a determiner inside a role is not part of it
        ("Coalition spokesman Colonel Ryan Dillon said in a statement: “We can tell you that we are working with "
         "our partners.”", "Coalition spokesman Colonel Ryan Dillon", None),
        ("In a written statement the coalition added: “Due to the commitment of the Coalition, fewer remain.”",
         "the coalition", None),
        ("Earnest said that while there is “limited insight into those particular fighters,” the aid goes on.",
         "Earnest", None),
        ("“We can tell you that we are working with our partners,” Colonel Ryan Dillon, the coalition’s "
         "spokesman, said in the statement.", "Colonel Ryan Dillon", None),
        ("The coalition led by Washington said on Wednesday: “We can tell you that we are working.”",
         "The coalition led by Washington", None),
        ("“We are working with our partners,” the coalition’s press office said in a statement sent to journalists.",
         "the coalition’s press office", None),
        ("“We are working with our partners,” a coalition spokesman, Army Colonel Ryan Dillon, said in an emailed "
         "statement.", "Army Colonel Ryan Dillon", None),
        # a pronoun opening the next sentence is not part of a name ("… with Syria. It said")
        ("The pair were held near a border crossing with Syria. It said the arrest came in “coordination with "
         "foreign intelligence services.”", None, None),
        # "she": not whom something was told to, nor a sentence's last word joined to the next one's first
        ("Taylor Chandler met him at his home, she told Radar Online.\n\n“We made love during halftime,” she said.",
         "Taylor Chandler", None),
        ("The pair met up at his home to watch a game, she told Radar Online.\n\n“We made love during halftime,” "
         "she said.", None, None),
        ("They met in August. He was in rehab.\n\n“We made love during halftime,” she said.", None, None),
        # an age before the appositive, or alone: the name is the speaker, not a place in the appositive
        ("Dental receptionist Nicola Dawson, 48, who was visiting from nearby Kendal, said: “I have a cold.”",
         "Nicola Dawson", None),
        ("“I have a cold,” Nicola Dawson, 48, said.", "Nicola Dawson", None),
    ],
)
def test_quotes_speaker_and_relay(text, speaker, via):
    (q,) = analyse(text).quotes
    assert (q.speaker, q.via, q.well_formed) == (speaker, via, True)


def test_quotes_closing_mark_without_opening_is_malformed_and_flagged():
    text = ("He was praised by many, including retired general Jane Roe:\n\n"
            "The rules were onerous. The limits caused more casualties.”\n\nThe war ended.")
    doc = analyse(text)
    (q,) = doc.quotes
    assert not q.well_formed
    assert q.text.startswith("The rules were onerous")
    assert any(f.type == "malformed_quote" and f.start == q.start for f in doc.flags)


def test_quotes_new_sentence_after_quote_is_not_its_speaker():
    doc = analyse("“We are ready to talk now.” Angela Merkel spoke later about trade.")
    assert doc.quotes[0].speaker is None


def test_quotes_multi_paragraph_quote_is_well_formed():
    doc = analyse("She said: “The first part of the statement runs on.\n\n“And the second part ends it here.”")
    assert all(q.well_formed for q in doc.quotes)


@pytest.mark.parametrize("text", ["He called it “fake” and left.", "The “so-called plan” failed."])
def test_quotes_scare_quotes_are_not_quotations(text):
    assert analyse(text).quotes == []


@pytest.mark.parametrize(
    "sentence, kind",
    [
        ("The same experts are now warning that attacks will multiply.", "vague"),
        ("Many say the plan failed badly.", "vague"),
        ("It is widely believed that the contract was rigged.", "vague"),
        ("According to the finance ministry, revenue rose by 3 percent.", "indirect"),
        ("The Times of London reports that thousands escaped.", "indirect"),
        ("The bridge reopened to traffic on Monday morning.", "none"),
        ("Fewer than 1,000 fighters remain in Iraq and Syria, the U.S.-led coalition said on Wednesday.", "indirect"),
        ("The depot cost $38.5 million, the council said in a statement.", "indirect"),
        ("Hundreds of fighters fled to Turkey, officials say.", "indirect"),
        ("Prices rose, as everyone could see.", "none"),
    ],
)
def test_quotes_sentence_attribution_type(sentence, kind):
    doc = analyse(sentence)
    assert doc.attributions[0].type == kind
    assert any(f.type == "vague_attribution" for f in doc.flags) == (kind == "vague")


@pytest.mark.parametrize(("text", "quote", "speaker"), [
    # British style, curly and straight single quotes, with the attribution after or before
    ("‘We can tell you that we are working with our partners,’ a coalition spokesman said.",
     "‘We can tell you that we are working with our partners,’", "a coalition spokesman"),
    ("A spokesman for the coalition said: 'We can tell you that we are working with our partners.'",
     "'We can tell you that we are working with our partners.'", "A spokesman for the coalition"),
    ("‘We are working with our partners to kill them all’ said a representative for the coalition.",
     "‘We are working with our partners to kill them all’", "a representative for the coalition"),
    # apostrophes, possessives and titles are no quotations
    ("The fighters’ families said they don’t know where the men’s bodies are.", None, None),
    ("The coalition's estimate and the fighters' families were discussed.", None, None),
    ("The video, titled ‘Alive And Well In Raqqa’, was posted online.", None, None),
    ("In the ‘90s, many of the fighters’ families said they had fled.", None, None),
    ("The ‘Leave’ campaign’s leaders and the ministers’ aides said no.", None, None),
])
def test_quotes_single_quotation_marks(text, quote, speaker):
    doc = analyse(text)
    assert [(q.text, q.speaker) for q in doc.quotes] == ([(quote, speaker)] if quote else [])


@pytest.mark.parametrize(("before", "speaker"), [
    ("Kim Smith posted a photo to Taylor’s Instagram.", "Kim Smith"),  # a possessive is no speaker
    ("Father John O’Neal spoke of the ‘Holy Mother’.", "Father John O’Neal"),  # nor a name closing a quotation
    # nor a title or an institution after "the", nor a sentence's opening word
    ("Ty Votaw spoke for the PGA Tour.", "Ty Votaw"),
    ("Brian Williams told it on the Late Show With David Letterman.", "Brian Williams"),
    ("Brian Williams apologised. When Williams returned, the story changed.", "Brian Williams"),
])
def test_quotes_he_said_skips_possessives_and_quoted_names(before, speaker):
    doc = analyse(f"{before}\n\n“I wish to continue preaching to all who will listen,” he said.")
    assert [q.speaker for q in doc.quotes] == [speaker]
