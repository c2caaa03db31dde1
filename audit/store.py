"""The only writer of audit events: append-only, hash-chained, redacting again before storage."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Protocol, cast

from sqlalchemy import RowMapping, Table, func, select, text, update
from sqlalchemy.orm import Session, sessionmaker

from audit.chain import CONTENT_FIELDS, GENESIS_HASH, content_hash, event_hash, trigger_index
from audit.models import AuditEventRow
from audit.schemas import FLAG_EVENT_TYPE, Actor, AuditEvent, AuditRecord, ChainReport, FlagKind

# Key of the PostgreSQL advisory lock that serialises chain appends across processes.
_CHAIN_LOCK_KEY = 0x7A11A0D1
# Transaction-local PostgreSQL setting the append-only trigger accepts for retention purges only.
PURGE_SETTING = "triage.retention_purge"
_TABLE = cast(Table, AuditEventRow.__table__)


class Redactor(Protocol):
    """Anything that turns text into redacted text (``safety.PiiRedactor`` fits, structurally)."""

    def __call__(self, text: str) -> str:
        """Return ``text`` with identifiers replaced."""
        ...


class EventNotFoundError(LookupError):
    """No audit event with that uuid."""


def _check_row(fields: RowMapping, expected_sequence: int, prev: str) -> str | None:
    """Why ``fields`` breaks the chain after ``prev``, or None when the link holds."""
    if fields["sequence"] != expected_sequence:
        return f"sequence gap: expected {expected_sequence}, found {fields['sequence']}"
    if fields["prev_hash"] != prev:
        return "prev_hash does not match the previous event's hash"
    if fields["content_purged"]:
        if any(fields[k] for k in CONTENT_FIELDS):
            return "content_purged is set but the event still holds content"
    elif content_hash(dict(fields)) != fields["content_hash"]:
        return "content does not match content_hash"
    if event_hash(dict(fields), fields["content_hash"], fields["prev_hash"]) != fields["event_hash"]:
        return "event_hash does not match the event's fields"
    if trigger_index(fields["safety_triggers"]) != (fields["trigger_layers"], fields["trigger_categories"]):
        return "trigger index does not match safety_triggers"
    return None


class AuditStore:
    """Append events to the chain, verify it, and purge expired text (retention).

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
        fields["flag_kind"] = event.flag_kind.value if event.flag_kind else None
        fields["trigger_layers"], fields["trigger_categories"] = trigger_index(event.safety_triggers)
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
            if fields["turn_started_at"] is not None and fields["turn_ended_at"] is None:
                fields["turn_ended_at"] = fields["created_at"]
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

    def get(self, event_uuid: str) -> AuditRecord:
        """The event with ``event_uuid``.

        Raises:
            EventNotFoundError: no such event.
        """
        with self._sessions() as session:
            row = session.scalar(select(AuditEventRow).where(AuditEventRow.event_uuid == event_uuid))
            if row is None:
                raise EventNotFoundError(event_uuid)
            return AuditRecord.model_validate(row)

    def flag(self, event_uuid: str, kind: FlagKind, clinician_id: str, note: str | None) -> AuditRecord:
        """Append a clinician's flag about an earlier event (a new event; the flagged one is unchanged).

        Raises:
            EventNotFoundError: no such event.
            ValueError: the subject is itself a flag.
        """
        subject = self.get(event_uuid)
        if subject.event_type == FLAG_EVENT_TYPE:
            raise ValueError("a flag cannot be flagged; flag the turn it refers to")
        return self.record(
            AuditEvent(
                conversation_id=subject.conversation_id,
                turn_index=subject.turn_index,
                event_type=FLAG_EVENT_TYPE,
                actor=Actor.CLINICIAN,
                actor_id=clinician_id,
                redacted_input=note,
                model_id=subject.model_id,
                model_version=subject.model_version,
                policy_version=subject.policy_version,
                policy_sha256=subject.policy_sha256,
                subject_event_uuid=subject.event_uuid,
                flag_kind=kind,
            )
        )

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

    def _iter_rows(self, batch_size: int = 2000) -> Iterator[RowMapping]:
        with self._sessions() as session:
            last_sequence = 0
            while True:
                batch = (
                    session.execute(
                        select(_TABLE)
                        .where(_TABLE.c.sequence > last_sequence)
                        .order_by(_TABLE.c.sequence)
                        .limit(batch_size)
                    )
                    .mappings()
                    .all()
                )
                if not batch:
                    return
                yield from batch
                last_sequence = batch[-1]["sequence"]

    def verify(self) -> ChainReport:
        """Recompute every hash; report the first event whose link or content does not match."""
        prev = GENESIS_HASH
        checked = 0
        for fields in self._iter_rows():
            problem = _check_row(fields, checked + 1, prev)
            if problem:
                return ChainReport(
                    ok=False, events_checked=checked, first_broken_sequence=fields["sequence"], reason=problem
                )
            prev = fields["event_hash"]
            checked += 1
        return ChainReport(ok=True, events_checked=checked)

    def purge_content(self, before: datetime, *, dry_run: bool = False) -> int:
        """Remove the text of events created before ``before``; hashes stay, so the chain verifies.

        Sets ``redacted_input``/``redacted_output`` to NULL, ``evidence`` to ``[]`` and
        ``content_purged`` to true. On PostgreSQL this is the one change the append-only trigger
        allows, and only inside a transaction that sets ``triage.retention_purge``.

        Returns:
            The number of events purged (or that would be, with ``dry_run``).
        """
        expired = (_TABLE.c.created_at < before) & (_TABLE.c.content_purged.is_(False))
        with self._sessions.begin() as session:
            if dry_run:
                return int(session.scalar(select(func.count()).select_from(_TABLE).where(expired)) or 0)
            if session.get_bind().dialect.name == "postgresql":
                session.execute(text(f"SET LOCAL {PURGE_SETTING} = 'on'"))
            result = session.execute(
                update(_TABLE)
                .where(expired)
                .values(redacted_input=None, redacted_output=None, evidence=[], content_purged=True)
            )
            return int(result.rowcount)  # type: ignore[attr-defined]
