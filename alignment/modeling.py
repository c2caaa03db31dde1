"""Loading models, tokenizers and LoRA configs consistently for every training method."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from typing import Any

from alignment.base_model import resolve_model_path
from alignment.configs import LoraSpec, Recipe, resolve_path


def load_tokenizer(model_path: str) -> Any:
    """Tokenizer with a pad token distinct from EOS.

    SmolLM2 pads with ``<|im_end|>``; PPO treats pad as end of sequence and masks it out of
    attention, which would also hide every ``<|im_end|>`` inside the chat prompt.
    """
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(model_path)
    if tokenizer.pad_token is None or tokenizer.pad_token_id == tokenizer.eos_token_id:
        candidates = [t for t in ("<|endoftext|>", "<|padding|>") if t in tokenizer.get_vocab()]
        if candidates:
            tokenizer.pad_token = candidates[0]
        else:
            tokenizer.add_special_tokens({"pad_token": "<|pad|>"})
    return tokenizer


def load_causal_lm(model_name_or_path: str, adapter_path: str | None = None) -> Any:
    """Causal LM, with a LoRA adapter merged in when given (e.g. SFT weights as the new base)."""
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(resolve_model_path(model_name_or_path))
    if adapter_path:
        from peft import PeftModel

        model = PeftModel.from_pretrained(model, str(resolve_path(adapter_path))).merge_and_unload()
    return model


def load_reward_model(model_name_or_path: str, adapter_path: str | None, pad_token_id: int) -> Any:
    """Sequence-classification head (one logit) on the base, with the RM LoRA adapter merged in."""
    from transformers import AutoModelForSequenceClassification

    model = AutoModelForSequenceClassification.from_pretrained(
        resolve_model_path(model_name_or_path), num_labels=1
    )
    model.config.pad_token_id = pad_token_id
    if adapter_path:
        from peft import PeftModel

        model = PeftModel.from_pretrained(model, str(resolve_path(adapter_path))).merge_and_unload()
    return model


def lora_config(spec: LoraSpec, task_type: str) -> Any:
    """peft LoraConfig; reward/value heads (``score``) are fully trained and saved with the adapter."""
    from peft import LoraConfig

    return LoraConfig(
        r=spec.r,
        lora_alpha=spec.alpha,
        lora_dropout=spec.dropout,
        target_modules=spec.target_modules,
        task_type=task_type,
        modules_to_save=["score"] if task_type == "SEQ_CLS" else None,
        layers_to_transform=spec.layers_to_transform,
    )


def time_budget_callbacks(recipe: Recipe) -> list:
    """``[TimeBudget]`` when the recipe sets ``max_train_seconds``, else ``[]`` (for ``callbacks=``)."""
    if recipe.max_train_seconds is None:
        return []
    import time

    from transformers import TrainerCallback

    budget = recipe.max_train_seconds

    class TimeBudget(TrainerCallback):
        """Stops training after the first optimiser step that ends past the wall-clock budget."""

        def on_train_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
            self.start = time.monotonic()

        def on_step_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> Any:
            elapsed = time.monotonic() - self.start
            if elapsed >= budget:
                print(f"time budget of {budget:.0f}s reached after step {state.global_step} ({elapsed:.0f}s)")
                control.should_training_stop = True
            return control

    return [TimeBudget()]


def trainer_args(config_cls: type, recipe: Recipe, **extra: Any) -> Any:
    """Build a TRL config from the recipe's ``training`` mapping plus run-wide defaults.

    CPU runs get ``use_cpu=True, bf16=False, gradient_checkpointing=False``; TensorBoard event files
    go under ``<output_dir>/runs``.

    Raises:
        ValueError: a ``training`` key that the TRL config does not define.
    """
    import torch

    known = {f.name for f in fields(config_cls)}
    unknown = set(recipe.training) - known
    if unknown:
        raise ValueError(f"{config_cls.__name__} has no fields {sorted(unknown)}")
    output_dir = resolve_path(recipe.output_dir)
    on_gpu = torch.cuda.is_available()
    defaults: dict[str, Any] = {
        "output_dir": str(output_dir),
        "seed": recipe.seed,
        "report_to": ["tensorboard"],
        "save_strategy": "no",
        "use_cpu": not on_gpu,
        "bf16": on_gpu and torch.cuda.is_bf16_supported(),
        "disable_tqdm": False,
        # TRL turns activation checkpointing on by default: it saves GPU memory, but on CPU it only
        # adds a second forward pass per step, and a 135M model fits in RAM anyway.
        "gradient_checkpointing": on_gpu,
    }
    values = {**defaults, **extra, **recipe.training}
    return config_cls(**{k: v for k, v in values.items() if k in known})


def adapter_dir(recipe: Recipe) -> Path:
    """Where a run writes its final LoRA adapter."""
    return resolve_path(recipe.output_dir) / "adapter"
