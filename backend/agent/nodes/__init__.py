"""Graph nodes, one small module per stage of a turn."""

from backend.agent.nodes.clinician import await_clinician
from backend.agent.nodes.escalate import escalate
from backend.agent.nodes.intake import guard_input, redact_input
from backend.agent.nodes.record import record_turn
from backend.agent.nodes.reply import draft_reply, guard_output
from backend.agent.nodes.triage import assess

__all__ = [
    "assess",
    "await_clinician",
    "draft_reply",
    "escalate",
    "guard_input",
    "guard_output",
    "record_turn",
    "redact_input",
]
