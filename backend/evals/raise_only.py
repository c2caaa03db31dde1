"""Raise-only combination of a model's acuity probabilities with the rules, and the metrics to judge it.

Pure functions used by :mod:`backend.evals.second_opinion_experiment` (pre-registered: the combination
may only RAISE acuity over the rules' disposition, never lower it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from backend.evals.agent_runner import CaseOutcome
from backend.evals.report import metrics

MIN_MISS_REDUCTION = 0.30  # missed emergencies must fall by at least this fraction ...
MAX_ACCURACY_DROP = 0.02  # ... while accuracy falls by at most this (2 points)


@dataclass(frozen=True)
class Scores:
    """Metrics of one set of predictions; rates are fractions of ``n`` (None when ``n`` is 0)."""

    n: int
    correct: int
    accuracy: float | None
    emergencies: int
    emergencies_caught: int
    missed_emergencies: int
    emergency_recall: float | None
    under_triage_rate: float | None
    over_triage_rate: float | None


def _rank(disposition: str | None, levels: Sequence[str]) -> int:
    """Acuity rank: 0 = least acute level; a missing disposition ranks below every level."""
    if disposition is None or disposition not in levels:
        return -1
    return len(levels) - 1 - levels.index(disposition)


def raise_only(
    rules: str | None, probabilities: Sequence[float], levels: Sequence[str], threshold: float
) -> str | None:
    """The rules' disposition, raised to the most acute level L with P(acuity >= L) >= ``threshold``.

    Args:
        rules: the rules' disposition (None if the engine failed).
        probabilities: model class probabilities, aligned with ``levels``.
        levels: dispositions, most acute first.
        threshold: p; a level is only considered if it is more acute than the rules' one.

    Returns:
        A disposition never less acute than ``rules``.
    """
    if len(probabilities) != len(levels):
        raise ValueError(f"{len(probabilities)} probabilities for {len(levels)} levels")
    rules_rank = _rank(rules, levels)
    cumulative = 0.0
    for index, level in enumerate(levels):  # most acute first: cumulative = P(acuity >= level)
        cumulative += probabilities[index]
        if _rank(level, levels) <= rules_rank:
            break
        if cumulative >= threshold - 1e-12:
            return level
    return rules


def score(
    predicted: Sequence[str | None],
    gold: Sequence[str],
    acceptable: Sequence[Sequence[str]],
    levels: Sequence[str],
) -> Scores:
    """Accuracy, emergency recall, under- and over-triage: ``triage-eval``'s own :func:`metrics`.

    Correct: the prediction is in the acceptable list (the gold label when the list is empty). Under-triage:
    less acute than every acceptable level (or missing); over-triage: more acute than every acceptable level.
    The emergency level is ``levels[0]``.
    """
    if not len(predicted) == len(gold) == len(acceptable):
        raise ValueError("predicted, gold and acceptable differ in length")
    outcomes = [
        CaseOutcome(
            id=str(i),
            gold_triage=gold_label,
            acceptable=tuple(allowed) or (gold_label,),
            predicted=pred,
            rule_ids=(),
            turns=1,
            escalated=False,
        )
        for i, (pred, gold_label, allowed) in enumerate(zip(predicted, gold, acceptable, strict=True))
    ]
    ranks = {level: len(levels) - 1 - index for index, level in enumerate(levels)}
    summary = metrics(outcomes, ranks, levels[0])
    return Scores(
        n=summary["n"],
        correct=sum(o.predicted in o.acceptable for o in outcomes),
        accuracy=summary["accuracy"],
        emergencies=summary["emergencies"],
        emergencies_caught=summary["emergencies_caught"],
        missed_emergencies=summary["emergencies"] - summary["emergencies_caught"],
        emergency_recall=summary["emergency_recall"],
        under_triage_rate=summary["under_triage_rate"],
        over_triage_rate=summary["over_triage_rate"],
    )


def transfers(
    rules: Scores,
    combined: Scores,
    min_miss_reduction: float = MIN_MISS_REDUCTION,
    max_accuracy_drop: float = MAX_ACCURACY_DROP,
) -> bool:
    """The pre-registered per-target test: misses fall by >= 30% and accuracy by <= 2 points.

    "Fall by at least 30%" means ``combined misses <= 0.7 * rules misses`` (so 0 -> 0 passes).
    """
    if rules.accuracy is None or combined.accuracy is None:
        raise ValueError("no cases to judge")
    fewer_misses = combined.missed_emergencies <= (1 - min_miss_reduction) * rules.missed_emergencies + 1e-9
    accuracy_held = combined.accuracy >= rules.accuracy - max_accuracy_drop - 1e-9
    return fewer_misses and accuracy_held
