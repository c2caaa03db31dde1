"""Source-held-out cross-fitting: a train-only proxy for prompts unlike the training data (issue 4).

Random k-fold scores are optimistic: most of our data comes in families (templates, one data set's
style), and a random fold always has the rest of the family in training. The evaluation sets are
other families. Here every source (a public data set, or one family of our own contrast data such as
``harmful:cyber``) is put, whole, in one of ``folds`` groups, and each group is scored by heads trained
without it: each source's harmful TPR and benign FPR is measured by heads that never saw it. The
generated short patient turns are the product's own traffic, not an unfamiliar source; they are
spread over the folds at random, as in ordinary cross-fitting.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

HOLDOUT_FOLDS = 5  # source groups: each group is scored by heads trained on the other four
SHORT_SOURCE = "short_answer"  # = datasets.SHORT_GROUP (the generated benign short patient turns)


def source_folds(sources: list[str], folds: int, seed: int = 0) -> np.ndarray:
    """Fold index per text: whole sources, largest first, to the currently smallest fold.

    The short patient turns are assigned at random per text (they are the product's traffic and are
    always mostly in training).
    """
    sizes = Counter(s for s in sources if s != SHORT_SOURCE)
    load = [0] * folds
    fold_of_source: dict[str, int] = {}
    for source, size in sorted(sizes.items(), key=lambda item: (-item[1], item[0])):
        target = min(range(folds), key=lambda k: (load[k], k))
        fold_of_source[source] = target
        load[target] += size
    rng = np.random.default_rng(seed)
    return np.array(
        [int(rng.integers(folds)) if s == SHORT_SOURCE else fold_of_source[s] for s in sources],
        dtype=np.int64,
    )


@dataclass(frozen=True)
class SourceRate:
    """Share of one source's texts at or above the threshold (TPR if harmful, FPR if benign)."""

    source: str
    positive: bool
    n: int
    rate: float


@dataclass(frozen=True)
class HoldoutReport:
    """Held-out quality of one head at one threshold."""

    threshold: float
    benign_fpr: float  # pooled over benign texts except the short turns
    benign_macro_fpr: float  # mean over benign sources (each source counts once)
    short_fpr: float
    harmful_tpr: float  # pooled over harmful texts
    harmful_macro_tpr: float  # mean over harmful sources
    per_source: tuple[SourceRate, ...]

    def line(self) -> str:
        """One human-readable line."""
        return (
            f"threshold={self.threshold:.4f} benign_fpr={self.benign_fpr:.4f} "
            f"benign_macro_fpr={self.benign_macro_fpr:.4f} short_fpr={self.short_fpr:.4f} "
            f"harmful_tpr={self.harmful_tpr:.4f} harmful_macro_tpr={self.harmful_macro_tpr:.4f}"
        )


def holdout_report(
    labels: np.ndarray, scores: np.ndarray, sources: list[str], threshold: float, min_n: int = 1
) -> HoldoutReport:
    """Rates at ``threshold`` over the texts of one head (``labels``: 0 benign, else harmful)."""
    fired = scores >= threshold
    positive = labels != 0
    source_arr = np.array(sources)
    short = (source_arr == SHORT_SOURCE) & ~positive
    rates = []
    for source in sorted(set(sources)):
        for is_positive in (False, True):
            rows = (source_arr == source) & (positive == is_positive)
            if int(rows.sum()) >= min_n:
                rates.append(SourceRate(source, is_positive, int(rows.sum()), float(fired[rows].mean())))
    benign = [r.rate for r in rates if not r.positive and r.source != SHORT_SOURCE]
    harmful = [r.rate for r in rates if r.positive]
    return HoldoutReport(
        threshold,
        float(fired[~positive & ~short].mean()),
        float(np.mean(benign)) if benign else 0.0,
        float(fired[short].mean()) if short.any() else 0.0,
        float(fired[positive].mean()),
        float(np.mean(harmful)) if harmful else 0.0,
        tuple(rates),
    )
