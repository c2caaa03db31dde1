"""Concept exceptions: look-alike phrases that are not the concept, as policy data (``exceptions``).

Their validation on load is tested in tests/clinical_policies/test_policy_exceptions.py.
"""

from __future__ import annotations

import pytest

from backend.triage import TriageEngine
from backend.triage.lexicon import PhraseMatcher, overlaps
from clinical_policies import load_policy_bundle
from tests.triage.conftest import final, present_concepts


def test_a_match_overlapping_an_exception_is_dropped_and_others_are_kept() -> None:
    matcher = PhraseMatcher([("seizure", ["had a fit"], [])], exceptions={"seizure": [r"\bfit notes?\b"]})
    text = "i had a fit note in may and then had a fit on sunday"
    found = matcher.find(text)
    assert [(m.key, text[m.start : m.end]) for m in found] == [("seizure", "had a fit")]
    assert found[0].start == text.rindex("had a fit")


def test_exceptions_apply_only_to_their_own_key() -> None:
    matcher = PhraseMatcher(
        [("seizure", ["fit"], []), ("routine_request", ["fit note"], [])],
        exceptions={"seizure": [r"\bfit note\b"]},
    )
    assert [m.key for m in matcher.find("a fit note please")] == ["routine_request"]


@pytest.mark.parametrize(
    ("span", "expected"),
    [((0, 3), False), ((0, 5), False), ((3, 6), True), ((5, 9), True), ((6, 7), True), ((9, 12), False)],
)
def test_overlap_is_sharing_a_character(span: tuple[int, int], expected: bool) -> None:
    assert overlaps(*span, [(5, 9)]) is expected


@pytest.mark.parametrize(
    "text",
    [
        "my son needs his meningitis ACWY jab before uni",
        "has she had the meningitis B vaccine yet",
        "is there a booster for meningitis for teenagers",
    ],
)
def test_a_meningitis_vaccine_asked_about_is_no_meningitis_emergency(engine: TriageEngine, text: str) -> None:
    disposition, rules = final(engine, text)
    assert "RF-INF-001" not in rules and disposition != "emergency", (disposition, rules)


@pytest.mark.parametrize(
    "text",
    [
        "I'm worried it's meningitis, he has a headache",
        "meningitis vaccine? no, I think he actually has meningitis",
        "she had the meningitis jab last week and now has a fever and a stiff neck",
    ],
)
def test_meningitis_named_as_the_worry_or_its_signs_beside_a_vaccine_still_fire(
    engine: TriageEngine, text: str
) -> None:
    disposition, rules = final(engine, text)
    assert disposition == "emergency" and "RF-INF-001" in rules, (disposition, rules)


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("can I book my whooping cough jab, I'm 28 weeks pregnant", "cough"),
        ("when is my flu jab due", "flu_like"),
        ("should my son have the chickenpox vaccine", "chickenpox"),
        ("am I eligible for the pneumonia jab", "known_infection"),
        ("my daughter needs her typhoid and yellow fever vaccines", "fever"),
    ],
)
def test_a_vaccine_named_after_an_illness_is_no_symptom_and_a_request(
    engine: TriageEngine, text: str, concept: str
) -> None:
    assert concept not in present_concepts(engine, text)
    assert final(engine, text) == ("non_urgent", ("TR-ROUTINE-003",))


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("whooping cough jab last week, now a bad cough at night", "cough"),
        ("my son has chickenpox, he never had the vaccine", "chickenpox"),
        ("I think I have the flu, I missed my flu jab this year", "flu_like"),
    ],
)
def test_the_illness_told_beside_its_vaccine_still_counts(
    engine: TriageEngine, text: str, concept: str
) -> None:
    assert concept in present_concepts(engine, text)


def test_an_exception_naming_a_term_list_is_expanded_on_load() -> None:
    cough = next(c for c in load_policy_bundle().symptoms.concepts if c.id == "cough")
    assert cough.exceptions and not any("<<" in e for e in cough.exceptions)
