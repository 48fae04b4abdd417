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
