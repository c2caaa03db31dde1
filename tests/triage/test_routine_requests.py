"""Routine and administrative requests (policy 0.9.7, docs/routine_requests_experiment.md).

Written for this test file, not taken from the blind batches RT1 to RT4. The protocol's own decisions are
tested on the rules engine. The learned acuity check raised some short requests to emergency until policy
0.9.8 put blind-written requests in its index (docs/acuity_escalation_experiment.md, sixth design; tested in
test_acuity_model.py).
"""

from __future__ import annotations

import pytest

from backend.triage import TriageEngine, run_case
from tests.triage.conftest import final

ROUTINE = [
    "Could you sort out a fit note for me? I'm still recovering from my hernia operation.",
    "please can I order my repeat prescription for my statins",
    "I need my travel vaccinations before going to Ghana in March",
    "when is my cervical screening due, I'm 41",
    "Can I book in for my annual asthma review?",
    "I'd like a copy of my medical records for my new job abroad",
    "my employer wants a letter for work confirming I can do night shifts",
    "My son needs his childhood immunisations, we missed the last appointment",
    "I'm running low on my amlodipine, can you send a new prescription to the chemist",
]
CRITICAL = [
    "I've run out of my insulin pens and it's Saturday",
    "my brother ran out of his levetiracetam yesterday",
    "Mum's co-careldopa has run out and the surgery hasn't sent the repeat",
    "I forgot my tacrolimus at home and I'm away for the weekend",
    "ran out of my hydrocortisone, I have Addison's",
    "I'm down to my last Lantus pen and the prescription hasn't come through",
    "dad's warfarin is nearly gone and the chemist is shut till Monday",
]


@pytest.mark.parametrize("text", ROUTINE)
def test_a_routine_request_without_symptoms_is_a_routine_appointment(engine: TriageEngine, text: str):
    disposition, rules = final(engine, text)
    assert (disposition, rules) == ("non_urgent", ("TR-ROUTINE-003",))


@pytest.mark.parametrize("text", CRITICAL)
def test_a_time_critical_medicine_run_out_is_urgent(engine: TriageEngine, text: str):
    assert final(engine, text) == ("urgent", ("TR-ROUTINE-001",))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Can I get a fit note, I've got crushing chest pain going into my left arm", "emergency"),
        (
            "I need my repeat prescription but my face has dropped on one side and my words are slurred",
            "emergency",
        ),
        ("repeat of my inhaler please, I'm wheezy and short of breath today", "urgent"),
    ],
)
def test_a_recognised_complaint_or_red_flag_beside_a_request_still_decides(
    acuity_engine: TriageEngine, text: str, expected: str
):
    disposition, _rules = final(acuity_engine, text)
    ranks = {d.id: d.rank for d in acuity_engine.bundle.dispositions}
    assert ranks[disposition] >= ranks[expected]


def test_new_symptoms_alongside_a_request_are_urgent_and_the_question_is_asked(engine: TriageEngine):
    text = "I need a sick note for work please"
    first = engine.assess(None, text)
    assert first.next_question is not None and first.next_question.question_id == "Q-ROUTINE-001"
    answered = run_case(engine, text, answer="yes")
    assert answered.decision.disposition == "urgent" and "TR-ROUTINE-002" in answered.decision.fired_rule_ids
    assert final(engine, text) == ("non_urgent", ("TR-ROUTINE-003",))


@pytest.mark.parametrize(
    "text",
    [
        "I keep running out of breath on the stairs",
        "we ran out of petrol on the motorway and I walked for miles",
    ],
)
def test_running_out_of_breath_or_petrol_is_no_request(acuity_engine: TriageEngine, text: str):
    _disposition, rules = final(acuity_engine, text)
    assert not any(rule.startswith("TR-ROUTINE") for rule in rules)


def test_a_negated_request_opens_nothing(acuity_engine: TriageEngine):
    _disposition, rules = final(acuity_engine, "I don't need a fit note, I just wanted to say thanks")
    assert not any(rule.startswith("TR-ROUTINE") for rule in rules)
