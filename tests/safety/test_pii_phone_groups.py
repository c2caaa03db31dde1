"""Issue 4: phone numbers written as digit groups without a cue; clinical numbers stay."""

from __future__ import annotations

import pytest

from safety import PiiRedactor

POSITIVES = [
    ("They never pick up at 612 448 907, can you try?", "612 448 907"),
    ("Her mobile is on the form: 47-21-90-33", "47-21-90-33"),
    ("You can also text +447911 123 456 after six.", "447911 123 456"),
]

NEGATIVES = [
    "BP 120 80, pulse 88, sats 97, temp 38 2 this morning.",
    "I take 500 500 mg a day and walk 10 000 steps.",
    "Glucose readings 7 8 9 and 11 today, 1 500 000 people have this.",
    "Call 111 or 999, or the crisis line 988 if you feel unsafe.",
]


@pytest.mark.parametrize(("text", "number"), POSITIVES)
def test_when_digit_groups_then_phone_redacted(redactor: PiiRedactor, text: str, number: str) -> None:
    assert number not in redactor.redact(text).text


@pytest.mark.parametrize("text", NEGATIVES)
def test_when_clinical_numbers_then_unchanged(redactor: PiiRedactor, text: str) -> None:
    assert redactor.redact(text).text == text
