"""The chat-model protocol every back end implements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol, TypedDict


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

    def ready(self) -> bool:
        """Cheap readiness probe (weights loaded / server reachable)."""
        ...
