"""Pydantic models for every policy file. Unknown keys are rejected (``extra="forbid"``)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from clinical_policies.schema_claims import HealthClaim
from clinical_policies.schema_safety import (
    ConstitutionCheck,
    RefusalMessage,
    RefusalWaiver,
    SafetyCategory,
    SafetyRule,
)
from clinical_policies.schema_triage import (
    ComplaintProtocol,
    Disposition,
    EngineSettings,
    RedFlag,
    SymptomLexicon,
    TriageRule,
)


class StrictModel(BaseModel):
    """Base for policy models: immutable and strict about unknown keys."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Manifest(StrictModel):
    """``manifest.yaml``: who approved which version of the bundle and when."""

    version: str = Field(pattern=r"^\d+\.\d+\.\d+$")
    date: date
    approved_by: str = Field(min_length=1)
    description: str = ""


class PatientMessages(StrictModel):
    """``messages.yaml``: clinician-approved patient-facing texts and the model's persona."""

    system_prompt: str = Field(min_length=20)
    greeting: str = Field(min_length=1)
    disclaimer: str = Field(min_length=1)
    model_unavailable: str = Field(min_length=1)
    escalated_to_clinician: str = Field(min_length=1)
    # Per-turn instructions to the model; {disposition} and {question} are filled in by the agent.
    model_instruction_question: str = Field(min_length=20)
    model_instruction_disposition: str = Field(min_length=20)
    clinician_reply_prefix: str = Field(min_length=1)
    # A triage rule's own patient message (rule id -> text), shown instead of its disposition's message when
    # that rule decides (a medicine question answered by a pharmacist, not "rest and drink fluids"); the
    # disposition's safety-netting advice always follows. Never for the emergency disposition.
    rule_messages: dict[str, str] = Field(default_factory=dict)


class ConstitutionPrinciple(StrictModel):
    """One principle of the clinical constitution (alignment-handbook ``constitution.json`` shape)."""

    id: str = Field(pattern=r"^CP-\d{2}$")
    title: str
    critique: str = Field(min_length=10)
    revision: str = Field(min_length=10)
    rationale: str
    source: str


class PolicyBundle(StrictModel):
    """Everything clinical the running system needs, validated and hashed as one unit."""

    manifest: Manifest
    messages: PatientMessages
    constitution: tuple[ConstitutionPrinciple, ...]
    dispositions: tuple[Disposition, ...]
    symptoms: SymptomLexicon
    red_flags: tuple[RedFlag, ...]
    triage_rules: tuple[ComplaintProtocol, ...]
    engine: EngineSettings
    safety_categories: tuple[SafetyCategory, ...]
    refusal_messages: tuple[RefusalMessage, ...]
    refusal_waivers: tuple[RefusalWaiver, ...]
    safety_rules: tuple[SafetyRule, ...]
    constitution_checks: tuple[ConstitutionCheck, ...]
    health_claims: tuple[HealthClaim, ...]
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")

    @property
    def version(self) -> str:
        """Semantic version of the bundle, from the manifest."""
        return self.manifest.version

    def disposition(self, disposition_id: str) -> Disposition:
        """The disposition with this id.

        Raises:
            KeyError: no such disposition (cannot happen for ids the loader cross-checked).
        """
        for item in self.dispositions:
            if item.id == disposition_id:
                return item
        raise KeyError(disposition_id)

    def triage_rule(self, rule_id: str) -> TriageRule | None:
        """The complaint-protocol rule with this id; None for any other id (a red flag, the acuity check)."""
        return next((r for p in self.triage_rules for r in p.rules if r.id == rule_id), None)
