"""GET /monitoring/escalations: volume and waiting times without conversation text."""

from datetime import UTC, datetime, timedelta

from auth_helpers import auth_header
from fastapi.testclient import TestClient

from backend.llm import FakeChatModel
from backend.main import create_app

EMERGENCY = "my chest feels crushed and the pain is spreading to my left arm"


def test_escalation_timings_by_window_and_role(make_settings, redactor, prebuilt, sqlite_url):
    app = create_app(
        make_settings(sqlite_url), chat_model=FakeChatModel(["ok"]), redactor=redactor, prebuilt=prebuilt
    )
    with TestClient(app) as client:
        patient = auth_header(client, "patient")
        cid = client.post("/conversations", headers=patient).json()["id"]
        client.post(f"/conversations/{cid}/messages", json={"text": EMERGENCY}, headers=patient)
        clinician = auth_header(client, "clinician")
        item = client.get("/clinician/queue", headers=clinician).json()[0]
        client.post(f"/clinician/escalations/{item['id']}/claim", headers=clinician)
        client.post(
            f"/clinician/escalations/{item['id']}/reply", json={"text": "Call 911."}, headers=clinician
        )

        compliance = auth_header(client, "compliance")
        [timing] = client.get("/monitoring/escalations", headers=compliance).json()
        assert timing["conversation_id"] == cid and timing["status"] == "resolved"
        assert timing["minutes_to_claim"] >= 0 and timing["minutes_to_resolve"] >= timing["minutes_to_claim"]
        assert timing["waiting_minutes"] is None and "summary" not in timing
        later = (datetime.now(UTC) + timedelta(minutes=1)).isoformat()
        assert client.get("/monitoring/escalations", params={"since": later}, headers=compliance).json() == []
        earlier = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
        assert (
            len(client.get("/monitoring/escalations", params={"since": earlier}, headers=compliance).json())
            == 1
        )
        assert client.get("/monitoring/escalations", headers=patient).status_code == 403
