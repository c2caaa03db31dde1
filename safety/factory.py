"""Assemble the default cascade from the policy bundle, for the composition root and the CLI tools.

Input: PII redaction -> fast rules -> self-harm exemplars (when enabled) -> language (when enabled) ->
injection -> harm -> misinformation (recorded only) -> known false claims (recorded; the agent adds the
approved correction) -> Llama Guard (when given).
Output: fast rules -> misinformation -> known false claims -> constitution -> Llama Guard.
"""

from __future__ import annotations

from dataclasses import dataclass

from clinical_policies import PolicyBundle
from safety.claims import INPUT_LAYER, OUTPUT_LAYER, ClaimMatcher
from safety.classifiers import EmbeddingClassifier
from safety.config import SafetyConfig
from safety.constitution import ConstitutionChecker
from safety.embeddings import SHIPPED_HEAD_FEATURES, MiniLmEncoder, Precision, Runtime, TextEncoder
from safety.exemplars import BANK_PATH, ExemplarBank, ExemplarMatcher
from safety.exemplars import LAYER as EXEMPLAR_LAYER
from safety.heads import ClassifierHead, head_path
from safety.language import LAYER as LANGUAGE_LAYER
from safety.language import LanguageCheck
from safety.llama_guard import GuardModel, LlamaGuardCheck
from safety.pii import PiiCheck, PiiRedactor
from safety.pipeline import Check, SafetyPipeline
from safety.rules import RuleCheck


@dataclass(frozen=True)
class LocalClassifiers:
    """The three embedding classifiers sharing one encoder."""

    harm: EmbeddingClassifier
    injection: EmbeddingClassifier
    misinformation: EmbeddingClassifier

    @classmethod
    def load(
        cls,
        encoder: TextEncoder | None = None,
        *,
        precision: Precision = "float32",
        runtime: Runtime = "torch",
    ) -> LocalClassifiers:
        """Load the shipped heads (``safety/weights/*.npz``) on one encoder (default: the shipped one).

        ``precision`` / ``runtime``: the shipped encoder's (ignored when ``encoder`` is given).

        Every head reads its own feature set (:data:`safety.embeddings.SHIPPED_HEAD_FEATURES`) from the
        one shared encoding of a text.

        Raises:
            ValueError: a weights file reads another feature set than the code ships for that head, or
                one the encoder cannot provide, or was trained at another encoder precision.
        """
        shared = encoder or MiniLmEncoder.shipped(precision=precision, runtime=runtime)
        heads = {}
        for name, expected in SHIPPED_HEAD_FEATURES.items():
            head = ClassifierHead.load(head_path(name))
            if head.feature_set != expected:
                raise ValueError(
                    f"{head_path(name)} reads feature set {head.feature_set!r} but "
                    f"embeddings.SHIPPED_HEAD_FEATURES[{name!r}] is {expected!r}: retrain with "
                    "`python -m safety.train_classifiers` or update SHIPPED_HEAD_FEATURES"
                )
            heads[name] = EmbeddingClassifier(name, shared, head)
        return cls(heads["harm"], heads["injection"], heads["misinformation"])


def build_pipeline(
    bundle: PolicyBundle,
    config: SafetyConfig | None = None,
    *,
    redactor: PiiRedactor | None = None,
    classifiers: LocalClassifiers | None = None,
    guard: GuardModel | None = None,
) -> SafetyPipeline:
    """The default cascade. Pass ``redactor=None`` when the caller redacts before ``check_input``."""
    config = config or SafetyConfig.load()
    local = classifiers or LocalClassifiers.load(
        precision=config.encoder.precision, runtime=config.encoder.runtime
    )
    misinformation_input = EmbeddingClassifier(
        "misinformation_input", local.misinformation.encoder, local.misinformation.head
    )
    claims_output = ClaimMatcher.from_config(
        OUTPUT_LAYER, local.misinformation.encoder, bundle, config.claim_matching
    )
    claims_input = claims_output.renamed(INPUT_LAYER)
    inputs: list[Check] = [PiiCheck(redactor)] if redactor is not None else []
    inputs.append(RuleCheck(bundle.safety_rules, "input"))
    if config.layer(EXEMPLAR_LAYER).enabled:  # before the heads: its escalation must not lose to a refusal
        matching = config.exemplar_matching
        inputs.append(
            ExemplarMatcher(
                local.harm.encoder,
                ExemplarBank.load(matching.bank_path or BANK_PATH),
                margin=matching.margin,
                min_words=matching.min_words,
                gate=config.layer(EXEMPLAR_LAYER).threshold,
            )
        )
    # after the self-harm escalations (a self-harm signal, even on a message in another language, keeps its
    # crisis text and emergency floor), before the English-only heads, which cannot read the others
    if config.layer(LANGUAGE_LAYER).enabled:
        languages = config.language_check
        inputs.append(LanguageCheck(languages.supported, languages.candidates, min_words=languages.min_words))
    inputs += [
        local.injection,
        local.harm,
        misinformation_input,
        claims_input,
    ]
    thresholds = {
        "misinformation": config.layer("misinformation").threshold,
        "harm": config.layer("harm").threshold,
    }
    outputs: list[Check] = [
        RuleCheck(bundle.safety_rules, "output", name="rules_output"),
        local.misinformation,
        claims_output,
        ConstitutionChecker(
            bundle.constitution_checks,
            {"misinformation": local.misinformation, "harm": local.harm},
            thresholds,
        ),
    ]
    if guard is not None:
        inputs.append(LlamaGuardCheck(guard, bundle.safety_categories, "input"))
        outputs.append(LlamaGuardCheck(guard, bundle.safety_categories, "output", name="llama_guard_output"))
    return SafetyPipeline(inputs, outputs, config, policy_version=bundle.version)
