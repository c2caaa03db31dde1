"""Metrics, console table, JSON and confusion-matrix PNG for a ``triage-eval`` run."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from backend.evals.agent_runner import CaseOutcome

ERROR_LABEL = "error"  # column for turns where the engine produced no disposition


def _rate(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def metrics(outcomes: Sequence[CaseOutcome], ranks: dict[str, int], emergency: str) -> dict[str, Any]:
    """Accuracy (acceptable and exact), emergency recall, under- and over-triage rates, confusion matrix.

    Under-triage: the prediction is less acute than every acceptable level (or missing); over-triage: more
    acute than every acceptable level. Both are fractions of all cases.
    """
    n = len(outcomes)
    emergencies = [o for o in outcomes if o.gold_triage == emergency]
    under = over = 0
    for o in outcomes:
        rank = ranks.get(o.predicted or "")
        if rank is None or rank < min(ranks[a] for a in o.acceptable):
            under += 1
        elif rank > max(ranks[a] for a in o.acceptable):
            over += 1
    levels = sorted(ranks, key=ranks.__getitem__, reverse=True)
    columns = [*levels, ERROR_LABEL]
    confusion = {g: dict.fromkeys(columns, 0) for g in levels}
    for o in outcomes:
        confusion.setdefault(o.gold_triage, dict.fromkeys(columns, 0))
        confusion[o.gold_triage][o.predicted if o.predicted in ranks else ERROR_LABEL] += 1
    return {
        "n": n,
        "accuracy": _rate(sum(o.predicted in o.acceptable for o in outcomes), n),
        "accuracy_exact": _rate(sum(o.predicted == o.gold_triage for o in outcomes), n),
        "emergency_recall": _rate(sum(o.predicted == emergency for o in emergencies), len(emergencies)),
        "emergencies": len(emergencies),
        "emergencies_caught": sum(o.predicted == emergency for o in emergencies),
        "under_triage_rate": _rate(under, n),
        "over_triage_rate": _rate(over, n),
        "escalated_rate": _rate(sum(o.escalated for o in outcomes), n),
        "levels": levels,
        "confusion": confusion,
    }


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


def render(summary: dict[str, Any], outcomes: Sequence[CaseOutcome]) -> str:
    """Human-readable report: headline metrics, confusion matrix (rows gold, columns predicted), cases."""
    lines = [
        f"cases: {summary['n']}",
        f"accuracy (acceptable): {_pct(summary['accuracy'])}",
        f"accuracy (exact gold): {_pct(summary['accuracy_exact'])}",
        f"emergency recall: {_pct(summary['emergency_recall'])} "
        f"({summary['emergencies_caught']}/{summary['emergencies']})",
        f"under-triage rate: {_pct(summary['under_triage_rate'])}",
        f"over-triage rate: {_pct(summary['over_triage_rate'])}",
        f"escalated to clinician: {_pct(summary['escalated_rate'])}",
        "",
        "confusion matrix (rows: gold, columns: predicted)",
    ]
    confusion: dict[str, dict[str, int]] = summary["confusion"]
    columns = list(next(iter(confusion.values())))
    lines.append(f"{'':>12}" + "".join(f"{c:>12}" for c in columns))
    for gold, row in confusion.items():
        lines.append(f"{gold:>12}" + "".join(f"{row[c]:>12}" for c in columns))
    lines += ["", f"{'id':<16}{'gold':<12}{'predicted':<12}{'ok':<4}{'turns':<7}rule ids"]
    for o in outcomes:
        ok = "yes" if o.predicted in o.acceptable else "NO"
        predicted = o.predicted or ERROR_LABEL
        rules = ",".join(o.rule_ids)
        lines.append(f"{o.id:<16}{o.gold_triage:<12}{predicted:<12}{ok:<4}{o.turns:<7}{rules}")
    return "\n".join(lines)


def write_json(
    path: Path, summary: dict[str, Any], outcomes: Sequence[CaseOutcome], meta: dict[str, Any]
) -> None:
    """The run's settings, metrics and per-case results as JSON."""
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {**meta, "metrics": summary, "results": [o.model_dump(mode="json") for o in outcomes]}
    path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")


def write_png(path: Path, summary: dict[str, Any], title: str) -> None:
    """Confusion-matrix heat map (matplotlib, Agg back end: no display needed)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    confusion: dict[str, dict[str, int]] = summary["confusion"]
    rows = list(confusion)
    columns = list(next(iter(confusion.values())))
    values = [[confusion[r][c] for c in columns] for r in rows]
    fig, ax = plt.subplots(figsize=(6.5, 5))
    image = ax.imshow(values, cmap="Blues")
    ax.set_xticks(range(len(columns)), columns, rotation=30)
    ax.set_yticks(range(len(rows)), rows)
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    for i, row in enumerate(values):
        for j, count in enumerate(row):
            ax.text(j, i, str(count), ha="center", va="center")
    headline = f"accuracy {_pct(summary['accuracy'])}, emergency recall {_pct(summary['emergency_recall'])}"
    ax.set_title(f"{title}\n{headline}")
    fig.colorbar(image, ax=ax)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
