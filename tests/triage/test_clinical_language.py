"""Clinician-note language: ECG and laboratory findings, exam signs, abbreviations, and their negation."""

import pytest

from backend.triage import TriageEngine


def statuses(engine: TriageEngine, text: str) -> dict[str, str]:
    return {f.concept_id: f.status for f in engine.extractor.extract(text).findings}


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("ECG shows ST elevation in leads II, III and aVF.", "ischaemic_ecg"),
        (
            "ECG shows [LOCATION_1] elevation in leads V1-V4.",
            "ischaemic_ecg",
        ),  # "ST" taken by the PII redactor
        ("Bloods: Hb 74, platelets 45, creatinine raised.", "thrombocytopenia"),
        ("Bloods: Hb 74, platelets 45, creatinine raised.", "severe_anaemia"),
        ("Bloods: Hb 74, platelets 45, creatinine raised.", "acute_kidney_injury"),
        ("trismus and a muffled voice; uvula deviated to the left", "quinsy_features"),
        ("scalp tenderness and jaw claudication, ESR 80", "gca_features"),
        ("drinking and peeing loads for two weeks", "osmotic_symptoms"),
        ("deep rapid breathing", "ketosis"),
        ("a painful fluctuant swelling with surrounding erythema", "cellulitis"),
        ("pain radiating down the back of his right leg", "sciatica"),
        ("3 days after returning from Kenya with a fever", "recent_travel"),
        ("a band squeezing his chest", "chest_pain"),
        ("vomiting a large amount of bright red blood", "vomiting_blood"),
        ("a mole that has grown and become irregular in colour", "mole_change"),
    ],
)
def test_extract_clinician_note_findings(lexical_engine: TriageEngine, text: str, concept: str):
    assert statuses(lexical_engine, text).get(concept) == "present"


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("ECG shows no ST elevation.", "ischaemic_ecg"),
        ("No trismus.", "quinsy_features"),
        ("Denies scalp tenderness.", "gca_features"),
        ("Not forgetful at all.", "memory_loss"),
        ("Platelets 250, Hb 140.", "thrombocytopenia"),
        ("Platelets 250, Hb 140.", "severe_anaemia"),
    ],
)
def test_negated_or_normal_clinical_findings_are_not_present(
    lexical_engine: TriageEngine, text: str, concept: str
):
    assert statuses(lexical_engine, text).get(concept) != "present"


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("Central chest discomfort; ECG shows [LOCATION_1] elevation in leads II and aVF.", "RF-CARD-001"),
        ("Bloody diarrhoea for 5 days and has passed very little urine.", "RF-RENAL-001"),
        ("Drinking and peeing loads, now vomiting and very sleepy.", "RF-META-001"),
        ("Sore throat with trismus and a deviated uvula.", "RF-ENT-002"),
        ("Stopped her prednisolone a week ago, now vomiting and dizzy.", "RF-ENDO-001"),
        ("Baby drawing his legs up and crying, vomiting, redcurrant jelly stool.", "RF-PAED-002"),
    ],
)
def test_new_red_flags_fire(lexical_engine: TriageEngine, text: str, flag: str):
    decision = lexical_engine.assess(None, text).decision
    assert decision.disposition == "emergency"
    assert flag in decision.fired_rule_ids


@pytest.mark.slow
def test_paraphrases_must_agree_on_the_side_of_the_body(engine: TriageEngine):
    found = statuses(engine, "mild tenderness in the left iliac fossa without guarding")
    assert found.get("rlq_pain") != "present"


@pytest.mark.slow
def test_a_window_inside_an_exact_match_does_not_vote_for_another_concept(engine: TriageEngine):
    found = statuses(engine, "He snores and stops breathing for a few seconds in his sleep.")
    assert found.get("sleep_apnoea") == "present"
    assert found.get("unresponsive") != "present"
