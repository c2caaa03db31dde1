"""Issue 4, train-side failure classes: address blocks, name-first streets, towns after place cues.

Each positive is written for this test (not copied from presidio_synth_v2); each negative is a clinical
look-alike of the same shape that must come back unchanged.
"""

from __future__ import annotations

import pytest

from safety import PiiRedactor

# (text, substrings that must be redacted)
POSITIVES = [
    # Address block: street written name-first, unit line, town, country + postcode.
    (
        "Ingrid Dahl\n4410 Fjordveien 17\nApt. 22\nLILLEHAMMER\nNorway 2609",
        ["Fjordveien 17", "LILLEHAMMER", "2609"],
    ),
    (
        "> Tomasz Wrona\n> ul. Lipowa 8\n> Suite 4\n> Białystok\n> Poland 15-424",
        ["Lipowa 8", "Białystok", "15-424"],
    ),
    ("Rua das Flores 210\nApt. 7\nCoimbra\n\nPortugal", ["Rua das Flores 210", "Coimbra", "Portugal"]),
    ("Send the letter to Mrs. Ann Berg Apt. 5 1200 Storgatan 9\nUMEÅ SE 90325", ["Storgatan 9", "UMEÅ"]),
    ("my new address is the corner of Birkenweg 4 and Harbor Lane", ["Birkenweg 4", "Harbor Lane"]),
    ("She lives at 71 Via Garibaldi 12, Montalcino", ["Via Garibaldi 12", "Montalcino"]),
    # Towns in any script or case after a place cue.
    ("He grew up in TROMSØ and moved here from Jyväskylä.", ["TROMSØ", "Jyväskylä"]),
    ("I'm in HÄMEENLINNA for work, originally from ΛΕΜΕΣΟΣ", ["HÄMEENLINNA", "ΛΕΜΕΣΟΣ"]),
    ("we flew to reykjahlíð last week", ["reykjahlíð"]),
    ("She studied nursing at the University of Örebro.", ["Örebro"]),
]

# Clinical text of the same shapes: nothing may be redacted.
NEGATIVES = [
    "Metformin 500\nLisinopril 10\nAspirin 81",
    "Meds:\nAtorvastatin 40\nVitamin D 1000\nChest pain since Monday",
    "I'm in PAIN, about 8 out of 10, and I'm in A&E now.",
    "I'm in ER with my mum, she is in ICU after an MI.",
    "I grew up in pain, moved to the ICU last night.",
    "Rash in the corner of my eye and at the corner of the mouth for two days.",
    "BP 120/80, HR 88, temp 101F, took 2 Tylenol 500 this morning.",
    "History of MS and Crohn's disease, Parkinson's tremor, started Ozempic 0.5 mg weekly.",
    "Bed 12\nPain score 6\nNausea\nDizzy",
]


@pytest.mark.parametrize(("text", "redacted"), POSITIVES)
def test_when_address_or_cued_town_then_redacted(
    redactor: PiiRedactor, text: str, redacted: list[str]
) -> None:
    result = redactor.redact(text).text
    for value in redacted:
        assert value not in result, (value, result)


@pytest.mark.parametrize("text", NEGATIVES)
def test_when_clinical_look_alike_then_unchanged(redactor: PiiRedactor, text: str) -> None:
    assert redactor.redact(text).text == text


def test_when_unit_line_then_only_short_place_lines_follow(redactor: PiiRedactor) -> None:
    text = "12 Elm Road\nApt 3\nLeeds\nI have had chest pain since Monday"
    result = redactor.redact(text).text
    assert "Leeds" not in result
    assert result.endswith("I have had chest pain since Monday")
