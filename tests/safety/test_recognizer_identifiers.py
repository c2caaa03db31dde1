"""Identifier formats the cued and predefined recognizers missed: plates, licences, MR#, UDI, UUID."""

from __future__ import annotations

import pytest

from safety import PiiRedactor

CASES = [
    ("my car CBB 3390 is parked outside", "CBB 3390"),
    ("Tag: 8O-KOSG", "8O-KOSG"),
    ("MR# 9755086, please pull my chart", "9755086"),
    ("DL# D528-5097-1165", "D528-5097-1165"),
    ("driver's license Y5191117", "Y5191117"),
    ("CPAP machine serial no. (01)36396019230976(21)N06167", "(01)36396019230976(21)N06167"),
    ("hearing aid model 6fd745a7-ad5c-40db-b29b-0218c1c593ae", "6fd745a7-ad5c-40db-b29b-0218c1c593ae"),
]

NEGATIVES = [
    "Hb 10.2, WBC 14.5, platelets 450, INR 2.8.",
    "The car accident was 2 days ago; I hit my head on the van door.",
    "License to practise was checked; my plates and cups are clean.",
]


@pytest.mark.parametrize(("text", "secret"), CASES)
def test_when_identifier_then_redacted(redactor: PiiRedactor, text: str, secret: str):
    assert secret not in redactor.redact(text).text


@pytest.mark.parametrize("text", NEGATIVES)
def test_when_no_identifier_then_unchanged(redactor: PiiRedactor, text: str):
    assert redactor.redact(text).text == text
