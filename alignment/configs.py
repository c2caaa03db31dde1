"""Typed recipes: every hyperparameter of a run lives in a YAML file validated by these models.

``training`` is passed verbatim to the TRL/transformers config class of the method, so any field
TRL knows (learning_rate, max_steps, beta, kl_coef, ...) can be set from YAML without code changes,
and TRL's own validation rejects typos. CLI ``--set a.b=value`` overrides any key (YAML-typed).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field

from alignment.paths import REPO_ROOT


class Section(BaseModel):
    """Strict recipe section: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid")


class DataSource(Section):
    """One input of a run.

    kinds: ``seed_exercise`` (packaged rankings), ``pairs_jsonl`` (PreferencePair JSONL from
    ``align prefs``/``align cai``), ``external_pref`` (shared train file with chosen/rejected),
    ``safe_responses`` (shared train file with ``safe_response``, e.g. MedSafetyBench),
    ``sft_jsonl`` (rows with ``messages``, e.g. SL-CAI output), ``clinician_ratings`` (JSONL/CSV export).
    Relative paths resolve against the repo root; ``shared:`` paths against ``$TRIAGE_DATA_DIR``.
    """

    kind: Literal[
        "seed_exercise", "pairs_jsonl", "external_pref", "safe_responses", "sft_jsonl", "clinician_ratings"
    ]
    path: str | None = None
    limit: int | None = Field(default=None, ge=1)
    optional: bool = False  # skip silently when the file does not exist yet (e.g. CAI output)


class DataSpec(Section):
    """Inputs plus how to format and split them."""

    sources: list[DataSource]
    heldout_fraction: float = Field(default=0.2, ge=0.0, lt=1.0)  # by prompt hash; eval-rm reads this part
    system_prompt: bool = True  # prepend the clinical persona from clinical_policies


class LoraSpec(Section):
    """LoRA adapter shape (peft.LoraConfig)."""

    r: int = 16
    alpha: int = 32
    dropout: float = 0.05
    target_modules: list[str] = Field(default_factory=lambda: ["q_proj", "k_proj", "v_proj", "o_proj"])
    # Only these decoder layers get adapters (None = all). Adapting only the top layers means the
    # backward pass stops there: about half the compute per step on CPU.
    layers_to_transform: list[int] | None = None


class Recipe(Section):
    """Fields shared by every training recipe."""

    method: str
    model_name_or_path: str = "smollm2-135m-instruct"
    adapter_path: str | None = None  # merged into the base before training (e.g. the SFT adapter)
    output_dir: str
    seed: int = 42
    # Wall-clock budget for the optimisation loop (CPU runs): training stops after the step that
    # crosses it and the adapter is saved as usual. None = run to max_steps / num_train_epochs.
    max_train_seconds: float | None = Field(default=None, gt=0)
    training: dict[str, Any] = Field(default_factory=dict)


class SFTRecipe(Recipe):
    method: Literal["sft"] = "sft"
    data: DataSpec
    lora: LoraSpec = Field(default_factory=LoraSpec)


class RewardModelRecipe(Recipe):
    method: Literal["reward-model"] = "reward-model"
    data: DataSpec
    lora: LoraSpec = Field(default_factory=LoraSpec)


class DPORecipe(Recipe):
    method: Literal["dpo"] = "dpo"
    data: DataSpec
    lora: LoraSpec = Field(default_factory=LoraSpec)


class ShapingSpec(Section):
    """Rule-based terms added to the learned reward during PPO (``alignment.rewards`` names -> weight)."""

    weights: dict[str, float] = Field(default_factory=dict)
    max_words: int = 80


class MonitorSpec(Section):
    """Reward-hacking monitor thresholds (see ``alignment.monitor``)."""

    window: int = 3
    proxy_slope_min: float = 0.0
    length_growth_max: float = 0.25
    kl_max: float = 10.0
    gold_drop_max: float = 0.05


class PPORecipe(Recipe):
    method: Literal["ppo"] = "ppo"
    reward_model_path: str  # adapter dir written by `align reward-model`
    prompts_split: Literal["train", "heldout"] = "train"
    system_prompt: bool = True
    lora: LoraSpec = Field(default_factory=LoraSpec)
    shaping: ShapingSpec = Field(default_factory=ShapingSpec)
    monitor: MonitorSpec = Field(default_factory=MonitorSpec)


class CaiRecipe(Recipe):
    method: Literal["cai"] = "cai"
    prompts_split: Literal["train", "heldout"] = "train"
    principles_per_prompt: int = Field(default=2, ge=1)
    max_new_tokens: int = 96
    min_confidence: float = Field(default=0.55, ge=0.5, le=1.0)
    limit: int | None = None


class PrefsRecipe(Section):
    method: Literal["prefs"] = "prefs"
    output_dir: str
    data: DataSpec


class AgreementRecipe(Section):
    method: Literal["agreement"] = "agreement"
    output_dir: str
    ratings_path: str | None = None  # JSONL/CSV export of clinician_ratings
    database_url: str | None = None  # or a SQLAlchemy URL ...
    table: str = "clinician_ratings"  # ... and table name


class EvalRMRecipe(Section):
    method: Literal["eval-rm"] = "eval-rm"
    model_name_or_path: str = "smollm2-135m-instruct"
    reward_model_path: str
    output_dir: str
    data: DataSpec
    max_length: int = 512  # keep equal to rm.yaml's training.max_length
    length_policy: Literal["filter", "truncate"] = "filter"  # filter = the RM trainer's own rule
    calibration_bins: int = 10


class EvalPolicyRecipe(Section):
    method: Literal["eval-policy"] = "eval-policy"
    model_name_or_path: str = "smollm2-135m-instruct"
    reference_adapter_path: str | None = None  # None: the base model is the reference
    policy_adapter_path: str  # the trained adapter to compare against the reference
    reward_model_path: str | None = None
    output_dir: str
    prompts_split: Literal["train", "heldout"] = "heldout"
    max_new_tokens: int = 96
    limit: int | None = None
    system_prompt: bool = True


RecipeT = TypeVar("RecipeT", bound=BaseModel)


def _set_dotted(tree: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, leaf = dotted.split(".")
    for key in parents:
        tree = tree.setdefault(key, {})
    tree[leaf] = value


def load_recipe(path: Path, schema: type[RecipeT], overrides: list[str] | None = None) -> RecipeT:
    """Read a YAML recipe, apply ``key.sub=value`` overrides and validate.

    Raises:
        ValueError: malformed override or a recipe that fails validation.
    """
    tree = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for override in overrides or []:
        key, sep, raw = override.partition("=")
        if not sep:
            raise ValueError(f"override {override!r} is not key=value")
        _set_dotted(tree, key, yaml.safe_load(raw))
    return schema.model_validate(tree)


def resolve_path(value: str) -> Path:
    """Recipe paths: ``shared:<rel>`` -> data dir, absolute as-is, otherwise relative to the repo root."""
    from alignment.paths import data_dir

    if value.startswith("shared:"):
        return data_dir() / value.removeprefix("shared:")
    path = Path(value).expanduser()
    return path if path.is_absolute() else REPO_ROOT / path
