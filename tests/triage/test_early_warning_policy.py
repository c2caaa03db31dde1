"""The early-warning and chronic-fallback settings in engine.yaml validate and cross-check."""

import shutil
from pathlib import Path

import pytest

from clinical_policies import DEFAULT_POLICY_DIR, PolicyError, load_policy_bundle


@pytest.fixture
def policies(tmp_path: Path) -> Path:
    target = tmp_path / "policies"
    shutil.copytree(DEFAULT_POLICY_DIR, target)
    return target


def error_after_edit(policy_dir: Path, file_name: str, old: str, new: str) -> str:
    path = policy_dir / file_name
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(PolicyError) as info:
        load_policy_bundle(policy_dir)
    return str(info.value)


def test_packaged_engine_has_news2_qsofa_and_chronic_fallback():
    engine = load_policy_bundle().engine
    assert engine.early_warning is not None and engine.chronic_fallback is not None
    assert engine.early_warning.news2.min_age_years == 16
    assert engine.chronic_fallback.disposition == "non_urgent"


def test_when_score_bands_are_out_of_order_then_error_names_parameter(policies: Path):
    message = error_after_edit(
        policies, "engine.yaml", "{up_to: 8, score: 3}, {up_to: 11,", "{up_to: 12, score: 3}, {up_to: 11,"
    )
    assert "engine.yaml" in message and "respiratory_rate" in message


def test_when_the_last_band_has_an_end_then_error(policies: Path):
    message = error_after_edit(
        policies, "engine.yaml", "{up_to: 95, score: 1}, {score: 0}]", "{up_to: 95, score: 1}]"
    )
    assert "spo2" in message


def test_when_altered_mentation_names_an_unknown_concept_then_error(policies: Path):
    message = error_after_edit(
        policies, "engine.yaml", "altered_mentation: [confusion,", "altered_mentation: [confuzion,"
    )
    assert "early_warning.altered_mentation: unknown concept 'confuzion'" in message


def test_when_a_score_concept_is_unknown_then_error(policies: Path):
    message = error_after_edit(
        policies,
        "engine.yaml",
        "{concept: early_warning_high, at_least: 7}",
        "{concept: news_high, at_least: 7}",
    )
    assert "early_warning.news2_concepts: unknown concept 'news_high'" in message
