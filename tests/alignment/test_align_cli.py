import importlib
import json
from pathlib import Path

import pytest

import alignment
from alignment import cli, configs


def test_exported_members():
    for name in alignment.__all__:
        assert getattr(alignment, name).__module__.startswith("alignment"), name


def test_importing_alignment_does_not_import_torch_or_trl():
    import subprocess
    import sys

    code = "import sys, alignment; print(any(m in sys.modules for m in ('torch', 'trl', 'peft')))"
    assert subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip() == ("False")


@pytest.mark.parametrize("command", sorted(cli.COMMANDS))
def test_every_packaged_recipe_validates(command: str):
    schema, recipe_file, _ = cli.COMMANDS[command]
    recipe = configs.load_recipe(cli.RECIPE_DIR / recipe_file, schema)
    assert recipe.method == command
    assert importlib.util.find_spec(f"alignment.scripts.{command.replace('-', '_')}") or command.startswith(
        "eval"
    )


def test_when_recipe_has_a_typo_then_validation_fails(tmp_path: Path):
    recipe = tmp_path / "sft.yaml"
    recipe.write_text(
        "method: sft\noutput_dir: x\ndata: {sources: [{kind: seed_exercise}]}\nlearnin_rate: 1\n"
    )
    with pytest.raises(ValueError, match="learnin_rate"):
        configs.load_recipe(recipe, configs.SFTRecipe)


def test_when_training_key_is_unknown_to_trl_then_it_is_refused():
    from trl import SFTConfig

    from alignment.modeling import trainer_args

    recipe = configs.SFTRecipe(
        output_dir="x", data={"sources": [{"kind": "seed_exercise"}]}, training={"lr": 1}
    )
    with pytest.raises(ValueError, match="no fields"):
        trainer_args(SFTConfig, recipe)


def test_overrides_are_yaml_typed(tmp_path: Path):
    recipe = configs.load_recipe(
        cli.RECIPE_DIR / "sft.yaml",
        configs.SFTRecipe,
        ["training.max_steps=3", "lora.r=4", f"output_dir={tmp_path}"],
    )
    assert recipe.training["max_steps"] == 3 and recipe.lora.r == 4 and recipe.output_dir == str(tmp_path)


def test_align_prefs_writes_validated_splits(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    assert (
        cli.main(
            ["prefs", "--set", f"output_dir={tmp_path}", "--set", "data.sources=[{kind: seed_exercise}]"]
        )
        == 0
    )
    summary = json.loads((tmp_path / "summary.json").read_text())
    from alignment.datafiles import load_seed_exercise

    rankings = load_seed_exercise().exercises
    assert summary["train"] + summary["heldout"] == sum(
        len(e.responses) * (len(e.responses) - 1) // 2 for e in rankings
    )
    assert summary["train"] + summary["heldout"] == 132  # 18 rankings of 4 replies, 8 of 3
    from alignment.datafiles import read_pairs

    assert len(read_pairs(tmp_path / "pairs_train.jsonl")) == summary["train"]


def test_align_agreement_from_a_csv_export(tmp_path: Path):
    rows = [
        "conversation_id,turn_index,prompt,response_a,response_b,preferred,rationale,annotator_id,"
        "guideline_version,created_at"
    ]
    for i, (x, y) in enumerate(zip("aabab", "abbab", strict=True)):
        rows.append(f"c{i},0,p{i},A,B,{x},,rn-1,1.0,2026-11-01T10:00:00")
        rows.append(f"c{i},0,p{i},A,B,{y},,rn-2,1.0,2026-11-01T10:00:00")
    export = tmp_path / "ratings.csv"
    export.write_text("\n".join(rows) + "\n")
    out = tmp_path / "agreement"
    assert cli.main(["agreement", "--set", f"ratings_path={export}", "--set", f"output_dir={out}"]) == 0
    report = json.loads((out / "agreement.json").read_text())
    assert report["pairwise_cohen"]["rn-1|rn-2"] == pytest.approx(0.6153846, abs=1e-6)
    assert len(report["disagreements"]) == 1
    assert "c1#0" in (out / "agreement.md").read_text()


def test_eval_rm_recipe_scores_the_same_data_and_length_as_the_rm_recipe():
    """Train/eval mismatch guard: same data block (hence split) and the same length filter."""
    rm = configs.load_recipe(cli.RECIPE_DIR / "rm.yaml", configs.RewardModelRecipe)
    ev = configs.load_recipe(cli.RECIPE_DIR / "eval_rm.yaml", configs.EvalRMRecipe)
    assert ev.data == rm.data
    assert ev.max_length == rm.training["max_length"]
    assert ev.length_policy == "filter"


def test_time_budget_callback_stops_training():
    from types import SimpleNamespace

    from alignment.modeling import time_budget_callbacks

    recipe = configs.SFTRecipe(output_dir="x", data=configs.DataSpec(sources=[]), max_train_seconds=1e-9)
    [callback] = time_budget_callbacks(recipe)
    control = SimpleNamespace(should_training_stop=False)
    callback.on_train_begin(None, None, control)
    callback.on_step_end(None, SimpleNamespace(global_step=1), control)
    assert control.should_training_stop
    assert time_budget_callbacks(configs.SFTRecipe(output_dir="x", data=configs.DataSpec(sources=[]))) == []
