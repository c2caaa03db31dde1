"""Value types shared by the safety layers."""

from __future__ import annotations

from dataclasses import dataclass, field


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
