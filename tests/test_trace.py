"""Tracing claims and quotes against an evidence archive: the seed story end to end, and each verdict path."""

from __future__ import annotations

import pytest

from conftest import report_of


def _claim(report, needle: str, value: float | None = None) -> dict:
    for c in report["claims"]:
        if needle in c["text"] and (value is None or any(q["value"] == value for q in c.get("quantities", []))):
            return c
    raise AssertionError(f"no claim containing {needle!r}: {[c['text'] for c in report['claims']]}")


def _seed_against(tmp_path, evidence: str, title: str = "IS estimate", url: str = "https://wire.example.com/is",
                  published: str = "2017-12-27") -> dict:
    """The seed's report traced against an archive holding one evidence story."""
    from conftest import SEED

    from factdesk import build_pipeline, check
    from factdesk.archive import Archive, ArchiveDoc

    if not SEED.exists():
        pytest.skip("seed article absent")
    with Archive(tmp_path / "a.sqlite") as archive:
        archive.add_documents([ArchiveDoc.create(evidence, url=url, title=title, published=published)])
        return check(str(SEED), pipeline=build_pipeline(archive=archive), published="2017-12-27")


def _cited(report) -> set[str]:
    return {e["doc_id"] for c in report["claims"] for e in c.get("evidence", [])}


def test_trace_seed_fewer_than_1000_is_misleading_for_missing_context(traced_seed_report):
    c = _claim(traced_seed_report, "fewer than one thousand", 1000)
    assert c["verdict"]["label"] == "misleading"
    assert "missing_context" in c["verdict"]["reasons"]
    assert "area of operations" in c["verdict"]["explanation"] or "western Syria" in c["verdict"]["explanation"]
    assert c["evidence"] and c["evidence"][0]["doc_id"].startswith("wire-coalition-estimate")


def test_trace_seed_3000_is_supported(traced_seed_report):
    c = _claim(traced_seed_report, "3000", 3000)
    assert c["verdict"]["label"] == "supported", c["verdict"]
    assert any("3,000" in e["sentence"] and e["stance"] == "supports" for e in c["evidence"])


def test_trace_seed_45000_is_unverified(traced_seed_report):
    c = _claim(traced_seed_report, "45,000", 45000)
    assert c["verdict"]["label"] == "unverified"
    assert c["verdict"]["reasons"] == ["no_evidence"]


def test_trace_seed_coalition_quote_traced_exact(traced_seed_report):
    q = next(q for q in traced_seed_report["quotes"] if "Due to the commitment" in q["text"])
    assert q["traced"]["match"] == "exact"
    assert q["traced"]["doc_id"] == "wire-coalition-estimate"


def test_trace_seed_distractors_never_cited(traced_seed_report):
    cited = _cited(traced_seed_report) | {c["doc_id"] for c in traced_seed_report["coverage"]}
    assert cited, "nothing was cited at all"
    assert not {d for d in cited if d.startswith("distractor-")}


def test_trace_seed_coverage_lists_related_stories_best_first(traced_seed_report):
    cov = traced_seed_report["coverage"]
    assert cov[0]["doc_id"].startswith("wire-coalition-estimate")
    sims = [c["similarity"] for c in cov]
    assert sims == sorted(sims, reverse=True)


def test_trace_coverage_lists_a_syndicated_copy_under_its_story(tmp_path):
    from conftest import FIXTURES, SEED

    from factdesk import build_pipeline, check
    from factdesk.archive import Archive

    if not SEED.exists():
        pytest.skip("seed article absent")
    with Archive(tmp_path / "a.sqlite") as archive:
        archive.add([str(FIXTURES / "coverage" / "seed_story_e.jsonl")])
        r = check(str(SEED), pipeline=build_pipeline(archive=archive), published="2017-12-27")
    wire = next(c for c in r["coverage"] if c["source"] in ("Global Wire", "Valley Courier"))
    assert {wire["source"]} | {x["source"] for x in wire["copies"]} == {"Global Wire", "Valley Courier"}


def test_trace_seed_syndicated_copies_count_once_per_claim(traced_seed_report):
    for c in traced_seed_report["claims"]:
        sentences = [e["sentence"].split(" - ", 1)[-1] for e in c.get("evidence", [])]
        assert len(sentences) - len(set(sentences)) <= 1


def test_trace_number_changed(traced_pipeline):
    r = report_of(traced_pipeline, "City approves bigger budget\n\nThe city council voted on Tuesday to approve a "
                  "$3.1 billion budget for 2018, including new money for road repairs.", published="2017-12-20")
    c = _claim(r, "$3.1 billion")
    assert c["verdict"]["label"] == "misleading"
    assert c["verdict"]["reasons"] == ["number_changed"]
    assert "$2.4 billion" in c["verdict"]["explanation"]


@pytest.mark.parametrize(
    ("quote", "speaker", "reasons"),
    [
        ("We cannot keep patching the same roads every winter and calling it a plan", "council member Dana Whitfield",
         []),
        ("We cannot keep fixing roads every winter and call that a real plan", "council member Dana Whitfield",
         ["quote_altered"]),
        ("We cannot keep patching the same roads every winter and calling it a plan", "Mayor Tom Alvarez",
         ["misattributed"]),
    ],
)
def test_trace_quote_exact_altered_misattributed(traced_pipeline, quote, speaker, reasons):
    text = (f"Roads row at city hall\n\nThe city council approved its budget on Tuesday after a long debate.\n\n"
            f"\u201c{quote},\u201d said {speaker}.")
    r = report_of(traced_pipeline, text, published="2017-12-20")
    q = next(q for q in r["quotes"] if "roads" in q["text"])
    assert q["traced"]["match"] == ("altered" if "quote_altered" in reasons else "exact")
    assert q["traced"]["doc_id"] == "distractor-council-budget"
    c = _claim(r, "roads every winter")
    assert c["verdict"]["reasons"] == reasons
    assert c["verdict"]["label"] == ("misleading" if reasons else "supported")


def test_trace_unrelated_article_stays_unverified(traced_pipeline):
    r = report_of(traced_pipeline, "Library extends hours\n\nThe central library will open until 9 p.m. on "
                  "weekdays from March, the library board said, after 4,200 residents signed a petition.",
                  published="2024-03-12")
    assert r["coverage"] == []
    assert all(c["verdict"]["label"] == "unverified" and c["verdict"]["reasons"] == ["no_evidence"]
               for c in r["claims"])



@pytest.mark.parametrize("filled", [False, True])
def test_trace_empty_archive_says_so_instead_of_no_article_addresses(tmp_path, filled):
    from conftest import FIXTURES

    from factdesk import build_pipeline
    from factdesk.archive import Archive

    with Archive(tmp_path / "a.sqlite") as archive:
        if filled:
            archive.add([str(FIXTURES / "archive" / "articles.jsonl")])
        r = report_of(build_pipeline(archive=archive), "Library extends hours\n\nThe central library will open "
                      "until 9 p.m. on weekdays from March, after 4,200 residents signed a petition.")
    explanations = {c["verdict"]["explanation"] for c in r["claims"]}
    assert explanations and all(c["verdict"]["reasons"] == ["no_evidence"] for c in r["claims"])
    assert any("holds no articles yet" in e for e in explanations) is not filled

def test_trace_without_archive_leaves_claims_unverified(seed_report):
    assert seed_report["coverage"] == []
    assert {c["verdict"]["label"] for c in seed_report["claims"]} == {"unverified"}


def test_trace_prior_fact_check_shown_on_matching_claim(traced_seed_report):
    c = _claim(traced_seed_report, "fewer than one thousand", 1000)
    assert [fc["rating"] for fc in c["fact_checks"]] == ["Missing context"]
    assert c["fact_checks"][0]["url"] == "https://factcheck.example.org/2017/12/isis-fighters-left"
    others = [x for x in traced_seed_report["claims"] if x is not c and "1,000" not in x["text"]
              and "thousand" not in x["text"]]
    assert not any(x.get("fact_checks") for x in others)


def test_trace_claimreview_output_rates_traced_claims(traced_seed_report):
    from factdesk.report.claimreview import reviews

    out = reviews(traced_seed_report)
    traced = [c for c in traced_seed_report["claims"] if c["verdict"]["label"] != "unverified"]
    assert len(out) == len(traced) > 0
    assert all(r["@type"] == "ClaimReview" and 1 <= r["reviewRating"]["ratingValue"] <= 5 for r in out)


def test_trace_report_names_the_archive(traced_seed_report, seed_archive):
    assert traced_seed_report["provenance"]["archive"] == str(seed_archive.path)
    assert {"stance", "verdict_calibration"} <= {m["name"] for m in traced_seed_report["provenance"]["models"]}


def test_trace_confidence_is_calibrated_per_verdict_group():
    from factdesk.stages.trace import load_calibration
    from factdesk.training.calibrate_verdicts import apply, group

    curves, info = load_calibration()
    assert info.sha256 and {"supported", "refuted", "unverified"} <= set(curves)
    for g, c in curves.items():
        assert c["y"] == sorted(c["y"]) and all(0 < y < 1 for y in c["y"])  # isotonic, inside (0, 1)
    assert group("misleading", ["number_changed"]) == "refuted"
    assert group("misleading", ["missing_context"]) == "missing_context"
    low, high = apply(curves, "supported", 0.0), apply(curves, "supported", 1.0)
    assert 0 < low <= high < 1


@pytest.fixture(scope="module", params=["seed_story_b.jsonl", "seed_story_c", "seed_story_d.csv",
                                        "seed_story_e.jsonl", "seed_story_f.jsonl", "seed_story_g.jsonl",
                                        "seed_story_h.jsonl", "seed_story_i.jsonl", "seed_story_j.jsonl",
                                        "seed_story_k.jsonl"])
def seed_report_other_coverage(request, tmp_path_factory):
    """The seed against other, differently worded coverage sets (a JSONL file; a folder of saved HTML pages; a CSV
    whose wire story puts the 3,000 in a third sentence and whose distractors share the seed's numbers and dates;
    JSONL without ids, with timestamps, a syndicated copy, and a 3,000 sentence that says "fighters … in the two
    countries" where the seed says "ISIS jihadists … in Syria and Iraq"; JSONL whose wire story writes "fewer than a
    thousand", whose London report says "thousands … escaped", and whose distractors share the seed's words and
    numbers: fighters, a coalition, $45,000 for Syria two years ago; JSONL with dates like "Dec 27, 2017", the
    coalition quote printed in two parts around its attribution, "three thousand" in words, and a pharmacy story with
    "fewer than 1,000", "excluding" and "3,000 … on December 5"; JSONL whose Russian story counts militants killed
    and Nusra Front fighters; three sets written blind to the code: terse copy with a news-brief roundup and "That
    figure, which has fallen from around 3,000 …", "Those numbers cover only …", an analyst's rebuttal and "the
    real number … across the two countries"): the mechanism, not a fit to one fixture."""
    from conftest import FIXTURES, SEED

    from factdesk import build_pipeline, check
    from factdesk.archive import Archive

    if not SEED.exists():
        pytest.skip("seed article absent")
    path = FIXTURES / "coverage" / request.param
    files = [path] if path.is_file() else sorted(path.iterdir())
    raw = " ".join(" ".join(f.read_text(encoding="utf-8").split()) for f in files)  # whitespace as in the text
    with Archive(tmp_path_factory.mktemp("archive-other") / "a.sqlite") as archive:
        assert archive.add([str(path)]).errors == []
        yield check(str(SEED), pipeline=build_pipeline(archive=archive), published="2017-12-27"), raw


def test_trace_seed_other_coverage_same_findings(seed_report_other_coverage):
    r, raw = seed_report_other_coverage
    c1000 = _claim(r, "fewer than one thousand", 1000)
    assert (c1000["verdict"]["label"], c1000["verdict"]["reasons"]) == ("misleading", ["missing_context"])
    assert _claim(r, "3000", 3000)["verdict"]["label"] == "supported"
    assert _claim(r, "45,000", 45000)["verdict"]["label"] == "unverified"
    # each of the coalition's quotations that the coverage prints is traced word for word to a covering story
    stories = {c["title"] for c in r["coverage"]} | {x["title"] for c in r["coverage"] for x in c["copies"]}
    printed = {"Due to the commitment": ("demonstrated competence of our partners",
                                         "terrorists in our combined joint"),
               "We can tell you": ("kill or capture all remaining ISIS terrorists",)}
    quotes = [q for q in r["quotes"] for start, parts in printed.items()
              if q["text"].lstrip("“\"").startswith(start) and any(p in raw for p in parts)]
    assert quotes and all(q["traced"]["match"] == "exact" and q["traced"]["title"] in stories for q in quotes)
    ids = [c["doc_id"] for c in r["coverage"]]
    assert not {x["doc_id"] for c in r["coverage"] for x in c["copies"]} & set(ids)  # a copy is never its own story
    cited = [e for c in r["claims"] for e in c.get("evidence", [])]
    assert cited and r["coverage"]
    distractors = ("phone", "seats", "snow", "Snow", "runners", "marathon", "fans", "bread", "bakery", "voters",
                   "ballot", "without power", "ice storm", "tickets", "orchestra", "martial", "league", "jobs", "parish",
                   "donations", "pharmacy", "stores", "stadium", "zoo", "visitors", "Nusra Front fighters remain",
                   "flights", "teaching", "granola", "box office", "gales", "interstellar", "textile")
    assert not any(x in e["sentence"] for e in cited for x in distractors)
    assert not any(x in (c["title"] or "") for c in r["coverage"] for x in distractors)


@pytest.mark.parametrize(
    "value, sentence, found",
    [(3000, "about 3,000 militants", True), (3000, "3000 fighters", True), (3000, "13,000 fighters", False),
     (3000, "3,000.5 tonnes", False), (1000, "fewer than 1\u202f000", True), (2.5, "up 2.5%", True),
     (5, "5 people", False)],  # one-digit numbers are everywhere: no priority for them
)
def test_trace_number_patterns_find_the_claims_number(value, sentence, found):
    from factdesk.document import Claim, Quantity
    from factdesk.stages.trace import _digits, _number_patterns

    claim = Claim(id="c1", text="x", start=0, end=1, checkworthiness=0.5, quantities=[Quantity(text=str(value), value=value, start=0, end=1)])
    assert any(p.search(_digits(sentence)) for p in _number_patterns(claim)) is found


def test_trace_finds_the_claims_number_in_covering_stories_beyond_the_search(tmp_path):
    """With the search cut to two sentences per claim, the wire story's "On Dec. 5 … 3,000" sentence still reaches
    the 3,000 claim: covering stories are searched for the claim's number itself."""
    from conftest import FIXTURES, SEED

    from factdesk import check
    from factdesk.archive import Archive
    from factdesk.pipeline import DEFAULT_STAGES, REGISTRY, Pipeline

    if not SEED.exists():
        pytest.skip("seed article absent")
    with Archive(tmp_path / "a.sqlite") as archive:
        archive.add([str(FIXTURES / "coverage" / "seed_story_f.jsonl")])
        assert not any("3,000" in h.sentence for h in archive.search_sentences(
            _claim(check(str(SEED), published="2017-12-27"), "3000", 3000)["text"], k=2))
        pipe = Pipeline([REGISTRY[n](**({"archive": archive, "k": 2} if n == "trace" else {})) for n in DEFAULT_STAGES])
        r = check(str(SEED), pipeline=pipe, published="2017-12-27")
    c = _claim(r, "3000", 3000)
    assert c["verdict"]["label"] == "supported" and "3,000" in c["verdict"]["explanation"]


@pytest.mark.parametrize(
    "value, sentence, found",
    [(3000, "three thousand militants", True), (1000, "fewer than a thousand", True), (3000, "3,000 left", True),
     (3000, "thirty thousand", False), (3000, "three", False)],
)
def test_trace_carries_number_in_digits_or_words(value, sentence, found):
    from factdesk.document import Claim, Quantity
    from factdesk.stages.trace import _carries_number, _number_patterns

    claim = Claim(id="c1", text="x", start=0, end=1, checkworthiness=0.5, quantities=[Quantity(text=str(value), value=value, start=0, end=1)])
    assert _carries_number(claim, _number_patterns(claim), sentence) is found


PLAIN_WIRE = "Fewer than 1,000 Islamic State fighters remain in Iraq and Syria, the U.S.-led coalition said on Wednesday."


@pytest.mark.parametrize(
    ("evidence", "label", "reasons"),
    [
        ("Fewer than 1,000 Islamic State fighters are left in Iraq and Syria, the coalition estimated on Wednesday."
         "\n\nThe estimate is limited to territory where the coalition is active and leaves out regions held by the "
         "Syrian government.", "misleading", ["missing_context"]),
        ("Fewer than 1,000 Islamic State fighters remain in Iraq and Syria, the U.S.-led coalition said on Wednesday.",
         "supported", []),
        ("About 1,500 Islamic State fighters remain in Iraq and Syria, the U.S.-led coalition said on Wednesday.",
         "misleading", ["number_changed"]),
        ("The coalition denied on Wednesday that fewer than 1,000 Islamic State fighters remain in Iraq and Syria, "
         "saying the real number is far higher.", "contradicted", []),
        ("A spokesman said it was wrong to say that ISIS had been defeated, although fewer than 1,000 Islamic State "
         "fighters remain in Iraq and Syria.", "unverified", ["no_evidence"]),  # who is wrong is unclear: no call
        # the scope restriction in other words, in the sentence or the next one
        (f"{PLAIN_WIRE}\n\nThe estimate applies only to territory where the coalition and its partners operate.",
         "misleading", ["missing_context"]),
        ("Fewer than 1,000 Islamic State fighters remain in Iraq and Syria, the U.S.-led coalition said on Wednesday, "
         "in a count that omits government-held western Syria.", "misleading", ["missing_context"]),
        (f"{PLAIN_WIRE}\n\nFighters in government-held western Syria are not included in that figure.",
         "misleading", ["missing_context"]),
        (f"{PLAIN_WIRE}\n\nThat tally is solely for the coalition's operating area.", "misleading",
         ["missing_context"]),
        (f"{PLAIN_WIRE}\n\nGovernment-held western Syria falls outside the estimate.", "misleading",
         ["missing_context"]),
        ("Islamic State is down to fewer than 1,000 fighters in Iraq and Syria, the U.S.-led coalition said on "
         "Wednesday.\n\nThe estimate covers only the areas where the coalition operates.", "misleading",
         ["missing_context"]),
        # the caveat goes on about a sentence naming the estimate, paragraphs below the figure
        (f"{PLAIN_WIRE}\n\nThe coalition is led by the United States.\n\nThe new figure has limits. It reflects "
         "only the stretch of territory in which the coalition and its partners are fighting.", "misleading",
         ["missing_context"]),
        (f"{PLAIN_WIRE}\n\nThe coalition is led by the United States.\n\nThose numbers cover only the region in "
         "which the coalition conducts operations.", "misleading", ["missing_context"]),
    ],
    ids=["qualified-next-sentence", "plain", "other-number", "denied-that", "called-wrong", "applies-only-to",
         "omits", "not-included-in-that-figure", "solely-for-operating-area", "falls-outside",
         "name-opens-the-sentence", "caveat-goes-on-about-the-figure", "those-numbers-cover-only"],
)
def test_trace_seed_claim_against_one_evidence_story(tmp_path, evidence, label, reasons):
    r = _seed_against(tmp_path, evidence)
    v = _claim(r, "fewer than one thousand", 1000)["verdict"]
    assert (v["label"], v["reasons"]) == (label, reasons)


@pytest.mark.parametrize(("evidence", "label", "reasons"), [
    ("Two years ago, when the group was at its strongest, an estimated 45,000 fighters were in the region.",
     "supported", []),
    ("Two years ago, when the group was at its strongest, 45,000 fighters were in the region.", "supported", []),
])
def test_trace_seed_estimate_clause_keeps_its_hedge(tmp_path, evidence, label, reasons):
    """The 45,000 clause is split from 'On December 5th it was estimated that …': its attribution cue still hedges
    it, so the evidence's 'an estimated 45,000' is the same claim, not a dropped qualifier."""
    r = _seed_against(tmp_path, evidence, title="IS at its peak")
    v = _claim(r, "45,000", 45000)["verdict"]
    assert (v["label"], v["reasons"]) == (label, reasons)


SECOND_QUOTE = ("We can tell you that we are working with our partners to kill or capture all remaining ISIS terrorists, "
                "to destroy their network and prevent their resurgence, and also to prevent them from escaping to "
                "bordering countries")


@pytest.mark.parametrize(("said", "label", "reasons"), [
    ("a coalition spokesman said", "supported", []),
    ("said Colonel Ryan Dillon, a spokesman for the U.S.-led coalition", "supported", []),
    ("a Russian defence ministry spokesman said", "misleading", ["misattributed"]),
])
def test_trace_seed_coalition_representative_quote_by_speaker(tmp_path, said, label, reasons):
    """The seed gives the second quotation to "a representative for the US led coalition": the same words from a
    coalition spokesman confirm it, from a Russian spokesman they are misattributed."""
    r = _seed_against(tmp_path, f'{PLAIN_WIRE}\n\n"{SECOND_QUOTE}," {said}.')
    v = _claim(r, "We can tell you")["verdict"]
    assert (v["label"], v["reasons"]) == (label, reasons)
    traced = next(q for q in r["quotes"] if "We can tell you" in q["text"])["traced"]
    assert traced["match"] == "exact" and traced["misattributed"] is ("misattributed" in reasons)


@pytest.mark.parametrize(("before", "label"), [
    ("", "supported"),
    # the same sentence after one about something else borrows nothing from it
    ("The city zoo said on Wednesday that it had welcomed a record number of visitors this year. ", "unverified"),
])
@pytest.mark.parametrize("sentence", ["The figure was about 3,000 at the start of the month.",
                                      "The count has fallen from an estimated 3,000 earlier this month."])
def test_trace_seed_3000_in_a_sentence_that_continues_the_one_before(tmp_path, before, label, sentence):
    """A sentence that names its subject only as "the figure" reads as far from the claim on its own (cosine ≈ 0.3);
    after a sentence about the fighters it is as close to the claim as that sentence is."""
    r = _seed_against(tmp_path, f"{PLAIN_WIRE} {before}{sentence}", title="Coalition: under 1,000 IS fighters left")
    assert _claim(r, "3000", 3000)["verdict"]["label"] == label


def test_trace_seed_fall_in_fighters_is_supported_by_two_dated_estimates(traced_seed_report):
    v = _claim(traced_seed_report, "dropped massively")["verdict"]
    assert v["label"] == "supported" and "fall" in v["explanation"]
    assert "3,000" in v["explanation"] and "1,000" in v["explanation"]


_NOW = "{} Islamic State fighters remain in Iraq and Syria, the coalition said on Wednesday."


@pytest.mark.parametrize(("evidence", "label"), [
    (_NOW.format("Fewer than 1,000") + " On Dec. 5, the coalition estimated that about 3,000 Islamic State fighters "
     "were still in Iraq and Syria.", "supported"),
    (_NOW.format("More than 1,000") + " On Dec. 5, the coalition estimated that about 300 Islamic State fighters "
     "were still in Iraq and Syria.", "contradicted"),
    (_NOW.format("Fewer than 1,000") + " On Dec. 5, the coalition estimated that about 800 Islamic State fighters "
     "were still in Iraq and Syria.", "unverified"),  # the ranges overlap: no direction shown
    # the earlier number in sentences unlike the claim, which name the count only as "the figure" / "the number"
    (_NOW.format("Fewer than 1,000") + " The coalition's previous estimate, published on December 5, put the number "
     "of fighters at 3,000.", "supported"),
    (_NOW.format("Fewer than 1,000") + " The coalition did not say how many had fled. On Dec. 5 the coalition's "
     "figure stood at 3,000.", "supported"),
    (_NOW.format("Fewer than 1,000") + " In early December the coalition had put the figure at about 3,000.",
     "supported"),
    # the earlier count under another name ("militants"), dated only as "the start of the month"
    (_NOW.format("Fewer than 1,000") + " On Dec. 5 the coalition had put the number of militants in its area at "
     "about 3,000.", "supported"),
    (_NOW.format("Fewer than 1,000") + " At the start of the month the coalition had reckoned there were about "
     "3,000 militants in the same area.", "supported"),
    (_NOW.format("Fewer than 1,000") + " Around Dec. 5, coalition officials were putting the number of remaining "
     "militants at roughly 3,000.", "supported"),
    # a count of anyone ("300 people" killed) is no earlier count of the fighters
    (_NOW.format("Fewer than 1,000") + " At the start of December the coalition had put the number at roughly "
     "3,000. Last month an attack by the group killed more than 300 people.", "supported"),
    ("Fewer than 1,000 Islamic State fighters remain in Iraq and Syria, down from 3,000 in early December, the "
     "coalition said on Wednesday.", "supported"),  # both numbers in one sentence
])
def test_trace_trend_claim_against_dated_numbers(tmp_path, evidence, label):
    """The seed's 'The number of ISIS fighters dropped massively since three weeks ago' against one story giving
    an early-December and a current estimate."""
    c = _claim(_seed_against(tmp_path, evidence), "dropped massively")
    assert c["verdict"]["label"] == label
    if label == "supported":  # both dated numbers are cited, each as evidence too
        assert "3,000" in c["verdict"]["explanation"] and "1,000" in c["verdict"]["explanation"]
        assert all(e["sentence"] in c["verdict"]["explanation"] for e in c["evidence"] if "3,000" in e["sentence"])
        assert any("3,000" in e["sentence"] for e in c["evidence"])


def test_trace_trend_leaves_out_counts_dated_after_the_article(tmp_path):
    """A count published months after the article ('roughly 14,000 fighters' in August 2018) says nothing about a
    claim that the number fell in the three weeks before it; it once made the fall a 'rise'."""
    from conftest import SEED

    from factdesk import build_pipeline, check
    from factdesk.archive import Archive, ArchiveDoc

    if not SEED.exists():
        pytest.skip("seed article absent")
    now = ArchiveDoc.create(_NOW.format("Fewer than 1,000") + " On Dec. 5, the coalition estimated that about 3,000 "
                            "Islamic State fighters were still in Iraq and Syria.", url="https://wire.example.com/is",
                            title="IS estimate", published="2017-12-27")
    later = ArchiveDoc.create("A new Pentagon watchdog report says ISIS may still have tens of thousands of fighters "
                              "in Iraq and Syria. The report estimates roughly 14,000 fighters in Syria and about "
                              "17,000 in Iraq.", url="https://tv.example.com/2018/isis-report",
                              title="Pentagon report: ISIS fighters remain", published="2018-08-07")
    with Archive(tmp_path / "a.sqlite") as archive:
        archive.add_documents([now, later])
        report = check(str(SEED), pipeline=build_pipeline(archive=archive), published="2017-12-27")
    v = _claim(report, "dropped massively")["verdict"]
    assert v["label"] == "supported" and "14,000" not in v["explanation"]


@pytest.mark.parametrize(("needle", "value", "evidence"), [
    ("3000", 3000, "About 3,000 Islamic State fighters are believed to be in Afghanistan, a U.S. commander said on "
                   "Tuesday, December 5."),
    ("45,000", 45000, "Officials estimated that 45,000 fighters had joined militias across Libya two years ago."),
    ("one thousand", 1000, "Fewer than 1,000 Taliban fighters remain in Helmand province, provincial officials said "
                           "on Wednesday."),
    ("3000", 3000, "About 3,000 al Shabaab militants were believed to be in the region on December 5, officials "
                   "said."),
    ("45,000", 45000, "At its peak two years ago Boko Haram had some 45,000 fighters in the region, analysts said."),
    # "across the country" is the story's country, whatever else the sentence names
    ("3000", 3000, "Islamic State has gained a foothold in northern Afghanistan. Officials estimate the group has "
                   "some 3,000 fighters across the country, including foreigners who came from Iraq and Syria."),
])
def test_trace_a_number_for_another_country_or_group_is_not_evidence(tmp_path, needle, value, evidence):
    """The seed's 1,000, 3,000 (in Syria and Iraq) and 45,000 ('in the region', a story set in Syria and Iraq)
    claims, all about ISIS, against the same number for another country or another group."""
    r = _seed_against(tmp_path, evidence, title="IS elsewhere", url="https://asia.example/is", published="2017-12-20")
    c = _claim(r, needle, value)
    assert c["verdict"]["label"] == "unverified" and c["evidence"] == []



@pytest.mark.parametrize(("title", "evidence"), [
    # a story that says where only through its actors and its headline, never Syria or Iraq
    ("Ukraine and rebels swap hundreds of prisoners",
     "Ukraine and Russian-backed separatists exchanged more than 300 prisoners on Wednesday, the biggest swap since "
     "the conflict began in 2014, which has killed more than 10,000 people. Around 1,000 fighters are still believed "
     "held."),
    ("Taliban fighting strength put at 60,000",
     "The Taliban in Afghanistan have as many as 60,000 fighters, a NATO assessment estimated on Tuesday, up from "
     "20,000 in 2014. About 14,000 US troops remain in the country."),
    # a story placed only by its dateline
    ("Islamic State's Afghan branch holds about 1,000 fighters, US general says",
     "KABUL - Islamic State's Afghan affiliate has roughly 1,000 fighters left in the eastern province of Nangarhar, "
     "a senior U.S. commander said on Tuesday. Officials warned that the branch could recruit fighters leaving Iraq "
     "and Syria."),
    ("Islamic State still holds thousands of captives",
     "BEIRUT - Some 3,000 prisoners are still believed to be held by Islamic State in Syria, a monitoring group "
     "said on Wednesday."),
    # in Syria, but counting other things: U.S. troops, recruits of another force
    ("US troops to stay in Syria, Pentagon says",
     "The Pentagon said about 2,000 U.S. troops would remain in Syria to ensure Islamic State does not return."),
    ("US-backed SDF to train 3,000 new border guards",
     "The Syrian Democratic Forces plan to train 3,000 border guards in northern Syria. Fewer than 1,000 have "
     "completed training so far."),
    # the coalition's count of civilians killed, restated as "the tally" in the next sentence
    ("Coalition's civilian toll stays under 1,000",
     "The U.S.-led coalition acknowledged on Thursday that at least 817 civilians have been killed in its strikes "
     "against Islamic State in Iraq and Syria since 2014. The coalition's tally remains under 1,000, well below "
     "estimates by independent monitors."),
    ("Coalition admits 817 civilian deaths",
     "The coalition fighting Islamic State said on Thursday that its strikes in Iraq and Syria have killed at least "
     "817 civilians since August 2014, keeping its official tally below 1,000."),
])
def test_trace_a_story_about_other_countries_is_never_cited(tmp_path, title, evidence):
    """A story naming only other countries, or counting other things, is about something else: none of the seed's
    claims cites it, though its fighters and numbers look like theirs."""
    r = _seed_against(tmp_path, evidence, title=title, url="https://east.example/story")
    assert _cited(r) == set()
    assert _claim(r, "one thousand", 1000)["verdict"]["label"] == "unverified"


@pytest.mark.parametrize("evidence", [
    # another name of the group, and a qualifier whose clause holds "U.S."
    "Less than 1,000 Daesh militants are still fighting in the zone where the U.S.-led coalition operates in Iraq "
    "and Syria, the coalition said on Wednesday.",
    # the qualifier far below the lead figure, naming it as "the coalition's tally"
    "Fewer than 1,000 IS militants are now thought to be left in Iraq and Syria, the international coalition said "
    "on Wednesday. The group once held a third of Iraq. Its fighters have scattered into the desert. The alliance's "
    "count stood at some 3,000 earlier in the month. The coalition's tally covers only the territory where it "
    "operates alongside its local partners; it makes no estimate for regions held by the Syrian state.",
])
def test_trace_seed_fewer_than_1000_misleading_however_worded(tmp_path, evidence):
    r = _seed_against(tmp_path, evidence)
    v = _claim(r, "one thousand", 1000)["verdict"]
    assert (v["label"], v["reasons"]) == ("misleading", ["missing_context"])
    assert "U.S.-led coalition operates" in v["explanation"] or "covers only the territory" in v["explanation"]


def test_trace_trend_from_covering_story_numbers_alone(tmp_path):
    """No sentence is like 'The number of ISIS fighters dropped massively since three weeks ago', but the story's
    dated numbers for the same group under another name show the fall."""
    r = _seed_against(tmp_path, "Less than 1,000 Daesh militants are still fighting in Iraq and Syria, the coalition "
                                "said on Wednesday. Three weeks earlier, its estimate had been three thousand.")
    v = _claim(r, "dropped massively")["verdict"]
    assert v["label"] == "supported" and "fall" in v["explanation"] and "three thousand" in v["explanation"]



@pytest.mark.parametrize("evidence", [
    "Fewer than 1,000 Islamic State militants remain in Iraq and Syria, the coalition said on Wednesday. About three "
    "weeks ago, the coalition estimated roughly 3,000 militants were still there. But there's a catch: the new "
    "estimate only counts the areas where the coalition and its partners are operating.",
    # the earlier number leads the story, the new one ("Now fewer than 1,000 remain") names no counted thing
    "About three weeks ago, the coalition estimated roughly 3,000 Islamic State militants were still in Iraq and "
    "Syria. Now fewer than 1,000 remain, the coalition said on Wednesday. But there's a catch: the new estimate only "
    "counts the areas where the coalition and its partners are operating.",
    # the earlier number dated only by "In early December", the caveat right after it
    "The coalition estimated on Wednesday that fewer than 1,000 Islamic State fighters remain in Iraq and Syria. In "
    "early December the coalition had said it believed about 3,000 ISIS militants were still present in the two "
    "countries. The coalition cautioned that its new estimate counts only fighters inside its own area of operations.",
    # "the count" after an earlier figure is the story's current count
    "The coalition said on Wednesday that fewer than 1,000 Islamic State fighters remain in Iraq and Syria. On Dec. 5 "
    "the coalition put the number at some 3 000. The coalition stressed that the count covers only its combined joint "
    "area of operations.",
])
def test_trace_a_caveat_on_the_new_estimate_does_not_qualify_the_earlier_one(tmp_path, evidence):
    r = _seed_against(tmp_path, evidence)
    assert _claim(r, "3000", 3000)["verdict"]["label"] == "supported"
    v = _claim(r, "one thousand", 1000)["verdict"]
    assert (v["label"], v["reasons"]) == ("misleading", ["missing_context"])


def test_trace_coverage_leaves_out_a_story_set_in_other_countries(tmp_path):
    """Coverage is the same story told elsewhere: for an article set in Mexico, a story about kidnapped students
    that names only Nigeria is not listed, however alike the wording, and one that names Mexico is."""
    from factdesk import build_pipeline, ingest
    from factdesk.archive import Archive, ArchiveDoc

    article = ("Forty-three students missing in Mexico after police clash. Forty-three students from a teacher "
               "training college in southern Mexico have been missing since a confrontation with police in the town "
               "of Iguala. Six people were killed in the violence, and families say the authorities are hiding what "
               "happened to the students.")
    stories = {
        "mexico": ("Families of missing students march in Mexico City", "Thousands marched in Mexico City on "
                   "Wednesday to demand the return of 43 students missing since a police attack in Iguala in which six "
                   "people were killed. Relatives accuse the authorities of hiding what happened to the students."),
        "nigeria": ("Families of kidnapped schoolgirls march in Abuja", "Hundreds marched in Nigeria's capital on "
                    "Wednesday to demand the return of more than 200 schoolgirls kidnapped by gunmen in Chibok. "
                    "Relatives accuse the authorities of hiding what happened to the students, and at least 30 "
                    "people were killed in attacks nearby."),
    }
    with Archive(tmp_path / "a.sqlite") as archive:
        archive.add_documents([ArchiveDoc.create(text, doc_id=key, title=title, url=f"https://news.example/{key}")
                               for key, (title, text) in stories.items()])
        doc = build_pipeline(archive=archive)(ingest.from_text(article, title="Forty-three students missing"))
    assert [c["doc_id"] for c in doc.coverage] == ["mexico"]
    assert "nigeria" not in {e.doc_id for c in doc.claims for e in c.evidence}


@pytest.mark.parametrize(("title", "claim", "places", "own"), [
    # a city the claim names in another role ("back to the capital Pyongyang") adds its country to the story's
    ("North Korean restaurant opens in Glasgow", "The outlets send 30% of takings back to the capital Pyongyang.",
     {"North Korea", "United Kingdom"}, False),
    ("North Korean restaurant opens in Glasgow", "The outlets send 30% of their takings home.", {"United Kingdom"},
     False),
])
def test_trace_claim_places(title, claim, places, own):
    from factdesk import ingest
    from factdesk.document import Claim
    from factdesk.stages.trace import _claim_places

    doc = ingest.from_text(f"A restaurant run by the North Korean state opened this week. {claim}", title=title)
    assert _claim_places(doc, Claim(id="c1", text=claim, start=0, end=len(claim), checkworthiness=0.5)) == (
        frozenset(places), own)


FEATURE = (
    "Three and a half years ago the militants held a third of Iraq. At various points since 2014, analysts put their "
    "strength at 20,000 to more than 30,000 fighters, and officials have cited some 45,000 at the group's height.\n\n"
    "On Wednesday the coalition offered its most hopeful estimate yet: in a statement from Combined Joint Task "
    "Force-Operation Inherent Resolve, the command said that fewer than 1,000 of the group's fighters remained, most "
    "of them hunted through the desert.\n\n"
    "What the number does and does not measure\n\n"
    "It would be easy to read the estimate as a census. It is not. First, the figure is tied to the coalition's "
    "combined joint area of operations and does not cover western Syria, held by the government and its allies.")


def test_trace_a_feature_s_scope_section_qualifies_its_first_current_figure(tmp_path):
    """A feature that opens on history, states the current figure in its middle and explains what the figure
    measures far below: the history's numbers are not its lead figure, the current one is, and the caveat is read
    with it."""
    r = _seed_against(tmp_path, FEATURE, title="After the caliphate: what is left of Islamic State",
                      url="https://review.example/after-the-caliphate")
    c = _claim(r, "one thousand", 1000)
    assert c["verdict"]["label"] == "misleading" and "missing_context" in c["verdict"]["reasons"]


@pytest.mark.parametrize(("sentence", "current"), [
    ("In a statement on Wednesday the coalition said fewer than 1,000 fighters are left.", True),
    ("Three years after its flags flew over a third of Iraq, the group has been whittled down to a remnant.", False),
    ("Around December 5 the coalition put the number at 3,000.", False),
    ("At its height the group had 45,000 fighters.", False),
])
def test_trace_current_count_is_a_count_as_of_the_story(sentence, current):
    """A story's lead figure is its first count as it stands; a span of time ('Three years after') is no count."""
    from factdesk.stages.trace import _current_count

    assert _current_count(sentence, "2017-12-28") is current


def test_trace_sentence_with_the_claims_number_outranks_looser_ones(tmp_path):
    """Pages repeating the headline figure in 'READ MORE' lines and related-stories lists: the one sentence that
    gives the claim's 3,000, less like the claim in words than those lines, is still among the evidence."""
    from conftest import SEED

    from factdesk import build_pipeline, check
    from factdesk.archive import Archive, ArchiveDoc

    if not SEED.exists():
        pytest.skip("seed article absent")
    explainer = "\n".join([
        "By A. Reporter, National Desk",
        "The coalition's headline number this week was that fewer than 1,000 ISIS fighters remain in Iraq and Syria.",
        "HOW FAST DID THE NUMBER DROP?",
        "In early December, around December 5, the coalition estimated roughly 3,000 fighters were left in the "
        "same area.",
        "READ MORE: Fewer than 1,000 ISIS fighters left in Iraq and Syria, coalition says",
    ])
    others = [f"{lead}\nREAD MORE: {link}\nRelated:\n- {link}" for lead, link in [
        ("Moscow declared ISIS defeated in Syria earlier this month.",
         "ISIS down to fewer than 1,000 fighters in Iraq and Syria, officials say"),
        ("Thousands of ISIS fighters escaped Iraq and Syria through Turkey, a London newspaper reported.",
         "ISIS fighters in Iraq and Syria number under 1,000, the coalition says"),
        ("Iraq declared victory over ISIS in Iraq and Syria border areas this month.",
         "Coalition: under 1,000 ISIS militants still in Iraq and Syria"),
    ]]
    docs = [ArchiveDoc.create(explainer, url="https://tv.example.com/explainer", published="2017-12-28",
                              title="Explainer: what the ISIS count in Iraq and Syria covers")]
    docs += [ArchiveDoc.create(t, url=f"https://tv.example.com/{i}", published="2017-12-27", title=f"ISIS story {i}")
             for i, t in enumerate(others)]
    with Archive(tmp_path / "a.sqlite") as archive:
        archive.add_documents(docs)
        report = check(str(SEED), pipeline=build_pipeline(archive=archive), published="2017-12-27")
    c = _claim(report, "3000")
    assert c["verdict"]["label"] == "supported"
    assert any("roughly 3,000" in e["sentence"] for e in c["evidence"])
    # links to other stories are no statement of the story they sit in: never cited
    cited = [e["sentence"] for c in report["claims"] for e in c.get("evidence", [])]
    assert cited and not any(x.startswith(("READ MORE", "Related", "- ")) for x in cited)


def _seed_against_stories(tmp_path, stories: list[tuple[str, str, str]]) -> dict:
    """The seed's report traced against an archive of (text, published, url) stories."""
    from conftest import SEED

    from factdesk import build_pipeline, check
    from factdesk.archive import Archive, ArchiveDoc

    if not SEED.exists():
        pytest.skip("seed article absent")
    with Archive(tmp_path / "a.sqlite") as archive:
        archive.add_documents([ArchiveDoc.create(t, url=u, title="IS estimate", published=p) for t, p, u in stories])
        return check(str(SEED), pipeline=build_pipeline(archive=archive), published="2017-12-27")


def test_trace_a_story_from_weeks_later_is_evidence_only_where_it_dates_itself(tmp_path):
    """A January story restating 'fewer than 1,000 remain' reports a later state of things: not cited for the
    December claims; one dating what it says to December is."""
    wire = (_NOW.format("Fewer than 1,000") + " The estimate covers only the coalition's areas of operation.",
            "2017-12-27", "https://wire.example.com/dec")
    later = ("The coalition said on Tuesday that fewer than 1,000 Islamic State fighters remain in Iraq and Syria.",
             "2018-01-23", "https://wire.example.com/jan")
    report = _seed_against_stories(tmp_path, [wire, later])
    urls = {e["url"] for c in report["claims"] for e in c.get("evidence", [])}
    assert "https://wire.example.com/dec" in urls and "https://wire.example.com/jan" not in urls
    dated = ("In December 2017 the coalition said that fewer than 1,000 Islamic State fighters remained in Iraq and "
             "Syria.", "2018-01-23", "https://wire.example.com/look-back")
    report = _seed_against_stories(tmp_path / "b", [wire, dated])
    assert "https://wire.example.com/look-back" in {e["url"] for c in report["claims"] for e in c.get("evidence", [])}


def test_trace_caveat_on_an_item_of_a_live_page_is_read_with_its_figure(tmp_path):
    """On a live page the coalition's figure leads only its own entry; the caveat two sentences below it still
    qualifies it."""
    page = ("16:40 GMT - Weather: more than 2,000 homes lost power after a storm on Wednesday.\n\n"
            "15:20 GMT - The US-led coalition says fewer than 1,000 Islamic State fighters are now left in Iraq and "
            "Syria. A note of caution on that figure, though. The coalition made clear the count refers only to its "
            "own areas of operation.")
    report = _seed_against_stories(tmp_path, [(page, "2017-12-27", "https://live.example.com/dec27")])
    c = _claim(report, "fewer than one thousand", 1000)
    assert c["verdict"]["label"] == "misleading" and "missing_context" in c["verdict"]["reasons"]


def test_trace_old_stories_do_not_merely_discuss(tmp_path):
    """A 2016 estimate is history: it does not 'discuss' the December claims."""
    wire = (_NOW.format("Fewer than 1,000") + " On Dec. 5, the coalition estimated that about 3,000 Islamic State "
            "fighters were still in Iraq and Syria.", "2017-12-27", "https://wire.example.com/dec")
    old = ("U.S. officials now believe Islamic State has between 15,000 and 30,000 fighters in Iraq and Syria, lower "
           "than at its peak in 2014, when the CIA put its strength at up to 31,500.", "2016-08-11",
           "https://wire.example.com/2016")
    report = _seed_against_stories(tmp_path, [wire, old])
    # (the trend check still reads its dated numbers: "dropped massively" is left out here)
    cited = [e for c in report["claims"] if "dropped massively" not in c["text"] for e in c.get("evidence", [])
             if e["url"] == "https://wire.example.com/2016"]
    assert all(e["stance"] != "discusses" for e in cited)


@pytest.mark.parametrize("sentence, published", [
    ("The coalition said fewer than 1,000 fighters remained on Dec. 27.", "2017-12-27"),
    ("No numbers here at all.", None),
])
def test_trace_sentence_quantities_are_kept_but_each_caller_gets_its_own_list(sentence, published):
    """An archive sentence's quantities are computed once and equal find_quantities' every time; a caller that
    changes its list does not change the next caller's."""
    from types import SimpleNamespace

    from factdesk.stages.quantities import find_quantities
    from factdesk.stages.trace import _sentence_quantities

    hit = SimpleNamespace(sentence=sentence, published=published)
    first = _sentence_quantities(hit)
    assert first == find_quantities(sentence, 0, len(sentence), published)
    first.append("changed")
    assert _sentence_quantities(hit) == find_quantities(sentence, 0, len(sentence), published)


def test_trace_speaker_of_an_archive_quote_is_found_again_from_the_kept_analysis():
    from factdesk.stages.trace import _speaker_at

    text = ('"We will rebuild the bridge by spring," Mayor Ana Ruiz said on Monday.\n\n'
            'Officials declined to comment. "The money is not there," said Tom Bell, a council member.')
    a = text.index("We will")
    b = text.index("The money")
    for _ in range(2):
        assert "Ruiz" in (_speaker_at(text, a, a + 30) or "")
        assert "Bell" in (_speaker_at(text, b, b + 20) or "")


@pytest.mark.parametrize(
    ("claim", "label", "reasons"),
    [
        # the same sentence with another price: changed
        ("The analyst expects the stainless steel watch to be priced at $599.", "misleading", ["number_changed"]),
        # another price in the same story, for something else: not a changed number
        ("A buyer said she could find a gold watch from a jeweller for $2,000 instead.", "unverified",
         ["no_evidence"]),
    ],
    ids=["same-sentence-other-price", "other-thing-other-price"],
)
def test_trace_bare_amount_changed_only_by_a_sentence_saying_the_same(tmp_path, claim, label, reasons):
    from conftest import report_of

    from factdesk import build_pipeline
    from factdesk.archive import Archive, ArchiveDoc

    story = ("The analyst expects the stainless steel watch to be priced at $499. "
             "Analysts say the gold edition of the watch could cost far more.")
    with Archive(tmp_path / "a.sqlite") as archive:
        archive.add_documents([ArchiveDoc.create(story, url="https://tech.example.com/watch", title="Watch prices",
                                                 published="2015-03-01")])
        r = report_of(build_pipeline(archive=archive), f"Watch pricing\n\n{claim}", published="2015-03-02")
    v = _claim(r, claim[:30])["verdict"]
    assert (v["label"], v["reasons"]) == (label, reasons)


def test_trace_seed_earlier_figure_in_a_clause_about_the_new_one(tmp_path):
    """ "That figure, which has fallen from around 3,000 in early December, applies solely to …": the caveat is about
    the new figure, not the 3,000 it fell from; and the sentence dates the earlier count for the trend."""
    r = _seed_against(tmp_path, "Fewer than 1,000 Islamic State militants are still in Iraq and Syria, the U.S.-led "
                                "coalition estimated on Wednesday.\n\nThat figure, which has fallen from around 3,000 in "
                                "early December, applies solely to the coalition's combined joint operating area and so "
                                "omits western Syria, where the Damascus government holds sway.")
    assert _claim(r, "3000", 3000)["verdict"]["label"] == "supported"
    assert _claim(r, "dropped massively")["verdict"]["label"] == "supported"
    assert _claim(r, "fewer than one thousand", 1000)["verdict"]["reasons"] == ["missing_context"]


def test_trace_seed_the_number_after_a_sentence_on_the_two_countries(tmp_path):
    """ "the real number … across the two countries" counts no countries: the next sentence's "the number at roughly
    3,000" still refers to the fighters."""
    r = _seed_against(tmp_path, f"{PLAIN_WIRE}\n\nThe real number of militants across the two countries may be "
                                "higher.\n\nAround Dec. 5, the coalition had put the number at roughly 3,000.")
    assert _claim(r, "3000", 3000)["verdict"]["label"] == "supported"
