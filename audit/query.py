"""Read side of the audit log for compliance: filtered search, streaming iteration, aggregates."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, Select, func, select, true
from sqlalchemy.orm import Session, sessionmaker

from audit.models import AuditEventRow
from audit.schemas import (
    FLAG_EVENT_TYPE,
    AuditPage,
    AuditQuery,
    AuditRecord,
    AuditStats,
    DayCount,
    LayerDayCount,
)

MAX_PAGE = 500
_E = AuditEventRow


def _conditions(query: AuditQuery) -> ColumnElement[bool]:
    """The WHERE clause of ``query`` (portable: plain comparisons and LIKE on the trigger index)."""
    clauses: list[ColumnElement[bool]] = []
    if query.since is not None:
        clauses.append(_E.created_at >= query.since)
    if query.until is not None:
        clauses.append(_E.created_at < query.until)
    equal = {
        _E.conversation_id: query.conversation_id,
        _E.event_type: query.event_type,
        _E.disposition: query.disposition,
        _E.escalated: query.escalated,
        _E.model_id: query.model_id,
        _E.model_version: query.model_version,
        _E.policy_version: query.policy_version,
        _E.flag_kind: query.flag_kind.value if query.flag_kind else None,
    }
    clauses += [column == value for column, value in equal.items() if value is not None]
    if query.trigger_layer:
        clauses.append(_E.trigger_layers.contains(f"|{query.trigger_layer}|", autoescape=True))
    if query.trigger_category:
        clauses.append(_E.trigger_categories.contains(f"|{query.trigger_category}|", autoescape=True))
    condition: ColumnElement[bool] = true()
    for clause in clauses:
        condition = condition & clause
    return condition


def _day(value: datetime) -> str:
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%d")


class AuditQueries:
    """Filtered, paginated reads of the audit table. Never writes.

    Args:
        session_factory: SQLAlchemy session factory for the audit database.
    """

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._sessions = session_factory

    def search(self, query: AuditQuery, *, limit: int = 50, offset: int = 0) -> AuditPage:
        """One page of matching events in chain order, with the total number of matches.

        Raises:
            ValueError: ``limit`` outside 1..500 or a negative ``offset``.
        """
        if not 1 <= limit <= MAX_PAGE:
            raise ValueError(f"limit must be between 1 and {MAX_PAGE}, got {limit}")
        if offset < 0:
            raise ValueError(f"offset must not be negative, got {offset}")
        where = _conditions(query)
        with self._sessions() as session:
            total = int(session.scalar(select(func.count()).select_from(_E).where(where)) or 0)
            rows = session.scalars(select(_E).where(where).order_by(_E.sequence).offset(offset).limit(limit))
            items = [AuditRecord.model_validate(row) for row in rows]
        return AuditPage(total=total, offset=offset, limit=limit, items=items)

    def iter_records(self, query: AuditQuery, *, batch_size: int = 1000) -> Iterator[AuditRecord]:
        """Every matching event in chain order, read in keyset batches (for streaming exports)."""
        where = _conditions(query)
        last = 0
        while True:
            statement: Select[AuditEventRow] = (
                select(_E).where(where & (_E.sequence > last)).order_by(_E.sequence).limit(batch_size)
            )
            with self._sessions() as session:
                batch = [AuditRecord.model_validate(row) for row in session.scalars(statement)]
            if not batch:
                return
            yield from batch
            last = batch[-1].sequence

    def stats(self, query: AuditQuery) -> AuditStats:
        """Turns, escalations, clinician flags and per-layer trigger rates per UTC day."""
        turns: Counter[str] = Counter()
        escalated: Counter[str] = Counter()
        flags: Counter[str] = Counter()
        by_layer: Counter[str] = Counter()
        layer_days: defaultdict[tuple[str, str], int] = defaultdict(int)
        columns = select(_E.created_at, _E.event_type, _E.escalated, _E.flag_kind, _E.trigger_layers)
        with self._sessions() as session:
            rows = session.execute(columns.where(_conditions(query)).execution_options(yield_per=2000))
            for created_at, event_type, was_escalated, flag_kind, layers in rows:
                if event_type == FLAG_EVENT_TYPE:
                    flags[flag_kind or "other"] += 1
                    continue
                day = _day(created_at)
                turns[day] += 1
                escalated[day] += int(was_escalated)
                for layer in (layers or "").strip("|").split("|") if layers else []:
                    by_layer[layer] += 1
                    layer_days[(day, layer)] += 1
        return AuditStats(
            turns=sum(turns.values()),
            escalated=sum(escalated.values()),
            flags=dict(flags),
            triggers_by_layer=dict(by_layer),
            per_day=[DayCount(day=d, turns=turns[d], escalated=escalated[d]) for d in sorted(turns)],
            trigger_rates=[
                LayerDayCount(day=d, layer=layer, triggered=n, turns=turns[d], rate=n / turns[d])
                for (d, layer), n in sorted(layer_days.items())
            ],
        )
