"""Monitoring views that no other route gives: escalation volume and waiting times (no text)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query

from backend.api.deps import ServicesDep
from backend.api.security import ClinicalOrCompliance
from backend.escalation import EscalationRow, EscalationStatus
from backend.schemas import EscalationTiming
from backend.timeutil import as_utc

router = APIRouter(prefix="/monitoring", tags=["monitoring"])


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return as_utc(value)


def _minutes(start: datetime, end: datetime | None) -> float | None:
    return None if end is None else round((end - start).total_seconds() / 60, 2)


def _timing(row: EscalationRow, now: datetime) -> EscalationTiming:
    created = _utc(row.created_at) or now
    resolved = _utc(row.resolved_at)
    return EscalationTiming(
        id=row.id,
        conversation_id=row.conversation_id,
        disposition=row.disposition,
        priority=row.priority,
        status=row.status,
        reasons=row.reasons,
        created_at=created,
        claimed_at=_utc(row.claimed_at),
        resolved_at=resolved,
        minutes_to_claim=_minutes(created, _utc(row.claimed_at)),
        minutes_to_resolve=_minutes(created, resolved),
        waiting_minutes=None if row.status == EscalationStatus.RESOLVED.value else _minutes(created, now),
    )


@router.get("/escalations", response_model=list[EscalationTiming])
def escalations(
    services: ServicesDep,
    _user: ClinicalOrCompliance,
    since: Annotated[datetime | None, Query(description="opened at or after")] = None,
    until: Annotated[datetime | None, Query(description="opened before")] = None,
) -> list[EscalationTiming]:
    """Escalations opened in the window with time to claim and to resolve, oldest first."""
    now = datetime.now(UTC)
    return [_timing(row, now) for row in services.escalations.history(since, until)]
