"""Disposition from the policy: red flags first, then the complaint protocols; confidence and escalation.

The engine's disposition is a floor: :func:`floor_disposition` lets a model raise acuity, never lower it.
"""

from __future__ import annotations

from dataclasses import dataclass

from backend.triage.near_miss import possible_red_flags
from backend.triage.red_flags import detect_red_flags
from backend.triage.rules import CaseView, holds, is_specific, supporting
from backend.triage.types import CaseFacts, ClinicianReason, Decision, Evidence, Finding
from clinical_policies import PolicyBundle
from clinical_policies.schema_triage import ComplaintProtocol, EngineSettings, TriageRule

ACUITY_RULE_ID = "ACUITY-KNN"  # in fired_rule_ids when the learned acuity check raised the case
ACUITY_CONCEPT = "acuity_model"


def active_protocols(bundle: PolicyBundle, facts: CaseFacts) -> list[ComplaintProtocol]:
    """Protocols opened by a present trigger concept (derived early-warning concepts included)."""
    present = CaseView.of(facts, warning=bundle.engine.early_warning).present
    return [p for p in bundle.triage_rules if any(t in present for t in p.triggers)]


def _unanswered_medicine_default(
    bundle: PolicyBundle, facts: CaseFacts, protocol: ComplaintProtocol, rule: TriageRule
) -> bool:
    """Whether a protocol opened only by risk factors decided by its default with its questions unanswered.

    Such a protocol (opened by a medicine it watches: lithium, an anticoagulant) names no complaint; its
    default is safe only after a "no" to its warning-sign question. Until the patient has answered, "I don't
    know" included, the case goes to a clinician (fail closed): naming a medicine never settles an unexplained
    case unreviewed.
    """
    if is_specific(rule.when):
        return False
    kinds = {c.id: c.kind for c in bundle.symptoms.concepts if c.id in protocol.triggers}
    if any(kinds.get(t) != "risk_factor" for t in protocol.triggers):
        return False
    unanswered = {*facts.unknown_question_ids, facts.pending_question_id}
    answered = set(facts.asked_question_ids) - unanswered
    return any(q.id not in answered for q in protocol.questions)


def first_rule(protocol: ComplaintProtocol, case: CaseView) -> TriageRule:
    """The first rule of ``protocol`` whose conditions hold (the last rule always holds)."""
    return next(rule for rule in protocol.rules if holds(rule.when, case))


def _high_risk(bundle: PolicyBundle, facts: CaseFacts) -> bool:
    groups = bundle.engine.high_risk
    age = facts.age_years
    return (
        any(r in facts.present() for r in groups.risk_factors)
        or (groups.pregnant and facts.pregnant is True)
        or (age is not None and groups.max_age_years is not None and age < groups.max_age_years)
        or (age is not None and groups.min_age_years is not None and age >= groups.min_age_years)
    )


def _review_finding(settings: EngineSettings, case: CaseView, disposition: str) -> bool:
    """A cardinal finding (engine.yaml ``clinician_review``; derived early-warning concepts included)."""
    review = settings.clinician_review
    if review is None or disposition not in review.dispositions:
        return False
    present, age = case.present, case.age_years
    return any(
        f.concept in present and (f.min_age_years is None or (age is not None and age >= f.min_age_years))
        for f in review.findings
    )


def _fallback(settings: EngineSettings, case: CaseView) -> str:
    """Disposition when no complaint is recognised: routine if long-standing and stable, else the default.

    Either way the case goes to a clinician (``no_complaint_recognised``).
    """
    chronic = settings.chronic_fallback
    if (
        chronic is not None
        and case.duration_hours is not None
        and case.duration_hours >= chronic.min_duration_hours
        and (case.news2 or 0) <= chronic.max_news2
    ):
        return chronic.disposition
    return settings.fallback_disposition


def _evidence(findings: list[Finding]) -> tuple[Evidence, ...]:
    seen: dict[str, Evidence] = {}
    for f in findings:
        seen.setdefault(f.concept_id, Evidence(concept_id=f.concept_id, phrase=f.evidence, source=f.source))
    return tuple(seen.values())


@dataclass(frozen=True)
class _AcuityVerdict:
    """What the learned acuity check does to a case: raise it to emergency, or only send it to a clinician."""

    raise_to_emergency: bool
    evidence: Evidence


def _acuity_check(bundle: PolicyBundle, facts: CaseFacts, disposition: str) -> _AcuityVerdict | None:
    """The learned acuity check's verdict on a case the rules put below emergency, or None.

    Only when ``engine.acuity_model`` is set, the check scored the case and ``disposition`` is less acute than
    emergency. A score reaching ``raise_at`` raises the case; with ``review_at`` set, a score in
    ``[review_at, raise_at)`` sends it to a clinician and leaves the disposition as it is.
    """
    model = bundle.engine.acuity_model
    score = facts.acuity_probability
    emergency = bundle.engine.emergency_disposition
    if model is None or score is None:
        return None
    if bundle.disposition(disposition).rank >= bundle.disposition(emergency).rank:
        return None
    raise_to_emergency = score >= model.raise_at
    if raise_to_emergency:
        phrase = f"P(emergency) {score:.2f} >= {model.raise_at:.2f} from the nearest labelled vignettes"
    elif model.review_at is not None and score >= model.review_at:
        phrase = (
            f"P(emergency) {score:.2f} >= {model.review_at:.2f} (below the raise point {model.raise_at:.2f}) "
            "from the nearest labelled vignettes: a clinician reviews"
        )
    else:
        return None
    evidence = Evidence(concept_id=ACUITY_CONCEPT, phrase=phrase, source="model", score=score)
    return _AcuityVerdict(raise_to_emergency, evidence)


def decide(bundle: PolicyBundle, facts: CaseFacts) -> Decision:
    """The disposition for ``facts`` with its confidence, fired rule ids and evidence."""
    settings = bundle.engine
    conf = settings.confidence
    ranks = {d.id: d.rank for d in bundle.dispositions}
    case = CaseView.of(facts, warning=settings.early_warning)
    # Red flags are sticky: later context or answers never undo one that fired earlier.
    current = detect_red_flags(bundle, facts)
    known = {hit.red_flag_id for hit in current}
    flags = (*current, *(hit for hit in facts.fired_red_flags if hit.red_flag_id not in known))
    fired = [(p, first_rule(p, case)) for p in active_protocols(bundle, facts)]
    reasons: list[ClinicianReason] = []
    near_misses: tuple[Evidence, ...] = ()
    if flags:
        disposition = settings.emergency_disposition
        confidence = conf.red_flag
        evidence_findings = [f for f in case.present.values() if any(f.evidence in h.evidence for h in flags)]
        decisive = [rule for _, rule in fired]
    elif fired:
        top = max(ranks[rule.disposition] for _, rule in fired)
        decisive = [rule for _, rule in fired if ranks[rule.disposition] == top]
        disposition = decisive[0].disposition
        specific = [rule for rule in decisive if is_specific(rule.when)]
        evidence_findings = [f for rule in specific for f in supporting(rule.when, case)]
        evidence_findings += [f for p, r in fired if r in decisive for f in case.present.values()
                              if f.concept_id in p.triggers]  # fmt: skip
        confidence = conf.specific_rule if specific else conf.default_rule
        if any(f.source == "embedding" for f in evidence_findings):
            confidence *= conf.embedding_evidence_weight
        confidence -= conf.unknown_answer_penalty * len(facts.unknown_question_ids)
    else:
        disposition, confidence, decisive, evidence_findings = (
            _fallback(settings, case),
            conf.no_complaint,
            [],
            [],
        )
        reasons.append("no_complaint_recognised")
    confidence = max(0.0, min(1.0, confidence))
    if not flags:
        unsure = any(_unanswered_medicine_default(bundle, facts, p, r) for p, r in fired if r in decisive)
        if (confidence < conf.needs_clinician_below or unsure) and "no_complaint_recognised" not in reasons:
            reasons.append("low_confidence")
        if facts.conflicts:
            reasons.append("conflicting_evidence")
        if _high_risk(bundle, facts):
            reasons.append("high_risk_group")
        if _review_finding(settings, case, disposition):
            reasons.append("high_risk_finding")
        near_misses = possible_red_flags(bundle, facts)  # reviewed, never acted on (no over-triage by guess)
        if near_misses:
            reasons.append("possible_red_flag")
    acuity = _acuity_check(bundle, facts, disposition) if not flags else None
    raised = acuity is not None and acuity.raise_to_emergency
    if acuity is not None:
        reasons.append("possible_emergency")
    if raised:
        disposition = settings.emergency_disposition
    chosen = bundle.disposition(disposition)
    return Decision(
        disposition=disposition,
        acuity_rank=chosen.rank,
        confidence=round(confidence, 3),
        fired_rule_ids=(
            *(h.red_flag_id for h in flags),
            *(rule.id for rule in decisive),
            *((ACUITY_RULE_ID,) if raised else ()),
        ),
        red_flags=flags,
        evidence=(
            *_evidence(evidence_findings),
            *near_misses,
            *((acuity.evidence,) if acuity is not None else ()),
        ),
        needs_clinician=bool(reasons),
        clinician_reasons=tuple(reasons),
        patient_message=chosen.patient_message,
        safety_net=chosen.safety_net,
    )


def floor_disposition(bundle: PolicyBundle, engine_disposition: str, proposed: str | None) -> str:
    """The more acute of the engine's disposition and one proposed by a model (never lower).

    Raises:
        KeyError: ``engine_disposition`` or ``proposed`` is not a disposition id.
    """
    if proposed is None:
        return engine_disposition
    engine_rank = bundle.disposition(engine_disposition).rank
    return proposed if bundle.disposition(proposed).rank > engine_rank else engine_disposition
