"""Build the agent's long-lived components (triage engine, safety cascade, reviser) once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from audit import AuditStore
from backend.agent import AgentComponents
from backend.escalation import EscalationQueue
from backend.llm import ChatMessage, ChatModel
from backend.settings import Settings
from backend.triage import MiniLMEmbedder, TriageEngine
from backend.triage.acuity import acuity_for_policy
from backend.vault_key import load_vault
from clinical_policies import PolicyBundle
from safety import (
    ConstitutionReviser,
    FallbackResponder,
    LocalClassifiers,
    PiiRedactor,
    SafetyConfig,
    SafetyPipeline,
    TransformersGuardModel,
    build_pipeline,
)


@dataclass(frozen=True)
class PrebuiltComponents:
    """Model-independent heavy parts that tests (or several apps in one process) may share."""

    engine: TriageEngine
    safety: SafetyPipeline


def build_engine(
    settings: Settings, bundle: PolicyBundle, embedder: MiniLMEmbedder | None = None
) -> TriageEngine:
    """The triage engine for ``bundle``, with its learned acuity check; ``embedder`` may be shared."""
    phrase_cache = settings.cache_dir / "triage"  # file names inside are keyed on model + phrase hash
    phrase_cache.mkdir(parents=True, exist_ok=True)
    embedder = embedder or MiniLMEmbedder(runtime=settings.triage.embedder_runtime)
    acuity = acuity_for_policy(bundle.engine.acuity_model, embedder, phrase_cache)
    return TriageEngine(bundle, embedder, phrase_cache, acuity)


def build_safety(
    settings: Settings,
    bundle: PolicyBundle,
    config: SafetyConfig | None = None,
    classifiers: LocalClassifiers | None = None,
) -> SafetyPipeline:
    """The safety cascade for ``bundle``, warmed up (a model that cannot load raises here).

    ``config``: default, the settings' safety configuration; ``classifiers``: heads already loaded (two
    cascades of an experiment share one encoder).
    """
    guard = (
        TransformersGuardModel(Path(settings.safety.llama_guard_path))
        if settings.safety.llama_guard_path
        else None
    )
    config = config or SafetyConfig.load(settings.safety.config_path)
    pipeline = build_pipeline(bundle, config, guard=guard, classifiers=classifiers)
    pipeline.warm_up()
    return pipeline


def build_prebuilt(settings: Settings, bundle: PolicyBundle) -> PrebuiltComponents:
    """Load the embedding models and classifier heads (a few seconds on 2 cores)."""
    return PrebuiltComponents(build_engine(settings, bundle), build_safety(settings, bundle))


def build_components(
    settings: Settings,
    bundle: PolicyBundle,
    chat_model: ChatModel,
    redactor: PiiRedactor,
    audit_store: AuditStore,
    escalations: EscalationQueue,
    *,
    prebuilt: PrebuiltComponents | None = None,
) -> AgentComponents:
    """Everything a turn needs, wired to the given model and stores."""
    parts = prebuilt or build_prebuilt(settings, bundle)

    def model_text(messages: list[dict[str, str]]) -> str:
        chat: list[ChatMessage] = [{"role": m["role"], "content": m["content"]} for m in messages]  # type: ignore[typeddict-item]
        return chat_model.complete(chat).text

    fallback = FallbackResponder(bundle.refusal_messages)
    reviser = ConstitutionReviser(
        parts.safety,
        model_text,
        bundle.constitution,
        bundle.constitution_checks,
        fallback,
        max_rounds=settings.safety.max_revision_rounds,
    )
    return AgentComponents(
        bundle=bundle,
        redactor=redactor,
        chat_model=chat_model,
        engine=parts.engine,
        safety=parts.safety,
        reviser=reviser,
        fallback=fallback,
        audit_store=audit_store,
        escalations=escalations,
        vault=load_vault(settings),
    )
