"""Acuity floor: a turn escalated for a reason with a ``triage_floor`` keeps the conversation that acute.

A patient who asks for a self-harm method ("the quickest way to bleed out") is in a mental-health emergency,
whatever symptoms the same words name to the triage engine. A floor is set by a turn whose input the safety
cascade escalated for such a reason, or on which a red flag with that ``reply_reason`` fired (RF-MH-001,
suicidal intent with a plan): the reason's escalation message's ``triage_floor`` (emergency). A triage rule
with a ``reply_reason`` (TR-MIND-001, suicidal thoughts without a plan) sets a floor at its own disposition
(urgent). A floor is kept for the rest of the conversation, its reason's text (crisis resources) opens every
reply, and it only ever raises the engine's decision: a more acute one stands.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from clinical_policies import PolicyBundle

# the evidence source a raised decision names, by what set the floor (the clinician console shows it)
INPUT_SOURCE, RED_FLAG_SOURCE, RULE_SOURCE = "input_safety", "red_flag", "triage_rule"
MAX_PHRASE_CHARS = 200


@dataclass(frozen=True)
class FloorCandidate:
    """A floor this turn may set: the reply's reason, the least acute disposition, the rule id setting it."""

    reason: str
    disposition: str
    rule_id: str
    source: str = INPUT_SOURCE


def floor_candidates(
    bundle: PolicyBundle,
    input_decision: str,
    input_reason: str | None,
    red_flag_ids: Iterable[str],
    rule_ids: Iterable[str] = (),
    concept_status: Mapping[str, str] | None = None,
) -> list[FloorCandidate]:
    """Floors this turn may set: the escalated input's, each fired red flag's, then each decisive rule's.

    The input's and a red flag's floor is their reason's escalation message's ``triage_floor`` (none if it
    has none); a triage rule's is the rule's own disposition. The escalated input sets none where the
    engine read this message (``concept_status``: this turn's findings, concept id -> present/absent/unknown)
    as denying its reason's ``floor_waived_by_denial_of`` concepts, with none of them present ("i'm not
    suicidal, i just can't sleep").
    """
    messages = {m.reason_category: m for m in bundle.refusal_messages}
    status = concept_status or {}

    def from_message(reason: str, source: str) -> list[FloorCandidate]:
        message = messages.get(reason)
        if message is None or message.triage_floor is None:
            return []
        read = [status.get(c) for c in message.floor_waived_by_denial_of]
        if source == INPUT_SOURCE and "absent" in read and "present" not in read:
            return []  # the engine read a denial; a red flag is the engine's own positive reading
        return [FloorCandidate(reason, message.triage_floor, message.id, source)]

    fired_flags, fired_rules = set(red_flag_ids), set(rule_ids)
    candidates: list[FloorCandidate] = []
    if input_decision == "escalate" and input_reason:
        candidates += from_message(input_reason, INPUT_SOURCE)
    for flag in bundle.red_flags:
        if flag.id in fired_flags and flag.reply_reason:
            candidates += from_message(flag.reply_reason, RED_FLAG_SOURCE)
    for protocol in bundle.triage_rules:
        candidates += [
            FloorCandidate(rule.reply_reason, rule.disposition, rule.id, RULE_SOURCE)
            for rule in protocol.rules
            if rule.id in fired_rules and rule.reply_reason
        ]
    return list(dict.fromkeys(candidates))


def conversation_floor(
    bundle: PolicyBundle, carried: dict[str, str] | None, candidates: Sequence[FloorCandidate], text: str
) -> dict[str, str] | None:
    """The floor in force after this turn: the carried one or one of this turn's candidates, the most acute.

    A conversation never loses a floor; on a tie the carried one (or the earlier candidate) stays.
    """
    ranks = {d.id: d.rank for d in bundle.dispositions}
    best = carried
    for candidate in candidates:
        if best is None or ranks[candidate.disposition] > ranks[best["disposition"]]:
            best = {
                "reason": candidate.reason,
                "disposition": candidate.disposition,
                "rule_id": candidate.rule_id,
                "phrase": text[:MAX_PHRASE_CHARS],
                "source": candidate.source,
            }
    return best


def raised_by_floor(bundle: PolicyBundle, floor: dict[str, str], decided: dict[str, Any]) -> dict[str, Any]:
    """The assess node's update with the floor in force: ``floor_reason`` set, the decision raised if needed.

    ``floor_reason`` makes the reply open with that reason's text (crisis resources) on every turn;
    ``floor_raised`` says whether the floor, not the engine, set the disposition. A raised case is
    complete: no follow-up question delays the crisis answer. An engine decision at least as acute
    (a red flag) is kept as it is, and complete too where the reason's message ``stops_questions``.
    """
    rank = next(d.rank for d in bundle.dispositions if d.id == floor["disposition"])
    if rank <= decided["acuity_rank"]:
        kept = {**decided, "floor_reason": floor["reason"], "floor_raised": False}
        message = next((m for m in bundle.refusal_messages if m.reason_category == floor["reason"]), None)
        if message is not None and message.stops_questions:  # answers in another language: none read
            kept |= {"next_question": None, "assessment_complete": True}
        return kept
    evidence = {
        "concept_id": floor["reason"],
        "phrase": floor["phrase"],
        "source": floor.get("source", INPUT_SOURCE),  # checkpointed before 0.9.4: none named
        "score": None,
        "possible_red_flag": None,
    }
    return {
        **decided,
        "disposition": floor["disposition"],
        "acuity_rank": rank,
        "rule_ids": [*decided["rule_ids"], floor["rule_id"]],
        "evidence": [*decided["evidence"], evidence],
        "next_question": None,
        "assessment_complete": True,
        "floor_reason": floor["reason"],
        "floor_raised": True,
    }
