"""Pydantic write and read models of audit events."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Actor(StrEnum):
    """Who caused the event."""

    PATIENT = "patient"
    CLINICIAN = "clinician"
    SYSTEM = "system"


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


class ChainReport(BaseModel):
    """Result of verifying the hash chain."""

    ok: bool
    events_checked: int
    first_broken_sequence: int | None = None
    reason: str | None = None
