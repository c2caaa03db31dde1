"""Clinician queue: list by acuity and waiting time, claim, reply (resumes the paused conversation)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, HTTPException, status

from backend.api.deps import ConversationsDep, ServicesDep
from backend.api.security import Clinician
from backend.auth import Role
from backend.conversation_service import NotAwaitingClinicianError
from backend.escalation import EscalationConflictError, EscalationRow
from backend.schemas import ClinicianReplyIn, ErrorOut, EscalationOut, MessageOut

router = APIRouter(prefix="/clinician", tags=["clinician"])
logger = logging.getLogger(__name__)

ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "unknown escalation"},
    409: {"model": ErrorOut, "description": "claimed by someone else, resolved, or not awaiting a clinician"},
}


def _out(row: EscalationRow) -> EscalationOut:
    created = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=UTC)
    waiting = (datetime.now(UTC) - created).total_seconds() / 60
    return EscalationOut(
        id=row.id,
        conversation_id=row.conversation_id,
        created_at=created,
        waiting_minutes=round(waiting, 1),
        disposition=row.disposition,
        priority=row.priority,
        reasons=row.reasons,
        rule_ids=row.rule_ids,
        summary=row.summary,
        status=row.status,
        claimed_by=row.claimed_by,
        resolution_note=row.resolution_note,
    )


@router.get("/queue", response_model=list[EscalationOut])
def queue(services: ServicesDep, _user: Clinician) -> list[EscalationOut]:
    """Unresolved escalations: most urgent first, then longest waiting."""
    return [_out(row) for row in services.escalations.pending()]


@router.post("/escalations/{escalation_id}/claim", response_model=EscalationOut, responses=ERRORS)
def claim(escalation_id: str, services: ServicesDep, user: Clinician) -> EscalationOut:
    """Claim an escalation so that no other clinician answers it at the same time."""
    try:
        return _out(services.escalations.claim(escalation_id, user.user_id))
    except KeyError as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "escalation not found") from exc
    except EscalationConflictError as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from exc


@router.post("/escalations/{escalation_id}/reply", response_model=list[MessageOut], responses=ERRORS)
def reply(
    escalation_id: str, body: ClinicianReplyIn, conversations: ConversationsDep, user: Clinician
) -> list[MessageOut]:
    """Send a message to the patient; the paused conversation resumes and the patient sees it."""
    try:
        messages = conversations.clinician_reply(
            escalation_id, user.user_id, body.text, resolve=body.resolve, note=body.note
        )
    except KeyError as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "escalation not found") from exc
    except EscalationConflictError as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from exc
    except NotAwaitingClinicianError as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, "conversation is not awaiting a clinician") from exc
    return [MessageOut(**m) for m in messages]


@router.get(
    "/conversations/{conversation_id}/revealed",
    response_model=list[MessageOut],
    responses={403: {"model": ErrorOut, "description": "not a conversation this clinician handles"}},
)
def revealed(
    conversation_id: str, services: ServicesDep, conversations: ConversationsDep, user: Clinician
) -> list[MessageOut]:
    """The conversation with original identifiers, for the clinician who claimed its escalation.

    Each view is recorded in the audit trail as a ``phi_access`` event.
    """
    if user.role is not Role.ADMIN and not services.escalations.handled_by(conversation_id, user.user_id):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "claim this conversation's escalation first")
    return [MessageOut(**m) for m in conversations.revealed_messages(conversation_id, user.user_id)]
