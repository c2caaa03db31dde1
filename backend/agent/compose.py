"""Which clinician-approved text a reply must carry, and whether the model may phrase around it.

Pure functions over the assessment and the input verdict. The model never decides what the
disposition is: it only writes a sentence around text chosen here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from clinical_policies import PolicyBundle
from safety import Decision, FallbackResponder
from safety.claims import INPUT_LAYER as KNOWN_CLAIMS_INPUT_LAYER

Mode = Literal["template_only", "model_question", "model_disposition"]

EMERGENCY = "emergency"


@dataclass(frozen=True)
class ApprovedReply:
    """The approved text and how the model may contribute."""

    text: str
    mode: Mode
    escalate_reason: str | None = None
    corrections: tuple[str, ...] = ()

    @property
    def full_text(self) -> str:
        """What the reply must carry verbatim: the approved text and any approved corrections.

        A follow-up question stays last, so the patient sees what to answer; otherwise (disposition,
        emergency) the corrections follow the approved text.
        """
        if self.mode == "model_question":
            return "\n\n".join((*self.corrections, self.text))
        return "\n\n".join((self.text, *self.corrections))


def claim_corrections(bundle: PolicyBundle, triggers: list[dict[str, object]]) -> tuple[str, ...]:
    """Approved corrections for the known false claims the patient's message stated or asked about.

    ``triggers`` are the turn's safety triggers; a trigger of the input known-claims layer names its
    claim in ``rule_id``. Each correction is added once, in the order the claims fired.
    """
    by_id = {claim.id: claim.correction for claim in bundle.health_claims}
    wanted = [
        str(t.get("rule_id", ""))
        for t in triggers
        if t.get("direction") == "input" and t.get("layer") == KNOWN_CLAIMS_INPUT_LAYER
    ]
    return tuple(dict.fromkeys(by_id[claim_id] for claim_id in wanted if claim_id in by_id))


def disposition_text(bundle: PolicyBundle, disposition: str, rule_ids: Sequence[str] = ()) -> str:
    """The disposition's patient message followed by its safety-netting advice.

    When every triage rule in ``rule_ids`` that decided at ``disposition`` has its own message
    (``messages.yaml`` ``rule_messages``), those messages replace the disposition's; when only some do, they
    follow it. The safety-netting advice always closes the text.
    """
    item = bundle.disposition(disposition)
    messages = bundle.messages.rule_messages
    rules = [rule for rule in map(bundle.triage_rule, dict.fromkeys(rule_ids)) if rule is not None]
    deciding = [rule.id for rule in rules if rule.disposition == disposition]
    own = [messages[r] for r in deciding if r in messages]
    if not own:
        message = item.patient_message
    elif len(own) == len(deciding):
        message = " ".join(dict.fromkeys(own))
    else:
        message = " ".join(dict.fromkeys((item.patient_message, *own)))
    return f"{message}\n\n{item.safety_net}"


def choose_approved(
    bundle: PolicyBundle,
    fallback: FallbackResponder,
    *,
    input_decision: str,
    input_reason: str | None,
    disposition: str,
    complete: bool,
    question: str | None,
    floor_reason: str | None = None,
    floor_raised: bool = False,
    rule_ids: Sequence[str] = (),
) -> ApprovedReply:
    """Decide the approved text.

    Emergencies are answered with the approved emergency text only, whatever else happened. A blocked
    or escalated input gets its fallback message (crisis resources, refusal with reason) and keeps
    the triage outcome when the triage is complete. Otherwise the model phrases around the next
    question or the final disposition.

    While an acuity floor is in force (``floor_reason``: a turn escalated for self-harm by the input
    cascade or red flag RF-MH-001, this turn or earlier), that reason's escalation text opens every
    answer, blocked requests included: crisis resources, never a bare refusal. When the floor set the
    disposition (``floor_raised``) it is the whole answer; when the engine decided as acute itself (a red
    flag: "I have taken all my tablets"), the engine's emergency text follows it.
    """
    emergency = disposition == EMERGENCY
    if floor_reason is not None:  # even for a blocked request ("how much would stop a heart")
        response = fallback.for_reason(floor_reason, Decision.ESCALATE)
    elif input_decision in (Decision.BLOCK.value, Decision.ESCALATE.value):
        response = fallback.for_reason(input_reason or "uncertain", Decision(input_decision))
    else:
        response = None
    if response is not None:
        parts = [response.text]
        if not floor_raised:  # the triage outcome follows, unless the floor (not the engine) set it
            if emergency or complete:
                parts.append(disposition_text(bundle, disposition, rule_ids))
            elif question:
                parts.append(question)
        reason = f"input_{response.reason_category}" if response.escalate else None
        return ApprovedReply("\n\n".join(parts), "template_only", reason)
    if emergency:
        return ApprovedReply(disposition_text(bundle, EMERGENCY), "template_only", "red_flag_emergency")
    if question and not complete:
        return ApprovedReply(question, "model_question")
    return ApprovedReply(disposition_text(bundle, disposition, rule_ids), "model_disposition")


def instruction(bundle: PolicyBundle, approved: ApprovedReply, disposition_title: str) -> str:
    """The per-turn instruction to the model (wording is clinical policy data)."""
    messages = bundle.messages
    if approved.mode == "model_question":
        return messages.model_instruction_question.format(question=approved.text)
    return messages.model_instruction_disposition.format(disposition=disposition_title)
