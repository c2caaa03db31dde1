"""Graph nodes: each a small function of (state, runtime) returning a state update."""

from __future__ import annotations

import logging
from typing import Any

from langgraph.runtime import Runtime

from audit import Actor, AuditEvent
from backend.agent.context import TriageContext
from backend.agent.prompts import build_chat
from backend.agent.state import Message, TriageState
from backend.agent.timing import stopwatch
from backend.llm import ModelError

logger = logging.getLogger(__name__)


def redact_input(state: TriageState, runtime: Runtime[TriageContext]) -> dict[str, Any]:
    """Redact the patient's raw text and reset the per-turn fields."""
    ctx = runtime.context
    latencies: dict[str, float] = {}
    with stopwatch(latencies, "redact_input"):
        result = ctx.redactor.redact(ctx.patient_text)
    turn_index = sum(1 for m in state.get("messages", []) if m["role"] == "patient")
    return {
        "turn_index": turn_index,
        "redacted_input": result.text,
        "pii_entity_types": result.entity_types,
        "reply": "",
        "model_id": "",
        "escalate": False,
        "escalation_reasons": [],
        "safety_triggers": [],
        "disposition": None,
        "rule_ids": [],
        "evidence": [],
        "latencies_ms": latencies,
    }


def draft_reply(state: TriageState, runtime: Runtime[TriageContext]) -> dict[str, Any]:
    """Ask the model for a reply; on any model failure fall back to the approved message and escalate."""
    ctx = runtime.context
    latencies = dict(state.get("latencies_ms", {}))
    chat = build_chat(
        ctx.bundle.messages.system_prompt,
        state.get("messages", []),
        state["redacted_input"],
        ctx.history_turns,
    )
    with stopwatch(latencies, "draft_reply"):
        try:
            completion = ctx.chat_model.complete(chat)
        except ModelError as exc:
            logger.warning("model failure in conversation %s: %s", ctx.conversation_id, exc)
            return {
                "reply": ctx.bundle.messages.model_unavailable,
                "model_id": ctx.chat_model.model_id,
                "escalate": True,
                "escalation_reasons": [*state.get("escalation_reasons", []), "model_error"],
                "safety_triggers": [
                    *state.get("safety_triggers", []),
                    {"layer": "model", "category": "model_error", "action": "fallback_escalate"},
                ],
                "latencies_ms": latencies,
            }
    return {"reply": completion.text, "model_id": completion.model_id, "latencies_ms": latencies}


def record_turn(state: TriageState, runtime: Runtime[TriageContext]) -> dict[str, Any]:
    """Write the turn to the audit store; only then does the turn enter the conversation memory.

    If the write fails the exception propagates: no reply is shown without its audit record.
    """
    ctx = runtime.context
    latencies = dict(state.get("latencies_ms", {}))
    turn = state["turn_index"]
    with stopwatch(latencies, "record_turn"):
        record = ctx.audit_store.record(
            AuditEvent(
                conversation_id=ctx.conversation_id,
                turn_index=turn,
                actor=Actor.PATIENT,
                redacted_input=state["redacted_input"],
                redacted_output=state["reply"],
                pii_entity_types=state.get("pii_entity_types", []),
                disposition=state.get("disposition"),
                rule_ids=state.get("rule_ids", []),
                evidence=state.get("evidence", []),
                safety_triggers=state.get("safety_triggers", []),
                escalated=state.get("escalate", False),
                model_id=state.get("model_id") or ctx.chat_model.model_id,
                policy_version=ctx.bundle.version,
                policy_sha256=ctx.bundle.sha256,
                latencies_ms=latencies,
            )
        )
    new_messages: list[Message] = [
        {"role": "patient", "content": state["redacted_input"], "turn": turn},
        {"role": "assistant", "content": state["reply"], "turn": turn},
    ]
    return {"messages": new_messages, "audit_event_id": record.id, "latencies_ms": latencies}
