"""Pydantic write and read models of audit events."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator


def _as_utc(value: datetime | None) -> datetime | None:
    """Every stored and compared time is UTC; naive values (SQLite hands them back) are UTC."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Actor(StrEnum):
    """Who caused the event."""

    PATIENT = "patient"
    CLINICIAN = "clinician"
    SYSTEM = "system"


class FlagKind(StrEnum):
    """Why a clinician flagged an event."""

    FALSE_POSITIVE = "false_positive"  # a safety trigger or escalation that was not needed
    UNSAFE_ANSWER = "unsafe_answer"  # the reply should not have been given
    OTHER = "other"


FLAG_EVENT_TYPE = "clinician_flag"


class AuditEvent(BaseModel):
    """What a caller asks the store to record. Text fields are redacted again by the store."""

    model_config = ConfigDict(extra="forbid")

    conversation_id: str = Field(min_length=1, max_length=64)
    turn_index: int = Field(ge=0)
    event_type: str = Field(default="turn", max_length=32)
    actor: Actor = Actor.PATIENT
    actor_id: str | None = None
    redacted_input: str | None = None
    redacted_output: str | None = None
    pii_entity_types: list[str] = Field(default_factory=list)
    disposition: str | None = None
    rule_ids: list[str] = Field(default_factory=list)
    evidence: list[dict[str, Any]] = Field(default_factory=list)
    safety_triggers: list[dict[str, Any]] = Field(default_factory=list)
    escalated: bool = False
    escalation_id: str | None = None
    model_id: str
    policy_version: str
    policy_sha256: str
    latencies_ms: dict[str, float] = Field(default_factory=dict)
    turn_started_at: datetime | None = None
    turn_ended_at: datetime | None = None  # default: the time of recording, when a start is given
    model_version: str | None = Field(default=None, max_length=200)
    subject_event_uuid: str | None = Field(default=None, max_length=36)  # flags: the flagged event
    flag_kind: FlagKind | None = None

    _utc_times = field_validator("turn_started_at", "turn_ended_at")(_as_utc)


class AuditRecord(AuditEvent):
    """A stored event as read back, with its chain fields."""

    model_config = ConfigDict(extra="forbid", from_attributes=True)

    id: int
    sequence: int
    event_uuid: str
    created_at: datetime
    content_purged: bool
    content_hash: str
    prev_hash: str
    event_hash: str

    _utc_created = field_validator("created_at")(_as_utc)


class ChainReport(BaseModel):
    """Result of verifying the hash chain."""

    ok: bool
    events_checked: int
    first_broken_sequence: int | None = None
    reason: str | None = None


class AuditQuery(BaseModel):
    """Filters of the compliance search; every field is optional and they combine with AND."""

    model_config = ConfigDict(extra="forbid")

    since: datetime | None = Field(default=None, description="created at or after (inclusive)")
    until: datetime | None = Field(default=None, description="created before (exclusive)")
    conversation_id: str | None = None
    event_type: str | None = None
    disposition: str | None = None
    trigger_layer: str | None = Field(default=None, pattern=r"^[^|]+$")
    trigger_category: str | None = Field(default=None, pattern=r"^[^|]+$")
    escalated: bool | None = None
    model_id: str | None = None
    model_version: str | None = None
    policy_version: str | None = None
    flag_kind: FlagKind | None = None

    _utc_range = field_validator("since", "until")(_as_utc)


class AuditPage(BaseModel):
    """One page of search results, oldest first."""

    total: int
    offset: int
    limit: int
    items: list[AuditRecord]


class LayerDayCount(BaseModel):
    """How many turns of one UTC day had at least one trigger of one layer."""

    day: str  # YYYY-MM-DD (UTC)
    layer: str
    triggered: int
    turns: int
    rate: float  # triggered / turns


class DayCount(BaseModel):
    """Turns and escalations of one UTC day."""

    day: str
    turns: int
    escalated: int


class AuditStats(BaseModel):
    """Aggregate counts over the events matching a query."""

    turns: int
    escalated: int
    flags: dict[str, int]  # flag kind -> number of clinician flags
    triggers_by_layer: dict[str, int]
    per_day: list[DayCount]
    trigger_rates: list[LayerDayCount]
