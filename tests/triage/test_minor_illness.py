"""Self-limiting presentations stay at self-care; stable long-standing problems get a routine appointment."""

import pytest

from backend.triage import TriageEngine


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Got sunburned yesterday, my shoulders are red and sore but there are no blisters.", "TR-MSK-006"),
        ("A tingling, then blistering sore on her upper lip, like before.", "TR-NEURO-006"),
    ],
)
def test_when_soreness_or_tingling_belongs_to_a_minor_skin_complaint_then_self_care(
    lexical_engine: TriageEngine, text: str, rule: str
):
    decision = lexical_engine.assess(None, text).decision
    assert decision.disposition == "self_care"
    assert rule in decision.fired_rule_ids


def test_when_no_complaint_is_recognised_but_it_is_long_standing_then_routine(lexical_engine: TriageEngine):
    decision = lexical_engine.assess(None, "Something has been bothering him for months.").decision
    assert decision.disposition == "non_urgent"
    assert "no_complaint_recognised" in decision.clinician_reasons


def test_when_no_complaint_is_recognised_and_it_is_recent_then_the_default_stays(
    lexical_engine: TriageEngine,
):
    decision = lexical_engine.assess(None, "Something has been bothering him since yesterday.").decision
    assert decision.disposition == "urgent"
    assert "no_complaint_recognised" in decision.clinician_reasons


def test_a_long_standing_unrecognised_problem_with_abnormal_vital_signs_is_not_routine(
    lexical_engine: TriageEngine,
):
    decision = lexical_engine.assess(None, "Something has bothered her for months. RR 22.").decision
    assert decision.disposition != "non_urgent"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He snores loudly and stops breathing for a few seconds in his sleep.", "non_urgent"),
        ("My dad has been getting more forgetful over the last year.", "non_urgent"),
        ("BP 156/96 at the pharmacy, no symptoms.", "non_urgent"),
        ("Calf pain when he walks 200 metres that goes away when he rests.", "non_urgent"),
    ],
)
def test_routine_presentations_are_recognised(lexical_engine: TriageEngine, text: str, expected: str):
    assert lexical_engine.assess(None, text).decision.disposition == expected


def test_when_a_stated_temperature_is_below_38_then_it_is_not_a_fever(lexical_engine: TriageEngine):
    findings = lexical_engine.extractor.extract("She has a temperature of 37.9 after her jab.").findings
    assert "fever" not in {f.concept_id for f in findings if f.status == "present"}


def test_when_a_stated_temperature_is_38_or_more_then_it_is_a_fever(lexical_engine: TriageEngine):
    findings = lexical_engine.extractor.extract("She has a temperature of 38.4.").findings
    assert "fever" in {f.concept_id for f in findings if f.status == "present"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("My 6 year old has chickenpox spots; she's itchy but otherwise well.", "self_care"),
        ("She is 20 weeks pregnant and has come out in chickenpox.", "urgent"),
        ("I think I have the flu, aches and a cough since yesterday.", "self_care"),
        ("My 8 month old is teething and grumpy.", "self_care"),
        ("A painful mouth ulcer for 4 days.", "self_care"),
    ],
)
def test_common_minor_illnesses(lexical_engine: TriageEngine, text: str, expected: str):
    assert lexical_engine.assess(None, text).decision.disposition == expected
