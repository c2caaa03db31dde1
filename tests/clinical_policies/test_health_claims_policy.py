"""health_claims.yaml: validated on load, with errors a clinician can act on."""

from pathlib import Path

import pytest
import yaml

from clinical_policies import PolicyError, load_policy_bundle


def _edit(directory: Path, change) -> None:  # type: ignore[no-untyped-def]
    path = directory / "health_claims.yaml"
    claims = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(claims)
    path.write_text(yaml.safe_dump(claims, sort_keys=False), encoding="utf-8")


def test_shipped_claims_are_valid_cited_and_have_corrections():
    claims = load_policy_bundle().health_claims
    assert len(claims) >= 50
    assert len({c.id for c in claims}) == len(claims)
    for claim in claims:
        assert claim.source and claim.correction and len(claim.paraphrases) >= 2


def test_when_a_claim_has_an_unknown_key_then_error_names_file_claim_and_key(policy_copy: Path):
    _edit(policy_copy, lambda claims: claims[0].update({"severity": "high"}))
    with pytest.raises(PolicyError) as info:
        load_policy_bundle(policy_copy)
    message = str(info.value)
    assert "health_claims.yaml" in message and "HC-FIRSTAID-001" in message and "severity" in message


def test_when_a_paraphrase_repeats_within_a_claim_then_rejected(policy_copy: Path):
    def repeat(claims):  # type: ignore[no-untyped-def]
        claims[0]["paraphrases"].append(claims[0]["paraphrases"][0].upper())

    _edit(policy_copy, repeat)
    with pytest.raises(PolicyError, match=r"health_claims\.yaml.*\n.*HC-FIRSTAID-001.*repeated text"):
        load_policy_bundle(policy_copy)


def test_when_a_counter_statement_states_another_claim_then_rejected(policy_copy: Path):
    def contradict(claims):  # type: ignore[no-untyped-def]
        claims[1]["counter_statements"].append(claims[0]["paraphrases"][0])

    _edit(policy_copy, contradict)
    with pytest.raises(PolicyError, match="is also a way of stating the false claim HC-FIRSTAID-001"):
        load_policy_bundle(policy_copy)


def test_when_two_claims_share_an_id_then_rejected(policy_copy: Path):
    def clash(claims):  # type: ignore[no-untyped-def]
        claims[1]["id"] = claims[0]["id"]

    _edit(policy_copy, clash)
    with pytest.raises(PolicyError, match="duplicate id HC-FIRSTAID-001"):
        load_policy_bundle(policy_copy)


def test_when_a_correction_is_too_long_then_rejected(policy_copy: Path):
    _edit(policy_copy, lambda claims: claims[0].update({"correction": "Cool it. " * 60}))
    with pytest.raises(PolicyError, match=r"HC-FIRSTAID-001.*correction"):
        load_policy_bundle(policy_copy)
