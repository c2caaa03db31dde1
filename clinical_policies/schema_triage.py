"""Pydantic models for the triage content: dispositions, symptom lexicon, red flags, rules, engine settings.

Kept apart from :mod:`clinical_policies.schema` (persona, constitution) so each module stays small. Every
model forbids unknown keys and is frozen, so a typo in a YAML key is reported instead of silently ignored.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

CONCEPT_ID = r"^[a-z][a-z0-9_]*$"
FACT_TARGETS = ("age", "sex", "pregnancy", "duration")
TERM_LIST_REFERENCE = re.compile(r"<<([^<>]*)>>")  # "<<insulins>>" in a concept pattern names a term list
COMPLAINT_TARGET = "complaint"  # target of the open question asked while no complaint is recognised

Sex = Literal["female", "male"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Disposition(_Strict):
    """``dispositions.yaml`` entry: one level of the triage scale and what the patient is told."""

    id: str = Field(pattern=CONCEPT_ID)
    rank: int = Field(ge=0, description="acuity rank; higher is more urgent")
    title: str = Field(min_length=1)
    timeframe: str = Field(min_length=1)
    patient_message: str = Field(min_length=20)
    safety_net: str = Field(min_length=20)


class SymptomConcept(_Strict):
    """One canonical concept of the lexicon, with the phrasings patients and clinicians use for it."""

    id: str = Field(pattern=CONCEPT_ID)
    label: str = Field(min_length=1)
    kind: Literal["symptom", "risk_factor"] = "symptom"
    lay: tuple[str, ...] = ()
    clinical: tuple[str, ...] = ()
    patterns: tuple[str, ...] = Field(
        default=(), description="regular expressions, matched case-insensitively"
    )
    embed: bool = Field(default=True, description="also match paraphrases with sentence embeddings")
    contradicted_by: tuple[str, ...] = Field(
        default=(),
        description="words that contradict the concept: a paraphrase match in a clause holding one does not "
        "count (exact lexicon matches are unaffected)",
    )
    exceptions: tuple[str, ...] = Field(
        default=(),
        description='regular expressions for look-alike phrases that are not the concept ("fit note", '
        '"coil fitting" are no seizure): a lexicon or paraphrase match of the concept that overlaps a match '
        "of one of them does not count",
    )

    @model_validator(mode="after")
    def _has_some_phrasing(self) -> SymptomConcept:
        if not (self.lay or self.clinical or self.patterns):
            raise ValueError(f"concept {self.id} needs at least one of lay, clinical or patterns")
        return self


class NegationLexicon(_Strict):
    """NegEx-style cues: negating words, look-alike phrases that do not negate, scope ends."""

    cues: tuple[str, ...] = Field(min_length=1)
    pseudo: tuple[str, ...] = ()
    terminators: tuple[str, ...] = ()
    polarity: tuple[str, ...] = Field(
        default=(), description="words that reverse a phrase's meaning; paraphrases must agree on them"
    )
    list_cues: tuple[str, ...] = Field(
        default=(),
        description="cues that negate every item of a comma list after them (clinical 'denies fever, "
        "cough, rash'); after any other cue a comma ends the reach unless a list_closer closes the list",
    )
    list_closers: tuple[str, ...] = Field(
        default=(), description="words that close a negated list ('no fever, cough or rash')"
    )


class AnswerLexicon(_Strict):
    """How patients say yes, no and "I don't know" to a follow-up question."""

    affirmative: tuple[str, ...] = Field(min_length=1)
    negative: tuple[str, ...] = Field(min_length=1)
    dont_know: tuple[str, ...] = Field(min_length=1)


class DemographicLexicon(_Strict):
    """Words that reveal the patient's sex, pregnancy and broad age (newborn, elderly)."""

    female: tuple[str, ...] = Field(min_length=1)
    male: tuple[str, ...] = Field(min_length=1)
    pregnant: tuple[str, ...] = Field(min_length=1)
    age_words: dict[str, float] = Field(default_factory=dict, description="phrase -> age in years")
    redacted_age_years: dict[str, float] = Field(
        default_factory=dict,
        description="unit (day, week, month) -> age assumed when redaction removed the number",
    )


def _term_list_alternation(name: str, terms: Any) -> str:
    """One term list as a non-capturing alternation; each term must be a valid regex on its own."""
    if not re.fullmatch(CONCEPT_ID, name):
        raise ValueError(f"term list name {name!r} must be lower_snake_case")
    if not isinstance(terms, list | tuple) or not terms or not all(isinstance(t, str) and t for t in terms):
        raise ValueError(f"term list {name!r} must be a non-empty list of non-empty strings")
    for term in terms:
        try:
            re.compile(term)
        except re.error as exc:
            raise ValueError(f"term list {name!r}: invalid regex {term!r}: {exc}") from exc
    return "(?:" + "|".join(terms) + ")"


def expand_term_lists(data: Any) -> Any:
    """Replace every ``<<name>>`` in the concepts' patterns by the named term list as an alternation.

    The raw mapping is copied, not changed. An unknown or unused list name is an error, so a list cannot
    silently stop applying after a rename.
    """
    if not isinstance(data, dict) or not isinstance(data.get("term_lists", {}), dict):
        return data
    lists: dict[str, str] = {}
    used: set[str] = set()

    def expand(where: str, pattern: str) -> str:
        def substitute(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in lists:
                known = ", ".join(sorted(lists)) or "none"
                raise ValueError(f"{where} names unknown term list <<{name}>> (known at that point: {known})")
            used.add(name)
            return lists[name]

        return TERM_LIST_REFERENCE.sub(substitute, pattern)

    # a list may name lists defined above it (so no cycle is possible)
    for name, terms in data.get("term_lists", {}).items():
        if isinstance(terms, list | tuple):
            terms = [expand(f"term list {name}", t) if isinstance(t, str) else t for t in terms]
        lists[name] = _term_list_alternation(name, terms)

    concepts = data.get("concepts")
    if isinstance(concepts, list):  # anything else is left for the field's own validation to report
        concepts = [_with_expanded_patterns(concept, expand) for concept in concepts]
    unused = sorted(set(lists) - used)
    if unused:
        raise ValueError(f"term list(s) not used by any pattern or list: {', '.join(unused)}")
    return {**data, "concepts": concepts} if "concepts" in data else data


def _with_expanded_patterns(concept: Any, expand: Callable[[str, str], str]) -> Any:
    if not isinstance(concept, dict):
        return concept
    expanded = dict(concept)
    for field, where in (("patterns", "pattern"), ("exceptions", "exception")):
        if isinstance(concept.get(field), list):
            label = f"concept {concept.get('id')}: {where}"
            expanded[field] = [expand(label, p) if isinstance(p, str) else p for p in concept[field]]
    return expanded


class SymptomLexicon(_Strict):
    """``symptoms.yaml``: the concept lexicon plus negation, answer and demographic vocabularies."""

    term_lists: dict[str, tuple[str, ...]] = Field(
        default_factory=dict,
        description="named lists of words (each a regular expression) that concept patterns share: "
        "``<<name>>`` in a pattern or an exception stands for any word of the list, so a medicine is added "
        "in one place",
    )
    negation: NegationLexicon
    answers: AnswerLexicon
    demographics: DemographicLexicon
    concepts: tuple[SymptomConcept, ...] = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _expand_term_lists(cls, data: Any) -> Any:
        return expand_term_lists(data)


class Conditions(_Strict):
    """Conditions on the case; all stated conditions must hold. Unknown facts never satisfy a condition."""

    all: tuple[str, ...] = Field(default=(), description="every concept present")
    any: tuple[str, ...] = Field(default=(), description="at least one concept present")
    any_risk: tuple[str, ...] = Field(default=(), description="at least one risk factor present")
    none: tuple[str, ...] = Field(
        default=(), description="no concept present (unknown counts as not present)"
    )
    min_age_years: float | None = Field(default=None, ge=0)
    max_age_years: float | None = Field(default=None, ge=0, description="exclusive upper bound")
    min_duration_hours: float | None = Field(default=None, ge=0)
    max_duration_hours: float | None = Field(default=None, ge=0, description="exclusive upper bound")
    sex: Sex | None = None
    pregnant: bool | None = None

    def concept_ids(self) -> tuple[str, ...]:
        """Every concept id this condition refers to, for cross-checks."""
        return self.all + self.any + self.any_risk + self.none


class RedFlag(_Strict):
    """``red_flags.yaml`` entry: a pattern that forces emergency regardless of anything else."""

    id: str = Field(pattern=r"^RF-[A-Z]+-\d{3}$")
    title: str = Field(min_length=1)
    disposition: str = Field(pattern=CONCEPT_ID)
    when_any: tuple[Conditions, ...] = ()
    phrases: tuple[str, ...] = Field(
        default=(), description="lay/clinical synonyms that fire the flag directly"
    )
    phrase_exceptions: tuple[str, ...] = Field(
        default=(),
        description='regular expressions for look-alikes of the phrases ("meningitis B vaccine" is no '
        "meningitis): a phrase match overlapping one of them does not fire the flag; the conditions still "
        "apply",
    )
    citation: str = Field(min_length=5)
    # a refusal_messages.yaml reason (an escalation message): while this flag holds, that message's text
    # opens the reply (crisis resources for suicidal intent) and its triage_floor holds for the conversation
    reply_reason: str | None = None

    @model_validator(mode="after")
    def _has_trigger(self) -> RedFlag:
        if not (self.when_any or self.phrases):
            raise ValueError(f"red flag {self.id} needs when_any conditions or phrases")
        return self


class DiscriminatorQuestion(_Strict):
    """A question a nurse would ask; ``target`` is the concept id or fact (age, sex, ...) it resolves."""

    id: str = Field(pattern=r"^Q-[A-Z]+-\d{3}$")
    target: str = Field(min_length=2)
    text: str = Field(min_length=5)
    only_if_any: tuple[str, ...] = Field(
        default=(), description="ask only when one of these concepts is present (empty: always relevant)"
    )


class TriageRule(_Strict):
    """One ordered rule of a complaint protocol: the first rule that holds decides the complaint."""

    id: str = Field(pattern=r"^TR-[A-Z]+(-[A-Z]+)?-\d{3}$")
    title: str = Field(min_length=1)
    when: Conditions = Field(default_factory=Conditions)
    disposition: str = Field(pattern=CONCEPT_ID)
    citation: str = Field(min_length=5)
    # a refusal_messages.yaml reason (an escalation message): when this rule decides, that message's text
    # opens the reply (crisis resources for suicidal thoughts) and this rule's own disposition holds for the
    # rest of the conversation (the message's triage_floor is for the cascade's escalations and red flags)
    reply_reason: str | None = None


class ComplaintProtocol(_Strict):
    """``triage_rules.yaml`` entry: the protocol for one presenting complaint."""

    id: str = Field(pattern=r"^[A-Z]+$")
    title: str = Field(min_length=1)
    triggers: tuple[str, ...] = Field(min_length=1, description="concepts that open this protocol")
    questions: tuple[DiscriminatorQuestion, ...] = ()
    rules: tuple[TriageRule, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _ends_with_default(self) -> ComplaintProtocol:
        if self.rules[-1].when != Conditions():
            raise ValueError(f"complaint {self.id}: the last rule must have no conditions (the default)")
        return self


class ConfidenceSettings(_Strict):
    """How confident the engine is in a decision, by how it was reached (all in [0, 1])."""

    red_flag: float = Field(ge=0, le=1)
    specific_rule: float = Field(ge=0, le=1)
    default_rule: float = Field(ge=0, le=1)
    no_complaint: float = Field(ge=0, le=1)
    embedding_evidence_weight: float = Field(ge=0, le=1)
    unknown_answer_penalty: float = Field(ge=0, le=1)
    needs_clinician_below: float = Field(ge=0, le=1)


class HighRiskGroups(_Strict):
    """Patients who always go to the clinician queue unless a red flag already sent them to emergency care."""

    risk_factors: tuple[str, ...] = ()
    max_age_years: float | None = Field(default=None, description="younger than this is high risk")
    min_age_years: float | None = Field(default=None, description="this age or older is high risk")
    pregnant: bool = False


class ReviewFinding(_Strict):
    """A cardinal finding that sends a non-emergency decision to a clinician (optionally only from an age)."""

    concept: str = Field(pattern=CONCEPT_ID)
    min_age_years: float | None = Field(default=None, ge=0, description="only at this age or older")


class ClinicianReview(_Strict):
    """Decisions at these dispositions are reviewed by a clinician when one of the findings is present.

    A red flag cannot catch every atypical emergency; a cardinal finding under an urgent decision is where a
    missed emergency hides, so a clinician looks at it (reason ``high_risk_finding``).
    """

    dispositions: tuple[str, ...] = Field(min_length=1)
    findings: tuple[ReviewFinding, ...] = Field(min_length=1)


class AcuityModelSettings(_Strict):
    """The learned raise-only acuity check (``docs/acuity_escalation_experiment.md``).

    A distance-weighted k-nearest-neighbour vote (cosine, MiniLM sentence embeddings) over the labelled
    development and acuity-training vignettes gives P(emergency) for the patient's presenting text. When the
    rules' disposition is less acute than emergency and that probability reaches ``raise_at``, the case is
    raised to emergency and also goes to a clinician (reason ``possible_emergency``). It never lowers acuity.
    With ``review_at`` set, a probability in ``[review_at, raise_at)`` sends the case to a clinician (same
    reason) and leaves the disposition as it is (escalate only).
    """

    neighbours: int = Field(ge=1, le=50)
    raise_at: float = Field(gt=0, le=1, description="P(emergency) at or above which the case is raised")
    review_at: float | None = Field(
        default=None, gt=0, le=1, description="P(emergency) at or above which a clinician reviews the case"
    )

    @model_validator(mode="after")
    def _review_below_raise(self) -> AcuityModelSettings:
        if self.review_at is not None and self.review_at >= self.raise_at:
            raise ValueError(f"review_at ({self.review_at}) must be below raise_at ({self.raise_at})")
        return self


class NearMissBand(_Strict):
    """Paraphrase similarities just under the red-flag threshold: ``lower`` inclusive, ``upper`` exclusive.

    A red flag that would fire if such a paraphrase counted does not change the disposition (no over-triage by
    guess); the case goes to a clinician instead (reason ``possible_red_flag``).
    """

    lower: float = Field(gt=0, le=1)
    upper: float = Field(gt=0, le=1)

    @model_validator(mode="after")
    def _ordered(self) -> NearMissBand:
        if self.lower >= self.upper:
            raise ValueError(f"lower ({self.lower}) must be below upper ({self.upper})")
        return self


class ScoreBand(_Strict):
    """One band of an early-warning parameter: values up to ``up_to`` (inclusive; None: no end) score this."""

    up_to: float | None = None
    score: int = Field(ge=0, le=3)


def _bands_ok(bands: tuple[ScoreBand, ...], name: str) -> None:
    ends = [b.up_to for b in bands]
    if not bands or ends[-1] is not None or any(e is None for e in ends[:-1]):
        raise ValueError(f"{name}: the last band (and only the last) must have no up_to")
    numbers = [e for e in ends[:-1] if e is not None]
    if numbers != sorted(numbers):
        raise ValueError(f"{name}: bands must be in ascending order")


class News2Settings(_Strict):
    """NEWS2 (RCP 2017) scoring bands, SpO2 scale 1; parameters not stated in the text score nothing."""

    min_age_years: float = Field(ge=0, description="NEWS2 is validated from this age (children: no score)")
    respiratory_rate: tuple[ScoreBand, ...]
    spo2: tuple[ScoreBand, ...]
    systolic_bp: tuple[ScoreBand, ...]
    heart_rate: tuple[ScoreBand, ...]
    temperature_c: tuple[ScoreBand, ...]
    new_confusion: int = Field(ge=0, le=3, description="score for new confusion or drowsiness (ACVPU)")

    @model_validator(mode="after")
    def _ascending(self) -> News2Settings:
        for name in ("respiratory_rate", "spo2", "systolic_bp", "heart_rate", "temperature_c"):
            _bands_ok(getattr(self, name), name)
        return self


class QsofaSettings(_Strict):
    """qSOFA (Sepsis-3) criteria: one point each."""

    respiratory_rate_at_least: float = Field(gt=0)
    systolic_bp_at_most: float = Field(gt=0)


class ScoreConcept(_Strict):
    """A concept that counts as present when a score reaches ``at_least`` (rules test the concept)."""

    concept: str = Field(pattern=CONCEPT_ID)
    at_least: int = Field(ge=1)


class EarlyWarningSettings(_Strict):
    """Early-warning scores from vital signs stated in the text, exposed to the rules as derived concepts."""

    news2: News2Settings
    qsofa: QsofaSettings
    news2_concepts: tuple[ScoreConcept, ...] = ()
    qsofa_concepts: tuple[ScoreConcept, ...] = ()
    altered_mentation: tuple[str, ...] = Field(
        min_length=1, description="concepts that count as altered mentation / new confusion"
    )


class ChronicFallback(_Strict):
    """Disposition when no complaint is recognised but the problem is long-standing and nothing alarms."""

    min_duration_hours: float = Field(gt=0)
    disposition: str = Field(pattern=CONCEPT_ID)
    max_news2: int = Field(ge=0, description="only when NEWS2 (if vital signs were given) is at most this")


class EngineSettings(_Strict):
    """``engine.yaml``: every threshold of the triage engine, reviewed with the clinical content."""

    embedding_min_similarity: float = Field(gt=0, le=1)
    red_flag_embedding_min_similarity: float = Field(gt=0, le=1)
    red_flag_near_miss: NearMissBand | None = None
    embedding_window_sizes: tuple[int, ...] = Field(min_length=1)
    negation_max_gap_tokens: int = Field(ge=0)
    max_followup_turns: int = Field(ge=0)
    fallback_disposition: str = Field(pattern=CONCEPT_ID)
    chronic_fallback: ChronicFallback | None = None
    fever_min_temperature_c: float | None = Field(
        default=None, gt=30, lt=45, description="a stated temperature below this is not a fever"
    )
    early_warning: EarlyWarningSettings | None = None
    emergency_disposition: str = Field(pattern=CONCEPT_ID)
    confidence: ConfidenceSettings
    high_risk: HighRiskGroups
    clinician_review: ClinicianReview | None = None
    acuity_model: AcuityModelSettings | None = None
    questions: tuple[DiscriminatorQuestion, ...] = Field(
        default=(), description="fact questions (age, sex, ...) asked for any complaint"
    )
    complaint_question: DiscriminatorQuestion | None = Field(
        default=None,
        description="open question asked (up to max_followup_turns times) while no complaint is recognised, "
        "e.g. after a greeting; target must be 'complaint'",
    )

    @model_validator(mode="after")
    def _near_miss_below_red_flags(self) -> EngineSettings:
        band = self.red_flag_near_miss
        if band is not None and band.upper > self.red_flag_embedding_min_similarity:
            raise ValueError(
                "red_flag_near_miss.upper must not exceed red_flag_embedding_min_similarity "
                f"({band.upper} > {self.red_flag_embedding_min_similarity})"
            )
        return self
