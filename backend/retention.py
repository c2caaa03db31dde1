"""Retention: remove conversation content older than the retention period, keeping the chain verifiable.

``python -m backend.retention purge [--days N] [--dry-run]`` (default period: ``TRIAGE_RETENTION__DAYS``).

What one run does, in an order that is safe to interrupt and re-run:

1. audit events created before the cut-off lose their text (``redacted_input``, ``redacted_output``,
   ``evidence``); ``content_purged`` becomes true. Their ``content_hash`` and ``event_hash`` stay,
   so ``audit verify`` still checks every link (on PostgreSQL this is the only change the
   append-only trigger allows, and only under ``SET LOCAL triage.retention_purge = 'on'``);
2. conversations whose last activity is before the cut-off lose their LangGraph checkpoints (the
   redacted message history), then get status ``purged`` (no further messages: HTTP 409);
3. expired and revoked login tokens are deleted.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from audit import AuditStore, make_engine, make_session_factory
from backend.agent import open_checkpointer
from backend.api.security import PURGED_STATUS
from backend.auth import AuthService
from backend.db import ConversationRow
from backend.settings import Settings, get_settings


@dataclass(frozen=True)
class PurgeReport:
    """What a purge removed (or would remove, with ``dry_run``)."""

    cutoff: str
    dry_run: bool
    audit_events_purged: int
    conversations_purged: int
    tokens_deleted: int


def _unchanged(text: str) -> str:
    return text  # the purge writes no text, so nothing needs redacting


def purge(
    settings: Settings, *, days: int | None = None, now: datetime | None = None, dry_run: bool = False
) -> PurgeReport:
    """Purge content older than ``days`` (default: the configured retention period) before ``now``.

    Raises:
        ValueError: ``days`` below 1.
    """
    days = settings.retention.days if days is None else days
    if days < 1:
        raise ValueError(f"retention period must be at least 1 day, got {days}")
    cutoff = (now or datetime.now(UTC)) - timedelta(days=days)
    engine = make_engine(settings.database_url)
    sessions = make_session_factory(engine)
    try:
        events = AuditStore(sessions, _unchanged).purge_content(cutoff, dry_run=dry_run)
        with sessions() as session:
            expired = list(
                session.scalars(
                    select(ConversationRow.id).where(
                        ConversationRow.updated_at < cutoff, ConversationRow.status != PURGED_STATUS
                    )
                )
            )
        tokens = 0
        if not dry_run:
            with open_checkpointer(settings.resolved_checkpoint_url) as checkpointer:
                for conversation_id in expired:
                    checkpointer.delete_thread(conversation_id)
            with sessions.begin() as session:
                session.execute(
                    update(ConversationRow)
                    .where(ConversationRow.id.in_(expired))
                    .values(status=PURGED_STATUS)
                )
            tokens = AuthService(
                sessions, timedelta(minutes=settings.auth.token_ttl_minutes)
            ).delete_expired_tokens()
    finally:
        engine.dispose()
    return PurgeReport(cutoff.isoformat(), dry_run, events, len(expired), tokens)


def main(argv: list[str] | None = None) -> int:
    """Command line: ``purge`` with optional ``--days``, ``--dry-run`` and ``--url``."""
    parser = argparse.ArgumentParser(prog="python -m backend.retention", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("purge", help="remove expired conversation content")
    run.add_argument(
        "--days", type=int, default=None, help="retention period (default: TRIAGE_RETENTION__DAYS)"
    )
    run.add_argument("--dry-run", action="store_true", help="count what would be purged, change nothing")
    run.add_argument("--url", default=None, help="database URL (default: TRIAGE_DATABASE_URL)")
    args = parser.parse_args(argv)
    settings = get_settings()
    if args.url:
        settings = settings.model_copy(update={"database_url": args.url})
    try:
        report = purge(settings, days=args.days, dry_run=args.dry_run)
    except ValueError as exc:
        parser.error(str(exc))
    print(json.dumps(asdict(report), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
