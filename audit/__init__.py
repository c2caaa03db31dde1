"""Append-only, hash-chained audit store. Knows nothing of the agent, safety internals or HTTP."""

from audit.db import make_engine, make_session_factory
from audit.export import ExportFormat, export
from audit.models import AuditBase, AuditEventRow
from audit.query import MAX_PAGE, AuditQueries
from audit.schemas import (
    FLAG_EVENT_TYPE,
    Actor,
    AuditEvent,
    AuditPage,
    AuditQuery,
    AuditRecord,
    AuditStats,
    ChainReport,
    DayCount,
    FlagKind,
    LayerDayCount,
)
from audit.store import PURGE_SETTING, AuditStore, EventNotFoundError, Redactor

__all__ = [
    "FLAG_EVENT_TYPE",
    "MAX_PAGE",
    "PURGE_SETTING",
    "Actor",
    "AuditBase",
    "AuditEvent",
    "AuditEventRow",
    "AuditPage",
    "AuditQueries",
    "AuditQuery",
    "AuditRecord",
    "AuditStats",
    "AuditStore",
    "ChainReport",
    "DayCount",
    "EventNotFoundError",
    "ExportFormat",
    "FlagKind",
    "LayerDayCount",
    "Redactor",
    "export",
    "make_engine",
    "make_session_factory",
]
