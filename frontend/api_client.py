"""The only module that knows backend URLs. The httpx client is injected (MockTransport in tests)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx


class ApiError(RuntimeError):
    """The backend could not be reached or refused the request; ``str()`` is safe to show."""


@dataclass(frozen=True)
class Conversation:
    """A new conversation."""

    id: str
    greeting: str
    disclaimer: str


@dataclass(frozen=True)
class Turn:
    """The assistant's answer to one message."""

    reply: str
    redacted_input: str
    escalated: bool
    disposition: str | None


class TriageApiClient:
    """Typed wrapper around the backend's HTTP API."""

    def __init__(self, http: httpx.Client) -> None:
        self._http = http

    def _request(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            response = self._http.request(method, path, **kwargs)
        except httpx.TimeoutException as exc:
            raise ApiError("The triage service took too long to answer. Please try again.") from exc
        except httpx.HTTPError as exc:
            raise ApiError("The triage service is unreachable. Please try again shortly.") from exc
        if response.status_code >= 400:
            try:
                detail = response.json().get("detail", response.text)
            except ValueError:
                detail = response.text
            raise ApiError(str(detail) if isinstance(detail, str) else "The request was not accepted.")
        return response.json()

    def start_conversation(self) -> Conversation:
        """Create a conversation."""
        body = self._request("POST", "/conversations")
        return Conversation(body["id"], body["greeting"], body["disclaimer"])

    def send_message(self, conversation_id: str, text: str) -> Turn:
        """Send one patient message and return the reply."""
        body = self._request("POST", f"/conversations/{conversation_id}/messages", json={"text": text})
        return Turn(body["reply"], body["redacted_input"], body["escalated"], body["disposition"])

    def conversation(self, conversation_id: str) -> dict[str, Any]:
        """The conversation with its redacted messages."""
        result: dict[str, Any] = self._request("GET", f"/conversations/{conversation_id}")
        return result


def default_client(backend_url: str, timeout_s: float) -> TriageApiClient:
    """Client for a real backend."""
    return TriageApiClient(httpx.Client(base_url=backend_url, timeout=timeout_s))
