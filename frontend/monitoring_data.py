"""Pure helpers of the monitoring dashboard: trigger counts per layer and category, incident rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

TRIGGER_COLUMNS = ["day", "layer", "category", "action", "direction", "conversation_id", "turn_index"]
INCIDENT_COLUMNS = ["time", "kind", "conversation_id", "turn_index", "detail"]


def trigger_frame(events: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """One row per safety trigger of the given turn events."""
    rows = [
        {
            "day": str(event["created_at"])[:10],
            "layer": trigger.get("layer", "unknown"),
            "category": trigger.get("category", "unknown"),
            "action": trigger.get("action", "unknown"),
            "direction": trigger.get("direction", ""),
            "conversation_id": event["conversation_id"],
            "turn_index": event["turn_index"],
        }
        for event in events
        for trigger in event.get("safety_triggers") or []
    ]
    return pd.DataFrame(rows, columns=TRIGGER_COLUMNS)


def rates_by_day(triggers: pd.DataFrame, turns_per_day: Mapping[str, int], by: str) -> pd.DataFrame:
    """Share of a day's turns with at least one trigger of each ``by`` value (index day, one column each)."""
    if triggers.empty:
        return pd.DataFrame()
    hit = triggers.drop_duplicates(["day", by, "conversation_id", "turn_index"])
    counts = hit.groupby(["day", by]).size().unstack(fill_value=0)
    turns = pd.Series({day: turns_per_day.get(day, 0) for day in counts.index}).replace(0, pd.NA)
    return counts.div(turns, axis=0).fillna(0.0).astype(float)


def incidents(events: Sequence[Mapping[str, Any]], flags: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """Blocked outputs and clinician-flagged answers, newest first."""
    rows: list[dict[str, Any]] = []
    for event in events:
        blocked = [
            t
            for t in event.get("safety_triggers") or []
            if t.get("action") == "block" and t.get("direction", "output") == "output"
        ]
        if blocked:
            detail = ", ".join(f"{t.get('layer')}/{t.get('category')}" for t in blocked)
            rows.append(_incident(event, "blocked output", detail))
    for flag in flags:
        rows.append(_incident(flag, f"flag: {flag.get('flag_kind')}", flag.get("redacted_input") or ""))
    frame = pd.DataFrame(rows, columns=INCIDENT_COLUMNS)
    return frame.sort_values("time", ascending=False, ignore_index=True)


def _incident(event: Mapping[str, Any], kind: str, detail: str) -> dict[str, Any]:
    return {
        "time": str(event["created_at"]),
        "kind": kind,
        "conversation_id": event["conversation_id"],
        "turn_index": event["turn_index"],
        "detail": detail,
    }
