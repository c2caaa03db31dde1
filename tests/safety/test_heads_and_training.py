from __future__ import annotations

import numpy as np
import pytest

from safety import ClassifierHead, EmbeddingClassifier
from safety.embeddings import SHIPPED_HEAD_FEATURES
from safety.features import feature_set
from safety.heads import head_path
from safety.training.datasets import LabelledSet
from safety.training.train import fit_head, pick_threshold


class StubEncoder:
    def __init__(self, table):
        self.table = table

    def encode(self, texts):
        return np.stack([self.table[t] for t in texts]).astype(np.float32)


def test_binary_head_round_trip(tmp_path):
    head = ClassifierHead(
        ("benign", "misinformation"), np.array([[2.0, -1.0]], np.float32), np.array([0.0], np.float32)
    )
    head.save(tmp_path / "h.npz")
    loaded = ClassifierHead.load(tmp_path / "h.npz")
    probs = loaded.predict_proba(np.array([[1.0, 0.0], [-1.0, 0.0]], np.float32))
    assert loaded.classes == head.classes
    assert probs.shape == (2, 2) and probs[0, 1] > 0.8 and probs[1, 1] < 0.2


def test_multiclass_classifier_reports_top_non_benign_class():
    head = ClassifierHead(
        ("benign", "self_harm", "harmful_request"), np.eye(3, 2, -1, np.float32) * 5, np.zeros(3, np.float32)
    )
    classifier = EmbeddingClassifier(
        "harm", StubEncoder({"a": np.array([1.0, 0.0]), "b": np.array([0.0, 0.0])}), head
    )
    first, second = classifier.score(["a", "b"])
    assert first.category == "self_harm" and first.score > 0.9
    assert second.score == pytest.approx(2 / 3, abs=1e-4)


def test_inconsistent_head_rejected():
    with pytest.raises(ValueError):
        ClassifierHead(("benign",), np.zeros((1, 2), np.float32), np.zeros(1, np.float32))


def test_missing_weights_raise(tmp_path):
    with pytest.raises(FileNotFoundError):
        ClassifierHead.load(tmp_path / "absent.npz")


def test_fit_head_learns_separable_data_and_picks_threshold():
    rng = np.random.default_rng(0)
    benign = rng.normal(-1, 0.3, (200, 4))
    harmful = rng.normal(1, 0.3, (200, 4))
    vectors = np.concatenate([benign, harmful]).astype(np.float32)
    data = LabelledSet(("benign", "harmful_request"), [str(i) for i in range(400)], [0] * 200 + [1] * 200)
    head, report = fit_head("harm", data, vectors)
    assert report.auc > 0.99 and report.val_tpr > 0.95 and report.val_fpr <= 0.01
    assert head.weights.shape == (1, 4)


def test_pick_threshold_respects_target():
    scores = np.linspace(0, 1, 101)
    assert pick_threshold(scores, 0.05) == pytest.approx(0.95)


@pytest.mark.parametrize("name", ["harm", "injection", "misinformation"])
def test_shipped_weights_are_small_and_load(name):
    path = head_path(name)
    assert path.stat().st_size < 2_500_000  # mean2-6 MLP heads: 1920 x 256 float32
    head = ClassifierHead.load(path)
    assert head.classes[0] == "benign" and head.feature_set == SHIPPED_HEAD_FEATURES[name]
    assert head.input_dim == feature_set(SHIPPED_HEAD_FEATURES[name]).dim


def test_mlp_head_round_trip(tmp_path):
    rng = np.random.default_rng(1)
    head = ClassifierHead(
        ("benign", "a", "b"),
        rng.normal(size=(3, 8)).astype(np.float32),
        np.zeros(3, np.float32),
        rng.normal(size=(4, 8)).astype(np.float32),
        np.zeros(8, np.float32),
    )
    head.save(tmp_path / "m.npz")
    x = rng.normal(size=(5, 4)).astype(np.float32)
    np.testing.assert_allclose(
        ClassifierHead.load(tmp_path / "m.npz").predict_proba(x), head.predict_proba(x)
    )


def test_all_shipped_weights_stay_under_5_mb():
    built = {"self_harm_bank.npz"}  # built from the training data by `make assets`, not in the repository
    shipped = [p for p in head_path("harm").parent.glob("*.npz") if p.name not in built]
    assert sum(p.stat().st_size for p in shipped) < 5_000_000
