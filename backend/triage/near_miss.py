"""Possible red flags: a red flag that would fire if a near-miss paraphrase counted (clinician review only).

A paraphrase counts towards red flags only at ``engine.red_flag_embedding_min_similarity``. One just under
it (``engine.red_flag_near_miss`` band) never changes the disposition, which would be over-triage by guess;
when counting it would fire a red flag, the case goes to a clinician (reason ``possible_red_flag``) with the
phrase, concept, similarity and red flag as evidence, so the clinician sees why.
"""

from __future__ import annotations

from backend.triage.rules import CaseView, holds, supporting
from backend.triage.types import CaseFacts, Evidence, Finding
from clinical_policies import PolicyBundle


def possible_red_flags(bundle: PolicyBundle, facts: CaseFacts) -> tuple[Evidence, ...]:
    """Near-miss evidence of every red flag that fires only when near misses count (empty: none).

    A concept reported in any other way (an exact or negated mention, an answer) is not a near miss. Call
    it only when no red flag fired: it does not check which flags already fire.
    """
    settings = bundle.engine
    band = settings.red_flag_near_miss
    if band is None:
        return ()

    def near(f: Finding) -> bool:
        return f.source == "embedding" and band.lower <= f.score < band.upper

    def counted(f: Finding) -> bool:
        return f.source != "embedding" or f.score >= settings.red_flag_embedding_min_similarity or near(f)

    known = {f.concept_id for f in facts.findings}
    candidates = [f for f in facts.near_misses if f.concept_id not in known and near(f)]
    if not candidates and not any(f.status == "present" and near(f) for f in facts.findings):
        return ()
    promoted = facts.model_copy(
        update={"findings": tuple(f for f in (*facts.findings, *candidates) if counted(f))}
    )
    case = CaseView.of(promoted, warning=settings.early_warning)
    evidence: dict[tuple[str, str], Evidence] = {}
    for flag in bundle.red_flags:
        for conditions in flag.when_any:
            if not holds(conditions, case):
                continue
            for f in supporting(conditions, case):
                if near(f):
                    evidence.setdefault(
                        (f.concept_id, f.evidence),
                        Evidence(
                            concept_id=f.concept_id,
                            phrase=f.evidence,
                            source=f.source,
                            score=f.score,
                            possible_red_flag=flag.id,
                        ),
                    )
    return tuple(evidence.values())
