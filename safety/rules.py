"""Fast keyword/regex layer: the policy's ``safety_rules.yaml`` compiled once, matched in microseconds."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from clinical_policies.schema_safety import SafetyRule
from safety.types import CheckContext, CheckResult, Decision, Signal

_ACTIONS: dict[str, Decision] = {
    "block": Decision.BLOCK,
    "escalate": Decision.ESCALATE,
    "flag": Decision.ALLOW,  # recorded as a trigger, does not stop the message
}


class RuleCheck:
    """Match the rules that apply to one direction; every matching rule yields a score-1.0 signal.

    Args:
        rules: the bundle's ``safety_rules``.
        direction: ``input`` (patient message) or ``output`` (draft reply); rules marked ``both``
            apply to either.
        name: layer name in :class:`safety.config.SafetyConfig`.
    """

    def __init__(
        self, rules: Sequence[SafetyRule], direction: Literal["input", "output"], name: str = "rules"
    ) -> None:
        self.name = name
        self._compiled = [
            (rule, re.compile("|".join(f"(?:{p})" for p in rule.patterns), re.IGNORECASE))
            for rule in rules
            if rule.applies_to in (direction, "both")
        ]

    def __call__(self, text: str, context: CheckContext) -> CheckResult:
        """Return one signal per matching rule, with the action the policy fixes for it."""
        signals = tuple(
            Signal(rule.category, 1.0, _ACTIONS[rule.action], rule.id)
            for rule, pattern in self._compiled
            if pattern.search(text)
        )
        return CheckResult(signals)
