"""Escalate-only learned "possible emergency" flag, scored on a blind batch (pre-registered).

``python -m backend.evals.acuity_escalation_experiment --train backend/triage/dev_vignettes.jsonl
--train backend/triage/acuity_training.jsonl --target-cases LP6.jsonl --target-rules rules_lp6.json
--json OUT.json``

Design and decision rule: ``docs/acuity_escalation_experiment.md``. The flag never changes a
disposition: a case whose rules' disposition is not emergency goes to a clinician when the model's
P(emergency) >= p. The primary model (logistic regression or 7-NN on MiniLM embeddings) is the one
with the higher cross-fitted AUC on the training pool; p is the smallest grid value whose
cross-fitted flag rate on the pool's non-emergency cases is at most :data:`MAX_TRAIN_FLAG_RATE`.
The target batch never influences either choice.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from backend.evals.cases import CaseFileError, EvalCase, load_cases
from backend.evals.raise_only import Scores, score
from backend.evals.second_opinion_experiment import (
    MODELS,
    Embed,
    ExperimentError,
    fit_predict_proba,
    minilm_embed,
)

EMERGENCY = "emergency"
LEVELS = ("emergency", "urgent", "non_urgent", "self_care")
FOLDS = 5
SEED = 0
GRID = tuple(round(0.30 + 0.05 * i, 2) for i in range(14))  # 0.30 ... 0.95
MAX_TRAIN_FLAG_RATE = 0.10  # cross-fitted flags on the training pool's non-emergency cases
MIN_CATCH_OF_SILENT_MISSES = 0.50  # (a) share of the target's silent misses the flag must reach
MAX_TARGET_FLAG_RATE = 0.15  # (b) share of the target's non-emergency cases it may flag
# Second design (raise-only, docs/acuity_escalation_experiment.md): judged on missed emergencies and accuracy.
MIN_RAISE_MISS_REDUCTION = 0.50
MAX_RAISE_ACCURACY_DROP = 0.02
# Third design: share of everyday non-emergency first messages it may raise.
MAX_EVERYDAY_RAISE_RATE = 0.05


@dataclass(frozen=True)
class TargetRules:
    """The rules' disposition and escalation per target case (a ``triage-eval --json`` file)."""

    policy_version: str
    predicted: dict[str, str | None]
    escalated: dict[str, bool]


@dataclass(frozen=True)
class Verdict:
    """What the flag did on the target and whether it passes the pre-registered rule."""

    model: str
    threshold: float
    train_auc: dict[str, float]
    train_flag_rate: float
    target_n: int
    target_emergencies: int
    rules_missed: int
    silent_misses: int  # under-triaged emergencies the engine did not send to a clinician
    silent_misses_flagged: int
    target_non_emergencies: int
    non_emergencies_flagged: int
    catch_share: float | None
    flag_rate: float | None
    passes: bool


def load_target_rules(path: Path) -> TargetRules:
    """Read ``metrics``/``results`` of a ``triage-eval vignettes --json`` file.

    Raises:
        ExperimentError: unreadable or without per-case results.
    """
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
        results = payload["results"]
        predicted = {str(r["id"]): r["predicted"] for r in results}
        escalated = {str(r["id"]): bool(r["escalated"]) for r in results}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ExperimentError(f"{path}: not a triage-eval --json file with results ({exc})") from exc
    if not predicted:
        raise ExperimentError(f"{path}: no results")
    return TargetRules(str(payload.get("policy_version", "?")), predicted, escalated)


def _auc(scores: NDArray[np.float64], positive: NDArray[np.bool_]) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(positive.astype(int), scores))


def cross_fitted_emergency(
    model: str, x: NDArray[np.float64], labels: Sequence[str], folds: int = FOLDS, seed: int = SEED
) -> NDArray[np.float64]:
    """P(emergency) for every training case from a model fit without its fold (stratified folds)."""
    from sklearn.model_selection import StratifiedKFold

    out = np.zeros(len(labels), dtype=np.float64)
    y = np.array(labels)
    for train, test in StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed).split(x, y):
        proba = fit_predict_proba(model, x[train], list(y[train]), x[test], LEVELS)
        out[test] = proba[:, LEVELS.index(EMERGENCY)]
    return out


def pick_threshold(
    scores: NDArray[np.float64], labels: Sequence[str], max_rate: float, grid: Sequence[float] = GRID
) -> float:
    """Smallest ``grid`` p flagging at most ``max_rate`` of the non-emergency cases (1.0 if none)."""
    benign = np.array([label != EMERGENCY for label in labels])
    for p in grid:
        if float((scores[benign] >= p).mean()) <= max_rate:
            return p
    return 1.0


def _require_rules(cases: Sequence[EvalCase], rules: TargetRules) -> None:
    """Raise ExperimentError when some case has no rules result."""
    missing = [c.id for c in cases if c.id not in rules.predicted]
    if missing:
        raise ExperimentError(f"{len(missing)} cases have no rules result (first: {missing[0]})")


def judge(
    cases: Sequence[EvalCase], rules: TargetRules, scores: NDArray[np.float64], threshold: float
) -> tuple[int, int, int, int, int, int]:
    """Counts of the flag on the target at ``threshold``.

    Returns:
        (emergencies, rules missed, silent misses = missed and not escalated, silent misses flagged,
        non-emergencies, non-emergencies flagged).
    """
    _require_rules(cases, rules)
    emergencies = missed = silent = silent_flagged = benign = benign_flagged = 0
    for case, value in zip(cases, scores, strict=True):
        predicted = rules.predicted[case.id]
        flagged = predicted != EMERGENCY and bool(value >= threshold)
        if case.gold_triage == EMERGENCY:
            emergencies += 1
            if predicted != EMERGENCY:
                missed += 1
                if not rules.escalated[case.id]:
                    silent += 1
                    silent_flagged += flagged
        else:
            benign += 1
            benign_flagged += flagged
    return emergencies, missed, silent, silent_flagged, benign, benign_flagged


@dataclass(frozen=True)
class RaiseVerdict:
    """Rules alone and rules with the raise-only flag on the target, and the pre-registered verdict."""

    rules: Scores
    combined: Scores
    raised: int
    passes: bool


def judge_raise(
    cases: Sequence[EvalCase], rules: TargetRules, scores: NDArray[np.float64], threshold: float
) -> RaiseVerdict:
    """Raise a non-emergency rules disposition to emergency when the score reaches ``threshold``."""
    _require_rules(cases, rules)
    before = [rules.predicted[c.id] for c in cases]
    after = [EMERGENCY if bool(value >= threshold) else p for p, value in zip(before, scores, strict=True)]
    gold = [c.gold_triage for c in cases]
    acceptable = [c.acceptable for c in cases]
    alone, combined = score(before, gold, acceptable, LEVELS), score(after, gold, acceptable, LEVELS)
    fewer = alone.missed_emergencies == 0 or combined.missed_emergencies <= (
        (1 - MIN_RAISE_MISS_REDUCTION) * alone.missed_emergencies
    )
    kept = (alone.accuracy or 0.0) - (combined.accuracy or 0.0) <= MAX_RAISE_ACCURACY_DROP + 1e-9
    raised = sum(a != b for a, b in zip(before, after, strict=True))
    return RaiseVerdict(alone, combined, raised, fewer and kept)


def everyday_raise_rate(
    cases: Sequence[EvalCase], rules: TargetRules, scores: NDArray[np.float64], threshold: float
) -> float:
    """Share of ``cases`` (everyday non-emergency messages) that the check would raise to emergency."""
    if not cases:
        raise ExperimentError("everyday set: no cases")
    _require_rules(cases, rules)
    raised = [
        rules.predicted[c.id] != EMERGENCY and bool(value >= threshold)
        for c, value in zip(cases, scores, strict=True)
    ]
    return sum(raised) / len(raised)


def run(
    train: Sequence[EvalCase],
    target: Sequence[EvalCase],
    rules: TargetRules,
    embed: Embed,
    everyday: tuple[Sequence[EvalCase], TargetRules] | None = None,
) -> tuple[Verdict, dict[str, Any]]:
    """Choose model and p on the training pool, then score the target once."""
    overlap = {c.text for c in train} & {c.text for c in target}
    if overlap:
        raise ExperimentError(f"{len(overlap)} target texts also occur in the training pool")
    x = embed([c.text for c in train])
    target_x = embed([c.text for c in target])
    labels = [c.gold_triage for c in train]
    positive = np.array([label == EMERGENCY for label in labels])
    cross = {m: cross_fitted_emergency(m, x, labels) for m in MODELS}
    aucs = {m: _auc(cross[m], positive) for m in MODELS}
    target_scores = {
        m: fit_predict_proba(m, x, labels, target_x, LEVELS)[:, LEVELS.index(EMERGENCY)] for m in MODELS
    }
    model = max(MODELS, key=lambda m: (aucs[m], m == "logreg"))
    threshold = pick_threshold(cross[model], labels, MAX_TRAIN_FLAG_RATE)
    emergencies, missed, silent, silent_flagged, benign, benign_flagged = judge(
        target, rules, target_scores[model], threshold
    )
    catch = silent_flagged / silent if silent else None
    rate = benign_flagged / benign if benign else None
    verdict = Verdict(
        model=model,
        threshold=threshold,
        train_auc=aucs,
        train_flag_rate=float((cross[model][~positive] >= threshold).mean()),
        target_n=len(target),
        target_emergencies=emergencies,
        rules_missed=missed,
        silent_misses=silent,
        silent_misses_flagged=silent_flagged,
        target_non_emergencies=benign,
        non_emergencies_flagged=benign_flagged,
        catch_share=catch,
        flag_rate=rate,
        passes=(catch is None or catch >= MIN_CATCH_OF_SILENT_MISSES)
        and rate is not None
        and rate <= MAX_TARGET_FLAG_RATE,
    )
    raise_verdict = judge_raise(target, rules, target_scores[model], threshold)
    everyday_rate = None
    if everyday is not None:
        everyday_cases, everyday_rules = everyday
        everyday_x = embed([c.text for c in everyday_cases])
        everyday_scores = fit_predict_proba(model, x, labels, everyday_x, LEVELS)[:, LEVELS.index(EMERGENCY)]
        everyday_rate = everyday_raise_rate(everyday_cases, everyday_rules, everyday_scores, threshold)
    # Diagnostics outside the decision: both models at every grid point.
    keys = ("emergencies", "missed", "silent", "silent_flagged", "benign", "benign_flagged")
    grid = {
        m: {
            str(p): dict(zip(keys, judge(target, rules, target_scores[m], p), strict=True))
            | {"train_flag_rate": float((cross[m][~positive] >= p).mean())}
            for p in GRID
        }
        for m in MODELS
    }
    third = raise_verdict.passes and everyday_rate is not None and everyday_rate <= MAX_EVERYDAY_RAISE_RATE
    return verdict, {
        "raise_only": asdict(raise_verdict),
        "everyday_raise_rate": everyday_rate,
        "third_design_passes": third if everyday is not None else None,
        "grid": grid,
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Command line; exit 2 on unreadable inputs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--train", type=Path, action="append", required=True, help="training vignettes (repeat)"
    )
    parser.add_argument("--target-cases", type=Path, required=True)
    parser.add_argument("--target-rules", type=Path, required=True, help="triage-eval --json of the target")
    parser.add_argument("--everyday-cases", type=Path, default=None, help="everyday non-emergency messages")
    parser.add_argument("--everyday-rules", type=Path, default=None, help="triage-eval --json of them")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    try:
        train = [case for path in args.train for case in load_cases(path)]
        target = load_cases(args.target_cases)
        rules = load_target_rules(args.target_rules)
        everyday = (
            (load_cases(args.everyday_cases), load_target_rules(args.everyday_rules))
            if args.everyday_cases and args.everyday_rules
            else None
        )
        verdict, extra = run(train, target, rules, minilm_embed, everyday)
    except (CaseFileError, ExperimentError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"training pool {len(train)} cases; cross-fitted AUC {verdict.train_auc}")
    print(
        f"primary model {verdict.model}, p = {verdict.threshold} (train non-emergency flag rate "
        f"{verdict.train_flag_rate:.3f}); rules policy {rules.policy_version}"
    )
    print(
        f"target: {verdict.target_emergencies} emergencies, rules missed {verdict.rules_missed}, "
        f"{verdict.silent_misses} of them not escalated; flag caught {verdict.silent_misses_flagged}"
    )
    print(
        f"target non-emergencies flagged: {verdict.non_emergencies_flagged}/{verdict.target_non_emergencies}"
    )
    print("escalate-only verdict:", "SHIPS" if verdict.passes else "does not ship")
    raised = extra["raise_only"]
    for name in ("rules", "combined"):
        row = raised[name]
        print(
            f"raise-only {name}: accuracy {row['accuracy']:.3f}, emergencies caught "
            f"{row['emergencies_caught']}/{row['emergencies']}, missed {row['missed_emergencies']}, "
            f"over-triage {row['over_triage_rate']:.3f}"
        )
    print(
        f"raise-only: {raised['raised']} raised; verdict:", "SHIPS" if raised["passes"] else "does not ship"
    )
    if extra["everyday_raise_rate"] is not None:
        rate, third = extra["everyday_raise_rate"], extra["third_design_passes"]
        print(f"everyday messages raised: {rate:.3f}; third design passes: {third}")
    if args.json:
        args.json.write_text(json.dumps({"verdict": asdict(verdict), **extra}, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
