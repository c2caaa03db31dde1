"""The review band's experiment: edge chosen on training scores only, verdict from triage-eval runs."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from backend.evals.acuity_escalation_experiment import TargetRules
from backend.evals.cases import EvalCase
from backend.evals.review_band_experiment import choose_lower_edge, judge_band, main
from backend.evals.second_opinion_experiment import ExperimentError


def test_lower_edge_is_the_smallest_grid_point_within_the_review_budget() -> None:
    labels = ["emergency"] * 3 + ["urgent"] * 10
    # non-emergency scores: three at 0.42 (30% at 0.40), one at 0.5 (10% from 0.45 up)
    scores = np.array([0.9, 0.9, 0.9, 0.42, 0.42, 0.42, 0.5] + [0.1] * 6)
    edge, rates = choose_lower_edge(scores, labels, raise_at=0.60)
    assert edge == 0.45
    assert rates["0.40"] == pytest.approx(0.4) and rates["0.45"] == pytest.approx(0.1)
    assert choose_lower_edge(np.full(4, 0.9), ["urgent"] * 4, raise_at=0.60)[0] is None
    with pytest.raises(ExperimentError):
        choose_lower_edge(np.array([0.9]), ["emergency"], raise_at=0.60)


def _runs(predicted: dict[str, str], escalated: set[str]) -> TargetRules:
    return TargetRules("x", predicted, {k: k in escalated for k in predicted})


def test_verdict_counts_silent_misses_caught_and_new_escalations() -> None:
    target = [EvalCase(id=f"e{i}", text=f"e{i}", gold_triage="emergency") for i in range(5)]
    target += [EvalCase(id=f"n{i}", text=f"n{i}", gold_triage="urgent") for i in range(10)]
    everyday = [EvalCase(id=f"d{i}", text=f"d{i}", gold_triage="self_care") for i in range(10)]
    predicted = (
        {"e0": "emergency"}
        | {f"e{i}": "urgent" for i in range(1, 5)}
        | {f"n{i}": "urgent" for i in range(10)}
    )
    off = _runs(predicted, {"e1"})  # e2, e3, e4 silent: only three, the test is not powered
    on = _runs(predicted, {"e1", "e2", "e3", "n0"})
    daily = {f"d{i}": "self_care" for i in range(10)}
    verdict = judge_band(target, off, on, everyday, _runs(daily, set()), _runs(daily, {"d0"}))
    assert (verdict.silent_misses_off, verdict.silent_misses_caught) == (3, 2)
    assert (verdict.non_emergencies_newly_escalated, verdict.everyday_newly_escalated) == (1, 1)
    assert not verdict.powered and not verdict.passes
    powered_off = _runs(predicted, set())  # four silent misses, the band sends two: 50% passes
    verdict = judge_band(target, powered_off, on, everyday, _runs(daily, set()), _runs(daily, {"d0"}))
    assert verdict.powered and verdict.passes
    too_many = _runs(daily, {"d0", "d1"})  # 20% of everyday messages newly escalated: over 10%
    assert not judge_band(target, powered_off, on, everyday, _runs(daily, set()), too_many).passes
    changed = _runs(predicted | {"n1": "emergency"}, {"e1", "e2", "e3", "n0"})
    verdict = judge_band(target, powered_off, changed, everyday, _runs(daily, set()), _runs(daily, set()))
    assert verdict.dispositions_changed == 1 and not verdict.passes


def test_runs_of_other_cases_are_an_error_and_the_command_exits_2(tmp_path: Path) -> None:
    target = [EvalCase(id="a", text="a", gold_triage="emergency")]
    with pytest.raises(ExperimentError, match="case ids differ"):
        judge_band(
            target,
            _runs({"b": "urgent"}, set()),
            _runs({"a": "urgent"}, set()),
            target,
            *[_runs({"a": "x"}, set())] * 2,
        )
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"results": []}))
    cases = tmp_path / "cases.jsonl"
    cases.write_text(json.dumps({"id": "a", "text": "chest pain", "gold_triage": "emergency"}) + "\n")
    args = ["judge", "--target-cases", str(cases), "--everyday-cases", str(cases)]
    for flag in ("--target-off", "--target-on", "--everyday-off", "--everyday-on"):
        args += [flag, str(bad)]
    assert main(args) == 2
