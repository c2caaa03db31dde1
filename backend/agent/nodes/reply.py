"""Reply: choose the approved text, let the model phrase around it, then screen the result."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from langgraph.runtime import Runtime

from backend.agent.compose import choose_approved, claim_corrections, instruction
from backend.agent.context import TriageContext
from backend.agent.grounding import ungrounded_numbers
from backend.agent.nodes.common import add_reason, trigger_dicts
from backend.agent.prompts import build_chat
from backend.agent.state import TriageState
from backend.agent.timing import stopwatch
from backend.llm import ModelError
from safety import CheckContext

logger = logging.getLogger(__name__)


def draft_reply(state: TriageState, runtime: Runtime[TriageContext]) -> dict[str, Any]:
    """Pick the approved text; for routine turns ask the model for one or two sentences around it.

    A model failure never leaves the patient without an answer: the approved text is sent alone and
    the conversation is escalated.
    """
    ctx = runtime.context
    components = ctx.components
    bundle = components.bundle
    latencies = dict(state.get("latencies_ms", {}))
    reasons = list(state.get("escalation_reasons", []))
    disposition = state.get("disposition")
    if disposition is None:  # the triage engine failed: say so and escalate
        return {
            "approved_text": bundle.messages.model_unavailable,
            "model_text": "",
            "latencies_ms": latencies,
        }
    question = state.get("next_question")
    approved = choose_approved(
        bundle,
        components.fallback,
        input_decision=state.get("input_decision", "allow"),
        input_reason=state.get("input_reason"),
        disposition=disposition,
        complete=state.get("assessment_complete", False),
        question=question["text"] if question else None,
        floor_reason=state.get("floor_reason"),
        floor_raised=state.get("floor_raised", False),
        rule_ids=state.get("rule_ids", []),
    )
    approved = replace(approved, corrections=claim_corrections(bundle, state.get("safety_triggers", [])))
    escalate = state.get("escalate", False)
    if approved.escalate_reason:
        escalate = True
        reasons = add_reason(reasons, approved.escalate_reason)
    update: dict[str, Any] = {"approved_text": approved.full_text, "model_text": "", "escalate": escalate}
    if approved.mode == "template_only":
        return {**update, "escalation_reasons": reasons, "latencies_ms": latencies}
    title = next(d.title for d in bundle.dispositions if d.id == disposition)
    chat = build_chat(bundle.messages.system_prompt, state.get("messages", []), state["redacted_input"], ctx)
    chat.append({"role": "user", "content": instruction(bundle, approved, title)})
    with stopwatch(latencies, "draft_reply"):
        try:
            completion = components.chat_model.complete(chat, max_new_tokens=components.reply_max_new_tokens)
        except ModelError as exc:
            logger.warning("model failure in conversation %s: %s", ctx.conversation_id, exc)
            return {
                **update,
                "escalate": True,
                "escalation_reasons": add_reason(reasons, "model_error"),
                "safety_triggers": [
                    *state.get("safety_triggers", []),
                    {
                        "direction": "output",
                        "layer": "model",
                        "category": "model_error",
                        "action": "escalate",
                    },
                ],
                "model_id": components.chat_model.model_id,
                "latencies_ms": latencies,
            }
    return {
        **update,
        "model_text": completion.text,
        "model_id": completion.model_id,
        "escalation_reasons": reasons,
        "latencies_ms": latencies,
    }


def guard_output(state: TriageState, runtime: Runtime[TriageContext]) -> dict[str, Any]:
    """Screen model text together with the approved text; on any stop, send the approved text alone.

    Approved text is clinician-reviewed and sent verbatim. A reply that, after constitutional
    revision, no longer contains it word for word is replaced by it: the model can rephrase its own
    sentences but never the disposition.
    """
    components = runtime.context.components
    latencies = dict(state.get("latencies_ms", {}))
    approved = state.get("approved_text", "")
    model_text = state.get("model_text", "").strip()
    if not model_text:
        return {"reply": approved, "latencies_ms": latencies}
    history = [m["content"] for m in state.get("messages", []) if m["role"] == "patient"]
    invented = ungrounded_numbers(model_text, [state["redacted_input"], approved, *history])
    if invented:  # the model stated facts nobody gave it: send the approved text alone
        trigger = {
            "direction": "output",
            "layer": "grounding",
            "category": "ungrounded_number",
            "action": "drop_model_text",
            "score": 1.0,
            "threshold": 1.0,
            "rule_id": "",
        }
        return {
            "reply": approved,
            "safety_triggers": [*state.get("safety_triggers", []), trigger],
            "latencies_ms": latencies,
        }
    draft = f"{model_text}\n\n{approved}"
    context = CheckContext(
        user_text=state["redacted_input"], input_categories=frozenset(state.get("input_categories", []))
    )
    with stopwatch(latencies, "guard_output"):
        try:
            guarded = components.reviser.guard_reply(draft, context)
        except Exception:
            logger.exception("output safety cascade crashed")
            trigger = {
                "direction": "output",
                "layer": "cascade",
                "category": "system_error",
                "action": "block",
            }
            return {
                "reply": approved,
                "safety_triggers": [*state.get("safety_triggers", []), trigger],
                "latencies_ms": latencies,
            }
    triggers = [*state.get("safety_triggers", []), *trigger_dicts(guarded.verdict.triggers, "output")]
    update: dict[str, Any] = {"safety_triggers": triggers, "latencies_ms": latencies}
    if guarded.fallback is not None:
        update["reply"] = approved
        if guarded.fallback.escalate:
            update["escalate"] = True
            reason = f"output_{guarded.fallback.reason_category}"
            update["escalation_reasons"] = add_reason(list(state.get("escalation_reasons", [])), reason)
        return update
    update["reply"] = guarded.text if approved in guarded.text else approved
    return update
