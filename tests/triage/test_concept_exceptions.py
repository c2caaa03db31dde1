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
    assert concept not in _present(engine, text)
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
    assert concept in _present(engine, text)


def _present(engine: TriageEngine, text: str) -> set[str]:
    return {f.concept_id for f in engine.extractor.extract(text).findings if f.status == "present"}


def test_an_exception_may_name_a_term_list_and_a_misspelt_one_is_a_clear_error(tmp_path: Path) -> None:
    bundle = load_policy_bundle()
    cough = next(c for c in bundle.symptoms.concepts if c.id == "cough")
    assert not any("<<" in e for e in cough.exceptions)  # expanded on load
    target = tmp_path / "data"
    shutil.copytree(Path(clinical_policies.__file__).parent / "data", target)
    text = (target / "symptoms.yaml").read_text()
    assert "whooping cough\\\\W+<<vaccine_words>>" in text
    (target / "symptoms.yaml").write_text(text.replace("<<vaccine_words>>", "<<vacine_words>>", 1))
    with pytest.raises(PolicyError) as error:
        load_policy_bundle(target)
    assert "vacine_words" in str(error.value) and "exception" in str(error.value)
