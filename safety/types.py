"""Value types shared by the safety layers."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


@dataclass(frozen=True)
class PiiFinding:
    """One detected identifier: where it was and what replaced it (never the original value)."""

    entity_type: str
    start: int  # character offset in the original text, inclusive
    end: int  # character offset in the original text, exclusive
    score: float
    placeholder: str


@dataclass(frozen=True)
class RedactionResult:
    """Redacted text plus the pseudonym map needed to reverse it.

    ``pseudonyms`` maps placeholder -> original value. It must never be logged or stored in the
    audit trail in clear text; it exists so an authorised clinician view can de-pseudonymise.
    """

    text: str
    findings: tuple[PiiFinding, ...] = ()
    pseudonyms: dict[str, str] = field(default_factory=dict)

    @property
    def entity_types(self) -> list[str]:
        """Sorted, de-duplicated entity types found (safe to log and audit)."""
        return sorted({f.entity_type for f in self.findings})


class Decision(StrEnum):
    """What the service does with a message. Ordered by severity (see :data:`SEVERITY`)."""

    ALLOW = "allow"
    REDACT = "redact"
    BLOCK = "block"
    ESCALATE = "escalate"

    @property
    def stops(self) -> bool:
        """True for the decisions that end the cascade (the first BLOCK/ESCALATE wins)."""
        return self in (Decision.BLOCK, Decision.ESCALATE)


SEVERITY: dict[Decision, int] = {
    Decision.ALLOW: 0,
    Decision.REDACT: 1,
    Decision.BLOCK: 2,
    Decision.ESCALATE: 3,
}


@dataclass(frozen=True)
class Signal:
    """Raw output of one check: a category and a score in [0, 1], before thresholds are applied.

    ``action`` is set only when policy data fixes the action (a fast rule that must escalate);
    otherwise the pipeline's layer configuration decides. ``rule_id`` names the policy entry
    (``SR-SELF-001``, ``CC-02``, ``SC-S11``) for the audit trail; it never contains patient text.
    """

    category: str
    score: float
    action: Decision | None = None
    rule_id: str = ""


@dataclass(frozen=True)
class CheckResult:
    """What a check returns: its signals and, for transforming checks (PII), the rewritten text."""

    signals: tuple[Signal, ...] = ()
    text: str | None = None
    redaction: RedactionResult | None = None


@dataclass(frozen=True)
class CheckContext:
    """What an output check may know about the turn besides the draft itself.

    ``input_categories`` are the categories the patient's message triggered (``self_harm`` makes the
    crisis-resource check apply); ``user_text`` is the redacted patient message.
    """

    user_text: str = ""
    input_categories: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Trigger:
    """One layer firing: safe to log and audit (ids, categories and numbers only, no patient text)."""

    layer: str
    category: str
    score: float
    threshold: float
    action: Decision
    rule_id: str = ""


@dataclass(frozen=True)
class Verdict:
    """Outcome of a cascade: the decision, every trigger, and the (possibly redacted) text.

    ``reason_category`` is the category of the trigger that decided (``None`` when allowed); it keys
    the fallback message. ``redaction`` carries the pseudonym map when the PII layer ran.
    """

    decision: Decision
    triggers: tuple[Trigger, ...]
    text: str
    reason_category: str | None = None
    policy_version: str = ""
    redaction: RedactionResult | None = None
    latency_ms: dict[str, float] = field(default_factory=dict)

    @property
    def categories(self) -> frozenset[str]:
        """Every category that fired, including recorded-only (ALLOW) triggers."""
        return frozenset(t.category for t in self.triggers)

    @property
    def allowed(self) -> bool:
        """True when the text may go on (ALLOW or REDACT)."""
        return not self.decision.stops
