"""ORM model of the append-only audit table. The application has no UPDATE or DELETE path for it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, DateTime, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class AuditBase(DeclarativeBase):
    """Declarative base for audit tables (own metadata; the backend migrates it with its own)."""


class AuditEventRow(AuditBase):
    """One turn (or one clinician/system action) as recorded for compliance.

    Text columns hold redacted text only. ``prev_hash``/``event_hash`` form a hash chain over the
    canonical serialisation of every row, so editing a row behind the application's back is
    detectable.
    """

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    sequence: Mapped[int] = mapped_column(BigInteger, unique=True, nullable=False)
    event_uuid: Mapped[str] = mapped_column(String(36), unique=True, nullable=False)
    conversation_id: Mapped[str] = mapped_column(String(64), nullable=False)
    turn_index: Mapped[int] = mapped_column(Integer, nullable=False)
    event_type: Mapped[str] = mapped_column(String(32), nullable=False)
    actor: Mapped[str] = mapped_column(String(16), nullable=False)
    actor_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    redacted_input: Mapped[str | None] = mapped_column(Text)
    redacted_output: Mapped[str | None] = mapped_column(Text)
    pii_entity_types: Mapped[list[str]] = mapped_column(JSON, nullable=False)
    disposition: Mapped[str | None] = mapped_column(String(32))
    rule_ids: Mapped[list[str]] = mapped_column(JSON, nullable=False)
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False)
    safety_triggers: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False)
    escalated: Mapped[bool] = mapped_column(Boolean, nullable=False)
    escalation_id: Mapped[str | None] = mapped_column(String(64))
    model_id: Mapped[str] = mapped_column(String(200), nullable=False)
    policy_version: Mapped[str] = mapped_column(String(32), nullable=False)
    policy_sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    latencies_ms: Mapped[dict[str, float]] = mapped_column(JSON, nullable=False)
    # Added in migration 0002; hashed only when not NULL so rows written before it still verify.
    turn_started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    turn_ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    model_version: Mapped[str | None] = mapped_column(String(200))
    subject_event_uuid: Mapped[str | None] = mapped_column(String(36))  # the event a flag is about
    flag_kind: Mapped[str | None] = mapped_column(String(32))
    # Search index derived from ``safety_triggers`` ("|layer|layer|"); checked by verify, not hashed.
    trigger_layers: Mapped[str | None] = mapped_column(Text)
    trigger_categories: Mapped[str | None] = mapped_column(Text)
    content_purged: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    content_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    prev_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    event_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)

    __table_args__ = (
        Index("ix_audit_events_conversation", "conversation_id", "turn_index"),
        Index("ix_audit_events_created_at", "created_at"),
        Index("ix_audit_events_subject", "subject_event_uuid"),
    )
