"""Policy 0.9.8: medicines with toxicity or blood-disorder warnings; time-critical medicines lost or low.

Design: docs/acuity_escalation_experiment.md, sixth design. Texts written for this file, not taken from the
blind batches. Decided on the rules engine (the learned acuity check is tested on its own).
"""

from __future__ import annotations

import pytest

from backend.triage import TriageEngine, run_case
from tests.triage.conftest import answer_own_question, final

WARNING_SIGNS = [
    "I'm on lithium for bipolar and my hands have got really shaky, and I've had the runs for two days",
    "my mum takes digoxin and she's been throwing up and says her vision is blurry",
    "I started carbimazole last month and now I've got a sore throat and a temperature",
    "on methotrexate weekly for my arthritis, mouth is full of ulcers this week",
    "my son is on clozapine and has had a fever since last night",
    "Priadel repeat please, though I've been feeling sick and a bit unsteady",
]
NO_SIGNS = [
    "can I order my methotrexate repeat, bloods were fine last week",
    "when is my next lithium level due?",
]
LOST_OR_FEW_LEFT = [
    "I've dropped my hydrocortisone tablets down the toilet, I have Addison's",
    "only two doses of my levetiracetam left and the pharmacy is out of stock",
    "my dad's co-careldopa got lost when he moved into the care home yesterday",
    "I'm type 1 and my insulin pens were stolen on the train today",
    "tacrolimus, just a couple of capsules left, transplant clinic is closed",
    "I've only got a day's worth of Lantus left and the chemist is shut",
]
NOT_LOST = [
    "the diabetes nurse dropped my insulin dose by two units, is that right?",
    "I've lost a stone since starting insulin last year, can I have a review?",
]


@pytest.mark.parametrize("text", WARNING_SIGNS)
def test_a_warning_sign_on_a_monitored_medicine_is_urgent(engine: TriageEngine, text: str) -> None:
    disposition, rules = final(engine, text)
    assert disposition == "urgent" and "TR-MEDTOX-001" in rules, (disposition, rules)


@pytest.mark.parametrize("text", NO_SIGNS)
def test_a_monitored_medicine_without_a_sign_stays_routine(engine: TriageEngine, text: str) -> None:
    disposition, rules = final(engine, text)
    assert disposition == "non_urgent" and "TR-MEDTOX-001" not in rules, (disposition, rules)


def test_a_lithium_battery_is_not_the_medicine(engine: TriageEngine) -> None:
    disposition, rules = final(engine, "my toddler swallowed a lithium battery from the remote")
    assert disposition == "emergency" and not any(r.startswith("TR-MEDTOX") for r in rules)


@pytest.mark.parametrize("text", LOST_OR_FEW_LEFT)
def test_a_time_critical_medicine_lost_or_nearly_gone_is_urgent(engine: TriageEngine, text: str) -> None:
    disposition, rules = final(engine, text)
    assert disposition == "urgent" and "TR-ROUTINE-001" in rules, (disposition, rules)


@pytest.mark.parametrize("text", NOT_LOST)
def test_a_changed_dose_or_lost_weight_is_not_a_lost_medicine(engine: TriageEngine, text: str) -> None:
    assert "TR-ROUTINE-001" not in final(engine, text)[1]


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("I'm on lithium and something feels wrong", "Q-MEDTOX-001"),
        ("I take apixaban and I've been feeling off lately", "Q-ANTICOAG-001"),
    ],
)
def test_naming_a_watched_medicine_never_settles_an_unexplained_case_unreviewed(
    engine: TriageEngine, text: str, question: str
) -> None:
    """Fail closed: "I don't know" to the warning-sign question is not a "no": a clinician reviews."""
    decision = run_case(engine, text).decision
    assert decision.needs_clinician and "low_confidence" in decision.clinician_reasons
    answered = answer_own_question(engine, text, question, "no")
    assert answered.disposition == "non_urgent"
    assert answered.fired_rule_ids in (("TR-MEDTOX-002",), ("TR-ANTICOAG-002",))
