from pathlib import Path

import pytest
from auth_helpers import log_in
from fastapi.testclient import TestClient
from sqlalchemy.exc import OperationalError

from audit import AuditStore
from backend.llm import FakeChatModel

RAW = "I'm John Smith, call 617-555-0199 or john.smith@example.com. I have a headache."


@pytest.fixture
def make_client(make_app_client):
    """Like ``make_app_client``, but signed in as a new patient."""

    def factory(database_url: str, model: FakeChatModel | None = None, **overrides) -> TestClient:
        return log_in(make_app_client(database_url, model, **overrides), "patient")

    return factory


def start(client: TestClient) -> str:
    response = client.post("/conversations")
    assert response.status_code == 201
    body = response.json()
    assert body["greeting"] and body["disclaimer"]
    return body["id"]


def test_post_message_returns_reply_and_redacted_history(make_client, database_url: str):
    client = make_client(database_url, FakeChatModel(["How long have you had it?"]))
    cid = start(client)
    turn = client.post(f"/conversations/{cid}/messages", json={"text": RAW}).json()
    # the model's sentence comes first, then the protocol's follow-up question, verbatim
    assert turn["reply"].startswith("How long have you had it?")
    assert turn["follow_up_question"] and turn["reply"].endswith(turn["follow_up_question"])
    assert turn["disposition"] and not turn["triage_complete"]
    assert turn["turn_index"] == 0 and not turn["escalated"]
    assert "John Smith" not in turn["redacted_input"] and "[PERSON_1]" in turn["redacted_input"]
    second = client.post(f"/conversations/{cid}/messages", json={"text": "two days"}).json()
    assert second["turn_index"] == 1
    conversation = client.get(f"/conversations/{cid}").json()
    assert [m["role"] for m in conversation["messages"]] == ["patient", "assistant"] * 2
    assert "617-555-0199" not in str(conversation)


def test_model_sees_only_redacted_text(make_client, sqlite_url: str):
    model = FakeChatModel(["ok"])
    client = make_client(sqlite_url, model)
    cid = start(client)
    client.post(f"/conversations/{cid}/messages", json={"text": RAW})
    sent = str(model.calls[0])
    assert "John Smith" not in sent and "john.smith@example.com" not in sent
    assert model.calls[0][0]["role"] == "system"


def test_when_model_fails_then_safe_fallback_and_escalation(make_client, sqlite_url: str, policy_bundle):
    client = make_client(sqlite_url, FakeChatModel([RuntimeError("server down")]))
    cid = start(client)
    response = client.post(f"/conversations/{cid}/messages", json={"text": "I have a headache"})
    assert response.status_code == 200
    turn = response.json()
    # the approved protocol text still answers the patient; a clinician is told to look
    assert turn["follow_up_question"] and turn["follow_up_question"] in turn["reply"]
    assert turn["reply"].endswith(policy_bundle.messages.escalated_to_clinician)
    assert turn["escalated"] and turn["escalation_reasons"] == ["model_error"]
    assert client.get(f"/conversations/{cid}").json()["status"] == "escalated"


def test_when_audit_write_fails_then_503_and_turn_not_kept(make_client, sqlite_url, monkeypatch):
    client = make_client(sqlite_url, FakeChatModel(["a reply nobody may see"]))
    cid = start(client)

    def broken(self, event):
        raise OperationalError("INSERT", {}, Exception("database is down"))

    monkeypatch.setattr(AuditStore, "record", broken)
    response = client.post(f"/conversations/{cid}/messages", json={"text": "hello"})
    assert response.status_code == 503
    assert "a reply nobody may see" not in response.text
    assert "Traceback" not in response.text
    assert client.get(f"/conversations/{cid}").json()["messages"] == []


def test_unknown_conversation_is_404(make_client, sqlite_url):
    client = make_client(sqlite_url)
    assert client.post("/conversations/nope/messages", json={"text": "hi"}).status_code == 404
    assert client.get("/conversations/nope").status_code == 404


@pytest.mark.parametrize(
    ("payload", "status"),
    [({"text": ""}, 422), ({"text": "   "}, 422), ({}, 422), ({"text": "x" * 5000}, 413)],
)
def test_bad_input_gets_clear_error(make_client, sqlite_url, payload, status):
    client = make_client(sqlite_url, max_message_chars=4000)
    cid = start(client)
    response = client.post(f"/conversations/{cid}/messages", json=payload)
    assert response.status_code == status
    assert response.json()["detail"]


def test_checkpoint_store_never_holds_raw_pii(make_client, sqlite_url, tmp_path: Path):
    client = make_client(sqlite_url, FakeChatModel(["noted"]))
    cid = start(client)
    client.post(f"/conversations/{cid}/messages", json={"text": RAW})
    for path in tmp_path.glob("*.sqlite*"):
        data = path.read_bytes()
        assert b"John Smith" not in data and b"617-555-0199" not in data, path
    assert (tmp_path / "ckpt.sqlite").exists()


def test_health_and_ready(make_client, database_url, policy_bundle):
    client = make_client(database_url)
    assert client.get("/health").json() == {"status": "ok"}
    ready = client.get("/ready").json()
    assert ready["ready"] and ready["database"] and ready["model"]
    assert ready["policy_version"] == policy_bundle.version
    assert ready["policy_sha256"] == policy_bundle.sha256


def test_openapi_documents_the_routes(make_client, sqlite_url):
    schema = make_client(sqlite_url).get("/openapi.json").json()
    assert {"/conversations", "/conversations/{conversation_id}/messages", "/health", "/ready"} <= set(
        schema["paths"]
    )


def test_metrics_count_turns_escalations_and_latency(make_client, sqlite_url):
    client = make_client(sqlite_url, FakeChatModel(["fine", RuntimeError("down")]))
    for _ in range(2):
        client.post(f"/conversations/{start(client)}/messages", json={"text": "I have a headache"})
    body = client.get("/metrics").text
    assert "triage_turns_total 2.0" in body
    assert 'triage_escalations_total{reason="model_error"} 1.0' in body
    assert 'triage_safety_triggers_total{action="escalate",category="model_error",layer="model"} 1.0' in body
    assert 'triage_node_latency_seconds_count{node="draft_reply"} 2.0' in body


def test_model_sentence_with_invented_facts_is_dropped_and_audited(make_client, sqlite_url):
    client = make_client(sqlite_url, FakeChatModel(["The patient's age is 21 and it is nothing serious."]))
    cid = start(client)
    turn = client.post(f"/conversations/{cid}/messages", json={"text": "I have a headache"}).json()
    assert "21" not in turn["reply"]
    assert turn["reply"] == turn["follow_up_question"]  # the approved text alone
