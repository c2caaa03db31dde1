"""Policy 0.9.9: classes found on the routine-request batches RT1-RT4 after their judgements.

docs/acuity_escalation_experiment.md (after the sixth design). Texts written for this file, not taken from the
batches. Decided on the rules engine.
"""

from __future__ import annotations

import pytest

from backend.triage import TriageEngine
from tests.triage.conftest import answer_own_question, final

URGENT = [
    ("I'm diabetic and there's a sore on the bottom of my foot that won't heal", "TR-WOUND-001"),
    ("type 1 diabetes, my big toe has a blister that's gone black", "TR-WOUND-002"),
    ("my hip replacement wound has gone red and is oozing pus", "TR-WOUND-002"),
    ("the cut on my hand is hot, swollen and smells", "TR-WOUND-002"),
    ("I'm on apixaban and my gums bleed every time I brush, and I'm covered in bruises", "TR-ANTICOAG-001"),
    ("dad takes warfarin and has had a nosebleed on and off all morning", "TR-ANTICOAG-001"),
]
DKA = [
    "type 1 diabetic, been vomiting since last night and my ketone meter says 3.8",
    "my son's ketones are at 4.5 and he's being sick",
]


@pytest.mark.parametrize(("text", "rule"), URGENT)
def test_found_classes_are_urgent(engine: TriageEngine, text: str, rule: str) -> None:
    disposition, rules = final(engine, text)
    assert disposition == "urgent" and rule in rules, (disposition, rules)


@pytest.mark.parametrize("text", DKA)
def test_a_ketone_reading_with_a_few_words_between_is_read(engine: TriageEngine, text: str) -> None:
    assert final(engine, text)[0] == "emergency"


def test_a_normal_ketone_reading_is_not_ketosis(engine: TriageEngine) -> None:
    facts = engine.assess(None, "checked my ketones, 0.4, and my sugar is 9").facts
    assert "ketosis" not in facts.present()


def test_asthma_needing_the_reliever_many_times_a_day_is_urgent(engine: TriageEngine) -> None:
    disposition, rules = final(engine, "can I book my asthma review, I'm using my blue inhaler 5 times a day")
    assert disposition == "urgent" and "TR-BREATH-005" in rules, (disposition, rules)


def test_bleeding_after_sex_is_a_routine_appointment_not_self_care(engine: TriageEngine) -> None:
    disposition, rules = final(engine, "I keep bleeding a little after sex, not pregnant")
    assert disposition == "non_urgent" and "TR-PREG-003" in rules, (disposition, rules)


@pytest.mark.parametrize(
    "text",
    ["blister on my heel from my new walking boots", "I take warfarin, can I have the flu jab?"],
)
def test_without_the_danger_sign_the_new_protocols_do_not_raise(engine: TriageEngine, text: str) -> None:
    assert final(engine, text)[0] in ("self_care", "non_urgent")


@pytest.mark.parametrize(
    "text",
    ["my arm is a bit sore and red where I had my jab yesterday", "my toe is sore but not infected"],
)
def test_a_sore_red_arm_or_toe_is_not_a_wound_infection(engine: TriageEngine, text: str) -> None:
    assert "TR-WOUND-002" not in final(engine, text)[1]


def test_a_plain_heel_blister_stays_self_care(engine: TriageEngine) -> None:
    assert final(engine, "blister on my heel after new boots, not red, walking fine")[0] == "self_care"


@pytest.mark.parametrize(
    "text",
    [
        "small hard lump on the sole of my foot, a bit sore when I walk",
        "my feet are sore after the half marathon",
    ],
)
def test_a_sore_foot_is_not_a_foot_sore(engine: TriageEngine, text: str) -> None:
    assert not any(r.startswith("TR-WOUND") for r in final(engine, text)[1])


@pytest.mark.parametrize(
    ("text", "answer", "expected", "rule"),
    [
        ("there's a sore on the bottom of my foot that won't heal", "yes", "urgent", "TR-WOUND-001"),
        ("there's a sore on the bottom of my foot that won't heal", "no", "non_urgent", "TR-WOUND-003"),
        ("I take apixaban and I've been feeling off lately", "yes", "urgent", "TR-ANTICOAG-001"),
    ],
)
def test_the_new_questions_decide_when_answered(
    engine: TriageEngine, text: str, answer: str, expected: str, rule: str
) -> None:
    """The new protocol's question gets ``answer``; every other question "I don't know"."""
    own = {"TR-WOUND": "Q-WOUND-001", "TR-ANTICOAG": "Q-ANTICOAG-001"}[rule.rsplit("-", 1)[0]]
    decision = answer_own_question(engine, text, own, answer)
    assert decision.disposition == expected and rule in decision.fired_rule_ids, decision.fired_rule_ids
