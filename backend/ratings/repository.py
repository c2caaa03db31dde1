"""Store and list clinician ratings. Free text is redacted before it is stored."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from backend.ratings.models import RatingRow


class DuplicateRatingError(RuntimeError):
    """This annotator has already rated this answer."""


class RatingStore:
    """Append and read ``clinician_ratings``; rows are never changed afterwards."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        redact: Callable[[str], str],
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._sessions = session_factory
        self._redact = redact
        self._clock = clock

    def add(
        self,
        *,
        conversation_id: str,
        turn_index: int,
        prompt: str,
        response_a: str,
        response_b: str,
        preferred: str,
        rationale: str,
        annotator_id: str,
        guideline_version: str,
    ) -> RatingRow:
        """Store one rating; ``response_b`` and ``rationale`` are typed by a clinician and redacted here.

        Raises:
            DuplicateRatingError: the annotator already rated this conversation turn.
        """
        row = RatingRow(
            conversation_id=conversation_id,
            turn_index=turn_index,
            prompt=prompt,
            response_a=response_a,
            response_b=self._redact(response_b),
            preferred=preferred,
            rationale=self._redact(rationale) if rationale.strip() else "",
            annotator_id=annotator_id,
            guideline_version=guideline_version,
            created_at=self._clock(),
        )
        try:
            with self._sessions.begin() as session:
                session.add(row)
                session.flush()
        except IntegrityError as exc:
            raise DuplicateRatingError("you have already rated this answer") from exc
        return row

    def search(
        self,
        *,
        conversation_id: str | None = None,
        annotator_id: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> tuple[int, list[RatingRow]]:
        """Total matches and one page of them, oldest first."""
        query = select(RatingRow)
        if conversation_id:
            query = query.where(RatingRow.conversation_id == conversation_id)
        if annotator_id:
            query = query.where(RatingRow.annotator_id == annotator_id)
        with self._sessions() as session:
            total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
            rows = session.scalars(query.order_by(RatingRow.id).limit(limit).offset(offset))
            return total, list(rows)
