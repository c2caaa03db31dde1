"""Concept exceptions: look-alike phrases that are not the concept, as policy data (``exceptions``)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

import clinical_policies
from backend.triage import TriageEngine
from backend.triage.lexicon import PhraseMatcher, overlaps
from clinical_policies import PolicyError, load_policy_bundle
from tests.triage.conftest import final


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


def test_an_exception_that_does_not_compile_is_a_clear_policy_error(tmp_path: Path) -> None:
    source = Path(clinical_policies.__file__).parent / "data"
    target = tmp_path / "data"
    shutil.copytree(source, target)
    symptoms = yaml.safe_load((target / "symptoms.yaml").read_text())
    symptoms["concepts"][0]["exceptions"] = ["(unclosed"]
    (target / "symptoms.yaml").write_text(yaml.safe_dump(symptoms, sort_keys=False))
    with pytest.raises(PolicyError) as error:
        load_policy_bundle(target)
    message = str(error.value)
    assert symptoms["concepts"][0]["id"] in message and "exceptions" in message and "(unclosed" in message


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


def test_a_red_flag_phrase_exception_that_does_not_compile_is_a_clear_policy_error(tmp_path: Path) -> None:
    target = tmp_path / "data"
    shutil.copytree(Path(clinical_policies.__file__).parent / "data", target)
    flags = yaml.safe_load((target / "red_flags.yaml").read_text())
    flags[0]["phrase_exceptions"] = ["[broken"]
    (target / "red_flags.yaml").write_text(yaml.safe_dump(flags, sort_keys=False))
    with pytest.raises(PolicyError) as error:
        load_policy_bundle(target)
    assert flags[0]["id"] in str(error.value) and "phrase_exceptions" in str(error.value)
