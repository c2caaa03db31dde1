"""Deterministic triage: red flags, symptom extraction, policy rules, follow-up question."""

from __future__ import annotations

import logging
from typing import Any

from langgraph.runtime import Runtime

from backend.agent.acuity_floor import conversation_floor, floor_candidates, raised_by_floor
from backend.agent.context import TriageContext
from backend.agent.nodes.common import add_reason
from backend.agent.phi_scrub import PhiScrubber, stored_facts
from backend.agent.refusal_waiver import waive_refusal
from backend.agent.state import TriageState
from backend.agent.textnorm import clean_text
from backend.agent.timing import stopwatch
from backend.triage import CaseFacts

logger = logging.getLogger(__name__)


def this_turns_findings(previous: CaseFacts | None, facts: CaseFacts) -> dict[str, str]:
    """Concept id -> status of the findings this message added or changed (carried ones left out)."""
    carried = set(previous.findings) if previous is not None else set()
    return {f.concept_id: f.status for f in facts.findings if f not in carried}


def assess(state: TriageState, runtime: Runtime[TriageContext]) -> dict[str, Any]:
    """Update the case facts with this message and decide; the engine's decision is final.

    The engine reads the raw text (placeholders would hide facts such as an age); what it returns
    is scrubbed of the conversation's identifiers before it is checkpointed or audited.

    An acuity floor (this or an earlier turn escalated for self-harm, by the input cascade or by red flag
    RF-MH-001, or decided by a rule with a ``reply_reason`` such as TR-MIND-001, suicidal thoughts:
    :mod:`backend.agent.acuity_floor`) raises the decision, never lowers it.

    A refusal waiver (``refusal_waivers.yaml``: a recognised routine request the harm classifier refused,
    with no hazard sign: :mod:`backend.agent.refusal_waiver`) turns this turn's input decision into
    ``allow``; the classifier's trigger stays in the audit beside the waiver's. Escalations are never waived.

    If the engine fails, the turn is escalated at emergency priority with an uncertain disposition:
    the system says it is unsure and a clinician looks, rather than guessing.
    """
    components = runtime.context.components
    latencies = dict(state.get("latencies_ms", {}))
    reasons = list(state.get("escalation_reasons", []))
    previous = CaseFacts.model_validate(state["facts"]) if state.get("facts") else None
    raw_text = clean_text(runtime.context.patient_text) or state["redacted_input"]
    with stopwatch(latencies, "assess"):
        try:
            sealed = state.get("sealed_pseudonyms")
            scrubber = PhiScrubber(components.vault.open(sealed.encode()) if sealed else {})
            assessment = components.engine.assess(previous, raw_text)
        except Exception:
            logger.exception("triage engine failed in conversation %s", runtime.context.conversation_id)
            top = max(components.bundle.dispositions, key=lambda d: d.rank)
            return {
                "disposition": None,
                "acuity_rank": top.rank,
                "assessment_complete": False,
                "escalate": True,
                "escalation_reasons": add_reason(reasons, "triage_engine_error"),
                "latencies_ms": latencies,
            }
    decision = assessment.decision
    question = assessment.next_question
    escalate = state.get("escalate", False)
    if decision.needs_clinician and assessment.complete:
        escalate = True
        for reason in decision.clinician_reasons:
            reasons = add_reason(reasons, reason)
    decided = {
        "facts": stored_facts(assessment.facts.model_dump(mode="json"), scrubber),
        "disposition": decision.disposition,
        "acuity_rank": decision.acuity_rank,
        "confidence": decision.confidence,
        "rule_ids": list(decision.fired_rule_ids),
        "red_flag_ids": [hit.red_flag_id for hit in decision.red_flags],
        "evidence": scrubber.data([e.model_dump(mode="json") for e in decision.evidence]),
        "next_question": question.model_dump(mode="json") if question else None,
        "assessment_complete": assessment.complete,
        "escalate": escalate,
        "escalation_reasons": reasons,
        "latencies_ms": latencies,
    }
    message_concepts = this_turns_findings(previous, assessment.facts)
    waived = waive_refusal(
        components.bundle,
        input_decision=state.get("input_decision", "allow"),
        input_triggers=[t for t in state.get("safety_triggers", []) if t.get("direction") == "input"],
        message_concepts=message_concepts,
        case_present=assessment.facts.present(),
        text=raw_text,
    )
    input_decision, input_reason = state.get("input_decision", "allow"), state.get("input_reason")
    if waived is not None:
        input_decision, input_reason = "allow", None
        decided = {
            **decided,
            "input_decision": input_decision,
            "input_reason": input_reason,
            "safety_triggers": [*state.get("safety_triggers", []), waived.trigger()],
        }
    candidates = floor_candidates(
        components.bundle,
        input_decision,
        input_reason,
        decided["red_flag_ids"],
        decided["rule_ids"],
        message_concepts,
    )
    floor = conversation_floor(
        components.bundle, state.get("acuity_floor"), candidates, state["redacted_input"]
    )
    if floor is None:
        return decided
    return {**raised_by_floor(components.bundle, floor, decided), "acuity_floor": floor}
