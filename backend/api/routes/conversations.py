"""Patient conversations: create, post a message, read."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, status
from fastapi.responses import StreamingResponse

from backend.agent import TriageState
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

UNPROCESSED = (
    "Your message could not be processed safely right now and was not recorded. Please try again;"
    " if this is an emergency, call your local emergency number."
)


def _check_message(text: str, limit: int) -> None:
    """Reject over-long and empty (whitespace or invisible characters only) messages."""
    if len(text) > limit:
        raise HTTPException(
            status.HTTP_413_CONTENT_TOO_LARGE,
            f"message is {len(text)} characters; the limit is {limit}. Please shorten it.",
        )
    if not clean_text(text).strip():
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "message is empty")


def _turn_out(conversation_id: str, state: TriageState) -> TurnOut:
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


NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorOut, "description": "unknown conversation"}}
# Errors both message routes can answer before any turn runs.
MESSAGE_ERRORS: dict[int | str, dict[str, Any]] = {
    **NOT_FOUND,
    413: {"model": ErrorOut, "description": "message too long"},
    429: {"model": ErrorOut, "description": "too many messages; see Retry-After"},
}


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
        **MESSAGE_ERRORS,
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
    _check_message(message.text, services.settings.max_message_chars)
    try:
        state = conversations.post_message(conversation_id, message.text, _conversation.owner_id)
    except ConversationNotFoundError as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "conversation not found") from exc
    except Exception as exc:
        logger.exception("turn failed for conversation %s", conversation_id)
        raise HTTPException(
            status.HTTP_503_SERVICE_UNAVAILABLE,
            UNPROCESSED,
        ) from exc
    return _turn_out(conversation_id, state)


@router.get("/{conversation_id}", response_model=ConversationOut, responses=NOT_FOUND)
def get_conversation(
    conversation_id: str, conversations: ConversationsDep, _conversation: ReadableConversation
) -> ConversationOut:
    """Return the conversation's redacted messages."""
    try:
        messages = conversations.messages(conversation_id)
        status_ = conversations.status(conversation_id)
        awaiting = conversations.awaiting_clinician(conversation_id)
    except ConversationNotFoundError as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "conversation not found") from exc
    return ConversationOut(
        id=conversation_id,
        status=status_,
        awaiting_clinician=awaiting,
        messages=[MessageOut(**m) for m in messages],
    )


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


def _sse(event: str, data: object) -> str:
    return f"event: {event}\ndata: {json.dumps(data)}\n\n"


@router.post(
    "/{conversation_id}/messages/stream",
    responses={
        200: {"content": {"text/event-stream": {}}, "description": "progress, token, done or error events"},
        **MESSAGE_ERRORS,
    },
    dependencies=[Depends(limit_messages)],
)
def stream_message(
    conversation_id: str,
    message: MessageIn,
    services: ServicesDep,
    conversations: ConversationsDep,
    _conversation: WritableConversation,
) -> StreamingResponse:
    """Server-sent events: ``progress`` per graph step, then the reply as ``token`` events, then ``done``.

    Nothing of the reply is sent before the whole turn has passed the output checks and its audit
    record is written (the "no reply without an audit record" promise); the stream shows progress
    while that happens and then renders the checked reply word by word. A failure sends one
    ``error`` event and no reply text.
    """
    _check_message(message.text, services.settings.max_message_chars)

    def events() -> Iterator[str]:
        state: TriageState | None = None
        try:
            for kind, payload in conversations.stream_turn(
                conversation_id, message.text, _conversation.owner_id
            ):
                if kind == "progress":
                    yield _sse("progress", {"step": payload})
                else:
                    state = payload
        except Exception:
            logger.exception("streamed turn failed for conversation %s", conversation_id)
            yield _sse("error", {"detail": UNPROCESSED})
            return
        if state is None:
            yield _sse("error", {"detail": UNPROCESSED})
            return
        for token in re.findall(r"\S+\s*", state["reply"]):
            yield _sse("token", {"text": token})
        yield _sse("done", _turn_out(conversation_id, state).model_dump())

    return StreamingResponse(events(), media_type="text/event-stream")
