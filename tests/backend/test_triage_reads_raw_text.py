"""The engine reads the raw words; what it derives is stored without identifiers (age over 89 as 90)."""

from pathlib import Path

from auth_helpers import log_in
from fastapi.testclient import TestClient

from backend.agent.phi_scrub import PhiScrubber, stored_facts
from backend.components import PrebuiltComponents
from backend.llm import FakeChatModel
from backend.main import create_app
from backend.triage import Assessment, CaseFacts, TriageEngine
from clinical_policies import load_policy_bundle


def test_scrubber_replaces_known_values_as_whole_words_case_insensitively():
    scrubber = PhiScrubber({"[PERSON_1]": "Mary Black", "[PERSON_2]": "Mary", "[AGE_1]": "6"})
    assert scrubber.text("mary black said") == "[PERSON_1] said"  # the longer value wins
    assert scrubber.text("Mary's cough, 6 days, 16 hours") == "[PERSON_2]'s cough, [AGE_1] days, 16 hours"
    assert scrubber.text("rosemary tea") == "rosemary tea"  # not inside a word
    nested = {
        "evidence": [{"phrase": "Mary Black has chest pain", "concept_id": "mary", "score": 1.0}],
        "n": 3,
    }
    assert scrubber.data(nested) == {
        "evidence": [{"phrase": "[PERSON_1] has chest pain", "concept_id": "mary", "score": 1.0}],
        "n": 3,
    }
    assert PhiScrubber({}).text("Mary") == "Mary"


def test_stored_facts_cap_age_at_90_and_scrub_phrases():
    scrubber = PhiScrubber({"[PERSON_1]": "Mary Black"})
    facts = {"age_years": 94.0, "findings": [{"evidence": "mary black is feverish"}]}
    assert stored_facts(facts, scrubber) == {
        "age_years": 90.0,
        "findings": [{"evidence": "[PERSON_1] is feverish"}],
    }
    assert stored_facts({"age_years": 78.0}, scrubber)["age_years"] == 78.0
    assert stored_facts({"age_years": None}, scrubber)["age_years"] is None


def test_policy_ids_are_never_scrubbed():
    """A redacted word that spells part of an id ("Back" taken for a place) leaves the ids alone."""
    scrubber = PhiScrubber({"[LOCATION_1]": "Back", "[PERSON_1]": "Chest"})
    facts = {
        "pending_question_id": "Q-BACK-001",
        "asked_question_ids": ["Q-BACK-001", "Q-CHEST-005"],
        "conflicts": ["back_pain"],
        "findings": [{"concept_id": "back_pain", "evidence": "my back hurts", "source": "lexicon"}],
        "fired_red_flags": [{"red_flag_id": "RF-BACK-001", "title": "Back pain", "evidence": ["back hurts"]}],
    }
    assert stored_facts(facts, scrubber) == {
        "pending_question_id": "Q-BACK-001",
        "asked_question_ids": ["Q-BACK-001", "Q-CHEST-005"],
        "conflicts": ["back_pain"],
        "findings": [{"concept_id": "back_pain", "evidence": "my [LOCATION_1] hurts", "source": "lexicon"}],
        "fired_red_flags": [
            {"red_flag_id": "RF-BACK-001", "title": "Back pain", "evidence": ["[LOCATION_1] hurts"]}
        ],
    }


def test_engine_resumes_from_scrubbed_facts_when_a_redacted_word_spells_the_pending_question_id():
    """Regression: 'Q-BACK-001' became 'Q-[LOCATION_1]-001' in the checkpoint and the next turn crashed."""
    engine = TriageEngine(load_policy_bundle(), None)
    first = engine.assess(None, "I have had back pain for two days")
    assert first.facts.pending_question_id == "Q-BACK-001"
    scrubber = PhiScrubber({"[LOCATION_1]": "back"})
    stored = CaseFacts.model_validate(stored_facts(first.facts.model_dump(mode="json"), scrubber))
    assert stored.pending_question_id == "Q-BACK-001"
    assert all("LOCATION" in f.evidence or "back" not in f.evidence.lower() for f in stored.findings)
    second = engine.assess(stored, "I don't know")
    assert "Q-BACK-001" in second.facts.asked_question_ids


def test_age_reaches_the_engine_but_no_identifier_is_stored(make_app_client, sqlite_url, tmp_path: Path):
    client = log_in(make_app_client(sqlite_url, FakeChatModel(["noted"])), "patient")
    cid = client.post("/conversations").json()["id"]
    text = (
        "This is Mary Black calling about my dad, he is 94 and has had a fever and a cough since yesterday."
    )
    turn = client.post(f"/conversations/{cid}/messages", json={"text": text}).json()
    assert "94" not in turn["redacted_input"] and "Mary Black" not in turn["redacted_input"]

    facts = client.app.state.services.conversations.case_facts(cid)
    assert facts["age_years"] == 90.0  # the engine read "94" (a placeholder would have left it unknown)
    assert facts["findings"]  # fever / cough were extracted from the raw words
    for path in tmp_path.glob("*.sqlite*"):
        data = path.read_bytes()
        assert b"Mary Black" not in data and b"he is 94" not in data, path


class _BrokenEngine(TriageEngine):
    """The real engine whose every assessment raises (the fault the question-id scrubbing bug caused)."""

    def assess(self, previous: CaseFacts | None, text: str) -> Assessment:
        raise KeyError("Q-[LOCATION_1]-003")


def test_when_triage_engine_fails_then_turn_is_escalated_with_approved_text(
    make_settings, redactor, prebuilt, policy_bundle, sqlite_url
):
    """Fail closed: no disposition is guessed; the case is escalated and the patient is told so."""
    broken = _BrokenEngine(policy_bundle, None)
    app = create_app(
        make_settings(sqlite_url),
        chat_model=FakeChatModel(["noted"]),
        redactor=redactor,
        prebuilt=PrebuiltComponents(broken, prebuilt.safety),
    )
    with TestClient(app) as raw:
        client = log_in(raw, "patient")
        cid = client.post("/conversations").json()["id"]
        response = client.post(
            f"/conversations/{cid}/messages", json={"text": "I have had back pain for two days"}
        )
        assert response.status_code == 200
        turn = response.json()
        assert turn["escalated"] and "triage_engine_error" in turn["escalation_reasons"]
        assert turn["disposition"] is None
        assert turn["reply"].endswith(policy_bundle.messages.escalated_to_clinician)
        assert client.get(f"/conversations/{cid}").json()["status"] == "escalated"
