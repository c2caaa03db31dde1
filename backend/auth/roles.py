"""Who may do what: the four roles and the authenticated caller."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """Roles of API users.

    patient: own conversations only. clinician: the escalation queue, escalated conversations and
    clinician flags. compliance: the (redacted) audit views. admin: everything, including users.
    """

    PATIENT = "patient"
    CLINICIAN = "clinician"
    COMPLIANCE = "compliance"
    ADMIN = "admin"


@dataclass(frozen=True)
class Principal:
    """The authenticated caller of one request."""

    user_id: str
    username: str
    role: Role
