"""AppTest of the monitoring dashboard against the real backend app, and its pure helpers."""

from pathlib import Path

from auth_helpers import PASSWORD, auth_header, create_user
from fastapi.testclient import TestClient
from streamlit.testing.v1 import AppTest

from frontend.api_client import TriageApiClient
from frontend.monitoring_data import incidents, rates_by_day, trigger_frame

APP = str(Path(__file__).resolve().parents[2] / "frontend" / "streamlit_app.py")


def test_compliance_sees_triggers_flags_escalations_and_incidents(backend: TestClient):
    patient = auth_header(backend, "patient")
    cid = backend.post("/conversations", headers=patient).json()["id"]
    for text in ["I want to kill myself tonight", "my knee hurts a bit"]:
        backend.post(f"/conversations/{cid}/messages", json={"text": text}, headers=patient)
    clinician = auth_header(backend, "clinician")
    timeline = backend.get(f"/audit/conversations/{cid}", headers=clinician).json()
    assert timeline[0]["safety_triggers"], timeline[0]
    flagged = backend.post(
        "/flags",
        json={"event_uuid": timeline[1]["event_uuid"], "kind": "unsafe_answer", "note": "missed follow-up"},
        headers=clinician,
    )
    assert flagged.status_code == 201, flagged.text

    create_user(backend, "compliance", "auditor")
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["api_client"] = TriageApiClient(backend)
    at.run()
    at.text_input[0].input("auditor")
    at.text_input[1].input(PASSWORD)
    at.button[0].click().run()
    at.switch_page("app_pages/monitoring.py").run()
    assert not at.exception, at.exception
    assert [s.value for s in at.subheader] == [
        "Escalations and waiting times",
        "Safety triggers",
        "Clinician flags",
        "Incident log",
    ]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Turns"] == "2" and metrics["Waiting now"] == "1" and metrics["unsafe answer"] == "1"
    log = at.dataframe[-1].value
    assert "flag: unsafe_answer" in set(log["kind"]) and "missed follow-up" in set(log["detail"])
    assert len(at.get("vega_lite_chart")) >= 5  # volume, waiting, per layer, per category, counts, flags


def test_trigger_rates_and_incidents_from_events():
    events = [
        {
            "created_at": "2026-01-02T10:00:00Z",
            "conversation_id": "c1",
            "turn_index": 0,
            "safety_triggers": [
                {"layer": "classifier", "category": "self_harm", "action": "escalate", "direction": "input"},
                {"layer": "classifier", "category": "self_harm", "action": "escalate", "direction": "input"},
            ],
        },
        {
            "created_at": "2026-01-02T11:00:00Z",
            "conversation_id": "c2",
            "turn_index": 3,
            "safety_triggers": [
                {"layer": "guard", "category": "dosing", "action": "block", "direction": "output"}
            ],
        },
    ]
    frame = trigger_frame(events)
    rates = rates_by_day(frame, {"2026-01-02": 4}, "category")
    assert rates.loc["2026-01-02", "self_harm"] == 0.25 and rates.loc["2026-01-02", "dosing"] == 0.25
    log = incidents(events, [])
    assert list(log["kind"]) == ["blocked output"] and log["detail"][0] == "guard/dosing"
