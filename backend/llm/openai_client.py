"""Chat model behind an OpenAI-compatible HTTP API (a vLLM server in production)."""

from __future__ import annotations

import time
from typing import Any

import httpx

from backend.llm.base import ChatMessage, Completion, ModelError
from backend.llm.structured import parse_json_object


class OpenAICompatibleChatModel:
    """Calls ``POST {base_url}/chat/completions``.

    Args:
        client: an ``httpx.Client`` whose ``base_url`` is the server's ``/v1`` root (inject a
            ``MockTransport`` in tests).
        model: served model name; with vLLM LoRA serving, the adapter's name selects the adapter.
        timeout_s: per-request timeout; exceeding it raises :class:`ModelError`.
    """

    def __init__(
        self,
        client: httpx.Client,
        model: str,
        *,
        timeout_s: float = 60.0,
        max_new_tokens: int = 120,
        temperature: float = 0.0,
    ) -> None:
        self._client = client
        self._model = model
        self._timeout_s = timeout_s
        self._max_new_tokens = max_new_tokens
        self._temperature = temperature

    @property
    def model_id(self) -> str:
        """Identifier stored with every audit row."""
        return f"openai:{self._model}"

    def ready(self) -> bool:
        """True when the server lists the configured model."""
        try:
            response = self._client.get("models", timeout=min(self._timeout_s, 5.0))
            response.raise_for_status()
            return any(item.get("id") == self._model for item in response.json().get("data", []))
        except (httpx.HTTPError, ValueError):
            return False

    def _post(self, payload: dict[str, Any]) -> dict[str, Any]:
        try:
            response = self._client.post("chat/completions", json=payload, timeout=self._timeout_s)
            response.raise_for_status()
            body: dict[str, Any] = response.json()
        except httpx.TimeoutException as exc:
            raise ModelError(f"model server timed out after {self._timeout_s:.0f} s") from exc
        except httpx.HTTPStatusError as exc:
            raise ModelError(f"model server answered HTTP {exc.response.status_code}") from exc
        except (httpx.HTTPError, ValueError) as exc:
            raise ModelError(f"model server unreachable or invalid: {type(exc).__name__}") from exc
        return body

    def complete(self, messages: list[ChatMessage], *, max_new_tokens: int | None = None) -> Completion:
        """Return the assistant reply; any transport or format problem raises :class:`ModelError`."""
        started = time.perf_counter()
        body = self._post(
            {
                "model": self._model,
                "messages": list(messages),
                "max_tokens": max_new_tokens or self._max_new_tokens,
                "temperature": self._temperature,
            }
        )
        try:
            text = str(body["choices"][0]["message"]["content"] or "").strip()
            tokens = int(body.get("usage", {}).get("completion_tokens", 0))
        except (KeyError, IndexError, TypeError) as exc:
            raise ModelError("model server response has no choices[0].message.content") from exc
        if not text:
            raise ModelError("model returned an empty reply")
        latency = round((time.perf_counter() - started) * 1000, 1)
        return Completion(text, self.model_id, latency, tokens)

    def complete_json(
        self, messages: list[ChatMessage], schema: dict[str, Any], *, name: str
    ) -> dict[str, Any]:
        """Constrained decoding via ``response_format`` (JSON schema), which current vLLM enforces.

        The older ``guided_json`` extra parameter is silently ignored by current vLLM, so it is not used.
        """
        body = self._post(
            {
                "model": self._model,
                "messages": list(messages),
                "max_tokens": self._max_new_tokens,
                "temperature": 0.0,
                "response_format": {
                    "type": "json_schema",
                    "json_schema": {"name": name, "schema": schema, "strict": True},
                },
            }
        )
        try:
            text = str(body["choices"][0]["message"]["content"] or "")
        except (KeyError, IndexError, TypeError) as exc:
            raise ModelError("model server response has no choices[0].message.content") from exc
        return parse_json_object(text, schema)
