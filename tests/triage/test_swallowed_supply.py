"""Policy 0.9.26 (issue 3): a whole supply already swallowed is an overdose emergency (RF-TOX-001).

Our own phrasings (not from any evaluation or hold-out file). Before 0.9.26 the overdose patterns read a
packet or a bottle swallowed, not a period's supply: "took my whole week of pills" was triaged urgent. The
look-alikes are an accidental double dose and ordinary supply questions, which must stay off the poisoning
red flag.
"""

import pytest

from backend.triage import TriageEngine

SWALLOWED = [
    "downed my whole fortnight of meds with a few beers, feel a bit dizzy",
    "my son took the rest of his sleeping tablets after we argued",
    "she took five days' worth of her pills at once this morning",
]

LOOK_ALIKES = [
    "i took my morning tablets twice by mistake, is that ok",
    "accidentally took two days' worth of my blood pressure tablets, what should i do",
    "can i take a month's supply of my tablets abroad",
    "i've got the rest of my antibiotics left, should i finish them",
    "how many paracetamol can i take in a day",
]


@pytest.mark.parametrize("text", SWALLOWED)
def test_a_whole_supply_swallowed_is_an_overdose_emergency(engine: TriageEngine, text: str):
    decision = engine.assess(None, text).decision
    assert decision.disposition == "emergency"
    assert "RF-TOX-001" in decision.fired_rule_ids


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_a_dose_or_supply_question_is_not_a_poisoning(engine: TriageEngine, text: str):
    assert "RF-TOX-001" not in engine.assess(None, text).decision.fired_rule_ids
