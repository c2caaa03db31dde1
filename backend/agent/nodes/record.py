"""Write the turn to the audit store; only then does it enter the conversation memory."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from langgraph.runtime import Runtime

from audit import Actor, AuditEvent
from backend.agent.context import TriageContext
from backend.agent.state import Message, TriageState
from backend.agent.timing import stopwatch


def record_turn(state: TriageState, runtime: Runtime[TriageContext]) -> dict[str, Any]:
    """Append the audit event. If the write fails the exception propagates: no reply without a record."""
    ctx = runtime.context
    components = ctx.components
    latencies = dict(state.get("latencies_ms", {}))
    turn = state["turn_index"]
    with stopwatch(latencies, "record_turn"):
        record = components.audit_store.record(
            AuditEvent(
                conversation_id=ctx.conversation_id,
                turn_index=turn,
                actor=Actor.PATIENT,
                actor_id=ctx.actor_id,
                redacted_input=state["redacted_input"],
                redacted_output=state["reply"],
                pii_entity_types=state.get("pii_entity_types", []),
                disposition=state.get("disposition"),
                rule_ids=state.get("rule_ids", []),
                evidence=[
                    *state.get("evidence", []),
                    *({"red_flag_id": rf} for rf in state.get("red_flag_ids", [])),
                    {"confidence": state.get("confidence", 0.0)},
                ],
                safety_triggers=state.get("safety_triggers", []),
                escalated=state.get("escalate", False),
                escalation_id=state.get("open_escalation_id") if state.get("escalate") else None,
                model_id=state.get("model_id") or components.chat_model.model_id,
                model_version=components.chat_model.model_id,
                policy_version=components.bundle.version,
                policy_sha256=components.bundle.sha256,
                latencies_ms=latencies,
                turn_started_at=datetime.fromisoformat(state["started_at"]),
            )
        )
    new_messages: list[Message] = [
        {"role": "patient", "content": state["redacted_input"], "turn": turn},
        {"role": "assistant", "content": state["reply"], "turn": turn},
    ]
    return {"messages": new_messages, "audit_event_id": record.id, "latencies_ms": latencies}
