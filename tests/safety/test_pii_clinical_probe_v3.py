"""Blind clinical probe v3 (pii_probe_clinical_v3): 200 snippets with 606 gold spans and 40 look-alikes.

Written by a helper who read no repository file and no data set (discharge summaries, SOAP notes, referral
and e-mail letters, handovers, radiology headers, forms, CSV / tab / markdown / space-aligned tables, pager
shorthand, lower-case chats). Recall counts a gold span as found when any detected span overlaps it (the
eval runner's matching). Blind baseline, before any fix: 527/606 = 0.870 (AGE 0.846, PERSON 0.896,
DEVICE_ID 0.854, ID 0.500); look-alikes touched 10 of 40. Reached: 584/606 = 0.964 (AGE 155/156, PERSON
203/211, DEVICE_ID, ID and HEALTH_PLAN_ID 1.000); one look-alike touched ("leaflet" read as a name by spaCy).
Left: lower-case names in chats with no cue ("my daughter lan", "my mum rose"), "Will" as a sign-off line,
a name in Chinese characters after its romanisation, lower-case towns and most employers / insurers
(ORGANIZATION 25/35). The fixes were made against this probe, so the number flatters them; the class tests
below use other strings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pii_probe_helpers import found as _found
from pii_probe_helpers import offset_problems, probe_recall, read_probe, touched_lookalikes
from pii_probe_helpers import values as _values

PROBE = Path(__file__).parent / "data" / "pii_probe_clinical_v3.jsonl"
MIN_RECALL = 0.963  # 584/606 reached; 583/606 = 0.962 fails
# Not policy: spaCy tags the lower-case word "leaflet" as a person; the common-word list does not hold it.
KNOWN_FALSE_POSITIVES = {"PP3-232": {("leaflet", "PERSON")}}


def _rows() -> list[dict[str, Any]]:
    return read_probe(PROBE)


def test_probe_offsets_are_consistent() -> None:
    rows = _rows()
    assert len(rows) == 240
    assert sum(1 for row in rows if row.get("lookalike")) == 40
    assert not offset_problems(rows)


def test_probe_recall() -> None:
    hit, total, missed = probe_recall(_found, _rows())
    assert total == 606
    assert hit / total >= MIN_RECALL, missed


def test_probe_lookalikes_untouched() -> None:
    assert not touched_lookalikes(_found, _rows(), KNOWN_FALSE_POSITIVES)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # decade words, unit ages after labels and names, ranges, other languages
        ("A septuagenarian farmer with haematuria.", "septuagenarian"),
        ("Client: 47 yrs, lives alone.", "47 yrs"),
        ("Please dose enoxaparin: 66 yrs, 92 kg, eGFR 50.", "66 yrs"),
        ("Ms Ifeoma Chukwu 39yrs, asthma review.", "39yrs"),
        ("Mrs Tan, estimated aged between 70 and 75, no ID.", "70"),
        ("Mrs Tan, estimated aged between 70 and 75, no ID.", "75"),
        ("Seen today (age 4y 6m) with otitis.", "4y 6m"),
        ("Infant, 7 weeks, feeding poorly.", "7 weeks"),
        ("Caller Mr Dunne (son), early seventies, chest pain.", "seventies"),
        ("Referral: Mrs Okafor (70s, lives alone) with falls.", "70s"),
        ("Patiente de 52 ans, douleur thoracique.", "52 ans"),
        ("Patient ist 63 Jahre alt.", "63 Jahre"),
        # a name, a bracket, then the age
        ("Sam Whitlock (he/him), 19, attended alone.", "19"),
        ("Noor Haddad (voluntary, 37) settled overnight.", "37"),
        # shorthand headers and pagers
        ("bleep 4411: bay 2 bed 6 - F 58, NEWS 6", "58"),
        ("Ref 0091-2   M 44 | CT head", "44"),
        ("Mrs Hall 91 #NOF awaiting theatre", "91"),
        # forms, code and tables
        ("Age.........: 59\nSex.........: F", "59"),
        ('record = {name: "x", age="61", ward: "9"}', "61"),
        ("Age,Sex,Result\n52,M,negative", "52"),
        ("Bed|Name|Age\n3|Ola Nordmann|eighty-two", "eighty-two"),
    ],
)
def test_age_classes(text: str, value: str) -> None:
    found = _values(text)
    assert any(t == "AGE" and value in v for v, t in found), found


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Family name: OKONJO   First names: Adaeze", "OKONJO"),
        ("Family name: OKONJO   First names: Adaeze", "Adaeze"),
        ("Bed 9: Tomasz Zielinski, post-op day 2.", "Tomasz Zielinski"),
        ("Many thanks,\nIsolde", "Isolde"),
        ("Bloods look fine, will review tomorrow - Ravi", "Ravi"),
        ("Referral for Abimbola (Bimbo) Adeyemi, aged 6.", "Bimbo"),
        ("hey, priyanka here, my son has a rash", "priyanka"),
        ("Mr Rose reviewed in clinic.", "Rose"),
        ("Surname\tForename\tWard\nMakowski\tZofia\t4", "Makowski"),
    ],
)
def test_person_classes(text: str, value: str) -> None:
    found = _values(text)
    assert any(t == "PERSON" and value in v for v, t in found), found


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Loop recorder #LR7-33410 implanted.", "LR7-33410"),
        ("Syringe driver asset no. SD-20417 sent for service.", "SD-20417"),
        ('{"pump_serial": "TX-55012-B"}', "TX-55012-B"),
        ("Name;Vaccine;Batch\nAda Obi;MMR;MR4471C", "MR4471C"),
        ("Serial       Patient         Alert\nQX4410221    Moss, Ellen     pause", "QX4410221"),
    ],
)
def test_device_classes(text: str, value: str) -> None:
    found = _values(text)
    assert any(t == "DEVICE_ID" and value in v for v, t in found), found


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Referring clinician Dr Ama Boateng (GMC 6012345).", "6012345"),
        ("Passport no. K44019283 seen.", "K44019283"),
        ("Study ID: CARD-22-0917 consented.", "CARD-22-0917"),
        ("Employee no. HR-009912, occupational health referral.", "HR-009912"),
        ("| Specimen | Result |\n|---|---|\n| Q26-11803 | Na 129 |", "Q26-11803"),
        ("Payer\tPolicy\nCigna\tU55120933", "U55120933"),
        ("Pt ID: 7730021   CXR", "7730021"),
    ],
)
def test_identifier_classes(text: str, value: str) -> None:
    found = _values(text)
    assert any(value in v for v, _ in found), found


@pytest.mark.parametrize(
    "text",
    [
        # durations and gestations in UK notation, hospital places, eponymous scales
        "Cough for 2/12, weight loss over 3/52.",
        "Transferred to Ward 4C, side room 3.",
        "Hoehn and Yahr stage 2; Risser grade 4; Cobb angle 25 degrees.",
        "Boston brace fitted; Tanner stage 2.",
        "Drug | Dose | Route\nCeftriaxone | 2 g | IV\nMetronidazole | 500 mg | IV",
        "Vasopressin and terlipressin both considered.",
        # blood pressures after a device word are readings, not serials
        "my monitor says 158/96 this morning",
        # numbers after a title and name that are not ages
        "Mr Khan 3 days post-op, mobilising.",
        "Mrs Lee 2 tablets missed.",
        # a greeting before a word that is not a name
        "hi, pain here is worse today",
        "hello its cold here and I have a cough",
        # comma lists that are prose, not tables
        "Name, age and address confirmed, consent taken.",
    ],
)
def test_lookalike_classes(text: str) -> None:
    found = _values(text)
    assert not [
        (v, t)
        for v, t in found
        if t in {"AGE", "PERSON", "DEVICE_ID", "DATE_TIME", "LOCATION"}
        and not (t == "PERSON" and v in {"Khan", "Lee"})
    ], found
