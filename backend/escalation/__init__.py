"""Clinician escalation queue: uncertain or dangerous cases waiting for a human."""

from backend.escalation.models import EscalationRow, EscalationStatus
from backend.escalation.repository import EscalationConflictError, EscalationQueue

__all__ = ["EscalationConflictError", "EscalationQueue", "EscalationRow", "EscalationStatus"]
