import pytest

from safety import PiiRedactor


@pytest.mark.parametrize(
    ("text", "secret", "entity"),
    [
        ("My name is John Smith and my head hurts", "John Smith", "PERSON"),
        ("Call me back on 617-555-0199 please", "617-555-0199", "PHONE_NUMBER"),
        ("my email is jane.doe@example.com", "jane.doe@example.com", "EMAIL_ADDRESS"),
    ],
)
def test_when_identifier_present_then_replaced_by_placeholder(
    redactor: PiiRedactor, text: str, secret: str, entity: str
):
    result = redactor.redact(text)
    assert secret not in result.text
    assert f"[{entity}_1]" in result.text
    assert result.pseudonyms[f"[{entity}_1]"] == secret
    assert entity in result.entity_types


@pytest.mark.parametrize(
    "text",
    ["I have had a headache for two days", "I took 400 mg ibuprofen this morning"],
)
def test_when_no_identifier_then_text_unchanged(redactor: PiiRedactor, text: str):
    assert redactor.redact(text).text == text


def test_same_value_gets_same_placeholder_across_turns(redactor: PiiRedactor):
    first = redactor.redact("I am John Smith")
    second = redactor.redact("This is John Smith again, and Mary Jones is my wife", known=first.pseudonyms)
    assert "[PERSON_1]" in second.text
    assert "[PERSON_2]" in second.text
    assert second.pseudonyms["[PERSON_1]"] == "John Smith"
