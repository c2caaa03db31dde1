"""Third batch of our own symptom-list probes (policy 0.8.3): 90 terse lists, blind to lexicon and rules.

Blind score before the fixes: 79/90, emergency recall 55/60. The five missed emergencies were each a class of
wording the lexicon lacked; each fix is tested here with look-alikes. After: 85/90, 60/60.
"""

import pytest

from backend.triage import TriageEngine


@pytest.mark.parametrize(
    ("text", "red_flag"),
    [
        # a limb in plaster with pain painkillers do not control, or numbness (BOAST compartment syndrome)
        ("leg in plaster, toes numb", "RF-TRAUMA-002"),
        ("had a cast put on yesterday for a broken wrist, fingers now numb and swollen", "RF-TRAUMA-002"),
        ("arm in a cast since friday, pain getting worse even with codeine", "RF-TRAUMA-002"),
        # a whole pack of any medicine, named or not
        ("wife swallowed an entire box of sertraline an hour ago", "RF-TOX-001"),
        ("took a whole packet of propranolol, feels dizzy", "RF-TOX-001"),
        # command hallucinations to harm others; armed in a psychotic crisis
        ("son says voices are telling him to kill people", "RF-MH-002"),
        ("dad paranoid and hearing voices, holding a knife, won't let anyone in", "RF-MH-002"),
        # rapidly spreading, very painful lesion with fever or a fast pulse (necrotising fasciitis)
        ("bite on hand, excruciating pain, swelling spreading quickly, temp 38.9", "RF-SKIN-001"),
        # "fit" the noun: a first or prolonged fit
        ("first ever fit, lasted about 6 minutes", "RF-NEURO-003"),
        ("35M fit lasting over 5 min, still shaking", "RF-NEURO-003"),
    ],
)
def test_batch3_emergencies(engine: TriageEngine, text: str, red_flag: str):
    decision = engine.assess(None, text).decision
    assert decision.disposition == "emergency"
    assert red_flag in decision.fired_rule_ids


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("I'm fit and well, had a coughing fit lasting a minute", "seizure"),
        ("a fit 40 year old with a sore knee", "seizure"),
        ("she had a big fit of giggles and then a headache", "seizure"),
        ("ate a whole pack of biscuits, now bloated", "overdose"),
        ("bought a whole pack of paracetamol for my headache", "overdose"),
        ("my arm was in a cast last year, now tingling fingers", "limb_in_cast"),
        ("had a cast last year for a broken wrist, now fingers numb sometimes", "limb_in_cast"),
        ("cut my finger with a knife while cooking", "weapon"),
        ("voices in the next flat keep me awake", "harm_others"),
    ],
)
def test_batch3_look_alikes(engine: TriageEngine, text: str, concept: str):
    present = {f.concept_id for f in engine.assess(None, text).facts.findings if f.status == "present"}
    assert concept not in present


def test_fall_on_outstretched_hand_with_a_swollen_wrist_is_a_possible_fracture(lexical_engine: TriageEngine):
    text = "fell on outstretched hand, wrist swollen, painful to move"
    present = {
        f.concept_id for f in lexical_engine.assess(None, text).facts.findings if f.status == "present"
    }
    assert "suspected_fracture" in present


def test_numb_toes_in_list_style_are_numbness(lexical_engine: TriageEngine):
    present = {f.concept_id for f in lexical_engine.assess(None, "toes numb, foot cold").facts.findings}
    assert "numbness_tingling" in present
