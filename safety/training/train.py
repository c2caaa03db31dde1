"""Fit each head (logistic regression or MLP on MiniLM embeddings); pick its threshold on TRAIN data only.

Thresholds are the lowest score whose false-positive rate on the held-out benign part of the
training data stays within ``TARGET_FPR``. Evaluation files never influence weights or thresholds.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold
from sklearn.neural_network import MLPClassifier

from safety.embeddings import MAX_SEQ_LENGTH, Embeddings, TextEncoder
from safety.features import BASE
from safety.heads import ClassifierHead
from safety.training.blind_written import SOURCE_PREFIXES as BLIND_SOURCE_PREFIXES
from safety.training.datasets import SHORT_GROUP, LabelledSet

TARGET_FPR = {"harm": 0.01, "injection": 0.01, "misinformation": 0.02}  # on random-fold scores (legacy)
# On SOURCE-held-out scores (safety.training.holdout: each source scored by heads that never saw it, the
# proxy for unfamiliar prompts) the shipped 2026-11 heads at their thresholds (harm 0.99, injection 0.89,
# misinformation 0.73) refused 8.96 %, 1.22 % and 1.56 % of the benign texts. Issue 4 round 3 keeps
# those false-refusal levels (the round-2 gains) and spends the calibration on recall instead: zero
# tolerance for unsafe pass-through, so no budget is tightened; none is loosened past them either.
HOLDOUT_FPR = {"harm": 0.089, "injection": 0.012, "misinformation": 0.015}
# Benign sources added after those budgets were set (rounds 7 and 8's blind-written requests) are
# measured, not counted in the budget: the pool the budget is a share of stays the round-4 pool, so the
# operating point stays the one HOLDOUT_FPR names and the new data can act only through the heads.
BUDGET_EXCLUDED_PREFIXES = BLIND_SOURCE_PREFIXES
HOLDOUT_FLOOR = 0.2  # sanity floor: label-smoothed heads put their thresholds well below 0.5 (injection 0.4)
# Benign short patient turns ("no", "since Tuesday", "I'm 34") are most of a real triage chat: the
# threshold must also keep their out-of-fold false-positive rate within this budget.
SHORT_TURN_FPR = 0.002
# Head architecture per classifier, chosen on out-of-fold train scores: the MLP raised harm TPR at 1 % FPR
# from 0.86 to 0.92; with the short patient turns, the linear injection head could not separate "thank you
# so much" (0.57) from jailbreak sign-offs, the MLP did (4-fold: FPR 0.002, short-turn FPR 0, TPR 0.95 at
# 0.5 vs linear FPR 0.009, short 0.0017, TPR 0.965). Misinformation stays linear.
HEAD_KIND = {"harm": "mlp", "injection": "mlp", "misinformation": "logistic"}


@dataclass(frozen=True)
class TrainReport:
    """Held-out (train-split) quality of one head, printed by the set-up command."""

    name: str
    counts: dict[str, int]
    auc: float
    threshold: float
    val_fpr: float
    val_tpr: float
    short_fpr: float = 0.0

    def line(self) -> str:
        """One human-readable line."""
        return (
            f"{self.name:15s} n={sum(self.counts.values()):6d} auc={self.auc:.4f} "
            f"threshold={self.threshold:.4f} "
            f"val_fpr={self.val_fpr:.3f} val_tpr={self.val_tpr:.3f} short_fpr={self.short_fpr:.4f} "
            f"classes={json.dumps(self.counts)}"
        )


def budgeted(sources: list[str]) -> np.ndarray:
    """Per text: whether its source counts in the benign false-positive budget."""
    return np.array([not s.startswith(BUDGET_EXCLUDED_PREFIXES) for s in sources], dtype=bool)


def embed_cached(encoder: TextEncoder, texts: list[str], cache_dir: Path | None) -> Embeddings:
    """Embed ``texts``, reusing vectors cached on disk per text (re-runs only embed new texts)."""
    known: dict[str, Embeddings] = {}
    if cache_dir is not None:
        for path in sorted(cache_dir.glob("emb-*.npz")):
            with np.load(path, allow_pickle=False) as data:
                known.update(zip((str(t) for t in data["texts"]), data["vectors"], strict=True))
    missing = [t for t in dict.fromkeys(texts) if t not in known]
    if missing:
        print(f"  embedding {len(missing)} texts not in the cache ({len(known)} cached)", flush=True)
        parts, started = [], time.perf_counter()
        for i in range(0, len(missing), 256):
            parts.append(encoder.encode(missing[i : i + 256]))
            done = i + len(parts[-1])
            if len(parts) % 10 == 0 or done == len(missing):
                rate = done / (time.perf_counter() - started)
                eta = (len(missing) - done) / rate
                print(f"  embedded {done}/{len(missing)} ({rate:.0f} texts/s, {eta:.0f} s left)", flush=True)
        vectors = np.concatenate(parts)
        known.update(zip(missing, vectors, strict=True))
        if cache_dir is not None:
            cache_dir.mkdir(parents=True, exist_ok=True)
            key = hashlib.sha256("\x00".join(missing).encode()).hexdigest()[:16]
            path = cache_dir / f"emb-{key}.npz"
            partial = path.with_name(f"{path.name}.{os.getpid()}.partial")  # renamed when complete
            with partial.open("wb") as handle:
                np.savez(handle, texts=np.array(missing), vectors=vectors)
            partial.replace(path)
    stacked: Embeddings = np.stack([known[t] for t in texts]).astype(np.float32)
    return stacked


def feature_cache_dir(cache_dir: Path, features: str, precision: str = "float32") -> Path:
    """Embedding cache of one feature set: the cache is keyed by text, so one directory per set.

    ``mean6`` keeps the directory it always had (``base-len128``); int8 features get ``-int8``.
    """
    name = "base" if features == BASE.name else features
    suffix = "" if precision == "float32" else f"-{precision}"
    return cache_dir / f"{name}-len{MAX_SEQ_LENGTH}{suffix}"


def pick_threshold(benign_scores: np.ndarray, target_fpr: float, floor: float = 0.5) -> float:
    """Smallest threshold (at least ``floor``) whose benign false-positive rate is <= ``target_fpr``.

    Exact, not on a grid: just above the score of the k-th highest benign text, k = target * n. (The
    old 0.01 grid stopped at 0.99, so an over-confident head got 0.99 whatever its benign scores were.)
    """
    ranked = np.sort(np.asarray(benign_scores, dtype=np.float32))[::-1]
    allowed = int(np.floor(target_fpr * len(ranked)))
    if allowed >= len(ranked):
        return floor
    return max(floor, float(np.nextafter(ranked[allowed], np.float32(2.0))))


def config_threshold(threshold: float) -> float:
    """``threshold`` rounded UP to 4 decimals (for ``safety_config.yaml``; rounding up never adds FPs)."""
    return math.ceil(threshold * 10_000 - 1e-9) / 10_000


def _train(kind: str, classes: tuple[str, ...], x: Embeddings, y: np.ndarray, seed: int) -> ClassifierHead:
    if kind == "mlp":
        mlp = MLPClassifier(hidden_layer_sizes=(256,), alpha=1e-3, max_iter=300, random_state=seed)
        mlp.fit(x, y)
        return ClassifierHead(
            classes,
            mlp.coefs_[1].T.astype(np.float32),
            mlp.intercepts_[1].astype(np.float32),
            mlp.coefs_[0].astype(np.float32),
            mlp.intercepts_[0].astype(np.float32),
        )
    model = LogisticRegression(C=4.0, max_iter=2000, class_weight="balanced")
    model.fit(x, y)
    return ClassifierHead(classes, model.coef_.astype(np.float32), model.intercept_.astype(np.float32))


def threshold_report(
    name: str,
    counts: dict[str, int],
    labels: np.ndarray,
    scores: np.ndarray,
    short: np.ndarray,
    target_fpr: dict[str, float] | None = None,
    floor: float = 0.5,
    in_budget: np.ndarray | None = None,
) -> TrainReport:
    """Pick the head's threshold from held-out ``scores`` (out-of-fold or cross-fitted) and report it.

    ``labels`` are class indices (0 benign); ``short`` marks the generated benign short patient turns,
    which get their own, stricter budget (:data:`SHORT_TURN_FPR`) next to ``target_fpr`` (default
    :data:`TARGET_FPR`). ``in_budget`` (default: every text) marks the benign texts the budget is a
    share of (:func:`budgeted`). The threshold is rounded up to 4 decimals (:func:`config_threshold`),
    as it is written to ``safety_config.yaml``, and the rates are those at the rounded value.
    """
    positive = labels != 0
    short = short & ~positive
    pool = ~positive & ~short
    if in_budget is not None:
        pool &= in_budget
    threshold = pick_threshold(scores[pool], (target_fpr or TARGET_FPR)[name], floor)
    if short.any():
        threshold = max(threshold, pick_threshold(scores[short], SHORT_TURN_FPR, floor))
    threshold = config_threshold(threshold)
    return TrainReport(
        name,
        counts,
        float(roc_auc_score(positive, scores)),
        threshold,
        float(np.mean(scores[pool] >= threshold)),
        float(np.mean(scores[positive] >= threshold)),
        float(np.mean(scores[short] >= threshold)) if short.any() else 0.0,
    )


def fit_head(
    name: str, data: LabelledSet, vectors: Embeddings, seed: int = 0, kind: str = "logistic", folds: int = 5
) -> tuple[ClassifierHead, TrainReport]:
    """Choose the threshold on out-of-fold scores (k-fold on the training set), then fit on all of it.

    Out-of-fold scores use every example once as held-out data, so the threshold is far less noisy
    than one taken from a single 20 % split. ``kind`` is ``logistic`` or ``mlp`` (one ReLU layer, 256).
    """
    labels = np.array(data.labels)
    scores = np.zeros(len(labels), dtype=np.float32)
    for fit_idx, val_idx in StratifiedKFold(folds, shuffle=True, random_state=seed).split(vectors, labels):
        fold_head = _train(kind, data.classes, vectors[fit_idx], labels[fit_idx], seed)
        scores[val_idx] = 1.0 - fold_head.predict_proba(vectors[val_idx].astype(np.float32))[:, 0]
    groups = data.groups or [""] * len(labels)
    report = threshold_report(
        name, data.counts(), labels, scores, np.array([g == SHORT_GROUP for g in groups])
    )
    return _train(kind, data.classes, vectors, labels, seed), report
