"""Policy 0.9.19: RT7's two under-triaged classes and its fit-note seizure look-alike (after its judgement).

Texts written for this file, not taken from the blind batch. Decided on the rules engine.
"""

from __future__ import annotations

import pytest

from backend.triage import TriageEngine
from tests.triage.conftest import assert_found_and_decided, final, present_concepts

RELIEVER_EVERY_FEW_HOURS = [
    "can I get a repeat, I've been needing my blue inhaler every 2-3 hrs since Sunday",
    "my ventolin is running low because I'm using it every three hours",
    "been on the reliever every 4 hours for two days, is that ok",
    "using my puffer every couple of hours this week",
]
PREVENTER_ROUTINE = [
    "I need a repeat of the inhaler I take every morning and evening",
    "brown inhaler twice a day, blue one maybe once a week, can I order both",
    "my inhaler every other day is fine, just need the form for school",
]
MEDICINE_REVIEWS = [
    "could I have a review of my ramipril please",
    "the pharmacist said I should ask you to review my tablets",
    "I'd like a review of all my medication, I'm on seven things now",
]


@pytest.mark.parametrize("text", RELIEVER_EVERY_FEW_HOURS)
def test_a_reliever_needed_every_few_hours_is_poorly_controlled_asthma_seen_within_a_day(
    engine: TriageEngine, text: str
) -> None:
    assert_found_and_decided(engine, text, "asthma_poorly_controlled", ("urgent", "emergency"))


@pytest.mark.parametrize("text", PREVENTER_ROUTINE)
def test_a_preventer_schedule_is_not_poorly_controlled_asthma(
    lexical_engine: TriageEngine, text: str
) -> None:
    assert "asthma_poorly_controlled" not in present_concepts(lexical_engine, text)


@pytest.mark.parametrize("text", MEDICINE_REVIEWS)
def test_a_review_of_the_patients_medicines_is_a_routine_request(engine: TriageEngine, text: str) -> None:
    assert "routine_request" in present_concepts(engine, text)
    assert final(engine, text) == ("non_urgent", ("TR-ROUTINE-003",))


def test_a_medicine_review_told_with_a_symptom_is_no_routine_appointment(engine: TriageEngine) -> None:
    text = (
        "I'd like a review of my amlodipine, my ankles have been really swollen "
        "and I get breathless lying flat"
    )
    disposition, rules = final(engine, text)
    assert disposition in ("urgent", "emergency") and "TR-ROUTINE-003" not in rules, (disposition, rules)


def test_a_pronoun_reaches_back_only_within_the_sentence(lexical_engine: TriageEngine) -> None:
    text = "I had my inhaler this morning. Taking paracetamol, I use it every four hours"
    assert "asthma_poorly_controlled" not in present_concepts(lexical_engine, text)


FIT_LOOK_ALIKES = [
    "need another fit note, back still sore, physio waiting list is ages",  # RT7's class: a fit note
    "I had a fit note from the hospital last month and need it extended",
    "I need to book my coil fitting",
    "when is my hearing aid fitting appointment",
    "my daughter had a fit of giggles and then got hiccups",
    "having a fit to work assessment next week, can you send my records",
]
SEIZURES = [
    "she had a fit yesterday lasting 2 minutes",
    "he had another fit for about five minutes",
    "the baby is fitting",
    "he's been fitting for 5 minutes and won't wake up",
    "had a fit this morning and I need a fit note for work",  # a seizure beside a look-alike still counts
    "my son had his first fit today, his arms were jerking all over",
]


@pytest.mark.parametrize("text", FIT_LOOK_ALIKES)
def test_fit_notes_fittings_and_fits_of_giggles_are_no_seizure(engine: TriageEngine, text: str) -> None:
    assert "seizure" not in present_concepts(engine, text)
    assert final(engine, text)[0] != "emergency"


@pytest.mark.parametrize("text", SEIZURES)
def test_a_seizure_told_beside_a_look_alike_is_still_a_seizure_emergency(
    engine: TriageEngine, text: str
) -> None:
    assert_found_and_decided(engine, text, "seizure", ("emergency",), rule="RF-NEURO-003")


ROUND_FOUR_REQUEST_KINDS = [
    "the nursery sent a medicines form for her epipen, they need it signed by a doctor",  # a form to sign
    "my dad is 70, can he still get the aneurysm screening",  # AAA screening told in words
    "where do I send my home blood pressure readings",  # readings sent in
    "we have moved to a new flat across town, please update my address",  # change of address
    "my employer wants confirmation from my GP that I can do night shifts",  # confirmation from the GP
    "the bowel cancer test kit never arrived",  # a screening kit
    "I need to rebook my diabetic eye photos",  # diabetic eye screening in lay words
    "I'm due my yearly kidney blood test, can I book it",  # a test due
    "can I see the phlebotomist on Friday morning",  # phlebotomy
    "I need a medical for my taxi licence renewal",  # a licensing medical
    "is my stool sample result back yet",  # a result asked after
    "my annual asthma review is late, can I book one",  # a review late
    "can my son get a new spacer on prescription",  # an item on prescription
]
NOT_REQUESTS = [
    "I have been on a prescription of amoxicillin and now my lips are swelling",
    "my headache is due to the test they did yesterday, it's getting worse",
]


@pytest.mark.parametrize("text", ROUND_FOUR_REQUEST_KINDS)
def test_round_four_request_kinds_are_routine_appointments(engine: TriageEngine, text: str) -> None:
    assert final(engine, text) == ("non_urgent", ("TR-ROUTINE-003",))


@pytest.mark.parametrize("text", NOT_REQUESTS)
def test_a_treatment_history_or_a_cause_is_no_request(lexical_engine: TriageEngine, text: str) -> None:
    assert "routine_request" not in present_concepts(lexical_engine, text)


@pytest.mark.parametrize(
    "text", ["can I get my hayfever tablets on prescription", "my hayfever is bad this week"]
)
def test_hay_fever_in_one_word_is_no_fever(engine: TriageEngine, text: str) -> None:
    assert "fever" not in present_concepts(engine, text)


def test_a_fever_told_beside_hay_fever_is_still_a_fever(engine: TriageEngine) -> None:
    assert "fever" in present_concepts(
        engine, "my hayfever is fine but I have had a fever of 39 since last night"
    )


def test_a_fit_test_kit_is_no_seizure(engine: TriageEngine) -> None:
    assert "seizure" not in present_concepts(
        engine, "I need another FIT test kit, the last one got lost in the post"
    )
