"""Red flags always win: whatever surrounds them, whatever else is known, whatever is answered later."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend.triage import CaseFacts, Finding, TriageEngine, decide, detect_red_flags, floor_disposition
from clinical_policies import PolicyBundle

# Paraphrases a patient might use for each red flag (test data, several per flag).
RED_FLAG_TEXTS = {
    "RF-CARD-001": [
        "I've got chest pain and it's going down my left arm",
        "my chest feels crushed and I'm all sweaty",
        "tightness in my chest and I'm short of breath",
        "I think I'm having a heart attack",
    ],
    "RF-NEURO-001": [
        "her face is drooping on one side",
        "his speech is slurred",
        "I suddenly can't lift my arm",
    ],
    "RF-NEURO-002": ["the worst headache of my life came on suddenly", "I have a thunderclap headache"],
    "RF-NEURO-003": ["he had a seizure", "she is unresponsive", "my dad isn't breathing"],
    "RF-INF-001": [
        "a rash that doesn't fade under a glass",
        "fever and a stiff neck",
        "purple spots on her legs",
    ],
    "RF-INF-002": ["a high fever and she is confused", "fever and he's very drowsy"],
    "RF-INF-003": ["my 6 week old has a fever"],
    "RF-RESP-001": ["I can't breathe", "his lips are turning blue", "she is gasping for air"],
    "RF-ALLERGY-001": ["my throat is closing up", "my lips are swelling and I'm wheezing", "anaphylaxis"],
    "RF-MH-001": ["I want to kill myself and I have a plan", "I want to end my life, I've saved up my pills"],
    "RF-BLEED-001": ["the bleeding won't stop", "blood is spurting out"],
    "RF-GI-001": ["I'm vomiting blood", "my poo is black and tarry"],
    "RF-OBS-001": ["I'm pregnant with tummy pain and vaginal bleeding", "the baby has stopped moving"],
    "RF-URO-001": ["sudden pain in my testicle"],
    "RF-TOX-001": ["she took an overdose", "he drank bleach"],
    "RF-BURN-001": ["a large burn on his chest", "an electrical burn"],
    "RF-EYE-001": ["I suddenly lost vision in one eye", "chemical in my eye"],
}
CASES = [(flag, text) for flag, texts in RED_FLAG_TEXTS.items() for text in texts]
BENIGN = [
    "I also have a runny nose.",
    "I'm usually fit and well.",
    "It started yesterday.",
    "I have a bit of a sore throat.",
    "My knee has ached for years.",
    "I'm 30.",
    "No fever.",
    "I don't have a cough.",
    "I'm not sure what to do.",
    "Thanks for your help.",
    "I took some paracetamol earlier.",
]
words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", max_size=40)
context = st.lists(st.one_of(st.sampled_from(BENIGN), words.map(lambda w: w + ".")), max_size=3).map(" ".join)
answers = st.lists(
    st.sampled_from(["no", "I don't know", "yes", "not really", "nope", "", "maybe"]), max_size=4
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=st.sampled_from(CASES), before=context, after=context, replies=answers)
def test_red_flag_always_emergency_whatever_the_context_and_answers(
    lexical_engine: TriageEngine, case: tuple[str, str], before: str, after: str, replies: list[str]
):
    flag_id, trigger = case
    assessment = lexical_engine.assess(None, f"{before} {trigger}. {after}")
    for reply in replies:
        assessment = lexical_engine.assess(assessment.facts, reply)
        assert assessment.decision.disposition == "emergency"
    assert assessment.decision.disposition == "emergency"
    assert flag_id in assessment.decision.fired_rule_ids
    assert assessment.decision.confidence == 1.0
    assert assessment.decision.red_flags and all(hit.evidence for hit in assessment.decision.red_flags)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    trigger=st.sampled_from(
        [
            "my chest feels like an elephant is sitting on it and I'm drenched in sweat",
            "I can't seem to get enough air in",
            "her mouth looks crooked and she can't raise her left arm",
            "there's blood everywhere and the bleeding won't stop",
            "I've decided to end it all tonight and I've saved my tablets",
        ]
    ),
    before=st.sampled_from(BENIGN),
    after=st.sampled_from(BENIGN),
)
def test_red_flag_paraphrases_with_embeddings(engine: TriageEngine, trigger: str, before: str, after: str):
    decision = engine.assess(None, f"{before} {trigger}. {after}").decision
    assert decision.disposition == "emergency"
    assert decision.red_flags


def test_negated_red_flag_does_not_fire(lexical_engine: TriageEngine):
    decision = lexical_engine.assess(None, "I have a cold. No chest pain, no trouble breathing.").decision
    assert not decision.red_flags
    assert decision.disposition != "emergency"


concept_ids = st.sampled_from


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_decision_is_emergency_whenever_a_red_flag_holds(triage_bundle: PolicyBundle, data: st.DataObject):
    ids = [c.id for c in triage_bundle.symptoms.concepts]
    present = data.draw(st.lists(st.sampled_from(ids), max_size=6, unique=True))
    facts = CaseFacts(
        findings=tuple(
            Finding(concept_id=c, status="present", evidence=c, source="lexicon", score=1.0) for c in present
        ),
        age_years=data.draw(st.one_of(st.none(), st.floats(0, 100))),
        sex=data.draw(st.sampled_from([None, "female", "male"])),
        pregnant=data.draw(st.sampled_from([None, True, False])),
        duration_hours=data.draw(st.one_of(st.none(), st.floats(0, 10000))),
    )
    decision = decide(triage_bundle, facts)
    if detect_red_flags(triage_bundle, facts):
        assert decision.disposition == triage_bundle.engine.emergency_disposition
        assert not decision.needs_clinician
    proposed = data.draw(st.sampled_from([d.id for d in triage_bundle.dispositions]))
    final = floor_disposition(triage_bundle, decision.disposition, proposed)
    assert triage_bundle.disposition(final).rank >= decision.acuity_rank


def test_red_flag_conditions_only_add_never_exclude(triage_bundle: PolicyBundle):
    """Adding information can never switch a red flag off: no red flag uses a `none` condition."""
    assert all(not cond.none for flag in triage_bundle.red_flags for cond in flag.when_any)


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("Patient is hypotensive, BP 80/50, HR 125.", "RF-CIRC-001"),
        ("SpO2 88% on room air, known COPD.", "RF-RESP-001"),
        ("Febrile at 39.1 with HR 135 and RR 28.", "RF-INF-002"),
        ("BP 220/130 with a severe headache and blurred vision.", "RF-CARD-004"),
        ("Jaundiced and somnolent after a week of heavy paracetamol use.", "RF-GI-002"),
        ("Abdomen is tender with guarding and rebound tenderness.", "RF-ABDO-001"),
        ("Sudden tearing pain in the chest going through to the back.", "RF-CARD-003"),
        ("Toddler with sunken eyes, lethargic, no wet nappies since yesterday.", "RF-PAED-001"),
        ("Blood glucose 31 mmol/L, ketones 5.2, vomiting.", "RF-META-001"),
        ("Capillary glucose 2.2 mmol/L and confused.", "RF-META-001"),
    ],
)
def test_clinician_note_vital_signs_fire_red_flags(lexical_engine, text, flag):
    decision = lexical_engine.assess(None, text).decision
    assert decision.disposition == "emergency"
    assert flag in decision.fired_rule_ids


@pytest.mark.parametrize(
    "text", ["BP 124/78, HR 72, RR 14, SpO2 98% on air, temperature 36.8.", "I have a rebound headache"]
)
def test_normal_observations_do_not_fire_red_flags(lexical_engine, text):
    assert not lexical_engine.assess(None, text).decision.red_flags
