"""Per-run dependencies handed to nodes through LangGraph's ``Runtime[TriageContext]``."""

from __future__ import annotations

from dataclasses import dataclass

from audit import AuditStore
from backend.llm import ChatModel
from clinical_policies import PolicyBundle
from safety import PiiRedactor


@dataclass(frozen=True)
class TriageContext:
    """Services plus the raw text of this turn (never checkpointed)."""

    conversation_id: str
    patient_text: str
    bundle: PolicyBundle
    redactor: PiiRedactor
    chat_model: ChatModel
    audit_store: AuditStore
    history_turns: int = 6  # how many previous messages the model sees
