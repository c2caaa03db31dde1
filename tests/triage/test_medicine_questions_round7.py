"""Policy 0.9.24 (seventh request round): MQ3's classes, medicine plans for the prescriber, clozapine, an
adrenaline pen used, fever with rigors or worsening on antibiotics, and the learned check's medicine corpus.

Texts written for this file, not taken from any batch. Decided on the rules engine (with the learned check
where the ``engine`` fixture is used).
"""

from __future__ import annotations

import pytest

from backend.triage import TriageEngine
from backend.triage.decision import ACUITY_RULE_ID
from tests.triage.conftest import assert_found_and_decided, final, present_concepts

MORE_MEDICINE_QUESTIONS = [
    "I finish my metronidazole on Friday, will I be ok to drink at the party on Sunday?",
    "does clarithromycin stop the pill working",
    "can I take cod liver oil as well as my ramipril, or is that a problem",
    "I take alendronate on Mondays, how long do I have to wait before my breakfast",
    "on doxycycline for acne, do I need to worry about the sun on holiday",
    "it's going to be 35 degrees next week, will my insulin pens go off in my bag",
    "is it illegal to drive on tramadol",
    "where is the best place to stick my Evorel patch",
    "how long is a GTN spray good for once it's been opened",
    "my nurse gave me two eye drops, can I use them straight after each other",
    "which hay fever tablet won't make me drowsy at work",
]


@pytest.mark.parametrize("text", MORE_MEDICINE_QUESTIONS)
def test_more_medicine_questions_are_self_care_with_a_pharmacist(engine: TriageEngine, text: str) -> None:
    assert "medicine_use_question" in present_concepts(engine, text), text
    disposition, rules = final(engine, text)
    assert disposition == "self_care" and "TR-ROUTINE-004" in rules, (disposition, rules)


@pytest.mark.parametrize(
    "text",
    [
        "I'm on lamotrigine and my husband and I want to start trying for a baby soon, what should we do",
        "I've got a hernia operation next month, should I stop my Ozempic before it",
        "I've been on citalopram for a year and feel great, can I just stop taking it now",
    ],
)
def test_a_medicine_plan_for_the_prescriber_is_a_routine_appointment(engine: TriageEngine, text: str) -> None:
    assert_found_and_decided(engine, text, "planned_medicine_review", ("non_urgent",), "TR-ROUTINE-006")


def test_constipation_on_clozapine_is_seen_within_a_day(engine: TriageEngine) -> None:
    text = "my brother is on clozapine and hasn't opened his bowels for four days, his belly is swollen"
    assert_found_and_decided(engine, text, "clozapine_taken", ("urgent", "emergency"), "TR-MEDTOX-003")


def test_clozapine_missed_for_days_is_time_critical(engine: TriageEngine) -> None:
    text = "my son takes clozapine 300mg at night and has had no doses since Sunday, he seems fine"
    assert_found_and_decided(engine, text, "critical_medicine_missed", ("urgent",), "TR-ROUTINE-001")


@pytest.mark.parametrize(
    "text",
    [
        "used my last epipen 5 minutes ago after eating a cake with nuts, can I get another one sent",
        "I had to use his epipen on my son, he seems ok now, do we still need to go in",
    ],
)
def test_an_adrenaline_pen_used_is_an_emergency(engine: TriageEngine, text: str) -> None:
    assert final(engine, text)[0] == "emergency"


def test_fever_with_rigors_is_seen_within_a_day(engine: TriageEngine) -> None:
    text = "I've had a temperature of 38.6 since yesterday and I keep getting uncontrollable shivering fits"
    disposition, rules = final(engine, text)
    assert disposition in ("urgent", "emergency"), (disposition, rules)


def test_fever_worse_on_antibiotics_is_seen_within_a_day(engine: TriageEngine) -> None:
    text = "day 3 of amoxicillin for a chest infection and my temperature is getting worse, 38.5 tonight"
    disposition, rules = final(engine, text)
    assert disposition in ("urgent", "emergency"), (disposition, rules)


def test_shivering_after_a_cold_swim_without_a_fever_is_not_rigors_with_fever(engine: TriageEngine) -> None:
    text = "went wild swimming and was shivering for ages afterwards, warm now and feel fine"
    assert "TR-FEVER-012" not in final(engine, text)[1]


@pytest.mark.parametrize(
    "text",
    [
        "I've just started amitriptyline for nerve pain in my foot, am I allowed to drive on it?",
        "my son's EpiPens expire at the end of the month, are they ok to use for a bit after that?",
    ],
)
def test_the_learned_check_does_not_raise_plain_medicine_questions(engine: TriageEngine, text: str) -> None:
    disposition, rules = final(engine, text)
    assert ACUITY_RULE_ID not in rules and disposition != "emergency", (disposition, rules)
