"""Cross-file checks for the safety files: ids unique, every category has a fallback, checks name principles.

Each check takes the validated sections (bundle field -> value) and returns a list of problems, each
starting with the file name, like :mod:`clinical_policies.crosscheck`.
"""

from __future__ import annotations

from typing import Any

from clinical_policies.crosscheck import CrossCheck, duplicate_ids
from clinical_policies.schema_claims import HealthClaim, text_key
from clinical_policies.schema_safety import (
    BUILTIN_REASON_CATEGORIES,
    ConstitutionCheck,
    RefusalMessage,
    RefusalWaiver,
    SafetyCategory,
    SafetyRule,
)

LLAMA_GUARD_3_CODES = tuple(f"S{n}" for n in range(1, 15))  # S1..S14, the MLCommons taxonomy


def safety_ids_unique(sections: dict[str, Any]) -> list[str]:
    """Ids are unique in each safety file, and each reason category has exactly one fallback message."""
    categories: tuple[SafetyCategory, ...] = sections["safety_categories"]
    messages: tuple[RefusalMessage, ...] = sections["refusal_messages"]
    rules: tuple[SafetyRule, ...] = sections["safety_rules"]
    checks: tuple[ConstitutionCheck, ...] = sections["constitution_checks"]
    problems = duplicate_ids("safety_categories.yaml", (c.id for c in categories))
    problems += duplicate_ids("refusal_messages.yaml", (m.id for m in messages))
    problems += [
        p.replace("duplicate id", "duplicate reason_category")
        for p in duplicate_ids("refusal_messages.yaml", (m.reason_category for m in messages))
    ]
    problems += duplicate_ids("safety_rules.yaml", (r.id for r in rules))
    problems += duplicate_ids("constitution_checks.yaml", (c.id for c in checks))
    return problems


def triage_floors_are_dispositions(sections: dict[str, Any]) -> list[str]:
    """A fallback message's ``triage_floor`` names a disposition of ``dispositions.yaml``."""
    dispositions = {d.id for d in sections["dispositions"]}
    return [
        f"refusal_messages.yaml: {m.id} triage_floor '{m.triage_floor}' is not a disposition"
        for m in sections["refusal_messages"]
        if m.triage_floor is not None and m.triage_floor not in dispositions
    ]


def floor_waivers_are_concepts(sections: dict[str, Any]) -> list[str]:
    """A fallback message's ``floor_waived_by_denial_of`` names lexicon concepts of ``symptoms.yaml``."""
    concepts = {c.id for c in sections["symptoms"].concepts}
    return [
        f"refusal_messages.yaml: {m.id} floor_waived_by_denial_of '{c}' is not a symptoms.yaml concept"
        for m in sections["refusal_messages"]
        for c in m.floor_waived_by_denial_of
        if c not in concepts
    ]


def refusal_waivers_valid(sections: dict[str, Any]) -> list[str]:
    """A waiver names lexicon concepts and refusal messages of kind ``refusal`` (never an escalation)."""
    waivers: tuple[RefusalWaiver, ...] = sections["refusal_waivers"]
    concepts = {c.id for c in sections["symptoms"].concepts}
    kinds = {m.reason_category: m.kind for m in sections["refusal_messages"]}
    problems = duplicate_ids("refusal_waivers.yaml", (w.id for w in waivers))
    for waiver in waivers:
        problems += [
            f"refusal_waivers.yaml: {waiver.id} concept '{c}' is not a symptoms.yaml concept"
            for c in (*waiver.when_present, *waiver.unless_present)
            if c not in concepts
        ]
        problems += [
            f"refusal_waivers.yaml: {waiver.id} reason '{r}' is not a refusal message's reason"
            + (f" (it is kind {kinds[r]}; only refusals may be waived)" if r in kinds else "")
            for r in waiver.reasons
            if kinds.get(r) != "refusal"
        ]
    return problems


def reply_reasons_are_escalations(sections: dict[str, Any]) -> list[str]:
    """A red flag's or triage rule's ``reply_reason`` names an escalation message (refusal_messages.yaml)."""
    escalations = {m.reason_category for m in sections["refusal_messages"] if m.kind == "escalation"}
    rules = [("triage_rules.yaml", rule) for protocol in sections["triage_rules"] for rule in protocol.rules]
    return [
        f"{file}: {item.id} reply_reason '{item.reply_reason}' is not an escalation message's reason"
        for file, item in [*(("red_flags.yaml", f) for f in sections["red_flags"]), *rules]
        if item.reply_reason is not None and item.reply_reason not in escalations
    ]


def guard_categories_complete(sections: dict[str, Any]) -> list[str]:
    """The guard prompt lists exactly Llama Guard 3's S1..S14, in order."""
    codes = tuple(c.code for c in sections["safety_categories"])
    if codes != LLAMA_GUARD_3_CODES:
        return [f"safety_categories.yaml: codes must be S1..S14 in order, found {', '.join(codes)}"]
    return []


def reasons_have_fallbacks(sections: dict[str, Any]) -> list[str]:
    """Every reason category a category or rule can produce has a clinician-approved fallback text."""
    known = {m.reason_category for m in sections["refusal_messages"]}
    problems = [
        f"refusal_messages.yaml: no message for built-in reason category {name}"
        for name in BUILTIN_REASON_CATEGORIES
        if name not in known
    ]
    problems += [
        f"safety_categories.yaml: {c.id} reason_category {c.reason_category} has no refusal message"
        for c in sections["safety_categories"]
        if c.reason_category not in known
    ]
    problems += [
        f"safety_rules.yaml: {r.id} category {r.category} has no refusal message"
        for r in sections["safety_rules"]
        if r.category not in known
    ]
    return problems


def checks_name_principles(sections: dict[str, Any]) -> list[str]:
    """Every constitution check refers to a principle that exists in constitution.yaml."""
    principles = {p.id for p in sections["constitution"]}
    return [
        f"constitution_checks.yaml: {c.id} principle_id {c.principle_id} is not in constitution.yaml"
        for c in sections["constitution_checks"]
        if c.principle_id not in principles
    ]


def health_claims_distinct(sections: dict[str, Any]) -> list[str]:
    """Claim ids are unique, and no text is both a way of stating one claim and a true counter-statement."""
    claims: tuple[HealthClaim, ...] = sections["health_claims"]
    problems = duplicate_ids("health_claims.yaml", (c.id for c in claims))
    stated: dict[str, str] = {}
    for claim in claims:
        for text in (claim.claim, *claim.paraphrases):
            key = text_key(text)
            if key in stated and stated[key] != claim.id:
                problems.append(f"health_claims.yaml: {claim.id} repeats {stated[key]}'s text {text!r}")
            stated.setdefault(key, claim.id)
    for claim in claims:
        for text in claim.counter_statements:
            key = text_key(text)
            if key in stated:
                problems.append(
                    f"health_claims.yaml: {claim.id} counter-statement {text!r} is also a way of "
                    f"stating the false claim {stated[key]}"
                )
    return problems


SAFETY_CROSS_CHECKS: list[CrossCheck] = [
    health_claims_distinct,
    safety_ids_unique,
    guard_categories_complete,
    reasons_have_fallbacks,
    triage_floors_are_dispositions,
    reply_reasons_are_escalations,
    floor_waivers_are_concepts,
    refusal_waivers_valid,
    checks_name_principles,
]
