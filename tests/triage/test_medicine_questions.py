"""Policy 0.9.20: medicine-use questions, emergency contraception, missed doses of a time-critical medicine.

Texts written for this file, not taken from any batch. Decided on the rules engine.
"""

from __future__ import annotations

import pytest

from backend.triage import TriageEngine
from tests.triage.conftest import answer_own_question, assert_found_and_decided, final, present_concepts

MEDICINE_QUESTIONS = [
    "can I take naproxen with my losartan?",
    "is it safe to have a glass of wine while I'm on doxycycline",
    "should I take my lansoprazole before or after breakfast",
    "I forgot my citalopram this morning, should I take it tonight?",
    "does her amoxicillin liquid need to be kept in the fridge",
    "how do I use my new steroid nasal spray properly",
    "what time of day should I take my atorvastatin",
    "how do I get rid of old tablets safely",
]
EMERGENCY_CONTRACEPTION = [
    "the condom broke last night, where can I get the morning after pill",
    "need emergency contraception please, had unprotected sex on Sunday",
    "I missed two of my pills this week and we had sex last night",
]
NOT_MEDICINES = [
    "I have been with my children all day and I feel strange",
    "I forgot my phone at home and now I feel faint",
    "can I take my dog with me to the appointment",
]


@pytest.mark.parametrize("text", MEDICINE_QUESTIONS)
def test_a_question_about_using_a_medicine_is_self_care_with_a_pharmacist(
    engine: TriageEngine, text: str
) -> None:
    assert "medicine_use_question" in present_concepts(engine, text)
    assert final(engine, text) == ("self_care", ("TR-ROUTINE-004",))


def test_new_symptoms_beside_a_medicine_question_are_seen_within_a_day(engine: TriageEngine) -> None:
    decision = answer_own_question(engine, MEDICINE_QUESTIONS[0], "Q-ROUTINE-001", "yes")
    assert decision.disposition == "urgent" and "TR-ROUTINE-002" in decision.fired_rule_ids


def test_a_medicine_question_beside_an_administrative_request_keeps_the_routine_appointment(
    engine: TriageEngine,
) -> None:
    text = "can I order my repeat prescription, and can I take ibuprofen with my ramipril?"
    assert final(engine, text) == ("non_urgent", ("TR-ROUTINE-003",))


@pytest.mark.parametrize(
    "text",
    [
        "can I take ibuprofen with my ramipril? I've got crushing chest pain going into my left arm",
        "is it ok to drink alcohol on my tablets, my throat is closing up and I can't breathe",
        "my toddler swallowed some of my blood pressure tablets, how much is dangerous",
    ],
)
def test_a_danger_sign_beside_a_medicine_question_is_still_an_emergency(
    engine: TriageEngine, text: str
) -> None:
    assert final(engine, text)[0] == "emergency"


def test_an_extra_dose_is_not_a_pharmacists_question(engine: TriageEngine) -> None:
    text = "I accidentally took my lithium twice this morning"
    assert "medicine_use_question" not in present_concepts(engine, text)
    assert final(engine, text)[0] != "self_care"


def test_a_missed_time_critical_medicine_stays_urgent(engine: TriageEngine) -> None:
    for text in ("forgot my levetiracetam this morning, can I take it now with lunch",
                 "he has missed 3 doses of his Parkinson's meds since the weekend"):  # fmt: skip
        disposition, rules = final(engine, text)
        assert disposition == "urgent" and "TR-ROUTINE-001" in rules, (text, disposition, rules)


@pytest.mark.parametrize("text", EMERGENCY_CONTRACEPTION)
def test_emergency_contraception_is_needed_today(engine: TriageEngine, text: str) -> None:
    assert_found_and_decided(engine, text, "emergency_contraception_needed", ("urgent",), "TR-ROUTINE-005")


def test_a_single_late_pill_without_sex_is_a_pharmacists_question(engine: TriageEngine) -> None:
    text = "took my combined pill 10 hours late today, what do I do"
    assert "emergency_contraception_needed" not in present_concepts(engine, text)
    assert final(engine, text) == ("self_care", ("TR-ROUTINE-004",))


@pytest.mark.parametrize("text", NOT_MEDICINES)
def test_words_that_end_like_a_medicine_are_not_medicines(lexical_engine: TriageEngine, text: str) -> None:
    assert "medicine_use_question" not in present_concepts(lexical_engine, text)
