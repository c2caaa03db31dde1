"""Policy 0.9.15: missed-emergency and under-triage classes from RT6 after its judgement.

Texts written for this file, not taken from the blind batch. Decided on the rules engine.
"""

from __future__ import annotations

import pytest

from backend.triage import TriageEngine
from backend.triage.demographics import extract_duration_hours
from tests.triage.conftest import final

SEVERE_ASTHMA = [
    # the reliever named first, then "using it every ..." or "it's not doing anything"
    "can I get another ventolin, been using it every 15 minutes all morning",
    "repeat for my blue puffer please, had it every 5 mins today and its not working",
    # "can hardly talk" beside a breathing or asthma word
    "my asthma's really bad tonight and I can barely speak",
    "wheezing since lunch, could hardly talk on the phone to my mum",
]


@pytest.mark.parametrize("text", SEVERE_ASTHMA)
def test_a_reliever_not_working_or_speech_cut_short_by_breathing_is_an_emergency(
    engine: TriageEngine, text: str
) -> None:
    disposition, rules = final(engine, text)
    assert disposition == "emergency" and any(rule.startswith("RF-RESP") for rule in rules), (
        disposition,
        rules,
    )


def test_a_lost_voice_alone_is_no_breathing_emergency(engine: TriageEngine) -> None:
    assert final(engine, "got laryngitis, can hardly talk and my throat is sore")[0] != "emergency"


def test_an_anticoagulant_with_one_tablet_left_told_after_its_history_is_urgent(engine: TriageEngine) -> None:
    text = (
        "I take rivaroxaban since the DVT in my leg last year and the clinic said never to stop it, "
        "I have two tablets left and the pharmacy hasn't got my prescription"
    )
    disposition, rules = final(engine, text)
    assert disposition == "urgent" and "TR-ROUTINE-001" in rules, (disposition, rules)


@pytest.mark.parametrize(
    ("text", "pregnant"),
    [
        ("I'm 28 weeks and have a headache that won't go", True),
        ("im 34+2 wks, bit of heartburn", True),
        ("I'm 6 weeks post-op from my knee", None),
        ("I'm 8 weeks into the course of tablets", None),
        ("I'm 5 weeks late for my period", None),
    ],
)
def test_gestation_told_as_im_n_weeks(lexical_engine: TriageEngine, text: str, pregnant: bool | None) -> None:
    assert lexical_engine.extractor.extract(text).pregnant is pregnant


def test_im_n_weeks_is_no_symptom_duration() -> None:
    assert extract_duration_hours("i'm 30 weeks and have had a cough since yesterday") == 24.0


def test_urinary_symptoms_at_28_weeks_are_urgent(engine: TriageEngine) -> None:
    disposition, rules = final(engine, "I'm 28 weeks, burning when I pee since yesterday, no fever")
    assert disposition == "urgent" and "TR-URINE-003" in rules, (disposition, rules)


@pytest.mark.parametrize(
    "text",
    [
        "repeat of my rigevidon please, lately my migraines start with zigzag lines in my vision",
        "on the combined pill and I've started getting an aura before my headaches",
    ],
)
def test_migraine_with_aura_on_combined_contraception_is_urgent(engine: TriageEngine, text: str) -> None:
    disposition, rules = final(engine, text)
    assert disposition == "urgent" and "TR-HEAD-009" in rules, (disposition, rules)


def test_migraine_with_aura_without_combined_contraception_opens_no_contraception_rule(
    engine: TriageEngine,
) -> None:
    _disposition, rules = final(engine, "my migraines start with zigzag lines, I'm on the mini pill")
    assert "TR-HEAD-009" not in rules, rules
