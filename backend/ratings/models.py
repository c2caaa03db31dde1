"""ORM model of ``clinician_ratings``.

The column names and meanings are a contract with ``alignment/ratings.py`` (``RATING_COLUMNS``):
conversation_id, turn_index, prompt, response_a, response_b, preferred, rationale, annotator_id,
guideline_version, created_at. ``id`` is only the row key.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.models import AppBase


class RatingRow(AppBase):
    """One clinician's preference between the recorded answer (a) and an alternative (b). Redacted text."""

    __tablename__ = "clinician_ratings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(String(36), nullable=False)
    turn_index: Mapped[int] = mapped_column(Integer, nullable=False)
    prompt: Mapped[str] = mapped_column(Text, nullable=False)  # the patient's message, redacted
    response_a: Mapped[str] = mapped_column(Text, nullable=False)  # the answer the system gave
    response_b: Mapped[str] = mapped_column(Text, nullable=False)  # clinician's alternative or a template
    preferred: Mapped[str] = mapped_column(String(3), nullable=False)  # "a" | "b" | "tie"
    rationale: Mapped[str] = mapped_column(Text, nullable=False, default="")
    annotator_id: Mapped[str] = mapped_column(String(64), nullable=False)
    guideline_version: Mapped[str] = mapped_column(String(64), nullable=False)  # policy bundle version
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)

    __table_args__ = (
        CheckConstraint("preferred IN ('a', 'b', 'tie')", name="ck_clinician_ratings_preferred"),
        # one judgement per annotator and item, so agreement statistics count each clinician once
        UniqueConstraint("conversation_id", "turn_index", "annotator_id", name="uq_clinician_ratings_item"),
        Index("ix_clinician_ratings_created", "created_at"),
    )
