"""Policy 0.9.12: classes missed on the development batches LP8, LP9 and RT5, and "on HRT".

Texts written for this file, not taken from the batches. Decided on the rules engine.
"""

from __future__ import annotations

import pytest

from backend.triage import TriageEngine
from tests.triage.conftest import final

EMERGENCIES = [
    # more than the recommended dose over days (chronic salicylate or paracetamol toxicity)
    "been taking more than the recommended dose of paracetamol for my toothache for three days",
    "co-codamol above the maximum dose since Monday for my back, now feeling sick",
    # wild mushrooms eaten
    "we ate mushrooms we picked on our walk and now we're both vomiting",
    "my husband cooked some wild mushrooms last night and has had diarrhoea since 3am",
    # confusion told in lay words (here after a day in the heat)
    "he's been working outside in the heat all day and now he's talking rubbish",
    # sparkling lights in late pregnancy (pre-eclampsia)
    "I'm 35 weeks pregnant, I have a bad headache and the lights seem to sparkle",
    # possible pulmonary embolism: pleuritic pain or a swollen calf with coughing up blood, or both together
    "sharp pain in my side when I breathe in and this morning I coughed up some blood",
    "my calf has been swollen for a few days and now it hurts to breathe in",
    "swollen calf since my operation and I've coughed up blood twice today",
]
NOT_EMERGENCIES = [
    "what is the recommended dose of ibuprofen for a seven year old?",
    "I picked some mushrooms today, how can I tell if they're safe to eat?",
]


@pytest.mark.parametrize("text", EMERGENCIES)
def test_missed_emergency_classes_are_emergencies(engine: TriageEngine, text: str) -> None:
    assert final(engine, text)[0] == "emergency"


@pytest.mark.parametrize("text", NOT_EMERGENCIES)
def test_a_question_about_doses_or_mushrooms_is_no_poisoning(engine: TriageEngine, text: str) -> None:
    assert final(engine, text)[0] != "emergency"


@pytest.mark.parametrize(
    "text",
    [
        "can I get my HRT prescription reissued please",
        "my HRT gel needs upping, the menopause clinic said so",
        "I'd like to start HRT, who do I see?",
        "could I discuss HRT with someone at the surgery please",
    ],
)
def test_hrt_asked_for_is_a_routine_request(engine: TriageEngine, text: str) -> None:
    assert final(engine, text) == ("non_urgent", ("TR-ROUTINE-003",))


@pytest.mark.parametrize(
    "text",
    [
        "I'm on HRT and since my flight my left calf is swollen and warm",
        "she's been on hormone replacement for years and now feels awful",
    ],
)
def test_being_on_hrt_is_no_request(engine: TriageEngine, text: str) -> None:
    assert "routine_request" not in engine.assess(None, text).facts.present()


def test_a_very_red_painful_eye_is_urgent(engine: TriageEngine) -> None:
    disposition, rules = final(
        engine, "my eye is very red and painful since this morning, I wear contact lenses"
    )
    assert disposition == "urgent" and any(rule.startswith("TR-EYE") for rule in rules), (disposition, rules)


@pytest.mark.parametrize(
    "text",
    [
        "since the long drive my right leg is fatter than the left and a bit warm",
        "my calf's been really swollen since Tuesday",
    ],
)
def test_one_leg_bigger_than_the_other_is_a_possible_clot(engine: TriageEngine, text: str) -> None:
    disposition, rules = final(engine, text)
    assert disposition == "urgent" and "TR-MSK-001" in rules, (disposition, rules)
