"""Frozen, JSON-serialisable value types of the triage engine (safe to keep in LangGraph state)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

Status = Literal["present", "absent", "unknown"]
Source = Literal["lexicon", "embedding", "answer", "vital_signs", "model"]
Sex = Literal["female", "male"]
ClinicianReason = Literal[
    "low_confidence",
    "conflicting_evidence",
    "high_risk_group",
    "high_risk_finding",
    "possible_red_flag",
    "no_complaint_recognised",
    "possible_emergency",
]


class Frozen(BaseModel):
    """Immutable model that rejects unknown fields, so stored state round-trips exactly."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Finding(Frozen):
    """What is known about one lexicon concept, and the patient's words that showed it."""

    concept_id: str
    status: Status
    evidence: str  # the phrase from the patient's text, or the answer given
    source: Source
    score: float  # 1.0 for lexicon and answers; cosine similarity for embedding matches


class RedFlagHit(Frozen):
    """A red flag that fired, with the evidence phrases that made it fire."""

    red_flag_id: str
    title: str
    evidence: tuple[str, ...]


class VitalSigns(Frozen):
    """Vital signs stated in the text (None: not stated); temperature in °C, blood pressure systolic."""

    heart_rate: float | None = None
    respiratory_rate: float | None = None
    spo2: float | None = None
    systolic_bp: float | None = None
    temperature_c: float | None = None


class Extraction(Frozen):
    """Everything read from one piece of patient text."""

    findings: tuple[Finding, ...] = ()
    age_years: float | None = None
    sex: Sex | None = None
    pregnant: bool | None = None
    duration_hours: float | None = None
    phrase_flags: tuple[RedFlagHit, ...] = ()
    vitals: VitalSigns = VitalSigns()
    near_misses: tuple[Finding, ...] = ()  # red-flag concept paraphrases under the paraphrase threshold


class CaseFacts(Frozen):
    """Accumulated facts of one triage conversation; the engine's only memory between turns."""

    findings: tuple[Finding, ...] = ()
    age_years: float | None = None
    sex: Sex | None = None
    pregnant: bool | None = None
    duration_hours: float | None = None
    phrase_flags: tuple[RedFlagHit, ...] = ()
    vitals: VitalSigns = VitalSigns()
    fired_red_flags: tuple[RedFlagHit, ...] = ()  # sticky: a red flag once fired stays fired
    conflicts: tuple[str, ...] = ()  # concept ids reported both present and absent
    asked_question_ids: tuple[str, ...] = ()
    unknown_question_ids: tuple[str, ...] = ()  # asked, answered "I don't know" or not resolved
    pending_question_id: str | None = None
    followup_turns: int = 0
    near_misses: tuple[Finding, ...] = ()  # best red-flag paraphrase near miss per concept (engine.yaml band)
    # Highest P(emergency) of the learned acuity check over the patient's presenting texts (None: not scored).
    acuity_probability: float | None = None

    def finding(self, concept_id: str) -> Finding | None:
        """The finding for ``concept_id``, if any."""
        return next((f for f in self.findings if f.concept_id == concept_id), None)

    def present(self) -> dict[str, Finding]:
        """Findings with status ``present``, by concept id."""
        return {f.concept_id: f for f in self.findings if f.status == "present"}


class Evidence(Frozen):
    """One piece of evidence behind a decision: the concept and the patient's phrase."""

    concept_id: str
    phrase: str
    source: Source
    score: float | None = None  # paraphrase similarity (possible red flag) or P(emergency) (acuity model)
    possible_red_flag: str | None = None  # red flag id this near-miss paraphrase would have fired


class Decision(Frozen):
    """The engine's disposition with its explanation (stored in the audit record)."""

    disposition: str
    acuity_rank: int
    confidence: float
    fired_rule_ids: tuple[str, ...]  # red flag ids first, then triage rule ids
    red_flags: tuple[RedFlagHit, ...]
    evidence: tuple[Evidence, ...]
    needs_clinician: bool
    clinician_reasons: tuple[ClinicianReason, ...]
    patient_message: str
    safety_net: str


class FollowUpQuestion(Frozen):
    """The discriminator question to ask next, and the concept or fact it resolves."""

    question_id: str
    target: str
    text: str


class Assessment(Frozen):
    """Result of one engine turn: updated facts, current decision and the next question if any."""

    facts: CaseFacts
    decision: Decision
    next_question: FollowUpQuestion | None
    complete: bool  # True when no more questions will be asked; the decision is final
    policy_version: str
    policy_sha256: str
