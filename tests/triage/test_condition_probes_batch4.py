"""Fourth batch of our own probes (policy 0.8.3): 90 lay messages and symptom lists, blind to the rules.

60 emergencies chosen away from every earlier batch (conduction block, missed dialysis, volvulus,
Stevens-Johnson, snake bite, drowning, penetrating trauma, cord prolapse, postpartum psychosis, orbital
cellulitis, ...) and 30 look-alikes. Blind score before the fixes: 59/90, **emergency recall 44/60**; after:
76/90, 60/60. Each fix is a class of wording or a missing red flag, tested here with look-alikes; phrasings
are ours, not evaluation cases.
"""

import pytest

from backend.triage import TriageEngine


@pytest.mark.parametrize(
    ("text", "red_flag"),
    [
        ("mum's pulse is only 34 on the monitor and she fainted in the kitchen", "RF-CARD-002"),
        ("known complete heart block, feeling dizzy and weak", "RF-CARD-002"),
        ("on dialysis, missed my session yesterday, heart fluttering and legs weak", "RF-RENAL-002"),
        ("new antibiotic last week, now blisters all over and sore red eyes", "RF-SKIN-002"),
        ("rash then the skin comes off when touched, mouth ulcers, temp 38.5", "RF-SKIN-002"),
        ("bitten by a snake on the ankle while hiking, no symptoms yet", "RF-TOX-003"),
        (
            "toddler fell into the paddling pool, was under a few seconds before I pulled him out, coughing",
            "RF-RESP-003",
        ),
        ("my brother has been stabbed in the back, bleeding a lot", "RF-TRAUMA-001"),
        ("grinding metal and a fragment flew into my eye, stinging", "RF-EYE-001"),
        ("after the injury his pupil looks pear shaped", "RF-EYE-001"),
        ("leg twisted at a funny angle after the fall", "RF-TRAUMA-001"),
        ("no pulse at the ankle and the foot is cold", "RF-TRAUMA-001"),
        ("38 weeks, waters gone and the cord is hanging out", "RF-OBS-001"),
        ("baby's head is out but the shoulders won't come", "RF-OBS-001"),
        ("gave birth to our son 12 days ago and now she is hearing voices and not sleeping", "RF-MH-002"),
        ("perineum swollen and very painful, skin turning black, fever", "RF-SKIN-001"),
        ("eye swollen and bulging forward, fever of 39", "RF-EYE-003"),
        ("swollen eyelid, hurts to move his eye and seeing double", "RF-EYE-003"),
        ("had tonsils out last week, now spitting out lots of fresh bright red blood", "RF-ENT-004"),
        ("84M no BO or flatus 3 days, vomiting, belly distended", "RF-GI-003"),
    ],
)
def test_batch4_emergencies(engine: TriageEngine, text: str, red_flag: str):
    decision = engine.assess(None, text).decision
    assert decision.disposition == "emergency"
    assert red_flag in decision.fired_rule_ids


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("pulse 72, age 40, feeling fine", "bradycardia"),
        ("my pulse went up by 30 when I stood", "bradycardia"),
        ("temperature 36.8, pulse normal", "bradycardia"),
        ("my skin is black so the rash is hard to see", "skin_necrosis"),
        ("bruise on my shin, skin gone black and blue", "skin_necrosis"),
        ("I feel like I'm drowning in phlegm", "submersion"),
        ("fell in the bath and hurt my elbow", "submersion"),
        ("got my flu shot yesterday, arm sore", "penetrating_injury"),
        ("got stabbed with a needle at work", "penetrating_injury"),
        ("something went in my eye when it was windy", "penetrating_eye_injury"),
        ("vision normal, no double vision", "vision_change"),
        ("had my baby years ago, now hearing voices", "recent_birth"),
        ("skin peeling on my feet between the toes", "skin_peeling"),
    ],
)
def test_batch4_look_alikes(engine: TriageEngine, text: str, concept: str):
    present = {f.concept_id for f in engine.assess(None, text).facts.findings if f.status == "present"}
    assert concept not in present


def test_a_list_closed_before_a_comma_does_not_negate_what_follows(lexical_engine: TriageEngine):
    """ "no stools or wind for 3 days, vomiting": the "or" closed the negated list before the comma."""
    findings = {
        f.concept_id: f.status
        for f in lexical_engine.assess(None, "no BO or flatus 3 days, vomiting, HR 112").facts.findings
    }
    assert findings.get("nausea_vomiting") == "present"
    assert findings.get("tachycardia") == "present"
    # a list closed after the comma still negates every item
    findings = {
        f.concept_id: f.status
        for f in lexical_engine.assess(None, "no fever, cough or vomiting").facts.findings
    }
    assert findings.get("nausea_vomiting") == "absent"
