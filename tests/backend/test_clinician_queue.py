"""Escalation → clinician queue → clinician reply resumes the paused graph (real checkpointers)."""

import pytest
from auth_helpers import PASSWORD, auth_header
from fastapi.testclient import TestClient

from audit import AuditStore, make_engine, make_session_factory
from backend.llm import FakeChatModel
from backend.main import create_app

EMERGENCY = "my chest feels crushed and the pain is spreading to my left arm"


@pytest.fixture
def app_factory(make_settings, redactor, prebuilt):
    def factory(database_url: str) -> TestClient:
        app = create_app(
            make_settings(database_url),
            chat_model=FakeChatModel(["I am sorry you feel unwell."]),
            redactor=redactor,
            prebuilt=prebuilt,
        )
        return TestClient(app)

    return factory


def escalate_emergency(client: TestClient, patient: dict[str, str]) -> tuple[str, dict]:
    cid = client.post("/conversations", headers=patient).json()["id"]
    turn = client.post(f"/conversations/{cid}/messages", json={"text": EMERGENCY}, headers=patient).json()
    return cid, turn


def test_emergency_is_queued_first_and_clinician_reply_reaches_patient(
    app_factory, database_url, policy_bundle
):
    with app_factory(database_url) as client:
        patient = auth_header(client, "patient")
        clinician = auth_header(client, "clinician")
        # a routine conversation that escalates for another reason would rank below the emergency
        cid, turn = escalate_emergency(client, patient)
        assert turn["disposition"] == "emergency" and turn["red_flag_ids"]
        assert turn["escalated"] and "red_flag_emergency" in turn["escalation_reasons"]
        emergency_text = next(d for d in policy_bundle.dispositions if d.id == "emergency").patient_message
        assert turn["reply"].startswith(emergency_text)  # the model never phrases an emergency

        assert client.get(f"/conversations/{cid}", headers=patient).json()["awaiting_clinician"]
        queue = client.get("/clinician/queue", headers=clinician).json()
        item = queue[0]
        assert item["conversation_id"] == cid and item["priority"] == 3 and item["status"] == "open"
        assert item["summary"]["red_flag_ids"] == turn["red_flag_ids"]

        assert (
            client.post(
                f"/clinician/escalations/{item['id']}/reply", json={"text": "hi"}, headers=clinician
            ).status_code
            == 409
        )  # must claim first
        claimed = client.post(f"/clinician/escalations/{item['id']}/claim", headers=clinician).json()
        assert claimed["status"] == "claimed"
        other = auth_header(client, "clinician", "other-clinician")
        assert client.post(f"/clinician/escalations/{item['id']}/claim", headers=other).status_code == 409

        reply = client.post(
            f"/clinician/escalations/{item['id']}/reply",
            json={"text": "Please call 911 now; an ambulance is the safest option.", "resolve": True},
            headers=clinician,
        )
        assert reply.status_code == 200
        after = client.get(f"/conversations/{cid}", headers=patient).json()
        assert not after["awaiting_clinician"] and after["status"] == "escalated"  # resolved; access kept
        messages = after["messages"]
        assert messages[-1]["role"] == "clinician"
        assert "ambulance is the safest option" in messages[-1]["content"]
        assert client.get("/clinician/queue", headers=clinician).json() == []
        # resolved: a second reply has nothing to resume
        assert (
            client.post(
                f"/clinician/escalations/{item['id']}/reply", json={"text": "x"}, headers=clinician
            ).status_code
            == 409
        )

    engine = make_engine(database_url)
    store = AuditStore(make_session_factory(engine), lambda s: s)
    events = store.list_conversation(cid)
    engine.dispose()
    assert [e.event_type for e in events] == ["turn", "clinician_reply"]
    assert events[1].actor.value == "clinician" and events[0].escalated
    assert store.verify().ok


def test_patient_cannot_see_queue_and_clinician_needs_a_claim(app_factory, sqlite_url):
    with app_factory(sqlite_url) as client:
        patient = auth_header(client, "patient")
        escalate_emergency(client, patient)
        assert client.get("/clinician/queue", headers=patient).status_code == 403
        assert client.get("/clinician/queue").status_code == 401
        clinician = auth_header(client, "clinician")
        assert client.post("/clinician/escalations/nope/claim", headers=clinician).status_code == 404


def test_paused_conversation_survives_restart_and_new_patient_messages(app_factory, database_url):
    with app_factory(database_url) as client:
        patient = auth_header(client, "patient", "pat-restart")
        cid, _ = escalate_emergency(client, patient)
        # the patient keeps writing while waiting: red flags are still checked every turn
        again = client.post(
            f"/conversations/{cid}/messages", json={"text": "it is getting worse"}, headers=patient
        ).json()
        assert again["turn_index"] == 1
    with app_factory(database_url) as client:  # a restarted backend
        clinician = auth_header(client, "clinician", "clin-restart")
        login = client.post("/auth/token", json={"username": "pat-restart", "password": PASSWORD}).json()
        patient = {"Authorization": f"Bearer {login['access_token']}"}
        item = client.get("/clinician/queue", headers=clinician).json()[0]
        client.post(f"/clinician/escalations/{item['id']}/claim", headers=clinician)
        response = client.post(
            f"/clinician/escalations/{item['id']}/reply",
            json={"text": "I am calling you now.", "resolve": False},
            headers=clinician,
        )
        assert response.status_code == 200
        # not resolved: still waiting for the clinician, still in the queue
        assert client.get("/clinician/queue", headers=clinician).json()[0]["id"] == item["id"]
        body = client.get(f"/conversations/{cid}", headers=patient).json()
        assert body["awaiting_clinician"]  # not resolved: the patient still sees the notice
        roles = [m["role"] for m in body["messages"]]
        assert roles == ["patient", "assistant", "patient", "assistant", "clinician"]


def test_clinician_who_claimed_sees_original_identifiers_and_the_view_is_audited(
    app_factory, sqlite_url, tmp_path
):
    with app_factory(sqlite_url) as client:
        patient = auth_header(client, "patient")
        cid = client.post("/conversations", headers=patient).json()["id"]
        text = f"My name is John Smith. {EMERGENCY}"
        client.post(f"/conversations/{cid}/messages", json={"text": text}, headers=patient)
        again = client.post(
            f"/conversations/{cid}/messages", json={"text": "John Smith again, it is worse"}, headers=patient
        ).json()
        assert "[PERSON_1]" in again["redacted_input"]  # the same person keeps the same pseudonym
        clinician = auth_header(client, "clinician")
        item = client.get("/clinician/queue", headers=clinician).json()[0]
        url = f"/conversations/{cid}"
        assert client.get(f"/clinician{url}/revealed", headers=clinician).status_code == 403  # not claimed
        client.post(f"/clinician/escalations/{item['id']}/claim", headers=clinician)
        revealed = client.get(f"/clinician{url}/revealed", headers=clinician).json()
        assert "John Smith" in revealed[0]["content"]
        assert "John Smith" not in str(client.get(url, headers=clinician).json())
        other = auth_header(client, "clinician")
        assert client.get(f"/clinician{url}/revealed", headers=other).status_code == 403
        assert client.get(f"/clinician{url}/revealed", headers=patient).status_code == 403
    engine = make_engine(sqlite_url)
    events = AuditStore(make_session_factory(engine), lambda s: s).list_conversation(cid)
    engine.dispose()
    assert [e.event_type for e in events][-1] == "phi_access"
    for path in tmp_path.glob("*.sqlite*"):
        assert b"John Smith" not in path.read_bytes(), path
