"""Policy 0.9.11: request kinds the routine lexicon did not know.

docs/routine_requests_experiment.md, second round. Texts written for this file, not taken from the blind
batches. Decided on the rules engine.
"""

from __future__ import annotations

import pytest

from backend.triage import TriageEngine
from tests.triage.conftest import final

REQUEST_KINDS = [
    "could you send my losartan repeat to the chemist on Station Road",  # a named medicine's repeat
    "repeat of my sertraline please",
    "has anyone looked at the results of my liver blood test yet",  # results asked after
    "are my scan results back",
    "my bowel screening kit got lost in the post, can I get another",  # screening
    "I'm 58 and the breast screening letters seem to have stopped",
    "is my dad eligible for the RSV vaccine, he's 79",  # vaccines asked about
    "which jabs does my son need before university",
    "my daughter never had the second MMR jab, can she still have it",
    "can the doctor write a letter to my landlord about the stairs",  # letters and notes
    "I'd like to be referred to the podiatrist",  # referral
    "we've moved house and want to register with your practice",  # registration
    "thinking of switching from the pill to the implant, who do I see",  # contraception change
    "my mum hasn't had her annual health check this year",  # a request told in the negative
    "need to book my annual bloods for my thyroid",
]
NOT_RESULTS_REQUESTS = [
    "my blood results came back with potassium 7.1, can I discuss them",  # a number
    "the gp wants to discuss my results, they said my kidney function is abnormal",  # an abnormal finding
]


@pytest.mark.parametrize("text", REQUEST_KINDS)
def test_request_kinds_are_routine_appointments(engine: TriageEngine, text: str) -> None:
    assert final(engine, text) == ("non_urgent", ("TR-ROUTINE-003",))


@pytest.mark.parametrize("text", NOT_RESULTS_REQUESTS)
def test_a_result_holding_a_number_or_an_abnormal_word_is_no_routine_request(
    engine: TriageEngine, text: str
) -> None:
    disposition, rules = final(engine, text)
    assert "TR-ROUTINE-003" not in rules and disposition != "non_urgent", (disposition, rules)


def test_a_vaccine_reaction_is_no_vaccine_request(engine: TriageEngine) -> None:
    _disposition, rules = final(engine, "had my covid jab yesterday and my arm is a bit sore today")
    assert not any(rule.startswith("TR-ROUTINE") for rule in rules), rules


def test_the_specific_request_rules_still_count_beside_a_complaint(engine: TriageEngine) -> None:
    disposition, rules = final(engine, "I've run out of my keppra and I've got a bit of a cold")
    assert disposition == "urgent" and "TR-ROUTINE-001" in rules, (disposition, rules)
