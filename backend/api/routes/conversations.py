"""Patient conversations: create, post a message, read."""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, status

from backend.agent.textnorm import clean_text
from backend.api.deps import ConversationsDep, ServicesDep
from backend.api.security import (
    AccessDep,
    Patient,
    PatientOrClinician,
    ReadableConversation,
    WritableConversation,
)
from backend.auth import Role
from backend.conversation_service import ConversationNotFoundError
from backend.ratelimit import limit_messages
from backend.schemas import (
    ConversationCreated,
    ConversationOut,
    ConversationSummary,
    ErrorOut,
    MessageIn,
    MessageOut,
    TurnOut,
)

router = APIRouter(prefix="/conversations", tags=["conversations"])
logger = logging.getLogger(__name__)

NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorOut, "description": "unknown conversation"}}


@router.post("", response_model=ConversationCreated, status_code=status.HTTP_201_CREATED)
def create_conversation(services: ServicesDep, user: Patient) -> ConversationCreated:
    """Start a conversation owned by the caller; returns the greeting and disclaimer to show first."""
    conversation_id = services.conversations.start(owner_id=user.user_id)
    messages = services.bundle.messages
    return ConversationCreated(id=conversation_id, greeting=messages.greeting, disclaimer=messages.disclaimer)


@router.post(
    "/{conversation_id}/messages",
    response_model=TurnOut,
    responses={
        **NOT_FOUND,
        413: {"model": ErrorOut, "description": "message too long"},
        429: {"model": ErrorOut, "description": "too many messages; see Retry-After"},
        503: {"model": ErrorOut, "description": "the turn could not be recorded; nothing was shown"},
    },
    dependencies=[Depends(limit_messages)],
)
def post_message(
    conversation_id: str,
    message: MessageIn,
    services: ServicesDep,
    conversations: ConversationsDep,
    _conversation: WritableConversation,
) -> TurnOut:
    """Triage one patient message and return the assistant's reply."""
    limit = services.settings.max_message_chars
    if len(message.text) > limit:
        raise HTTPException(
            status.HTTP_413_CONTENT_TOO_LARGE,
            f"message is {len(message.text)} characters; the limit is {limit}. Please shorten it.",
        )
    if not clean_text(message.text).strip():  # whitespace or invisible characters only
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "message is empty")
    try:
        state = conversations.post_message(conversation_id, message.text, _conversation.owner_id)
    except ConversationNotFoundError as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "conversation not found") from exc
    except Exception as exc:
        logger.exception("turn failed for conversation %s", conversation_id)
        raise HTTPException(
            status.HTTP_503_SERVICE_UNAVAILABLE,
            "Your message could not be processed safely right now and was not recorded. Please try again;"
            " if this is an emergency, call your local emergency number.",
        ) from exc
    return TurnOut(
        conversation_id=conversation_id,
        turn_index=state["turn_index"],
        reply=state["reply"],
        redacted_input=state["redacted_input"],
        escalated=state.get("escalate", False),
        escalation_reasons=state.get("escalation_reasons", []),
        disposition=state.get("disposition"),
        rule_ids=state.get("rule_ids", []),
        red_flag_ids=state.get("red_flag_ids", []),
        confidence=state.get("confidence", 0.0),
        follow_up_question=(state.get("next_question") or {}).get("text"),
        triage_complete=state.get("assessment_complete", False),
        audit_event_id=state["audit_event_id"],
    )


@router.get("/{conversation_id}", response_model=ConversationOut, responses=NOT_FOUND)
def get_conversation(
    conversation_id: str, conversations: ConversationsDep, _conversation: ReadableConversation
) -> ConversationOut:
    """Return the conversation's redacted messages."""
    try:
        messages = conversations.messages(conversation_id)
        status_ = conversations.status(conversation_id)
    except ConversationNotFoundError as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "conversation not found") from exc
    return ConversationOut(id=conversation_id, status=status_, messages=[MessageOut(**m) for m in messages])


@router.get("", response_model=list[ConversationSummary])
def list_conversations(
    user: PatientOrClinician,
    access: AccessDep,
    status_: Annotated[str | None, Query(alias="status", max_length=16)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[ConversationSummary]:
    """Patients: their own conversations. Clinicians: the escalation queue. Admins: all."""
    owner = user.user_id if user.role is Role.PATIENT else None
    wanted = "escalated" if user.role is Role.CLINICIAN else status_
    rows = access.conversations.search(owner_id=owner, status=wanted, limit=limit, offset=offset)
    return [ConversationSummary.model_validate(row) for row in rows]
