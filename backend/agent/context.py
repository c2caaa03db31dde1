"""Per-run dependencies handed to nodes through LangGraph's ``Runtime[TriageContext]``."""

from __future__ import annotations

from dataclasses import dataclass

from audit import AuditStore
from backend.escalation import EscalationQueue
from backend.llm import ChatModel
from backend.triage import TriageEngine
from clinical_policies import PolicyBundle
from safety import ConstitutionReviser, FallbackResponder, PiiRedactor, PseudonymVault, SafetyPipeline


@dataclass(frozen=True)
class AgentComponents:
    """The long-lived services every turn uses (built once at start-up)."""

    bundle: PolicyBundle
    redactor: PiiRedactor
    chat_model: ChatModel
    engine: TriageEngine
    safety: SafetyPipeline
    reviser: ConstitutionReviser
    fallback: FallbackResponder
    audit_store: AuditStore
    escalations: EscalationQueue
    vault: PseudonymVault
    history_turns: int = 6  # how many previous messages the model sees
    reply_max_new_tokens: int = 60  # the model writes one or two sentences around approved text


@dataclass(frozen=True)
class TriageContext:
    """Components plus what belongs to this run only (never checkpointed)."""

    conversation_id: str
    patient_text: str
    components: AgentComponents
    actor_id: str | None = None
