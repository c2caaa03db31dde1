"""The chat-model protocol every back end implements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Protocol, TypedDict


class ChatMessage(TypedDict):
    """One message in OpenAI chat format."""

    role: Literal["system", "user", "assistant"]
    content: str


@dataclass(frozen=True)
class Completion:
    """Text produced by a model, with what is needed for the audit record."""

    text: str
    model_id: str
    latency_ms: float
    completion_tokens: int


class ModelError(RuntimeError):
    """The model failed, timed out, or answered with nothing usable. Callers fail closed."""


class ChatModel(Protocol):
    """Generate one assistant message for a conversation."""

    @property
    def model_id(self) -> str:
        """Identifier stored with every audit row (name, plus adapter if any)."""
        ...

    def complete(self, messages: list[ChatMessage], *, max_new_tokens: int | None = None) -> Completion:
        """Return the assistant reply.

        Raises:
            ModelError: on any failure, including timeouts and empty output.
        """
        ...

    def complete_json(
        self, messages: list[ChatMessage], schema: dict[str, Any], *, name: str
    ) -> dict[str, Any]:
        """Return a JSON object that validates against ``schema``.

        Back ends that support constrained decoding (vLLM) enforce the schema while generating;
        others are instructed and validated. Raises :class:`ModelError` when no valid object comes back.
        """
        ...

    def ready(self) -> bool:
        """Cheap readiness probe (weights loaded / server reachable)."""
        ...
