"""Policy 0.9.21: MQ1's under-triaged classes and red-flag look-alikes, fixed after its judgement.

Texts written for this file, not taken from the batch. Decided on the rules engine.
"""

from __future__ import annotations

import pytest

from backend.triage import TriageEngine
from backend.triage.vignettes import run_case
from tests.triage.conftest import assert_found_and_decided, final, present_concepts


@pytest.mark.parametrize(
    "text",
    [
        "I'm on apixaban and I've been sick three times, it looked like blood",
        "been throwing up since lunch and there was blood in the sick",
    ],
)
def test_vomit_that_looked_like_blood_is_an_emergency(engine: TriageEngine, text: str) -> None:
    assert_found_and_decided(engine, text, "vomiting_blood", ("emergency",))


@pytest.mark.parametrize(
    "text",
    [
        "since my atorvastatin went up my legs are weak and my pee is cola coloured",
        "after the marathon my wee is dark brown and my muscles are killing me",
    ],
)
def test_brown_or_cola_coloured_urine_is_seen_within_a_day(engine: TriageEngine, text: str) -> None:
    assert_found_and_decided(engine, text, "dark_urine", ("urgent", "emergency"))


@pytest.mark.parametrize("text", ["I've been drinking water and tea all day", "my wee smells a bit"])
def test_tea_and_water_are_not_dark_urine(lexical_engine: TriageEngine, text: str) -> None:
    assert "dark_urine" not in present_concepts(lexical_engine, text)


def test_symptoms_after_an_extra_dose_are_seen_within_a_day(engine: TriageEngine) -> None:
    text = "took my bisoprolol twice today by mistake and now I feel faint and dizzy"
    assert_found_and_decided(engine, text, "extra_dose_taken", ("urgent",), "TR-EXTRADOSE-001")


def test_an_extra_dose_without_symptoms_told_goes_to_a_clinician(engine: TriageEngine) -> None:
    decision = run_case(engine, "I accidentally took my amlodipine twice this morning").decision
    assert decision.disposition == "urgent" and decision.needs_clinician, decision


def test_an_illness_that_happened_twice_is_no_extra_dose(lexical_engine: TriageEngine) -> None:
    text = "my son had diarrhoea twice today but is drinking and playing normally"
    assert "extra_dose_taken" not in present_concepts(lexical_engine, text)


@pytest.mark.parametrize(
    "text",
    [
        "I use my preventer every day but I'm still waking up wheezing most nights",
        "needing my blue inhaler most days at the moment, can I have a repeat",
    ],
)
def test_asthma_not_controlled_is_seen_within_a_day(engine: TriageEngine, text: str) -> None:
    assert_found_and_decided(engine, text, "asthma_poorly_controlled", ("urgent", "emergency"))


def test_a_cough_at_night_without_an_inhaler_is_not_poorly_controlled_asthma(
    lexical_engine: TriageEngine,
) -> None:
    assert "asthma_poorly_controlled" not in present_concepts(
        lexical_engine, "she's waking up coughing with her cold"
    )


@pytest.mark.parametrize(
    "text",
    [
        "my dad has always found it hard to swallow big tablets, can they come as a liquid?",
        "my 9 year old can't swallow capsules, is there another form of this antibiotic",
    ],
)
def test_tablets_hard_to_swallow_are_no_airway_threat_or_overdose(engine: TriageEngine, text: str) -> None:
    present = present_concepts(engine, text)
    assert not present & {"overdose", "drooling_cant_swallow"}, present
    assert final(engine, text)[0] != "emergency"


@pytest.mark.parametrize(
    "text",
    [
        "she can't swallow anything, not even her own spit, and is drooling",
        "my toddler swallowed some of my tablets",
    ],
)
def test_real_swallowing_and_overdose_emergencies_stay(engine: TriageEngine, text: str) -> None:
    assert final(engine, text)[0] == "emergency"


def test_a_leaflet_that_makes_no_sense_is_no_confusion(engine: TriageEngine) -> None:
    text = "the leaflet for my new omeprazole makes no sense, before or after food?"
    assert "confusion" not in present_concepts(engine, text)
    assert "confusion" in present_concepts(engine, "since this morning he's not making sense")


def test_blisters_everywhere_with_a_sore_mouth_and_fever_is_an_emergency(engine: TriageEngine) -> None:
    text = "on lamotrigine, now a rash all over with blisters, my mouth is raw and I have a fever"
    assert_found_and_decided(engine, text, "skin_peeling", ("emergency",))


def test_a_blister_on_the_heel_is_no_widespread_blistering(lexical_engine: TriageEngine) -> None:
    assert "skin_peeling" not in present_concepts(lexical_engine, "new shoes gave me a blister on my heel")


def test_a_head_knock_told_by_its_side_on_an_anticoagulant_with_vomiting_is_an_emergency(
    engine: TriageEngine,
) -> None:  # 0.9.22 (MQ2, development data)
    text = "dad is on apixaban and knocked the side of his head on a shelf, now he's been sick twice"
    assert_found_and_decided(engine, text, "head_injury", ("emergency",))


def test_a_time_critical_medicine_that_cannot_be_kept_down_is_urgent(engine: TriageEngine) -> None:
    text = "I've been throwing up all night and can't keep my Parkinson's meds down"
    assert_found_and_decided(engine, text, "critical_medicine_missed", ("urgent", "emergency"))
    assert "critical_medicine_missed" not in present_concepts(
        engine, "I can't keep my insulin cool down here"
    )
