"""Our own terse symptom-list probes (policy 0.8.1-0.8.2): the style a patient types into a symptom checker.

Written by us to look for failure classes, not taken from any evaluation case. Each emergency here was missed
before its fix (a comma list read as negated; list-style word order; an airway sign with swallowing; suicidal
intent without "my").
"""

import pytest

from backend.triage import TriageEngine


@pytest.mark.parametrize(
    "text",
    [
        "no fever, chest pain, shortness of breath",  # 0.8.1: the "no" stops at the comma
        "I don't have a fever, my chest hurts and I can't breathe properly",
        "weakness left arm and leg, started 1 hr ago",  # 0.8.2: list-style word order
        "numbness right side of face, 30 mins",
        "wants to end life, has plan, has pills",  # 0.8.2: intent without "my"
        "swollen tongue, difficulty swallowing, after new medication",  # 0.8.2: airway swelling
    ],
)
def test_list_style_emergencies_are_emergencies(engine: TriageEngine, text: str):
    assert engine.assess(None, text).decision.disposition == "emergency"


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("we talked about end of life care for my dad, he has a cough", "suicidal_thoughts"),
        ("no fever, cough or rash, just a sore throat", "fever"),
    ],
)
def test_look_alikes_do_not_raise_the_new_findings(lexical_engine: TriageEngine, text: str, concept: str):
    findings = {f.concept_id: f.status for f in lexical_engine.assess(None, text).facts.findings}
    assert findings.get(concept) in (None, "absent")
