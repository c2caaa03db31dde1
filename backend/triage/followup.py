"""Follow-up questions: pick the most informative unresolved discriminator; interpret the answer.

A question is informative when the possible answers lead to different dispositions; the score is the
spread of acuity ranks over the hypothetical answers (ties: the higher reachable acuity, then policy
order). The number of questions is bounded by ``engine.max_followup_turns`` and a question is never
asked twice, so the loop always ends.
"""

from __future__ import annotations

import re
from typing import Literal

from backend.triage.decision import active_protocols, decide
from backend.triage.text import normalise, phrase_pattern
from backend.triage.types import CaseFacts, Finding, FollowUpQuestion
from clinical_policies import PolicyBundle
from clinical_policies.schema_triage import FACT_TARGETS, Conditions, DiscriminatorQuestion

Answer = Literal["yes", "no", "unknown"]
_EPSILON = 0.01


def _all_conditions(bundle: PolicyBundle) -> list[Conditions]:
    return [c for f in bundle.red_flags for c in f.when_any] + [
        r.when for p in bundle.triage_rules for r in p.rules
    ]


def _hypotheses(bundle: PolicyBundle, facts: CaseFacts, target: str) -> list[CaseFacts]:
    """The case under each possible answer to a question about ``target``."""
    if target == "age":
        cuts = {
            v for c in _all_conditions(bundle) for v in (c.min_age_years, c.max_age_years) if v is not None
        }
        return [facts.model_copy(update={"age_years": v + d}) for v in cuts for d in (-_EPSILON, _EPSILON)]
    if target == "duration":
        cuts = {v for c in _all_conditions(bundle) for v in (c.min_duration_hours, c.max_duration_hours) if v}
        return [
            facts.model_copy(update={"duration_hours": v + d}) for v in cuts for d in (-_EPSILON, _EPSILON)
        ]
    if target == "sex":
        return [facts.model_copy(update={"sex": s}) for s in ("female", "male")]
    if target == "pregnancy":
        return [facts.model_copy(update={"pregnant": p}) for p in (True, False)]
    return [with_finding(facts, target, status) for status in ("present", "absent")]


def with_finding(facts: CaseFacts, concept_id: str, status: Literal["present", "absent", "unknown"],
                 evidence: str = "") -> CaseFacts:  # fmt: skip
    """``facts`` with the finding for ``concept_id`` replaced by an answer."""
    others = tuple(f for f in facts.findings if f.concept_id != concept_id)
    answer = Finding(concept_id=concept_id, status=status, evidence=evidence, source="answer", score=1.0)
    return facts.model_copy(update={"findings": (*others, answer)})


def _resolved(facts: CaseFacts, target: str) -> bool:
    if target in FACT_TARGETS:
        value = {"age": facts.age_years, "sex": facts.sex, "pregnancy": facts.pregnant,
                 "duration": facts.duration_hours}[target]  # fmt: skip
        if target == "pregnancy" and (facts.sex == "male" or (facts.age_years or 30) < 10):
            return True
        return value is not None
    return facts.finding(target) is not None


def candidate_questions(bundle: PolicyBundle, facts: CaseFacts) -> list[DiscriminatorQuestion]:
    """Unasked questions of the open protocols (then the fact questions) whose target is unresolved."""
    questions = [q for p in active_protocols(bundle, facts) for q in p.questions] + list(
        bundle.engine.questions
    )
    present = facts.present()
    seen: set[str] = set()
    out = []
    for q in questions:
        if q.id in facts.asked_question_ids or q.target in seen or _resolved(facts, q.target):
            continue
        if q.only_if_any and not any(c in present for c in q.only_if_any):
            continue
        seen.add(q.target)
        out.append(q)
    return out


def next_question(bundle: PolicyBundle, facts: CaseFacts) -> FollowUpQuestion | None:
    """The most informative question to ask next, or None when the decision cannot change or turns ran out."""
    if facts.followup_turns >= bundle.engine.max_followup_turns:
        return None
    current = decide(bundle, facts)
    if current.red_flags:
        return None  # never delay an emergency with questions
    opener = bundle.engine.complaint_question
    if opener is not None and "no_complaint_recognised" in current.clinician_reasons:
        return FollowUpQuestion(question_id=opener.id, target=opener.target, text=opener.text)
    best: tuple[int, int, int, DiscriminatorQuestion] | None = None
    for order, question in enumerate(candidate_questions(bundle, facts)):
        ranks = [current.acuity_rank] + [
            decide(bundle, h).acuity_rank for h in _hypotheses(bundle, facts, question.target)
        ]
        spread, top = max(ranks) - min(ranks), max(ranks)
        if spread > 0 and (best is None or (spread, top, -order) > best[:3]):
            best = (spread, top, -order, question)
    if best is None:
        return None
    question = best[3]
    return FollowUpQuestion(question_id=question.id, target=question.target, text=question.text)


def _starts_with_any(text: str, phrases: tuple[str, ...]) -> bool:
    return any(re.match(r"\W*" + phrase_pattern(p), text) for p in phrases)


def interpret_answer(bundle: PolicyBundle, raw_answer: str) -> Answer | None:
    """Yes, no or "I don't know" at the start of an answer; None when the answer is something else."""
    text = normalise(raw_answer).strip()
    answers = bundle.symptoms.answers
    if any(re.search(phrase_pattern(p), text) for p in answers.dont_know):
        return "unknown"
    if _starts_with_any(text, answers.negative):
        return "no"
    if _starts_with_any(text, answers.affirmative):
        return "yes"
    return None
