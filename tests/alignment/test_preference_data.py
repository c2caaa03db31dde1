import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from alignment.datafiles import load_seed_exercise, load_seed_prompts
from alignment.prefs import (
    pairs_from_exercise,
    pairs_from_external_jsonl,
    pairs_from_seed_file,
    split_by_prompt,
)
from alignment.schema import PreferencePair, SeedExercise


def test_seed_exercise_validates_and_covers_all_qualities():
    seed = load_seed_exercise()
    assert len(seed.exercises) >= 10
    qualities = {r.quality for e in seed.exercises for r in e.responses}
    assert qualities == {"helpful", "verbose", "incorrect", "unsafe"}
    assert all(e.responses and min(r.rank for r in e.responses) == 1 for e in seed.exercises)


def test_pairs_from_exercise_gives_every_better_worse_combination():
    exercise = load_seed_exercise().exercises[0]
    pairs = pairs_from_exercise(exercise, "ann-1", "g-1")
    n = len(exercise.responses)
    assert len(pairs) == n * (n - 1) // 2
    best = next(r for r in exercise.responses if r.rank == 1)
    assert sum(p.chosen == best.text for p in pairs) == n - 1
    assert all(p.margin >= 1 and p.rationale and p.annotator_id == "ann-1" for p in pairs)


def test_helpful_reply_is_never_rejected():
    seed = load_seed_exercise()
    helpful = {r.text for e in seed.exercises for r in e.responses if r.quality == "helpful"}
    pairs = pairs_from_seed_file(seed)
    assert not any(p.rejected in helpful for p in pairs)


def test_when_ranks_have_a_gap_then_validation_fails():
    bad = {
        "id": "SX-999",
        "prompt": "p",
        "responses": [
            {"quality": "helpful", "rank": 1, "rationale": "r", "text": "a"},
            {"quality": "verbose", "rank": 2, "rationale": "r", "text": "b"},
            {"quality": "unsafe", "rank": 4, "rationale": "r", "text": "c"},
        ],
    }
    with pytest.raises(ValidationError, match="ranks must be"):
        SeedExercise.model_validate(bad)


def test_when_chosen_equals_rejected_then_validation_fails():
    with pytest.raises(ValidationError, match="same text"):
        PreferencePair(
            pair_id="x",
            prompt="p",
            chosen="same",
            rejected=" same ",
            rationale="r",
            annotator_id="a",
            guideline_version="g",
            source="seed_exercise",
        )


def test_when_unknown_key_then_validation_fails():
    with pytest.raises(ValidationError):
        PreferencePair.model_validate(
            {
                "pair_id": "x",
                "prompt": "p",
                "chosen": "a",
                "rejected": "b",
                "rationale": "r",
                "annotator_id": "a",
                "guideline_version": "g",
                "source": "cai",
                "extra": 1,
            }
        )


def test_split_by_prompt_keeps_each_prompt_on_one_side():
    pairs = pairs_from_seed_file(load_seed_exercise())
    train, heldout = split_by_prompt(pairs, 0.3)
    assert train and heldout
    assert not {p.prompt for p in train} & {p.prompt for p in heldout}
    assert split_by_prompt(pairs, 0.3) == (train, heldout)  # deterministic


def test_external_pairs_read_chosen_rejected_rows(tmp_path: Path):
    path = tmp_path / "train" / "pref.jsonl"
    path.parent.mkdir()
    rows = [
        {"id": "1", "text": "q1", "chosen": "good", "rejected": "bad", "expected_behavior": "comply"},
        {"id": "2", "text": "q2", "chosen": "same", "rejected": "same"},
        {"id": "3", "text": "q3", "chosen": "good3", "rejected": "bad3"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows))
    pairs = pairs_from_external_jsonl(path)
    assert [p.pair_id for p in pairs] == ["1", "3"]
    assert len(pairs_from_external_jsonl(path, limit=1)) == 1


def test_when_training_input_is_eval_data_then_it_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("TRIAGE_DATA_DIR", str(tmp_path))
    eval_file = tmp_path / "eval" / "xstest.jsonl"
    eval_file.parent.mkdir()
    eval_file.write_text('{"id": "1", "text": "q", "chosen": "a", "rejected": "b"}\n')
    with pytest.raises(ValueError, match="held-out evaluation data"):
        pairs_from_external_jsonl(eval_file)


def test_seed_prompts_have_both_splits_and_disjoint_ids():
    train, heldout = load_seed_prompts(split="train"), load_seed_prompts(split="heldout")
    assert train and heldout
    assert not {p.id for p in train} & {p.id for p in heldout}
    assert {p.category for p in heldout} >= {"emergency", "benign", "self_harm"}
