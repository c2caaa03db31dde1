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


NEGATION_WINDOW_CHARS = 80  # how far before a match's target a denial cue is looked for


class RuleMatcher:
    """One rule's patterns; with ``negated_by``, a match right after a denial cue is skipped, not final."""

    def __init__(self, rule: SafetyRule) -> None:
        self.rule = rule
        if rule.negated_by:
            self._patterns = [re.compile(p, re.IGNORECASE) for p in rule.patterns]
            self._cue: re.Pattern[str] | None = re.compile(
                "(?:" + "|".join(f"(?:{c})" for c in rule.negated_by) + r")\W*$", re.IGNORECASE
            )
        else:
            self._patterns = [re.compile("|".join(f"(?:{p})" for p in rule.patterns), re.IGNORECASE)]
            self._cue = None

    def matches(self, text: str) -> bool:
        """Whether any pattern matches ``text`` other than as a denial."""
        return any(self._affirmed(pattern, text) for pattern in self._patterns)

    def _affirmed(self, pattern: re.Pattern[str], text: str) -> bool:
        position = 0
        while (match := pattern.search(text, position)) is not None:
            if self._cue is None:
                return True
            start = match.start("target") if match.group("target") is not None else match.start()
            if not self._cue.search(text[max(0, start - NEGATION_WINDOW_CHARS) : start]):
                return True
            position = match.start() + 1  # a later, overlapping match may be affirmed
        return False


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
        self._matchers = [RuleMatcher(rule) for rule in rules if rule.applies_to in (direction, "both")]

    def __call__(self, text: str, context: CheckContext) -> CheckResult:
        """Return one signal per matching rule, with the action the policy fixes for it."""
        signals = tuple(
            Signal(m.rule.category, 1.0, _ACTIONS[m.rule.action], m.rule.id)
            for m in self._matchers
            if m.matches(text)
        )
        return CheckResult(signals)
