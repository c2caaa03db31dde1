"""Really train tiny in-process models through the `align` CLI and check weights and outputs."""

import json
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file

from alignment import cli

SEED_ONLY = "data.sources=[{kind: seed_exercise}]"
TINY_LORA = "lora={r: 4, alpha: 8, dropout: 0.0, target_modules: [q_proj, v_proj]}"


def _align(command: str, *overrides: str) -> None:
    argv = [command]
    for override in overrides:
        argv += ["--set", override]
    assert cli.main(argv) == 0


def _assert_lora_trained(adapter: Path) -> None:
    """LoRA B matrices start at zero, so any non-zero B proves the optimiser changed the weights."""
    tensors = load_file(str(adapter / "adapter_model.safetensors"))
    lora_b = [t for name, t in tensors.items() if "lora_B" in name]
    assert lora_b, sorted(tensors)
    assert all(torch.isfinite(t).all() for t in tensors.values())
    assert any(t.abs().sum() > 0 for t in lora_b)


def _generate(model_dir: Path, adapter: Path) -> str:
    from peft import PeftModel

    from alignment.generation import HFGenerator
    from alignment.modeling import load_causal_lm, load_tokenizer

    model = PeftModel.from_pretrained(load_causal_lm(str(model_dir)), str(adapter))
    [reply] = HFGenerator(model, load_tokenizer(str(model_dir))).generate(
        [[{"role": "user", "content": "I have chest pain."}]], max_new_tokens=6
    )
    return reply


@pytest.fixture(scope="module")
def pipeline(tiny_checkpoint: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """sft -> reward-model, shared by the tests below (each step is a few optimiser steps)."""
    root = tmp_path_factory.mktemp("runs")
    common = (f"model_name_or_path={tiny_checkpoint}", SEED_ONLY, TINY_LORA)
    _align(
        "sft",
        *common,
        f"output_dir={root / 'sft'}",
        "training={max_steps: 3, per_device_train_batch_size: 4, "
        "max_length: 256, logging_steps: 1, learning_rate: 0.001}",
    )
    _align(
        "reward-model",
        *common,
        f"output_dir={root / 'rm'}",
        "data.heldout_fraction=0.25",
        "training={max_steps: 3, per_device_train_batch_size: 4, max_length: 256, logging_steps: 1, "
        "eval_steps: 3, learning_rate: 0.001}",
    )
    return {
        "root": root,
        "model": tiny_checkpoint,
        "sft": root / "sft" / "adapter",
        "rm": root / "rm" / "adapter",
    }


@pytest.mark.slow
def test_sft_trains_a_lora_adapter_that_generates(pipeline: dict[str, Path]):
    _assert_lora_trained(pipeline["sft"])
    assert isinstance(_generate(pipeline["model"], pipeline["sft"]), str)
    assert list((pipeline["root"] / "sft" / "runs").rglob("events.out.tfevents.*"))  # TensorBoard logs


@pytest.mark.slow
def test_reward_model_trains_and_eval_rm_reports_accuracy_and_calibration(pipeline: dict[str, Path]):
    _assert_lora_trained(pipeline["rm"])
    tensors = load_file(str(pipeline["rm"] / "adapter_model.safetensors"))
    assert any("score" in name for name in tensors)  # the reward head is saved with the adapter
    out = pipeline["root"] / "rm_eval"
    _align(
        "eval-rm",
        f"model_name_or_path={pipeline['model']}",
        f"reward_model_path={pipeline['rm']}",
        f"output_dir={out}",
        SEED_ONLY,
        "data.heldout_fraction=0.25",
        "max_length=256",
    )
    result = json.loads((out / "rm_eval.json").read_text())
    assert result["n_heldout_pairs"] > 0
    # Same length rule on both splits: eval-rm keeps exactly the held-out pairs the RM run kept.
    rm_data = json.loads((pipeline["root"] / "rm" / "rm_data.json").read_text())
    assert rm_data["train"]["max_length"] == result["length_filter"]["max_length"] == 256
    assert result["length_filter"]["kept"] == rm_data["heldout"]["kept"] == result["n_heldout_pairs"]
    assert rm_data["train"]["kept"] + rm_data["train"]["dropped"] == rm_data["train"]["total"]
    assert 0.0 <= result["pairwise_accuracy"] <= 1.0 and 0.0 <= result["ece"] <= 1.0
    assert (out / "rm_calibration.png").stat().st_size > 1000


@pytest.mark.slow
def test_dpo_trains_on_top_of_sft(pipeline: dict[str, Path]):
    out = pipeline["root"] / "dpo"
    _align(
        "dpo",
        f"model_name_or_path={pipeline['model']}",
        f"adapter_path={pipeline['sft']}",
        SEED_ONLY,
        "data.system_prompt=false",
        TINY_LORA,
        f"output_dir={out}",
        "training={max_steps: 2, per_device_train_batch_size: 4, max_length: 256, learning_rate: 0.001}",
    )
    _assert_lora_trained(out / "adapter")


@pytest.mark.slow
def test_ppo_with_kl_and_shaping_then_policy_eval(pipeline: dict[str, Path]):
    out = pipeline["root"] / "ppo"
    _align(
        "ppo",
        f"model_name_or_path={pipeline['model']}",
        f"adapter_path={pipeline['sft']}",
        f"reward_model_path={pipeline['rm']}",
        f"output_dir={out}",
        TINY_LORA,
        "system_prompt=false",
        "shaping={weights: {conciseness: 1.0, red_flag_escalation: 0.5}, max_words: 80}",
        "training={total_episodes: 16, per_device_train_batch_size: 4, local_rollout_forward_batch_size: 4, "
        "num_ppo_epochs: 1, response_length: 12, kl_coef: 0.05, learning_rate: 0.001, logging_steps: 1}",
    )
    _assert_lora_trained(out / "adapter")
    monitor = json.loads((out / "monitor.json").read_text())
    assert len(monitor["snapshots"]) == 4  # 16 episodes / batch 4, one snapshot per logged update
    assert all(s["kl"] == s["kl"] for s in monitor["snapshots"])  # finite, not NaN

    evaluation = pipeline["root"] / "eval_policy"
    _align(
        "eval-policy",
        f"model_name_or_path={pipeline['model']}",
        f"reference_adapter_path={pipeline['sft']}",
        f"policy_adapter_path={out / 'adapter'}",
        f"reward_model_path={pipeline['rm']}",
        f"output_dir={evaluation}",
        "limit=4",
        "max_new_tokens=8",
        "system_prompt=false",
    )
    report = json.loads((evaluation / "policy_eval.json").read_text())
    for side in ("before", "after"):
        assert set(report[side]) == {
            "kl_to_reference",
            "mean_words",
            "benign_refusal_rate",
            "violations_per_reply",
            "gold_reward",
            "rm_reward",
        }
    assert report["before"]["kl_to_reference"] == pytest.approx(0.0, abs=1e-6)  # reference vs itself
    assert report["after"]["kl_to_reference"] >= 0.0
    assert (evaluation / "policy_eval.png").stat().st_size > 1000


def test_shaped_reward_adds_the_conciseness_term(tiny_checkpoint: Path):
    from trl.experimental.utils import get_reward

    from alignment.modeling import load_reward_model, load_tokenizer
    from alignment.shaped_reward import ShapedRewardModel

    tokenizer = load_tokenizer(str(tiny_checkpoint))
    rm = load_reward_model(str(tiny_checkpoint), None, tokenizer.pad_token_id)
    prompt = "I have chest pain."
    texts = []
    for reply in ("Call emergency services now.", "Call emergency services now. " + "word " * 160):
        messages = [{"role": "user", "content": prompt}, {"role": "assistant", "content": reply}]
        texts.append(tokenizer.apply_chat_template(messages, tokenize=False))
    tokenizer.padding_side = "right"
    ids = tokenizer(texts, return_tensors="pt", padding=True, add_special_tokens=False)["input_ids"]
    plain = ShapedRewardModel(rm, tokenizer, {prompt: "emergency"}, {})
    shaped = ShapedRewardModel(rm, tokenizer, {prompt: "emergency"}, {"conciseness": 2.0})
    with torch.no_grad():
        _, raw, _ = get_reward(plain, ids, tokenizer.pad_token_id, 0)
        _, bonus, _ = get_reward(shaped, ids, tokenizer.pad_token_id, 0)
    assert (bonus - raw).tolist() == pytest.approx([0.0, -2.0])
    assert shaped.history[-1]["mean_length"] > 80


@pytest.mark.slow
def test_backend_serves_the_sft_adapter_in_process(pipeline: dict[str, Path], tmp_path: Path):
    """The adapter written by `align sft` loads in the backend's in-process client (TRIAGE_MODEL__ADAPTER).

    The tiny base is random and greedily emits only newlines or special tokens (an empty reply, which
    the client rightly refuses); a copy of the base whose generation config suppresses those tokens
    keeps the test about loading and serving, not about the quality of a 30k-parameter model.
    """
    import shutil

    from transformers import AutoTokenizer

    from backend.llm.transformers_client import TransformersChatModel

    base = tmp_path / "tiny-base"
    shutil.copytree(pipeline["model"], base)
    tokenizer = AutoTokenizer.from_pretrained(base)
    blank = [i for i in range(len(tokenizer)) if not tokenizer.decode([i], skip_special_tokens=True).strip()]
    config_path = base / "generation_config.json"
    config = json.loads(config_path.read_text())
    config["suppress_tokens"] = blank
    config_path.write_text(json.dumps(config))

    model = TransformersChatModel(base, adapter_dir=pipeline["sft"], max_new_tokens=8)
    completion = model.complete([{"role": "user", "content": "I have chest pain."}])
    assert isinstance(completion.text, str) and completion.text
    assert completion.completion_tokens == 8
    assert model.model_id == f"transformers:tiny-base+{pipeline['sft'].name}"
    assert completion.model_id == model.model_id
