"""Review band below the acuity raise point: choose it on the training pool, judge it on a blind batch.

Fourth design of ``docs/acuity_escalation_experiment.md`` (pre-registered). Two steps:

``python -m backend.evals.review_band_experiment choose --train backend/triage/dev_vignettes.jsonl
--train backend/triage/acuity_training.jsonl`` prints, for the shipped 7-NN check cross-fitted on the
training pool, the share of non-emergencies at or above each grid point and the band's lower edge: the
smallest grid point below the shipped policy's ``raise_at`` whose share is at most
:data:`MAX_REVIEW_FLAG_RATE`.

``python -m backend.evals.review_band_experiment judge --target-cases LP9.jsonl --target-off off.json
--target-on on.json --everyday-cases EV2.jsonl --everyday-off ev_off.json --everyday-on ev_on.json``
compares ``triage-eval vignettes --json`` runs without and with the band and prints the verdict. The
band never changes a disposition; a case it sends to a clinician is one escalated with the band on and
not without it.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from backend.evals.acuity_escalation_experiment import (
    EMERGENCY,
    GRID,
    TargetRules,
    cross_fitted_emergency,
    load_target_rules,
    pick_threshold,
)
from backend.evals.cases import CaseFileError, EvalCase, load_cases
from backend.evals.second_opinion_experiment import ExperimentError, minilm_embed
from clinical_policies import load_policy_bundle

MODEL = "knn"  # the shipped check (engine.yaml acuity_model: 7 neighbours, distance-weighted)
MAX_REVIEW_FLAG_RATE = 0.20  # cross-fitted share of the pool's non-emergencies at or above the lower edge
MIN_SILENT_MISSES = 4  # power: fewer silent misses without the band and the result is inconclusive
MIN_CATCH = 0.50  # share of those silent misses the band must send to a clinician
MAX_TARGET_NEW_ESCALATIONS = 0.15  # of the target's non-emergencies
MAX_EVERYDAY_NEW_ESCALATIONS = 0.10  # of the everyday messages


def choose_lower_edge(
    scores: np.ndarray, labels: Sequence[str], raise_at: float
) -> tuple[float | None, dict[str, float]]:
    """The band's lower edge (None if no grid point below ``raise_at`` qualifies) and each point's rate."""
    benign = np.array([label != EMERGENCY for label in labels])
    if not benign.any():
        raise ExperimentError("the training pool has no non-emergency case")
    grid = tuple(p for p in GRID if p < raise_at)
    rates = {f"{p:.2f}": float((scores[benign] >= p).mean()) for p in grid}
    edge = pick_threshold(scores, labels, MAX_REVIEW_FLAG_RATE, grid)
    return (edge if edge in grid else None), rates


@dataclass(frozen=True)
class BandVerdict:
    """What the band did on the target and the everyday set, and the pre-registered verdict."""

    emergencies: int
    silent_misses_off: int  # emergencies under-triaged and not sent to a clinician, band off
    silent_misses_caught: int  # of those, sent to a clinician with the band on
    non_emergencies: int
    non_emergencies_newly_escalated: int
    everyday: int
    everyday_newly_escalated: int
    dispositions_changed: int
    powered: bool
    passes: bool


def _same_cases(cases: Sequence[EvalCase], *runs: TargetRules) -> None:
    ids = {c.id for c in cases}
    for run in runs:
        if set(run.predicted) != ids:
            raise ExperimentError(
                f"a run's case ids differ from the case file's ({len(run.predicted)} vs {len(ids)})"
            )


def judge_band(
    target: Sequence[EvalCase],
    off: TargetRules,
    on: TargetRules,
    everyday: Sequence[EvalCase],
    everyday_off: TargetRules,
    everyday_on: TargetRules,
) -> BandVerdict:
    """Count the band's effect; see the module docstring for the rule."""
    _same_cases(target, off, on)
    _same_cases(everyday, everyday_off, everyday_on)
    if not everyday:
        raise ExperimentError("everyday set: no cases")
    silent = [
        c.id
        for c in target
        if c.gold_triage == EMERGENCY and off.predicted[c.id] != EMERGENCY and not off.escalated[c.id]
    ]
    caught = sum(on.escalated[i] for i in silent)
    benign = [c.id for c in target if c.gold_triage != EMERGENCY]
    new_benign = sum(on.escalated[i] and not off.escalated[i] for i in benign)
    new_everyday = sum(everyday_on.escalated[c.id] and not everyday_off.escalated[c.id] for c in everyday)
    changed = sum(off.predicted[c.id] != on.predicted[c.id] for c in target) + sum(
        everyday_off.predicted[c.id] != everyday_on.predicted[c.id] for c in everyday
    )
    powered = len(silent) >= MIN_SILENT_MISSES
    passes = (
        powered
        and caught >= MIN_CATCH * len(silent)
        and new_benign <= MAX_TARGET_NEW_ESCALATIONS * len(benign)
        and new_everyday <= MAX_EVERYDAY_NEW_ESCALATIONS * len(everyday)
        and changed == 0
    )
    return BandVerdict(
        emergencies=sum(c.gold_triage == EMERGENCY for c in target),
        silent_misses_off=len(silent),
        silent_misses_caught=caught,
        non_emergencies=len(benign),
        non_emergencies_newly_escalated=new_benign,
        everyday=len(everyday),
        everyday_newly_escalated=new_everyday,
        dispositions_changed=changed,
        powered=powered,
        passes=passes,
    )


def _choose(args: argparse.Namespace) -> int:
    train = [case for path in args.train for case in load_cases(path)]
    labels = [c.gold_triage for c in train]
    settings = load_policy_bundle().engine.acuity_model
    if settings is None:
        raise ExperimentError("the policy has no acuity_model: there is no raise point to put a band under")
    raise_at = settings.raise_at
    scores = cross_fitted_emergency(MODEL, minilm_embed([c.text for c in train]), labels)
    edge, rates = choose_lower_edge(scores, labels, raise_at)
    print(f"training pool {len(train)} cases; cross-fitted {MODEL} share of non-emergencies at or above p:")
    for p, rate in rates.items():
        print(f"  p = {p}: {rate:.3f}")
    print(
        f"raise point {raise_at:.2f}: {float((scores[np.array(labels) != EMERGENCY] >= raise_at).mean()):.3f}"
    )
    print("band lower edge:", "none qualifies" if edge is None else f"{edge:.2f}")
    if args.json:
        args.json.write_text(json.dumps({"lower_edge": edge, "rates": rates}, indent=1), encoding="utf-8")
    return 0


def _judge(args: argparse.Namespace) -> int:
    verdict = judge_band(
        load_cases(args.target_cases),
        load_target_rules(args.target_off),
        load_target_rules(args.target_on),
        load_cases(args.everyday_cases),
        load_target_rules(args.everyday_off),
        load_target_rules(args.everyday_on),
    )
    print(
        f"target: {verdict.emergencies} emergencies, {verdict.silent_misses_off} silent misses without the "
        f"band, {verdict.silent_misses_caught} of them sent to a clinician with it"
    )
    print(
        f"newly escalated: {verdict.non_emergencies_newly_escalated}/{verdict.non_emergencies} target "
        f"non-emergencies, {verdict.everyday_newly_escalated}/{verdict.everyday} everyday messages; "
        f"dispositions changed: {verdict.dispositions_changed}"
    )
    status = (
        "SHIPS"
        if verdict.passes
        else ("does not ship" if verdict.powered else "inconclusive (too few silent misses)")
    )
    print("verdict:", status)
    if args.json:
        args.json.write_text(json.dumps(asdict(verdict), indent=1), encoding="utf-8")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Command line; exit 2 on unreadable inputs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    choose = sub.add_parser("choose", help="the band's lower edge from the training pool")
    choose.add_argument(
        "--train", type=Path, action="append", required=True, help="training vignettes (repeat)"
    )
    choose.add_argument("--json", type=Path, default=None)
    judge = sub.add_parser("judge", help="the verdict from triage-eval runs without and with the band")
    for name in ("target-cases", "target-off", "target-on", "everyday-cases", "everyday-off", "everyday-on"):
        judge.add_argument(f"--{name}", type=Path, required=True)
    judge.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    try:
        return _choose(args) if args.command == "choose" else _judge(args)
    except (CaseFileError, ExperimentError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
