"""The user's own example: what a careful fact-checker would find in ../shared/seeds/000_…txt."""

import pytest


def claim_with(report, value, entity=""):
    for c in report["claims"]:
        for q in c.get("quantities", []):
            if q["value"] == value and entity in (q["entity"] or ""):
                return c, q
    raise AssertionError(f"no claim carries the quantity {value}")


@pytest.mark.parametrize("value, comparator, entity, date", [
    (1000, "<", "ISIS fighters", None),
    (3000, "=", "ISIS jihadists", "2017-12-05"),
    (45000, "=", "fighters", "2015"),
])
def test_seed_claims_carry_quantities(seed_report, value, comparator, entity, date):
    claim, q = claim_with(seed_report, value, entity)
    assert q["comparator"] == comparator
    if date:
        assert q["date"] == date
    assert "quantity" in claim["kind"]
    assert claim["verdict"]["label"] == "unverified" and claim["verdict"]["reasons"] == ["no_evidence"]


def test_seed_wednesday_announcement_dated_publication_day(seed_report):
    dates = {q["date"] for c in seed_report["claims"] for q in c["quantities"] if q["value"] == 1000}
    assert "2017-12-27" in dates


def test_seed_coalition_quote_speaker_via_reuters(seed_report):
    (q,) = [q for q in seed_report["quotes"] if "Due to the commitment of the Coalition" in q["text"]]
    assert q["via"] == "Reuters"
    assert q["speaker"] and ("official" in q["speaker"] or "coalition" in q["speaker"].lower())
    assert q["well_formed"]


def test_seed_vague_attribution_on_experts_warning(seed_report):
    text = seed_report["article"]["text"]
    vague = [f for f in seed_report["flags"] if f["type"] == "vague_attribution"]
    assert any("experts are now warning" in text[f["start"]:f["end"]] for f in vague)
    (claim,) = [c for c in seed_report["claims"] if "the same experts are now warning" in c["text"]] or [None]
    if claim is not None:
        assert claim["attribution"]["type"] == "vague"


def test_seed_deptula_quote_malformed(seed_report):
    (q,) = [q for q in seed_report["quotes"] if q["text"].startswith("The rules of engagement")]
    assert q["well_formed"] is False
    assert "Deptula" in (q["speaker"] or "")
    assert any(f["type"] == "malformed_quote" and f["start"] == q["start"] for f in seed_report["flags"])


@pytest.mark.parametrize("phrase", ["the Donald", "hunted down like wild dogs", "reduced their Islamic state to ashes"])
def test_seed_loaded_phrases_flagged(seed_report, phrase):
    text = seed_report["article"]["text"]
    at = text.index(phrase)
    span = (at, at + len(phrase))
    hits = [f for f in seed_report["flags"] if f["start"] < span[1] and span[0] < f["end"]
            and f["type"] in ("propaganda", "loaded_language")]
    assert hits, f"no loaded-language flag over {phrase!r}"
    assert all(f["explanation"] for f in hits)


def test_seed_headline_is_clickbait(seed_report):
    assert seed_report["headline"]["clickbait"]["label"] is True


def test_seed_scores_lower_than_wire_story(seed_report, wire_report):
    assert seed_report["score"]["credibility"] + 20 < wire_report["score"]["credibility"]
