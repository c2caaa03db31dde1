"""Conversation persistence."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from backend.db.models import ConversationRow


class ConversationRepository:
    """Create, read and bump conversations."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._sessions = session_factory
        self._clock = clock

    def create(self, owner_id: str | None = None) -> ConversationRow:
        """Start a new conversation."""
        now = self._clock()
        row = ConversationRow(
            id=str(uuid.uuid4()),
            created_at=now,
            updated_at=now,
            status="open",
            turn_count=0,
            owner_id=owner_id,
        )
        with self._sessions.begin() as session:
            session.add(row)
        return row

    def get(self, conversation_id: str) -> ConversationRow | None:
        """The conversation, or None."""
        with self._sessions() as session:
            return session.get(ConversationRow, conversation_id)

    def record_turn(self, conversation_id: str, status: str) -> None:
        """Count a completed turn and store the conversation's status (open / escalated)."""
        with self._sessions.begin() as session:
            session.execute(
                update(ConversationRow)
                .where(ConversationRow.id == conversation_id)
                .values(turn_count=ConversationRow.turn_count + 1, status=status, updated_at=self._clock())
            )

    def search(
        self, *, owner_id: str | None = None, status: str | None = None, limit: int = 50, offset: int = 0
    ) -> list[ConversationRow]:
        """Conversations, most recently active first, optionally of one owner and/or status."""
        statement = select(ConversationRow)
        if owner_id is not None:
            statement = statement.where(ConversationRow.owner_id == owner_id)
        if status is not None:
            statement = statement.where(ConversationRow.status == status)
        statement = statement.order_by(ConversationRow.updated_at.desc()).offset(offset).limit(limit)
        with self._sessions() as session:
            return list(session.scalars(statement))
