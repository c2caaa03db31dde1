"""``align sft``: supervised fine-tuning with LoRA on chosen replies, safe responses and SL-CAI data."""

from __future__ import annotations

from pathlib import Path

from alignment.configs import SFTRecipe
from alignment.modeling import (
    adapter_dir,
    load_causal_lm,
    load_tokenizer,
    lora_config,
    time_budget_callbacks,
    trainer_args,
)
from alignment.training_data import sft_rows


def main(recipe: SFTRecipe) -> Path:
    """Train and save the adapter; returns its directory."""
    from datasets import Dataset
    from trl import SFTConfig, SFTTrainer  # type: ignore[attr-defined]

    from alignment.base_model import resolve_model_path

    rows = sft_rows(recipe.data)
    if not rows:
        raise ValueError("the SFT recipe selected no training rows")
    tokenizer = load_tokenizer(resolve_model_path(recipe.model_name_or_path))
    trainer = SFTTrainer(
        model=load_causal_lm(recipe.model_name_or_path, recipe.adapter_path),
        args=trainer_args(SFTConfig, recipe, assistant_only_loss=False),
        train_dataset=Dataset.from_list(rows),
        processing_class=tokenizer,
        callbacks=time_budget_callbacks(recipe),
        peft_config=lora_config(recipe.lora, "CAUSAL_LM"),
    )
    trainer.train()
    target = adapter_dir(recipe)
    trainer.save_model(str(target))
    return target
