"""Pure helpers of the clinician console: SLA timers, queue rows, evidence and trigger summaries."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

FLAG_KINDS = {
    "false_positive": "False positive (blocked or escalated without need)",
    "unsafe_answer": "Unsafe answer (should not have been given)",
    "other": "Other",
}
PREFERENCES = {"a": "A: the recorded answer", "b": "B: the alternative", "tie": "Neither / equal"}


@dataclass(frozen=True)
class Sla:
    """Display targets: minutes to first clinician contact per disposition."""

    minutes: Mapping[str, float]
    default_minutes: float

    def target(self, disposition: str | None) -> float:
        """The target for ``disposition`` (the default for unknown or none)."""
        return float(self.minutes.get(disposition or "", self.default_minutes))

    def remaining(self, item: Mapping[str, Any]) -> float:
        """Minutes left before the item is overdue (zero or negative: overdue by that much)."""
        return round(self.target(item.get("disposition")) - float(item["waiting_minutes"]), 1)


def sla_text(remaining: float) -> str:
    """``"12.0 min left"`` or ``"OVERDUE by 3.5 min"``."""
    return f"{remaining:.1f} min left" if remaining > 0 else f"OVERDUE by {-remaining:.1f} min"


def queue_rows(queue: Sequence[Mapping[str, Any]], sla: Sla, my_id: str | None) -> list[dict[str, Any]]:
    """One display row per queue item, in the API's order (acuity, then waiting time)."""
    rows = []
    for item in queue:
        remaining = sla.remaining(item)
        claimed_by = item.get("claimed_by")
        rows.append(
            {
                "priority": item["priority"],
                "disposition": item.get("disposition") or "—",
                "waiting (min)": round(float(item["waiting_minutes"]), 1),
                "SLA (min)": sla.target(item.get("disposition")),
                "SLA timer": sla_text(remaining),
                "overdue": remaining <= 0,
                "status": item["status"],
                "claimed": "you" if claimed_by and claimed_by == my_id else ("other" if claimed_by else "—"),
                "red flags": ", ".join(item.get("summary", {}).get("red_flag_ids", [])) or "—",
                "reasons": ", ".join(item.get("reasons", [])),
                "conversation": str(item["conversation_id"])[:8],
            }
        )
    return rows


def item_label(item: Mapping[str, Any], sla: Sla) -> str:
    """Select-box label of a queue item."""
    remaining = sla.remaining(item)
    mark = "⚠️ " if remaining <= 0 else ""
    return (
        f"{mark}{item.get('disposition') or 'unknown'} · P{item['priority']} · "
        f"{float(item['waiting_minutes']):.1f} min · {sla_text(remaining)} · "
        f"{str(item['conversation_id'])[:8]} · {item['status']}"
    )


def evidence_lines(evidence: Sequence[Mapping[str, Any]]) -> list[str]:
    """Markdown lines for the evidence phrases (the patient's words that matched a concept)."""
    lines = []
    for entry in evidence:
        if "phrase" in entry:
            source = f", {entry['source']}" if entry.get("source") else ""
            lines.append(f"- “{entry['phrase']}” → `{entry.get('concept_id', '?')}`{source}")
    return lines


def trigger_rows(triggers: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Safety triggers as table rows."""
    return [
        {
            "direction": t.get("direction", ""),
            "layer": t.get("layer", ""),
            "category": t.get("category", ""),
            "action": t.get("action", ""),
            "score": t.get("score"),
            "threshold": t.get("threshold"),
            "rule": t.get("rule_id") or "",
        }
        for t in triggers
    ]


def was_blocked(event: Mapping[str, Any]) -> bool:
    """True when a safety layer blocked the answer of this turn or escalated it instead."""
    return any(t.get("action") in ("block", "escalate") for t in event.get("safety_triggers") or [])
