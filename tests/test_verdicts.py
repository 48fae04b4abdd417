"""Claim-versus-evidence comparisons: dropped qualifiers, numbers, dates, quotes, speakers."""

from __future__ import annotations

from pathlib import Path

import pytest

from factdesk.stages.quantities import find_quantities
from factdesk.document import Quantity
from factdesk.verdicts import (
    compare_quantities,
    dates_compatible,
    dateline_country,
    different_speakers,
    dropped_qualifiers,
    find_quote,
    named_apart,
    same_thing,
)


def _qs(text: str, published: str | None = "2017-12-27"):
    return find_quantities(text, 0, len(text), published)


@pytest.mark.parametrize(
    ("claim", "evidence", "dropped"),
    [
        ("There are fewer than 1,000 fighters left in Syria and Iraq.",
         "Fewer than 1,000 fighters remain in the coalition's area of operations.", {"scope"}),
        ("There are fewer than 1,000 fighters left in Syria and Iraq.",
         "The estimate does not include western Syria.", {"scope"}),
        ("Fewer than 1,000 fighters remain in our combined joint area of operations.",
         "The estimate does not include western Syria.", set()),
        ("Unemployment fell to 4 percent.", "Unemployment fell to 4 percent, according to preliminary figures.",
         {"time"}),
        ("The minister took a bribe.", "The minister allegedly took a bribe.", {"uncertainty"}),
        ("The minister is believed to have taken a bribe.", "The minister allegedly took a bribe.", set()),
        ("The council approved the budget on Monday.", "The council approved the budget on Monday.", set()),
        ("There are fewer than 1,000 fighters left.", "Those numbers don't account for western Syria.", {"scope"}),
        ("There are fewer than 1,000 fighters left.", "The count does not take into account western Syria.",
         {"scope"}),
        ("There are fewer than 1,000 fighters left.", "Western Syria is not part of the coalition estimate.",
         {"scope"}),
        ("There are fewer than 1,000 fighters left.", "The number covers just the coalition's territory.", {"scope"}),
        ("There are fewer than 1,000 fighters left.", "Outside the coalition's area there may be more.", {"scope"}),
        ("There are fewer than 1,000 fighters left.", "The fighters were not part of the deal.", set()),
        ("There are fewer than 1,000 fighters left.", "He waited outside the house.", set()),
        ("There are fewer than 1,000 fighters left.", "Its count only reaches as far as the ground where the "
         "coalition is fighting.", {"scope"}),
        ("There are fewer than 1,000 fighters left.", "The west of Syria sits outside that tally.", {"scope"}),
        ("There are fewer than 1,000 fighters left.", "It reflects only the stretch of territory the coalition "
         "holds.", {"scope"}),
    ],
)
def test_verdicts_dropped_qualifiers(claim, evidence, dropped):
    assert set(dropped_qualifiers(claim, evidence)) == dropped


@pytest.mark.parametrize(
    ("claim", "evidence", "relation"),
    [
        ("fewer than 1,000 ISIS fighters remain", "fewer than 1,000 Islamic State fighters remain", "match"),
        ("On December 5th 3000 ISIS fighters were believed to be in Syria",
         "On Dec. 5, the coalition estimated that about 3,000 Islamic State fighters were in Syria.", "match"),
        ("3,000 fighters were in Syria", "About 3,000 fighters were in Syria.", "approximate"),
        ("The budget is $2.4 billion", "The budget is $3.1 billion", "changed"),
        ("fewer than 1,000 fighters remain", "Earlier this month 3,000 fighters remained.", None),
        ("On December 5th 3,000 fighters were left", "On December 12 3,000 fighters were left", "date_changed"),
        ("fewer than 1,000 fighters remain", "fewer than 1,000 tickets remain", None),
        ("fewer than 1,000 fighters remain", "more than 1,000 fighters remain", "changed"),
        ("fewer than 1,000 fighters remain", "thousands of fighters escaped", None),  # too vague to compare
        ("3,000 jihadists were left", "3,000 fighters were left", "match"),
        ("fewer than 1,000 fighters remain", "Russian jets killed 1,000 militants this week.", None),  # an event
        ("fewer than 1,000 ISIS fighters remain", "About 5,000 Nusra Front fighters remain.", None),  # other group
        ("fewer than 1,000 ISIS fighters remain", "About 1,500 Islamic State fighters remain.", "changed"),
        ("jets killed 100 militants", "jets killed 150 militants", "changed"),
        # numbers that can both be true change nothing
        ("More than 3,400 people have died.", "More than 3,000 people have died.", None),
        ("the abduction of nearly 300 girls", "the more than 200 girls who were abducted", None),
        ("the video has more than 27 million views", "the video has racked up over 10 million views", None),
        # numbers too far apart to count the same thing: a war's dead and one strike's
        ("the war has killed more than 200,000 people", "the strike killed at least eight people", None),
        # an estimate from before the story's time ("had said"), and a flow ("have travelled") against a stock
        ("fewer than 1,000 fighters remain", "In early December, the coalition had said approximately 3,000 fighters "
         "were left.", None),
        ("45,000 fighters were present in the region", "Nearly 30,000 foreign fighters have travelled to the region.",
         None),
        # a transcript's speaker label and the capital after it name no group
        ("On December 5th 3000 ISIS jihadists were believed to be in Syria",
         "CORRESPONDENT: At the start of December the coalition was talking about some three thousand fighters.",
         "match"),
        # nor does the capital that opens a bullet or follows a colon
        ("On December 5th 3000 ISIS jihadists were believed to be in Syria",
         "- A sharp drop: Around Dec. 5, the coalition's estimate stood at about 3,000 fighters.", "match"),
        # nor does a city standing for its government
        ("On December 5th 3000 ISIS jihadists were believed to be in Syria",
         "That figure, which has fallen from around 3,000 in early December, omits western Syria, where the Damascus "
         "government holds sway.", "match"),
        # a city both name ties them, though one names the group
        ("a suicide bombing in Kampala, Uganda, in 2010 left 70 dead",
         "Al-Shabaab was responsible for twin suicide bombings in Kampala, Uganda, on July 11, 2010, that killed 70 "
         "people.", "match"),
        # a sentence that gives the claim's number: its other numbers count something else
        ("Brown was hit by at least six bullets", "Brown was struck by at least six bullets, two bullets in the head",
         "match"),
    ],
)
def test_verdicts_compare_quantities(claim, evidence, relation):
    checks = compare_quantities(_qs(claim), _qs(evidence), claim_date="2017-12-27", evidence_date="2017-12-27",
                                evidence_text=evidence, claim_text=claim)
    assert (checks[0].relation if checks else None) == relation


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [("ISIS fighters", "Islamic State fighters", True), ("fighters", "tickets", False), (None, "tickets", True),
     ("ISIS jihadists", "fighters", True), ("militants", "gunmen", True), ("jobs", "workers", True),
     ("lives", "deaths", True), ("troops", "militants", False), ("fans", "fighters", False),
     ("residents", "refugees", False),
     # "people" may be anyone, but not a count of fighters or troops ("850 people from the U.K. travelled")
     ("ISIS fighters/jihadists", "people", False), ("people", "U.S. troops", False), ("people", "dead", True),
     ("students", "people", True), ("civilians", "residents", True)],
)
def test_verdicts_same_thing(a, b, same):
    assert same_thing(a, b) is same


@pytest.mark.parametrize(
    ("a", "b", "apart"),
    [("ISIS fighters", "Nusra Front fighters", True), ("ISIS fighters", "Kurdish fighters", True),
     ("ISIS fighters", "Islamic State fighters", False), ("ISIS fighters", "IS fighters", False),
     ("ISIS fighters", "fighters", False), ("Fighters", "ISIS fighters", False), (None, "Nusra fighters", False)],
)
def test_verdicts_named_apart(a, b, apart):
    from factdesk.verdicts import named_apart

    assert named_apart(a, b) is apart


def test_verdicts_same_thing_uses_similarity_callback():
    assert same_thing("Kurdish forces", "Peshmerga units", lambda a, b: True)
    assert not same_thing("Kurdish forces", "Peshmerga units", lambda a, b: False)
    # two things of known, different kinds are never made the same by the callback
    assert not same_thing("ISIS fighters", "civilians", lambda a, b: True)
    assert not same_thing("ISIS fighters", "U.S. troops", lambda a, b: True)


@pytest.mark.parametrize(("a", "b", "ok"), [("2017-12-05", "2017-12", True), ("2017-12-05", "2017-11", False),
                                            (None, "2015", True), ("2015", "2017-12-27", False)])
def test_verdicts_dates_compatible(a, b, ok):
    assert dates_compatible(a, b) is ok


SOURCE = ('Officials spoke on Monday. "We will keep working with our partners to destroy their network and prevent '
          'their resurgence," the spokesman said.')


@pytest.mark.parametrize(
    ("quote", "match"),
    [
        ("we will keep working with our partners to destroy their network", "exact"),
        ("We will keep working with partners to destroy the whole network and stop their resurgence", "altered"),
        ("Taxes will fall for every family in the country next year", None),
    ],
)
def test_verdicts_find_quote(quote, match):
    m = find_quote(quote, SOURCE)
    assert (m.match if m else None) == match
    if m:
        assert "network" in SOURCE[m.start : m.end]


def test_verdicts_find_quote_in_a_shared_source_text_matches_a_fresh_one():
    from factdesk.verdicts import SourceText

    shared = SourceText(SOURCE)
    quotes = ["We will keep working with partners to destroy the whole network and stop their resurgence",
              "we will keep working with our partners to destroy their network",
              "Our partners will keep working to destroy the network and prevent its resurgence, officials said",
              "Taxes will fall for every family in the country next year"]
    for quote in quotes * 2:  # the alignment index built for the first quote serves the others
        assert find_quote(quote, shared) == find_quote(quote, SOURCE)
    assert [bool(find_quote(q, shared)) for q in quotes] == [True, True, True, False]


QUOTE = ("Due to the commitment of the Coalition and the demonstrated competence of our partners in Iraq and Syria, "
         "there are estimated to be less than 1,000 ISIS terrorists in our combined joint area of operations")


@pytest.mark.parametrize(
    ("source", "match"),
    [
        ('“[T]here are estimated to be less than 1,000 ISIS terrorists in our combined joint area of operations,” '
         'the statement said.', "exact"),
        ('“Due to the commitment of the Coalition ... there are estimated to be less than 1,000 ISIS terrorists in '
         'our combined joint area,” it said.', "exact"),
        ('“Due to the commitment of the Coalition ... there are estimated to be more than 9,000 ISIS terrorists in '
         'our combined joint area,” it said.', None),  # a piece differs: not exact (too short to call altered)
        ("The coalition said that due to the commitment of the Coalition and the competence of its partners in Iraq "
         "and Syria there are estimated to be less than 1,000 ISIS terrorists in its joint area of operations.", None),
    ],
    ids=["editor-bracket", "ellipsis", "ellipsis-other-words", "reported-speech"],
)
def test_verdicts_find_quote_printed_with_editing_or_paraphrased(source, match):
    m = find_quote(QUOTE, source)
    assert (m.match if m else None) == match

@pytest.mark.parametrize(
    ("a", "b", "different"),
    [("Jane Doe", "John Roe", True), ("Jane Doe", "Ms Doe", False), ("an official", "John Roe", False),
     # a first name against a title and surname may be one person; two surnames or two titled names are not
     ("Jess", "Miss Smith", False), ("Obama", "Trump", True), ("Miss Smith", "Mr Jones", True),
     (None, "John Roe", False),
     # unnamed roles tied to different countries are different speakers; one untied role decides nothing
     ("a representative for the US led coalition", "a Russian defence ministry spokesman", True),
     ("an Iraqi official", "a U.S. official", True),
     ("a representative for the US led coalition", "a coalition spokesman", False),
     ("a Pentagon spokesman", "a U.S. defense official", False),
     ("a Kurdish commander in Syria", "a Syrian Kurdish official", False),
     ("a Mexican interior ministry spokesman", "an Italian police spokesman", True),
     ("a Scottish official", "a British minister", False),
     ("a Latin American diplomat", "a Brazilian official", False)],
)
def test_verdicts_different_speakers(a, b, different):
    assert different_speakers(a, b) is different


@pytest.mark.parametrize(("a", "b", "apart"), [
    ("ISIS fighters", "Daesh militants", False), ("Islamic State fighters", "ISIL", False),
    ("ISIS fighters", "Taliban fighters", True), ("ISIS fighters", "Nusra Front fighters", True),
    ("ISIS fighters", "American troops", True), ("ISIS fighters", "fighters", False),
])
def test_verdicts_named_apart_knows_a_groups_other_names(a, b, apart):
    assert named_apart(a, b) is apart


@pytest.mark.parametrize(
    ("claim", "evidence", "relation"),
    [
        ("The city spent more than $40 million on the depot last year.",
         "The depot cost $38.5 million, less than the $40 million set aside, the report released on Tuesday said.",
         "changed"),
        ("The city spent more than $40 million on the depot last year.", "The depot cost $45 million last year.",
         "match"),
        ("fewer than 1,000 fighters remain", "fewer than 1,000 fighters remain, officials said on Monday.", "match"),
    ],
)
def test_verdicts_comparators_and_reporting_dates(claim, evidence, relation):
    checks = compare_quantities(_qs(claim, "2024-03-12"), _qs(evidence, "2024-03-05"), claim_date="2024-03-12",
                                evidence_date="2024-03-05", evidence_text=evidence, claim_text=claim)
    assert checks and checks[0].relation == relation


@pytest.mark.parametrize(
    ("cd", "ed", "claim_pub", "ev_pub", "ok"),
    [
        ("2015", None, "2017-12-27", "2017-12-27", False),  # "45,000 two years ago" vs today's count
        ("2023", None, "2024-03-12", "2024-03-05", True),  # "last year" vs a report early the next year
        ("2017-12-05", None, "2017-12-27", "2017-12-27", False),  # three weeks apart: counts move
        (None, "2017-12-05", "2017-12-27", "2017-12-27", False),
        (None, None, "2017-12-27", "2017-12-26", True),
        (None, None, "2017-12-27", "2017-12-07", False),  # "about 3,000 remain", told as current three weeks before
        (None, None, "2024-03-12", "2017-12-26", False),
        ("2017-12-05", "2017-12", "2017-12-27", "2017-12-27", True),
    ],
)
def test_verdicts_times_comparable(cd, ed, claim_pub, ev_pub, ok):
    from factdesk.verdicts import times_comparable

    assert times_comparable(cd, ed, claim_pub, ev_pub) is ok


@pytest.mark.parametrize(
    ("sentence", "continues"),
    [
        ("The estimate does not include western Syria.", True),
        ("A coalition spokesman said the figure applies only to the areas where it operates.", True),
        ("It excludes western Syria.", True),
        ("The coalition's estimate is restricted to its own zone of operations.", True),
        ("Fighters in government-held western Syria are not included in that figure.", True),
        ("Islamic State has lost almost all of its territory.", False),
        ("Officials in Baghdad and Damascus met on Thursday to discuss reconstruction and the return of refugees to "
         "the area.", False),
        ("Brent crude rose 2 percent on Wednesday.", False),
    ],
)
def test_verdicts_next_sentence_continues_the_estimate(sentence, continues):
    from factdesk.verdicts import CONTINUES

    assert bool(CONTINUES.search(sentence)) is continues


def test_verdicts_find_quote_source_printed_part_of_it():
    source = ('The coalition said there are "less than 1,000 ISIS terrorists in our combined joint area of '
              'operations" now.')
    quote = ("Due to the commitment of the Coalition, there are estimated to be less than 1,000 ISIS terrorists in "
             "our combined joint area of operations, most of whom are being hunted down")
    m = find_quote(quote, source)
    assert m is not None and m.match == "exact" and 0.3 < m.coverage < 1
    assert source[m.start : m.end].startswith("less than 1,000")


def test_verdicts_day_dates_a_day_or_two_apart_agree():
    assert dates_compatible("2017-12-05", "2017-12-06")
    assert not dates_compatible("2017-12-05", "2017-12-12")


@pytest.mark.parametrize(
    "evidence",
    [
        "The figure is limited to the coalition's area.",
        "The estimate applies to Iraq and eastern Syria but not to western Syria.",
        "The count covers the areas where the coalition's partners operate.",
        "The assessment leaves out western Syria, where government troops are fighting.",
        "The coalition's estimate is restricted to its own zone of operations.",
        "The estimate applies only to territory held by the coalition's partners.",
        "The figure refers only to the territory where coalition-backed forces are fighting.",
        "The number is for the territory where the coalition and its allies operate.",
        "Fighters in government-held parts of Syria are not included.",
        "Militants in areas held by Syrian government forces were not counted.",
        "Not included in the figure are fighters in regime-held western Syria.",
        "The tally omits fighters in western Syria.",
        "The count leaves aside western Syria, where government forces hold sway.",
        "The coalition's figure is solely for its own battlefield.",
        "The figure is only for areas the coalition monitors.",
        "The estimate covers the coalition's theatre only.",
        "This count concerns only the coalition's operating area.",
        "The coalition's estimate is just for the areas it operates in.",
        "Government-controlled western Syria falls outside the estimate.",
        "Western Syria is beyond the scope of the estimate.",
    ],
)
def test_verdicts_scope_qualifier_phrasings(evidence):
    assert "scope" in dropped_qualifiers("There are fewer than 1,000 fighters left in Syria and Iraq.", evidence)


@pytest.mark.parametrize(
    "evidence",
    [
        "Fewer than 1,000 Islamic State fighters remain in Iraq and Syria, the coalition said on Wednesday.",
        "Only 800 fighters were killed in the battle for the city.",
        "The number of fighters rose to 3,000, only to fall again after the offensive.",
        "Coalition forces held the area for weeks before the fighters fled.",
        "The coalition covered the cost of the operation, officials said.",
    ],
)
def test_verdicts_no_scope_qualifier_in_plain_reports(evidence):
    assert "scope" not in dropped_qualifiers("There are fewer than 1,000 fighters left in Syria and Iraq.", evidence)


def test_verdicts_qualifier_inside_an_earlier_phrase_is_part_of_it():
    from factdesk.verdicts import qualifiers

    text = "The estimate applies only to territory where the coalition operates, and it omits western Syria."
    assert qualifiers(text)["scope"] == ["applies only to territory where the coalition operates",
                                         "omits western Syria"]


@pytest.mark.parametrize(("text", "trend"), [
    ("The number of ISIS fighters dropped massively since three weeks ago.", ("ISIS fighters", -1)),
    ("The number of tourists has risen sharply this year.", ("tourists", 1)),
    ("The total of unpaid invoices doubled.", ("unpaid invoices", 1)),
    ("Fighters dropped their weapons.", None),
    ("The number of fighters is unknown.", None),
])
def test_verdicts_trend_of(text, trend):
    from factdesk.verdicts import trend_of

    assert trend_of(text) == trend


@pytest.mark.parametrize(("earlier", "later", "moved"), [
    (("about 3,000", 3000, "~"), ("fewer than 1,000", 1000, "<"), -1),
    (("300", 300, "="), ("more than 1,000", 1000, ">"), 1),
    (("about 800", 800, "~"), ("fewer than 1,000", 1000, "<"), 0),
    (("1,000", 1000, "="), ("1,000", 1000, "="), 0),
])
def test_verdicts_trend_direction(earlier, later, moved):
    from factdesk.verdicts import trend_direction

    def quantity(text, value, comparator):
        return Quantity(text=text, value=value, start=0, end=len(text), comparator=comparator)

    assert trend_direction(quantity(*earlier), quantity(*later)) == moved


@pytest.mark.parametrize(("text", "places"), [
    ("Fewer than 1,000 fighters remain in Iraq and Syria, the U.S.-led coalition said.", {"Iraq", "Syria"}),
    ("Thousands fled the territories in Iraq, Syria and Lebanon and crossed into Turkey.",
     {"Iraq", "Syria", "Lebanon", "Turkey"}),
    ("About 3,000 IS fighters are in Afghanistan, U.S. officials say.", {"Afghanistan"}),
    ("According to the US led coalition, the group is beaten.", set()),
    ("Russia said the war was over.", set()),
    ("Troops are deployed in North Korea and in Niger.", {"North Korea", "Niger"}),
    ("The fighters present in the region 2 years ago.", set()),
    ("The siege at the Westgate Mall in Nairobi, Kenya, killed 67 people.", {"Kenya"}),
    # a month, or a place before a country that only acts, is no "place, country"
    ("The army retook the city in December, Syria's army said.", set()),
    ("Talks in Geneva, Iran and the United States agreed, would resume.", set()),
    # cities place a sentence in their country (data/cities.txt); an ambiguous or person-like name does not
    ("About 1,000 fighters remain in Mosul and around Raqqa.", {"Iraq"}),
    ("They were smuggled out of Raqqa and into Turkey.", {"Syria", "Turkey"}),
    ("The spokesman spoke to reporters in Washington.", set()),
    ("The report came from Tripoli.", set()),  # Libya's or Lebanon's
    ("Talks in Vienna, Iran and the United States agreed, would resume.", {"Austria"}),
    ("Protests spread in Baghdad, Basra and Najaf.", {"Iraq"}),
    ("He has lived in Paris and London.", {"France", "United Kingdom"}),
    ("Fighting raged in Baghdad and Syria.", {"Iraq", "Syria"}),
    ("A letter from Hassan reached the family.", set()),
])
def test_verdicts_places_in(text, places):
    from factdesk.verdicts import places_in

    assert places_in(text) == places


@pytest.mark.parametrize(("claim", "evidence", "apart"), [
    ("fewer than 1,000 ISIS fighters left", "Fewer than 1,000 Taliban fighters remain in Helmand.", True),
    ("fewer than 1,000 ISIS fighters left", "Fewer than 1,000 Islamic State fighters remain.", False),
    ("the 45,000 fighters present 2 years ago, when ISIS peaked", "At its peak Boko Haram had some 45,000 fighters.",
     True),
    ("3000 ISIS jihadists", "The U.S.-led coalition said on Wednesday that Islamic State was down from 3,000.", False),
    ("the 45,000 fighters present 2 years ago", "In December 45,000 fighters were there, Mr Smith said.", False),
    # a name that opens the sentence is still the name: not "State" alone, nor "Haram"
    ("fewer than 1,000 ISIS fighters left", "Islamic State is down to fewer than 1,000 fighters in Iraq and Syria.",
     False),
    ("the 45,000 fighters present 2 years ago, when ISIS peaked", "Boko Haram had some 45,000 fighters at its peak.",
     True),
    ("the 45,000 fighters present 2 years ago, when ISIS peaked", "The Islamic State group had 45,000 fighters.",
     False),
    # "the group's fighters" points back to a group named elsewhere; the names in the sentence are its source
    ("fewer than 1,000 ISIS fighters left", "In a statement from Combined Joint Task Force-Operation Inherent Resolve, "
     "the command said fewer than 1,000 of the group's fighters remained.", False),
])
def test_verdicts_counts_another_group(claim, evidence, apart):
    from factdesk.stages.quantities import find_quantities
    from factdesk.verdicts import counts_another_group

    cq = find_quantities(claim, 0, len(claim), "2017-12-27")[0]
    eq = find_quantities(evidence, 0, len(evidence), "2017-12-27")[-1]
    assert counts_another_group(cq, eq, claim, evidence) is apart


@pytest.mark.parametrize(("evidence", "relations"), [
    ("The company bought two office buildings in 2012, two people familiar with the matter said.", {"match"}),
    ("The company bought six office buildings, two people with knowledge of the matter said.", {"changed"}),
    ("The company bought six office buildings, three sources said.", {"changed"}),
])
def test_verdicts_a_story_s_sources_are_not_a_count(evidence, relations):
    """"two people familiar with the matter said" names who told the reporter: never the claim's "two" matched."""
    from factdesk.stages.quantities import find_quantities
    from factdesk.verdicts import compare_quantities

    claim = "The company bought two office buildings."
    checks = compare_quantities(find_quantities(claim, 0, len(claim), None),
                                find_quantities(evidence, 0, len(evidence), None),
                                claim_date=None, evidence_date=None, evidence_text=evidence, claim_text=claim)
    assert {c.relation for c in checks} == relations
    assert all("people" not in (c.evidence.entity or "") and "sources" not in (c.evidence.entity or "")
               for c in checks)


@pytest.mark.parametrize(("claim", "evidence", "relations"), [
    ("Prime costs $99 a year.", "Prime costs $99.", {"match"}),  # a rate and an amount with its value
    ("The land sold for $525 per square foot.", "The land sold in a $585 million deal.", set()),
    ("The service costs $15 a month.", "The service costs $15/month.", {"match"}),
    ("The service costs $15 a month.", "The service costs $20 a month.", {"changed"}),
    ("The service costs $15 a month.", "The service costs $99 a year.", set()),
])
def test_verdicts_rates_compare_with_rates(claim, evidence, relations):
    from factdesk.stages.quantities import find_quantities
    from factdesk.verdicts import compare_quantities

    checks = compare_quantities(find_quantities(claim, 0, len(claim), None),
                                find_quantities(evidence, 0, len(evidence), None),
                                claim_date=None, evidence_date=None, evidence_text=evidence, claim_text=claim)
    assert {c.relation for c in checks} == relations


@pytest.mark.parametrize(("text", "country"), [
    ("KABUL - Islamic State's Afghan affiliate has roughly 1,000 fighters left.", "Afghanistan"),
    ("BAGHDAD (Reuters) - The coalition said on Wednesday …", "Iraq"),
    ("Mexico City, Dec 27 - Officials said …", "Mexico"),
    ("WASHINGTON - The Pentagon said …", None),  # left out: a state and a person too
    ("Tehran-backed militias said …", None),
    ("MOSUL - Iraqi forces said …", "Iraq"),
    ("Moscow, which backs the government, said …", None),
    ("Fewer than 1,000 fighters remain, the coalition said.", None),
])
def test_verdicts_dateline_country(text, country):
    assert dateline_country(text) == country


@pytest.mark.parametrize(("text", "countries"), [
    ("The outlets send 30% of their takings back to the capital Pyongyang.", {"North Korea"}),
    ("WHO is checking a Mosul hospital for other cases.", {"Iraq"}),
    ("Russia said the war in Syria was over.", set()),  # countries, not cities
])
def test_verdicts_cities_in(text, countries):
    from factdesk.verdicts import cities_in

    assert cities_in(text) == countries


def test_verdicts_cities_table_is_consistent():
    """Every city is filed under a country of countries.txt, once, and no city is also a country's name."""
    from factdesk.verdicts import name_table

    countries = name_table("countries.txt")
    lines = [ln.split("|") for ln in (Path(__file__).resolve().parents[1] / "src" / "factdesk" / "data" /
                                     "cities.txt").read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    assert len(lines) > 100
    assert {ln[0] for ln in lines} <= set(countries.values())
    cities = [c for ln in lines for c in ln[1:]]
    assert len(cities) == len(set(cities)) and not set(cities) & set(countries)


@pytest.mark.parametrize("names", [
    ["Iraq", "Iran", "Ireland", "Niger", "Nigeria", "Guinea", "Guinea-Bissau", "Papua New Guinea"],
    ["Sana'a", "Sanaa", "Mazar-e-Sharif", "Deir ez-Zor", "St Petersburg", "Petersburg"],
])
def test_verdicts_name_trie_matches_like_an_alternation(names):
    """The trie pattern matches what "longest first" alternation matches, at the same places."""
    import re

    from factdesk.verdicts import _any_of

    text = " ".join(names + [n + "n" for n in names] + [n[:-1] for n in names]) + " in Nigeria, Guinea-Bissau."
    plain = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    spans = [[m.span() for m in re.finditer(rf"(?<![\w-])(?:{p})(?![\w-])", text)] for p in (plain, _any_of(names))]
    assert spans[0] == spans[1] and spans[0]


def test_verdicts_find_quote_reads_number_words_as_digits():
    """A transcript may write a spoken number either way: "at least ten" is the same quote as "at least 10"."""
    source = '"I know that at least 10 ISIS fighters have been caught coming across the border," he said.'
    assert find_quote("I know that at least ten ISIS fighters have been caught coming across the border",
                      source).match == "exact"
    assert find_quote("I know that at least eleven ISIS fighters have been caught coming across the border",
                      source).match == "altered"


def test_verdicts_a_claim_about_now_is_not_matched_by_a_count_from_months_before():
    claim, evidence = "There are fewer than 1,000 fighters left.", "Fewer than 1,000 fighters remained on Oct. 12."
    checks = compare_quantities(find_quantities(claim, 0, len(claim), "2017-12-27"),
                                find_quantities(evidence, 0, len(evidence), "2017-12-27"), claim_date="2017-12-27",
                                evidence_date="2017-12-27", evidence_text=evidence, claim_text=claim)
    assert checks == []


@pytest.mark.parametrize(("text", "country"), [
    ("The Philippine army says militants are regrouping.", "Philippines"),  # the adjective, not only "Filipino"
    ("Mozambican troops retook the port.", "Mozambique"),
    ("A Nepali worker was hurt.", "Nepal"),
])
def test_verdicts_countries_named_by_nationality(text, country):
    from factdesk.verdicts import countries_named

    assert countries_named(text) == {country}



@pytest.mark.parametrize(("claim", "evidence"), [
    ("Clinton won 65.8 million votes.", "In November 2016, Clinton won 65.8 million votes."),
    ("At its height ISIS had 45,000 fighters.", "In 2014 ISIS had 45,000 fighters."),
])
def test_verdicts_an_undated_claim_about_the_past_still_matches_a_dated_count(claim, evidence):
    checks = compare_quantities(find_quantities(claim, 0, len(claim), "2017-06-01"),
                                find_quantities(evidence, 0, len(evidence), "2017-06-01"), claim_date="2017-06-01",
                                evidence_date="2017-06-01", evidence_text=evidence, claim_text=claim)
    assert [c.relation for c in checks] == ["match"]


@pytest.mark.parametrize(
    ("a", "b", "text", "different"),
    [("Jess", "Smith", "Jess Smith, 19, was just nine months old.", False),
     ("Jess", "Smith", "Jess Anne Smith said so.", False),
     ("Jess", "Smith", "Jess was nine months old. Smith is a student.", True),  # never one name
     ("Obama", "Trump", "Barack Obama met Donald Trump.", True),
     ("Jane Doe", "John Roe", "Jane Doe and John Roe spoke.", True)],
)
def test_verdicts_different_speakers_one_full_name_in_the_story_is_one_person(a, b, text, different):
    assert different_speakers(a, b, text) is different


@pytest.mark.parametrize(("claim", "evidence", "expected"), [
    ("28 bundles", "27 bundles", True),
    ("fewer than 1,000 fighters", "more than 1,000 fighters", True),
    ("fewer than 1,000 fighters", "1,000 fighters", True),
    ("at most 1,000 fighters", "1,000 fighters", False),
    ("more than 3,400 deaths", "more than 3,000 deaths", False),
    ("about 3,000 fighters", "3,200 fighters", False),
    ("about 3,000 fighters", "4,000 fighters", True),
    ("nearly 300 girls", "more than 200 girls", False),
    ("more than 200,000 people", "at least eight people", False),
    ("80,000 people", "four bodies", False),
    ("a $800 contract", "an $800 million contract", True),
    ("1.3 million women", "0 women", False),
    ("three deaths", "zero deaths", True),
])
def test_verdicts_contradicts_when_no_value_fits_both(claim, evidence, expected):
    from factdesk.verdicts import contradicts

    (cq,), (eq,) = _qs(claim), _qs(evidence)
    assert contradicts(cq, eq) is expected


@pytest.mark.parametrize(("quote", "source", "match"), [
    # British and American spellings of one quote are the same words
    ("Obama authorises military operations against the Islamic State, placing America on a slippery slope",
     "The video quotes him: “Obama authorizes military operations against the Islamic State, placing America on a "
     "slippery slope towards war.”", "exact"),
    # a few of the quote's words scattered through another quotation: no passage says it
    ("I was pretty much shaking uncontrollably",
     '"I just decided I was going to win. So I pretty much just opened it up and poured it down my throat," he said.',
     None),
    # its words in the story's own (unquoted) prose: a paraphrase, not an altered quote
    ("help Thomas get a fresh start",
     'He set up a campaign to help Thomas get a new home and a job. "People have been so generous," he said.', None),
    # the same quote with words changed, inside quotation marks: altered
    ("We will keep working with partners to destroy the whole network",
     'He said: "We will keep working with our partners to destroy their network."', "altered"),
])
def test_verdicts_find_quote_altered_only_for_a_quoted_passage_that_says_it(quote, source, match):
    m = find_quote(quote, source)
    assert (m.match if m else None) == match
