"""Failure classes of the blind batch DEV10 (policy 0.6.0), each with its benign twin, and the clinician
review of urgent decisions that rest on a cardinal finding (engine.yaml ``clinician_review``)."""

import pytest

from backend.triage import TriageEngine, run_case
from backend.triage.types import Decision


def decision(engine: TriageEngine, text: str) -> Decision:
    return run_case(engine, text).decision


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        (
            "A 27-year-old woman whose last menstrual period was seven weeks ago has lower abdominal "
            "discomfort. Pulse 118.",
            "RF-OBS-001",
        ),
        ("LMP 8 weeks ago, lower abdominal pain and pain at the tip of her left shoulder", "RF-OBS-001"),
        ("sudden severe tearing pain between his shoulder blades while lifting", "RF-CARD-003"),
        (
            "stung by a wasp ten minutes ago, his lips are swelling and his voice has become hoarse",
            "RF-ALLERGY-001",
        ),
        ("a 62-year-old smoker coughed up about a cupful of bright red blood this morning", "RF-BLEED-001"),
        ("34 weeks pregnant with a headache. BP 168/112", "RF-OBS-001"),
    ],
)
def test_when_dev10_emergency_wording_then_red_flag(lexical_engine: TriageEngine, text: str, flag: str):
    result = decision(lexical_engine, text)
    assert result.disposition == "emergency"
    assert flag in result.fired_rule_ids


@pytest.mark.parametrize(
    "text",
    [
        "A 27-year-old woman whose last menstrual period was two weeks ago has lower abdominal discomfort.",
        "aching between my shoulder blades after a day of gardening",
        "my voice has been hoarse for two days since the concert",
        "a 40-year-old man coughed up a few streaks of blood in his phlegm with a cold",
        "a 52-year-old man had a blood pressure reading of 168/112 at the pharmacy, no symptoms",
    ],
)
def test_when_benign_twin_then_no_red_flag(lexical_engine: TriageEngine, text: str):
    result = decision(lexical_engine, text)
    assert result.disposition != "emergency", result.fired_rule_ids
    assert not result.red_flags


@pytest.mark.parametrize(
    ("text", "disposition", "rule"),
    [
        (
            "A 70-year-old woman with a urinary catheter has a temperature of 38.5 C and shivers.",
            "urgent",
            "TR-FEVER-011",
        ),
        (
            "A 26-year-old man has sharp chest pain since moving furniture, reproduced by pressing on the "
            "chest wall.",
            "non_urgent",
            "TR-CHEST-004",
        ),
    ],
)
def test_when_dev10_rule_case_then_disposition(
    lexical_engine: TriageEngine, text: str, disposition: str, rule: str
):
    result = decision(lexical_engine, text)
    assert (result.disposition, rule in result.fired_rule_ids) == (disposition, True), result.fired_rule_ids


@pytest.mark.parametrize(
    "text",
    [
        "A 50-year-old woman has not opened her bowels for five days since travelling.",
        "A 27-year-old man has red, sore shoulders after a day at the beach.",
        "A 33-year-old man has itchy, peeling, cracked skin between his toes.",
        "A 29-year-old man has a small painful ulcer inside his lower lip for four days.",
    ],
)
def test_when_dev10_self_care_wording_then_recognised(lexical_engine: TriageEngine, text: str):
    result = decision(lexical_engine, text)
    assert result.disposition == "self_care", result.fired_rule_ids
    assert "no_complaint_recognised" not in result.clinician_reasons


def test_pressing_quality_still_cardiac(lexical_engine: TriageEngine):
    result = decision(lexical_engine, "I'm 35 and have a pressing pain in my chest")
    assert "RF-CARD-001" in result.fired_rule_ids


def test_raised_bp_reading_with_words_between_is_read(lexical_engine: TriageEngine):
    facts = run_case(lexical_engine, "His blood pressure checked at a pharmacy: 158/96, no symptoms").facts
    assert "elevated_bp" in facts.present()


@pytest.mark.parametrize(
    "text",
    [
        "A 30-year-old man was stung by a wasp and his lips are swelling.",  # urgent, lip swelling
        "A 62-year-old smoker has coughed up some blood this morning.",  # urgent, haemoptysis
        "A 72-year-old man has had left lower abdominal pain for two days.",  # abdominal pain from 65
    ],
)
def test_when_urgent_with_cardinal_finding_then_clinician_review(lexical_engine: TriageEngine, text: str):
    result = decision(lexical_engine, text)
    assert result.disposition == "urgent", result.fired_rule_ids
    assert result.needs_clinician
    assert "high_risk_finding" in result.clinician_reasons


@pytest.mark.parametrize(
    "text",
    [
        "A 32-year-old man has had left lower abdominal pain for two days.",  # abdominal pain under 65
        # cellulitis
        "A 35-year-old man has a red, hot, swollen lower leg spreading over a day, temperature 38.1",
    ],
)
def test_when_urgent_without_cardinal_finding_then_no_review_reason(lexical_engine: TriageEngine, text: str):
    result = decision(lexical_engine, text)
    assert result.disposition == "urgent", result.fired_rule_ids
    assert "high_risk_finding" not in result.clinician_reasons


def test_review_reason_only_for_listed_dispositions(lexical_engine: TriageEngine):
    emergency = decision(lexical_engine, "crushing chest pain and sweating")
    assert emergency.disposition == "emergency" and "high_risk_finding" not in emergency.clinician_reasons
    routine = decision(
        lexical_engine, "A 26-year-old man has chest pain reproduced by pressing on the chest wall."
    )
    assert routine.disposition == "non_urgent" and "high_risk_finding" not in routine.clinician_reasons


@pytest.mark.slow
def test_a_negated_word_is_not_a_paraphrase_of_its_unnegated_use(engine: TriageEngine):
    # "has no rash" is not "rash that doesn't fade"; "passing urine normally" is not "not passed urine"
    text = "A 5-year-old has had a temperature for five days. He is passing urine normally and has no rash."
    present = run_case(engine, text).facts.present()
    assert "nonblanching_rash" not in present and "no_urine" not in present
    positive = run_case(engine, "my toddler has a fever and a rash that doesn't fade").facts.present()
    assert "nonblanching_rash" in positive


@pytest.mark.slow
def test_a_gradual_headache_is_not_a_thunderclap_paraphrase(engine: TriageEngine):
    gradual = (
        "A 30-year-old woman developed a headache gradually over the afternoon after a poor night's sleep."
    )
    assert "thunderclap_headache" not in run_case(engine, gradual).facts.present()
    sudden = run_case(engine, "A 41-year-old woman has the worst headache ever, it came on suddenly")
    assert sudden.decision.disposition == "emergency"


@pytest.mark.parametrize(
    ("text", "disposition", "rule"),
    [
        (
            "A 40-year-old man has a painless lump in his right groin that goes away when he lies down.",
            "non_urgent",
            "TR-GENERAL-009",
        ),
        (
            "A 60-year-old man has a painful lump in his groin that won't go back in and he keeps vomiting.",
            "emergency",
            "TR-GENERAL-008",
        ),
        (
            "A 68-year-old woman had a routine blood test showing HbA1c 52 mmol/mol. No symptoms.",
            "non_urgent",
            "TR-GENERAL-010",
        ),
    ],
)
def test_groin_lump_and_hba1c(lexical_engine: TriageEngine, text: str, disposition: str, rule: str):
    result = decision(lexical_engine, text)
    assert (result.disposition, rule in result.fired_rule_ids) == (disposition, True), result.fired_rule_ids
