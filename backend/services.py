"""Build every heavy object once (composition root) and close them on shutdown."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Engine, text

from audit import AuditStore, make_engine, make_session_factory
from backend.agent import build_graph, open_checkpointer
from backend.components import PrebuiltComponents, build_components
from backend.conversation_service import ConversationService
from backend.db import ConversationRepository
from backend.escalation import EscalationQueue
from backend.llm import ChatModel, build_chat_model
from backend.metrics import TriageMetrics
from backend.settings import Settings
from clinical_policies import PolicyBundle, load_policy_bundle
from safety import PiiConfig, PiiRedactor


@dataclass(frozen=True)
class Services:
    """What request handlers may use, handed out through FastAPI dependencies."""

    settings: Settings
    engine: Engine
    bundle: PolicyBundle
    chat_model: ChatModel
    audit_store: AuditStore
    conversations: ConversationService
    metrics: TriageMetrics
    escalations: EscalationQueue

    def database_ready(self) -> bool:
        """True when the database answers a trivial query."""
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            return True
        except Exception:
            return False


@contextmanager
def build_services(
    settings: Settings,
    *,
    chat_model: ChatModel | None = None,
    redactor: PiiRedactor | None = None,
    prebuilt: PrebuiltComponents | None = None,
) -> Iterator[Services]:
    """Create services from settings; tests may pass ready-made model and redactor."""
    bundle = load_policy_bundle(settings.policy_dir)
    engine = make_engine(settings.database_url)
    sessions = make_session_factory(engine)
    redactor = redactor or PiiRedactor(PiiConfig())
    model = chat_model or build_chat_model(settings)
    audit_store = AuditStore(sessions, redactor)
    escalations = EscalationQueue(sessions)
    components = build_components(
        settings, bundle, model, redactor, audit_store, escalations, prebuilt=prebuilt
    )
    try:
        with open_checkpointer(settings.resolved_checkpoint_url) as checkpointer:
            graph = build_graph(checkpointer)
            metrics = TriageMetrics()
            conversations = ConversationService(graph, ConversationRepository(sessions), components, metrics)
            yield Services(settings, engine, bundle, model, audit_store, conversations, metrics, escalations)
    finally:
        engine.dispose()
