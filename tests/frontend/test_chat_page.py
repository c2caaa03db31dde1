"""Streamlit AppTest of the patient chat, against the real backend app (fake model) and a broken backend."""

from pathlib import Path

import httpx
import pytest
from auth_helpers import PASSWORD, create_user
from fastapi.testclient import TestClient
from streamlit.testing.v1 import AppTest

from frontend.api_client import ApiError, TriageApiClient

APP = str(Path(__file__).resolve().parents[2] / "frontend" / "streamlit_app.py")


def test_patient_signs_in_and_chats_with_backend(backend: TestClient):
    create_user(backend, "patient", "pat")
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["api_client"] = TriageApiClient(backend)
    at.run()
    assert not at.exception and not at.chat_input  # the sign-in form comes first
    at.text_input[0].input("pat")
    at.text_input[1].input("wrong password")
    at.button[0].click().run()
    assert any("wrong username or password" in w.value for w in at.warning)
    at.text_input[1].input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    assert any("emergency" in e.value.lower() for e in at.error)
    at.chat_input[0].set_value("My name is John Smith and my knee hurts").run()
    assert not at.exception
    texts = [m.markdown[0].value for m in at.chat_message]
    assert any(t.startswith("How long has it hurt?") for t in texts)
    at.run()  # the next rerun shows the history as the backend stored it: redacted
    texts = [m.markdown[0].value for m in at.chat_message]
    assert any("[PERSON_1]" in t for t in texts)
    assert not any("John Smith" in t for t in texts)


def test_when_backend_unreachable_then_clear_message_and_text_kept():
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/auth/token":
            return httpx.Response(200, json={"access_token": "t", "username": "pat", "role": "patient"})
        if request.method == "POST" and request.url.path == "/conversations":
            return httpx.Response(
                201, json={"id": "c1", "greeting": "Hello", "disclaimer": "Not a diagnosis"}
            )
        return httpx.Response(503, json={"detail": "Your message could not be processed safely right now."})

    client = TriageApiClient(
        httpx.Client(base_url="http://backend.test", transport=httpx.MockTransport(handler))
    )
    client.login("pat", "any password")
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["api_client"] = client
    at.run()
    at.chat_input[0].set_value("chest hurts").run()
    assert not at.exception
    assert any("could not be processed" in w.value for w in at.warning)
    assert any(t.value == "chest hurts" for t in at.text_area)


def test_api_client_turns_transport_errors_into_api_error():
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    client = TriageApiClient(httpx.Client(base_url="http://x", transport=httpx.MockTransport(handler)))
    with pytest.raises(ApiError, match="unreachable"):
        client.start_conversation()


def test_api_client_reads_server_sent_events_and_errors():
    body = (
        'event: progress\ndata: {"step": "assess"}\n\n'
        'event: token\ndata: {"text": "Call "}\n\n'
        'event: token\ndata: {"text": "now."}\n\n'
        'event: done\ndata: {"reply": "Call now."}\n\n'
    )

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/stream") and b"bad" not in request.content:
            return httpx.Response(200, text=body, headers={"content-type": "text/event-stream"})
        return httpx.Response(429, json={"detail": "Too many messages; wait 30 s."})

    client = TriageApiClient(httpx.Client(base_url="http://b", transport=httpx.MockTransport(handler)))
    events = list(client.stream_message("c1", "hello"))
    assert events[0] == ("progress", {"step": "assess"})
    assert "".join(d["text"] for e, d in events if e == "token") == "Call now."
    with pytest.raises(ApiError, match="Too many messages"):
        list(client.stream_message("c1", "bad"))
