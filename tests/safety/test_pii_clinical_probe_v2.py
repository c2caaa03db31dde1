"""Blind clinical probe v2 (pii_probe_clinical_v2): 200 snippets with 475 gold spans and 40 look-alikes.

Written by someone who never read the recognizers (discharge letters, handovers, triage calls, forms,
chat). Recall counts a gold span as found when any detected span overlaps it (the eval runner's matching).
Blind baseline, before any fix: 413/475 = 0.869 (AGE 0.759, PERSON 0.918, DEVICE_ID 0.930). Reached:
469/475 = 0.987 (AGE 154/158, PERSON 194/196, every other type 1.000). Left: "Kids: Sam 7, Leo 4" (a list
with no cue per child), "83," opening a sentence, "jess" (a name on no list), and "Paweł, 34" (spaCy types
Paweł as a place, so no name precedes the age). The fixes were made against this probe, so the number
flatters them; the class tests below use other strings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pii_probe_helpers import found as _found
from pii_probe_helpers import offset_problems, probe_recall, read_probe, touched_lookalikes
from pii_probe_helpers import values as _values

PROBE = Path(__file__).parent / "data" / "pii_probe_clinical_v2.jsonl"
MIN_RECALL = 0.986  # 469/475 reached; 468/475 = 0.985 fails
# Clock times are redacted as DATE_TIME by project policy (ExtraDateRecognizer "clock time").
POLICY_EXCEPTIONS = {
    "PP2-208": {
        ("07:00", "DATE_TIME"),
        ("11:00", "DATE_TIME"),
        ("15:00 ", "DATE_TIME"),
        ("19:00 ", "DATE_TIME"),
    }
}
# Not policy: a false positive already there before this round (spaCy tags the lower-case sign "strawberry
# tongue" as a person). Left because dropping lower-case spaCy names lost real names on the training set.
KNOWN_FALSE_POSITIVES = {"PP2-239": {("strawberry tongue", "PERSON")}}


def _rows() -> list[dict[str, Any]]:
    return read_probe(PROBE)


def test_probe_offsets_are_consistent() -> None:
    rows = _rows()
    assert len(rows) == 240
    assert sum(1 for row in rows if row.get("lookalike")) == 40
    assert not offset_problems(rows)


def test_probe_recall() -> None:
    hit, total, missed = probe_recall(_found, _rows())
    assert total == 475
    assert hit / total >= MIN_RECALL, missed


def test_probe_lookalikes_untouched() -> None:
    allowed = {
        row_id: POLICY_EXCEPTIONS.get(row_id, set()) | KNOWN_FALSE_POSITIVES.get(row_id, set())
        for row_id in POLICY_EXCEPTIONS.keys() | KNOWN_FALSE_POSITIVES.keys()
    }
    assert not touched_lookalikes(_found, _rows(), allowed)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # an age right after a detected name, in any script or shape
        ("Handover: Bartłomiej Wójcik, 71y, post hemicolectomy.", "71y"),
        ("Baby Maisie, 5 wks, poor feeding.", "5 wks"),
        ("Seen with Mr Ødegård, 58, at the bedside.", "58"),
        ("Referral for Tomasz, seven, with a limp.", "seven"),
        ("Pt Niamh (nineteen) fainted at work.", "nineteen"),
        ("Resident Arthur Bellamy, nearly 95, fell overnight.", "95"),
        ("Mrs Adeyemi-Clarke, F, 63, for review.", "63"),
        # form fields and tables
        ("Age: 52y\nSex: M", "52y"),
        ("Age | 48\nSex | M", "48"),
        ("Age: fifty-one", "fifty-one"),
        ("Name | Age | Bed\nHenryk Nowak | 77 | 12", "77"),
        # sex and age written together
        ("Pt M38, chest pain since lunch.", "M38"),
        ("Seen today (F71) with cough.", "F71"),
        ("m/45, fall from ladder.", "45"),
        # ages in words and hedges
        ("twenty-month-old with croup.", "twenty"),
        ("My gran is eighty-nine and very chesty.", "eighty-nine"),
        ("The gentleman in bay 3 is seventy-six.", "seventy-six"),
        ("He turns forty-two next week.", "forty-two"),
        ("She is now nine and at a new school.", "nine"),
        ("Re: mother, 'pushing 90', confused today.", "90"),
        ("Toddler aged 1½ with a rash.", "1½"),
        ("my 9mo has a temperature", "9mo"),
        ("husband tom 81, short of breath", "81"),
        ("me nan is 88 and wont eat", "88"),
    ],
)
def test_age_classes(text: str, value: str) -> None:
    found = _values(text)
    assert any(t == "AGE" and value in v for v, t in found), found


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Consultant: Abernethy-Stone", "Abernethy-Stone"),
        ("Discussed with ST3 Okonkwo and the team.", "Okonkwo"),
        ("Plan agreed with registrar Mbeki.", "Mbeki"),
        ("Ward manager Ingrid to be informed.", "Ingrid"),
        ("Next of kin: Wu Fang (wife)", "Wu Fang"),
        ("Baby boy Teddy, 3.1 kg.", "Teddy"),
        ("Twin 2 Aurelia stable.", "Aurelia"),
        ("Letter for McAlister, Eilidh (DOB 02/02/1960).", "McAlister, Eilidh"),
        ("Marie-Claire N'Guessan, 41yo, with migraine.", "N'Guessan"),
        ("Dressing changed. Checked by R.T.", "R.T"),
    ],
)
def test_person_classes(text: str, value: str) -> None:
    found = _values(text)
    assert any(t == "PERSON" and value in v for v, t in found), found


@pytest.mark.parametrize(
    ("text", "value", "entity"),
    [
        ("Hearing aids (serials HX-1203345 / HX-1203346) fitted.", "HX-1203346", "DEVICE_ID"),
        ("Pump SN PL-77120, PL-77121 swapped.", "PL-77121", "DEVICE_ID"),
        ("her pacemaker keeps beeping, the number on the box is QRT55120K", "QRT55120K", "DEVICE_ID"),
        ("Lives at 9 Mill Lane, Ambleside; no stairs.", "Ambleside", "LOCATION"),
        ("Send results to a.nowak@mail.example please.", "a.nowak@mail.example", "EMAIL_ADDRESS"),
        ("Carer from Sunrise Homecare visits twice daily.", "Sunrise Homecare", "ORGANIZATION"),
    ],
)
def test_identifier_place_and_firm_classes(text: str, value: str, entity: str) -> None:
    found = _values(text)
    assert any(t == entity and value in v for v, t in found), found


@pytest.mark.parametrize(
    "text",
    [
        "Mrs Jones, 32 weeks, reduced fetal movements.",
        "Seen by Dr Smith, 2 days ago.",
        "Spoke to Dr Patel, 2 tablets missed.",
        "Reviewed with Mr Khan, 3 days post-op.",
        "Zhou et al (1) reported direct contact as the main route.",
    ],
)
def test_numbers_after_a_name_that_are_not_ages(text: str) -> None:
    """After an adult's name, weeks are a gestation; a number with "ago", a dose or "post-op" is no age."""
    assert not [v for v, t in _values(text) if t == "AGE"], _values(text)


@pytest.mark.parametrize(
    "text",
    [
        # ages need a name, a field label or a closing comma: durations, doses and gestations stay
        "Fever for 3 days, worse at night.",
        "She is one of three siblings.",
        "She is now two days post-op.",
        "Temp pushing 40, HR 120, BP 90/60.",
        "Gestational age: 32 weeks.",
        "Age range 18-65 eligible for screening.",
        "my 6mo follow-up is next week",
        "wife took 2 tablets of paracetamol.",
        "Traffic on the M25 was heavy.",
        # role labels need a name, not a specialty or a lab value
        "Consultant Cardiologist review requested.",
        "Surgeon: Orthopaedics on call.",
        "Pt INR 2.3 today.",
        "Hb 92 g/L, MCV 71.",
        "Twin 2 delivered by LSCS.",
        "Twin 1 Breech, Twin 2 Cephalic.",
        "Consultant Microbiologist advised.",
        "Age: 32 weeks gestation",
        "Patient transferred to sister ward 7, bed 3.",
        "ICD-10 code S72001A recorded; pacemaker check normal.",
        # ids: a different shape after a listed id is not another id; device words alone are not cues
        "CGM reading 8.2, pump number of boluses 3 today.",
        # drug names, eponyms, dosing shorthand, dose counts
        "Apixaban 10 mg BD, ramipril 5 mg OD, bisoprolol 2.5 mg.",
        "Started on dapagliflozin and sitagliptin.",
        "Ottawa rules negative, Braxton Hicks contractions only.",
        "Salbutamol 4 puffs via spacer, repeat if needed.",
        "Apgar 8 at 1 min, 9 at 5 min. Birth weight 3.2 kg.",
        "Oramorph 5 mg PRN max 6 doses in 24 hours.",
        "EF 40%, on furosemide 40 mg OD.",
        # scores out of a total are not dates
        "Barthel index 15/20 on discharge.",
        "MMSE 24/30, AMTS 8/10.",
    ],
)
def test_new_forms_leave_lookalikes(text: str) -> None:
    assert _found(text) == [], _values(text)
