"""The triage engine facade: one call per patient turn, facts in, assessment out."""

from __future__ import annotations

from pathlib import Path

from backend.triage.acuity import AcuityNeighbours
from backend.triage.decision import decide
from backend.triage.embedder import Embedder
from backend.triage.extraction import SymptomExtractor
from backend.triage.followup import interpret_answer, next_question, with_finding
from backend.triage.types import Assessment, CaseFacts, Extraction, Finding
from backend.triage.vitals import merge_vitals
from clinical_policies import PolicyBundle
from clinical_policies.schema_triage import COMPLAINT_TARGET, FACT_TARGETS, DiscriminatorQuestion

SHORT_MESSAGE_WORDS = 6  # "no", "I don't know", "I feel sick": too short for the acuity check


class TriageEngine:
    """Deterministic triage over the policy bundle; the model only phrases what this decides.

    Build it once (it embeds the lexicon) and call :meth:`assess` for every patient message, passing
    back the ``facts`` of the previous :class:`Assessment` (``None`` for the first message).
    """

    def __init__(
        self,
        bundle: PolicyBundle,
        embedder: Embedder | None,
        phrase_cache: Path | None = None,
        acuity: AcuityNeighbours | None = None,
    ) -> None:
        """Compile the lexicon and embed it (cached in ``phrase_cache`` if given).

        ``embedder=None`` disables paraphrase matching (lexicon only). ``acuity`` is the learned acuity
        check; it is used only when the bundle's ``engine.acuity_model`` is set.
        """
        self.bundle = bundle
        self._acuity = acuity if bundle.engine.acuity_model is not None else None
        self.extractor = SymptomExtractor(bundle, embedder, phrase_cache)
        opener = bundle.engine.complaint_question
        self._questions: dict[str, DiscriminatorQuestion] = (
            {q.id: q for p in bundle.triage_rules for q in p.questions}
            | {q.id: q for q in bundle.engine.questions}
            | ({opener.id: opener} if opener else {})
        )

    def assess(self, facts: CaseFacts | None, new_text: str) -> Assessment:
        """Add ``new_text`` to the case, decide, and choose the next question (if any)."""
        facts = facts or CaseFacts()
        extraction = self.extractor.extract(new_text)
        if self._acuity is not None and self._presenting(facts, new_text):
            score = self._acuity.probability(new_text)
            if facts.acuity_probability is None or score > facts.acuity_probability:
                facts = facts.model_copy(update={"acuity_probability": score})
        if facts.pending_question_id is not None:
            facts = self._apply_answer(facts, new_text, extraction)
        facts = merge(facts, extraction)
        if facts.pending_question_id is not None:
            facts = self._close_question(facts)
        question = next_question(self.bundle, facts)
        if question is not None:
            facts = facts.model_copy(
                update={
                    "pending_question_id": question.question_id,
                    "asked_question_ids": (*facts.asked_question_ids, question.question_id),
                    "followup_turns": facts.followup_turns + 1,
                }
            )
        decision = decide(self.bundle, facts)
        facts = facts.model_copy(update={"fired_red_flags": decision.red_flags})
        return Assessment(
            facts=facts,
            decision=decision,
            next_question=question,
            complete=question is None,
            policy_version=self.bundle.version,
            policy_sha256=self.bundle.sha256,
        )

    def _presenting(self, facts: CaseFacts, text: str) -> bool:
        """Whether ``text`` is scored by the acuity check.

        The first message or an answer to the open question, of more than :data:`SHORT_MESSAGE_WORDS` words:
        a bare reply ("no", "I don't know") or a bare opener ("I feel sick", "hello") carries too little for
        a neighbour vote.
        """
        pending = facts.pending_question_id
        if pending is not None and self._questions[pending].target != COMPLAINT_TARGET:
            return False
        return len(text.split()) > SHORT_MESSAGE_WORDS

    def _apply_answer(self, facts: CaseFacts, text: str, extraction: Extraction) -> CaseFacts:
        question = self._questions[facts.pending_question_id or ""]
        if question.target == COMPLAINT_TARGET:
            return facts  # the answer to the open question is read like any first message
        answer = interpret_answer(self.bundle, text)
        if answer is None or answer == "unknown":
            return facts
        if question.target == "pregnancy":
            return facts.model_copy(update={"pregnant": answer == "yes"})
        if question.target in FACT_TARGETS:
            return facts
        already = any(f.concept_id == question.target for f in extraction.findings)
        if already:
            return facts
        return with_finding(facts, question.target, "present" if answer == "yes" else "absent", text.strip())

    def _close_question(self, facts: CaseFacts) -> CaseFacts:
        """Clear the pending question; if its target is still unresolved it becomes an unknown."""
        question = self._questions[facts.pending_question_id or ""]
        if question.target == COMPLAINT_TARGET:  # not a discriminator: an unanswered opening costs nothing
            return facts.model_copy(update={"pending_question_id": None})
        resolved = {
            "age": facts.age_years is not None,
            "sex": facts.sex is not None,
            "pregnancy": facts.pregnant is not None,
            "duration": facts.duration_hours is not None,
        }.get(question.target, facts.finding(question.target) is not None)
        unknown = facts.unknown_question_ids if resolved else (*facts.unknown_question_ids, question.id)
        return facts.model_copy(update={"pending_question_id": None, "unknown_question_ids": unknown})


def merge(facts: CaseFacts, extraction: Extraction) -> CaseFacts:
    """Add what one message said to the case; a concept once present stays present (conflicts noted)."""
    findings: dict[str, Finding] = {f.concept_id: f for f in facts.findings}
    conflicts = list(facts.conflicts)
    for new in extraction.findings:
        old = findings.get(new.concept_id)
        contradicts = old is not None and {old.status, new.status} == {"present", "absent"}
        if contradicts and new.concept_id not in conflicts:
            conflicts.append(new.concept_id)
        if old is None or old.status != "present":
            findings[new.concept_id] = new
    flags = {h.red_flag_id: h for h in (*facts.phrase_flags, *extraction.phrase_flags)}
    near: dict[str, Finding] = {f.concept_id: f for f in facts.near_misses}
    for f in extraction.near_misses:
        if f.concept_id not in near or f.score > near[f.concept_id].score:
            near[f.concept_id] = f
    return facts.model_copy(
        update={
            "findings": tuple(findings.values()),
            "conflicts": tuple(conflicts),
            "phrase_flags": tuple(flags.values()),
            "near_misses": tuple(near.values()),
            "vitals": merge_vitals(facts.vitals, extraction.vitals),
            "age_years": facts.age_years if facts.age_years is not None else extraction.age_years,
            "sex": facts.sex or extraction.sex,
            "pregnant": _either(facts.pregnant, extraction.pregnant),
            "duration_hours": max(
                (d for d in (facts.duration_hours, extraction.duration_hours) if d is not None), default=None
            ),
        }
    )


def _either(old: bool | None, new: bool | None) -> bool | None:
    """Pregnancy once reported stays reported (the safer reading of contradictory statements)."""
    if old is True or new is True:
        return True
    return new if new is not None else old
