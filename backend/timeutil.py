"""Timestamps read back from the database."""

from __future__ import annotations

from datetime import UTC, datetime


def as_utc(value: datetime) -> datetime:
    """``value`` as an aware UTC time: SQLite hands timestamps back naive (they were stored in UTC)."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)
