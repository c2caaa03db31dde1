"""Routers between nodes."""

from __future__ import annotations

from typing import Literal

from backend.agent.state import TriageState


def route_after_reply(state: TriageState) -> Literal["escalate", "record_turn"]:
    """Escalated turns go through the clinician queue before being recorded."""
    return "escalate" if state.get("escalate") else "record_turn"


def route_after_record(state: TriageState) -> Literal["await_clinician", "__end__"]:
    """While an escalation is open, the conversation waits for the clinician."""
    return "await_clinician" if state.get("open_escalation_id") else "__end__"
