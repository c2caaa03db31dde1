"""Issue 4, train-side PERSON failure classes: initials, accented pairs, strong cues, repeated mentions.

Positives are written for this test; negatives are clinical look-alikes that must come back unchanged.
"""

from __future__ import annotations

import pytest

from safety import PiiRedactor

# (text, substrings that must be redacted)
POSITIVES = [
    ("The form was signed by Radka T Novotná yesterday.", ["Radka", "Novotná"]),
    ("Please forward it to Dagrun Østvik.", ["Dagrun", "Østvik"]),
    ("My name is Eliska Dvořáková but everyone calls me Eliska.", ["Eliska", "Dvořáková"]),
    ("What's your last name? Vukovitch", ["Vukovitch"]),
    ("Dr Okonkwo saw her, and later Okonkwo phoned back.", ["Okonkwo"]),
    ("I would like to add my kid Tadeo to the plan.", ["Tadeo"]),
]

NEGATIVES = [
    "Hepatitis B Vaccine given, Vitamin D Deficiency, Factor V Leiden negative.",
    "Sjögren Syndrome and Ménière's disease, Behçet flare, Guillain-Barré last year.",
    "Dr Parkinson said the tremor is not Parkinson's disease.",
    "My IBAN is not something I want to share, the swelling is worse.",
    "She has Crohn's; Crohn's flares happen every spring. MS, MI and BP 120/80.",
]


@pytest.mark.parametrize(("text", "redacted"), POSITIVES)
def test_when_name_class_then_redacted(redactor: PiiRedactor, text: str, redacted: list[str]) -> None:
    result = redactor.redact(text).text
    for value in redacted:
        assert value not in result, (value, result)


@pytest.mark.parametrize("text", NEGATIVES[:2] + NEGATIVES[3:])
def test_when_clinical_term_then_unchanged(redactor: PiiRedactor, text: str) -> None:
    assert redactor.redact(text).text == text


def test_when_doctor_shares_an_eponym_then_the_disease_stays(redactor: PiiRedactor) -> None:
    result = redactor.redact(NEGATIVES[2]).text
    assert "Parkinson's disease" in result
