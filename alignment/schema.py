"""Pydantic models for every record the pipeline reads or writes (validated at the boundary).

Unknown keys are rejected so a typo in a data file fails loudly instead of being silently dropped.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

ResponseQuality = Literal["helpful", "verbose", "incorrect", "unsafe"]
PromptCategory = Literal["emergency", "urgent", "routine", "self_care", "self_harm", "benign", "harmful"]
PairSource = Literal["seed_exercise", "clinician", "cai", "external"]


class Record(BaseModel):
    """Strict, immutable base record."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class PreferencePair(Record):
    """One preference judgement: ``chosen`` is better than ``rejected`` for ``prompt``.

    This is the unit every trainer consumes (TRL's explicit-prompt preference format) plus the
    provenance a clinical safety review needs: who judged it, why, under which guideline.
    """

    pair_id: str = Field(min_length=1)
    prompt: str = Field(min_length=1)
    chosen: str = Field(min_length=1)
    rejected: str = Field(min_length=1)
    rationale: str = Field(min_length=1)
    annotator_id: str = Field(min_length=1)
    guideline_version: str = Field(min_length=1)
    source: PairSource
    margin: float = Field(default=1.0, ge=0)  # rank distance; larger = clearer preference

    @model_validator(mode="after")
    def _distinct(self) -> PreferencePair:
        if self.chosen.strip() == self.rejected.strip():
            raise ValueError("chosen and rejected are the same text")
        return self


class RankedResponse(Record):
    """A candidate reply in the seed exercise with its rank (1 = best) and why."""

    quality: ResponseQuality
    rank: int = Field(ge=1)
    rationale: str = Field(min_length=1)
    text: str = Field(min_length=1)


class SeedExercise(Record):
    """A patient prompt with 3-4 ranked candidate replies."""

    id: str = Field(pattern=r"^SX-\d{3}$")
    prompt: str = Field(min_length=1)
    responses: tuple[RankedResponse, ...] = Field(min_length=3, max_length=4)

    @field_validator("responses")
    @classmethod
    def _ranks_are_a_permutation(cls, responses: tuple[RankedResponse, ...]) -> tuple[RankedResponse, ...]:
        ranks = sorted(r.rank for r in responses)
        if ranks != list(range(1, len(responses) + 1)):
            raise ValueError(f"ranks must be 1..{len(responses)} without gaps or ties, got {ranks}")
        return responses


class SeedExerciseFile(Record):
    """``seed_exercise.yaml``: one annotator's rankings under one guideline version."""

    annotator_id: str = Field(min_length=1)
    guideline_version: str = Field(min_length=1)
    exercises: tuple[SeedExercise, ...] = Field(min_length=1)


class SeedPrompt(Record):
    """A patient-style rollout/evaluation prompt with the behaviour a good reply shows."""

    id: str = Field(pattern=r"^SP-\d{3}$")
    split: Literal["train", "heldout"]
    category: PromptCategory
    text: str = Field(min_length=1)


class SeedPromptFile(Record):
    """``seed_prompts.yaml``."""

    prompts: tuple[SeedPrompt, ...] = Field(min_length=1)


class ClinicianRating(Record):
    """One row of the clinician queue export (table ``clinician_ratings``).

    ``preferred`` is ``"a"``, ``"b"`` or ``"tie"``. Several annotators may rate the same
    (conversation_id, turn_index) item; that is what inter-annotator agreement is computed over.
    """

    model_config = ConfigDict(extra="ignore", frozen=True)  # exports may carry extra audit columns

    conversation_id: str = Field(min_length=1)
    turn_index: int = Field(ge=0)
    prompt: str = Field(min_length=1)
    response_a: str = Field(min_length=1)
    response_b: str = Field(min_length=1)
    preferred: Literal["a", "b", "tie"]
    rationale: str = ""
    annotator_id: str = Field(min_length=1)
    guideline_version: str = Field(min_length=1)
    created_at: datetime

    @field_validator("preferred", mode="before")
    @classmethod
    def _normalise_preferred(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @property
    def item_key(self) -> str:
        """Identity of the rated item, shared by every annotator who rated it."""
        return f"{self.conversation_id}#{self.turn_index}"


class RewardLexicon(Record):
    """``reward_lexicon.yaml``: phrase lists behind the proxy rewards and violation checks."""

    version: str
    escalation_phrases: tuple[str, ...]
    crisis_phrases: tuple[str, ...]
    safety_net_phrases: tuple[str, ...]
    refusal_phrases: tuple[str, ...]
    certainty_phrases: tuple[str, ...]
    discourage_emergency_phrases: tuple[str, ...]
    misinformation_phrases: tuple[str, ...]
    dose_patterns: tuple[str, ...]
    harm_assist_patterns: tuple[str, ...]
    self_harm_markers: tuple[str, ...]
    disrespect_phrases: tuple[str, ...] = ()
    overconfidence_phrases: tuple[str, ...] = ()
    identifier_request_patterns: tuple[str, ...] = ()
