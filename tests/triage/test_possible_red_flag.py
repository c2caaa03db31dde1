"""Red-flag near misses (engine.yaml ``red_flag_near_miss``): clinician review, never a changed decision."""

import pytest

from backend.triage import CaseFacts, Finding, TriageEngine, decide, run_case
from backend.triage.types import Status
from clinical_policies import PolicyBundle

NEAR_MISS = "I am 30 and there's blood in my poo, it is bright red"  # "blood in" ~ heavy bleeding, under 0.80


def without_band(bundle: PolicyBundle) -> PolicyBundle:
    return bundle.model_copy(update={"engine": bundle.engine.model_copy(update={"red_flag_near_miss": None})})


def near_miss(concept_id: str, score: float, status: Status = "present") -> Finding:
    return Finding(concept_id=concept_id, status=status, evidence="words", source="embedding", score=score)


@pytest.mark.slow
def test_when_near_miss_paraphrase_then_possible_red_flag_and_same_disposition(
    engine: TriageEngine, triage_bundle: PolicyBundle
) -> None:
    final = run_case(engine, NEAR_MISS)
    result = final.decision
    assert "possible_red_flag" in result.clinician_reasons and result.needs_clinician
    assert not result.red_flags
    shown = [e for e in result.evidence if e.possible_red_flag]
    assert [(e.concept_id, e.possible_red_flag) for e in shown] == [("heavy_bleeding", "RF-BLEED-001")]
    band = triage_bundle.engine.red_flag_near_miss
    assert band is not None and shown[0].score is not None and band.lower <= shown[0].score < band.upper
    assert shown[0].phrase in NEAR_MISS.lower()
    plain = decide(without_band(triage_bundle), final.facts)
    assert (plain.disposition, plain.confidence) == (result.disposition, result.confidence)
    assert plain.disposition != "emergency" and "possible_red_flag" not in plain.clinician_reasons


@pytest.mark.slow
def test_exact_red_flag_still_forces_emergency(engine: TriageEngine) -> None:
    result = run_case(engine, "I am 45 and I have a very sudden severe headache, the worst ever").decision
    assert result.disposition == "emergency" and "RF-NEURO-002" in result.fired_rule_ids
    assert "possible_red_flag" not in result.clinician_reasons


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        "I am 70, there was no difficulty swallowing but my throat is sore for 3 days",  # not "can't swallow"
        "my 50 year old husband has a headache for 3 weeks, he denies any headache that was sudden",
    ],
)
def test_when_negated_then_no_possible_red_flag(engine: TriageEngine, text: str) -> None:
    final = run_case(engine, text)
    assert "possible_red_flag" not in final.decision.clinician_reasons
    assert not final.facts.near_misses


def test_near_miss_in_band_is_reviewed_and_below_band_ignored(triage_bundle: PolicyBundle) -> None:
    band = triage_bundle.engine.red_flag_near_miss
    assert band is not None
    inside = decide(triage_bundle, CaseFacts(near_misses=(near_miss("thunderclap_headache", band.lower),)))
    below = decide(
        triage_bundle, CaseFacts(near_misses=(near_miss("thunderclap_headache", band.lower - 0.01),))
    )
    assert "possible_red_flag" in inside.clinician_reasons and inside.disposition != "emergency"
    assert [e.score for e in inside.evidence if e.possible_red_flag == "RF-NEURO-002"] == [band.lower]
    assert "possible_red_flag" not in below.clinician_reasons


def test_near_miss_of_a_concept_reported_otherwise_is_ignored(triage_bundle: PolicyBundle) -> None:
    negated = CaseFacts(
        findings=(
            Finding(
                concept_id="thunderclap_headache", status="absent", evidence="no", source="lexicon", score=1
            ),
        ),
        near_misses=(near_miss("thunderclap_headache", 0.79),),
    )
    assert "possible_red_flag" not in decide(triage_bundle, negated).clinician_reasons


def test_paraphrase_between_rule_and_red_flag_thresholds_is_a_near_miss(triage_bundle: PolicyBundle) -> None:
    settings = triage_bundle.engine
    score = (settings.embedding_min_similarity + settings.red_flag_embedding_min_similarity) / 2
    result = decide(triage_bundle, CaseFacts(findings=(near_miss("thunderclap_headache", score),)))
    assert not result.red_flags and "possible_red_flag" in result.clinician_reasons
