"""The headline stage: clickbait score and cues, and the stance of the article's own body towards its headline."""

import pytest

import factdesk.stages  # noqa: F401  (registers the built-in stages)
from factdesk import ingest
from factdesk.errors import ConfigError
from factdesk.pipeline import REGISTRY, Pipeline
from factdesk.stance import LABELS

BODY = (
    "The city council voted 7-2 on Tuesday to approve a $40 million budget for new electric buses.\n\n"
    "The money will replace 60 diesel buses that are more than 15 years old, the transit director said.\n\n"
    "Council member Ana Ruiz, who voted against the plan, said the city should repair the existing fleet first.\n\n"
    "The first new buses are expected on the road next spring."
)
RELATED_BAIT = "You won't believe what the council just did with $40 million of your bus money!"
UNRELATED_BAIT = "SHOCKING: Celebrity chef reveals the one pasta trick restaurants hate!!"
PLAIN = "Council approves $40 million for new electric buses"


def headline(title: str, **options) -> dict:
    pipe = Pipeline([REGISTRY["segment"](), REGISTRY["headline"](**options)])
    return pipe(ingest.from_text(BODY, title=title)).headline


@pytest.mark.parametrize("title", [RELATED_BAIT, UNRELATED_BAIT])
def test_headline_clickbait_gets_the_body_stance(title):
    h = headline(title)
    assert h["clickbait"]["label"] is True
    st = h["stance_to_body"]
    probs = st["probabilities"]
    assert set(probs) == set(LABELS) and sum(probs.values()) == pytest.approx(1.0, abs=1e-3)
    assert st["label"] == max(probs, key=probs.get) and st["score"] == probs[st["label"]]


def test_headline_body_stance_tells_a_related_bait_from_an_unrelated_one():
    assert headline(UNRELATED_BAIT)["stance_to_body"]["label"] == "unrelated"
    assert headline(RELATED_BAIT)["stance_to_body"]["label"] != "unrelated"


@pytest.mark.parametrize("title, option, expected", [
    (PLAIN, "clickbait", False),  # a plain headline: the extra pass is not paid by default
    (PLAIN, "always", True),
    (RELATED_BAIT, "never", False),
])
def test_headline_body_stance_option_decides_when_it_runs(title, option, expected):
    h = headline(title, body_stance=option)
    assert (h["stance_to_body"] is not None) is expected
    if title == PLAIN:
        assert h["clickbait"]["label"] is False


def test_headline_body_stance_always_on_plain_headline_is_related():
    assert headline(PLAIN, body_stance="always")["stance_to_body"]["label"] != "unrelated"


def test_headline_body_stance_rejects_unknown_option():
    with pytest.raises(ConfigError, match="body_stance must be one of"):
        REGISTRY["headline"](body_stance="sometimes")
