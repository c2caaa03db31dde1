"""Pause for the clinician; on resume, deliver the clinician's message (recorded first)."""

from __future__ import annotations

from typing import Any, TypedDict

from langgraph.runtime import Runtime
from langgraph.types import interrupt

from audit import Actor, AuditEvent
from backend.agent.context import TriageContext
from backend.agent.state import Message, TriageState


class ClinicianReply(TypedDict):
    """The resume value the clinician API passes to the paused graph."""

    text: str
    clinician_id: str
    resolved: bool


def await_clinician(state: TriageState, runtime: Runtime[TriageContext]) -> dict[str, Any]:
    """``interrupt()`` until a clinician answers, then add their (redacted) message to the chat."""
    components = runtime.context.components
    answer: ClinicianReply = interrupt(
        {"escalation_id": state.get("open_escalation_id"), "turn_index": state.get("turn_index", 0)}
    )
    redacted = components.redactor.redact(answer["text"])
    text = f"{components.bundle.messages.clinician_reply_prefix} {redacted.text}"
    turn = state.get("turn_index", 0)
    components.audit_store.record(
        AuditEvent(
            conversation_id=runtime.context.conversation_id,
            turn_index=turn,
            event_type="clinician_reply",
            actor=Actor.CLINICIAN,
            actor_id=answer["clinician_id"],
            redacted_output=text,
            pii_entity_types=redacted.entity_types,
            escalated=True,
            escalation_id=state.get("open_escalation_id"),
            model_id="clinician",
            policy_version=components.bundle.version,
            policy_sha256=components.bundle.sha256,
        )
    )
    message: Message = {"role": "clinician", "content": text, "turn": turn}
    return {
        "messages": [message],
        "open_escalation_id": None if answer["resolved"] else state.get("open_escalation_id"),
    }
