"""Acuity floor: an input escalated for a reason with a ``triage_floor`` keeps the conversation that acute.

A patient who asks for a self-harm method ("the quickest way to bleed out") is in a mental-health emergency,
whatever symptoms the same words name to the triage engine. The floor is set by the turn whose input the
safety cascade escalated, is kept for the rest of the conversation, and only ever raises the engine's
decision: a more acute decision (a red flag) stands.
"""

from __future__ import annotations

from typing import Any

from clinical_policies import PolicyBundle

EVIDENCE_SOURCE = "input_safety"
MAX_PHRASE_CHARS = 200


def conversation_floor(
    bundle: PolicyBundle,
    carried: dict[str, str] | None,
    input_decision: str,
    input_reason: str | None,
    text: str,
) -> dict[str, str] | None:
    """The floor in force after this turn: the one carried over, or one from this turn's escalated input.

    The more acute of the two wins (a conversation never loses a floor).
    """
    new = None
    message = next((m for m in bundle.refusal_messages if m.reason_category == input_reason), None)
    if input_decision == "escalate" and message is not None and message.triage_floor is not None:
        new = {
            "reason": message.reason_category,
            "disposition": message.triage_floor,
            "rule_id": message.id,
            "phrase": text[:MAX_PHRASE_CHARS],
        }
    if carried is None or new is None:
        return new or carried
    ranks = {d.id: d.rank for d in bundle.dispositions}
    return new if ranks[new["disposition"]] > ranks[carried["disposition"]] else carried


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
