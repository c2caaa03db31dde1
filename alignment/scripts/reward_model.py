"""``align reward-model``: Bradley-Terry reward model (LoRA + trained score head) on preference pairs."""

from __future__ import annotations

from pathlib import Path

from alignment.configs import RewardModelRecipe
from alignment.modeling import adapter_dir, load_reward_model, load_tokenizer, lora_config, trainer_args
from alignment.training_data import preference_rows, split_pairs


def main(recipe: RewardModelRecipe) -> Path:
    """Train on the training split only (``eval-rm`` scores the held-out split); returns the adapter dir."""
    from datasets import Dataset
    from trl import RewardConfig, RewardTrainer

    from alignment.base_model import resolve_model_path

    train, heldout = split_pairs(recipe.data)
    if not train:
        raise ValueError("the reward-model recipe selected no training pairs")
    tokenizer = load_tokenizer(resolve_model_path(recipe.model_name_or_path))
    model = load_reward_model(recipe.model_name_or_path, recipe.adapter_path, tokenizer.pad_token_id)
    eval_rows = preference_rows(heldout, recipe.data.system_prompt)
    trainer = RewardTrainer(
        model=model,
        args=trainer_args(RewardConfig, recipe, eval_strategy="steps" if eval_rows else "no"),
        train_dataset=Dataset.from_list(preference_rows(train, recipe.data.system_prompt)),
        eval_dataset=Dataset.from_list(eval_rows) if eval_rows else None,
        processing_class=tokenizer,
        peft_config=lora_config(recipe.lora, "SEQ_CLS"),
    )
    trainer.train()
    target = adapter_dir(recipe)
    trainer.save_model(str(target))
    return target
