"""The one object that flows through the pipeline, and the typed annotations stages attach to it.

All offsets are character offsets into ``Document.text`` (0-based, end exclusive). A flag on the headline
uses ``start == end == -1``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Comparator = Literal["=", "<", "<=", ">", ">=", "~"]
AttributionType = Literal["direct", "indirect", "vague", "none"]
VerdictLabel = Literal["supported", "contradicted", "misleading", "unverified"]
Stance = Literal["supports", "refutes", "discusses", "unrelated"]


@dataclass(slots=True)
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int


@dataclass(slots=True)
class Quantity:
    text: str
    value: float
    start: int
    end: int
    comparator: Comparator | None = "="
    unit: str | None = None
    entity: str | None = None
    date: str | None = None


@dataclass(slots=True)
class Attribution:
    type: AttributionType = "none"
    speaker: str | None = None
    via: str | None = None
    verb: str | None = None
    cue: str | None = None


@dataclass(slots=True)
class Evidence:
    doc_id: str
    sentence: str
    stance: Stance
    score: float
    url: str | None = None
    title: str | None = None
    source: str | None = None
    published: str | None = None


@dataclass(slots=True)
class Verdict:
    label: VerdictLabel = "unverified"
    confidence: float = 0.0
    reasons: list[str] = field(default_factory=lambda: ["no_evidence"])
    explanation: str = "No evidence archive was searched for this claim."


@dataclass(slots=True)
class Claim:
    id: str
    text: str
    start: int
    end: int
    checkworthiness: float
    kind: list[str] = field(default_factory=list)
    attribution: Attribution = field(default_factory=Attribution)
    quantities: list[Quantity] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)  # one per sentence
    verdict: Verdict = field(default_factory=Verdict)
    evidence: list[Evidence] = field(default_factory=list)
    fact_checks: list[dict[str, Any]] = field(default_factory=list)  # prior published fact-checks of this claim


@dataclass(slots=True)
class Quote:
    id: str
    text: str
    start: int
    end: int
    speaker: str | None
    well_formed: bool
    via: str | None = None
    verb: str | None = None
    traced: dict[str, Any] | None = None


@dataclass(slots=True)
class Flag:
    type: str
    start: int
    end: int
    text: str
    score: float
    technique: str | None = None
    explanation: str = ""


@dataclass(slots=True)
class ModelInfo:
    name: str
    version: str
    sha256: str | None = None


@dataclass
class Document:
    """An article and everything the stages found in it."""

    text: str
    title: str | None = None
    url: str | None = None
    domain: str | None = None
    author: str | None = None
    published: str | None = None
    site: str | None = None
    id: str | None = None
    language: str | None = None
    language_confidence: float | None = None
    sentences: list[Sentence] = field(default_factory=list)
    paragraphs: list[tuple[int, int]] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)  # one per sentence
    claims: list[Claim] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    coverage: list[dict[str, Any]] = field(default_factory=list)
    headline: dict[str, Any] = field(default_factory=dict)
    source: dict[str, Any] = field(default_factory=dict)
    score: dict[str, Any] = field(default_factory=dict)
    models: list[ModelInfo] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    elapsed_ms: float | None = None
    archive: str | None = None  # the evidence archive the claims were traced against
    settings: dict[str, Any] = field(default_factory=dict)  # how the pipeline was built (Pipeline.settings)

    def sentence_at(self, offset: int) -> Sentence | None:
        """The sentence containing ``offset``, if any."""
        for s in self.sentences:
            if s.start <= offset < s.end:
                return s
        return None


def to_plain(obj: Any) -> Any:
    """Dataclasses → plain dicts/lists, for JSON."""
    if hasattr(obj, "__dataclass_fields__"):
        return {k: to_plain(v) for k, v in asdict(obj).items()}
    if isinstance(obj, list | tuple):
        return [to_plain(v) for v in obj]
    if isinstance(obj, dict):
        return {k: to_plain(v) for k, v in obj.items()}
    return obj
