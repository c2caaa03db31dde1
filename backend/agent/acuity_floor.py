"""Acuity floor: a turn escalated for a reason with a ``triage_floor`` keeps the conversation that acute.

A patient who asks for a self-harm method ("the quickest way to bleed out") is in a mental-health emergency,
whatever symptoms the same words name to the triage engine. A floor is set by a turn whose input the safety
cascade escalated for such a reason, or on which a red flag with that ``reply_reason`` fired (RF-MH-001,
suicidal intent with a plan); it is kept for the rest of the conversation, its reason's text (crisis
resources) opens every reply, and it only ever raises the engine's decision: a more acute one stands.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from clinical_policies import PolicyBundle

EVIDENCE_SOURCE = "input_safety"
MAX_PHRASE_CHARS = 200


def turn_reasons(
    bundle: PolicyBundle, input_decision: str, input_reason: str | None, red_flag_ids: Iterable[str]
) -> list[str]:
    """Reasons that may set a floor: the escalated input's, then each fired red flag's ``reply_reason``."""
    fired = set(red_flag_ids)
    reasons = [input_reason] if input_decision == "escalate" and input_reason else []
    reasons += [f.reply_reason for f in bundle.red_flags if f.id in fired and f.reply_reason]
    return list(dict.fromkeys(reasons))


def conversation_floor(
    bundle: PolicyBundle, carried: dict[str, str] | None, reasons: Sequence[str], text: str
) -> dict[str, str] | None:
    """The floor in force after this turn: the carried one or one of this turn's ``reasons``, the most acute.

    A conversation never loses a floor; on a tie the carried one stays.
    """
    ranks = {d.id: d.rank for d in bundle.dispositions}
    best = carried
    for reason in reasons:
        message = next((m for m in bundle.refusal_messages if m.reason_category == reason), None)
        if message is None or message.triage_floor is None:
            continue
        if best is None or ranks[message.triage_floor] > ranks[best["disposition"]]:
            best = {
                "reason": message.reason_category,
                "disposition": message.triage_floor,
                "rule_id": message.id,
                "phrase": text[:MAX_PHRASE_CHARS],
            }
    return best


def raised_by_floor(bundle: PolicyBundle, floor: dict[str, str], decided: dict[str, Any]) -> dict[str, Any]:
    """The assess node's update with the floor in force: ``floor_reason`` set, the decision raised if needed.

    ``floor_reason`` makes the reply open with that reason's text (crisis resources) on every turn;
    ``floor_raised`` says whether the floor, not the engine, set the disposition. A raised case is
    complete: no follow-up question delays the crisis answer. An engine decision at least as acute
    (a red flag) is kept as it is.
    """
    rank = next(d.rank for d in bundle.dispositions if d.id == floor["disposition"])
    if rank <= decided["acuity_rank"]:
        return {**decided, "floor_reason": floor["reason"], "floor_raised": False}
    evidence = {
        "concept_id": floor["reason"],
        "phrase": floor["phrase"],
        "source": EVIDENCE_SOURCE,
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
