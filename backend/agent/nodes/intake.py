"""Turn intake: redact the raw text, then screen it with the input safety cascade."""

from __future__ import annotations

import logging
from typing import Any

from langgraph.runtime import Runtime

from backend.agent.context import TriageContext
from backend.agent.nodes.common import add_reason, trigger_dicts
from backend.agent.state import TriageState
from backend.agent.textnorm import clean_text, skeleton
from backend.agent.timing import stopwatch
from safety import CheckContext, Decision

logger = logging.getLogger(__name__)


def redact_input(state: TriageState, runtime: Runtime[TriageContext]) -> dict[str, Any]:
    """Redact the patient's raw text and reset the per-turn fields."""
    ctx = runtime.context
    latencies: dict[str, float] = {}
    vault = ctx.components.vault
    sealed = state.get("sealed_pseudonyms")
    with stopwatch(latencies, "redact_input"):
        known = vault.open(sealed.encode()) if sealed else {}
        # invisible characters (zero-width, bidi overrides, NUL) never reach storage or the checks
        result = ctx.components.redactor.redact(clean_text(ctx.patient_text), known=known)
        sealed = vault.seal(result.pseudonyms).decode() if result.pseudonyms else sealed
    turn_index = sum(1 for m in state.get("messages", []) if m["role"] == "patient")
    return {
        "turn_index": turn_index,
        "redacted_input": result.text,
        "sealed_pseudonyms": sealed or "",
        "pii_entity_types": result.entity_types,
        "input_decision": Decision.ALLOW.value,
        "input_reason": None,
        "input_categories": [],
        "disposition": None,
        "acuity_rank": 0,
        "confidence": 0.0,
        "rule_ids": [],
        "red_flag_ids": [],
        "evidence": [],
        "next_question": None,
        "assessment_complete": False,
        "floor_reason": None,
        "floor_raised": False,
        "approved_text": "",
        "model_text": "",
        "reply": "",
        "model_id": "",
        "escalate": False,
        "escalation_reasons": [],
        "safety_triggers": [],
        "latencies_ms": latencies,
    }


def guard_input(state: TriageState, runtime: Runtime[TriageContext]) -> dict[str, Any]:
    """Run the input cascade (rules, injection, harm, misinformation, guard) on the redacted text."""
    components = runtime.context.components
    latencies = dict(state.get("latencies_ms", {}))
    reasons = list(state.get("escalation_reasons", []))
    with stopwatch(latencies, "guard_input"):
        try:
            # homoglyphs are folded for the check only; the stored text keeps its letters
            verdict = components.safety.check_input(skeleton(state["redacted_input"]), CheckContext())
        except Exception:  # the cascade fails closed internally; this is the last line of defence
            logger.exception("input safety cascade crashed")
            return {
                "input_decision": Decision.BLOCK.value,
                "input_reason": "system_error",
                "safety_triggers": [
                    *state.get("safety_triggers", []),
                    {"direction": "input", "layer": "cascade", "category": "system_error", "action": "block"},
                ],
                "latencies_ms": latencies,
            }
    escalate = verdict.decision == Decision.ESCALATE
    return {
        "input_decision": verdict.decision.value,
        "input_reason": verdict.reason_category,
        "input_categories": sorted(verdict.categories),
        "safety_triggers": [*state.get("safety_triggers", []), *trigger_dicts(verdict.triggers, "input")],
        "escalate": state.get("escalate", False) or escalate,
        "escalation_reasons": add_reason(reasons, f"input_{verdict.reason_category}")
        if escalate
        else reasons,
        "latencies_ms": latencies,
    }
