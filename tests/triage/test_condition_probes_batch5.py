"""Fifth batch of our own probes (policy 0.8.3): danger in a combination or context, not in one word.

90 messages written blind to the rules (60 emergencies: 17 elderly, 14 children, 7 in pregnancy or after
birth). Blind score, after batches 3-4 were fixed: 65/90, **emergency recall 48/60**; after the fixes below:
77/90, 60/60. Phrasings here are ours, not evaluation cases.
"""

import pytest

from backend.triage import TriageEngine


@pytest.mark.parametrize(
    ("text", "red_flag"),
    [
        ("back pain for days, now high temp and his legs feel wobbly", "RF-NEURO-006"),
        ("hit on the side of the head by a cricket ball, now vomiting and sleepy", "RF-NEURO-004"),
        ("had my baby 5 days ago, temp 38.9 and my heart is racing", "RF-INF-002"),
        ("on sertraline, started tramadol, now legs jerking and temp 38.6", "RF-TOX-002"),
        ("she is 88, freezing cold to the touch and not even shivering", "RF-INF-002"),
        ("5yo with temp 39, really hard to keep awake", "RF-NEURO-007"),
        ("toddler got into her grandads tablets, might have swallowed one", "RF-TOX-001"),
        ("3yo possible ingestion of gliclazide an hour ago, well at the moment", "RF-TOX-001"),
        ("drinking loads and up to wee all night, now vomiting and breathing fast", "RF-META-001"),
        ("on prednisolone for years, ran out 4 days ago, vomiting and dizzy", "RF-ENDO-001"),
        ("neck pain after a massage, now double vision and unsteady walking", "RF-NEURO-001"),
        ("dad is yellow in the eyes with a temp of 39 and teeth chattering", "RF-GI-002"),
    ],
)
def test_batch5_emergencies(engine: TriageEngine, text: str, red_flag: str):
    decision = engine.assess(None, text).decision
    assert decision.disposition == "emergency"
    assert red_flag in decision.fired_rule_ids


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("my son never wakes up with a headache, they come on at school", "unresponsive"),
        ("he hit the ball with his head in football and is fine", "overdose"),
        ("my legs felt wobbly after the gym", "reduced_consciousness"),
        ("I stopped shivering once the fever came down", "reduced_consciousness"),
        ("my eyes are a bit red and itchy", "jaundice"),
        ("I drink a lot of water and pee a lot when it's hot", "overdose"),
        ("my hands are a bit shaky before breakfast", "psychiatric_or_serotonergic_drug"),
    ],
)
def test_batch5_look_alikes(engine: TriageEngine, text: str, concept: str):
    present = {f.concept_id for f in engine.assess(None, text).facts.findings if f.status == "present"}
    assert concept not in present


@pytest.mark.parametrize(
    "text",
    [
        "74M, cold since Monday, chatting and eating, temperature normal",
        "I get cold hands in winter, they go white then red",
        "my legs feel wobbly after a long run but fine otherwise",
        "on sertraline, got flu, temp 38.5, shaking hands and tremor",  # a tremor is not clonus (0.8.4)
        "anxious and agitated, twitching, sweating, heart racing",  # no fever (0.8.4)
    ],
)
def test_batch5_non_emergencies_stay_below_emergency(engine: TriageEngine, text: str):
    assert engine.assess(None, text).decision.disposition != "emergency"
