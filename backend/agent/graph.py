"""The triage graph: wiring only."""

from __future__ import annotations

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph

from backend.agent.context import TriageContext
from backend.agent.nodes import draft_reply, record_turn, redact_input
from backend.agent.state import TriageState, TurnInput


def build_graph(
    checkpointer: BaseCheckpointSaver[str] | None = None,
) -> CompiledStateGraph[TriageState, TriageContext, TurnInput, TriageState]:
    """redact_input -> draft_reply -> record_turn."""
    builder = StateGraph(TriageState, context_schema=TriageContext, input_schema=TurnInput)
    builder.add_node(redact_input)
    builder.add_node(draft_reply)
    builder.add_node(record_turn)
    builder.add_edge(START, "redact_input")
    builder.add_edge("redact_input", "draft_reply")
    builder.add_edge("draft_reply", "record_turn")
    builder.add_edge("record_turn", END)
    return builder.compile(checkpointer=checkpointer)
