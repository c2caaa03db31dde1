"""Found by hypothesis in CI: a caller's own age must not hide an infant's red flag, and a red flag,
once fired, must survive later context and answers."""

from backend.triage import TriageEngine
from backend.triage.demographics import extract_age


def test_callers_own_age_gives_way_to_the_described_persons(lexical_engine: TriageEngine):
    lexicon = lexical_engine.bundle.symptoms.demographics  # the extractor lower-cases text first
    assert extract_age("i'm 30. my 6 week old has a fever", lexicon) < 0.2
    assert extract_age("i'm 30 and i have a fever", lexicon) == 30


def test_infant_fever_stays_an_emergency_whatever_the_caller_says_later(lexical_engine: TriageEngine):
    assessment = lexical_engine.assess(None, "I'm 30. my 6 week old has a fever.")
    assert assessment.decision.disposition == "emergency"
    for reply in ("no", "I'm 30.", "I don't know", "No fever."):
        assessment = lexical_engine.assess(assessment.facts, reply)
        assert assessment.decision.disposition == "emergency"
        assert "RF-INF-003" in assessment.decision.fired_rule_ids
