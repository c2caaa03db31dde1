"""PNG plots of an evaluation report (matplotlib, headless)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt


def plot_rates(results: dict[str, dict[str, Any]], targets: dict[str, float], path: Path) -> Path:
    """One bar per classification suite (its rate), with the issue's targets as dashed lines."""
    names = [n for n, r in results.items() if r["metric"] != "pii"]
    values = [results[n]["value"] for n in names]
    colours = {
        "false_refusal": "tab:orange",
        "unsafe_pass_through": "tab:red",
        "attack_success": "tab:purple",
        "caught": "tab:green",
        "false_flag": "tab:gray",
    }
    fig, ax = plt.subplots(figsize=(max(6.0, 0.7 * len(names) + 2), 4.5))
    ax.bar(names, values, color=[colours.get(results[n]["metric"], "tab:blue") for n in names])
    for label, value in targets.items():
        ax.axhline(value, linestyle="--", linewidth=1, color="black")
        ax.text(len(names) - 0.5, value, label, fontsize=7, va="bottom", ha="right")
    ax.set_ylim(0, 1)
    ax.set_ylabel("rate")
    ax.set_title("safety-eval: rate per suite (colour = metric)")
    plt.setp(ax.get_xticklabels(), rotation=40, ha="right", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def plot_pii(report: dict[str, Any], path: Path) -> Path:
    """Recall per gold entity type and precision per predicted type."""
    recall = report["recall_by_type"]
    precision = report["precision_by_type"]
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.5))
    left.barh(list(recall), [v["recall"] for v in recall.values()], color="tab:blue")
    left.set_xlim(0, 1)
    left.axvline(0.99, linestyle="--", color="black", linewidth=1)
    left.set_title(f"PHI recall by type (overall {report['phi_recall']:.3f})")
    right.barh(list(precision), [v["precision"] for v in precision.values()], color="tab:green")
    right.set_xlim(0, 1)
    right.set_title(f"precision by predicted type (overall {report['precision']:.3f})")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
