"""Reduced level of consciousness at any age (policy 0.8.3, RF-NEURO-007).

"Hard to wake" was part of `drowsy`, which is a red flag only for children or next to other findings, so an
adult who is hard to rouse was triaged urgent. Responding only to voice is V on ACVPU (NEWS2: 3 points in one
parameter). The split keeps first-person sleepiness ("I find it hard to wake up in the mornings") out: someone
describing it is awake. Phrasings written by us, not taken from any evaluation case.
"""

import pytest

from backend.triage import TriageEngine


@pytest.mark.parametrize(
    "text",
    [
        "not eating, very sleepy, hard to wake, 80 years old",
        "my dad is 80, not eating, very sleepy and hard to wake",
        "My husband is really difficult to wake this morning and mumbling",
        "mum keeps drifting in and out of consciousness",
        "she only opens her eyes when I shout at her",
        "He's 45 and diabetic and we can barely wake him",
        "grandad can't stay awake, keeps nodding off mid sentence, he's 79",
        "72M, GCS 14, found at home by neighbour",
        "pt obtunded, responds to voice only",
        "my wife is very hard to rouse after her fall",
    ],
)
def test_reduced_consciousness_is_an_emergency(engine: TriageEngine, text: str):
    decision = engine.assess(None, text).decision
    assert decision.disposition == "emergency"
    assert "RF-NEURO-007" in decision.fired_rule_ids


@pytest.mark.parametrize(
    "text",
    [
        "I find it hard to wake up in the mornings and I'm tired all the time",
        "it's hard to wake up early for work, I feel exhausted",
        "my son is hard to wake up for school, he's 15 and stays up late gaming",
        "I can't stay awake at work after lunch",
        "she is tired and sleeping a lot with a cold",
        "GCS 15, alert, small cut on forehead",
        "GCS 14-15 on arrival, now 15",
    ],
)
def test_sleepiness_of_someone_awake_is_not_reduced_consciousness(engine: TriageEngine, text: str):
    result = engine.assess(None, text)
    present = {f.concept_id for f in result.facts.findings if f.status == "present"}
    assert "reduced_consciousness" not in present
    assert "RF-NEURO-007" not in result.decision.fired_rule_ids


def test_negated_reduced_consciousness_does_not_fire(lexical_engine: TriageEngine):
    result = lexical_engine.assess(None, "she is sleepy but not hard to wake and is talking normally")
    assert "RF-NEURO-007" not in result.decision.fired_rule_ids
