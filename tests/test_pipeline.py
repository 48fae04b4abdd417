import pytest

import factdesk
from factdesk.document import Document
from factdesk.errors import PipelineError
from factdesk.pipeline import DEFAULT_STAGES, REGISTRY, Pipeline, Stage


def test_pipeline_public_api_is_exactly_all():
    assert sorted(factdesk.__all__) == sorted(
        ["Document", "FactdeskError", "Pipeline", "Stage", "build_pipeline", "check", "check_many", "register",
         "__version__"])
    for name in factdesk.__all__:
        assert hasattr(factdesk, name)


def test_pipeline_default_stages_are_registered_in_order():
    p = factdesk.build_pipeline()
    assert p.names == list(DEFAULT_STAGES)


def test_pipeline_rejects_stage_whose_inputs_nobody_assigns():
    import factdesk.stages  # noqa: F401

    with pytest.raises(PipelineError, match="requires sentences"):
        Pipeline([REGISTRY["quantities"]()])


def test_pipeline_custom_stage_runs_after_builtins():
    class CountWords(Stage):
        name = "count_words"
        requires = ("sentences",)
        assigns = ("word_count",)

        def __call__(self, doc):
            doc.notes.append(f"{sum(len(s.text.split()) for s in doc.sentences)} words")
            return doc

    p = Pipeline([*factdesk.build_pipeline().stages, CountWords()])
    doc = p(Document(text="One two three. Four five.", title="t"))
    assert "5 words" in doc.notes


def test_pipeline_non_english_article_skips_english_stages(pipeline):
    text = ("Der Stadtrat hat am Dienstag den Haushalt für den öffentlichen Nahverkehr beschlossen. "
            "Die Verkehrsbetriebe erwarten, dass die restlichen Busse bis zum Herbst in Betrieb gehen. "
            "Die Opposition kritisierte die Verzögerungen scharf und verlangte eine Untersuchung.")
    doc = pipeline(Document(text=text, title="Stadtrat beschließt Haushalt"))
    assert doc.language == "de"
    assert {"claims", "language", "headline"} <= set(doc.skipped)
    assert doc.claims == [] and any("not English" in n for n in doc.notes)


def test_pipeline_leaves_the_given_document_alone_so_a_second_check_is_the_same(pipeline):
    from factdesk.report.json import to_report

    given = Document(text="Shocking: critics called the 25 percent fare rise a disgraceful betrayal by a corrupt "
                          "elite. The council voted 7-2 on Tuesday, the mayor said.", title="You won't believe this")
    first = pipeline(given)
    assert first is not given and given.flags == [] and given.sentences == [] and given.models == []
    assert first.flags and first.sentences
    second = pipeline(given)

    def without_timing(report):
        return {k: v for k, v in report.items() if k != "provenance"}

    assert without_timing(to_report(second)) == without_timing(to_report(first))


@pytest.mark.parametrize("thorough", [False, True])
def test_pipeline_thorough_tags_every_sentence_for_propaganda(thorough, monkeypatch):
    from factdesk import ingest
    from factdesk.api import build_pipeline
    from factdesk.tagger import default_tagger

    tagged: list[str] = []
    real = default_tagger().iter_tag

    def spy(texts):
        tagged.extend(texts)
        return real(texts)

    monkeypatch.setattr(default_tagger(), "iter_tag", spy)
    text = ("The city council met on Tuesday. It voted 7-2 to raise bus fares by 25 percent. The vote followed a "
            "long debate. Traitors and puppets of a corrupt elite will destroy this city, one protester shouted.")
    doc = build_pipeline(thorough=thorough)(ingest.from_text(text, title="Fares up"))
    assert doc.settings == {"thorough": thorough}  # the report's provenance says how it was made
    if thorough:
        assert tagged == [s.text for s in doc.sentences]
    else:  # only the sentences the propaganda_sentence model scores at the gate: the plain ones are skipped
        assert tagged and len(tagged) < len(doc.sentences)


def test_pipeline_check_takes_thorough_for_a_path_and_records_it(tmp_path):
    from factdesk import check
    from factdesk.errors import ConfigError

    article = tmp_path / "profile.txt"
    article.write_text("Profile\n\nThe senator is a career party operative, a hard-liner during both budget fights. "
                       "The vote is on Tuesday.\n", encoding="utf-8")
    thorough, gated = check(str(article), thorough=True), check(str(article))
    assert thorough["provenance"]["settings"] == {"thorough": True}
    assert gated["provenance"]["settings"] == {"thorough": False}
    with pytest.raises(ConfigError, match="give thorough to build_pipeline"):
        check(str(article), pipeline=factdesk.Pipeline(), thorough=True)
