"""One real training run on SmolLM2-135M-Instruct (the shipped GGUF, materialised once into the cache)."""

from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file

from alignment import cli
from alignment.base_model import materialise_base_model


@pytest.mark.slow
def test_two_sft_steps_on_the_real_base_model(tmp_path: Path):
    base = materialise_base_model()
    out = tmp_path / "sft"
    argv = ["sft"]
    for override in (
        f"model_name_or_path={base}",
        f"output_dir={out}",
        "data.sources=[{kind: seed_exercise}]",
        "data.system_prompt=false",
        "lora={r: 2, alpha: 4, dropout: 0.0, target_modules: [q_proj, v_proj]}",
        "training={max_steps: 2, per_device_train_batch_size: 1, max_length: 128, learning_rate: 0.001}",
    ):
        argv += ["--set", override]
    assert cli.main(argv) == 0
    tensors = load_file(str(out / "adapter" / "adapter_model.safetensors"))
    lora_b = [t for name, t in tensors.items() if "lora_B" in name]
    assert len(lora_b) == 2 * 30  # q_proj and v_proj in each of SmolLM2-135M's 30 layers
    assert any(t.abs().sum() > 0 for t in lora_b) and all(torch.isfinite(t).all() for t in lora_b)


@pytest.mark.slow
def test_materialising_replaces_an_incomplete_copy_and_leaves_no_partial_folder(tmp_path: Path):
    target = tmp_path / "models" / "smollm2"
    target.mkdir(parents=True)
    (target / "config.json").write_text("{}")  # a copy an interrupted, older write left behind
    assert materialise_base_model(target) == target
    assert {"config.json", "model.safetensors", "tokenizer.json"} <= {p.name for p in target.iterdir()}
    assert [p.name for p in target.parent.iterdir()] == ["smollm2"]
