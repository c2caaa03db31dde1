"""Compliance API: search, pagination, exports, stats, verification, timeline, clinician flags."""

import csv
import io
import json

import pytest
from audit_helpers import tamper
from auth_helpers import auth_header

from backend.llm import FakeChatModel


@pytest.fixture
def populated(make_app_client, database_url):
    """Two conversations: three plain turns and one model failure (escalated, trigger layer 'model')."""
    client = make_app_client(database_url, FakeChatModel(["a", "b", "c", RuntimeError("down")]))
    patient = auth_header(client, "patient")
    first = client.post("/conversations", headers=patient).json()["id"]
    for text in ("I have a headache", "no", "no"):
        client.post(f"/conversations/{first}/messages", json={"text": text}, headers=patient)
    second = client.post("/conversations", headers=patient).json()["id"]
    client.post(f"/conversations/{second}/messages", json={"text": "dizzy"}, headers=patient)
    return client, first, second


def test_search_filters_and_pagination(populated):
    client, first, second = populated
    officer = auth_header(client, "compliance")
    page = client.get("/audit/events", params={"limit": 2}, headers=officer).json()
    assert page["total"] == 4 and len(page["items"]) == 2 and page["items"][0]["sequence"] == 1
    rest = client.get("/audit/events", params={"limit": 2, "offset": 2}, headers=officer).json()
    assert [e["sequence"] for e in rest["items"]] == [3, 4]
    by_conversation = client.get("/audit/events", params={"conversation_id": first}, headers=officer).json()
    assert by_conversation["total"] == 3
    for params in (
        {"escalated": "true"},
        {"trigger_layer": "model"},
        {"trigger_category": "model_error"},
        {"trigger_layer": "model", "conversation_id": second},
    ):
        found = client.get("/audit/events", params=params, headers=officer).json()
        assert [e["conversation_id"] for e in found["items"]] == [second], params
    assert client.get("/audit/events", params={"trigger_layer": "mod"}, headers=officer).json()["total"] == 0
    model_id = page["items"][0]["model_id"]
    assert client.get("/audit/events", params={"model_id": model_id}, headers=officer).json()["total"] == 4
    policy = page["items"][0]["policy_version"]
    assert (
        client.get("/audit/events", params={"policy_version": policy}, headers=officer).json()["total"] == 4
    )
    future = {"since": "2999-01-01T00:00:00Z"}
    assert client.get("/audit/events", params=future, headers=officer).json()["total"] == 0
    until = {"until": "2999-01-01T00:00:00+02:00"}
    assert client.get("/audit/events", params=until, headers=officer).json()["total"] == 4


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 0},
        {"limit": 501},
        {"offset": -1},
        {"since": "yesterday"},
        {"escalated": "maybe"},
        {"bogus": 1},
    ],
)
def test_bad_search_parameters_get_422(make_app_client, sqlite_url, params):
    client = make_app_client(sqlite_url)
    response = client.get("/audit/events", params=params, headers=auth_header(client, "compliance"))
    assert response.status_code == 422
    assert response.json()["detail"]


def test_exports_stream_csv_and_jsonl(populated):
    client, _first, second = populated
    officer = auth_header(client, "compliance")
    jsonl = client.get("/audit/events/export", params={"format": "jsonl"}, headers=officer)
    assert jsonl.status_code == 200 and jsonl.headers["content-type"].startswith("application/x-ndjson")
    assert "attachment" in jsonl.headers["content-disposition"]
    lines = [json.loads(line) for line in jsonl.text.splitlines()]
    assert [e["sequence"] for e in lines] == [1, 2, 3, 4]
    exported = client.get(
        "/audit/events/export", params={"format": "csv", "escalated": "true"}, headers=officer
    )
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert len(rows) == 1 and rows[0]["conversation_id"] == second
    assert json.loads(rows[0]["safety_triggers"])[0]["layer"] == "model"
    bad = client.get("/audit/events/export", params={"format": "xml"}, headers=officer)
    assert bad.status_code == 422


def test_stats_verify_and_tamper_detection(populated, database_url):
    client, _first, _second = populated
    officer = auth_header(client, "compliance")
    stats = client.get("/audit/stats", headers=officer).json()
    assert stats["turns"] == 4 and stats["escalated"] == 1
    assert stats["triggers_by_layer"] == {"model": 1}
    [rate] = stats["trigger_rates"]
    assert rate["layer"] == "model" and rate["triggered"] == 1 and rate["turns"] == 4 and rate["rate"] == 0.25
    assert client.get("/audit/verify", headers=officer).json() == {
        "ok": True,
        "events_checked": 4,
        "first_broken_sequence": None,
        "reason": None,
    }
    tamper(database_url, "UPDATE audit_events SET disposition = 'tampered' WHERE sequence = 3")
    report = client.get("/audit/verify", headers=officer).json()
    assert not report["ok"] and report["first_broken_sequence"] == 3 and report["events_checked"] == 2


def test_clinician_flags_false_positive_and_compliance_counts_it(populated):
    client, first, second = populated
    officer = auth_header(client, "compliance")
    clinician = auth_header(client, "clinician")
    [escalated] = client.get(f"/audit/conversations/{second}", headers=clinician).json()
    body = {"event_uuid": escalated["event_uuid"], "kind": "false_positive", "note": "just tired"}
    flag = client.post("/flags", json=body, headers=clinician)
    assert flag.status_code == 201, flag.text
    assert flag.json()["subject_event_uuid"] == escalated["event_uuid"]
    assert flag.json()["actor"] == "clinician"
    calm_event = client.get(f"/audit/conversations/{first}", headers=officer).json()[0]
    not_handled = {"event_uuid": calm_event["event_uuid"], "kind": "unsafe_answer"}
    assert client.post("/flags", json=not_handled, headers=clinician).status_code == 404
    unknown = {"event_uuid": "nope", "kind": "other"}
    assert client.post("/flags", json=unknown, headers=clinician).status_code == 404
    assert client.post("/flags", json={**body, "kind": "great"}, headers=clinician).status_code == 422
    on_flag = {"event_uuid": flag.json()["event_uuid"], "kind": "other"}
    assert client.post("/flags", json=on_flag, headers=clinician).status_code == 422
    listed = client.get("/flags", params={"kind": "false_positive"}, headers=officer).json()
    assert listed["total"] == 1
    stats = client.get("/audit/stats", headers=officer).json()
    assert stats["flags"] == {"false_positive": 1} and stats["turns"] == 4
    assert client.get("/audit/verify", headers=officer).json()["ok"]
