"""Failure classes of the blind batch DEV12 (policy 0.6.1).

Time-critical presentations that had no concept or red flag, urgent and routine presentations that fell
through, and words misread as symptoms. Each class is tested on paraphrases (not the batch wording) and,
where it matters, on a benign twin that must not fire.
"""

import json
from pathlib import Path

import pytest

from backend.triage import TriageEngine, run_case
from backend.triage.types import Decision

DEV12 = Path(__file__).resolve().parents[2] / "backend" / "triage" / "dev_vignettes.jsonl"  # DEV12-* rows


def decision(engine: TriageEngine, text: str) -> Decision:
    return run_case(engine, text).decision


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        # asthma attack, reliever not working (BTS/SIGN 2019)
        ("My son is having an asthma attack and his blue inhaler isn't working.", "RF-RESP-002"),
        ("asthma flare up since this morning, the ventolin is not doing anything", "RF-RESP-002"),
        ("I've used my reliever every ten minutes for an hour and my chest is still tight", "RF-RESP-002"),
        ("took 12 puffs of salbutamol and still wheezy", "RF-RESP-002"),
        # bowel obstruction
        ("I haven't passed any wind since yesterday and keep being sick", "RF-GI-003"),
        ("constipated for 4 days, vomiting, and my belly is swollen and tight as a drum", "RF-GI-003"),
        ("my 3-week-old baby is vomiting green stuff", "RF-GI-003"),
        ("tummy pain and I've been bringing up green bile all morning", "RF-GI-003"),
        # spreading dental infection with airway signs (Ludwig's angina)
        ("infected tooth for a week, now swelling under my jaw and it's difficult to swallow", "RF-ENT-003"),
        ("toothache and facial swelling, struggling to breathe", "RF-ENT-003"),
        ("his face is swollen from a dental abscess and his tongue is pushed up", "RF-ENT-003"),
        # post-tonsillectomy bleeding
        ("had her tonsils removed last week and now she is spitting blood", "RF-ENT-004"),
        ("5 days after my tonsillectomy there's blood in my saliva", "RF-ENT-004"),
        # rapidly progressive bilateral weakness
        ("both my legs have gone weak since yesterday and I can't feel my feet properly", "RF-NEURO-006"),
        ("tingling in my toes, now my legs are weak and it's moving up into my hands", "RF-NEURO-006"),
        ("she's getting weaker by the day, her legs keep giving way and her arms are heavy", "RF-NEURO-006"),
        # recreational drug toxicity
        ("he took some pills at a party and now he's agitated and overheating", "RF-TOX-002"),
        ("took MDMA at a club, heart is pounding and I feel confused", "RF-TOX-002"),
        ("snorted cocaine an hour ago and now have chest pain", "RF-TOX-002"),
        # overdose wording, button batteries and magnets (TOXBASE; NHS swallowed objects)
        ("my dad took a handful of his sleeping pills an hour ago", "RF-TOX-001"),
        ("she swallowed loads of paracetamol tablets this afternoon", "RF-TOX-001"),
        ("my toddler swallowed a watch battery", "RF-TOX-001"),
        ("I think my son swallowed two of the little magnets from his toy set", "RF-TOX-001"),
        # necrotising fasciitis / severe cellulitis
        ("the cut on my arm is red and swollen and the pain is far worse than it looks", "RF-SKIN-001"),
        ("cellulitis on my leg spreading by the hour, I have a fever", "RF-SKIN-001"),
        ("red hot swollen skin on his leg and he feels really unwell", "RF-SKIN-001"),
        # toxic shock / fever with collapse
        ("high fever, a red rash all over and she passed out when she stood up", "RF-INF-005"),
        ("using tampons, fever of 39 and feeling dizzy", "RF-INF-005"),
        # priapism and sickle cell crisis
        ("I've had an erection that won't go down for 6 hours", "RF-URO-002"),
        ("he has sickle cell disease and a temperature of 38.5", "RF-HAEM-001"),
        # GCA with visual symptoms, vision loss wording
        ("I'm 72, my scalp is tender and since this morning I have double vision", "RF-EYE-002"),
        ("jaw aches when she eats and her vision went blurry", "RF-EYE-002"),
        ("I've lost the sight in my right eye, like a shadow coming down", "RF-EYE-001"),
        # ectopic pattern: shoulder-tip pain with dizziness
        ("pain low in my belly and at the tip of my left shoulder, feeling dizzy", "RF-ABDO-001"),
        ("my period is two weeks overdue, tummy pain and pain at the tip of my shoulder", "RF-OBS-001"),
        # acute limb ischaemia wording
        ("his foot has become cold, white and numb in the last hour", "RF-TRAUMA-001"),
    ],
)
def test_when_dev12_emergency_wording_then_red_flag(lexical_engine: TriageEngine, text: str, flag: str):
    result = decision(lexical_engine, text)
    assert result.disposition == "emergency", result.fired_rule_ids
    assert flag in result.fired_rule_ids, result.fired_rule_ids


@pytest.mark.parametrize(
    "text",
    [
        "I have asthma and use my inhaler a couple of times a week, it's working fine.",
        "I've been constipated for three days and feel a bit bloated.",
        "toothache for two days, no swelling, eating and drinking normally",
        "I had my tonsils out years ago and now have a sore throat",
        "my legs ache after a long walk yesterday",
        "I took two paracetamol tablets for a headache",
        "my husband changed the batteries in the remote and now it works",
        "small red patch around a bite on my arm, not spreading, I feel fine",
        "I'm on my period and have cramps",
        "I have sickle cell trait and want advice about travel vaccines",
        "my eyesight has been slowly getting worse for reading over the years",
    ],
)
def test_when_dev12_benign_twin_then_no_new_red_flag(lexical_engine: TriageEngine, text: str):
    result = decision(lexical_engine, text)
    assert result.disposition != "emergency", result.fired_rule_ids
    assert not result.red_flags


@pytest.mark.parametrize(
    ("text", "disposition", "rule"),
    [
        # class C: urgent presentations
        ("breastfeeding, hot painful red patch on left breast and a fever", "urgent", "TR-BREAST-001"),
        ("low for a month, I think my family would be better off without me", "urgent", "TR-MIND-001"),
        ("I'm 70 with a headache and it hurts to comb my hair", "urgent", "TR-HEAD-007"),
        ("my 2-week-old has a sticky eye with yellow discharge", "urgent", "TR-EYE-007"),
        ("a 70-year-old with palpitations since this morning, no chest pain", "urgent", "TR-NEURO-008"),
        ("I'm 45 and my heart has been fluttering irregularly for three days", "urgent", "TR-NEURO-009"),
        (
            "I fell on my outstretched hand yesterday, the wrist is swollen and tender over the snuffbox",
            "urgent",
            "TR-INJURY-002",
        ),
        (
            "42 y/o m, severe colicky pain from loin to groin, blood in his urine, settled with painkillers",
            "urgent",
            "TR-ABDO-010",
        ),
        ("I've had an erection that won't go away for 2 hours", "urgent", "TR-GENITAL-006"),
        # class E: routine and self-care presentations that fell through
        ("my 2-year-old only says a few words and isn't walking yet", "non_urgent", "TR-GENERAL-011"),
        ("I have bulging veins on the back of my legs that ache by evening", "non_urgent", "TR-GENERAL-011"),
        ("my hearing has got poorer over the years, I'm 80", "non_urgent", "TR-EAR-004"),
        ("my ear feels blocked with wax again, no pain", "self_care", "TR-EAR-006"),
        ("went over on my ankle playing football, I can walk on it", "self_care", "TR-INJURY-006"),
        ("I found lice in my son's hair", "self_care", "TR-GENERAL-004"),
        ("woke up with a stiff neck, it hurts to turn my head, no fever", "self_care", "TR-BACK-006"),
        ("my 6-year-old has a stiff neck and keeps being sick", "urgent", "TR-BACK-007"),
        ("a 10-year-old with a stiff neck since this morning", "urgent", "TR-BACK-008"),
    ],
)
def test_when_dev12_rule_case_then_disposition(
    lexical_engine: TriageEngine, text: str, disposition: str, rule: str
):
    result = decision(lexical_engine, text)
    assert (result.disposition, rule in result.fired_rule_ids) == (disposition, True), result.fired_rule_ids


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        # class D: reassurance is not a symptom ("my breathing is fine");
        # "right side of back" is not lower-right abdominal pain
        ("My calf has been sore since a long drive. My breathing is fine.", "shortness_of_breath"),
        ("itchy bumps on my arms since a new soap, my breathing is normal", "shortness_of_breath"),
        ("pain in the right side of my back under the ribs with a fever", "rlq_pain"),
    ],
)
def test_when_reassurance_or_other_site_then_no_concept(engine: TriageEngine, text: str, absent: str):
    facts = run_case(engine, text).facts
    present = {f.concept_id for f in facts.findings if f.status == "present"}
    assert absent not in present, present


@pytest.mark.parametrize(
    "text",
    [
        # "isn't helping" is not a negation of what follows; "says" starts a new statement
        "My inhaler isn't helping, I can't finish a sentence.",
        "A man (on no blood thinners) says his right leg went cold, pale and numb an hour ago.",
    ],
)
def test_when_pseudo_negation_or_reported_speech_then_red_flag_holds(lexical_engine: TriageEngine, text: str):
    assert decision(lexical_engine, text).disposition == "emergency"


def _dev12_cases(ids: tuple[str, ...]) -> list[tuple[str, str, list[str]]]:
    rows = [json.loads(line) for line in DEV12.read_text().splitlines() if line.strip()]
    return [(r["id"], r["text"], r["gold_triage_acceptable"]) for r in rows if r["id"] in ids]


# The DEV12 emergencies fixed in 0.7.0 (the seven silent misses first): they must stay caught.
_FIXED_EMERGENCIES = tuple(
    f"DEV12-{n:03d}" for n in (9, 19, 20, 30, 39, 43, 50, 12, 32, 35, 36, 37, 41, 48, 51, 54)
)


@pytest.mark.parametrize(("case_id", "text", "acceptable"), _dev12_cases(_FIXED_EMERGENCIES))
def test_when_fixed_dev12_emergency_then_still_emergency(
    engine: TriageEngine, case_id: str, text: str, acceptable: list[str]
):
    result = decision(engine, text)
    assert result.disposition == "emergency", (case_id, result.fired_rule_ids)
