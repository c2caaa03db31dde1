"""ORM model of the escalation queue."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.models import AppBase


class EscalationStatus(StrEnum):
    """Life cycle of a queue item."""

    OPEN = "open"
    CLAIMED = "claimed"
    RESOLVED = "resolved"


class EscalationRow(AppBase):
    """A conversation waiting for a clinician. Holds redacted summaries only."""

    __tablename__ = "escalations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    disposition: Mapped[str | None] = mapped_column(String(32))
    priority: Mapped[int] = mapped_column(Integer, nullable=False)  # acuity rank: higher is more urgent
    reasons: Mapped[list[str]] = mapped_column(JSON, nullable=False)
    rule_ids: Mapped[list[str]] = mapped_column(JSON, nullable=False)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolution_note: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        Index("ix_escalations_queue", "status", "priority", "created_at"),
        Index("ix_escalations_conversation", "conversation_id"),
    )
