"""Clinician ratings: stored with the columns the alignment pipeline imports, access by role."""

import pytest
from auth_helpers import auth_header
from fastapi.testclient import TestClient

from alignment.ratings import RATING_COLUMNS, read_ratings_table
from backend.llm import FakeChatModel
from backend.main import create_app

EMERGENCY = "my chest feels crushed and the pain is spreading to my left arm"


@pytest.fixture
def client(make_settings, redactor, prebuilt, database_url):
    app = create_app(
        make_settings(database_url),
        chat_model=FakeChatModel(["I am sorry you feel unwell."]),
        redactor=redactor,
        prebuilt=prebuilt,
    )
    with TestClient(app) as test_client:
        yield test_client


def test_clinician_rates_a_recorded_answer_and_alignment_can_import_it(client, database_url, policy_bundle):
    patient = auth_header(client, "patient")
    cid = client.post("/conversations", headers=patient).json()["id"]
    client.post(f"/conversations/{cid}/messages", json={"text": EMERGENCY}, headers=patient)
    clinician = auth_header(client, "clinician")
    body = {
        "conversation_id": cid,
        "turn_index": 0,
        "response_b": "Call Dr Jane Miller's ambulance line now; do not drive yourself.",
        "preferred": "a",
        "rationale": "The recorded answer sends the patient to emergency care at once.",
    }
    created = client.post("/clinician/ratings", json=body, headers=clinician)
    assert created.status_code == 201, created.text
    rating = created.json()
    assert rating["prompt"] == "my chest feels crushed and the pain is spreading to my left arm"
    assert rating["response_a"].startswith("Your symptoms could be a medical emergency")  # as audited
    assert "Jane Miller" not in rating["response_b"]  # clinician free text is redacted too
    assert rating["guideline_version"] == policy_bundle.version

    assert client.post("/clinician/ratings", json=body, headers=clinician).status_code == 409
    missing = client.post("/clinician/ratings", json={**body, "turn_index": 7}, headers=clinician)
    assert missing.status_code == 404
    assert client.post("/clinician/ratings", json=body, headers=patient).status_code == 403
    other = auth_header(client, "clinician")
    assert client.get("/clinician/ratings", headers=other).json()["total"] == 0  # own ratings only
    second = client.post("/clinician/ratings", json={**body, "preferred": "tie"}, headers=other)
    assert second.status_code == 201
    compliance = auth_header(client, "compliance")
    listed = client.get("/clinician/ratings", params={"conversation_id": cid}, headers=compliance).json()
    assert listed["total"] == 2 and set(RATING_COLUMNS) <= set(listed["items"][0])

    imported = read_ratings_table(database_url)
    assert [(r.item_key, r.preferred) for r in imported] == [(f"{cid}#0", "a"), (f"{cid}#0", "tie")]
