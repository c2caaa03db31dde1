"""Ages in month/week/day-old shorthand and durations that date something else (DEV12 pending fixes)."""

from __future__ import annotations

import pytest

from backend.triage.demographics import extract_age, extract_duration_hours
from backend.triage.text import normalise
from clinical_policies import PolicyBundle


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("my son is 9 m/o and vomiting", 0.75),  # was read as 9 years
        ("10 w/o, poor feeding", round(10 / 52, 3)),
        ("3 d/o, yellow and sleepy", round(3 / 365, 3)),
        ("my 7mo has a fever", round(7 / 12, 3)),
        ("our 10 wk baby is floppy", round(10 / 52, 3)),
        ("my son is 1 month old", round(1 / 12, 3)),
        ("my wife is 32 weeks pregnant, i am 35", 35.0),
        ("my daughter is 2 weeks and not feeding", round(2 / 52, 3)),
        ("my dad is 79", 79.0),
        ("bp 120 w/o meds, i am 45", 45.0),
    ],
)
def test_age_shorthand(triage_bundle: PolicyBundle, text: str, years: float) -> None:
    assert extract_age(normalise(text), triage_bundle.symptoms.demographics) == years


def test_symptom_duration_is_not_an_age(triage_bundle: PolicyBundle) -> None:
    assert extract_age(normalise("cough for 3 mo"), triage_bundle.symptoms.demographics) is None


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("period 6 weeks late and pain low in my tummy", None),
        ("i'm 6 weeks pregnant with cramps", None),
        ("vomiting over the last two days, i had a stomach bug a couple of weeks ago", 48.0),
        ("started 3 days ago", 72.0),
        ("cough for 2 weeks", 336.0),
    ],
)
def test_duration_of_the_symptoms(text: str, hours: float | None) -> None:
    assert extract_duration_hours(normalise(text)) == hours


def test_over_years_is_long_standing() -> None:
    hours = extract_duration_hours(normalise("my hearing has got worse over years"))
    assert hours is not None and hours >= 8760


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        ("he has run out of his anti-seizure tablets", False),
        ("she takes anti sickness pills", False),
        ("he had a seizure an hour ago", True),
        ("she is convulsing", True),
    ],
)
def test_drug_class_is_not_the_symptom(lexical_engine, text: str, fires: bool) -> None:
    from backend.triage.vignettes import run_case

    findings = run_case(lexical_engine, text).facts.findings
    concepts = {f.concept_id for f in findings if f.status == "present"}
    assert ("seizure" in concepts) is fires
