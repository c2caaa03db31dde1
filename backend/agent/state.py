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

    # conversation memory (accumulates)
    messages: Annotated[list[Message], operator.add]
    started_at: str
    turn_index: int
    # current turn
    redacted_input: str
    pii_entity_types: list[str]
    reply: str
    model_id: str
    escalate: bool
    escalation_reasons: list[str]
    safety_triggers: list[dict[str, Any]]
    disposition: str | None
    rule_ids: list[str]
    evidence: list[dict[str, Any]]
    latencies_ms: dict[str, float]
    audit_event_id: int
