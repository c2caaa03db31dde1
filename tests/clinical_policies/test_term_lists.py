"""``term_lists`` in symptoms.yaml: shared word lists that concept patterns name as ``<<name>>``.

A clinician adds a medicine to one list and every pattern naming the list matches it; a misspelt or unused
name is a load error that names the concept or list.
"""

import re
from pathlib import Path

import pytest

from clinical_policies import load_policy_bundle
from clinical_policies.schema_triage import TERM_LIST_REFERENCE, expand_term_lists
from tests.clinical_policies.conftest import edit, load_error


def concept_patterns(policy_dir: Path | None, concept_id: str) -> list[re.Pattern[str]]:
    bundle = load_policy_bundle(policy_dir) if policy_dir else load_policy_bundle()
    concept = next(c for c in bundle.symptoms.concepts if c.id == concept_id)
    return [re.compile(p, re.IGNORECASE) for p in concept.patterns]


def matches(patterns: list[re.Pattern[str]], text: str) -> bool:
    return any(p.search(text) for p in patterns)


def test_loaded_patterns_hold_no_list_reference():
    bundle = load_policy_bundle()
    assert bundle.symptoms.term_lists, "symptoms.yaml defines term lists"
    for concept in bundle.symptoms.concepts:
        for pattern in concept.patterns:
            assert not TERM_LIST_REFERENCE.search(pattern), (concept.id, pattern)


@pytest.mark.parametrize(
    "text",
    [
        "I've run out of my Keppra",  # antiepileptics, first pattern
        "my sinemet is at home and I'm in hospital",  # parkinsons_medicines
        "dropped my NovoRapid pen down the sink",  # insulins
        "only a day's worth of prednisolone left",  # replacement_steroids
        "I've lost my transplant meds",  # time_critical_medicine_kinds
        "apixaban, nearly gone and the surgery is shut",  # anticoagulants
        "run out of home oxygen",  # the first pattern's own extra words
    ],
)
def test_each_list_reaches_the_time_critical_patterns(text: str):
    assert matches(concept_patterns(None, "critical_medicine_missed"), text)


def test_word_added_to_a_list_is_matched_by_every_pattern_naming_it(policy_copy: Path):
    texts = [
        "I've run out of my zorbamide",
        "zorbamide, forgot it at my sister's",
        "missed my zorbamide this morning",
        "last two tablets of zorbamide",
        "only two zorbamide tablets left",
        "dropped my zorbamide down the sink",
    ]
    before = concept_patterns(policy_copy, "critical_medicine_missed")
    assert not any(matches(before, t) for t in texts)
    edit(policy_copy / "symptoms.yaml", "brivaracetam,", "brivaracetam, zorbamide,")
    after = concept_patterns(policy_copy, "critical_medicine_missed")
    assert [t for t in texts if not matches(after, t)] == []


def test_anticoagulants_stay_out_of_the_missed_pattern():
    # "no warfarin" in a history is not a missed time-critical medicine (kept as written in 0.9.7)
    assert not matches(concept_patterns(None, "critical_medicine_missed"), "no warfarin, no other tablets")


BROKEN_LISTS = [
    pytest.param(
        '<<foot_parts>>\\\\b",',
        '<<foot_bits>>\\\\b",',
        "concept foot_sore: pattern names unknown term list <<foot_bits>>",
        id="pattern-names-unknown-list",
    ),
    pytest.param(
        "term_lists:\n",
        "term_lists:\n  spare_words: [spare]\n",
        "term list(s) not used by any pattern or list: spare_words",
        id="unused-list",
    ),
    pytest.param(
        "term_lists:\n",
        'term_lists:\n  early: ["<<insulins>>"]\n',
        "term list early names unknown term list <<insulins>>",
        id="list-names-a-list-below-it",
    ),
    pytest.param(
        "[tacrolimus,",
        '["tacro(limus",',
        "term list 'transplant_medicines': invalid regex 'tacro(limus'",
        id="invalid-regex-word",
    ),
    pytest.param(
        "[tacrolimus, ciclosporin, mycophenolate]",
        "[]",
        "term list 'transplant_medicines' must be a non-empty list",
        id="empty-list",
    ),
]


@pytest.mark.parametrize(("old", "new", "expected"), BROKEN_LISTS)
def test_when_term_list_is_broken_then_error_names_it(policy_copy: Path, old: str, new: str, expected: str):
    edit(policy_copy / "symptoms.yaml", old, new)
    message = load_error(policy_copy)
    assert "symptoms.yaml" in message
    assert expected in message


def test_a_lexicon_without_concepts_is_left_to_field_validation():
    raw = {"term_lists": {}, "negation": {"cues": ["no"]}}
    assert expand_term_lists(raw) == raw
