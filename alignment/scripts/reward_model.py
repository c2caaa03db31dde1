"""``align reward-model``: Bradley-Terry reward model (LoRA + trained score head) on preference pairs."""

from __future__ import annotations

import json
from pathlib import Path

from alignment.configs import RewardModelRecipe, resolve_path
from alignment.modeling import (
    adapter_dir,
    load_reward_model,
    load_tokenizer,
    lora_config,
    time_budget_callbacks,
    trainer_args,
)
from alignment.training_data import filter_by_length, preference_rows, split_pairs

TRL_DEFAULT_MAX_LENGTH = 1024  # RewardConfig.max_length when the recipe does not set one


def main(recipe: RewardModelRecipe) -> Path:
    """Train on the training split only (``eval-rm`` scores the held-out split); returns the adapter dir.

    Pairs longer than ``training.max_length`` are dropped from both splits here (TRL would drop them
    from training anyway), and ``eval-rm`` applies the same filter, so train and held-out pairs come
    from the same length distribution. The counts go to ``<output_dir>/rm_data.json``.
    """
    from datasets import Dataset
    from trl import RewardConfig, RewardTrainer  # type: ignore[attr-defined]

    from alignment.base_model import resolve_model_path

    tokenizer = load_tokenizer(resolve_model_path(recipe.model_name_or_path))
    max_length = int(recipe.training.get("max_length", TRL_DEFAULT_MAX_LENGTH))
    train_all, heldout_all = split_pairs(recipe.data)
    train, train_counts = filter_by_length(train_all, tokenizer, max_length, recipe.data.system_prompt)
    heldout, heldout_counts = filter_by_length(heldout_all, tokenizer, max_length, recipe.data.system_prompt)
    out = resolve_path(recipe.output_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "rm_data.json").write_text(
        json.dumps({"train": train_counts, "heldout": heldout_counts}, indent=2)
    )
    print(f"reward-model data (max_length {max_length}): train {train_counts}, held-out {heldout_counts}")
    if not train:
        raise ValueError(f"no training pairs fit in max_length={max_length}")
    model = load_reward_model(recipe.model_name_or_path, recipe.adapter_path, tokenizer.pad_token_id)
    eval_rows = preference_rows(heldout, recipe.data.system_prompt)
    trainer = RewardTrainer(
        model=model,
        args=trainer_args(RewardConfig, recipe, eval_strategy="steps" if eval_rows else "no"),
        train_dataset=Dataset.from_list(preference_rows(train, recipe.data.system_prompt)),
        eval_dataset=Dataset.from_list(eval_rows) if eval_rows else None,
        processing_class=tokenizer,
        callbacks=time_budget_callbacks(recipe),
        peft_config=lora_config(recipe.lora, "SEQ_CLS"),
    )
    trainer.train()
    target = adapter_dir(recipe)
    trainer.save_model(str(target))
    return target
