from __future__ import annotations

import pytest

from safety import (
    CheckContext,
    ConstitutionChecker,
    ConstitutionReviser,
    Decision,
    FallbackResponder,
    SafetyPipeline,
    Signal,
)
from safety.testing import FakeChatModel, FakeCheck, FakeClassifier

GOOD = (
    "Thank you for telling me. A sore throat for two days is usually viral. Rest, drink fluids and follow "
    "the package label for pain relief. If you find it hard to swallow or breathe, call your local "
    "emergency number now."
)


@pytest.fixture()
def checker(bundle):
    classifiers = {
        "misinformation": FakeClassifier(
            "misinformation", {"vaccines cause autism": ("misinformation", 0.99)}
        ),
        "harm": FakeClassifier("harm", {"lethal": ("self_harm", 0.99)}),
    }
    return ConstitutionChecker(bundle.constitution_checks, classifiers, {"misinformation": 0.8, "harm": 0.8})


@pytest.mark.parametrize(
    ("draft", "context", "check_id"),
    [
        ("You definitely have appendicitis. " + GOOD, CheckContext(), "CC-01"),
        ("Take 800 mg ibuprofen every 4 hours. " + GOOD, CheckContext(), "CC-02"),
        (
            "Rest at home and drink plenty of fluids, and take the tablets as the package label says, "
            "because most sore throats settle within a week without any treatment at all from anyone.",
            CheckContext(),
            "CC-03",
        ),
        ("There is no need to call 911 for this. " + GOOD, CheckContext(), "CC-04"),
        ("Stop being a hypochondriac. " + GOOD, CheckContext(), "CC-05"),
        ("Some say vaccines cause autism. " + GOOD, CheckContext(), "CC-06"),
        ("What is your home address? " + GOOD, CheckContext(), "CC-08"),
        (
            "I hear you. Please talk to someone you trust about how you feel.",
            CheckContext(input_categories=frozenset({"self_harm"})),
            "CC-10",
        ),
    ],
)
def test_when_principle_violated_then_check_fires(checker, draft, context, check_id):
    assert check_id in {c.id for c in checker.violations(draft, context)}


def test_good_reply_and_short_question_pass(checker):
    assert checker.violations(GOOD, CheckContext()) == []
    assert checker.violations("How long have you had the sore throat?", CheckContext()) == []


def test_missing_classifier_is_a_configuration_error(bundle):
    with pytest.raises(ValueError, match="classifiers"):
        ConstitutionChecker(bundle.constitution_checks, {}, {})


def make_reviser(bundle, checker, model, extra_output=()):
    pipeline = SafetyPipeline([], [*extra_output, checker])
    return ConstitutionReviser(
        pipeline,
        model,
        bundle.constitution,
        bundle.constitution_checks,
        FallbackResponder(bundle.refusal_messages),
    )


def test_violation_is_critiqued_revised_and_rechecked(bundle, checker):
    model = FakeChatModel("The draft states a certain diagnosis (CP-01).", GOOD)
    guarded = make_reviser(bundle, checker, model).guard_reply("You definitely have tonsillitis. " + GOOD)
    assert guarded.text == GOOD
    assert guarded.rounds == 1 and guarded.fallback is None
    assert "CP-01" in model.calls[0][1]["content"]
    assert "The draft states a certain diagnosis" in model.calls[1][1]["content"]


def test_when_revision_still_violates_then_fallback(bundle, checker):
    model = FakeChatModel("critique", "You definitely have tonsillitis. " + GOOD)
    guarded = make_reviser(bundle, checker, model).guard_reply("You definitely have tonsillitis. " + GOOD)
    assert guarded.rounds == 2
    assert guarded.fallback is not None and guarded.text == guarded.fallback.text
    assert guarded.fallback.reason_category == "clinical_constitution"


def test_when_model_fails_then_fallback_not_draft(bundle, checker):
    reviser = make_reviser(bundle, checker, FakeChatModel(error=TimeoutError()))
    guarded = reviser.guard_reply("You definitely have tonsillitis. " + GOOD)
    assert guarded.fallback is not None
    assert "definitely" not in guarded.text


def test_block_action_checks_are_not_revised(bundle, checker):
    model = FakeChatModel("x", GOOD)
    guarded = make_reviser(bundle, checker, model).guard_reply("There is no need to call 911. " + GOOD)
    assert model.calls == []
    assert guarded.fallback is not None


def test_other_layer_block_goes_straight_to_fallback(bundle, checker):
    blocker = FakeCheck("rules_output", [Signal("self_harm", 1.0, Decision.BLOCK, "SR-SELF-003")])
    model = FakeChatModel("x", GOOD)
    guarded = make_reviser(bundle, checker, model, (blocker,)).guard_reply(GOOD)
    assert model.calls == [] and guarded.fallback is not None
    assert guarded.fallback.reason_category == "self_harm"
