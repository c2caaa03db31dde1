"""The triage policy files validate, cross-check, and fail with messages naming file, entry and field."""

import re
from pathlib import Path

import pytest

from clinical_policies import load_policy_bundle
from clinical_policies.schema_triage import Conditions
from tests.clinical_policies.conftest import edit, load_error


def test_packaged_triage_content_is_complete():
    bundle = load_policy_bundle()
    assert {d.id for d in bundle.dispositions} >= {"emergency", "urgent", "non_urgent", "self_care"}
    ranks = {d.id: d.rank for d in bundle.dispositions}
    assert ranks["emergency"] > ranks["urgent"] > ranks["non_urgent"] > ranks["self_care"]
    flags = {f.id.rsplit("-", 1)[0] for f in bundle.red_flags}
    assert flags >= {"RF-CARD", "RF-NEURO", "RF-ALLERGY", "RF-RESP", "RF-MH", "RF-INF", "RF-BLEED", "RF-OBS"}
    assert all(f.disposition == "emergency" and f.citation for f in bundle.red_flags)
    assert all(rule.citation for p in bundle.triage_rules for rule in p.rules)
    assert all(p.questions for p in bundle.triage_rules)
    assert len(bundle.symptoms.concepts) >= 100


def test_every_protocol_ends_with_its_default_rule():
    for protocol in load_policy_bundle().triage_rules:
        assert protocol.rules[-1].when == Conditions(), protocol.id


def test_when_red_flag_is_not_emergency_then_error_names_flag_and_field(policy_copy: Path):
    edit(policy_copy / "red_flags.yaml", "disposition: emergency", "disposition: urgent")
    message = load_error(policy_copy)
    assert "red_flags.yaml: RF-CARD-001 disposition: must be 'emergency'" in message


def test_when_unknown_key_then_error_names_file_entry_and_key(policy_copy: Path):
    edit(policy_copy / "red_flags.yaml", "  title: Chest pain with cardiac features", "  titel: typo")
    message = load_error(policy_copy)
    assert "red_flags.yaml" in message
    assert "[RF-CARD-001].titel" in message
    assert "[RF-CARD-001].title: Field required" in message


def test_when_rule_refers_to_unknown_concept_then_error_names_rule(policy_copy: Path):
    edit(policy_copy / "triage_rules.yaml", "all: [pleuritic_pain]", "all: [pleuritic_pian]")
    message = load_error(policy_copy)
    assert "triage_rules.yaml: TR-CHEST-003 when.all: unknown concept 'pleuritic_pian'" in message


def test_when_rule_disposition_unknown_then_error(policy_copy: Path):
    path = policy_copy / "triage_rules.yaml"
    text = path.read_text()
    start = text.index("id: TR-CHEST-003")
    end = start + text[start:].index("disposition: urgent") + len("disposition: urgent")
    path.write_text(text[:end].replace(text[start:end], text[start:end][:-6] + "soonish") + text[end:])
    assert "triage_rules.yaml: TR-CHEST-003 disposition: unknown 'soonish'" in load_error(policy_copy)


def test_when_duplicate_rule_id_then_error(policy_copy: Path):
    edit(policy_copy / "triage_rules.yaml", "id: TR-CHEST-002", "id: TR-CHEST-001")
    assert "triage_rules.yaml: duplicate id TR-CHEST-001" in load_error(policy_copy)


def test_when_question_target_unknown_then_error(policy_copy: Path):
    edit(policy_copy / "triage_rules.yaml", "target: radiating_arm_jaw", "target: radiation")
    assert "Q-CHEST-001 target: unknown concept or fact 'radiation'" in load_error(policy_copy)


def test_when_regex_is_invalid_then_error_names_concept(policy_copy: Path):
    edit(policy_copy / "symptoms.yaml", 'patterns: ["breathless\\\\w*"', 'patterns: ["breathless(\\\\w*"')
    message = load_error(policy_copy)
    assert re.search(r"symptoms.yaml: shortness_of_breath patterns: invalid regex", message)


def test_when_last_rule_has_conditions_then_error(policy_copy: Path):
    edit(
        policy_copy / "triage_rules.yaml",
        "    - id: TR-CHEST-006\n      title: Other chest pain\n",
        "    - id: TR-CHEST-006\n      title: Other chest pain\n      when: {min_age_years: 1}\n",
    )
    message = load_error(policy_copy)
    assert "triage_rules.yaml" in message and "[CHEST]" in message and "last rule" in message


def test_when_threshold_out_of_range_then_error_names_field(policy_copy: Path):
    edit(policy_copy / "engine.yaml", "embedding_min_similarity: 0.78", "embedding_min_similarity: 1.5")
    message = load_error(policy_copy)
    assert "engine.yaml" in message and "embedding_min_similarity" in message


def test_when_risk_condition_names_a_symptom_then_error(policy_copy: Path):
    edit(policy_copy / "red_flags.yaml", "any_risk: [heart_disease]", "any_risk: [chest_pain]")
    assert "RF-CARD-001 when_any[7].any_risk: 'chest_pain' is not a risk_factor concept" in load_error(
        policy_copy
    )


def test_check_command_reports_invalid_triage_file(policy_copy: Path, capsys: pytest.CaptureFixture[str]):
    from clinical_policies.__main__ import main

    edit(policy_copy / "dispositions.yaml", "- id: urgent", "- id: Urgent")
    assert main(["check", "--dir", str(policy_copy)]) == 1
    assert "dispositions.yaml" in capsys.readouterr().err


def test_clinician_review_names_known_concepts_and_excludes_emergency():
    review = load_policy_bundle().engine.clinician_review
    assert review is not None
    assert "emergency" not in review.dispositions  # emergencies are already escalated
    assert {f.concept for f in review.findings} >= {"chest_pain", "shortness_of_breath", "haemoptysis"}


def test_when_clinician_review_names_unknown_concept_then_error(policy_copy: Path):
    edit(policy_copy / "engine.yaml", "- {concept: haemoptysis}", "- {concept: not_a_concept}")
    assert "clinician_review.findings: unknown concept 'not_a_concept'" in load_error(policy_copy)


def test_when_clinician_review_names_unknown_disposition_then_error(policy_copy: Path):
    edit(policy_copy / "engine.yaml", "dispositions: [urgent]", "dispositions: [urgentish]")
    assert "clinician_review.dispositions: unknown 'urgentish'" in load_error(policy_copy)


def test_red_flag_near_miss_band_sits_under_the_red_flag_threshold():
    engine = load_policy_bundle().engine
    band = engine.red_flag_near_miss
    assert band is not None and band.lower < band.upper <= engine.red_flag_embedding_min_similarity


def test_when_near_miss_band_lower_above_upper_then_error(policy_copy: Path):
    edit(policy_copy / "engine.yaml", "  lower: 0.70", "  lower: 0.85")
    message = load_error(policy_copy)
    assert "engine.yaml" in message and "red_flag_near_miss" in message and "must be below upper" in message


def test_when_near_miss_band_above_red_flag_threshold_then_error(policy_copy: Path):
    edit(policy_copy / "engine.yaml", "  upper: 0.80", "  upper: 0.90")
    assert "red_flag_near_miss.upper must not exceed" in load_error(policy_copy)


def test_when_near_miss_band_has_unknown_key_then_error(policy_copy: Path):
    edit(policy_copy / "engine.yaml", "  upper: 0.80", "  upper: 0.80\n  uper: 0.80")
    assert "red_flag_near_miss.uper" in load_error(policy_copy)
