"""The only module that knows backend URLs. The httpx client is injected (MockTransport in tests)."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
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


@dataclass(frozen=True)
class User:
    """The signed-in user."""

    username: str
    role: str


TIMEOUT_MESSAGE = "The triage service took too long to answer. Please try again."
UNREACHABLE_MESSAGE = "The triage service is unreachable. Please try again shortly."


def _raise_for_status(response: httpx.Response) -> None:
    """Turn an error response into an :class:`ApiError` with the backend's message."""
    if response.status_code < 400:
        return
    try:
        detail = response.json().get("detail", response.text)
    except ValueError:
        detail = response.text
    raise ApiError(str(detail) if isinstance(detail, str) else "The request was not accepted.")


class TriageApiClient:
    """Typed wrapper around the backend's HTTP API. After :meth:`login` every request carries the token."""

    def __init__(self, http: httpx.Client) -> None:
        self._http = http
        self.user: User | None = None
        self._user_id: str | None = None

    def login(self, username: str, password: str) -> User:
        """Exchange credentials for a bearer token and use it from now on.

        Raises:
            ApiError: wrong credentials ("wrong username or password") or the backend is unreachable.
        """
        body = self._request("POST", "/auth/token", json={"username": username, "password": password})
        self._http.headers["Authorization"] = f"Bearer {body['access_token']}"
        self.user = User(body["username"], body["role"])
        self._user_id = None
        return self.user

    def logout(self) -> None:
        """Revoke the token (best effort) and forget it."""
        with contextlib.suppress(ApiError):  # the token is dropped locally either way
            self._request("POST", "/auth/logout")
        self._http.headers.pop("Authorization", None)
        self.user = None
        self._user_id = None

    def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            response = self._http.request(method, path, **kwargs)
        except httpx.TimeoutException as exc:
            raise ApiError(TIMEOUT_MESSAGE) from exc
        except httpx.HTTPError as exc:
            raise ApiError(UNREACHABLE_MESSAGE) from exc
        _raise_for_status(response)
        return response

    def _request(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self._send(method, path, **kwargs)
        return None if response.status_code == 204 else response.json()

    def start_conversation(self) -> Conversation:
        """Create a conversation."""
        body = self._request("POST", "/conversations")
        return Conversation(body["id"], body["greeting"], body["disclaimer"])

    def send_message(self, conversation_id: str, text: str) -> Turn:
        """Send one patient message and return the reply."""
        body = self._request("POST", f"/conversations/{conversation_id}/messages", json={"text": text})
        return Turn(body["reply"], body["redacted_input"], body["escalated"], body["disposition"])

    def stream_message(self, conversation_id: str, text: str) -> Iterator[tuple[str, dict[str, Any]]]:
        """Send one patient message; yield the server-sent events ``(event, data)`` as they arrive.

        Events: ``progress`` {step}, ``token`` {text}, ``done`` (the turn), ``error`` {detail}.
        """
        path = f"/conversations/{conversation_id}/messages/stream"
        try:
            with self._http.stream("POST", path, json={"text": text}) as response:
                if response.status_code >= 400:
                    response.read()
                    _raise_for_status(response)
                event = "message"
                for line in response.iter_lines():
                    if line.startswith("event: "):
                        event = line.removeprefix("event: ")
                    elif line.startswith("data: "):
                        yield event, json.loads(line.removeprefix("data: "))
        except httpx.TimeoutException as exc:
            raise ApiError(TIMEOUT_MESSAGE) from exc
        except httpx.HTTPError as exc:
            raise ApiError(UNREACHABLE_MESSAGE) from exc

    def conversation(self, conversation_id: str) -> dict[str, Any]:
        """The conversation with its redacted messages."""
        result: dict[str, Any] = self._request("GET", f"/conversations/{conversation_id}")
        return result

    def audit_events(self, filters: dict[str, Any], limit: int = 50, offset: int = 0) -> dict[str, Any]:
        """One page of audit events matching ``filters`` (``total``, ``items``...)."""
        params = {**filters, "limit": limit, "offset": offset}
        result: dict[str, Any] = self._request("GET", "/audit/events", params=params)
        return result

    def audit_export(self, fmt: str, filters: dict[str, Any]) -> bytes:
        """Every matching audit event as CSV or JSONL bytes."""
        return self._send("GET", "/audit/events/export", params={**filters, "format": fmt}).content

    def audit_stats(self, filters: dict[str, Any]) -> dict[str, Any]:
        """Aggregates: turns, escalations, flags, trigger rates per layer per day."""
        result: dict[str, Any] = self._request("GET", "/audit/stats", params=filters)
        return result

    def audit_verify(self) -> dict[str, Any]:
        """The hash-chain verification report."""
        result: dict[str, Any] = self._request("GET", "/audit/verify")
        return result

    def audit_timeline(self, conversation_id: str) -> list[dict[str, Any]]:
        """Every audit event of one conversation, in order."""
        result: list[dict[str, Any]] = self._request("GET", f"/audit/conversations/{conversation_id}")
        return result

    def my_id(self) -> str:
        """The signed-in user's id (what ``claimed_by`` and ``annotator_id`` hold); cached."""
        if self._user_id is None:
            self._user_id = str(self._request("GET", "/auth/me")["id"])
        return self._user_id

    def clinician_queue(self) -> list[dict[str, Any]]:
        """Unresolved escalations, most urgent first, then longest waiting."""
        result: list[dict[str, Any]] = self._request("GET", "/clinician/queue")
        return result

    def claim(self, escalation_id: str) -> dict[str, Any]:
        """Claim an escalation for the signed-in clinician."""
        result: dict[str, Any] = self._request("POST", f"/clinician/escalations/{escalation_id}/claim")
        return result

    def clinician_reply(
        self, escalation_id: str, text: str, *, resolve: bool, note: str | None = None
    ) -> list[dict[str, Any]]:
        """Send a message to the patient (resumes their conversation); returns the messages."""
        body = {"text": text, "resolve": resolve, "note": note or None}
        result: list[dict[str, Any]] = self._request(
            "POST", f"/clinician/escalations/{escalation_id}/reply", json=body
        )
        return result

    def revealed_messages(self, conversation_id: str) -> list[dict[str, Any]]:
        """Messages with original identifiers (claiming clinician only; every view is audited)."""
        result: list[dict[str, Any]] = self._request(
            "GET", f"/clinician/conversations/{conversation_id}/revealed"
        )
        return result

    def flag(self, event_uuid: str, kind: str, note: str | None = None) -> dict[str, Any]:
        """Flag an audit event as ``false_positive``, ``unsafe_answer`` or ``other``."""
        body = {"event_uuid": event_uuid, "kind": kind, "note": note or None}
        result: dict[str, Any] = self._request("POST", "/flags", json=body)
        return result

    def flags(self, kind: str | None = None, limit: int = 500, offset: int = 0) -> dict[str, Any]:
        """One page of clinician flags (``total``, ``items``)."""
        params: dict[str, Any] = {"limit": limit, "offset": offset}
        if kind:
            params["kind"] = kind
        result: dict[str, Any] = self._request("GET", "/flags", params=params)
        return result

    def rate(
        self, conversation_id: str, turn_index: int, response_b: str, preferred: str, rationale: str = ""
    ) -> dict[str, Any]:
        """Prefer the recorded answer of a turn (``a``), an alternative (``b``) or neither (``tie``)."""
        body = {
            "conversation_id": conversation_id,
            "turn_index": turn_index,
            "response_b": response_b,
            "preferred": preferred,
            "rationale": rationale,
        }
        result: dict[str, Any] = self._request("POST", "/clinician/ratings", json=body)
        return result

    def ratings(self, conversation_id: str | None = None, limit: int = 100) -> dict[str, Any]:
        """Ratings (clinicians: their own), ``total`` and ``items``."""
        params: dict[str, Any] = {"limit": limit}
        if conversation_id:
            params["conversation_id"] = conversation_id
        result: dict[str, Any] = self._request("GET", "/clinician/ratings", params=params)
        return result

    def escalation_timings(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Escalations opened in a window (``since``/``until``) with time to claim and to resolve."""
        result: list[dict[str, Any]] = self._request("GET", "/monitoring/escalations", params=params)
        return result


def default_client(backend_url: str, timeout_s: float) -> TriageApiClient:
    """Client for a real backend."""
    return TriageApiClient(httpx.Client(base_url=backend_url, timeout=timeout_s))
