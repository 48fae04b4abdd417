"""A plain, well-sourced wire-style story (our own writing) must come out nearly clean: precision matters."""


def test_wire_has_no_language_flags(wire_report):
    bad = [f for f in wire_report["flags"] if f["type"] in ("propaganda", "loaded_language", "vague_attribution",
                                                           "malformed_quote", "excess_punctuation")]
    assert bad == []


def test_wire_headline_not_clickbait(wire_report):
    assert wire_report["headline"]["clickbait"]["label"] is False


def test_wire_quotes_attributed_and_well_formed(wire_report):
    quotes = wire_report["quotes"]
    assert [q["speaker"] for q in quotes] == ["Ferreira", "Priya Raman"]  # "she said" resolved to the named member
    assert all(q["well_formed"] for q in quotes)


def test_wire_scores_high(wire_report):
    assert wire_report["score"]["credibility"] >= 80
    assert wire_report["score"]["label"] == "high"


def test_wire_budget_claim_found(wire_report):
    values = {q["value"] for c in wire_report["claims"] for q in c["quantities"]}
    assert 38_500_000 in values
