from pathlib import Path

import pytest

from clinical_policies import PolicyError, load_policy_bundle
from clinical_policies.__main__ import main as check_main


def test_packaged_bundle_is_valid_and_hashed():
    bundle = load_policy_bundle()
    assert bundle.version.count(".") == 2
    assert len(bundle.sha256) == 64
    assert {p.id for p in bundle.constitution} >= {"CP-01", "CP-04"}


def test_when_a_file_changes_then_the_hash_changes(policy_copy: Path):
    before = load_policy_bundle(policy_copy).sha256
    messages = policy_copy / "messages.yaml"
    messages.write_text(messages.read_text() + "\n# reviewed\n")
    assert load_policy_bundle(policy_copy).sha256 != before


def test_when_unknown_key_then_error_names_file_and_field(policy_copy: Path):
    path = policy_copy / "messages.yaml"
    path.write_text(path.read_text() + "\nbogus_field: hello\n")
    with pytest.raises(PolicyError) as info:
        load_policy_bundle(policy_copy)
    assert "messages.yaml" in str(info.value)
    assert "bogus_field" in str(info.value)


def test_when_file_missing_then_error_names_it(policy_copy: Path):
    (policy_copy / "constitution.yaml").unlink()
    with pytest.raises(PolicyError, match=r"constitution\.yaml.*missing"):
        load_policy_bundle(policy_copy)


def test_when_yaml_is_broken_then_error_says_so(policy_copy: Path):
    (policy_copy / "manifest.yaml").write_text("version: [unclosed\n")
    with pytest.raises(PolicyError, match=r"manifest\.yaml: not valid YAML"):
        load_policy_bundle(policy_copy)


def test_when_a_key_is_given_twice_then_rejected_not_overwritten(policy_copy: Path):
    """Plain YAML keeps the last of two equal keys: a second `patterns:` would drop the first list."""
    path = policy_copy / "symptoms.yaml"
    text = path.read_text()
    marker = "  - id: no_flatus\n"
    assert marker in text
    path.write_text(text.replace(marker, marker + '    patterns: ["\\\\bx\\\\b"]\n', 1))
    with pytest.raises(PolicyError, match=r"(?s)symptoms\.yaml: not valid YAML.*duplicate key 'patterns'"):
        load_policy_bundle(policy_copy)


def test_when_constitution_ids_clash_then_rejected(policy_copy: Path):
    path = policy_copy / "constitution.yaml"
    path.write_text(path.read_text().replace("id: CP-02", "id: CP-01"))
    with pytest.raises(PolicyError, match="duplicate id CP-01"):
        load_policy_bundle(policy_copy)


def test_check_command_exit_codes(policy_copy: Path, capsys: pytest.CaptureFixture[str]):
    assert check_main(["check", "--dir", str(policy_copy)]) == 0
    assert "OK policy bundle version" in capsys.readouterr().out
    (policy_copy / "manifest.yaml").write_text("version: not-semver\ndate: 2026-01-01\napproved_by: x\n")
    assert check_main(["check", "--dir", str(policy_copy)]) == 1
    err = capsys.readouterr().err
    assert "manifest.yaml" in err and "version" in err


def test_self_harm_escalation_keeps_the_conversation_an_emergency():
    message = next(m for m in load_policy_bundle().refusal_messages if m.reason_category == "self_harm")
    assert message.kind == "escalation" and message.triage_floor == "emergency" and message.citation


@pytest.mark.parametrize(
    ("edit", "error"),
    [
        (
            ("triage_floor: emergency", "triage_floor: resus_now"),
            "RM-SELF-HARM triage_floor 'resus_now' is not a",
        ),
        (
            ("kind: escalation\n  # A request", "kind: refusal\n  # A request"),
            "only allowed on kind escalation",
        ),
    ],
    ids=["unknown-disposition", "floor-on-a-refusal"],
)
def test_a_bad_triage_floor_is_rejected(policy_copy: Path, edit: tuple[str, str], error: str):
    path = policy_copy / "refusal_messages.yaml"
    text = path.read_text()
    assert edit[0] in text
    path.write_text(text.replace(edit[0], edit[1], 1))
    with pytest.raises(PolicyError, match=error):
        load_policy_bundle(policy_copy)


def test_a_floor_without_a_citation_is_rejected(policy_copy: Path):
    path = policy_copy / "refusal_messages.yaml"
    text = path.read_text()
    start = text.index('  citation: "NICE NG225')
    end = text.index("  text:", start)
    path.write_text(text[:start] + text[end:])
    with pytest.raises(PolicyError, match="triage_floor needs a clinical citation"):
        load_policy_bundle(policy_copy)


def test_stopping_questions_without_a_floor_is_rejected(policy_copy: Path):
    path = policy_copy / "refusal_messages.yaml"
    text = path.read_text()
    assert "  triage_floor: urgent\n  stops_questions: true" in text
    path.write_text(
        text.replace("  triage_floor: urgent\n  stops_questions: true", "  stops_questions: true", 1)
    )
    with pytest.raises(PolicyError, match="RM-LANGUAGE: stops_questions needs a triage_floor"):
        load_policy_bundle(policy_copy)


@pytest.mark.parametrize(
    ("file", "edit", "error"),
    [
        (
            "red_flags.yaml",
            ("  reply_reason: self_harm", "  reply_reason: privacy"),
            "RF-MH-001 reply_reason 'privacy' is not an escalation message",
        ),
        (
            "triage_rules.yaml",
            ("      reply_reason: self_harm", "      reply_reason: privacy"),
            "TR-MIND-001 reply_reason 'privacy' is not an escalation message",
        ),
        (
            "refusal_messages.yaml",
            ("floor_waived_by_denial_of: [suicidal_thoughts,", "floor_waived_by_denial_of: [suicidal,"),
            r"RM-SELF-HARM floor_waived_by_denial_of 'suicidal' is not a symptoms\.yaml",
        ),
    ],
    ids=["red-flag-reply-reason", "triage-rule-reply-reason", "floor-waiver-concept"],
)
def test_a_reply_reason_or_floor_waiver_must_name_what_exists(
    policy_copy: Path, file: str, edit: tuple[str, str], error: str
):
    path = policy_copy / file
    text = path.read_text()
    assert edit[0] in text
    path.write_text(text.replace(edit[0], edit[1], 1))
    with pytest.raises(PolicyError, match=error):
        load_policy_bundle(policy_copy)
