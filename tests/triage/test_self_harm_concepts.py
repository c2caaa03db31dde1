"""Policy 0.9.4: wishing to be dead is suicidal thoughts; an accidental cut is not self-harm.

Our own phrasings (not from any evaluation or hold-out file). Before 0.9.4 "honestly i'd rather be dead"
had no concept at all, and "cut myself" alone was self-harm ("i cut myself shaving": TR-MIND-001, which now
also opens the reply with crisis resources).
"""

import pytest

from backend.triage import TriageEngine

SUICIDAL_THOUGHTS = [
    "honestly i'd rather be dead",
    "i wish i was dead",
    "some days i'd rather not wake up",
    "i've been having thoughts of killing myself",
]
SELF_HARM = [
    "my teenage daughter has been cutting her arms",
    "i cut myself again last night",
    "i have been self-harming since the summer",
    "he's been cutting his arms with a razor",
    "i keep hurting myself when i get upset",
    "i have decided to hurt myself",
    "i might hurt myself if i go home tonight",
    "how can i cut myself without anyone noticing",
]
ACCIDENTS = [
    "i cut myself shaving and it keeps bleeding",
    "i cut myself on a tin can",
    "he burned himself on the kettle",
    "i scratched my arm on a bramble",
    "careful, i could cut myself on that broken glass",
    "I hurt myself lifting boxes at work",
    "I have a splinter in my finger, I can see the end of it",  # a paraphrase match before 0.9.6
]


def _present(engine: TriageEngine, text: str) -> set[str]:
    return {f.concept_id for f in engine.assess(None, text).facts.findings if f.status == "present"}


@pytest.mark.parametrize("text", SUICIDAL_THOUGHTS)
def test_wishing_to_be_dead_is_suicidal_thoughts(engine: TriageEngine, text: str):
    decision = engine.assess(None, text).decision
    assert "suicidal_thoughts" in _present(engine, text)
    assert "TR-MIND-001" in decision.fired_rule_ids and decision.disposition == "urgent"


@pytest.mark.parametrize("text", SELF_HARM)
def test_a_self_harm_habit_is_self_harm(engine: TriageEngine, text: str):
    assert "self_harm" in _present(engine, text)
    assert "TR-MIND-001" in engine.assess(None, text).decision.fired_rule_ids


@pytest.mark.parametrize("text", ACCIDENTS)
def test_an_accidental_injury_is_not_self_harm(engine: TriageEngine, text: str):
    assert not {"self_harm", "suicidal_thoughts"} & _present(engine, text)
    assert "TR-MIND-001" not in engine.assess(None, text).decision.fired_rule_ids


@pytest.mark.parametrize(
    "text", ["she slit her wrists", "my brother cut his wrists and there's blood everywhere"]
)
def test_cutting_ones_wrists_is_an_attempt(engine: TriageEngine, text: str):
    decision = engine.assess(None, text).decision
    assert decision.disposition == "emergency" and "RF-MH-001" in decision.fired_rule_ids


def test_going_to_end_it_is_an_exact_phrase_not_a_paraphrase_anchor(engine: TriageEngine):
    """Policy 0.9.6: as a paraphrase anchor "going to end it" matched "the end of it" (a splinter)."""
    assert "suicidal_thoughts" in _present(engine, "im going to end it all")
    assert "suicidal_thoughts" not in _present(engine, "I can see the end of it, can I pull it out?")
