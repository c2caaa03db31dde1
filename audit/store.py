"""The only writer of audit events: append-only, hash-chained, redacting again before storage."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, sessionmaker

from audit.chain import GENESIS_HASH, content_hash, event_hash
from audit.models import AuditEventRow
from audit.schemas import AuditEvent, AuditRecord, ChainReport

# Key of the PostgreSQL advisory lock that serialises chain appends across processes.
_CHAIN_LOCK_KEY = 0x7A11A0D1


class Redactor(Protocol):
    """Anything that turns text into redacted text (``safety.PiiRedactor`` fits, structurally)."""

    def __call__(self, text: str) -> str:
        """Return ``text`` with identifiers replaced."""
        ...


def _row_fields(row: AuditEventRow) -> dict[str, Any]:
    return {column.key: getattr(row, column.key) for column in AuditEventRow.__table__.columns}


class AuditStore:
    """Append events to the chain and read them back.

    Args:
        session_factory: SQLAlchemy session factory for the audit database.
        redactor: second line of defence; every text field is redacted again before storage.
        clock: returns the current UTC time (injected for tests).
    """

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        redactor: Redactor,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._sessions = session_factory
        self._redactor = redactor
        self._clock = clock
        self._lock = threading.Lock()  # serialises appends inside this process

    def _redact(self, value: str | None) -> str | None:
        return None if value is None else self._redactor(value)

    def record(self, event: AuditEvent) -> AuditRecord:
        """Append ``event`` to the chain and return it as stored.

        Raises:
            sqlalchemy.exc.SQLAlchemyError: the database refused the write; nothing was stored.
        """
        fields = event.model_dump()
        fields["redacted_input"] = self._redact(event.redacted_input)
        fields["redacted_output"] = self._redact(event.redacted_output)
        fields["actor"] = event.actor.value
        with self._lock, self._sessions.begin() as session:
            if session.get_bind().dialect.name == "postgresql":
                session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CHAIN_LOCK_KEY})
            last = session.execute(
                select(AuditEventRow.sequence, AuditEventRow.event_hash)
                .order_by(AuditEventRow.sequence.desc())
                .limit(1)
            ).first()
            fields["sequence"] = 1 if last is None else last.sequence + 1
            prev = GENESIS_HASH if last is None else last.event_hash
            fields["event_uuid"] = str(uuid.uuid4())
            fields["created_at"] = self._clock()
            fields["content_purged"] = False
            digest = content_hash(fields)
            row = AuditEventRow(
                **fields,
                content_hash=digest,
                prev_hash=prev,
                event_hash=event_hash(fields, digest, prev),
            )
            session.add(row)
            session.flush()
            return AuditRecord.model_validate(row)

    def list_conversation(self, conversation_id: str) -> list[AuditRecord]:
        """Every event of one conversation in chain order."""
        with self._sessions() as session:
            rows = session.scalars(
                select(AuditEventRow)
                .where(AuditEventRow.conversation_id == conversation_id)
                .order_by(AuditEventRow.sequence)
            )
            return [AuditRecord.model_validate(row) for row in rows]

    def count(self) -> int:
        """Number of events stored."""
        with self._sessions() as session:
            return int(session.scalar(select(func.count()).select_from(AuditEventRow)) or 0)

    def _iter_rows(self, batch_size: int = 1000) -> Iterator[AuditEventRow]:
        with self._sessions() as session:
            last_sequence = 0
            while True:
                batch = list(
                    session.scalars(
                        select(AuditEventRow)
                        .where(AuditEventRow.sequence > last_sequence)
                        .order_by(AuditEventRow.sequence)
                        .limit(batch_size)
                    )
                )
                if not batch:
                    return
                yield from batch
                last_sequence = batch[-1].sequence

    def verify(self) -> ChainReport:
        """Recompute every hash; report the first event whose link or content does not match."""
        prev = GENESIS_HASH
        expected_sequence = 1
        checked = 0
        for row in self._iter_rows():
            fields = _row_fields(row)
            problem = None
            if row.sequence != expected_sequence:
                problem = f"sequence gap: expected {expected_sequence}, found {row.sequence}"
            elif row.prev_hash != prev:
                problem = "prev_hash does not match the previous event's hash"
            elif not row.content_purged and content_hash(fields) != row.content_hash:
                problem = "content does not match content_hash"
            elif event_hash(fields, row.content_hash, row.prev_hash) != row.event_hash:
                problem = "event_hash does not match the event's fields"
            if problem:
                return ChainReport(
                    ok=False, events_checked=checked, first_broken_sequence=row.sequence, reason=problem
                )
            prev = row.event_hash
            expected_sequence += 1
            checked += 1
        return ChainReport(ok=True, events_checked=checked)
