"""Clinical constitution: rule and classifier checks of draft replies, and the critique -> revise hook.

Checks come from ``constitution_checks.yaml`` (patterns and classifier names as data); the critique
and revision instructions come from ``constitution.yaml``. The model is injected as a plain callable,
so the backend can pass its chat client and tests a scripted fake.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from clinical_policies.schema import ConstitutionPrinciple
from clinical_policies.schema_safety import ConstitutionCheck
from safety.classifiers import Classifier
from safety.fallback import FallbackResponder, FallbackResponse
from safety.pipeline import SafetyPipeline
from safety.types import CheckContext, CheckResult, Signal, Verdict

ChatModel = Callable[[list[dict[str, str]]], str]
CATEGORY = "clinical_constitution"
LAYER = "constitution"

# Engineering templates only: the clinical wording is the principle's critique/revision text.
_CRITIQUE_SYSTEM = (
    "You review a draft reply written by a medical triage assistant against clinical principles. "
    "For each principle, say briefly whether and how the draft violates it."
)
_REVISE_SYSTEM = (
    "You rewrite a draft reply of a medical triage assistant so that it follows every listed principle. "
    "Keep the triage advice and its urgency. Reply with the rewritten text only."
)


class ConstitutionChecker:
    """Pipeline layer: one signal per violated check (``rule_id`` = check id, e.g. ``CC-02``).

    Args:
        checks: the bundle's ``constitution_checks``.
        classifiers: classifiers by the name a ``classifier`` check uses (``misinformation``, ``harm``).
        classifier_thresholds: score at which a classifier check counts as violated, by classifier name.
    """

    def __init__(
        self,
        checks: Sequence[ConstitutionCheck],
        classifiers: Mapping[str, Classifier],
        classifier_thresholds: Mapping[str, float],
        name: str = LAYER,
    ) -> None:
        self.name = name
        missing = {c.classifier for c in checks if c.classifier and c.classifier not in classifiers}
        if missing:
            raise ValueError(
                f"constitution checks name classifiers that were not provided: {sorted(missing)}"
            )
        self._checks = [
            (c, re.compile("|".join(f"(?:{p})" for p in c.patterns), re.IGNORECASE)) for c in checks
        ]
        self._classifiers = dict(classifiers)
        self._thresholds = dict(classifier_thresholds)

    def violations(self, text: str, context: CheckContext) -> list[ConstitutionCheck]:
        """Checks that ``text`` violates (classifier checks at or above their thresholds)."""
        words = len(text.split())
        is_question = text.rstrip().endswith("?")
        violated = []
        for check, pattern in self._checks:
            if (
                check.when_input_categories
                and not set(check.when_input_categories) & context.input_categories
            ):
                continue
            if check.kind == "forbid" and pattern.search(text):
                violated.append(check)
            elif check.kind == "require":
                if words < check.min_words or (check.skip_questions and is_question):
                    continue
                if not pattern.search(text):
                    violated.append(check)
            elif check.kind == "classifier" and check.classifier is not None:
                signal = self._classifiers[check.classifier].score([text])[0]
                if signal.score >= self._thresholds.get(check.classifier, 0.5):
                    violated.append(check)
        return violated

    def __call__(self, text: str, context: CheckContext) -> CheckResult:
        """Score 1.0 per violated check; the pipeline turns these into BLOCK triggers."""
        return CheckResult(tuple(Signal(CATEGORY, 1.0, None, c.id) for c in self.violations(text, context)))


@dataclass(frozen=True)
class GuardedReply:
    """The text to send, the final verdict, how many revision rounds ran, and the fallback if one was used."""

    text: str
    verdict: Verdict
    rounds: int
    fallback: FallbackResponse | None

    @property
    def revised(self) -> bool:
        """True when the model rewrote the draft at least once."""
        return self.rounds > 0


class ConstitutionReviser:
    """Check a draft; where only revisable constitution checks fail, critique -> revise -> re-check.

    Anything else that stops the draft (a BLOCK rule, Llama Guard, a block-action check, a failed
    model call, or still violating after ``max_rounds``) is answered from the fallback templates.

    Args:
        pipeline: the safety pipeline whose ``check_output`` judges every draft and revision.
        model: chat model callable (OpenAI-style message list in, text out).
        principles: the bundle's constitution principles.
        checks: the bundle's constitution checks (to know which are revisable).
        fallback: fallback responder.
        max_rounds: revision attempts before falling back.
    """

    def __init__(
        self,
        pipeline: SafetyPipeline,
        model: ChatModel,
        principles: Sequence[ConstitutionPrinciple],
        checks: Sequence[ConstitutionCheck],
        fallback: FallbackResponder,
        max_rounds: int = 2,
    ) -> None:
        self._pipeline = pipeline
        self._model = model
        self._principles = {p.id: p for p in principles}
        self._checks = {c.id: c for c in checks}
        self._fallback = fallback
        self._max_rounds = max_rounds

    def _violated_principles(self, verdict: Verdict) -> list[ConstitutionPrinciple] | None:
        """Principles to revise for, or None when the verdict is not fixable by revision."""
        stopping = [t for t in verdict.triggers if t.action.stops]
        checks = [self._checks.get(t.rule_id) for t in stopping]
        if not stopping or any(t.layer != LAYER for t in stopping):
            return None
        if any(c is None or c.action != "revise" for c in checks):
            return None
        ids = dict.fromkeys(c.principle_id for c in checks if c is not None)
        return [self._principles[i] for i in ids]

    def critique_and_revise(self, draft: str, principles: Sequence[ConstitutionPrinciple]) -> str:
        """Two model calls: a critique against ``principles``, then a revision using that critique."""
        listed = "\n".join(f"- {p.id} {p.title}: {p.critique}" for p in principles)
        critique = self._model(
            [
                {"role": "system", "content": _CRITIQUE_SYSTEM},
                {"role": "user", "content": f"Principles:\n{listed}\n\nDraft reply:\n{draft}"},
            ]
        )
        instructions = "\n".join(f"- {p.id} {p.title}: {p.revision}" for p in principles)
        return self._model(
            [
                {"role": "system", "content": _REVISE_SYSTEM},
                {
                    "role": "user",
                    "content": (
                        f"Draft reply:\n{draft}\n\nCritique:\n{critique}\n\nRevise so that:\n{instructions}"
                    ),
                },
            ]
        ).strip()

    def guard_reply(self, draft: str, context: CheckContext | None = None) -> GuardedReply:
        """Return a reply that passed ``check_output``, or the fallback for the final verdict."""
        context = context or CheckContext()
        verdict = self._pipeline.check_output(draft, context)
        rounds = 0
        while not verdict.allowed and rounds < self._max_rounds:
            principles = self._violated_principles(verdict)
            if principles is None:
                break
            try:
                draft = self.critique_and_revise(draft, principles)
            except Exception:  # the model failed: fall back, never send the unchecked draft
                self._pipeline.counters.add("output.revise.error")
                break
            rounds += 1
            self._pipeline.counters.add("output.revise.round")
            verdict = self._pipeline.check_output(draft, context)
        if verdict.allowed and draft.strip():
            return GuardedReply(verdict.text, verdict, rounds, None)
        response = self._fallback.for_reason(verdict.reason_category or "uncertain", verdict.decision)
        return GuardedReply(response.text, verdict, rounds, response)
