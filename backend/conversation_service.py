"""Run one patient turn through the graph and keep the conversation row in step."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any, cast

from langchain_core.runnables import RunnableConfig
from langgraph.graph.state import CompiledStateGraph

from audit import AuditStore
from backend.agent import Message, TriageContext, TriageState
from backend.db import ConversationRepository
from backend.llm import ChatModel
from backend.metrics import TriageMetrics
from clinical_policies import PolicyBundle
from safety import PiiRedactor


class ConversationNotFoundError(LookupError):
    """No conversation with that id."""


class ConversationService:
    """The only entry point the HTTP layer uses to run turns and read conversations."""

    def __init__(
        self,
        graph: CompiledStateGraph[Any, Any, Any, Any],
        conversations: ConversationRepository,
        bundle: PolicyBundle,
        redactor: PiiRedactor,
        chat_model: ChatModel,
        audit_store: AuditStore,
        metrics: TriageMetrics,
    ) -> None:
        self._graph = graph
        self._conversations = conversations
        self._bundle = bundle
        self._redactor = redactor
        self._chat_model = chat_model
        self._audit = audit_store
        self._metrics = metrics

    @staticmethod
    def _config(conversation_id: str) -> RunnableConfig:
        return {"configurable": {"thread_id": conversation_id}}

    def start(self, owner_id: str | None = None) -> str:
        """Create a conversation and return its id."""
        return self._conversations.create(owner_id).id

    def _require(self, conversation_id: str) -> None:
        if self._conversations.get(conversation_id) is None:
            raise ConversationNotFoundError(conversation_id)

    def post_message(self, conversation_id: str, text: str) -> TriageState:
        """Run one turn; returns the final state of the turn (redacted texts, reply, flags).

        Raises:
            ConversationNotFoundError: unknown conversation.
            Exception: anything that prevented the audit record; the reply is then not returned.
        """
        self._require(conversation_id)
        context = TriageContext(
            conversation_id=conversation_id,
            patient_text=text,
            bundle=self._bundle,
            redactor=self._redactor,
            chat_model=self._chat_model,
            audit_store=self._audit,
        )
        turn_input = {"started_at": datetime.now(UTC).isoformat()}
        started = time.perf_counter()
        try:
            result = self._graph.invoke(turn_input, self._config(conversation_id), context=context)
        except Exception:
            self._metrics.turn_failures.inc()
            raise
        state = cast(TriageState, result)
        self._metrics.observe_turn(
            seconds=time.perf_counter() - started,
            latencies_ms=state.get("latencies_ms", {}),
            escalation_reasons=state.get("escalation_reasons", []),
            disposition=state.get("disposition"),
            triggers=state.get("safety_triggers", []),
        )
        self._conversations.record_turn(conversation_id, "escalated" if state.get("escalate") else "open")
        return state

    def messages(self, conversation_id: str) -> list[Message]:
        """The conversation's redacted messages, oldest first."""
        self._require(conversation_id)
        snapshot = self._graph.get_state(self._config(conversation_id))
        messages: list[Message] = snapshot.values.get("messages", [])
        return messages

    def status(self, conversation_id: str) -> str:
        """Conversation status (open / escalated)."""
        row = self._conversations.get(conversation_id)
        if row is None:
            raise ConversationNotFoundError(conversation_id)
        return row.status
