"""The triage graph: wiring only.

redact_input → guard_input → assess → draft_reply → guard_output → [escalate] → record_turn
→ [await_clinician (interrupt) ↺] → END
"""

from __future__ import annotations

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph

from backend.agent.context import TriageContext
from backend.agent.nodes import (
    assess,
    await_clinician,
    draft_reply,
    escalate,
    guard_input,
    guard_output,
    record_turn,
    redact_input,
)
from backend.agent.routing import route_after_record, route_after_reply
from backend.agent.state import TriageState, TurnInput


def build_graph(
    checkpointer: BaseCheckpointSaver[str] | None = None,
) -> CompiledStateGraph[TriageState, TriageContext, TurnInput, TriageState]:
    """Compile the triage graph with ``checkpointer`` (conversation memory and clinician pauses)."""
    builder = StateGraph(TriageState, context_schema=TriageContext, input_schema=TurnInput)
    for node in (redact_input, guard_input, assess, draft_reply, guard_output, escalate, record_turn):
        builder.add_node(node)
    builder.add_node(await_clinician)
    builder.add_edge(START, "redact_input")
    builder.add_edge("redact_input", "guard_input")
    builder.add_edge("guard_input", "assess")
    builder.add_edge("assess", "draft_reply")
    builder.add_edge("draft_reply", "guard_output")
    builder.add_conditional_edges("guard_output", route_after_reply, ["escalate", "record_turn"])
    builder.add_edge("escalate", "record_turn")
    builder.add_conditional_edges("record_turn", route_after_record, ["await_clinician", END])
    builder.add_conditional_edges("await_clinician", route_after_record, ["await_clinician", END])
    return builder.compile(checkpointer=checkpointer)
