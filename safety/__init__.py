"""Safety library: text in, redacted text or verdict out. No web, database or graph imports.

Wiring (composition root): ``pipeline = build_pipeline(bundle, SafetyConfig.load(), redactor=None)``
once at start-up; per turn ``check_input(redacted_text)`` after :class:`PiiRedactor`, then
``ConstitutionReviser.guard_reply(draft, CheckContext(...))`` (which calls ``check_output``) before
the reply is sent; :class:`FallbackResponder` supplies the text for any BLOCK/ESCALATE.
"""

from safety.classifiers import Classifier, EmbeddingClassifier
from safety.config import LayerConfig, SafetyConfig
from safety.constitution import ChatModel, ConstitutionChecker, ConstitutionReviser, GuardedReply
from safety.embeddings import MiniLmEncoder, TextEncoder
from safety.factory import LocalClassifiers, build_pipeline
from safety.fallback import FallbackResponder, FallbackResponse
from safety.heads import ClassifierHead
from safety.llama_guard import (
    GuardOutput,
    GuardStatus,
    LlamaGuardCheck,
    TransformersGuardModel,
    parse_output,
    render_prompt,
)
from safety.pii import PiiCheck, PiiConfig, PiiRedactor, build_analyzer
from safety.pipeline import Check, SafetyCounters, SafetyPipeline
from safety.rules import RuleCheck
from safety.types import (
    CheckContext,
    CheckResult,
    Decision,
    PiiFinding,
    RedactionResult,
    Signal,
    Trigger,
    Verdict,
)
from safety.vault import PseudonymVault, VaultError, restore

__all__ = [
    "ChatModel",
    "Check",
    "CheckContext",
    "CheckResult",
    "Classifier",
    "ClassifierHead",
    "ConstitutionChecker",
    "ConstitutionReviser",
    "Decision",
    "EmbeddingClassifier",
    "FallbackResponder",
    "FallbackResponse",
    "GuardOutput",
    "GuardStatus",
    "GuardedReply",
    "LayerConfig",
    "LlamaGuardCheck",
    "LocalClassifiers",
    "MiniLmEncoder",
    "PiiCheck",
    "PiiConfig",
    "PiiFinding",
    "PiiRedactor",
    "PseudonymVault",
    "RedactionResult",
    "RuleCheck",
    "SafetyConfig",
    "SafetyCounters",
    "SafetyPipeline",
    "Signal",
    "TextEncoder",
    "TransformersGuardModel",
    "Trigger",
    "VaultError",
    "Verdict",
    "build_analyzer",
    "build_pipeline",
    "parse_output",
    "render_prompt",
    "restore",
]
