"""Small helpers shared by nodes."""

from __future__ import annotations

from typing import Any

from safety import Trigger


def trigger_dicts(triggers: tuple[Trigger, ...] | list[Trigger], direction: str) -> list[dict[str, Any]]:
    """JSON form of safety triggers for state, audit and metrics."""
    return [
        {
            "direction": direction,
            "layer": t.layer,
            "category": t.category,
            "score": round(float(t.score), 4),
            "threshold": float(t.threshold),
            "action": t.action.value,
            "rule_id": t.rule_id,
        }
        for t in triggers
    ]


def add_reason(reasons: list[str], reason: str) -> list[str]:
    """Append ``reason`` once."""
    return reasons if reason in reasons else [*reasons, reason]
