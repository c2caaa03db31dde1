"""Clinician queue: list by acuity and waiting time, claim, reply (resumes the paused conversation).

Also clinician ratings of recorded answers (``/clinician/ratings``), the preference data of the
alignment pipeline.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, status

from backend.api.deps import ConversationsDep, ServicesDep
from backend.api.security import AccessDep, ClinicalOrCompliance, Clinician, can_read
from backend.auth import Role
from backend.conversation_service import ConversationNotFoundError, NotAwaitingClinicianError
from backend.escalation import EscalationConflictError, EscalationRow
from backend.ratings import DuplicateRatingError, RatingStore
from backend.schemas import (
    ClinicianReplyIn,
    ErrorOut,
    EscalationOut,
    MessageOut,
    RatingIn,
    RatingOut,
    RatingPage,
)
from backend.timeutil import as_utc

router = APIRouter(prefix="/clinician", tags=["clinician"])
logger = logging.getLogger(__name__)

ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "unknown escalation"},
    409: {"model": ErrorOut, "description": "claimed by someone else, resolved, or not awaiting a clinician"},
}


def _out(row: EscalationRow) -> EscalationOut:
    created = as_utc(row.created_at)
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
    responses={
        403: {"model": ErrorOut, "description": "not a conversation this clinician handles"},
        404: {"model": ErrorOut, "description": "unknown conversation"},
    },
)
def revealed(
    conversation_id: str, services: ServicesDep, conversations: ConversationsDep, user: Clinician
) -> list[MessageOut]:
    """The conversation with original identifiers, for the clinician who claimed its escalation.

    Each view is recorded in the audit trail as a ``phi_access`` event.
    """
    if user.role is not Role.ADMIN and not services.escalations.handled_by(conversation_id, user.user_id):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "claim this conversation's escalation first")
    try:
        messages = conversations.revealed_messages(conversation_id, user.user_id)
    except ConversationNotFoundError as exc:  # admins pass the claim check for any id (found by fuzzing)
        raise HTTPException(status.HTTP_404_NOT_FOUND, "conversation not found") from exc
    return [MessageOut(**m) for m in messages]


def get_ratings(request: Request) -> RatingStore:
    """The ratings store built by the lifespan."""
    ratings: RatingStore = request.app.state.ratings
    return ratings


RatingsDep = Annotated[RatingStore, Depends(get_ratings)]


@router.post(
    "/ratings",
    response_model=RatingOut,
    status_code=status.HTTP_201_CREATED,
    responses={
        404: {"model": ErrorOut, "description": "no recorded answer for that conversation turn"},
        409: {"model": ErrorOut, "description": "already rated by this clinician, or content purged"},
    },
)
def rate(
    body: RatingIn, user: Clinician, services: ServicesDep, access: AccessDep, ratings: RatingsDep
) -> RatingOut:
    """Prefer the recorded answer of a turn (``a``), an alternative (``b``), or neither (``tie``).

    The prompt and answer ``a`` come from the turn's audit event (redacted), the guideline version is
    the policy bundle's. Rows have the columns of ``alignment/ratings.py``.
    """
    row = access.conversations.get(body.conversation_id)
    if row is None or not can_read(user, row):
        raise HTTPException(status.HTTP_404_NOT_FOUND, "conversation not found")
    turn = next(
        (
            event
            for event in services.audit_store.list_conversation(body.conversation_id)
            if event.event_type == "turn" and event.turn_index == body.turn_index
        ),
        None,
    )
    if turn is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no recorded answer for that turn")
    if turn.content_purged or not turn.redacted_input or not turn.redacted_output:
        raise HTTPException(status.HTTP_409_CONFLICT, "this turn's text is no longer available")
    try:
        stored = ratings.add(
            conversation_id=body.conversation_id,
            turn_index=body.turn_index,
            prompt=turn.redacted_input,
            response_a=turn.redacted_output,
            response_b=body.response_b,
            preferred=body.preferred,
            rationale=body.rationale,
            annotator_id=user.user_id,
            guideline_version=services.bundle.version,
        )
    except DuplicateRatingError as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from exc
    return RatingOut.model_validate(stored)


@router.get("/ratings", response_model=RatingPage)
def list_ratings(
    user: ClinicalOrCompliance,
    ratings: RatingsDep,
    conversation_id: Annotated[str | None, Query(max_length=36)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> RatingPage:
    """Ratings, oldest first. Clinicians see their own (independent judgements); compliance and admins all."""
    annotator = user.user_id if user.role is Role.CLINICIAN else None
    total, rows = ratings.search(
        conversation_id=conversation_id, annotator_id=annotator, limit=limit, offset=offset
    )
    return RatingPage(total=total, items=[RatingOut.model_validate(r) for r in rows])
