"""Policy 0.9.14: administrative request kinds, and "shingles jab" naming the vaccine.

docs/routine_requests_experiment.md, third round. Texts written for this file, not taken from the blind
batches. Decided on the rules engine.
"""

from __future__ import annotations

import pytest

from backend.triage import TriageEngine
from tests.triage.conftest import final

ADMIN_KINDS = [
    "please can you cancel my nurse appointment on thursday, I'm away",  # appointments
    "I'd like to rearrange my husband's diabetic review appointment to next month",
    "need to reschedule the appointment for my smear, clashes with work",
    "how do I opt out of sharing my records for research",  # data
    "we're new to the area and would like to register",  # registration
    "I want register my son also, what papers I need",
    "can I switch my named GP to someone at the other site",  # usual doctor
    "locked out of the app after too many password tries, how do I reset it",  # online access
    "my dad's incontinence pads order needs increasing, he's getting through more",  # supplies
    "could I get nicotine replacement on prescription, trying to quit",
    "the hearing aid needs new batteries, where do I get them",  # equipment
    "the consultant wants me to have bloods done before my next clinic, can I book with the nurse",
    "is my daughter due her MenACWY before she starts college",  # named vaccines
    "he never had his 4-in-1 pre-school jab, can he still catch up",
    "I'm 72, can I book the shingles vaccine",  # shingles vaccine, not the rash
]
STILL_DECIDED_BY_THE_COMPLAINT = [
    # a request kind of this round beside a red flag or a recognised complaint: the most urgent wins
    ("need to cancel my appointment, my face has dropped on one side and my speech is slurred", "emergency"),
    ("want to register my baby, she's 4 weeks old and has a temperature of 38.6", "emergency"),
    ("I had the shingles jab last week and now there's a band of blisters on one side of my chest", "urgent"),
]


@pytest.mark.parametrize("text", ADMIN_KINDS)
def test_administrative_kinds_are_routine_appointments(engine: TriageEngine, text: str) -> None:
    assert final(engine, text) == ("non_urgent", ("TR-ROUTINE-003",))


@pytest.mark.parametrize(("text", "expected"), STILL_DECIDED_BY_THE_COMPLAINT)
def test_a_complaint_beside_an_administrative_request_still_decides(
    engine: TriageEngine, text: str, expected: str
) -> None:
    assert final(engine, text)[0] == expected


@pytest.mark.parametrize("text", ["I think I've got shingles on my back", "could this rash be shingles"])
def test_shingles_without_a_vaccine_word_still_names_the_rash(engine: TriageEngine, text: str) -> None:
    disposition, rules = final(engine, text)
    assert any(rule.startswith("TR-SKIN") for rule in rules) and disposition != "non_urgent", (
        disposition,
        rules,
    )


@pytest.mark.parametrize(
    "text",
    [
        "can I change my appointment to today, the pain is getting much worse",  # brought forward
        "my appointment got cancelled and now I'm struggling to breathe",
    ],
)
def test_an_appointment_brought_forward_or_cancelled_by_the_practice_is_no_request(
    engine: TriageEngine, text: str
) -> None:
    assert "TR-ROUTINE-003" not in final(engine, text)[1]
