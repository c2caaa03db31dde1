"""Known false claims with the real MiniLM and the shipped claim list and thresholds."""

from __future__ import annotations

import pytest

from clinical_policies import load_policy_bundle
from safety import CheckContext, Decision, LocalClassifiers, SafetyConfig, build_pipeline
from safety.claims import ClaimMatcher, approved_texts, segments

pytestmark = pytest.mark.slow

BURN = "HC-FIRSTAID-001"


def test_segments_are_the_text_then_its_longer_sentences():
    assert segments("", 8, 3) == []
    assert segments("I have a cough.", 8, 3) == ["I have a cough."]
    text = "Yes. I put butter on it!\nIt still stings a lot"
    assert segments(text, 8, 3) == [
        "Yes. I put butter on it! It still stings a lot",
        "I put butter on it!",
        "It still stings a lot",
    ]
    assert segments(text, 1, 3) == ["Yes. I put butter on it! It still stings a lot", "I put butter on it!"]


def test_bad_arguments_are_refused(policy_bundle):
    with pytest.raises(ValueError, match="no health claims"):
        ClaimMatcher("known_claims", object(), ())  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="margin"):
        ClaimMatcher("known_claims", object(), policy_bundle.health_claims, margin=-0.1)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def config() -> SafetyConfig:
    return SafetyConfig.load()


@pytest.fixture(scope="module")
def matcher(config: SafetyConfig) -> ClaimMatcher:
    classifiers = LocalClassifiers.load(precision=config.encoder.precision, runtime=config.encoder.runtime)
    m = ClaimMatcher(
        "known_claims",
        classifiers.misinformation.encoder,
        load_policy_bundle().health_claims,
        margin=config.claim_matching.margin,
    )
    m.warm_up()
    return m


def _fires(matcher: ClaimMatcher, config: SafetyConfig, text: str) -> str | None:
    [match] = matcher.best_matches([text])
    threshold = config.layer("known_claims").threshold
    return match.claim_id if match is not None and match.similarity >= threshold else None


@pytest.mark.parametrize(
    "text",
    [
        # wordings that are not in the claim list; the shipped operating point (threshold 0.85, margin 0.06)
        # is conservative, so these are close to the claim (safety/README.md: recall 0.23 on blind myths)
        "Rubbing butter on the burn will help it heal.",
        "does putting butter on a burn help it heal",
        # the myth is one sentence of a longer message
        "I burned my hand on the oven an hour ago. Is it true that putting butter on a burn helps it heal?",
    ],
)
def test_a_new_wording_of_a_listed_myth_is_matched(matcher, config, text):
    assert _fires(matcher, config, text) == BURN


def test_the_operating_point_misses_first_person_lay_wordings(matcher, config):
    """Known limit, kept visible: MiniLM reads "I put butter on my burn" as close to "do not put butter on a
    burn" (the counter-statement), so the margin rejects it. If this starts to pass, update the README."""
    assert _fires(matcher, config, "I put butter on my burn like my mum always did") is None


@pytest.mark.parametrize(
    "text",
    [
        "I burned my hand on the oven and it is blistering",
        "I know you shouldn't put butter on a burn so I ran it under the cold tap",
        "I have had a headache for two days",
        "no",
    ],
)
def test_ordinary_turns_and_the_corrected_belief_are_not_matched(matcher, config, text):
    assert _fires(matcher, config, text) is None


def test_no_approved_text_or_correction_is_read_as_a_myth(matcher, config, policy_bundle):
    fired = {text: _fires(matcher, config, text) for text in approved_texts(policy_bundle)}
    assert not {text: claim for text, claim in fired.items() if claim}


def test_the_cascade_records_the_claim_on_input_and_blocks_it_in_a_draft(config, policy_bundle):
    pipeline = build_pipeline(
        policy_bundle,
        config,
        classifiers=LocalClassifiers.load(precision=config.encoder.precision, runtime=config.encoder.runtime),
    )
    pipeline.warm_up()
    try:
        verdict = pipeline.check_input("does putting butter on a burn help it heal")
        assert verdict.decision is Decision.ALLOW
        assert [t.rule_id for t in verdict.triggers if t.layer == "known_claims_input"] == [BURN]
        draft = pipeline.check_output("Rubbing butter on the burn will help it heal.", CheckContext())
        assert draft.decision is Decision.BLOCK and draft.reason_category == "misinformation"
        assert any(t.layer == "known_claims" and t.rule_id == BURN for t in draft.triggers)
    finally:
        pipeline.close()


def test_refutation_cues_limit_the_margin_to_sentences_that_could_negate_the_myth(policy_bundle):
    """The cue variant (off in the shipped config: it lost on the blind set) is still a tested option."""
    import numpy as np

    from safety.claims import SegmentScores

    claims = policy_bundle.health_claims[:2]
    plain = ClaimMatcher("known_claims", object(), claims)  # type: ignore[arg-type]
    cued = ClaimMatcher("known_claims", object(), claims, refutation_cues=["not", r"\w+n't"])  # type: ignore[arg-type]
    # one segment, close to claim 0's myth (0.9) but closer still to its counter-statement (0.95); claim 1 far
    scores = SegmentScores(
        np.array([[0.9, 0.1]], np.float32), np.array([[0.95, 0.2]], np.float32), np.array([True])
    )
    assert plain.pick(scores, 0.06) is None and cued.pick(scores, 0.06) is None
    uncued = SegmentScores(scores.myth, scores.counter, np.array([False]))
    match = cued.pick(uncued, 0.06)
    assert match is not None and match.claim_id == claims[0].id and match.similarity == pytest.approx(0.9)
    assert cued._cued(["I did not", "I didn't", "I put butter on it"]).tolist() == [True, True, False]
    with pytest.raises(ValueError, match="regular expression"):
        ClaimMatcher("known_claims", object(), claims, refutation_cues=["(unclosed"])  # type: ignore[arg-type]


def test_shared_counters_protect_approved_wording_for_every_claim(matcher, config, policy_bundle):
    """The fourth-step option (off: it failed its false-positive bound on the blind set) works."""
    myth = "Rubbing butter on the burn will help it heal."
    assert _fires(matcher, config, myth) == BURN
    protected = ClaimMatcher(
        "known_claims",
        matcher.encoder,
        policy_bundle.health_claims,
        margin=config.claim_matching.margin,
        shared_counters=["Please see a nurse today. " + myth],  # as if a clinician had approved the sentence
    )
    assert _fires(protected, config, myth) is None
    assert _fires(protected, config, "does putting butter on a burn help it heal") == BURN


def test_a_failing_encoder_fails_closed_on_both_sides(policy_bundle):
    """The input layer only records, but its crash still blocks the turn (the cascade's fail action)."""
    from safety.claims import INPUT_LAYER, OUTPUT_LAYER
    from safety.pipeline import SafetyPipeline

    class _Broken:
        def encode(self, texts):  # type: ignore[no-untyped-def]
            raise RuntimeError("encoder crashed")

    matcher = ClaimMatcher(OUTPUT_LAYER, _Broken(), policy_bundle.health_claims)
    pipeline = SafetyPipeline([matcher.renamed(INPUT_LAYER)], [matcher], SafetyConfig.load())
    try:
        for verdict, layer in (
            (pipeline.check_input("does butter help a burn"), INPUT_LAYER),
            (pipeline.check_output("Butter helps a burn.", CheckContext()), OUTPUT_LAYER),
        ):
            assert verdict.decision is Decision.BLOCK and verdict.reason_category == "system_error"
            assert verdict.triggers[0].layer == layer
    finally:
        pipeline.close()
