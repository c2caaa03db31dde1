"""Put the conversation in the clinician queue and tell the patient, with interim safety advice."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from backend.agent.context import TriageContext
from backend.agent.state import TriageState
from backend.agent.timing import stopwatch


def escalate(state: TriageState, runtime: Runtime[TriageContext]) -> dict[str, Any]:
    """Open (or raise) the queue item; the reply gains the approved "a clinician will follow up" text."""
    ctx = runtime.context
    components = ctx.components
    latencies = dict(state.get("latencies_ms", {}))
    top_rank = max(d.rank for d in components.bundle.dispositions)
    reasons = state.get("escalation_reasons", [])
    # self-harm, engine failures and red flags are seen first
    crisis = any(r.startswith("input_") for r in reasons) or "triage_engine_error" in reasons
    priority = top_rank if crisis else state.get("acuity_rank", 0)
    with stopwatch(latencies, "escalate"):
        item = components.escalations.open(
            ctx.conversation_id,
            disposition=state.get("disposition"),
            priority=priority,
            reasons=reasons,
            rule_ids=state.get("rule_ids", []),
            summary={
                "turn_index": state["turn_index"],
                "redacted_input": state["redacted_input"],
                "red_flag_ids": state.get("red_flag_ids", []),
                "evidence": state.get("evidence", []),
                "confidence": state.get("confidence", 0.0),
                "safety_triggers": state.get("safety_triggers", []),
            },
        )
    notice = components.bundle.messages.escalated_to_clinician
    reply = state.get("reply", "")
    return {
        "reply": f"{reply}\n\n{notice}" if reply else notice,
        "open_escalation_id": item.id,
        "latencies_ms": latencies,
    }
