from __future__ import annotations

import time

import pytest

from safety import CheckContext, Decision, SafetyConfig, SafetyPipeline, Signal
from safety.testing import FakeCheck


def config(**layers) -> SafetyConfig:
    return SafetyConfig.model_validate({"layers": layers})


def test_when_nothing_fires_then_allow():
    pipeline = SafetyPipeline([FakeCheck("a"), FakeCheck("b")], [], config())
    verdict = pipeline.check_input("hello")
    assert verdict.decision is Decision.ALLOW
    assert verdict.triggers == ()
    assert verdict.reason_category is None


def test_first_block_wins_and_later_layers_do_not_run():
    later = FakeCheck("later", [Signal("self_harm", 1.0, Decision.ESCALATE)])
    pipeline = SafetyPipeline([FakeCheck("first", [Signal("prompt_injection", 0.9)]), later], [], config())
    verdict = pipeline.check_input("x")
    assert verdict.decision is Decision.BLOCK
    assert verdict.reason_category == "prompt_injection"
    assert later.calls == []


def test_threshold_and_category_action_come_from_config():
    check = FakeCheck("harm", [Signal("self_harm", 0.8)])
    low = SafetyPipeline(
        [check], [], config(harm={"threshold": 0.7, "category_actions": {"self_harm": "escalate"}})
    )
    high = SafetyPipeline([check], [], config(harm={"threshold": 0.9}))
    escalated = low.check_input("x")
    assert escalated.decision is Decision.ESCALATE
    trigger = escalated.triggers[0]
    assert (trigger.layer, trigger.category, trigger.score, trigger.threshold) == (
        "harm",
        "self_harm",
        0.8,
        0.7,
    )
    assert high.check_input("x").decision is Decision.ALLOW


def test_disabled_layer_is_skipped():
    check = FakeCheck("harm", [Signal("harmful_request", 1.0)])
    verdict = SafetyPipeline([check], [], config(harm={"enabled": False})).check_input("x")
    assert verdict.decision is Decision.ALLOW
    assert check.calls == []


def test_when_layer_raises_then_fail_closed_with_trigger():
    pipeline = SafetyPipeline([FakeCheck("harm", error=RuntimeError("model crashed"))], [], config())
    verdict = pipeline.check_input("x")
    assert verdict.decision is Decision.BLOCK
    assert verdict.reason_category == "system_error"
    assert (verdict.triggers[0].layer, verdict.triggers[0].category) == ("harm", "error")
    assert pipeline.counters.snapshot()["input.error.harm"] == 1


def test_when_layer_raises_inline_then_fail_closed():
    pipeline = SafetyPipeline([FakeCheck("harm", error=ValueError())], [], config(harm={"timeout_ms": None}))
    assert pipeline.check_input("x").decision is Decision.BLOCK


def test_when_layer_times_out_then_fail_closed():
    def slow(text: str) -> list[Signal]:
        time.sleep(0.5)
        return []

    pipeline = SafetyPipeline([FakeCheck("guard", slow)], [], config(guard={"timeout_ms": 20}))
    verdict = pipeline.check_input("x")
    assert verdict.decision is Decision.BLOCK
    assert verdict.triggers[0].category == "timeout"
    assert pipeline.counters.snapshot()["input.timeout.guard"] == 1


def test_fail_action_is_configurable():
    cfg = SafetyConfig.model_validate({"fail_action": "escalate"})
    verdict = SafetyPipeline([FakeCheck("x", error=RuntimeError())], [], cfg).check_input("t")
    assert verdict.decision is Decision.ESCALATE


def test_flag_action_records_without_stopping():
    pipeline = SafetyPipeline(
        [FakeCheck("misinformation_input", [Signal("misinformation", 0.99)]), FakeCheck("next")],
        [],
        config(misinformation_input={"action": "allow"}),
    )
    verdict = pipeline.check_input("vaccines cause autism")
    assert verdict.decision is Decision.ALLOW
    assert "misinformation" in verdict.categories


def test_output_uses_output_checks_and_context():
    seen: list[CheckContext] = []

    class ContextCheck(FakeCheck):
        def __call__(self, text, context):
            seen.append(context)
            return super().__call__(text, context)

    pipeline = SafetyPipeline([], [ContextCheck("out")], config())
    ctx = CheckContext(user_text="hi", input_categories=frozenset({"self_harm"}))
    assert pipeline.check_output("reply", ctx).decision is Decision.ALLOW
    assert seen == [ctx]


def test_counters_snapshot_counts_decisions_and_triggers():
    pipeline = SafetyPipeline(
        [FakeCheck("rules", [Signal("prompt_injection", 1.0, rule_id="SR-INJ-001")])], [], config()
    )
    pipeline.check_input("a")
    pipeline.check_input("b")
    snapshot = pipeline.counters.snapshot()
    assert snapshot["input.decision.block"] == 2
    assert snapshot["input.trigger.rules.prompt_injection.block"] == 2


def test_default_config_is_data():
    cfg = SafetyConfig.load()
    assert cfg.layer("harm").action_for("self_harm") is Decision.ESCALATE
    assert cfg.layer("unknown_layer").enabled
    assert cfg.with_layer("harm", threshold=0.5).layer("harm").threshold == 0.5


@pytest.mark.parametrize("bad", [{"layers": {"harm": {"threshold": 2}}}, {"layers": {"harm": {"typo": 1}}}])
def test_invalid_config_is_rejected(bad):
    with pytest.raises(ValueError):
        SafetyConfig.model_validate(bad)


def test_warm_up_calls_every_enabled_check_and_raises_on_failure():
    ok, off = FakeCheck("ok"), FakeCheck("off")
    SafetyPipeline([ok, off], [FakeCheck("out")], config(off={"enabled": False})).warm_up()
    assert len(ok.calls) == 1 and off.calls == []
    with pytest.raises(RuntimeError):
        SafetyPipeline([FakeCheck("bad", error=RuntimeError("no model"))], []).warm_up()
