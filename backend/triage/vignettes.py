"""Run vignettes through the engine (answering follow-ups with "I don't know") and score them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from backend.triage.engine import TriageEngine
from backend.triage.types import Assessment, Frozen


class VignetteCase(Frozen):
    """One vignette: patient text and the gold disposition(s)."""

    id: str
    text: str
    gold_triage: str
    gold_triage_acceptable: tuple[str, ...] = ()


class CaseResult(Frozen):
    """The engine's final assessment of one vignette, compared with the gold label."""

    id: str
    gold_triage: str
    predicted: str
    correct: bool
    questions_asked: int
    fired_rule_ids: tuple[str, ...]
    needs_clinician: bool


class VignetteReport(Frozen):
    """Accuracy, emergency recall, under/over-triage and the confusion matrix (gold -> predicted -> n)."""

    n: int
    accuracy: float
    emergency_recall: float | None
    under_triage_rate: float
    over_triage_rate: float
    confusion: dict[str, dict[str, int]]
    results: tuple[CaseResult, ...]


def run_case(engine: TriageEngine, text: str, answer: str | None = None) -> Assessment:
    """Assess ``text`` and answer every follow-up with ``answer`` (default: the first "I don't know")."""
    reply = answer if answer is not None else engine.bundle.symptoms.answers.dont_know[0]
    assessment = engine.assess(None, text)
    for _ in range(engine.bundle.engine.max_followup_turns + 1):
        if assessment.complete:
            break
        assessment = engine.assess(assessment.facts, reply)
    return assessment


def score(engine: TriageEngine, cases: Iterable[VignetteCase], answer: str | None = None) -> VignetteReport:
    """Run every case and compute the metrics; a case is correct when the prediction is acceptable."""
    ranks = {d.id: d.rank for d in engine.bundle.dispositions}
    emergency = engine.bundle.engine.emergency_disposition
    results = []
    for case in cases:
        final = run_case(engine, case.text, answer)
        predicted = final.decision.disposition
        acceptable = case.gold_triage_acceptable or (case.gold_triage,)
        results.append(
            CaseResult(
                id=case.id,
                gold_triage=case.gold_triage,
                predicted=predicted,
                correct=predicted in acceptable,
                questions_asked=final.facts.followup_turns,
                fired_rule_ids=final.decision.fired_rule_ids,
                needs_clinician=final.decision.needs_clinician,
            )
        )
    return _report(results, ranks, emergency)


def _report(results: Sequence[CaseResult], ranks: dict[str, int], emergency: str) -> VignetteReport:
    n = len(results)
    wrong = [r for r in results if not r.correct]
    emergencies = [r for r in results if r.gold_triage == emergency]
    confusion: dict[str, dict[str, int]] = {g: dict.fromkeys(ranks, 0) for g in ranks}
    for r in results:
        confusion[r.gold_triage][r.predicted] += 1
    return VignetteReport(
        n=n,
        accuracy=sum(r.correct for r in results) / n if n else 0.0,
        emergency_recall=(
            sum(r.predicted == emergency for r in emergencies) / len(emergencies) if emergencies else None
        ),
        under_triage_rate=sum(ranks[r.predicted] < ranks[r.gold_triage] for r in wrong) / n if n else 0.0,
        over_triage_rate=sum(ranks[r.predicted] > ranks[r.gold_triage] for r in wrong) / n if n else 0.0,
        confusion=confusion,
        results=tuple(results),
    )
