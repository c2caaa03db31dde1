"""Policy 0.9.23 (sixth request round): medicine questions in more words, antibiotic rashes and diarrhoea,
diabetes doses around a fast or a time-zone change, and lexicon patterns anchored at the start of a word.

Texts written for this file, not taken from any batch. Decided on the rules engine.
"""

from __future__ import annotations

import pytest

from backend.triage import TriageEngine
from tests.triage.conftest import assert_found_and_decided, final, present_concepts

MORE_MEDICINE_QUESTIONS = [
    # driving
    "I've just been put on amitriptyline for my nerve pain, am I allowed to drive on it?",
    "is it legal to drive on these codeine tablets",
    # fasting
    "can I still use my salbutamol inhaler while fasting for Ramadan or does it break the fast",
    # home or local time abroad
    "I take my Cerazette at 7am, going to Florida, do I keep to UK time",
    # a patch that came off
    "my HRT patch keeps falling off when I swim, what should I do",
    # tablets that look different
    "my omeprazole capsules look different this month, is that ok?",
    "the pharmacy gave me a different brand of sertraline, is it the same thing",
    # crushing or splitting
    "can I crush my lansoprazole and put it in yoghurt",
    "am I allowed to cut these tablets in half",
    # eye drops
    "I have two eye drops in the morning, do I wait between them or put one after the other",
    # keeping cool while travelling
    "do my insulin pens need a cool bag on the plane",
    # disposal
    "what should I do with all the tablets left after my dad died",
    # breastfeeding or pregnancy
    "is cetirizine safe while breastfeeding",
    # two things together
    "I'm on citalopram, can I take them together with my omeprazole",
    "is it ok to take echinacea with my other tablets, will it interfere with them",
    # finishing a course
    "do I have to finish the whole course of antibiotics if I feel better",
    # inhaler technique
    "my daughter has a new brown inhaler, do I shake it between puffs",
    # alcohol
    "I'm on lansoprazole, can I have a few drinks at the weekend",
    # a dose forgotten, told after the medicine
    "my weekly alendronate is on Mondays but I forgot yesterday, do I take it today",
    # which to buy
    "which antihistamine can I buy that won't make me sleepy",
]


@pytest.mark.parametrize("text", MORE_MEDICINE_QUESTIONS)
def test_more_kinds_of_medicine_question_are_self_care_with_a_pharmacist(
    engine: TriageEngine, text: str
) -> None:
    assert "medicine_use_question" in present_concepts(engine, text), text
    assert final(engine, text) == ("self_care", ("TR-ROUTINE-004",))


@pytest.mark.parametrize(
    "text",
    [
        "I was driving with my son when he had a fit and went blue",
        "a patch of skin came off my heel and it's bleeding",
        "what do you think, my wee is a different colour",
    ],
)
def test_look_alikes_of_the_new_kinds_are_not_medicine_questions(
    lexical_engine: TriageEngine, text: str
) -> None:
    assert "medicine_use_question" not in present_concepts(lexical_engine, text)


@pytest.mark.parametrize(
    "text",
    [
        "I'm on insulin and flying to Australia, how do I change my doses across the time zones",
        "I take gliclazide and metformin, how should I take them when I'm fasting in Ramadan",
    ],
)
def test_diabetes_doses_around_a_fast_or_a_time_zone_change_need_a_planned_review(
    engine: TriageEngine, text: str
) -> None:
    assert_found_and_decided(engine, text, "diabetes_dose_planning", ("non_urgent",), "TR-ROUTINE-006")


def test_a_fasting_sugar_without_a_diabetes_medicine_is_no_dose_planning(
    lexical_engine: TriageEngine,
) -> None:
    text = "my fasting sugar was 6.5 at the chemist, I'm not diabetic"
    assert "diabetes_dose_planning" not in present_concepts(lexical_engine, text)


def test_a_rash_on_an_antibiotic_is_assessed_as_a_possible_allergy(engine: TriageEngine) -> None:
    text = "I'm on day 3 of flucloxacillin and I've come out in a rash on my arms, not itchy"
    assert_found_and_decided(engine, text, "antibiotic_recent", ("non_urgent",), "TR-SKIN-013")


def test_frequent_diarrhoea_after_antibiotics_is_seen_within_a_day(engine: TriageEngine) -> None:
    text = "I finished clarithromycin last week and now I have had diarrhoea six times today"
    assert_found_and_decided(engine, text, "diarrhoea_three_plus_daily", ("urgent",), "TR-GI-008")


def test_frequent_diarrhoea_without_antibiotics_is_not_the_antibiotic_rule(engine: TriageEngine) -> None:
    text = "I have had diarrhoea four times today after a dodgy takeaway, drinking fine"
    assert "TR-GI-008" not in final(engine, text)[1]


def test_a_child_found_with_an_open_bottle_of_tablets_is_a_poisoning(engine: TriageEngine) -> None:
    text = "found my toddler with an open bottle of his nan's heart tablets, some might be gone"
    assert_found_and_decided(engine, text, "overdose", ("emergency",))


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("do I have to finish them, I hate taking tablets", "overdose"),
        ("the hospital wants my blood tested next week", "mouth_throat_bleeding"),
        ("I booked it two weeks ago my ankle is fine now", "limb_injury"),
        ("I'd like a few drinks at the weekend", "osmotic_symptoms"),
    ],
)
def test_a_lexicon_pattern_does_not_match_inside_another_word(
    lexical_engine: TriageEngine, text: str, concept: str
) -> None:
    assert concept not in present_concepts(lexical_engine, text)


def test_a_pattern_that_starts_with_punctuation_still_matches_after_a_word(
    lexical_engine: TriageEngine,
) -> None:
    assert "reduced_consciousness" in present_concepts(lexical_engine, "he is asleep, very hard to wake")
    assert "constipation" in present_concepts(lexical_engine, "she hasn't opened her bowels for a week")
