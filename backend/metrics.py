"""Prometheus counters and histograms for monitoring (exported on ``GET /metrics``).

A registry is created per app (not the process-global default) so tests and multiple apps in one
process do not share counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest

LATENCY_BUCKETS_S = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120)


class TriageMetrics:
    """Counters for turns, escalations, safety triggers and dispositions; latency histograms."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        self.turns = Counter("triage_turns_total", "Patient turns answered", registry=self.registry)
        self.turn_failures = Counter(
            "triage_turn_failures_total", "Turns that failed and were not recorded", registry=self.registry
        )
        self.escalations = Counter(
            "triage_escalations_total", "Turns escalated to a clinician", ["reason"], registry=self.registry
        )
        self.dispositions = Counter(
            "triage_dispositions_total", "Dispositions given", ["disposition"], registry=self.registry
        )
        self.safety_triggers = Counter(
            "triage_safety_triggers_total",
            "Safety layer triggers",
            ["layer", "category", "action"],
            registry=self.registry,
        )
        self.turn_latency = Histogram(
            "triage_turn_latency_seconds",
            "Whole turn latency",
            buckets=LATENCY_BUCKETS_S,
            registry=self.registry,
        )
        self.node_latency = Histogram(
            "triage_node_latency_seconds",
            "Latency per graph node",
            ["node"],
            buckets=LATENCY_BUCKETS_S,
            registry=self.registry,
        )

    def observe_turn(
        self,
        *,
        seconds: float,
        latencies_ms: Mapping[str, float],
        escalation_reasons: Iterable[str],
        disposition: str | None,
        triggers: Iterable[Mapping[str, Any]],
    ) -> None:
        """Record one completed turn."""
        self.turns.inc()
        self.turn_latency.observe(seconds)
        for node, ms in latencies_ms.items():
            self.node_latency.labels(node=node).observe(ms / 1000)
        for reason in escalation_reasons:
            self.escalations.labels(reason=reason).inc()
        if disposition:
            self.dispositions.labels(disposition=disposition).inc()
        for trigger in triggers:
            self.safety_triggers.labels(
                layer=str(trigger.get("layer", "unknown")),
                category=str(trigger.get("category", "unknown")),
                action=str(trigger.get("action", "unknown")),
            ).inc()

    def render(self) -> bytes:
        """Prometheus text exposition format."""
        return generate_latest(self.registry)
