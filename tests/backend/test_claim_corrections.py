"""A patient's known false claim gets the clinician-approved correction, and the audit row names the claim."""

import json

from auth_helpers import auth_header, log_in

from backend.llm import FakeChatModel

MYTH = "I burned my hand on the oven an hour ago. Is it true that putting butter on a burn helps it heal?"
CLAIM_ID = "HC-FIRSTAID-001"


def _audit_events(client, conversation_id: str, layer: str) -> list[dict]:  # type: ignore[no-untyped-def]
    """The conversation's audit events with a trigger of ``layer``, as a compliance officer sees them."""
    response = client.get(
        "/audit/events",
        params={"conversation_id": conversation_id, "trigger_layer": layer},
        headers=auth_header(client, "compliance"),
    )
    assert response.status_code == 200
    return response.json()["items"]


def _correction(policy_bundle) -> str:  # type: ignore[no-untyped-def]
    return next(c.correction for c in policy_bundle.health_claims if c.id == CLAIM_ID)


def test_patient_myth_gets_the_approved_correction_before_the_question(
    make_app_client, sqlite_url, policy_bundle
):
    client = log_in(make_app_client(sqlite_url, FakeChatModel(["I am sorry about your hand."])), "patient")
    cid = client.post("/conversations").json()["id"]
    turn = client.post(f"/conversations/{cid}/messages", json={"text": MYTH}).json()
    correction = _correction(policy_bundle)
    assert correction in turn["reply"]
    if turn["follow_up_question"]:  # the question stays last, so the patient knows what to answer
        assert turn["reply"].endswith(turn["follow_up_question"])
        assert turn["reply"].index(correction) < turn["reply"].index(turn["follow_up_question"])
    events = _audit_events(client, cid, "known_claims_input")
    assert len(events) == 1
    triggers = events[0]["safety_triggers"]
    triggers = json.loads(triggers) if isinstance(triggers, str) else triggers
    [fired] = [t for t in triggers if t["layer"] == "known_claims_input"]
    assert (
        fired["rule_id"] == CLAIM_ID and fired["action"] == "allow" and fired["score"] >= fired["threshold"]
    )


def test_ordinary_turn_gets_no_correction(make_app_client, sqlite_url, policy_bundle):
    client = log_in(make_app_client(sqlite_url, FakeChatModel(["I am sorry to hear that."])), "patient")
    cid = client.post("/conversations").json()["id"]
    turn = client.post(
        f"/conversations/{cid}/messages", json={"text": "I burned my hand on the oven, it is red and sore"}
    ).json()
    assert not any(claim.correction in turn["reply"] for claim in policy_bundle.health_claims)


def test_a_draft_that_states_a_myth_is_replaced_by_the_approved_text(
    make_app_client, sqlite_url, policy_bundle
):
    model = FakeChatModel(["Putting butter on the burn will help it heal faster."])
    client = log_in(make_app_client(sqlite_url, model), "patient")
    cid = client.post("/conversations").json()["id"]
    turn = client.post(
        f"/conversations/{cid}/messages", json={"text": "I burned my hand on the oven, it is red and sore"}
    ).json()
    assert "butter" not in turn["reply"].lower()
    events = _audit_events(client, cid, "known_claims")
    assert len(events) == 1
