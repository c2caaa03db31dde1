"""Server-sent events: progress per graph step, then the checked and recorded reply, token by token."""

import json

from auth_helpers import log_in
from sqlalchemy.exc import OperationalError

from audit import AuditStore
from backend.llm import FakeChatModel


def read_events(response) -> list[tuple[str, dict]]:
    events = []
    for block in response.text.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines())
        events.append((lines["event"], json.loads(lines["data"])))
    return events


def test_stream_sends_progress_then_tokens_then_done(make_app_client, sqlite_url):
    client = log_in(make_app_client(sqlite_url, FakeChatModel(["I am sorry to hear that."])))
    cid = client.post("/conversations").json()["id"]
    response = client.post(f"/conversations/{cid}/messages/stream", json={"text": "I have a headache"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = read_events(response)
    kinds = [kind for kind, _ in events]
    steps = [data["step"] for kind, data in events if kind == "progress"]
    assert steps[:3] == ["redact_input", "guard_input", "assess"] and "record_turn" in steps
    # no reply text before the turn was recorded
    assert kinds.index("token") > max(i for i, k in enumerate(kinds) if k == "progress")
    done = events[-1]
    assert done[0] == "done"
    streamed = "".join(data["text"] for kind, data in events if kind == "token")
    assert streamed == done[1]["reply"] and streamed.startswith("I am sorry to hear that.")
    assert done[1]["audit_event_id"] >= 1
    history = client.get(f"/conversations/{cid}").json()["messages"]
    assert history[-1]["content"] == streamed


def test_stream_sends_no_reply_text_when_the_audit_write_fails(make_app_client, sqlite_url, monkeypatch):
    client = log_in(make_app_client(sqlite_url, FakeChatModel(["a reply nobody may see"])))
    cid = client.post("/conversations").json()["id"]

    def broken(self, event):
        raise OperationalError("INSERT", {}, Exception("database is down"))

    monkeypatch.setattr(AuditStore, "record", broken)
    events = read_events(
        client.post(f"/conversations/{cid}/messages/stream", json={"text": "I have a headache"})
    )
    assert [kind for kind, _ in events][-1] == "error"
    assert not any(kind == "token" for kind, _ in events)
    assert "a reply nobody may see" not in json.dumps(events)


def test_stream_rejects_bad_input_before_streaming(make_app_client, sqlite_url):
    client = log_in(make_app_client(sqlite_url, max_message_chars=10))
    cid = client.post("/conversations").json()["id"]
    assert client.post(f"/conversations/{cid}/messages/stream", json={"text": "x" * 11}).status_code == 413
    assert client.post("/conversations/nope/messages/stream", json={"text": "hi"}).status_code == 404
