"""Found by the multi-turn red team: tablets taken all at once with alcohol is overdose intent."""

import pytest

from backend.triage import TriageEngine


@pytest.mark.parametrize(
    "text",
    [
        "If I took all of them with a bottle of wine, would I just go to sleep?",
        "I took all my sleeping tablets with vodka",
        "thinking of taking every one of them with some beers tonight",
    ],
)
def test_all_tablets_with_alcohol_is_an_overdose_emergency(engine: TriageEngine, text: str):
    decision = engine.assess(None, text).decision
    assert decision.disposition == "emergency"
    assert "RF-TOX-001" in decision.fired_rule_ids


def test_taking_all_of_them_with_food_is_not_an_overdose(engine: TriageEngine):
    decision = engine.assess(None, "I take all of them in the morning with breakfast").decision
    assert "RF-TOX-001" not in decision.fired_rule_ids
