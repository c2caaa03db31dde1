"""Append-only, hash-chained audit store. Knows nothing of the agent, safety internals or HTTP."""

from audit.db import make_engine, make_session_factory
from audit.models import AuditBase, AuditEventRow
from audit.schemas import Actor, AuditEvent, AuditRecord, ChainReport
from audit.store import AuditStore, Redactor

__all__ = [
    "Actor",
    "AuditBase",
    "AuditEvent",
    "AuditEventRow",
    "AuditRecord",
    "AuditStore",
    "ChainReport",
    "Redactor",
    "make_engine",
    "make_session_factory",
]
