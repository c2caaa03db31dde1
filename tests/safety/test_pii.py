from __future__ import annotations

import pytest

from safety import PiiRedactor

# (text, substrings that must be redacted, substrings that must survive)
CASES = [
    (
        "Hi, my name is jonathon and I'm 88 years old. I've had chest pain for two days.",
        ["jonathon", "88"],
        ["two days"],
    ),
    (
        "This is Gina Sutton, DOB May 01, 2013. My MRN is 0870169.",
        ["Gina Sutton", "May 01, 2013", "0870169"],
        ["MRN"],
    ),
    ("My member ID is XJ8821342 and my insurance number is BCX-22918-11.", ["XJ8821342", "BCX-22918-11"], []),
    ("NHS number 943 476 5919, please check my notes.", ["943 476 5919"], []),
    ("I live at 42 Elm Street, Apt 3, Springfield, IL 62704.", ["42 Elm Street"], []),
    ("Born 03/14/1961, admitted on 2024-02-11 for a fall.", ["03/14/1961", "2024-02-11"], []),
    ("My account number is 88120034 and fax 555-201-9932.", ["88120034", "555-201-9932"], []),
    ("Email me at j.doe@example.org or call (415) 555-0134.", ["j.doe@example.org", "(415) 555-0134"], []),
    ("She is a 34-year-old with a pacemaker serial PM-99812X.", ["34", "PM-99812X"], []),
    (
        "I work at Smith, Jones and Brown LLC in Springfield, IL 62704.",
        ["Smith, Jones", "Springfield", "62704"],
        [],
    ),
]

NEGATIVES = [
    "I have Parkinson's disease and my tremor has been worse for two days.",
    "Bell's palsy on the left since yesterday, Graves' disease in the past, Crohn's flare now.",
    "I took 500 mg of paracetamol at 3pm and 400 mg ibuprofen; BP 120/80, pulse 96, temp 38.5 C.",
    "Should I call 988 or Poison Control at 1-800-222-1222? It started three weeks ago.",
    "ICD-10 I21.9, CPT 99213; the pain is 7 out of 10 and lasted 20 minutes.",
    "HR 88, BP 90/60, temp 101.2 F, SpO2 94%. Took Tylenol 500 mg at 10 pm. ICD-10 J45.909.",
    "Call Poison Control or the 988 Suicide and Crisis Lifeline.",
    "Holter monitor for 24 hours; I have Lyme disease and Graves' disease.",
]


@pytest.mark.parametrize(("text", "redacted", "kept"), CASES)
def test_when_identifier_present_then_it_is_redacted(redactor: PiiRedactor, text, redacted, kept):
    result = redactor.redact(text)
    for value in redacted:
        assert value not in result.text, (value, result.text)
    for value in kept:
        assert value in result.text, (value, result.text)
    assert set(result.pseudonyms.values()) >= set(redacted) - {"88", "34"} or result.findings


@pytest.mark.parametrize("text", NEGATIVES)
def test_when_no_identifier_then_text_is_unchanged(redactor: PiiRedactor, text):
    assert redactor.redact(text).text == text


def test_pseudonyms_are_stable_across_turns(redactor: PiiRedactor):
    first = redactor.redact("My name is Maria Lopez and my MRN is 5521109.")
    second = redactor.redact("Maria Lopez again, MRN 5521109, the rash is worse.", known=first.pseudonyms)
    assert first.pseudonyms.items() <= second.pseudonyms.items()
    for placeholder in first.pseudonyms:
        assert placeholder in second.text


def test_entity_types_are_safe_to_log(redactor: PiiRedactor):
    result = redactor.redact("Call John Smith on 415-555-0134")
    assert set(result.entity_types) >= {"PERSON", "PHONE_NUMBER"}
    assert "John" not in " ".join(result.entity_types)
