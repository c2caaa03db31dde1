"""Pydantic models for the safety content: guard categories, fast rules, constitution checks, fallbacks.

Kept apart from :mod:`clinical_policies.schema` so each module stays small. Regular expressions are
compiled at load time so a clinician who breaks a pattern gets an error naming the file and rule,
not a crash in the running service.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

REASON_CATEGORY = r"^[a-z][a-z_]*$"
# Reason categories the safety library itself can produce (errors, undecidable inputs); a bundle
# must always carry a fallback message for them.
BUILTIN_REASON_CATEGORIES = ("system_error", "uncertain")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _compile_all(patterns: tuple[str, ...]) -> tuple[str, ...]:
    for pattern in patterns:
        try:
            re.compile(pattern, re.IGNORECASE)
        except re.error as exc:
            raise ValueError(f"invalid regular expression {pattern!r}: {exc}") from exc
    return patterns


class SafetyCategory(_Strict):
    """``safety_categories.yaml`` entry: one Llama Guard 3 hazard category with our domain reading."""

    id: str = Field(pattern=r"^SC-S\d{1,2}$")
    code: str = Field(pattern=r"^S\d{1,2}$")
    name: str = Field(min_length=1)
    description: str = Field(min_length=10)
    allowed: tuple[str, ...] = ()
    disallowed: tuple[str, ...] = ()
    reason_category: str = Field(pattern=REASON_CATEGORY)
    action: Literal["block", "escalate"]

    @model_validator(mode="after")
    def _id_matches_code(self) -> SafetyCategory:
        if self.id != f"SC-{self.code}":
            raise ValueError(f"id {self.id} does not match code {self.code} (expected SC-{self.code})")
        return self


class RefusalMessage(_Strict):
    """``refusal_messages.yaml`` entry: the clinician-approved fallback text for one reason category."""

    id: str = Field(pattern=r"^RM-[A-Z][A-Z-]*$")
    reason_category: str = Field(pattern=REASON_CATEGORY)
    kind: Literal["refusal", "safe_completion", "escalation"]
    text: str = Field(min_length=20)
    # The least acute disposition a conversation keeps once an input is escalated for this reason (a
    # disposition id; none: the triage decides alone). Only escalation messages may set it.
    triage_floor: str | None = None
    citation: str | None = None  # the clinical source for triage_floor
    # Lexicon concepts (symptoms.yaml ids): when the triage engine reads the escalated message as denying
    # them ("no thoughts of suicide") and finds none of them present, that message sets no floor. The
    # escalation itself (this text, the clinician queue) stands; only the conversation-long floor is waived.
    floor_waived_by_denial_of: tuple[str, ...] = ()
    # While this floor is in force the engine asks no follow-up questions and the case is complete at the
    # floor or above: the patient's answers could not be read (a message in another language).
    stops_questions: bool = False

    @model_validator(mode="after")
    def _floor_is_an_escalation(self) -> RefusalMessage:
        if self.triage_floor is not None and self.kind != "escalation":
            raise ValueError(f"{self.id}: triage_floor is only allowed on kind escalation, not {self.kind}")
        if self.triage_floor is not None and not self.citation:
            raise ValueError(f"{self.id}: triage_floor needs a clinical citation")
        if self.floor_waived_by_denial_of and self.triage_floor is None:
            raise ValueError(f"{self.id}: floor_waived_by_denial_of needs a triage_floor")
        if self.stops_questions and self.triage_floor is None:
            raise ValueError(f"{self.id}: stops_questions needs a triage_floor")
        return self


class SafetyRule(_Strict):
    """``safety_rules.yaml`` entry: regexes of the fast keyword layer, matched case-insensitively."""

    id: str = Field(pattern=r"^SR-[A-Z]+-\d{3}$")
    category: str = Field(pattern=REASON_CATEGORY)
    description: str = Field(min_length=1)
    applies_to: Literal["input", "output", "both"]
    action: Literal["block", "escalate", "flag"]
    patterns: tuple[str, ...] = Field(min_length=1)
    # Denial cues (regexes): a match whose ``target`` group (else the whole match) directly follows one of
    # them, with nothing but the cue's own words between, does not count ("no thoughts of ending my life").
    # The other matches of the same pattern in the text still do ("i'm not suicidal but i want to die").
    negated_by: tuple[str, ...] = ()

    _check_patterns = field_validator("patterns", "negated_by")(_compile_all)

    @model_validator(mode="after")
    def _negated_patterns_name_their_target(self) -> SafetyRule:
        if self.negated_by:
            missing = [p for p in self.patterns if "(?P<target>" not in p]
            if missing:
                raise ValueError(
                    f"{self.id}: with negated_by, every pattern needs a (?P<target>...) group: {missing[0]!r}"
                )
        return self


class ConstitutionCheck(_Strict):
    """``constitution_checks.yaml`` entry: how one constitution principle is checked on a draft reply."""

    id: str = Field(pattern=r"^CC-\d{2}$")
    principle_id: str = Field(pattern=r"^CP-\d{2}$")
    kind: Literal["forbid", "require", "classifier"]
    action: Literal["revise", "block"]
    patterns: tuple[str, ...] = ()
    classifier: str | None = Field(default=None, pattern=r"^[a-z][a-z_]*$")
    when_input_categories: tuple[str, ...] = ()
    min_words: int = Field(default=0, ge=0)
    skip_questions: bool = False

    _check_patterns = field_validator("patterns")(_compile_all)

    @model_validator(mode="after")
    def _kind_has_its_fields(self) -> ConstitutionCheck:
        if self.kind == "classifier" and (self.classifier is None or self.patterns):
            raise ValueError("a classifier check names `classifier` and has no `patterns`")
        if self.kind != "classifier" and (self.classifier is not None or not self.patterns):
            raise ValueError(f"a {self.kind} check has `patterns` and no `classifier`")
        return self


class RefusalWaiver(_Strict):
    """``refusal_waivers.yaml`` entry: when the triage engine's reading lifts a classifier's refusal.

    A BLOCK whose every stopping trigger comes from one of ``layers`` with one of ``reasons`` is waived for a
    message whose own findings have a ``when_present`` concept present, unless the case has an
    ``unless_present`` concept present or one of ``unless_patterns`` matches the message. The waived turn is
    triaged and answered as if allowed; the audit keeps the classifier's trigger and names the waiver.
    Escalations are never waived (the loader checks that every reason names a ``refusal`` message). A waiver
    with ``enabled: false`` is kept for review and measurement but lifts nothing.
    """

    id: str = Field(pattern=r"^RW-[A-Z]+-\d{3}$")
    title: str = Field(min_length=5)
    enabled: bool = True
    layers: tuple[str, ...] = Field(min_length=1)
    reasons: tuple[str, ...] = Field(min_length=1)
    when_present: tuple[str, ...] = Field(min_length=1)
    unless_present: tuple[str, ...] = ()
    unless_patterns: tuple[str, ...] = ()
    rationale: str = Field(min_length=20)

    _check_patterns = field_validator("unless_patterns")(_compile_all)

    @field_validator("layers", "reasons")
    @classmethod
    def _names(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        bad = [v for v in values if not re.fullmatch(REASON_CATEGORY, v)]
        if bad:
            raise ValueError(f"not a lower-case name: {bad[0]!r}")
        return values
