"""Graph state. Everything here is checkpointed, so it holds redacted text only.

The raw patient message never enters the state: it travels in the per-run
:class:`~backend.agent.context.TriageContext`, which LangGraph does not persist.
"""

from __future__ import annotations

import operator
from typing import Annotated, Any, Literal, TypedDict


class Message(TypedDict):
    """One redacted chat message."""

    role: Literal["patient", "assistant", "clinician"]
    content: str
    turn: int


class TurnInput(TypedDict):
    """What a caller passes to start a turn (the text itself is in the context)."""

    started_at: str  # ISO-8601 UTC


class TriageState(TypedDict, total=False):
    """Conversation memory plus the working fields of the current turn.

    Per-turn fields are reset by the first node of every turn.
    """

    # conversation memory (accumulates or carries over between turns)
    messages: Annotated[list[Message], operator.add]
    facts: dict[str, Any]  # backend.triage.CaseFacts as JSON: the engine's memory
    open_escalation_id: str | None  # set while a clinician has not resolved the conversation
    sealed_pseudonyms: str  # encrypted placeholder -> value map (PseudonymVault); never in clear
    started_at: str
    turn_index: int
    # the least acute disposition this conversation keeps, set by an input escalated for a reason with a
    # policy triage_floor (refusal_messages.yaml): {"reason", "disposition", "rule_id", "phrase"}
    acuity_floor: dict[str, str] | None
    # current turn
    redacted_input: str
    pii_entity_types: list[str]
    input_decision: str  # safety Decision of the input cascade
    input_reason: str | None
    input_categories: list[str]
    disposition: str | None
    acuity_rank: int
    confidence: float
    rule_ids: list[str]
    red_flag_ids: list[str]
    evidence: list[dict[str, Any]]
    next_question: dict[str, str] | None
    assessment_complete: bool
    floor_reason: str | None  # the reason of the acuity floor in force (its text opens the reply)
    floor_raised: bool  # the floor, not the engine, set this turn's disposition
    approved_text: str  # clinician-approved text the reply must contain verbatim
    model_text: str  # what the model contributed (may be dropped by the output guard)
    reply: str
    model_id: str
    escalate: bool
    escalation_reasons: list[str]
    safety_triggers: list[dict[str, Any]]
    latencies_ms: dict[str, float]
    audit_event_id: int
