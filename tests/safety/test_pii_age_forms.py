"""Age forms from a probe written before reading the recognizers (2026-11-29): spelled-out ages after
"I'm" / "aged", "65 M" with a space, sex-then-age after a patient cue, and "At 57, ...".
Clocks, doses, durations and temperatures in the same shapes survive."""

from __future__ import annotations

import pytest

from safety import PiiRedactor

AGES = [
    ("I'm seventy-two and diabetic", "seventy-two"),
    ("she is eighty five and lives alone", "eighty five"),
    ("65 M presenting with syncope", "65"),
    ("72 F with new confusion", "72"),
    ("Pt: F 34, c/o headache", "34"),
    ("sex: male, 71", "71"),
    ("At 57 I have never had this before", "57"),
    ("at 40, he had his first heart attack", "40"),
]

KEPT = [
    "I'm twenty minutes from the hospital",
    "At 10 I took two paracetamol and at 23 I went to bed",
    "temp 101 F this morning and 99 F now",
    "at 50 mg a day, he is fine",
    "Pt F 5 mg of morphine given",
    "BP 120/80 M",
]


@pytest.mark.parametrize(("text", "age"), AGES)
def test_age_is_redacted(redactor: PiiRedactor, text: str, age: str) -> None:
    result = redactor.redact(text).text
    assert age not in result, result


@pytest.mark.parametrize("text", KEPT)
def test_lookalike_survives(redactor: PiiRedactor, text: str) -> None:
    assert redactor.redact(text).text == text
