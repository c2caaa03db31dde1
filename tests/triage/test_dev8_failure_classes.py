"""Failure classes found by development batches DEV8 (blind) and DEV9 (policy 0.5.0), with benign twins."""

import pytest

from backend.triage import TriageEngine
from backend.triage.demographics import extract_age
from backend.triage.text import normalise
from clinical_policies import load_policy_bundle
from tests.triage.conftest import final


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("I took about 30 paracetamol last night but I feel fine now", "RF-TOX-001"),
        ("she swallowed 20 ibuprofen an hour ago", "RF-TOX-001"),
        ("my 2 year old has swallowed one of the little button batteries from the remote", "RF-TOX-001"),
        ("my son swallowed two small magnets from a toy", "RF-TOX-001"),
        ("I'm 32 weeks pregnant with a bad headache and seeing flashing lights", "RF-OBS-001"),
        ("34 weeks pregnant, my face and hands have suddenly swollen up and I have a headache", "RF-OBS-001"),
        ("Got a sore throat, and since lunch my left arm and leg have gone weak and numb", "RF-NEURO-001"),
        ("I can't catch my breath, can't even finish a sentence", "RF-RESP-001"),
        ("he is too breathless to talk", "RF-RESP-001"),
        ("his speech went funny and he can't find his words", "RF-NEURO-001"),
        ("pain in my right leg, it's gone cold and pale", "RF-TRAUMA-001"),
    ],
)
def test_when_an_emergency_is_worded_in_lay_terms_then_its_red_flag_fires(
    lexical_engine: TriageEngine, text: str, flag: str
):
    disposition, fired = final(lexical_engine, text)
    assert disposition == "emergency"
    assert flag in fired


@pytest.mark.parametrize(
    "text",
    [
        "I took 2 paracetamol for my headache this morning",
        "I'm 30 weeks pregnant with a mild headache, no flashing lights and no swelling",
    ],
)
def test_when_the_dangerous_feature_is_absent_or_a_normal_dose_then_no_emergency(
    lexical_engine: TriageEngine, text: str
):
    disposition, _ = final(lexical_engine, text)
    assert disposition != "emergency"


@pytest.mark.parametrize(
    ("text", "disposition", "rule"),
    [
        ("my nose has been bleeding for 25 minutes and won't stop even though I'm pinching it", "urgent",
         "TR-GENERAL-007"),
        ("nosebleed this morning, I'm on warfarin", "urgent", "TR-GENERAL-006"),
        ("headache for 3 weeks, worse in the morning and when I cough", "urgent", "TR-HEAD-008"),
        ("got a painful lump in my armpit, red and hot and getting bigger", "urgent", "TR-SKIN-002"),
        ("my dad gets up 4 or 5 times a night to wee and his flow is weak", "non_urgent", "TR-URINE-008"),
        ("I'd like some help with my drinking, 6 or 7 cans every night", "non_urgent", "TR-MIND-005"),
        ("itchy thick white vaginal discharge, not pregnant, no tummy pain", "self_care", "TR-GENITAL-003"),
        ("cut my finger chopping onions, it bled a bit but it's stopped now", "self_care", "TR-INJURY-006"),
        ("my mum has had diarrhoea for 4 days and is hardly drinking", "urgent", "TR-GI-002"),
        ("my 9 year old still wets the bed most nights", "non_urgent", "TR-URINE-009"),
    ],
)  # fmt: skip
def test_when_a_dev8_failure_class_is_met_then_its_rule_decides(
    lexical_engine: TriageEngine, text: str, disposition: str, rule: str
):
    got, fired = final(lexical_engine, text)
    assert got == disposition
    assert rule in fired


def test_when_a_nosebleed_has_stopped_then_it_stays_self_care(lexical_engine: TriageEngine):
    got, fired = final(lexical_engine, "my son had a nosebleed this morning that stopped after 10 minutes")
    assert got == "self_care"
    assert "TR-GENERAL-007" not in fired


@pytest.mark.parametrize(
    "text",
    [
        "thick white vaginal discharge and I'm 20 weeks pregnant",
        "white urethral discharge after unprotected sex",
        "thick white discharge with fever and lower tummy pain",
    ],
)
def test_when_discharge_is_not_uncomplicated_thrush_then_not_self_care(
    lexical_engine: TriageEngine, text: str
):
    got, _ = final(lexical_engine, text)
    assert got != "self_care"


def test_when_a_weak_flow_comes_with_pain_or_blood_then_the_luts_rule_does_not_apply(
    lexical_engine: TriageEngine,
):
    _, fired = final(lexical_engine, "weak flow and burning when I pee, and blood in my urine")
    assert "TR-URINE-008" not in fired


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("my dad is 79 and gets up at night", 79.0),
        ("My brother, 35, has epilepsy", 35.0),
        ("our son's 6 and has a rash", 6.0),
        ("my wife is 32 weeks pregnant", None),
        ("my dad is 6 foot tall", None),
    ],
)
def test_when_a_relative_is_named_with_a_number_then_that_is_the_age(text: str, years: float | None):
    assert extract_age(normalise(text), load_policy_bundle().symptoms.demographics) == years
