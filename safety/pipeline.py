"""The cascade: run checks in order, turn signals into triggers, stop at the first BLOCK/ESCALATE.

Every layer runs under a time limit; an exception or a timeout is recorded as a trigger with the
configured fail action (BLOCK by default), so the cascade fails closed and the audit trail shows why.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Literal, Protocol

from safety.config import LayerConfig, SafetyConfig
from safety.types import SEVERITY, CheckContext, CheckResult, Decision, RedactionResult, Trigger, Verdict

Direction = Literal["input", "output"]


class Check(Protocol):
    """One layer of the cascade. ``name`` keys its :class:`safety.config.LayerConfig`."""

    @property
    def name(self) -> str:
        """Layer name, e.g. ``rules`` or ``harm``."""
        ...

    def __call__(self, text: str, context: CheckContext) -> CheckResult:
        """Score ``text``; may return a rewritten text (redaction)."""
        ...


class SafetyCounters:
    """Thread-safe in-process counters for monitoring (exported to Prometheus by the backend)."""

    def __init__(self) -> None:
        self._counts: Counter[str] = Counter()
        self._lock = threading.Lock()

    def add(self, *keys: str) -> None:
        """Increment each key by one."""
        with self._lock:
            self._counts.update(keys)

    def snapshot(self) -> dict[str, int]:
        """A copy of every counter, e.g. ``{"input.decision.block": 3}``.

        Keys: ``<direction>.decision.<decision>``, ``<direction>.trigger.<layer>.<category>.<action>``,
        ``<direction>.error.<layer>``, ``<direction>.timeout.<layer>``, ``output.revise.round``.
        """
        with self._lock:
            return dict(self._counts)


class SafetyPipeline:
    """Input and output cascades over injected checks, configured by a :class:`SafetyConfig`.

    Args:
        input_checks: run on the patient's message, in order (PII first if present).
        output_checks: run on the draft reply, in order.
        config: switches, thresholds, actions and time limits per layer.
        policy_version: clinical policy bundle version, copied into every verdict for the audit row.
        max_workers: threads that run checks with a time limit. A timed-out check keeps its thread
            until it returns, so size this above the number of layers.
    """

    def __init__(
        self,
        input_checks: Sequence[Check],
        output_checks: Sequence[Check],
        config: SafetyConfig | None = None,
        *,
        policy_version: str = "",
        max_workers: int = 8,
    ) -> None:
        self._checks: dict[Direction, tuple[Check, ...]] = {
            "input": tuple(input_checks),
            "output": tuple(output_checks),
        }
        self.config = config or SafetyConfig.load()
        self.policy_version = policy_version
        self.counters = SafetyCounters()
        self._executor = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="safety")

    def check_input(self, text: str, context: CheckContext | None = None) -> Verdict:
        """Screen a patient message (after or including PII redaction)."""
        return self._run("input", text, context or CheckContext())

    def check_output(self, text: str, context: CheckContext | None = None) -> Verdict:
        """Screen a draft reply before it is sent; ``context`` carries the input verdict's categories."""
        return self._run("output", text, context or CheckContext())

    def warm_up(self) -> None:
        """Call every enabled check once, without time limits, so lazily loaded models are in memory.

        Call it at start-up (FastAPI lifespan): a model that cannot load raises here, loudly, instead
        of every patient turn failing closed on a timeout.
        """
        samples: tuple[tuple[Direction, str], ...] = (
            ("input", "I have had a headache for two days."),
            ("output", "Rest."),
        )
        for direction, sample in samples:
            for check in self._checks[direction]:
                if self.config.layer(check.name).enabled:
                    check(sample, CheckContext())

    def close(self) -> None:
        """Release the worker threads."""
        self._executor.shutdown(wait=False, cancel_futures=True)

    def _call(self, check: Check, layer: LayerConfig, text: str, context: CheckContext) -> CheckResult:
        if layer.timeout_ms is None:
            return check(text, context)
        future = self._executor.submit(check, text, context)
        return future.result(timeout=layer.timeout_ms / 1000.0)

    def _triggers(self, name: str, layer: LayerConfig, result: CheckResult) -> list[Trigger]:
        triggers = []
        for signal in result.signals:
            threshold = layer.threshold_for(signal.category)
            if signal.score >= threshold:
                action = signal.action or layer.action_for(signal.category)
                triggers.append(
                    Trigger(name, signal.category, signal.score, threshold, action, signal.rule_id)
                )
        return triggers

    def _run(self, direction: Direction, text: str, context: CheckContext) -> Verdict:
        triggers: list[Trigger] = []
        latency: dict[str, float] = {}
        redaction: RedactionResult | None = None
        decision = Decision.ALLOW
        reason: str | None = None
        for check in self._checks[direction]:
            layer = self.config.layer(check.name)
            if not layer.enabled:
                continue
            started = time.perf_counter()
            try:
                result = self._call(check, layer, text, context)
                new = self._triggers(check.name, layer, result)
            except FutureTimeout:
                new = [
                    Trigger(
                        check.name, "timeout", 1.0, 0.0, self.config.fail_action, self.config.fail_category
                    )
                ]
                self.counters.add(f"{direction}.timeout.{check.name}")
                result = CheckResult()
            except Exception:  # fail closed on any layer error; the trigger records which layer
                new = [
                    Trigger(check.name, "error", 1.0, 0.0, self.config.fail_action, self.config.fail_category)
                ]
                self.counters.add(f"{direction}.error.{check.name}")
                result = CheckResult()
            latency[check.name] = (time.perf_counter() - started) * 1000.0  # ms
            if result.text is not None:
                text = result.text
                redaction = result.redaction or redaction
            triggers.extend(new)
            self.counters.add(*(f"{direction}.trigger.{t.layer}.{t.category}.{t.action}" for t in new))
            for trigger in new:
                if SEVERITY[trigger.action] > SEVERITY[decision]:
                    decision = trigger.action
                    reason = self._reason(trigger)
            if decision.stops:
                break
        self.counters.add(f"{direction}.decision.{decision}")
        return Verdict(decision, tuple(triggers), text, reason, self.policy_version, redaction, latency)

    def _reason(self, trigger: Trigger) -> str | None:
        if trigger.action == Decision.REDACT:
            return None
        if trigger.category in ("timeout", "error"):
            return self.config.fail_category
        return trigger.category
