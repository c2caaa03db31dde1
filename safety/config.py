"""Per-layer switches, thresholds, actions and time limits, with defaults kept as data.

The composition root builds a :class:`SafetyConfig` (usually ``SafetyConfig.load()`` plus overrides
from its settings) and passes it to :class:`safety.pipeline.SafetyPipeline`; nothing here reads the
environment.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

from safety.language import lingua_language
from safety.types import Decision

DEFAULT_CONFIG_PATH = Path(__file__).resolve().parent / "safety_config.yaml"


class LayerConfig(BaseModel):
    """How one layer's signals become triggers.

    A signal fires when ``score >= threshold`` (per-category override first). Its action is the
    one fixed by policy data when present, else ``category_actions[category]``, else ``action``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = True
    threshold: float = Field(default=0.5, ge=0.0, le=1.0)
    action: Decision = Decision.BLOCK
    category_thresholds: dict[str, float] = Field(default_factory=dict)
    category_actions: dict[str, Decision] = Field(default_factory=dict)
    timeout_ms: float | None = Field(default=2000.0, gt=0)  # None: run inline, no time limit

    def threshold_for(self, category: str) -> float:
        """Threshold for ``category`` (its override, else the layer default)."""
        return self.category_thresholds.get(category, self.threshold)

    def action_for(self, category: str) -> Decision:
        """Action for ``category`` when the signal does not fix one."""
        return self.category_actions.get(category, self.action)


class EncoderConfig(BaseModel):
    """How the shared MiniLM encoder of the classifier heads runs.

    ``precision``: ``float32`` (as the heads were trained) or ``int8`` (dynamic quantisation of its
    linear layers, about twice as fast on CPU; adopted only after the side-by-side check of
    ``python -m safety.training.compare_precision``). ``runtime``: ``torch`` or ``onnxruntime``
    (float32 only; the same features to float rounding, about twice as fast).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    precision: Literal["float32", "int8"] = "float32"
    runtime: Literal["torch", "onnxruntime"] = "torch"


class ClaimMatchingConfig(BaseModel):
    """How texts are compared with the known false claims (:class:`safety.claims.ClaimMatcher`).

    The layers ``known_claims_input`` / ``known_claims`` keep their thresholds (myth similarity) in
    ``layers``; ``margin`` is how much closer to the myth than to its true counter-statements a sentence
    must be; ``max_sentences`` / ``min_words`` say which sentences of a longer text are checked alone, and
    ``sentence_gate`` when (the whole text's similarity to the nearest myth; a speed setting).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    margin: float = Field(default=0.0, ge=0.0, le=1.0)
    max_sentences: int = Field(default=8, ge=0, le=64)
    min_words: int = Field(default=3, ge=1)
    sentence_gate: float = Field(default=0.0, ge=0.0, le=1.0)
    # every approved patient-facing text is also a counter-statement of every claim
    approved_texts_as_counters: bool = False
    # regular expressions; when set, the margin applies only to sentences containing one (None: to all)
    refutation_cues: tuple[str, ...] | None = None

    @field_validator("refutation_cues")
    @classmethod
    def _cues_compile(cls, cues: tuple[str, ...] | None) -> tuple[str, ...] | None:
        for cue in cues or ():
            try:
                re.compile(cue)
            except re.error as error:
                raise ValueError(
                    f"refutation cue {cue!r} is not a valid regular expression: {error}"
                ) from None
        return cues


class ExemplarMatchingConfig(BaseModel):
    """How messages are compared with the self-harm exemplar bank (:class:`safety.exemplars.ExemplarMatcher`).

    The layer ``self_harm_exemplars`` keeps its threshold (similarity to the nearest self-harm exemplar) in
    ``layers``; ``margin`` is how much closer to that exemplar than to the nearest other exemplar a message
    must be; messages of fewer than ``min_words`` words score 0. ``bank_path``: the bank file (``None``: the
    one ``python -m safety.training.self_harm_bank`` writes by default).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    margin: float = Field(default=0.0, ge=-1.0, le=1.0)
    min_words: int = Field(default=1, ge=0)
    bank_path: Path | None = None


class LanguageCheckConfig(BaseModel):
    """Which languages the cascade reads (:class:`safety.language.LanguageCheck`, layer ``language``).

    ``supported``: the languages every layer and the triage engine read; ``candidates``: the languages the
    detector chooses among (Lingua names; more languages cost memory, about 14 MB each); messages of fewer
    than ``min_words`` words are not checked. The layer's threshold (in ``layers``) is the detector's
    confidence in an unsupported language.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    supported: tuple[str, ...] = ("english",)
    candidates: tuple[str, ...] = ("english",)
    min_words: int = Field(default=3, ge=0)

    @field_validator("supported", "candidates")
    @classmethod
    def _known_languages(cls, names: tuple[str, ...]) -> tuple[str, ...]:
        for name in names:
            lingua_language(name)  # raises ValueError naming the unknown language
        return names


class SafetyConfig(BaseModel):
    """Configuration of every layer, keyed by layer name (``rules``, ``harm``, ``llama_guard``...).

    A layer missing from ``layers`` runs with :class:`LayerConfig` defaults (enabled, threshold
    0.5, BLOCK): forgetting to configure a layer must never switch it off.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    layers: dict[str, LayerConfig] = Field(default_factory=dict)
    encoder: EncoderConfig = Field(default_factory=EncoderConfig)
    claim_matching: ClaimMatchingConfig = Field(default_factory=ClaimMatchingConfig)
    exemplar_matching: ExemplarMatchingConfig = Field(default_factory=ExemplarMatchingConfig)
    language_check: LanguageCheckConfig = Field(default_factory=LanguageCheckConfig)
    fail_action: Decision = Decision.BLOCK  # exceptions and timeouts in any layer
    fail_category: str = "system_error"

    def layer(self, name: str) -> LayerConfig:
        """The configuration of layer ``name`` (defaults when not listed)."""
        return self.layers.get(name, LayerConfig())

    def with_layer(self, name: str, **changes: object) -> SafetyConfig:
        """Copy with one layer's fields changed, e.g. ``config.with_layer("harm", threshold=0.7)``."""
        layer = self.layer(name).model_copy(update=changes)
        return self.model_copy(update={"layers": {**self.layers, name: layer}})

    @classmethod
    def load(cls, path: Path | None = None) -> SafetyConfig:
        """Read and validate a YAML config (the packaged defaults when ``path`` is None)."""
        raw = yaml.safe_load((path or DEFAULT_CONFIG_PATH).read_text(encoding="utf-8"))
        return cls.model_validate(raw)
