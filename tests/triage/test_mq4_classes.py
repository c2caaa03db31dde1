"""Policy 0.9.25: MQ4's under-triaged classes, fixed after its judgement (development data).

Texts written for this file, not taken from the batch. Decided on the rules engine.
"""

from __future__ import annotations

import pytest

from backend.triage import TriageEngine
from tests.triage.conftest import assert_found_and_decided, present_concepts


@pytest.mark.parametrize(
    "text",
    [
        "my son takes levetiracetam, he's had a stomach bug and sicked his evening dose back up",
        "on ciclosporin after my transplant, away for work, left my tablets at home, missed today's dose",
        "my mum's clozapine prescription didn't arrive and she has had none since Monday morning",
    ],
)
def test_a_time_critical_dose_lost_told_further_on_is_seen_within_a_day(
    engine: TriageEngine, text: str
) -> None:
    assert_found_and_decided(
        engine, text, "critical_medicine_missed", ("urgent", "emergency"), "TR-ROUTINE-001"
    )


def test_tummy_pain_with_a_darker_stool_is_seen_within_a_day(engine: TriageEngine) -> None:
    text = "been on naproxen for a month, gnawing pain at the top of my tummy and my poo is darker than usual"
    assert_found_and_decided(engine, text, "darker_stool", ("urgent", "emergency"))


@pytest.mark.parametrize(
    "text", ["my poo is dark green after spinach", "the stool in the kitchen is dark wood"]
)
def test_green_poo_and_furniture_are_not_a_darker_stool(lexical_engine: TriageEngine, text: str) -> None:
    assert "darker_stool" not in present_concepts(lexical_engine, text)
