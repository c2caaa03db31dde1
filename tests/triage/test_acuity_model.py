"""The learned raise-only acuity check (engine.yaml ``acuity_model``).

Design and evidence: docs/acuity_escalation_experiment.md.
"""

import json
from pathlib import Path

import numpy as np
import pytest
from sklearn.neighbors import KNeighborsClassifier

from backend.triage import CaseFacts, MiniLMEmbedder, TriageEngine, VignetteCase, run_case, score
from backend.triage.acuity import (
    DEFAULT_TRAINING_FILES,
    AcuityDataError,
    AcuityNeighbours,
    read_labelled,
)
from backend.triage.decision import ACUITY_RULE_ID, decide
from backend.triage.types import Finding
from clinical_policies import PolicyBundle

DATA = Path(__file__).parent / "data"
LP8 = DATA / "acuity_lp8_blind.jsonl"
EVERYDAY = DATA / "acuity_everyday_blind.jsonl"


def _cough(status: str = "present") -> Finding:
    return Finding(concept_id="cough", status=status, evidence="cough", source="lexicon", score=1.0)


def test_neighbour_vote_is_scikit_learns_cosine_distance_weighted_knn(embedder: MiniLMEmbedder) -> None:
    labelled = read_labelled(DEFAULT_TRAINING_FILES)[::9]  # a spread-out subsample keeps the test fast
    train, queries = labelled[:250], labelled[250:290]
    ours = AcuityNeighbours(embedder, train, neighbours=7)
    reference = KNeighborsClassifier(n_neighbors=7, metric="cosine", weights="distance")
    reference.fit(embedder.embed([t for _, t in train]), [label for label, _ in train])
    expected = reference.predict_proba(embedder.embed([t for _, t in queries]))[
        :, list(reference.classes_).index("emergency")
    ]
    got = np.array([ours.probability(text) for _, text in queries])
    assert np.allclose(got, expected, atol=1e-5)
    # a text in the index finds itself at distance 0 and only it votes
    assert ours.probability(train[0][1]) == (1.0 if train[0][0] == "emergency" else 0.0)


def test_training_files_are_checked(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "no label"}\n', encoding="utf-8")
    with pytest.raises(AcuityDataError, match=r"bad\.jsonl:1"):
        read_labelled([bad])
    with pytest.raises(AcuityDataError):
        read_labelled([tmp_path / "missing.jsonl"])
    assert len(read_labelled(DEFAULT_TRAINING_FILES)) >= 2500


def test_a_high_probability_raises_a_non_emergency_to_emergency_with_a_clinician(
    triage_bundle: PolicyBundle,
) -> None:
    settings = triage_bundle.engine.acuity_model
    assert settings is not None
    facts = CaseFacts(findings=(_cough(),), age_years=40.0, acuity_probability=settings.raise_at)
    decision = decide(triage_bundle, facts)
    assert decision.disposition == "emergency"
    assert ACUITY_RULE_ID in decision.fired_rule_ids
    assert "possible_emergency" in decision.clinician_reasons and decision.needs_clinician
    evidence = [e for e in decision.evidence if e.source == "model"]
    assert evidence and evidence[0].score == settings.raise_at


def test_below_the_threshold_or_unscored_nothing_changes(triage_bundle: PolicyBundle) -> None:
    settings = triage_bundle.engine.acuity_model
    assert settings is not None
    base = decide(triage_bundle, CaseFacts(findings=(_cough(),), age_years=40.0))
    below = decide(
        triage_bundle,
        CaseFacts(findings=(_cough(),), age_years=40.0, acuity_probability=settings.raise_at - 0.01),
    )
    assert below.disposition == base.disposition != "emergency"
    assert ACUITY_RULE_ID not in below.fired_rule_ids and "possible_emergency" not in below.clinician_reasons


def test_without_the_policy_section_the_score_is_ignored(triage_bundle: PolicyBundle) -> None:
    engine_settings = triage_bundle.engine.model_copy(update={"acuity_model": None})
    bundle = triage_bundle.model_copy(update={"engine": engine_settings})
    decision = decide(bundle, CaseFacts(findings=(_cough(),), age_years=40.0, acuity_probability=1.0))
    assert decision.disposition != "emergency"


def _with_review_band(bundle: PolicyBundle, review_at: float) -> PolicyBundle:
    settings = bundle.engine.acuity_model
    assert settings is not None
    band = settings.model_copy(update={"review_at": review_at})
    return bundle.model_copy(update={"engine": bundle.engine.model_copy(update={"acuity_model": band})})


def test_a_score_in_the_review_band_goes_to_a_clinician_and_keeps_its_disposition(
    triage_bundle: PolicyBundle,
) -> None:
    settings = triage_bundle.engine.acuity_model
    assert settings is not None
    bundle = _with_review_band(triage_bundle, settings.raise_at - 0.15)
    base = decide(bundle, CaseFacts(findings=(_cough(),), age_years=40.0))
    for probability in (settings.raise_at - 0.15, settings.raise_at - 0.01):
        decision = decide(
            bundle, CaseFacts(findings=(_cough(),), age_years=40.0, acuity_probability=probability)
        )
        assert decision.disposition == base.disposition != "emergency"
        assert ACUITY_RULE_ID not in decision.fired_rule_ids
        assert "possible_emergency" in decision.clinician_reasons and decision.needs_clinician
        evidence = [e for e in decision.evidence if e.source == "model"]
        assert len(evidence) == 1 and evidence[0].score == probability and "reviews" in evidence[0].phrase
    below = decide(
        bundle, CaseFacts(findings=(_cough(),), age_years=40.0, acuity_probability=settings.raise_at - 0.16)
    )
    assert "possible_emergency" not in below.clinician_reasons
    raised = decide(
        bundle, CaseFacts(findings=(_cough(),), age_years=40.0, acuity_probability=settings.raise_at)
    )
    assert raised.disposition == "emergency" and raised.clinician_reasons.count("possible_emergency") == 1
    assert len([e for e in raised.evidence if e.source == "model"]) == 1


def test_a_red_flag_is_never_touched(acuity_engine: TriageEngine) -> None:
    decision = run_case(acuity_engine, "crushing chest pain going down my left arm and I'm sweating").decision
    assert decision.disposition == "emergency"
    assert decision.red_flags and ACUITY_RULE_ID not in decision.fired_rule_ids


def test_only_presenting_texts_are_scored(acuity_engine: TriageEngine) -> None:
    first = acuity_engine.assess(None, "I have had a mild cough for a few days")
    assert first.facts.acuity_probability is not None
    if first.next_question is not None:  # a bare "I don't know" answers a question: it is not scored
        later = acuity_engine.assess(first.facts, "I don't know")
        assert later.facts.acuity_probability == first.facts.acuity_probability
    # a longer message that opens with words an answer can start with still tells the problem
    long = acuity_engine.assess(None, "I'm worried about my brother, he keeps saying goodbye to everyone")
    assert long.facts.acuity_probability is not None


def test_the_score_is_sticky_across_turns(acuity_engine: TriageEngine) -> None:
    facts = CaseFacts(acuity_probability=0.99)
    later = acuity_engine.assess(facts, "hello")
    assert later.facts.acuity_probability == 0.99


def _cases(path: Path) -> list[VignetteCase]:
    fields = ("id", "text", "gold_triage", "gold_triage_acceptable")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [VignetteCase.model_validate({k: row[k] for k in fields}) for row in rows]


@pytest.mark.slow
def test_blind_batch_lp8_reproduces_the_pre_registered_result(acuity_engine: TriageEngine) -> None:
    """LP8 was written blind and judged once (docs/acuity_escalation_experiment.md, third design).

    Rules alone caught 42/60 emergencies at 72.5%; with the check 54/60 at 81.7%, over-triage 10.8%. LP8 is
    development data since: later policies may catch more (0.9.12: 58/60, from classes fixed by rule), never
    fewer.
    """
    cases = _cases(LP8)
    report = score(acuity_engine, cases)
    caught = round((report.emergency_recall or 0.0) * 60)
    assert len(cases) == 120
    assert caught >= 54
    assert report.accuracy >= 0.817 - 1e-3
    assert report.over_triage_rate <= 0.108 + 1e-3


@pytest.mark.slow
def test_everyday_first_messages_are_rarely_raised(acuity_engine: TriageEngine) -> None:
    """EVERYDAY (100 blind-written non-emergency first messages): the check raised 2 (bound: 5)."""
    results = [run_case(acuity_engine, case.text).decision for case in _cases(EVERYDAY)]
    raised = [d for d in results if ACUITY_RULE_ID in d.fired_rule_ids]
    assert len(results) == 100
    assert len(raised) <= 2


def test_short_everyday_openers_are_not_scored(acuity_engine: TriageEngine) -> None:
    for text in ("I feel sick", "hello", "I have a headache", "my back hurts"):
        assert acuity_engine.assess(None, text).facts.acuity_probability is None, text
    burn = run_case(acuity_engine, "I burned my hand on the oven, it is red and sore").decision
    assert burn.disposition != "emergency"


@pytest.mark.parametrize(
    "text",
    [
        "can I get a sick note sorted for my job please",
        "I need a fit note for work, I was off all last week",
        "could I order my repeat prescription for my statins please",
        "I would like to book my flu jab for next week",
        "can you send a copy of my vaccination record to my new employer",
    ],
)
def test_routine_requests_are_not_raised(acuity_engine: TriageEngine, text: str) -> None:
    """Policy 0.9.8 (sixth design): with blind-written requests in the index, a request is not an emergency.

    At 0.9.7 the first two scored P(emergency) 0.72 (raised) and 0.59: the index held almost no requests.
    None of these texts is in the index (a near-copy would find itself at distance 0).
    """
    probability = acuity_engine.assess(None, text).facts.acuity_probability
    assert probability is not None and probability < 0.5, probability
    assert ACUITY_RULE_ID not in run_case(acuity_engine, text).decision.fired_rule_ids


def test_policy_settings_are_validated() -> None:
    from pydantic import ValidationError

    from clinical_policies.schema_triage import AcuityModelSettings

    with pytest.raises(ValidationError):
        AcuityModelSettings(neighbours=0, raise_at=0.6)
    with pytest.raises(ValidationError):
        AcuityModelSettings(neighbours=7, raise_at=1.5)
    with pytest.raises(ValidationError):
        AcuityModelSettings.model_validate({"neighbours": 7, "raise_at": 0.6, "lower_at": 0.1})
    with pytest.raises(ValidationError, match=r"review_at .* must be below raise_at"):
        AcuityModelSettings(neighbours=7, raise_at=0.6, review_at=0.6)
    assert AcuityModelSettings(neighbours=7, raise_at=0.6, review_at=0.45).review_at == 0.45


def test_a_failing_check_fails_the_turn_instead_of_being_skipped(
    triage_bundle: PolicyBundle, embedder: MiniLMEmbedder
) -> None:
    """No silent fallback to rules only: the error reaches the graph, which escalates the turn with the most
    acute disposition (tests/backend/test_triage_reads_raw_text.py, triage_engine_error)."""

    class Broken(AcuityNeighbours):
        def probability(self, text: str) -> float:
            raise RuntimeError("index unreadable")

    broken = Broken(embedder, [("emergency", "crushing chest pain"), ("self_care", "a runny nose")], 1)
    engine = TriageEngine(triage_bundle, None, acuity=broken)
    with pytest.raises(RuntimeError):
        engine.assess(None, "I have had a dull ache in my lower back for two days now")
    # short messages are not scored, so they never reach the check
    assert engine.assess(None, "my back hurts").facts.acuity_probability is None
