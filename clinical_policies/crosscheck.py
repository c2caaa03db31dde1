"""Cross-file consistency checks run after every file has passed its own schema.

Each check returns a list of problems; every problem starts with the file name and names the entry and
field at fault, so a clinician editing YAML can find it without reading Python.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from clinical_policies.schema_triage import (
    COMPLAINT_TARGET,
    FACT_TARGETS,
    ComplaintProtocol,
    Conditions,
    Disposition,
    EngineSettings,
    RedFlag,
    SymptomLexicon,
)

CrossCheck = Callable[[dict[str, Any]], list[str]]


def duplicate_ids(file_name: str, ids: Iterable[str], kind: str | None = None) -> list[str]:
    """One problem line per repeated id, naming the file (and the kind of item, if given)."""
    seen: set[str] = set()
    problems = []
    suffix = f" ({kind})" if kind else ""
    for item_id in ids:
        if item_id in seen:
            problems.append(f"{file_name}: duplicate id {item_id}{suffix}")
        seen.add(item_id)
    return problems


def unique_ids(sections: dict[str, Any]) -> list[str]:
    """Ids are unique within each collection (and rule/question ids across all complaints)."""
    protocols: tuple[ComplaintProtocol, ...] = sections["triage_rules"]
    engine: EngineSettings = sections["engine"]
    return [
        *duplicate_ids("constitution.yaml", (p.id for p in sections["constitution"]), "principle"),
        *duplicate_ids("dispositions.yaml", (d.id for d in sections["dispositions"]), "disposition"),
        *duplicate_ids("dispositions.yaml", (str(d.rank) for d in sections["dispositions"]), "rank"),
        *duplicate_ids("symptoms.yaml", (c.id for c in sections["symptoms"].concepts), "concept"),
        *duplicate_ids("red_flags.yaml", (f.id for f in sections["red_flags"]), "red flag"),
        *duplicate_ids("triage_rules.yaml", (p.id for p in protocols), "complaint"),
        *duplicate_ids("triage_rules.yaml", (r.id for p in protocols for r in p.rules), "rule"),
        *duplicate_ids(
            "triage_rules.yaml/engine.yaml",
            [
                *(q.id for p in protocols for q in p.questions),
                *(q.id for q in engine.questions),
                *([engine.complaint_question.id] if engine.complaint_question else []),
            ],
            "question",
        ),
    ]


def _condition_problems(where: str, conditions: Conditions, concepts: Mapping[str, str]) -> list[str]:
    problems = []
    for field in ("all", "any", "any_risk", "none"):
        for concept_id in getattr(conditions, field):
            if concept_id not in concepts:
                problems.append(f"{where}.{field}: unknown concept '{concept_id}' (not in symptoms.yaml)")
            elif field == "any_risk" and concepts[concept_id] != "risk_factor":
                problems.append(f"{where}.any_risk: '{concept_id}' is not a risk_factor concept")
    return problems


def references_exist(sections: dict[str, Any]) -> list[str]:
    """Every disposition, concept and question target referenced anywhere is defined."""
    lexicon: SymptomLexicon = sections["symptoms"]
    concepts = {c.id: c.kind for c in lexicon.concepts}
    dispositions = {d.id for d in sections["dispositions"]}
    engine: EngineSettings = sections["engine"]
    problems = []
    for flag in sections["red_flags"]:
        for index, cond in enumerate(flag.when_any):
            problems += _condition_problems(f"red_flags.yaml: {flag.id} when_any[{index}]", cond, concepts)
    for protocol in sections["triage_rules"]:
        for trigger in protocol.triggers:
            if trigger not in concepts:
                problems.append(f"triage_rules.yaml: {protocol.id} triggers: unknown concept '{trigger}'")
        for question in protocol.questions:
            if question.target not in concepts and question.target not in FACT_TARGETS:
                problems.append(
                    f"triage_rules.yaml: {question.id} target: unknown concept or fact '{question.target}'"
                )
            for concept_id in question.only_if_any:
                if concept_id not in concepts:
                    problems.append(
                        f"triage_rules.yaml: {question.id} only_if_any: unknown concept '{concept_id}'"
                    )
        for rule in protocol.rules:
            problems += _condition_problems(f"triage_rules.yaml: {rule.id} when", rule.when, concepts)
            if rule.disposition not in dispositions:
                problems.append(f"triage_rules.yaml: {rule.id} disposition: unknown '{rule.disposition}'")
    for name in ("fallback_disposition", "emergency_disposition"):
        if getattr(engine, name) not in dispositions:
            problems.append(f"engine.yaml: {name}: unknown disposition '{getattr(engine, name)}'")
    problems += _engine_references(engine, concepts, dispositions)
    for risk in engine.high_risk.risk_factors:
        if concepts.get(risk) != "risk_factor":
            problems.append(f"engine.yaml: high_risk.risk_factors: '{risk}' is not a risk_factor concept")
    for question in engine.questions:
        if question.target not in FACT_TARGETS:
            problems.append(f"engine.yaml: {question.id} target: must be one of {', '.join(FACT_TARGETS)}")
    opener = engine.complaint_question
    if opener is not None and opener.target != COMPLAINT_TARGET:
        problems.append(f"engine.yaml: complaint_question {opener.id} target: must be '{COMPLAINT_TARGET}'")
    return problems


def _engine_references(
    engine: EngineSettings, concepts: Mapping[str, str], dispositions: set[str]
) -> list[str]:
    """Early-warning, clinician-review and chronic-fallback settings name known concepts and dispositions."""
    problems = []
    if engine.early_warning is not None:
        for concept_id in engine.early_warning.altered_mentation:
            if concept_id not in concepts:
                problems.append(
                    f"engine.yaml: early_warning.altered_mentation: unknown concept '{concept_id}'"
                )
        for field in ("news2_concepts", "qsofa_concepts"):
            for derived in getattr(engine.early_warning, field):
                if derived.concept not in concepts:
                    problems.append(
                        f"engine.yaml: early_warning.{field}: unknown concept '{derived.concept}'"
                    )
    review = engine.clinician_review
    if review is not None:
        problems += [
            f"engine.yaml: clinician_review.dispositions: unknown '{d}'"
            for d in review.dispositions
            if d not in dispositions
        ]
        problems += [
            f"engine.yaml: clinician_review.findings: unknown concept '{f.concept}'"
            for f in review.findings
            if f.concept not in concepts
        ]
    chronic = engine.chronic_fallback
    if chronic is not None and chronic.disposition not in dispositions:
        problems.append(f"engine.yaml: chronic_fallback.disposition: unknown '{chronic.disposition}'")
    return problems


def red_flags_are_emergencies(sections: dict[str, Any]) -> list[str]:
    """Every red flag maps to the emergency disposition, which is the most acute level."""
    engine: EngineSettings = sections["engine"]
    dispositions: tuple[Disposition, ...] = sections["dispositions"]
    problems = []
    ranks = {d.id: d.rank for d in dispositions}
    emergency = engine.emergency_disposition
    if emergency in ranks and ranks[emergency] != max(ranks.values()):
        problems.append(f"engine.yaml: emergency_disposition '{emergency}' is not the highest rank")
    flags: tuple[RedFlag, ...] = sections["red_flags"]
    for flag in flags:
        if flag.disposition != emergency:
            problems.append(
                f"red_flags.yaml: {flag.id} disposition: must be '{emergency}', got '{flag.disposition}'"
            )
    return problems


def patterns_compile(sections: dict[str, Any]) -> list[str]:
    """Every regular expression in the lexicon and the red-flag phrase exceptions compiles."""
    problems = []
    for concept in sections["symptoms"].concepts:
        problems += _invalid_regexes(f"symptoms.yaml: {concept.id} patterns", concept.patterns)
        problems += _invalid_regexes(f"symptoms.yaml: {concept.id} exceptions", concept.exceptions)
    for flag in sections["red_flags"]:
        problems += _invalid_regexes(f"red_flags.yaml: {flag.id} phrase_exceptions", flag.phrase_exceptions)
    return problems


def _invalid_regexes(where: str, patterns: Iterable[str]) -> list[str]:
    problems = []
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            problems.append(f"{where}: invalid regex {pattern!r}: {exc}")
    return problems


def rule_messages_valid(sections: dict[str, Any]) -> list[str]:
    """A rule message names a triage rule, is not empty, and never replaces the emergency text."""
    messages = sections["messages"]
    engine: EngineSettings = sections["engine"]
    protocols: tuple[ComplaintProtocol, ...] = sections["triage_rules"]
    rules = {rule.id: rule for protocol in protocols for rule in protocol.rules}
    problems = []
    for rule_id, text in messages.rule_messages.items():
        where = f"messages.yaml: rule_messages: {rule_id}"
        rule = rules.get(rule_id)
        if rule is None:
            problems.append(f"{where}: no triage rule has this id")
        elif rule.disposition == engine.emergency_disposition:
            problems.append(f"{where}: an emergency rule keeps the approved emergency text")
        if not text.strip():
            problems.append(f"{where}: the message is empty")
    return problems


CROSS_CHECKS: list[CrossCheck] = [
    unique_ids,
    references_exist,
    red_flags_are_emergencies,
    patterns_compile,
    rule_messages_valid,
]
