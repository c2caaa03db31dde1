import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from backend.evals.acuity_escalation_experiment import (
    TargetRules,
    judge,
    judge_raise,
    load_target_rules,
    main,
    pick_threshold,
    run,
)
from backend.evals.cases import EvalCase
from backend.evals.second_opinion_experiment import ExperimentError


def _case(case_id: str, text: str, gold: str) -> EvalCase:
    return EvalCase(id=case_id, text=text, gold_triage=gold)


def test_pick_threshold_is_the_smallest_grid_point_within_the_budget() -> None:
    labels = ["emergency"] * 5 + ["urgent"] * 10
    # non-emergency scores: one at 0.62, one at 0.41, the rest low
    scores = np.array([0.9] * 5 + [0.62, 0.41] + [0.1] * 8)
    assert pick_threshold(scores, labels, max_rate=0.10) == 0.45  # flags 1/10 (0.62)
    assert pick_threshold(scores, labels, max_rate=0.0) == 0.65  # flags none
    assert pick_threshold(np.array([0.99, 0.99]), ["urgent", "urgent"], max_rate=0.0) == 1.0


def test_judge_counts_silent_misses_and_benign_flags() -> None:
    cases = [
        _case("a", "t1", "emergency"),  # rules caught it
        _case("b", "t2", "emergency"),  # missed, escalated already
        _case("c", "t3", "emergency"),  # missed, silent, flagged
        _case("d", "t4", "emergency"),  # missed, silent, not flagged
        _case("e", "t5", "urgent"),  # flagged
        _case("f", "t6", "self_care"),  # not flagged
        _case("g", "t7", "urgent"),  # rules said emergency: never counted as a flag
    ]
    rules = TargetRules(
        "0.8.4",
        {
            "a": "emergency",
            "b": "urgent",
            "c": "urgent",
            "d": "non_urgent",
            "e": "urgent",
            "f": "self_care",
            "g": "emergency",
        },
        {k: k == "b" for k in "abcdefg"},
    )
    scores = np.array([0.9, 0.9, 0.8, 0.2, 0.7, 0.1, 0.95])
    assert judge(cases, rules, scores, 0.5) == (4, 3, 2, 1, 3, 1)


def test_judge_rejects_a_target_case_without_rules_result() -> None:
    rules = TargetRules("x", {}, {})
    with pytest.raises(ExperimentError):
        judge([_case("a", "t", "urgent")], rules, np.array([0.1]), 0.5)


def _embed(texts: Sequence[str]) -> NDArray[np.float64]:
    """Two clusters: texts mentioning 'crushing' sit near one axis, the rest near the other."""
    rng = np.random.default_rng(len(texts))
    out = np.array([[1.0, 0.0] if "crushing" in t else [0.0, 1.0] for t in texts]) + rng.normal(
        0, 0.05, (len(texts), 2)
    )
    return out / np.linalg.norm(out, axis=1, keepdims=True)


def test_run_chooses_on_training_data_and_flags_the_separable_silent_miss() -> None:
    train = (
        [_case(f"e{i}", f"crushing pain {i}", "emergency") for i in range(20)]
        + [_case(f"u{i}", f"mild ache {i}", "urgent") for i in range(20)]
        + [_case(f"s{i}", f"sniffles {i}", "self_care") for i in range(20)]
    )
    target = [_case("t1", "crushing heaviness", "emergency"), _case("t2", "a sore knee", "urgent")]
    rules = TargetRules("0.8.4", {"t1": "urgent", "t2": "urgent"}, {"t1": False, "t2": False})
    verdict, extra = run(train, target, rules, _embed)
    assert verdict.silent_misses == 1 and verdict.silent_misses_flagged == 1
    assert verdict.non_emergencies_flagged == 0
    assert verdict.passes
    assert set(extra["grid"]) == {"logreg", "knn"}
    # raise-only on the same target: the missed emergency is raised, the urgent case kept
    assert extra["raise_only"]["raised"] == 1 and extra["raise_only"]["combined"]["missed_emergencies"] == 0


def test_run_refuses_a_target_text_seen_in_training() -> None:
    train = [_case("a", "same text", "urgent"), _case("b", "other", "emergency")]
    rules = TargetRules("x", {"t": "urgent"}, {"t": False})
    with pytest.raises(ExperimentError):
        run(train, [_case("t", "same text", "urgent")], rules, _embed)


def test_main_reports_unreadable_rules_with_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = tmp_path / "c.jsonl"
    cases.write_text(json.dumps({"id": "a", "text": "t", "gold_triage": "urgent"}) + "\n", encoding="utf-8")
    bad = tmp_path / "rules.json"
    bad.write_text("{}", encoding="utf-8")
    assert main(["--train", str(cases), "--target-cases", str(cases), "--target-rules", str(bad)]) == 2
    assert "not a triage-eval --json file" in capsys.readouterr().err
    with pytest.raises(ExperimentError):
        load_target_rules(tmp_path / "missing.json")


def test_judge_raise_requires_half_the_misses_and_at_most_two_points_of_accuracy() -> None:
    cases = [_case(f"e{i}", f"e{i}", "emergency") for i in range(4)] + [
        _case(f"u{i}", f"u{i}", "urgent") for i in range(6)
    ]
    predicted = {f"e{i}": "urgent" for i in range(4)} | {f"u{i}": "urgent" for i in range(6)}
    rules = TargetRules("x", predicted, {k: False for k in predicted})
    # two of four misses raised, no urgent case raised: misses 4 -> 2 (50%), accuracy 0.6 -> 0.8
    good = judge_raise(cases, rules, np.array([0.9, 0.9, 0.1, 0.1] + [0.1] * 6), 0.5)
    assert (good.rules.missed_emergencies, good.combined.missed_emergencies, good.raised) == (4, 2, 2)
    assert good.passes
    # the same catch but three urgent cases raised too: accuracy 0.6 -> 0.5, more than 2 points lost
    costly = judge_raise(cases, rules, np.array([0.9, 0.9, 0.1, 0.1, 0.9, 0.9, 0.9, 0.1, 0.1, 0.1]), 0.5)
    assert not costly.passes
    # one miss caught of four: 25% < 50%
    assert not judge_raise(cases, rules, np.array([0.9] + [0.1] * 9), 0.5).passes


def test_everyday_raise_rate_counts_only_non_emergency_rules_dispositions() -> None:
    from backend.evals.acuity_escalation_experiment import everyday_raise_rate

    cases = [_case(f"d{i}", f"d{i}", "self_care") for i in range(4)]
    rules = TargetRules("x", {"d0": "self_care", "d1": "urgent", "d2": "emergency", "d3": "self_care"}, {})
    # d1 raised; d2 already emergency by the rules (not the check's doing); d0, d3 below p
    assert everyday_raise_rate(cases, rules, np.array([0.1, 0.9, 0.9, 0.5]), 0.6) == 0.25
    with pytest.raises(ExperimentError):
        everyday_raise_rate(cases[:1], TargetRules("x", {}, {}), np.array([0.1]), 0.6)
