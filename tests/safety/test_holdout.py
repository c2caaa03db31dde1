"""Source-held-out cross-fitting and the exact threshold rule (issue 4, harm pass-through)."""

import numpy as np
import pytest

from safety.training.holdout import SHORT_SOURCE, holdout_report, source_folds
from safety.training.train import config_threshold, pick_threshold


def test_when_folds_are_by_source_then_each_source_sits_in_one_fold() -> None:
    sources = ["alpaca"] * 50 + ["harmful:cyber"] * 10 + ["advbench"] * 30 + [SHORT_SOURCE] * 200
    fold_of = source_folds(sources, 3)
    for source in ("alpaca", "harmful:cyber", "advbench"):
        assert len({int(f) for f, s in zip(fold_of, sources, strict=True) if s == source}) == 1
    # the short patient turns are the product's traffic: spread over every fold
    assert {int(f) for f, s in zip(fold_of, sources, strict=True) if s == SHORT_SOURCE} == {0, 1, 2}
    assert source_folds(sources, 3).tolist() == fold_of.tolist()


def test_holdout_report_rates_per_source_and_pooled() -> None:
    labels = np.array([0, 0, 0, 0, 1, 1, 1, 0])
    scores = np.array([0.1, 0.9, 0.2, 0.3, 0.95, 0.4, 0.99, 0.97])
    sources = ["a", "a", "b", "b", "h1", "h1", "h2", SHORT_SOURCE]
    report = holdout_report(labels, scores, sources, 0.5)
    rates = {(r.source, r.positive): r.rate for r in report.per_source}
    assert rates == {
        ("a", False): 0.5,
        ("b", False): 0.0,
        ("h1", True): 0.5,
        ("h2", True): 1.0,
        (SHORT_SOURCE, False): 1.0,
    }
    assert report.benign_fpr == pytest.approx(0.25) and report.benign_macro_fpr == pytest.approx(0.25)
    assert report.short_fpr == 1.0
    assert report.harmful_tpr == pytest.approx(2 / 3) and report.harmful_macro_tpr == pytest.approx(0.75)


def test_when_benign_scores_crowd_one_then_threshold_goes_above_the_old_grid_edge() -> None:
    benign = np.array(
        [0.1] * 990 + [0.995, 0.996, 0.997, 0.998, 0.999, 0.9991, 0.9992, 0.9993, 0.9994, 0.9995]
    )
    threshold = pick_threshold(benign, 0.005)
    assert 0.999 < threshold < 0.9991  # five benign scores (0.5 %) may stay above it
    assert np.mean(benign >= threshold) <= 0.005
    assert np.mean(benign >= config_threshold(threshold)) <= 0.005


def test_config_threshold_rounds_up_to_four_decimals() -> None:
    assert config_threshold(0.93121) == pytest.approx(0.9313)
    assert config_threshold(0.5) == pytest.approx(0.5)
