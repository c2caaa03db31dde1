"""A scripted chat model for tests and offline demos; part of the codebase, not improvised per test."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from backend.llm.base import ChatMessage, Completion, ModelError
from backend.llm.structured import parse_json_object

Script = Callable[[list[ChatMessage]], str]


class FakeChatModel:
    """Answers from a list of replies (cycled) or a function of the messages.

    A reply that is an exception instance is raised instead, to exercise fail-closed paths.
    """

    def __init__(self, replies: Iterable[str | Exception] | Script = ("Thank you for telling me.",)) -> None:
        self._script: Script | None = replies if callable(replies) else None
        self._replies: list[str | Exception] = [] if callable(replies) else list(replies)
        self._index = 0
        self.calls: list[list[ChatMessage]] = []

    @property
    def model_id(self) -> str:
        """Identifier stored with every audit row."""
        return "fake:scripted"

    def ready(self) -> bool:
        """Always ready."""
        return True

    def complete(self, messages: list[ChatMessage], *, max_new_tokens: int | None = None) -> Completion:
        """Return the next scripted reply (or raise it when it is an exception)."""
        self.calls.append(list(messages))
        if self._script is not None:
            return Completion(self._script(messages), self.model_id, 0.0, 0)
        reply = self._replies[self._index % len(self._replies)]
        self._index += 1
        if isinstance(reply, Exception):
            raise ModelError(str(reply)) from reply
        return Completion(reply, self.model_id, 0.0, len(reply.split()))

    def complete_json(
        self, messages: list[ChatMessage], schema: dict[str, Any], *, name: str
    ) -> dict[str, Any]:
        """Parse the next scripted reply as JSON and validate it, like a real back end."""
        return parse_json_object(self.complete(messages).text, schema)
