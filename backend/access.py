"""Objects behind authentication and the compliance views, built once beside :class:`Services`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from audit import AuditQueries, make_session_factory
from backend.auth import AuthService
from backend.db import ConversationRepository
from backend.services import Services


@dataclass(frozen=True)
class AccessServices:
    """Users and tokens, read-only audit queries, and conversation rows for access checks."""

    auth: AuthService
    audit_queries: AuditQueries
    conversations: ConversationRepository


def build_access(services: Services) -> AccessServices:
    """Build the access objects on the same engine as ``services``."""
    sessions = make_session_factory(services.engine)
    ttl = timedelta(minutes=services.settings.auth.token_ttl_minutes)
    return AccessServices(
        auth=AuthService(sessions, ttl),
        audit_queries=AuditQueries(sessions),
        conversations=ConversationRepository(sessions),
    )
