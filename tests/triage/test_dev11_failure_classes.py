"""Failure classes of the blind paraphrase batch DEV11 (policy 0.7.0), each with benign twins.

The texts are new paraphrases of each class, not the DEV11 vignettes themselves: the lexicon must carry the
class (lay words, clinical shorthand, numbers written the lay way), not one sentence.
"""

import pytest

from backend.triage import TriageEngine, run_case
from backend.triage.demographics import extract_age, extract_pregnancy
from backend.triage.text import normalise
from backend.triage.types import Decision
from backend.triage.vitals import extract_vitals
from clinical_policies import PolicyBundle


def decision(engine: TriageEngine, text: str) -> Decision:
    return run_case(engine, text).decision


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "my oxygen reading is 88 and he counted my breathing at 31 a minute",
            {"spo2": 88, "respiratory_rate": 31},
        ),
        ("the pulse oximeter from the chemist now reads 89%", {"spo2": 89}),
        ("breathing 27, oxygen 90%, pulse 121", {"respiratory_rate": 27, "spo2": 90, "heart_rate": 121}),
        ("she's breathing really fast, about 26 times a minute", {"respiratory_rate": 26}),
        ("Pt 70M, SBP 84, HR 118", {"systolic_bp": 84, "heart_rate": 118}),
        ("the BP machine says 75 over 45", {"systolic_bp": 75}),
        ("the thermometer says 38.3", {"temperature_c": 38.3}),
    ],
)
def test_vital_signs_written_the_lay_way_are_read(text: str, expected: dict[str, float]):
    vitals = extract_vitals(normalise(text)).model_dump(exclude_none=True)
    assert vitals == expected


@pytest.mark.parametrize(
    "text",
    ["I've been breathing fine for 20 years", "I've had asthma for 30 years, breathing 16 a minute now"],
)
def test_years_and_normal_counts_are_not_a_fast_respiratory_rate(text: str):
    rate = extract_vitals(normalise(text)).respiratory_rate
    assert rate is None or rate < 20


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("Infant 6/52, T 38.3 axillary", 6 / 52),
        ("Child 9/12, vomiting", 0.75),
        ("14 mo, D&V for two days", 14 / 12),
        ("my daughter (2) is vomiting", 2.0),
        ("my son 3 years, floppy", 3.0),
    ],
)
def test_clinical_and_checker_list_ages_are_read(triage_bundle: PolicyBundle, text: str, years: float):
    age = extract_age(normalise(text), triage_bundle.symptoms.demographics)
    assert age == pytest.approx(years, abs=0.01)


def test_obstetric_notation_means_pregnant(lexical_engine: TriageEngine, triage_bundle: PolicyBundle):
    demographics = triage_bundle.symptoms.demographics
    negation = lexical_engine.extractor.negation
    assert extract_pregnancy(normalise("G1P0 at 35/40"), demographics, negation) is True
    assert extract_pregnancy(normalise("29+3/40, headache"), demographics, negation) is True
    assert extract_pregnancy(normalise("BP 120/40, dizzy"), demographics, negation) is None


def test_typed_without_apostrophes_is_read_as_the_contraction():
    assert normalise("im going yellow and i dont have a fever, cant sleep") == (
        "i'm going yellow and i don't have a fever, can't sleep"
    )


def test_a_cue_inside_another_phrase_does_not_negate_the_next_item(lexical_engine: TriageEngine):
    facts = run_case(lexical_engine, "14 mo, no wet nappy since last night, lethargic, sunken eyes").facts
    present = facts.present()
    assert {"no_urine", "drowsy", "dehydration"} <= set(present)
    plain = lexical_engine.extractor.extract("no fever, no rash, drowsy since lunch")
    status = {f.concept_id: f.status for f in plain.findings}
    assert status["fever"] == "absent" and status["rash"] == "absent"


def test_a_stated_temperature_is_a_fever_however_written(lexical_engine: TriageEngine):
    assert "RF-INF-003" in decision(lexical_engine, "Pt 7/52, T 38.2 tympanic, feeding ok").fired_rule_ids
    assert not decision(lexical_engine, "baby 6 weeks old, T 37.4, feeding well").red_flags


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        # vital signs stated the lay or the shorthand way
        ("the district nurse says he's breathing 27 a minute, oxygen 89%, pulse 120", "RF-VITALS-001"),
        ("Pt 66F, SBP 82, HR 124, cool peripheries", "RF-CIRC-001"),
        ("my blood pressure is 85 over 50 and I feel faint", "RF-CIRC-001"),
        ("my BP is 225 over 130 and I've got a thumping headache", "RF-CARD-004"),
        ("chest infection, RR 24, BP 96/60", "RF-INF-004"),
        # ages, pregnancy and obstetric notation
        ("my daughter (2) keeps vomiting and is very hard to wake", "RF-PAED-002"),
        ("G1P0 at 35/40, headache and seeing flashing lights", "RF-OBS-001"),
        ("I'm 32 weeks along and haven't felt him move since yesterday", "RF-OBS-001"),
        # everyday words and typos
        ("im going yellow and really confused", "RF-GI-002"),
        ("my heart's hammering and I fainted in the queue", "RF-CARD-002"),
        ("her pulse is really fast and she collapsed in the garden", "RF-CIRC-001"),
        ("kidney infection, I'm shivering and I haven't peed all day", "RF-INF-002"),
        ("the most severe pain in my head I've ever had, it came on in seconds", "RF-NEURO-002"),
        ("came off my bike, my helmet split and I keep being sick", "RF-NEURO-004"),
        ("there's a big lump on the side of his head and he's very sleepy since the fall", "RF-NEURO-004"),
        ("bad back for weeks and now my bum has gone numb", "RF-NEURO-005"),
        ("my back is killing me and I've wet myself without noticing", "RF-NEURO-005"),
        ("LBP, new faecal incontinence", "RF-NEURO-005"),
        ("my little boy's eyes rolled back and he was jerking for 5 minutes", "RF-NEURO-003"),
        ("sudden pain in his privates during PE, he's 12", "RF-URO-001"),
        ("sudden pain in my right ball and I've been sick", "RF-URO-001"),
        ("tonsillitis, the throat is agony on one side and I can barely open my mouth", "RF-ENT-002"),
        (
            "she makes a whistly noise breathing in even at rest and the skin is sucking in at her neck",
            "RF-RESP-001",
        ),
        ("I have Addison's and I've been vomiting all night", "RF-ENDO-001"),
        ("I take prednisolone every day and I've been sick all day, I feel faint", "RF-ENDO-001"),
        ("itchy all over after the prawns and I feel faint", "RF-ALLERGY-001"),
        ("my arm is at a funny angle after I tripped", "RF-TRAUMA-001"),
        ("the knife slipped and blood is squirting out of my palm", "RF-BLEED-001"),
        ("I'm bleeding from my back passage and feel woozy", "RF-GI-001"),
        ("my 4 year old has bloody diarrhoea and she's barely weeing", "RF-RENAL-001"),
        ("8 months old, red jelly in his nappy and vomiting", "RF-PAED-002"),
        ("Child 9/12, drawing his knees up every 20 minutes, vomiting", "RF-PAED-002"),
        # poisoning, self-harm and harm to others
        ("I took a handful of co-codamol because I wanted to die", "RF-MH-001"),
        ("I took a handful of co-codamol because I wanted to die", "RF-TOX-001"),
        ("I've said my goodbyes and tonight's the night", "RF-MH-001"),
        ("Pt 35F, active SI with plan", "RF-MH-001"),
        ("my toddler swallowed some of his grandad's heart tablets", "RF-TOX-001"),
        ("Pt 30M, intentional OD, GCS 15", "RF-TOX-001"),
        ("since we put the paraffin heater on we've all got headaches and feel sick", "RF-TOX-001"),
        ("I'm going to stab my brother when he gets home", "RF-MH-002"),
        ("he has thoughts of killing his ex and owns a knife", "RF-MH-002"),
        ("the voices tell him to hurt his father", "RF-MH-002"),
        # burns and eyes
        ("he poured boiling water over his chest by accident", "RF-BURN-001"),
        ("her leg is badly burnt and the skin looks white and leathery", "RF-BURN-001"),
        ("cement went in my eye at work", "RF-EYE-001"),
        ("oven cleaner splashed into both his eyes", "RF-EYE-001"),
        ("everything went black in my right eye 10 minutes ago", "RF-EYE-001"),
    ],
)
def test_when_dev11_emergency_wording_then_red_flag(lexical_engine: TriageEngine, text: str, flag: str):
    result = decision(lexical_engine, text)
    assert result.disposition == "emergency"
    assert flag in result.fired_rule_ids, result.fired_rule_ids


@pytest.mark.parametrize(
    "text",
    [
        "bench pressing at the gym gave me a sore chest that hurts when I press on it, 24",
        "amlodipine 5 mg OD, asking about a repeat prescription",
        "I'm so angry with my brother, but I would never hurt anyone",
        "I kill time on my phone when I can't sleep",
        "splashed hot tea on my hand, a small red mark, no blisters",
        "I've got a large patch of dry skin on my elbow",
        "an eyelash got in my eye",
        "acid reflux after dinner",
        "itchy all over from a new soap, otherwise fine",
        "I take prednisolone every day for my arthritis, can I have the flu jab?",
        "we have a gas fire in the lounge, is it safe to use?",
        "my poo is dark after eating beetroot",
        "the balls of my feet hurt after running",
        "my phlegm has turned yellow with this cold",
        "BP 135 over 85 at the pharmacy, feel fine",
        "my 8 week old felt a bit warm in the pram, thermometer says 37.2",
    ],
)
def test_when_benign_twin_then_no_red_flag(lexical_engine: TriageEngine, text: str):
    result = decision(lexical_engine, text)
    assert not result.red_flags, result.fired_rule_ids
