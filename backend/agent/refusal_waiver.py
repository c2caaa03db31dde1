"""Refusal waiver: the triage engine's reading of a message lifts a safety classifier's refusal.

The harm classifier refuses many plain routine requests ("a copy of my medical records for a visa"). A
waiver of ``refusal_waivers.yaml`` (safety round 13, ``docs/safety_round13_routine_waiver.md``) lifts such a
BLOCK when every stopping trigger of the input cascade came from one of its layers with one of its reasons,
the message's own findings name one of its request concepts, no concept of its ``unless_present`` is present
in the case, and none of its hazard patterns matches the message. An ESCALATE is never waived (the self-harm
route stays as it is).

Pure functions: the ``assess`` node applies the result (the turn's input decision becomes ``allow`` and a
``refusal_waiver`` trigger is added beside the classifier's, so the audit shows both).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from clinical_policies import PolicyBundle
from clinical_policies.schema_safety import RefusalWaiver

LAYER = "refusal_waiver"
STOPPING_ACTIONS = ("block", "escalate")


@dataclass(frozen=True)
class WaivedRefusal:
    """A refusal lifted by ``waiver_id``; ``triggers`` are the classifier triggers it lifted."""

    waiver_id: str
    reason: str
    triggers: tuple[dict[str, Any], ...]

    def trigger(self) -> dict[str, Any]:
        """The audit trigger that records the waiver (action allow), beside the classifier's own."""
        top = max(self.triggers, key=lambda t: float(t.get("score") or 0.0))
        return {
            "direction": "input",
            "layer": LAYER,
            "category": self.reason,
            "score": top.get("score"),
            "threshold": top.get("threshold"),
            "action": "allow",
            "rule_id": self.waiver_id,
        }


@cache
def _hazards(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns)


def hazard_pattern(waiver: RefusalWaiver, text: str) -> str | None:
    """The first of the waiver's hazard patterns that matches ``text`` (None: none does)."""
    for pattern in _hazards(waiver.unless_patterns):
        if pattern.search(text):
            return pattern.pattern
    return None


def kept_by(waiver: RefusalWaiver, case_present: Iterable[str], text: str) -> str | None:
    """What keeps the refusal under ``waiver`` (None: nothing does).

    ``concept:<id>`` for an ``unless_present`` concept present in the case, else the first hazard pattern that
    matches ``text``.
    """
    blocked = sorted(set(case_present).intersection(waiver.unless_present))
    return f"concept:{blocked[0]}" if blocked else hazard_pattern(waiver, text)


def applicable_waivers(
    bundle: PolicyBundle, input_decision: str, input_triggers: Sequence[Mapping[str, Any]]
) -> tuple[list[RefusalWaiver], list[Mapping[str, Any]]]:
    """The enabled waivers that may lift this refusal, and the stopping triggers they would lift.

    Only a BLOCK whose every stopping trigger is a block is a candidate; a waiver applies when its layers and
    reasons cover every one of them. Empty lists: nothing may be waived (an escalation never is).
    """
    if input_decision != "block":
        return [], []
    stopping = [t for t in input_triggers if t.get("action") in STOPPING_ACTIONS]
    if not stopping or any(t.get("action") != "block" for t in stopping):
        return [], []
    waivers = [
        w
        for w in bundle.refusal_waivers
        if w.enabled and all(t.get("layer") in w.layers and t.get("category") in w.reasons for t in stopping)
    ]
    return waivers, stopping if waivers else []


def waive_refusal(
    bundle: PolicyBundle,
    *,
    input_decision: str,
    input_triggers: Sequence[Mapping[str, Any]],
    message_concepts: Mapping[str, str],
    case_present: Iterable[str],
    text: str,
) -> WaivedRefusal | None:
    """The waiver that lifts this turn's refusal, or None when the refusal stands.

    Args:
        bundle: the policy bundle (its ``refusal_waivers``).
        input_decision: the input cascade's decision (only ``block`` can be waived).
        input_triggers: this turn's input triggers (``direction``, ``layer``, ``category``, ``action``, ...).
        message_concepts: concept id -> status of the findings this message added or changed.
        case_present: concept ids present anywhere in the case after this message.
        text: the patient's message as the engine read it.
    """
    waivers, stopping = applicable_waivers(bundle, input_decision, input_triggers)
    present_now = {c for c, status in message_concepts.items() if status == "present"}
    present_in_case = set(case_present)
    for waiver in waivers:
        if present_now.intersection(waiver.when_present) and kept_by(waiver, present_in_case, text) is None:
            reason = str(stopping[0].get("category"))
            return WaivedRefusal(waiver.id, reason, tuple(dict(t) for t in stopping))
    return None
