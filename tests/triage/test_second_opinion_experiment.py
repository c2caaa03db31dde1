import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from backend.evals.raise_only import Scores, raise_only, score, transfers
from backend.evals.second_opinion_experiment import ExperimentError, batch_number, fit_predict_proba, main

LEVELS = ("emergency", "urgent", "non_urgent", "self_care")


@pytest.mark.parametrize(
    ("rules", "probs", "threshold", "expected"),
    [
        # P(>= emergency) = 0.75 >= 0.7: raised to emergency
        ("urgent", (0.75, 0.05, 0.1, 0.1), 0.7, "emergency"),
        # P(>= emergency) = 0.6 < 0.7 and urgent is the rules' own level: unchanged
        ("urgent", (0.6, 0.3, 0.05, 0.05), 0.7, "urgent"),
        # cumulative: P(>= urgent) = 0.4 + 0.35 = 0.75 raises self_care to urgent, not emergency
        ("self_care", (0.4, 0.35, 0.15, 0.1), 0.7, "urgent"),
        # never lowers: the model is sure of self_care, the rules said emergency
        ("emergency", (0.0, 0.0, 0.0, 1.0), 0.5, "emergency"),
        # the most acute qualifying level wins at a low threshold
        ("non_urgent", (0.5, 0.3, 0.1, 0.1), 0.5, "emergency"),
        # exactly at the threshold counts
        ("non_urgent", (0.2, 0.5, 0.2, 0.1), 0.7, "urgent"),
        # an engine failure can be raised (it ranks below every level)
        (None, (0.9, 0.05, 0.05, 0.0), 0.7, "emergency"),
    ],
)
def test_raise_only(rules: str | None, probs: tuple[float, ...], threshold: float, expected: str) -> None:
    assert raise_only(rules, probs, LEVELS, threshold) == expected


def test_raise_only_rejects_misaligned_probabilities() -> None:
    with pytest.raises(ValueError):
        raise_only("urgent", (0.5, 0.5), LEVELS, 0.7)


def test_score_counts_accuracy_recall_under_and_over_triage() -> None:
    predicted = ["emergency", "urgent", "emergency", "self_care", None]
    gold = ["emergency", "emergency", "non_urgent", "urgent", "self_care"]
    acceptable: list[Sequence[str]] = [(), (), ("non_urgent", "urgent"), (), ()]
    s = score(predicted, gold, acceptable, LEVELS)
    assert s.n == 5
    assert s.correct == 1
    assert s.accuracy == pytest.approx(0.2)
    assert (s.emergencies, s.emergencies_caught, s.missed_emergencies) == (2, 1, 1)
    assert s.emergency_recall == pytest.approx(0.5)
    assert s.under_triage_rate == pytest.approx(3 / 5)  # urgent for emergency, self_care for urgent, None
    assert s.over_triage_rate == pytest.approx(1 / 5)  # emergency above the acceptable non_urgent/urgent


def test_acceptable_list_makes_a_non_gold_answer_correct() -> None:
    s = score(["urgent"], ["non_urgent"], [("non_urgent", "urgent")], LEVELS)
    assert s.correct == 1 and s.over_triage_rate == 0.0


def _scores(missed: int, accuracy: float) -> Scores:
    return Scores(100, int(accuracy * 100), accuracy, 10, 10 - missed, missed, (10 - missed) / 10, 0.0, 0.0)


@pytest.mark.parametrize(
    ("rules", "combined", "expected"),
    [
        (_scores(10, 0.80), _scores(7, 0.78), True),  # exactly 30% fewer, exactly 2 points lower
        (_scores(10, 0.80), _scores(8, 0.90), False),  # only 20% fewer misses
        (_scores(10, 0.80), _scores(0, 0.77), False),  # 3 points lower
        (_scores(0, 0.80), _scores(0, 0.80), True),  # nothing to catch, nothing lost
    ],
)
def test_transfers_decision_rule(rules: Scores, combined: Scores, expected: bool) -> None:
    assert transfers(rules, combined) is expected


def test_batch_number_orders_batches_as_written() -> None:
    assert batch_number("DEV-EM-001") == 1
    assert batch_number("DEV9-UR-003") == 9
    assert batch_number("DEV12-042") == 12
    with pytest.raises(ExperimentError):
        batch_number("SEMIGRAN-01")


def test_probability_columns_follow_levels_even_for_unseen_classes() -> None:
    train_x = np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [0.1, 0.9]])
    train_y = ["self_care", "self_care", "emergency", "emergency"]
    probs = fit_predict_proba("logreg", train_x, train_y, np.array([[0.0, 1.0]]), LEVELS)
    assert probs.shape == (1, 4)
    assert probs[0, 0] > 0.5 > probs[0, 3]
    assert probs[0, 1] == probs[0, 2] == 0.0


def _fake_embed(texts: Sequence[str]) -> NDArray[np.float64]:
    """Two-dimensional: 'crushing' texts one way, the rest the other."""
    return np.array([[1.0, 0.0] if "crushing" in t else [0.0, 1.0] for t in texts])


def test_end_to_end_trains_only_on_earlier_batches(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [
        *({"id": f"DEV-EM-{i}", "text": "crushing chest pain", "gold_triage": "emergency"} for i in range(8)),
        *({"id": f"DEV-SC-{i}", "text": "mild cold", "gold_triage": "self_care"} for i in range(8)),
        {"id": "DEV2-1", "text": "crushing pain in the chest", "gold_triage": "emergency"},
        {"id": "DEV2-2", "text": "a cold", "gold_triage": "self_care"},
        # a later batch that would teach the opposite; it must not be used to train DEV2's models
        *({"id": f"DEV3-{i}", "text": "crushing", "gold_triage": "self_care"} for i in range(40)),
    ]
    dev = tmp_path / "dev.jsonl"
    dev.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    rules = tmp_path / "rules.json"
    rules.write_text(
        json.dumps(
            {
                "policy_version": "t",
                "metrics": {"levels": list(LEVELS)},
                "results": [
                    {"id": "DEV2-1", "predicted": "urgent"},
                    {"id": "DEV2-2", "predicted": "self_care"},
                ],
            }
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out.json"
    assert main(["--dev", str(dev), "--target", f"T={rules}", "--json", str(out)], embed=_fake_embed) == 0
    payload = json.loads(out.read_text())
    combo = next(r for r in payload["rows"] if r["system"] == "rules+logreg" and r["p"] == 0.7)
    assert (combo["missed_emergencies"], combo["correct"], combo["raised"]) == (0, 2, 1)
    assert payload["targets"]["T"]["n_train"] == 16
    assert payload["verdict"]["transfers"] is True
    assert "TRANSFERS" in capsys.readouterr().out


def test_bad_target_spec_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--target", "no-equals-sign", "--json", str(tmp_path / "o.json")], embed=_fake_embed) == 2
    assert "expected NAME=PATH" in capsys.readouterr().err
