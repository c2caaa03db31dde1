"""Look-alike exceptions in the policy files are validated on load; errors name file, entry and field."""

from pathlib import Path

from tests.clinical_policies.conftest import edit, load_error


def test_a_concept_exception_that_does_not_compile_is_a_clear_policy_error(policy_copy: Path):
    edit(policy_copy / "symptoms.yaml", '"\\\\bfit[ -]?notes?\\\\b"', '"(unclosed"')
    message = load_error(policy_copy)
    assert "symptoms.yaml" in message and "seizure" in message
    assert "exceptions" in message and "(unclosed" in message


def test_a_red_flag_phrase_exception_that_does_not_compile_is_a_clear_policy_error(policy_copy: Path):
    edit(policy_copy / "red_flags.yaml", 'phrase_exceptions: ["', 'phrase_exceptions: ["[broken", "')
    message = load_error(policy_copy)
    assert "red_flags.yaml" in message and "RF-INF-001" in message
    assert "phrase_exceptions" in message and "[broken" in message


def test_an_exception_naming_a_misspelt_term_list_is_a_clear_policy_error(policy_copy: Path):
    edit(
        policy_copy / "symptoms.yaml",
        "whooping cough\\\\W+<<vaccine_words>>",
        "whooping cough\\\\W+<<vacine_words>>",
    )
    message = load_error(policy_copy)
    assert "vacine_words" in message and "concept cough: exception" in message


def test_a_rule_message_for_an_unknown_rule_is_a_clear_policy_error(policy_copy: Path):
    edit(policy_copy / "messages.yaml", "  TR-ROUTINE-004: >-", "  TR-ROUTINE-404: >-")
    message = load_error(policy_copy)
    assert "messages.yaml" in message and "TR-ROUTINE-404" in message and "no triage rule" in message


def test_a_rule_message_may_not_replace_the_emergency_text(policy_copy: Path):
    rule = "when: {all: [medicine_use_question], none: [routine_request]}\n      disposition: "
    edit(policy_copy / "triage_rules.yaml", rule + "self_care", rule + "emergency")
    message = load_error(policy_copy)
    assert "messages.yaml" in message and "TR-ROUTINE-004" in message and "emergency" in message
