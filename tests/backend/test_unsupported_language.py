"""A message in a language the service cannot read is said so and goes to a clinician (policy 0.9.27).

Real graph, real safety cascade (layer ``language``) and triage engine, fake chat model. Our own phrasings.
"""

from __future__ import annotations

from auth_helpers import auth_header

from clinical_policies import PolicyBundle

SPANISH_CHEST_PAIN = "Tengo un dolor fuerte en el pecho desde hace una hora y me cuesta respirar."
POLISH_HEADACHE = "Od trzech dni boli mnie głowa i nic nie pomaga."
RANK = {"self_care": 0, "non_urgent": 1, "urgent": 2, "emergency": 3}


def _language_text(bundle: PolicyBundle) -> str:
    return next(m.text for m in bundle.refusal_messages if m.reason_category == "unsupported_language")


def test_a_message_in_another_language_is_escalated_with_the_multilingual_text(
    make_app_client, sqlite_url: str, policy_bundle: PolicyBundle
):
    client = make_app_client(sqlite_url)
    patient = auth_header(client, "patient")
    clinician = auth_header(client, "clinician")
    cids = []
    for text in (SPANISH_CHEST_PAIN, POLISH_HEADACHE):
        cid = client.post("/conversations", headers=patient).json()["id"]
        turn = client.post(f"/conversations/{cid}/messages", json={"text": text}, headers=patient).json()
        assert turn["reply"].startswith(_language_text(policy_bundle))
        assert "\n\nEspañol:" in turn["reply"] and "\n\nPolski:" in turn["reply"]  # Markdown paragraphs
        assert turn["escalated"] and "input_unsupported_language" in turn["escalation_reasons"]
        assert RANK[turn["disposition"]] >= RANK["urgent"]  # the floor: never left to the English lexicon
        assert turn["follow_up_question"] is None  # no English questions the patient cannot answer
        cids.append(cid)
    queue = {i["conversation_id"]: i for i in client.get("/clinician/queue", headers=clinician).json()}
    assert set(cids) <= set(queue)
    assert all(RANK[queue[c]["disposition"]] >= RANK["urgent"] for c in cids)


def test_an_english_message_is_answered_as_before(
    make_app_client, sqlite_url: str, policy_bundle: PolicyBundle
):
    client = make_app_client(sqlite_url)
    patient = auth_header(client, "patient")
    cid = client.post("/conversations", headers=patient).json()["id"]
    text = "I've had a blocked nose and a mild sore throat for two days, no fever."
    turn = client.post(f"/conversations/{cid}/messages", json={"text": text}, headers=patient).json()
    assert _language_text(policy_bundle) not in turn["reply"]
    assert "input_unsupported_language" not in turn["escalation_reasons"]


def test_the_floor_holds_for_the_conversation_and_an_english_red_flag_still_follows(
    make_app_client, sqlite_url: str, policy_bundle: PolicyBundle
):
    """docs/language_check.md: a later English message keeps the text and the floor; a red flag stays."""
    emergency = next(d.patient_message for d in policy_bundle.dispositions if d.id == "emergency")
    client = make_app_client(sqlite_url)
    patient = auth_header(client, "patient")
    cid = client.post("/conversations", headers=patient).json()["id"]
    url = f"/conversations/{cid}/messages"
    client.post(url, json={"text": POLISH_HEADACHE}, headers=patient)
    text = "now my face is drooping on one side and I can't lift my left arm"
    turn = client.post(url, json={"text": text}, headers=patient).json()
    assert turn["reply"].startswith(_language_text(policy_bundle))
    assert turn["disposition"] == "emergency" and emergency in turn["reply"]
    assert turn["follow_up_question"] is None
