"""Vital signs read from clinician notes, NEWS2 and qSOFA, and the red flags and rules that use them."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backend.triage import CaseFacts, Finding, TriageEngine, decide, detect_red_flags
from backend.triage.text import normalise
from backend.triage.types import VitalSigns
from backend.triage.vitals import extract_vitals, merge_vitals, news2, qsofa
from clinical_policies import PolicyBundle


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "On exam temp 38.9, HR 118, RR 24, BP 92/60, SpO2 93% on air.",
            VitalSigns(heart_rate=118, respiratory_rate=24, spo2=93, systolic_bp=92, temperature_c=38.9),
        ),
        ("Pulse 54 bpm, blood pressure of 150/90 mmHg", VitalSigns(heart_rate=54, systolic_bp=150)),
        ("sats 89% on room air, temperature 101.3 F", VitalSigns(spo2=89, temperature_c=38.5)),
        ("Respiratory rate of 30, T 35.2", VitalSigns(respiratory_rate=30, temperature_c=35.2)),
        ("my knee has hurt for 10/10 days", VitalSigns()),
        ("I have a cough and a runny nose", VitalSigns()),
    ],
)
def test_extract_vitals_from_clinician_notes(text: str, expected: VitalSigns):
    assert extract_vitals(normalise(text)) == expected


def test_when_a_vital_sign_is_restated_then_the_newest_value_wins():
    old = VitalSigns(heart_rate=120, spo2=95)
    assert merge_vitals(old, VitalSigns(heart_rate=88)) == VitalSigns(heart_rate=88, spo2=95)


@pytest.mark.parametrize(
    ("vitals", "altered", "age", "expected"),
    [
        (VitalSigns(heart_rate=118, respiratory_rate=26, spo2=90), False, 45, 2 + 3 + 3),
        (
            VitalSigns(heart_rate=72, respiratory_rate=14, spo2=98, systolic_bp=124, temperature_c=36.8),
            False,
            40,
            0,
        ),
        (
            VitalSigns(heart_rate=110, respiratory_rate=24, systolic_bp=88, temperature_c=38.6),
            True,
            82,
            1 + 2 + 3 + 1 + 3,
        ),
        (VitalSigns(systolic_bp=225, temperature_c=39.5), False, None, 3 + 2),
        (VitalSigns(heart_rate=160, respiratory_rate=40), False, 2, None),  # NEWS2 is not used in children
        (VitalSigns(), False, 50, None),
    ],
)
def test_news2_scores_the_stated_parameters(
    triage_bundle: PolicyBundle, vitals: VitalSigns, altered: bool, age: float | None, expected: int | None
):
    warning = triage_bundle.engine.early_warning
    assert warning is not None
    assert news2(warning, vitals, altered, age) == expected


def test_qsofa_counts_rate_pressure_and_mentation(triage_bundle: PolicyBundle):
    warning = triage_bundle.engine.early_warning
    assert warning is not None
    assert qsofa(warning, VitalSigns(respiratory_rate=22, systolic_bp=100), True) == 3
    assert qsofa(warning, VitalSigns(respiratory_rate=21, systolic_bp=101), False) == 0


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("Breathless and tired. HR 118, RR 26, SpO2 92% on room air, temp 38.3.", "RF-VITALS-001"),
        ("Burning when passing urine and a fever; RR 23 and BP 98/60.", "RF-INF-004"),
    ],
)
def test_early_warning_scores_fire_red_flags(lexical_engine: TriageEngine, text: str, flag: str):
    decision = lexical_engine.assess(None, text).decision
    assert decision.disposition == "emergency"
    assert flag in decision.fired_rule_ids
    hit = next(h for h in decision.red_flags if h.red_flag_id == flag)
    assert any(e.startswith(("NEWS2", "qSOFA")) for e in hit.evidence)


def test_when_news2_is_medium_then_a_minor_complaint_is_urgent(lexical_engine: TriageEngine):
    decision = lexical_engine.assess(None, "Cough and a cold. RR 24, SpO2 93%, temp 38.4.").decision
    assert decision.disposition == "urgent"
    assert "TR-VITALS-002" in decision.fired_rule_ids


def test_normal_observations_leave_a_minor_complaint_at_self_care(lexical_engine: TriageEngine):
    text = "Runny nose and sneezing for 2 days. HR 84, RR 16, SpO2 98%, temp 37.6, BP 122/76."
    assert lexical_engine.assess(None, text).decision.disposition == "self_care"


vital = st.one_of(st.none(), st.floats(20, 250))


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_red_flags_still_win_with_any_vital_signs(triage_bundle: PolicyBundle, data: st.DataObject):
    ids = [c.id for c in triage_bundle.symptoms.concepts]
    present = data.draw(st.lists(st.sampled_from(ids), max_size=5, unique=True))
    facts = CaseFacts(
        findings=tuple(
            Finding(concept_id=c, status="present", evidence=c, source="lexicon", score=1.0) for c in present
        ),
        age_years=data.draw(st.one_of(st.none(), st.floats(0, 100))),
        vitals=VitalSigns(
            heart_rate=data.draw(vital),
            respiratory_rate=data.draw(st.one_of(st.none(), st.floats(4, 60))),
            spo2=data.draw(st.one_of(st.none(), st.floats(60, 100))),
            systolic_bp=data.draw(vital),
            temperature_c=data.draw(st.one_of(st.none(), st.floats(30, 43))),
        ),
    )
    decision = decide(triage_bundle, facts)
    if detect_red_flags(triage_bundle, facts):
        assert decision.disposition == triage_bundle.engine.emergency_disposition
