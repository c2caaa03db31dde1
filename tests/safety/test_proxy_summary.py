"""The trainer's summary line and the feature comparison compute the same source-held-out rates."""

from __future__ import annotations

import numpy as np
import pytest

from safety.train_classifiers import _print_summary
from safety.training.compare_features import head_result, head_results
from safety.training.datasets import SHORT_GROUP, LabelledSet
from safety.training.finetune import MultiTaskData
from safety.training.train import TrainReport


def _data() -> tuple[dict[str, LabelledSet], MultiTaskData, dict[str, np.ndarray]]:
    rng = np.random.default_rng(0)
    groups = ["benign:homonyms"] * 30 + ["alpaca"] * 30 + ["advbench"] * 30 + ["strongreject"] * 30
    labels = [0] * 60 + [1] * 60
    texts = [f"text {i}" for i in range(120)]
    sets = {"harm": LabelledSet(("benign", "harmful_request"), texts, labels, groups)}
    data = MultiTaskData.from_sets(sets, SHORT_GROUP)
    scores = {"harm": np.clip(np.array(labels) * 0.5 + rng.random(120) * 0.6, 0, 1)}
    return sets, data, scores


def test_head_results_uses_head_result() -> None:
    sets, data, scores = _data()
    (result,) = head_results("mean2-6", 0, data, sets, scores)
    again = head_result("mean2-6", 0, "harm", data, scores, result.auc, result.threshold)
    assert again == result
    assert set(result.family_fpr) == {"benign:homonyms"}
    assert 0.0 <= result.fpr <= 1.0 and 0.0 <= result.tpr <= 1.0


def test_summary_prints_the_comparison_numbers(capsys: pytest.CaptureFixture[str]) -> None:
    sets, data, scores = _data()
    (result,) = head_results("mean2-6", 0, data, sets, scores)
    report = TrainReport("harm", sets["harm"].counts(), result.auc, result.threshold, 0.0, 0.0)
    _print_summary(data, scores, [report], {"harm": "mean2-6"})
    line = capsys.readouterr().out
    assert f"harmful_tpr={result.tpr:.4f}/{result.macro_tpr:.4f}" in line
    assert f"xstest_like_fpr={result.xstest_like_fpr:.4f}" in line
