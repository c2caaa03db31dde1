"""Fallback protocol: every BLOCK or ESCALATE is answered from clinician-approved text, never silently."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from clinical_policies.schema_safety import RefusalMessage
from safety.types import Decision, Verdict


@dataclass(frozen=True)
class FallbackResponse:
    """What to send instead of the blocked text, and whether the clinician queue must be notified."""

    text: str
    reason_category: str
    message_id: str
    kind: str  # refusal | safe_completion | escalation
    escalate: bool


class FallbackResponder:
    """Pick the fallback message for a verdict's reason category.

    Unknown categories fall back to the ``uncertain`` message (a clinician reviews it), so a new
    category added to a model or rule can never produce an empty or missing reply.
    """

    def __init__(self, messages: Sequence[RefusalMessage]) -> None:
        self._by_reason = {m.reason_category: m for m in messages}
        if "uncertain" not in self._by_reason or "system_error" not in self._by_reason:
            raise ValueError("refusal messages must include the 'uncertain' and 'system_error' categories")

    def for_reason(self, reason_category: str, decision: Decision = Decision.BLOCK) -> FallbackResponse:
        """The fallback for ``reason_category``; ESCALATE decisions always notify the clinician queue."""
        message = self._by_reason.get(reason_category) or self._by_reason["uncertain"]
        escalate = decision == Decision.ESCALATE or message.kind == "escalation"
        return FallbackResponse(message.text, message.reason_category, message.id, message.kind, escalate)

    def for_verdict(self, verdict: Verdict) -> FallbackResponse | None:
        """The fallback for a stopping verdict, ``None`` when the text may be sent."""
        if verdict.allowed:
            return None
        return self.for_reason(verdict.reason_category or "uncertain", verdict.decision)
