"""HTTP request and response models: the contract the front end reads through OpenAPI."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from backend.timeutil import as_utc


class ConversationCreated(BaseModel):
    """A new conversation and the texts to show before the first message."""

    id: str
    greeting: str
    disclaimer: str


class MessageIn(BaseModel):
    """A patient message. Length is also checked against the configured maximum."""

    text: str = Field(min_length=1, description="What the patient typed")


class MessageOut(BaseModel):
    """One redacted message of a conversation."""

    role: Literal["patient", "assistant", "clinician"]
    content: str
    turn: int


class TurnOut(BaseModel):
    """The assistant's answer to one patient message."""

    conversation_id: str
    turn_index: int
    reply: str
    redacted_input: str
    escalated: bool
    escalation_reasons: list[str]
    disposition: str | None
    rule_ids: list[str]
    red_flag_ids: list[str] = []
    confidence: float = 0.0
    follow_up_question: str | None = None
    triage_complete: bool = False
    audit_event_id: int


class ConversationOut(BaseModel):
    """A conversation with its redacted messages."""

    id: str
    status: str
    awaiting_clinician: bool = Field(description="paused until a clinician replies (false once resolved)")
    messages: list[MessageOut]


class Health(BaseModel):
    """Liveness."""

    status: Literal["ok"]


class Readiness(BaseModel):
    """Readiness of each dependency."""

    ready: bool
    database: bool
    model: bool
    model_id: str
    policy_version: str
    policy_sha256: str


class ErrorOut(BaseModel):
    """Error body: a human-readable message, never a stack trace."""

    detail: str


class ConversationSummary(BaseModel):
    """A conversation without its messages (lists and the clinician queue)."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    status: str
    created_at: datetime
    updated_at: datetime
    turn_count: int

    @field_validator("created_at", "updated_at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return as_utc(value)


class EscalationOut(BaseModel):
    """One item of the clinician queue (redacted summary only)."""

    id: str
    conversation_id: str
    created_at: datetime
    waiting_minutes: float
    disposition: str | None
    priority: int
    reasons: list[str]
    rule_ids: list[str]
    summary: dict[str, Any]
    status: str
    claimed_by: str | None
    resolution_note: str | None


class ClinicianReplyIn(BaseModel):
    """A clinician's message to the patient; ``resolve`` closes the escalation."""

    text: str = Field(min_length=1, max_length=4000)
    resolve: bool = True
    note: str | None = Field(default=None, max_length=2000, description="internal resolution note")


class RatingIn(BaseModel):
    """A clinician's preference between the recorded answer of a turn (a) and an alternative (b).

    The prompt and answer ``a`` are taken from the audit trail, never from the client.
    """

    model_config = ConfigDict(extra="forbid")

    conversation_id: str = Field(min_length=1, max_length=36)
    turn_index: int = Field(ge=0)
    response_b: str = Field(min_length=1, max_length=4000, description="alternative answer or template")
    preferred: Literal["a", "b", "tie"]
    rationale: str = Field(default="", max_length=2000)


class RatingOut(BaseModel):
    """One stored row of ``clinician_ratings`` (the columns the alignment pipeline imports)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    conversation_id: str
    turn_index: int
    prompt: str
    response_a: str
    response_b: str
    preferred: Literal["a", "b", "tie"]
    rationale: str
    annotator_id: str
    guideline_version: str
    created_at: datetime

    @field_validator("created_at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return as_utc(value)


class RatingPage(BaseModel):
    """One page of ratings, oldest first."""

    total: int
    items: list[RatingOut]


class EscalationTiming(BaseModel):
    """One escalation's timings for monitoring (no conversation text)."""

    id: str
    conversation_id: str
    disposition: str | None
    priority: int
    status: str
    reasons: list[str]
    created_at: datetime
    claimed_at: datetime | None
    resolved_at: datetime | None
    minutes_to_claim: float | None  # created → claimed
    minutes_to_resolve: float | None  # created → resolved
    waiting_minutes: float | None  # unresolved: created → now
