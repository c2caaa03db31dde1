"""Age, zip, place and organisation patterns added after the first evaluation; clinical values survive."""

from __future__ import annotations

import pytest

from safety import PiiRedactor

# (text, substrings that must be redacted, substrings that must survive)
CASES = [
    ("My zip code is 2371 and I live in Ohio.", ["2371", "Ohio"], []),
    ("45M presents with chest pain for two days.", ["45"], ["two days"]),
    ("my son is 6 and has had a fever since Tuesday", ["6"], ["since Tuesday"]),
    ("When she was 78 she had a stroke; it is her 80th birthday today.", ["78", "80"], []),
    ("Maria (34) has Parkinson's disease.", ["Maria", "34"], ["Parkinson's disease"]),
    ("Send it to Springfield, Illinois 62704 please.", ["62704"], []),
    ("i live in boston, and i've had a cough for a week", ["boston"], ["a week"]),
    ("She teaches at Lincoln Elementary School.", ["Lincoln Elementary"], []),
]

NEGATIVES = [
    "BP 120/80 M, temp 101F, 98.6 F this morning, took 2 tablets of 500 mg at 8 am.",
    "My son is 6 feet tall and I live in constant pain.",
    "I have been in pain since Tuesday, about a 6 out of 10.",
]


@pytest.mark.parametrize(("text", "redacted", "kept"), CASES)
def test_extra_identifiers_are_redacted(redactor: PiiRedactor, text, redacted, kept):
    result = redactor.redact(text).text
    for value in redacted:
        assert value not in result, (value, result)
    for value in kept:
        assert value in result, (value, result)


@pytest.mark.parametrize("text", NEGATIVES)
def test_clinical_values_survive(redactor: PiiRedactor, text):
    assert redactor.redact(text).text == text
