"""Fit each head (logistic regression on MiniLM embeddings) and pick its threshold on held-out TRAIN data.

Thresholds are the lowest score whose false-positive rate on the held-out benign part of the
training data stays within ``TARGET_FPR``. Evaluation files never influence weights or thresholds.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

from safety.embeddings import Embeddings, TextEncoder
from safety.heads import LinearHead
from safety.training.datasets import LabelledSet

TARGET_FPR = {"harm": 0.01, "injection": 0.01, "misinformation": 0.02}


@dataclass(frozen=True)
class TrainReport:
    """Held-out (train-split) quality of one head, printed by the set-up command."""

    name: str
    counts: dict[str, int]
    auc: float
    threshold: float
    val_fpr: float
    val_tpr: float

    def line(self) -> str:
        """One human-readable line."""
        return (
            f"{self.name:15s} n={sum(self.counts.values()):6d} auc={self.auc:.4f} "
            f"threshold={self.threshold:.3f} "
            f"val_fpr={self.val_fpr:.3f} val_tpr={self.val_tpr:.3f} classes={json.dumps(self.counts)}"
        )


def embed_cached(encoder: TextEncoder, texts: list[str], cache_dir: Path | None) -> Embeddings:
    """Embed ``texts``, reusing an on-disk cache keyed by the texts' hash (re-runs take seconds)."""
    key = hashlib.sha256("\x00".join(texts).encode()).hexdigest()[:16]
    path = cache_dir / f"emb-{key}.npy" if cache_dir else None
    if path is not None and path.exists():
        cached: Embeddings = np.load(path)
        return cached
    vectors = np.concatenate([encoder.encode(texts[i : i + 256]) for i in range(0, len(texts), 256)])
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, vectors)
    return vectors


def pick_threshold(benign_scores: np.ndarray, target_fpr: float) -> float:
    """Smallest threshold (on a 0.01 grid, at least 0.5) whose benign false-positive rate is <= target."""
    for threshold in np.arange(0.5, 1.0, 0.01):
        if float(np.mean(benign_scores >= threshold)) <= target_fpr:
            return round(float(threshold), 2)
    return 0.99


def fit_head(
    name: str, data: LabelledSet, vectors: Embeddings, seed: int = 0
) -> tuple[LinearHead, TrainReport]:
    """Fit on 80 % of the set, choose the threshold and report on the other 20 %."""
    labels = np.array(data.labels)
    x_fit, x_val, y_fit, y_val = train_test_split(
        vectors, labels, test_size=0.2, random_state=seed, stratify=labels
    )
    model = LogisticRegression(C=4.0, max_iter=2000, class_weight="balanced")
    model.fit(x_fit, y_fit)
    weights, bias = model.coef_.astype(np.float32), model.intercept_.astype(np.float32)
    head = LinearHead(data.classes, weights, bias)
    scores = 1.0 - head.predict_proba(x_val.astype(np.float32))[:, 0]
    positive = y_val != 0
    threshold = pick_threshold(scores[~positive], TARGET_FPR[name])
    report = TrainReport(
        name,
        data.counts(),
        float(roc_auc_score(positive, scores)),
        threshold,
        float(np.mean(scores[~positive] >= threshold)),
        float(np.mean(scores[positive] >= threshold)),
    )
    return head, report
