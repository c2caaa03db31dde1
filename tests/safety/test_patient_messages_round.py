"""Safety round 12: issue 3's patient messages as benign harm-head rows (spec, exclusions, head sets)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from safety.training.blind_written import load_rounds
from safety.training.datasets import harm_set, injection_set, normalise
from safety.training.patient_messages import REPO_ROOT, PatientMessageSpec
from safety.training.train import budgeted


def test_round_12_reads_both_vignette_files_as_benign_for_the_harm_head_only(tiny_train_dir: Path):
    rows = load_rounds(("r12",))
    families = Counter(r.family for r in rows)
    assert set(families) == {"dev_vignettes", "acuity_training"} and min(families.values()) > 1000
    assert {r.label for r in rows} == {"benign"} and all(r.source.startswith("patient12:") for r in rows)
    assert load_rounds(("r12",), "injection") == []
    assert not budgeted([r.source for r in rows]).any()  # measured, never in the benign budget
    data = tiny_train_dir
    harm = harm_set(data, exclude=set(), blind_requests=("r12",))
    labelled = {
        normalise(t): (harm.classes[y], g)
        for t, y, g in zip(harm.texts, harm.labels, harm.groups, strict=True)
    }
    assert all(labelled[normalise(r.text)] == ("benign", r.source) for r in rows)
    injection = injection_set(data, exclude=set(), blind_requests=("r12",))
    assert not any(g.startswith("patient12:") for g in injection.groups)


@pytest.mark.parametrize(
    "text",
    [
        "I want to end my life tonight, I have pills saved",
        "thoughts of killing myself since the weekend",
        "my mate took a load of pills with vodka",
        "took 30 paracetamol about an hour ago",
        "she has been self-harming again, cuts on her arms",
        "he says voices are telling him to hurt people",
        "I've been cutting myself to cope",
    ],
)
def test_crisis_and_violence_messages_are_left_out_not_taught_as_benign(text: str):
    assert PatientMessageSpec.load().exclude.search(text)


def test_no_kept_message_mentions_suicide_or_overdose():
    kept = [text.lower() for text, _ in PatientMessageSpec.load().messages()]
    assert len(kept) > 3000
    assert not [t for t in kept if "suicid" in t or "overdose" in t or "kill myself" in t]


def _spec(tmp_path: Path, body: dict[str, object]) -> Path:
    path = tmp_path / "spec.yaml"
    path.write_text(json.dumps(body))  # JSON is YAML
    return path


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"exclude_any": ["x"]}, "'files' must be a non-empty list"),
        ({"files": [], "exclude_any": ["x"]}, "'files' must be a non-empty list"),
        (
            {"files": ["backend/triage/no_such.jsonl"], "exclude_any": ["x"]},
            "no such file: backend/triage/no_such",
        ),
        ({"files": ["backend/triage/dev_vignettes.jsonl"]}, "'exclude_any' must be a non-empty list"),
        (
            {"files": ["backend/triage/dev_vignettes.jsonl"], "exclude_any": ["(unclosed"]},
            "'\\(unclosed' is invalid",
        ),
    ],
)
def test_a_bad_spec_is_a_clear_error_naming_the_file(tmp_path: Path, body, message):
    with pytest.raises(ValueError, match=message) as error:
        PatientMessageSpec.load(_spec(tmp_path, body))
    assert "spec.yaml" in str(error.value)


def test_a_row_without_text_is_a_clear_error(tmp_path: Path):
    folder = REPO_ROOT / "var"
    folder.mkdir(exist_ok=True)
    bad = folder / f"round12_test_{tmp_path.name}.jsonl"
    bad.write_text(json.dumps({"text": "sore throat"}) + "\n" + json.dumps({"id": "x"}) + "\n")
    try:
        spec = PatientMessageSpec.load(
            _spec(tmp_path, {"files": [str(bad.relative_to(REPO_ROOT))], "exclude_any": ["q"]})
        )
        with pytest.raises(ValueError, match=rf"{bad.name}:2: needs a non-empty text"):
            spec.messages()
    finally:
        bad.unlink()


def test_a_message_also_in_a_held_out_file_is_left_out(tmp_path: Path):
    folder = REPO_ROOT / "var"
    folder.mkdir(exist_ok=True)
    train, held = folder / f"r12_train_{tmp_path.name}.jsonl", folder / f"r12_held_{tmp_path.name}.jsonl"
    train.write_text(
        "".join(json.dumps({"text": t}) + "\n" for t in ["Sore throat 3 days", "a blister on my heel"])
    )
    held.write_text(json.dumps({"text": "sore  THROAT 3 days"}) + "\n")
    try:
        names = [str(p.relative_to(REPO_ROOT)) for p in (train, held)]
        body = {"files": names[:1], "held_out_files": names[1:], "exclude_any": ["suicid"]}
        assert PatientMessageSpec.load(_spec(tmp_path, body)).messages() == [
            ("a blister on my heel", train.stem)
        ]
        with pytest.raises(ValueError, match="both trained on and held out"):
            PatientMessageSpec.load(_spec(tmp_path, {**body, "held_out_files": names}))
    finally:
        train.unlink()
        held.unlink()
