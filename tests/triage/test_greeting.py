"""A greeting or a stray word first gets an open question, not an immediate clinician escalation."""

import pytest

from backend.triage import TriageEngine, run_case


@pytest.mark.parametrize("greeting", ["hello", "one", "hi there", "good morning"])
def test_when_first_turn_is_a_greeting_then_open_question(lexical_engine: TriageEngine, greeting: str):
    opener = lexical_engine.bundle.engine.complaint_question
    assert opener is not None
    first = lexical_engine.assess(None, greeting)
    assert not first.complete
    assert first.next_question is not None
    assert first.next_question.question_id == opener.id
    assert first.next_question.text == opener.text


def test_when_complaint_follows_greeting_then_its_protocol_decides(lexical_engine: TriageEngine):
    first = lexical_engine.assess(None, "hello")
    second = lexical_engine.assess(first.facts, "I have had a runny nose and sneezing for two days")
    assert "no_complaint_recognised" not in second.decision.clinician_reasons
    assert second.decision.fired_rule_ids
    assert second.facts.unknown_question_ids == ()  # the unanswered opening costs no confidence


def test_when_no_complaint_after_all_turns_then_clinician(lexical_engine: TriageEngine):
    final = run_case(lexical_engine, "hello")
    assert final.complete
    assert final.facts.followup_turns == lexical_engine.bundle.engine.max_followup_turns
    assert final.decision.disposition == lexical_engine.bundle.engine.fallback_disposition
    assert final.decision.clinician_reasons == ("no_complaint_recognised",)


def test_red_flag_in_first_message_is_never_delayed(lexical_engine: TriageEngine):
    first = lexical_engine.assess(None, "hello, I think I'm having a heart attack")
    assert first.complete
    assert first.decision.disposition == "emergency"
