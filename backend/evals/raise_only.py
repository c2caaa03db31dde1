"""Raise-only combination of a model's acuity probabilities with the rules, and the metrics to judge it.

Pure functions used by :mod:`backend.evals.second_opinion_experiment` (pre-registered: the combination
may only RAISE acuity over the rules' disposition, never lower it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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
    """Accuracy, emergency recall, under- and over-triage, as ``triage-eval`` computes them.

    Correct: the prediction is in the acceptable list (the gold label when the list is empty). Under-triage:
    less acute than every acceptable level (or missing); over-triage: more acute than every acceptable level.
    The emergency level is ``levels[0]``.
    """
    if not len(predicted) == len(gold) == len(acceptable):
        raise ValueError("predicted, gold and acceptable differ in length")
    emergency = levels[0]
    n = len(predicted)
    correct = under = over = emergencies = caught = 0
    for pred, gold_label, allowed in zip(predicted, gold, acceptable, strict=True):
        ok_levels = tuple(allowed) or (gold_label,)
        correct += pred in ok_levels
        rank = _rank(pred, levels)
        if rank < min(_rank(a, levels) for a in ok_levels):
            under += 1
        elif rank > max(_rank(a, levels) for a in ok_levels):
            over += 1
        if gold_label == emergency:
            emergencies += 1
            caught += pred == emergency
    return Scores(
        n=n,
        correct=correct,
        accuracy=correct / n if n else None,
        emergencies=emergencies,
        emergencies_caught=caught,
        missed_emergencies=emergencies - caught,
        emergency_recall=caught / emergencies if emergencies else None,
        under_triage_rate=under / n if n else None,
        over_triage_rate=over / n if n else None,
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
