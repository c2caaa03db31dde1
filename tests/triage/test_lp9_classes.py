"""Failure classes of the blind batch LP9 (found at policy 0.9.4, fixed in 0.9.5; the fourth acuity design).

LP9 was written blind and judged once (the review band); its missed emergencies became development data.
Each class is tested on paraphrases (not the batch wording) and on a benign twin that must not fire.
"""

import pytest

from backend.triage import TriageEngine
from tests.triage.conftest import final


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        # one-sided clumsiness or an odd-feeling face on one side (FAST)
        ("since this morning my right hand has gone clumsy and I can't do up my buttons", "RF-NEURO-001"),
        ("my dad's left arm seems clumsy today and his face is numb on the left side", "RF-NEURO-001"),
        # a baby going blue or stopping breathing (apnoea, cyanosis)
        ("my 5 week old went blue around the mouth during a coughing fit", "RF-RESP-001"),
        ("baby keeps coughing and then stops breathing for a few seconds", "RF-RESP-001"),
        # arm or jaw pain on exertion without chest pain (NICE CG95)
        ("I'm 61, aching in my left arm and jaw, came on walking up the hill", "RF-CARD-001"),
        # collapse during exercise (NICE CG109)
        ("my son fainted while running at football training", "RF-CARD-002"),
        # a cast put on recently with numbness or pain painkillers do not touch
        ("plaster put on 2 days ago, now my toes are numb and tingling", "RF-TRAUMA-002"),
        # persistent nosebleed on a blood thinner or with dizziness
        ("on apixaban, nosebleed 40 mins and won't stop", "RF-BLEED-001"),
        ("epistaxis 30 minutes despite pressure, feels dizzy", "RF-BLEED-001"),
        # fever and a fast pulse days after giving birth
        ("postnatal day 4, temperature 38.6, heart racing, feels awful", "RF-INF-002"),
        # green vomit in a baby, told in episodes
        ("my 2 week old baby has been sick three times and the last ones were dark green", "RF-GI-003"),
    ],
)
def test_lp9_emergency_classes_are_red_flags(engine: TriageEngine, text: str, flag: str) -> None:
    disposition, fired = final(engine, text)
    assert disposition == "emergency" and flag in fired, (text, fired)


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("my fingers turn blue in the cold and then go red", "RF-RESP-001"),
        ("my wife says I stop breathing at night when I snore", "RF-RESP-001"),
        ("I've been clumsy all my life, always dropping things", "RF-NEURO-001"),
        ("my arm was in a cast last year and the skin there is still dry", "RF-TRAUMA-002"),
        ("I had a nosebleed for 5 minutes this morning, it stopped with pressure", "RF-BLEED-001"),
        ("I ran a half marathon and my legs ache today", "RF-CARD-002"),
        ("my 3 year old had green snot and was sick once", "RF-GI-003"),
    ],
)
def test_lp9_benign_twins_do_not_fire(engine: TriageEngine, text: str, absent: str) -> None:
    disposition, fired = final(engine, text)
    assert absent not in fired, (text, disposition, fired)


def test_shaking_that_cannot_be_stopped_is_rigors(engine: TriageEngine) -> None:
    facts = engine.assess(None, "i have a temperature and can't stop shaking").facts
    assert "rigors" in {f.concept_id for f in facts.findings if f.status == "present"}
