"""The follow-up loop asks useful questions, never repeats one, and always ends."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend.triage import TriageEngine, interpret_answer, run_case
from clinical_policies import PolicyBundle

SNIPPETS = [
    "I have a headache",
    "my chest hurts",
    "I've got a fever",
    "my tummy hurts",
    "I have a cough",
    "it burns when I pee",
    "I've got a rash",
    "my back hurts",
    "I feel dizzy",
    "my ear hurts",
    "I twisted my ankle",
    "I'm bleeding",
    "I feel tired all the time",
    "I'm 5",
    "I'm 70",
    "for 3 weeks",
]
REPLIES = ["I don't know", "no", "yes", "not sure", "maybe", "", "it's hard to say", "I'm 40", "for 2 days"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    parts=st.lists(st.sampled_from(SNIPPETS), min_size=1, max_size=3),
    replies=st.lists(st.sampled_from(REPLIES), min_size=10, max_size=10),
)
def test_followup_loop_is_bounded_and_never_repeats(
    lexical_engine: TriageEngine, parts: list[str], replies: list[str]
):
    limit = lexical_engine.bundle.engine.max_followup_turns
    assessment = lexical_engine.assess(None, ". ".join(parts))
    for reply in replies:
        if assessment.complete:
            break
        assessment = lexical_engine.assess(assessment.facts, reply)
    assert assessment.complete
    assert assessment.next_question is None
    assert assessment.facts.followup_turns <= limit
    asked = assessment.facts.asked_question_ids
    assert len(asked) == assessment.facts.followup_turns
    opener = lexical_engine.bundle.engine.complaint_question
    discriminators = [q for q in asked if opener is None or q != opener.id]  # the open question may repeat
    assert len(discriminators) == len(set(discriminators))


def test_when_patient_does_not_know_then_recorded_and_loop_ends(lexical_engine: TriageEngine):
    first = lexical_engine.assess(None, "I have a headache")
    assert first.next_question is not None and not first.complete
    final = run_case(lexical_engine, "I have a headache", "I don't know")
    assert final.complete
    assert set(final.facts.unknown_question_ids) == set(final.facts.asked_question_ids)
    assert final.facts.pending_question_id is None


def test_question_targets_the_discriminator_that_changes_the_outcome(lexical_engine: TriageEngine):
    first = lexical_engine.assess(None, "I'm 30 and my chest hurts")
    assert first.decision.disposition == "urgent"
    question = first.next_question
    assert question is not None
    assert question.question_id.startswith("Q-CHEST")
    answered = lexical_engine.assess(first.facts, "yes")
    assert answered.decision.disposition == "emergency"
    assert answered.complete


def test_no_questions_when_a_red_flag_has_fired(lexical_engine: TriageEngine):
    assessment = lexical_engine.assess(None, "my face is drooping and my speech is slurred")
    assert assessment.complete and assessment.next_question is None
    assert assessment.facts.followup_turns == 0


def test_no_questions_when_nothing_could_change_the_outcome(lexical_engine: TriageEngine):
    assessment = lexical_engine.assess(None, "I have a mosquito bite")
    assert assessment.decision.disposition == "self_care"
    assert assessment.complete


def test_answer_no_records_absence(lexical_engine: TriageEngine):
    first = lexical_engine.assess(None, "I'm 30 and my chest hurts")
    assert first.next_question is not None
    target = first.next_question.target
    second = lexical_engine.assess(first.facts, "No")
    finding = second.facts.finding(target)
    assert finding is not None and finding.status == "absent" and finding.source == "answer"


def test_fact_answers_are_extracted(lexical_engine: TriageEngine):
    first = lexical_engine.assess(None, "my baby has a fever")
    assert first.next_question is not None and first.next_question.target == "age"
    second = lexical_engine.assess(first.facts, "she is 6 weeks old")
    assert second.decision.disposition == "emergency"


def test_interpret_answer(triage_bundle: PolicyBundle):
    assert interpret_answer(triage_bundle, "I don't know") == "unknown"
    assert interpret_answer(triage_bundle, "Not sure, sorry") == "unknown"
    assert interpret_answer(triage_bundle, "No, it doesn't") == "no"
    assert interpret_answer(triage_bundle, "Yes it does") == "yes"
    assert interpret_answer(triage_bundle, "Yeah a little") == "yes"
    assert interpret_answer(triage_bundle, "It started on Monday") is None
