"""A triage rule's own patient message (messages.yaml rule_messages) replaces its disposition's."""

from auth_helpers import log_in

from backend.agent.compose import disposition_text
from backend.llm import FakeChatModel

PHARMACIST_RULE = "TR-ROUTINE-004"
QUESTION = "Should I take my lansoprazole before or after breakfast?"


def _disposition(policy_bundle, disposition_id: str):  # type: ignore[no-untyped-def]
    return policy_bundle.disposition(disposition_id)


def _other_self_care_rule(policy_bundle) -> str:  # type: ignore[no-untyped-def]
    return next(
        rule.id
        for protocol in policy_bundle.triage_rules
        for rule in protocol.rules
        if rule.disposition == "self_care" and rule.id not in policy_bundle.messages.rule_messages
    )


def test_the_deciding_rules_message_replaces_the_dispositions(policy_bundle):
    self_care = _disposition(policy_bundle, "self_care")
    text = disposition_text(policy_bundle, "self_care", [PHARMACIST_RULE])
    assert text.startswith(policy_bundle.messages.rule_messages[PHARMACIST_RULE])
    assert self_care.patient_message not in text and text.endswith(self_care.safety_net)


def test_a_rule_without_a_message_deciding_beside_it_keeps_the_dispositions_message(policy_bundle):
    self_care = _disposition(policy_bundle, "self_care")
    text = disposition_text(
        policy_bundle, "self_care", [_other_self_care_rule(policy_bundle), PHARMACIST_RULE]
    )
    assert text.startswith(self_care.patient_message)
    assert policy_bundle.messages.rule_messages[PHARMACIST_RULE] in text and text.endswith(
        self_care.safety_net
    )


def test_a_rule_message_is_not_used_when_another_disposition_was_chosen(policy_bundle):
    urgent = _disposition(policy_bundle, "urgent")
    text = disposition_text(policy_bundle, "urgent", [PHARMACIST_RULE])
    assert text == f"{urgent.patient_message}\n\n{urgent.safety_net}"


def test_a_medicine_question_is_answered_with_the_pharmacist_message(
    make_app_client, sqlite_url, policy_bundle
):
    model = FakeChatModel(["Thank you for checking."])
    client = log_in(make_app_client(sqlite_url, model), "patient")
    cid = client.post("/conversations").json()["id"]
    turn = client.post(f"/conversations/{cid}/messages", json={"text": QUESTION}).json()
    assert turn["follow_up_question"], turn  # new or worsening symptoms?
    turn = client.post(f"/conversations/{cid}/messages", json={"text": "no"}).json()
    assert turn["disposition"] == "self_care", turn
    assert policy_bundle.messages.rule_messages[PHARMACIST_RULE] in turn["reply"]
    assert _disposition(policy_bundle, "self_care").safety_net in turn["reply"]


def test_emergency_contraception_is_answered_with_its_own_message(make_app_client, sqlite_url, policy_bundle):
    client = log_in(make_app_client(sqlite_url, FakeChatModel(["Thank you for telling me."])), "patient")
    cid = client.post("/conversations").json()["id"]
    turn = client.post(
        f"/conversations/{cid}/messages", json={"text": "The condom split last night, what do I do?"}
    ).json()
    if turn["follow_up_question"]:
        turn = client.post(f"/conversations/{cid}/messages", json={"text": "no"}).json()
    assert turn["disposition"] == "urgent", turn
    assert policy_bundle.messages.rule_messages["TR-ROUTINE-005"] in turn["reply"]
