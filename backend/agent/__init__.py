"""LangGraph triage agent."""

from backend.agent.checkpointer import open_checkpointer
from backend.agent.context import AgentComponents, TriageContext
from backend.agent.graph import build_graph
from backend.agent.nodes.clinician import ClinicianReply
from backend.agent.state import Message, TriageState

__all__ = [
    "AgentComponents",
    "ClinicianReply",
    "Message",
    "TriageContext",
    "TriageState",
    "build_graph",
    "open_checkpointer",
]
