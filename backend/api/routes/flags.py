"""Clinician flags on audit events (false positives, unsafe answers): append-only chain events."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, status
from pydantic import BaseModel, ConfigDict, Field

from audit import FLAG_EVENT_TYPE, MAX_PAGE, AuditPage, AuditQuery, AuditRecord, EventNotFoundError, FlagKind
from backend.api.deps import ServicesDep
from backend.api.security import AccessDep, ClinicalOrCompliance, Clinician, can_read
from backend.schemas import ErrorOut

router = APIRouter(prefix="/flags", tags=["flags"])


class FlagCreate(BaseModel):
    """A clinician's judgement about one recorded turn."""

    model_config = ConfigDict(extra="forbid")

    event_uuid: str = Field(min_length=1, max_length=36, description="the audit event flagged")
    kind: FlagKind
    note: str | None = Field(default=None, max_length=2000, description="free text; redacted before storage")


@router.post(
    "",
    response_model=AuditRecord,
    status_code=status.HTTP_201_CREATED,
    responses={404: {"model": ErrorOut}, 422: {"model": ErrorOut}},
)
def create_flag(body: FlagCreate, user: Clinician, services: ServicesDep, access: AccessDep) -> AuditRecord:
    """Flag an event of a conversation the clinician handles; the flag is a new audit event."""
    try:
        subject = services.audit_store.get(body.event_uuid)
    except EventNotFoundError as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "audit event not found") from exc
    row = access.conversations.get(subject.conversation_id)
    if row is None or not can_read(user, row):
        raise HTTPException(status.HTTP_404_NOT_FOUND, "audit event not found")
    try:
        return services.audit_store.flag(body.event_uuid, body.kind, user.user_id, body.note)
    except ValueError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from exc


@router.get("", response_model=AuditPage)
def list_flags(
    _user: ClinicalOrCompliance,
    access: AccessDep,
    kind: FlagKind | None = None,
    conversation_id: str | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> AuditPage:
    """Clinician flags, oldest first."""
    query = AuditQuery(event_type=FLAG_EVENT_TYPE, flag_kind=kind, conversation_id=conversation_id)
    return access.audit_queries.search(query, limit=limit, offset=offset)
