"""Deterministic red-flag detection: concept combinations and direct phrases from ``red_flags.yaml``."""

from __future__ import annotations

from backend.triage.rules import CaseView, holds, supporting
from backend.triage.types import CaseFacts, RedFlagHit
from clinical_policies import PolicyBundle


def detect_red_flags(bundle: PolicyBundle, facts: CaseFacts) -> tuple[RedFlagHit, ...]:
    """Every red flag that fires for ``facts``, in policy order, each with its evidence phrases.

    Exact lexicon matches and answers always count; a paraphrase (embedding) match counts only at
    ``engine.red_flag_embedding_min_similarity`` or above, to keep false alarms rare.
    """
    case = CaseView.of(facts, bundle.engine.red_flag_embedding_min_similarity, bundle.engine.early_warning)
    by_phrase = {hit.red_flag_id: hit for hit in facts.phrase_flags}
    hits = []
    for flag in bundle.red_flags:
        evidence: list[str] = list(by_phrase[flag.id].evidence) if flag.id in by_phrase else []
        fired = flag.id in by_phrase
        for conditions in flag.when_any:
            if holds(conditions, case):
                fired = True
                evidence += [f.evidence for f in supporting(conditions, case) if f.evidence not in evidence]
        if fired:
            hits.append(RedFlagHit(red_flag_id=flag.id, title=flag.title, evidence=tuple(evidence)))
    return tuple(hits)
