"""Claims: a sentence splits where its numbers are dated or counted apart, and only there."""

from __future__ import annotations

import pytest

from factdesk import ingest


@pytest.mark.parametrize("text, claims", [
    # dated apart: each clause is its own claim
    ("On December 5th it was estimated that 3000 ISIS jihadists were believed to be in Syria and Iraq, not to "
     "mention the 45,000 fighters present in the region 2 years ago.",
     ["On December 5th it was estimated that 3000 ISIS jihadists were believed to be in Syria and Iraq",
      "not to mention the 45,000 fighters present in the region 2 years ago."]),
    # a number with no date of its own ("07") is not dated apart from one that has one: one claim
    ("Based on a video by user Votesaxon 07, Movie Pilot reports that the studio wants to release Episode 7 in the "
     "summer of 2015.",
     ["Based on a video by user Votesaxon 07, Movie Pilot reports that the studio wants to release Episode 7 in the "
      "summer of 2015."]),
])
def test_claims_split_where_numbers_are_dated_apart(pipeline, text, claims):
    doc = pipeline(ingest.from_text(text, title="x", published="2017-12-27"))
    assert [c.text for c in doc.claims] == claims
