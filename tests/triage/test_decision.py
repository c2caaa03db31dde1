"""Decisions: explanations, confidence, escalation to a clinician, acuity floor, serialisation."""

from backend.triage import Assessment, CaseFacts, TriageEngine, floor_disposition, run_case
from clinical_policies import PolicyBundle


def test_decision_carries_rule_ids_and_evidence_phrases(lexical_engine: TriageEngine):
    decision = run_case(lexical_engine, "I've had a cough for four weeks").decision
    assert decision.disposition == "non_urgent"
    assert "TR-COLD-004" in decision.fired_rule_ids
    assert any(e.concept_id == "cough" and e.phrase == "cough" for e in decision.evidence)
    assert decision.patient_message and decision.safety_net


def test_when_high_risk_group_then_needs_clinician(lexical_engine: TriageEngine):
    decision = run_case(lexical_engine, "I'm having chemotherapy and I've got a cough").decision
    assert decision.needs_clinician
    assert "high_risk_group" in decision.clinician_reasons
    pregnant = run_case(lexical_engine, "I'm 12 weeks pregnant and have a runny nose").decision
    assert "high_risk_group" in pregnant.clinician_reasons


def test_when_evidence_conflicts_then_needs_clinician(lexical_engine: TriageEngine):
    first = lexical_engine.assess(None, "I have a fever and a cough")
    second = lexical_engine.assess(first.facts, "actually there's no fever")
    assert "fever" in second.facts.conflicts
    assert second.facts.finding("fever").status == "present"  # type: ignore[union-attr]
    assert "conflicting_evidence" in second.decision.clinician_reasons


def test_when_nothing_recognised_then_fallback_and_clinician(lexical_engine: TriageEngine):
    decision = run_case(lexical_engine, "I just feel a bit off today").decision
    assert decision.disposition == lexical_engine.bundle.engine.fallback_disposition
    assert decision.needs_clinician
    assert decision.clinician_reasons == ("no_complaint_recognised",)


def test_unknown_answers_lower_confidence(lexical_engine: TriageEngine):
    first = lexical_engine.assess(None, "I have a headache")
    unknown = run_case(lexical_engine, "I have a headache", "I don't know")
    assert unknown.decision.confidence < first.decision.confidence


def test_red_flag_is_certain_and_goes_to_emergency_not_the_queue(lexical_engine: TriageEngine):
    decision = lexical_engine.assess(None, "I'm pregnant and my baby has stopped moving").decision
    assert decision.disposition == "emergency"
    assert decision.confidence == 1.0
    assert not decision.needs_clinician
    assert decision.fired_rule_ids[0].startswith("RF-")


def test_model_can_raise_but_never_lower_acuity(triage_bundle: PolicyBundle):
    assert floor_disposition(triage_bundle, "urgent", "self_care") == "urgent"
    assert floor_disposition(triage_bundle, "urgent", "emergency") == "emergency"
    assert floor_disposition(triage_bundle, "self_care", None) == "self_care"


def test_assessment_round_trips_through_json(engine: TriageEngine):
    first = engine.assess(None, "I'm 30, my chest hurts and I feel dizzy")
    restored = Assessment.model_validate_json(first.model_dump_json())
    assert restored == first
    facts = CaseFacts.model_validate(first.facts.model_dump(mode="json"))
    assert engine.assess(facts, "I don't know") == engine.assess(first.facts, "I don't know")
