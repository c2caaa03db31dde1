"""``align ppo``: PPO (TRL 1.12 ``trl.experimental.ppo``) with a KL penalty to the SFT reference.

The policy is the base with the SFT adapter merged in, plus a fresh LoRA adapter; with the adapter
disabled the same weights are the frozen reference, so TRL's per-token ``-kl_coef * KL`` penalty
keeps the policy near the SFT model. The reward is the learned RM plus the recipe's shaping terms
(:class:`ShapedRewardModel`), and a :class:`RewardHackingMonitor` watches every logged step.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from alignment.configs import PPORecipe, resolve_path
from alignment.datafiles import load_seed_prompts
from alignment.modeling import (
    adapter_dir,
    load_causal_lm,
    load_reward_model,
    load_tokenizer,
    lora_config,
    trainer_args,
)
from alignment.monitor import RewardHackingMonitor, Snapshot
from alignment.shaped_reward import ShapedRewardModel
from alignment.training_data import persona


def _monitor_callback(monitor: RewardHackingMonitor, reward: ShapedRewardModel) -> Any:
    from transformers import TrainerCallback

    class MonitorCallback(TrainerCallback):
        """Feeds the monitor from PPO logs (KL) and the shaped RM's batch records."""

        seen = 0

        def on_log(
            self, args: Any, state: Any, control: Any, logs: dict | None = None, **kwargs: Any
        ) -> None:
            if not logs or "objective/kl" not in logs or len(reward.history) == self.seen:
                return
            batch = reward.history[self.seen :]
            self.seen = len(reward.history)
            alerts = monitor.record(
                Snapshot(
                    step=state.global_step,
                    proxy_reward=sum(b["proxy_reward"] for b in batch) / len(batch),
                    gold_reward=sum(b["gold_reward"] for b in batch) / len(batch),
                    mean_length=sum(b["mean_length"] for b in batch) / len(batch),
                    kl=float(logs["objective/kl"]),
                )
            )
            for alert in alerts:
                print(f"[reward-hacking monitor] {alert.kind}: {alert.message}")

    return MonitorCallback()


def main(recipe: PPORecipe) -> Path:
    """Run PPO and save the policy adapter plus ``monitor.json``; returns the adapter directory."""
    from datasets import Dataset
    from trl.experimental.ppo import PPOConfig, PPOTrainer

    from alignment.base_model import resolve_model_path

    base = resolve_model_path(recipe.model_name_or_path)
    tokenizer = load_tokenizer(base)
    tokenizer.padding_side = "left"  # queries are left-padded; responses follow them
    prompts = load_seed_prompts(split=recipe.prompts_split)
    system = persona() if recipe.system_prompt else None

    def encode(text: str) -> list[int]:
        messages = ([{"role": "system", "content": system}] if system else []) + [
            {"role": "user", "content": text}
        ]
        ids: list[int] = tokenizer.apply_chat_template(
            messages, add_generation_prompt=True, tokenize=True, return_dict=True
        )["input_ids"]
        return ids

    dataset = Dataset.from_list([{"input_ids": encode(p.text)} for p in prompts])
    reward = ShapedRewardModel(
        load_reward_model(recipe.model_name_or_path, recipe.reward_model_path, tokenizer.pad_token_id),
        tokenizer,
        {p.text: p.category for p in prompts},
        recipe.shaping.weights,
        recipe.shaping.max_words,
    )
    value_model = load_reward_model(
        recipe.model_name_or_path, recipe.reward_model_path, tokenizer.pad_token_id
    )
    monitor = RewardHackingMonitor(**recipe.monitor.model_dump())
    args = trainer_args(PPOConfig, recipe, stop_token="eos", num_sample_generations=0, sft_model_path=base)
    trainer = PPOTrainer(
        args=args,
        processing_class=tokenizer,
        model=load_causal_lm(recipe.model_name_or_path, recipe.adapter_path),
        ref_model=None,  # LoRA: reference = policy with the adapter disabled (= SFT weights)
        reward_model=reward,  # type: ignore[arg-type]  # duck-types the RM interface TRL calls
        value_model=value_model,
        train_dataset=dataset,
        peft_config=lora_config(recipe.lora, "CAUSAL_LM"),
        callbacks=[_monitor_callback(monitor, reward)],
    )
    trainer.train()
    target = adapter_dir(recipe)
    trainer.save_model(str(target))
    (resolve_path(recipe.output_dir) / "monitor.json").write_text(json.dumps(monitor.to_dict(), indent=2))
    return target
