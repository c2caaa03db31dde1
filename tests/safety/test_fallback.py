import pytest

from safety import Decision, FallbackResponder, Trigger, Verdict


def test_every_reason_has_clinician_text(bundle):
    responder = FallbackResponder(bundle.refusal_messages)
    reasons = {c.reason_category for c in bundle.safety_categories} | {
        r.category for r in bundle.safety_rules
    }
    for reason in reasons | {"system_error", "uncertain"}:
        response = responder.for_reason(reason)
        assert response.reason_category == reason and len(response.text) > 20


def test_self_harm_escalates_with_crisis_resources(bundle):
    verdict = Verdict(
        Decision.ESCALATE, (Trigger("rules", "self_harm", 1.0, 0.5, Decision.ESCALATE),), "t", "self_harm"
    )
    response = FallbackResponder(bundle.refusal_messages).for_verdict(verdict)
    assert response is not None and response.escalate
    assert "988" in response.text


def test_unknown_reason_is_never_silent(bundle):
    response = FallbackResponder(bundle.refusal_messages).for_reason("brand_new_category")
    assert response.reason_category == "uncertain" and response.escalate


def test_allowed_verdict_needs_no_fallback(bundle):
    assert FallbackResponder(bundle.refusal_messages).for_verdict(Verdict(Decision.ALLOW, (), "t")) is None


def test_missing_builtin_messages_rejected(bundle):
    with pytest.raises(ValueError):
        FallbackResponder([m for m in bundle.refusal_messages if m.reason_category != "uncertain"])
