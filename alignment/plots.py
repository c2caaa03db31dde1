"""Matplotlib figures for the evaluation reports (headless Agg backend, PNG files)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def calibration_plot(
    bin_confidence: Sequence[float],
    bin_accuracy: Sequence[float],
    bin_counts: Sequence[int],
    path: Path,
    title: str,
) -> Path:
    """Reliability diagram: predicted P(preferred) per bin vs observed frequency, with counts."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(4.5, 4.5))
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfect calibration")
    ax.plot(bin_confidence, bin_accuracy, marker="o", label="reward model")
    for x, y, n in zip(bin_confidence, bin_accuracy, bin_counts, strict=True):
        ax.annotate(str(n), (x, y), textcoords="offset points", xytext=(4, -10), fontsize=7)
    ax.set(xlabel="predicted P(first reply preferred)", ylabel="observed frequency", xlim=(0, 1), ylim=(0, 1))
    ax.set_title(title, fontsize=9)
    ax.legend(fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def before_after_plot(before: dict[str, float], after: dict[str, float], path: Path, title: str) -> Path:
    """One small bar pair per metric (metrics have different units, so separate panels)."""
    plt = _pyplot()
    metrics = [m for m in before if m in after]
    fig, axes = plt.subplots(1, len(metrics), figsize=(2.2 * len(metrics), 3))
    for ax, metric in zip(list(axes) if len(metrics) > 1 else [axes], metrics, strict=True):
        ax.bar(["before", "after"], [before[metric], after[metric]], color=["#8da0cb", "#fc8d62"])
        ax.set_title(metric, fontsize=8)
        ax.tick_params(labelsize=7)
    fig.suptitle(title, fontsize=9)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def monitor_plot(snapshots: Sequence[dict], path: Path) -> Path:
    """Proxy reward, gold reward, length and KL over training steps (reward-hacking monitor view)."""
    plt = _pyplot()
    steps = [s["step"] for s in snapshots]
    fig, axes = plt.subplots(1, 4, figsize=(12, 2.8))
    for ax, key in zip(axes, ("proxy_reward", "gold_reward", "mean_length", "kl"), strict=True):
        ax.plot(steps, [s[key] for s in snapshots], marker=".")
        ax.set_title(key, fontsize=9)
        ax.set_xlabel("step", fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path
