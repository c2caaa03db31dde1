"""Evaluation of policy conditions against the facts of a case (pure, no text processing)."""

from __future__ import annotations

from dataclasses import dataclass

from backend.triage.types import CaseFacts, Finding, Sex
from backend.triage.vitals import news2, qsofa
from clinical_policies.schema_triage import Conditions, EarlyWarningSettings


@dataclass(frozen=True, slots=True)
class CaseView:
    """The facts a condition can test: present concepts plus demographics and duration."""

    present: dict[str, Finding]
    age_years: float | None
    sex: Sex | None
    pregnant: bool | None
    duration_hours: float | None
    news2: int | None = None
    qsofa: int | None = None

    @classmethod
    def of(
        cls, facts: CaseFacts, min_embedding_score: float = 0.0, warning: EarlyWarningSettings | None = None
    ) -> CaseView:
        """View of ``facts``; paraphrase findings below ``min_embedding_score`` are left out.

        With ``warning`` settings the NEWS2 and qSOFA scores of the stated vital signs are computed too.
        """
        present = {
            key: f
            for key, f in facts.present().items()
            if f.source != "embedding" or f.score >= min_embedding_score
        }
        scores: tuple[int | None, int | None] = (None, None)
        if warning is not None:
            altered = any(c in present for c in warning.altered_mentation)
            scores = (
                news2(warning, facts.vitals, altered, facts.age_years),
                qsofa(warning, facts.vitals, altered),
            )
            present |= _score_findings(warning, *scores)
        return cls(present, facts.age_years, facts.sex, facts.pregnant, facts.duration_hours, *scores)


def _score_findings(warning: EarlyWarningSettings, news: int | None, sofa: int | None) -> dict[str, Finding]:
    """The derived concepts whose score threshold is reached, as findings with the score as evidence."""
    out: dict[str, Finding] = {}
    for name, value, concepts in (
        ("NEWS2", news, warning.news2_concepts),
        ("qSOFA", sofa, warning.qsofa_concepts),
    ):
        for c in concepts:
            if value is not None and value >= c.at_least:
                out[c.concept] = Finding(
                    concept_id=c.concept,
                    status="present",
                    evidence=f"{name} {value}",
                    source="vital_signs",
                    score=1.0,
                )
    return out


def _in_range(value: float | None, low: float | None, high: float | None) -> bool:
    if low is None and high is None:
        return True
    if value is None:
        return False  # an unknown fact never satisfies a condition
    return (low is None or value >= low) and (high is None or value < high)


def holds(conditions: Conditions, case: CaseView) -> bool:
    """Whether every stated condition holds for the case."""
    present = case.present
    return (
        all(c in present for c in conditions.all)
        and (not conditions.any or any(c in present for c in conditions.any))
        and (not conditions.any_risk or any(c in present for c in conditions.any_risk))
        and not any(c in present for c in conditions.none)
        and _in_range(case.age_years, conditions.min_age_years, conditions.max_age_years)
        and _in_range(case.duration_hours, conditions.min_duration_hours, conditions.max_duration_hours)
        and (conditions.sex is None or case.sex == conditions.sex)
        and (conditions.pregnant is None or case.pregnant is conditions.pregnant)
    )


def positive_concepts(conditions: Conditions) -> tuple[str, ...]:
    """The concepts whose presence a condition asks for (``all``, ``any``, ``any_risk``; not ``none``)."""
    return (*conditions.all, *conditions.any, *conditions.any_risk)


def supporting(conditions: Conditions, case: CaseView) -> list[Finding]:
    """The present findings a holding condition relied on (its evidence)."""
    return [case.present[c] for c in positive_concepts(conditions) if c in case.present]


def is_specific(conditions: Conditions) -> bool:
    """Whether a rule states any condition (the protocol default does not)."""
    return conditions != Conditions()
