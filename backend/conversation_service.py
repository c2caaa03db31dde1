"""Run patient turns and clinician replies through the graph; keep the conversation row in step."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, cast

from langchain_core.runnables import RunnableConfig
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import Command

from audit import Actor, AuditEvent
from backend.agent import AgentComponents, ClinicianReply, Message, TriageContext, TriageState
from backend.db import ConversationRepository
from backend.escalation import EscalationConflictError
from backend.metrics import TriageMetrics
from safety import restore


class ConversationNotFoundError(LookupError):
    """No conversation with that id."""


class NotAwaitingClinicianError(RuntimeError):
    """The conversation is not paused for a clinician (nothing to resume)."""


class ConversationService:
    """The only entry point the HTTP layer uses to run turns and read conversations."""

    def __init__(
        self,
        graph: CompiledStateGraph[Any, Any, Any, Any],
        conversations: ConversationRepository,
        components: AgentComponents,
        metrics: TriageMetrics,
    ) -> None:
        self._graph = graph
        self._conversations = conversations
        self._components = components
        self._metrics = metrics

    @staticmethod
    def _config(conversation_id: str) -> RunnableConfig:
        return {"configurable": {"thread_id": conversation_id}}

    def _context(self, conversation_id: str, text: str, actor_id: str | None) -> TriageContext:
        return TriageContext(conversation_id, text, self._components, actor_id)

    def start(self, owner_id: str | None = None) -> str:
        """Create a conversation and return its id."""
        return self._conversations.create(owner_id).id

    def _require(self, conversation_id: str) -> str:
        row = self._conversations.get(conversation_id)
        if row is None:
            raise ConversationNotFoundError(conversation_id)
        return row.status

    def stream_turn(
        self, conversation_id: str, text: str, actor_id: str | None = None
    ) -> Iterator[tuple[str, Any]]:
        """Run one patient turn as a stream of events.

        Yields ``("progress", node)`` as each graph step finishes, then ``("state", final_state)``.
        The final state exists only after the audit record is written.

        Raises:
            ConversationNotFoundError: unknown conversation (before anything is yielded).
            Exception: anything that prevented the audit record; no state is yielded then.
        """
        status = self._require(conversation_id)
        turn_input = {"started_at": datetime.now(UTC).isoformat()}
        config = self._config(conversation_id)
        context = self._context(conversation_id, text, actor_id)
        started = time.perf_counter()
        try:
            for update in self._graph.stream(turn_input, config, context=context, stream_mode="updates"):
                for node in update:
                    if not node.startswith("__"):
                        yield "progress", node
            state = cast(TriageState, self._graph.get_state(config).values)
        except Exception:
            self._metrics.turn_failures.inc()
            raise
        self._metrics.observe_turn(
            seconds=time.perf_counter() - started,
            latencies_ms=state.get("latencies_ms", {}),
            escalation_reasons=state.get("escalation_reasons", []),
            disposition=state.get("disposition"),
            triggers=state.get("safety_triggers", []),
        )
        escalated = status == "escalated" or bool(state.get("escalate"))  # clinicians keep access
        self._conversations.record_turn(conversation_id, "escalated" if escalated else "open")
        yield "state", state

    def post_message(self, conversation_id: str, text: str, actor_id: str | None = None) -> TriageState:
        """Run one patient turn; returns the turn's final state (redacted texts, reply, flags).

        Raises:
            ConversationNotFoundError: unknown conversation.
            Exception: anything that prevented the audit record; the reply is then not returned.
        """
        final: TriageState | None = None
        for kind, payload in self.stream_turn(conversation_id, text, actor_id):
            if kind == "state":
                final = payload
        if final is None:  # stream_turn always ends with the state or raises
            raise RuntimeError("turn ended without a final state")
        return final

    def clinician_reply(
        self, escalation_id: str, clinician_id: str, text: str, *, resolve: bool, note: str | None = None
    ) -> list[Message]:
        """Deliver a clinician's message into the paused conversation and resume the graph.

        Raises:
            KeyError: unknown escalation.
            EscalationConflictError: not claimed by this clinician, or already resolved.
            NotAwaitingClinicianError: the conversation is not paused for a clinician.
        """
        queue = self._components.escalations
        item = queue.get(escalation_id)
        if item is None:
            raise KeyError(escalation_id)
        if item.status != "claimed" or item.claimed_by != clinician_id:
            raise EscalationConflictError("claim the escalation before replying")
        config = self._config(item.conversation_id)
        snapshot = self._graph.get_state(config)
        if "await_clinician" not in snapshot.next:
            raise NotAwaitingClinicianError(item.conversation_id)
        answer: ClinicianReply = {"text": text, "clinician_id": clinician_id, "resolved": resolve}
        self._graph.invoke(
            Command(resume=answer), config, context=self._context(item.conversation_id, "", clinician_id)
        )
        if resolve:
            queue.resolve(escalation_id, clinician_id, note)
        return self.messages(item.conversation_id)

    def revealed_messages(self, conversation_id: str, viewer_id: str) -> list[Message]:
        """Messages with pseudonyms replaced by the original values, for an authorised clinician.

        Every such view is itself written to the audit trail (who looked, when; never what).
        """
        self._require(conversation_id)
        values = self._graph.get_state(self._config(conversation_id)).values
        messages: list[Message] = values.get("messages", [])
        sealed = values.get("sealed_pseudonyms")
        bundle = self._components.bundle
        self._components.audit_store.record(
            AuditEvent(
                conversation_id=conversation_id,
                turn_index=max((m["turn"] for m in messages), default=0),
                event_type="phi_access",
                actor=Actor.CLINICIAN,
                actor_id=viewer_id,
                model_id="clinician",
                policy_version=bundle.version,
                policy_sha256=bundle.sha256,
            )
        )
        if not sealed:
            return messages
        pseudonyms = self._components.vault.open(sealed.encode())
        return [{**m, "content": restore(m["content"], pseudonyms)} for m in messages]

    def messages(self, conversation_id: str) -> list[Message]:
        """The conversation's redacted messages, oldest first."""
        self._require(conversation_id)
        snapshot = self._graph.get_state(self._config(conversation_id))
        messages: list[Message] = snapshot.values.get("messages", [])
        return messages

    def status(self, conversation_id: str) -> str:
        """Conversation status (open / escalated / purged); escalated stays so clinicians keep access."""
        return self._require(conversation_id)

    def case_facts(self, conversation_id: str) -> dict[str, Any]:
        """The case facts as checkpointed (identifiers scrubbed, age capped at 90); {} before a turn."""
        self._require(conversation_id)
        facts: dict[str, Any] = self._graph.get_state(self._config(conversation_id)).values.get("facts") or {}
        return facts

    def awaiting_clinician(self, conversation_id: str) -> bool:
        """Whether the conversation is paused for a clinician's reply right now."""
        self._require(conversation_id)
        return "await_clinician" in self._graph.get_state(self._config(conversation_id)).next
