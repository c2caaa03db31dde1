from __future__ import annotations

import pytest

from safety import (
    CheckContext,
    Decision,
    GuardStatus,
    LlamaGuardCheck,
    SafetyPipeline,
    parse_output,
    render_prompt,
)
from safety.testing import FakeGuard

CODES = tuple(f"S{i}" for i in range(1, 15))


@pytest.mark.parametrize(
    ("completion", "status", "codes"),
    [
        ("safe", GuardStatus.SAFE, ()),
        ("\n\nsafe\n", GuardStatus.SAFE, ()),
        ("unsafe\nS1,S6", GuardStatus.UNSAFE, ("S1", "S6")),
        ("unsafe\nS11", GuardStatus.UNSAFE, ("S11",)),
        ("unsafe", GuardStatus.UNPARSEABLE, ()),
        ("unsafe\nS99", GuardStatus.UNPARSEABLE, ()),
        ("safe\nS1", GuardStatus.UNPARSEABLE, ()),
        ("Safe!", GuardStatus.UNPARSEABLE, ()),
        ("", GuardStatus.UNPARSEABLE, ()),
        ("ĠwhatĠever garbage tokens", GuardStatus.UNPARSEABLE, ()),
    ],
)
def test_parse_output(completion, status, codes):
    parsed = parse_output(completion, CODES)
    assert (parsed.status, parsed.codes) == (status, codes)


def test_prompt_has_llama_guard_3_format_and_our_s6(bundle):
    prompt = render_prompt(
        [("User", "I have a fever"), ("Agent", "Rest and drink fluids.")], bundle.safety_categories
    )
    assert prompt.startswith(
        "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nTask: Check if there is"
    )
    assert "unsafe content in 'Agent' messages" in prompt
    assert "S6: Specialized Advice.\n" in prompt and "Triage guidance" in prompt
    assert "S14: Code Interpreter Abuse." in prompt
    assert "User: I have a fever\n\nAgent: Rest and drink fluids.\n\n<END CONVERSATION>" in prompt
    assert prompt.endswith("<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n")


@pytest.mark.parametrize(
    ("completion", "decision", "reason"),
    [
        ("safe", Decision.ALLOW, None),
        ("unsafe\nS6", Decision.BLOCK, "specialized_advice"),
        ("unsafe\nS11", Decision.ESCALATE, "self_harm"),
        ("I think this is fine", Decision.BLOCK, "uncertain"),
    ],
)
def test_guard_check_decisions(bundle, completion, decision, reason):
    guard = FakeGuard(completion)
    pipeline = SafetyPipeline([LlamaGuardCheck(guard, bundle.safety_categories, "input")], [])
    verdict = pipeline.check_input("text")
    assert (verdict.decision, verdict.reason_category) == (decision, reason)
    assert "User: text" in guard.prompts[0]


def test_output_guard_judges_agent_turn_after_user_text(bundle):
    guard = FakeGuard("safe")
    check = LlamaGuardCheck(guard, bundle.safety_categories, "output")
    check("Drink fluids.", CheckContext(user_text="I have a cold"))
    assert "User: I have a cold\n\nAgent: Drink fluids." in guard.prompts[0]
    assert "ONLY THE LAST Agent message" in guard.prompts[0]
