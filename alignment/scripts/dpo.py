"""``align dpo``: Direct Preference Optimisation with LoRA; the frozen base (adapter off) is the reference."""

from __future__ import annotations

from pathlib import Path

from alignment.configs import DPORecipe
from alignment.modeling import (
    adapter_dir,
    load_causal_lm,
    load_tokenizer,
    lora_config,
    time_budget_callbacks,
    trainer_args,
)
from alignment.training_data import preference_rows, split_pairs


def main(recipe: DPORecipe) -> Path:
    """Train on the training split and save the adapter; returns its directory.

    With ``adapter_path`` set to the SFT adapter, SFT weights are merged into the base first, so the
    DPO reference is the SFT model (as in the InstructGPT/Zephyr pipelines).
    """
    from datasets import Dataset
    from trl import DPOConfig, DPOTrainer  # type: ignore[attr-defined]

    from alignment.base_model import resolve_model_path

    train, _ = split_pairs(recipe.data)
    if not train:
        raise ValueError("the DPO recipe selected no training pairs")
    trainer = DPOTrainer(
        model=load_causal_lm(recipe.model_name_or_path, recipe.adapter_path),
        args=trainer_args(DPOConfig, recipe),
        train_dataset=Dataset.from_list(preference_rows(train, recipe.data.system_prompt)),
        processing_class=load_tokenizer(resolve_model_path(recipe.model_name_or_path)),
        callbacks=time_budget_callbacks(recipe),
        peft_config=lora_config(recipe.lora, "CAUSAL_LM"),
    )
    trainer.train()
    target = adapter_dir(recipe)
    trainer.save_model(str(target))
    return target
