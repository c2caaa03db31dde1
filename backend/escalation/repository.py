"""Queue operations: open, list by priority and waiting time, claim, resolve."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from backend.escalation.models import EscalationRow, EscalationStatus


class EscalationConflictError(RuntimeError):
    """The item is not in a state that allows the requested change (e.g. claimed by someone else)."""


class EscalationQueue:
    """The clinician queue. One open item per conversation: a new escalation updates it."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._sessions = session_factory
        self._clock = clock

    def open(
        self,
        conversation_id: str,
        *,
        disposition: str | None,
        priority: int,
        reasons: Sequence[str],
        rule_ids: Sequence[str],
        summary: dict[str, Any],
    ) -> EscalationRow:
        """Open an item, or raise the priority and add reasons to the conversation's unresolved one."""
        now = self._clock()
        with self._sessions.begin() as session:
            row = session.scalars(
                select(EscalationRow)
                .where(EscalationRow.conversation_id == conversation_id)
                .where(EscalationRow.status != EscalationStatus.RESOLVED.value)
                .with_for_update()
            ).first()
            if row is None:
                row = EscalationRow(
                    id=str(uuid.uuid4()),
                    conversation_id=conversation_id,
                    created_at=now,
                    status=EscalationStatus.OPEN.value,
                    priority=priority,
                    disposition=disposition,
                    reasons=list(dict.fromkeys(reasons)),
                    rule_ids=list(dict.fromkeys(rule_ids)),
                    summary=summary,
                    updated_at=now,
                )
                session.add(row)
            else:
                if priority > row.priority:
                    row.priority = priority
                    row.disposition = disposition
                row.reasons = list(dict.fromkeys([*row.reasons, *reasons]))
                row.rule_ids = list(dict.fromkeys([*row.rule_ids, *rule_ids]))
                row.summary = summary
                row.updated_at = now
            session.flush()
            return row

    def pending(self, limit: int = 100) -> list[EscalationRow]:
        """Unresolved items: most urgent first, then longest waiting."""
        with self._sessions() as session:
            return list(
                session.scalars(
                    select(EscalationRow)
                    .where(EscalationRow.status != EscalationStatus.RESOLVED.value)
                    .order_by(EscalationRow.priority.desc(), EscalationRow.created_at)
                    .limit(limit)
                )
            )

    def get(self, escalation_id: str) -> EscalationRow | None:
        """One item."""
        with self._sessions() as session:
            return session.get(EscalationRow, escalation_id)

    def unresolved_for(self, conversation_id: str) -> EscalationRow | None:
        """The conversation's open or claimed item, if any."""
        with self._sessions() as session:
            return session.scalars(
                select(EscalationRow)
                .where(EscalationRow.conversation_id == conversation_id)
                .where(EscalationRow.status != EscalationStatus.RESOLVED.value)
            ).first()

    def conversation_ids(self) -> set[str]:
        """Conversations that have ever been escalated (what a clinician may read)."""
        with self._sessions() as session:
            return set(session.scalars(select(EscalationRow.conversation_id).distinct()))

    def claim(self, escalation_id: str, clinician_id: str) -> EscalationRow:
        """Claim an open item (or re-claim one's own)."""
        with self._sessions.begin() as session:
            row = session.get(EscalationRow, escalation_id, with_for_update=True)
            if row is None:
                raise KeyError(escalation_id)
            if row.status == EscalationStatus.RESOLVED.value:
                raise EscalationConflictError("this escalation is already resolved")
            if row.status == EscalationStatus.CLAIMED.value and row.claimed_by != clinician_id:
                raise EscalationConflictError("this escalation is claimed by another clinician")
            now = self._clock()
            row.status, row.claimed_by, row.claimed_at, row.updated_at = "claimed", clinician_id, now, now
            session.flush()
            return row

    def resolve(self, escalation_id: str, clinician_id: str, note: str | None) -> EscalationRow:
        """Resolve an item claimed by ``clinician_id``."""
        with self._sessions.begin() as session:
            row = session.get(EscalationRow, escalation_id, with_for_update=True)
            if row is None:
                raise KeyError(escalation_id)
            if row.status != EscalationStatus.CLAIMED.value or row.claimed_by != clinician_id:
                raise EscalationConflictError("claim the escalation before resolving it")
            now = self._clock()
            row.status, row.resolved_at, row.updated_at = "resolved", now, now
            row.resolution_note = note
            session.flush()
            return row

    def handled_by(self, conversation_id: str, clinician_id: str) -> bool:
        """True when ``clinician_id`` has claimed an escalation of the conversation (now or before)."""
        with self._sessions() as session:
            found = session.scalars(
                select(EscalationRow.id)
                .where(EscalationRow.conversation_id == conversation_id)
                .where(EscalationRow.claimed_by == clinician_id)
            ).first()
            return found is not None

    def history(self, since: datetime | None = None, until: datetime | None = None) -> list[EscalationRow]:
        """Every item opened in ``[since, until)``, oldest first (monitoring: volume and waiting times)."""
        query = select(EscalationRow)
        if since is not None:
            query = query.where(EscalationRow.created_at >= since)
        if until is not None:
            query = query.where(EscalationRow.created_at < until)
        with self._sessions() as session:
            return list(session.scalars(query.order_by(EscalationRow.created_at)))
