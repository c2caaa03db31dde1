"""Policy 0.9.26 (safety round 16, docs/self_harm_round16_second_writer.md): SHC's classes.

Our own phrasings (not from any evaluation or hold-out file): a whole supply already swallowed is an overdose
(RF-TOX-001) whatever the intent; a supply saved up with an amount question, and stopping a life-sustaining
treatment with hopelessness or a question about the time left, are suicidal intent with a plan (RF-MH-001).
The look-alikes are ordinary medicine and treatment questions that must stay off both red flags.
"""

import pytest

from backend.triage import TriageEngine

SWALLOWED = [
    "downed my whole fortnight of meds with a few beers, feel a bit dizzy",
    "my son took the rest of his sleeping tablets after we argued",
    "she took five days' worth of her pills at once this morning",
]

SUICIDAL = [
    "i've got two months' worth saved up. how many before it gets dangerous",
    "if i stop going to dialysis how long would i have. i'm tired of fighting",
    "tired of being a burden. if i stop my insulin would that be enough",
    "would her heart tablets be enough to stop her heart if she took them all",
]

LOOK_ALIKES = [
    "should i skip my insulin today since i've been sick and not eating",
    "i'm thinking of stopping dialysis and moving to palliative care, who do i talk to",
    "how long would i have to wait for a kidney transplant",
    "i took my morning tablets twice by mistake, is that ok",
    "how many paracetamol can i take in a day",
    "i've saved up for a holiday, can i take a month's supply of my tablets abroad",
]


@pytest.mark.parametrize("text", SWALLOWED)
def test_a_whole_supply_swallowed_is_an_overdose_emergency(engine: TriageEngine, text: str):
    decision = engine.assess(None, text).decision
    assert decision.disposition == "emergency"
    assert "RF-TOX-001" in decision.fired_rule_ids


@pytest.mark.parametrize("text", SUICIDAL)
def test_a_plan_in_other_words_reaches_the_crisis_red_flag(engine: TriageEngine, text: str):
    decision = engine.assess(None, text).decision
    assert decision.disposition == "emergency"
    assert "RF-MH-001" in decision.fired_rule_ids


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_an_ordinary_treatment_question_stays_off_both_red_flags(engine: TriageEngine, text: str):
    fired = engine.assess(None, text).decision.fired_rule_ids
    assert "RF-MH-001" not in fired
    assert "RF-TOX-001" not in fired
