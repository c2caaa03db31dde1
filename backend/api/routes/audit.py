"""Compliance views of the audit log: search, timeline, export, aggregates, chain verification."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, status
from fastapi.responses import StreamingResponse
from pydantic import Field

from audit import MAX_PAGE, AuditPage, AuditQuery, AuditRecord, AuditStats, ChainReport, ExportFormat, export
from backend.api.deps import ServicesDep
from backend.api.security import AccessDep, ClinicalOrCompliance, Compliance, can_read
from backend.auth import Role
from backend.schemas import ErrorOut

router = APIRouter(prefix="/audit", tags=["audit"])

MEDIA_TYPES = {ExportFormat.CSV: "text/csv; charset=utf-8", ExportFormat.JSONL: "application/x-ndjson"}


class SearchParams(AuditQuery):
    """Search filters plus the page to return."""

    limit: int = Field(default=50, ge=1, le=MAX_PAGE)
    offset: int = Field(default=0, ge=0)


class ExportParams(AuditQuery):
    """Search filters plus the export format."""

    format: ExportFormat = ExportFormat.JSONL


def _filters(params: AuditQuery) -> AuditQuery:
    return AuditQuery(**params.model_dump(include=set(AuditQuery.model_fields)))


@router.get("/events", response_model=AuditPage)
def search_events(
    params: Annotated[SearchParams, Query()], _user: Compliance, access: AccessDep
) -> AuditPage:
    """Events matching every given filter, oldest first, one page at a time."""
    return access.audit_queries.search(_filters(params), limit=params.limit, offset=params.offset)


@router.get(
    "/events/export",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}, "application/x-ndjson": {}}}},
)
def export_events(
    params: Annotated[ExportParams, Query()], _user: Compliance, access: AccessDep
) -> StreamingResponse:
    """Stream every matching event as CSV or JSON lines (no page limit; read in batches)."""
    records = access.audit_queries.iter_records(_filters(params))
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return StreamingResponse(
        export(records, params.format),
        media_type=MEDIA_TYPES[params.format],
        headers={"Content-Disposition": f'attachment; filename="audit-{stamp}.{params.format.value}"'},
    )


@router.get("/stats", response_model=AuditStats)
def stats(params: Annotated[AuditQuery, Query()], _user: Compliance, access: AccessDep) -> AuditStats:
    """Turns, escalations, clinician flags and trigger rates per layer per UTC day."""
    return access.audit_queries.stats(params)


@router.get("/verify", response_model=ChainReport)
def verify(_user: Compliance, services: ServicesDep) -> ChainReport:
    """Recompute the whole hash chain; ``first_broken_sequence`` names the first bad link."""
    return services.audit_store.verify()


@router.get(
    "/conversations/{conversation_id}",
    response_model=list[AuditRecord],
    responses={404: {"model": ErrorOut}},
)
def timeline(
    conversation_id: str, user: ClinicalOrCompliance, services: ServicesDep, access: AccessDep
) -> list[AuditRecord]:
    """Every event of one conversation in order. Clinicians see only conversations they handle."""
    if user.role is Role.CLINICIAN:
        row = access.conversations.get(conversation_id)
        if row is None or not can_read(user, row):
            raise HTTPException(status.HTTP_404_NOT_FOUND, "conversation not found")
    records = services.audit_store.list_conversation(conversation_id)
    if not records:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no audit events for this conversation")
    return records
