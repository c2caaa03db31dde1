"""AppTest of the clinician console against the real backend app: claim → reply → the patient sees it."""

from pathlib import Path

from auth_helpers import PASSWORD, create_user
from fastapi.testclient import TestClient
from streamlit.testing.v1 import AppTest

from frontend.api_client import TriageApiClient

APP = str(Path(__file__).resolve().parents[2] / "frontend" / "streamlit_app.py")
EMERGENCY = "My name is John Smith. My chest feels crushed and the pain spreads to my left arm"


def signed_in(backend: TestClient, username: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["api_client"] = TriageApiClient(backend)
    at.run()
    at.text_input[0].input(username)
    at.text_input[1].input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception, at.exception
    return at


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def labelled(widgets, prefix: str):
    return next(w for w in widgets if w.label.startswith(prefix))


def texts(at: AppTest) -> list[str]:
    return [m.markdown[0].value for m in at.chat_message]


def test_clinician_claims_replies_and_patient_sees_the_message(backend: TestClient, monkeypatch):
    monkeypatch.setenv("TRIAGE_UI_SLA_MINUTES", '{"emergency": 0}')  # every emergency is overdue at once
    create_user(backend, "patient", "pat")
    create_user(backend, "clinician", "doc")
    patient = signed_in(backend, "pat")
    patient.chat_input[0].set_value(EMERGENCY).run()
    assert not patient.exception
    assert any("clinician has been asked" in i.value for i in patient.info)
    assert any(b.label == "Check for replies" for b in patient.button)

    doc = signed_in(backend, "doc")
    assert any("past their response target" in e.value for e in doc.error)  # overdue highlighting
    [overdue_metric] = [m for m in doc.metric if m.label == "Overdue"]
    assert overdue_metric.value == "1"
    assert "emergency" in doc.selectbox[0].value or doc.selectbox[0].value  # the queue item is open
    page = doc.markdown.values
    assert any("RF-CARD-001" in text for text in page)  # red flag evidence
    assert any("my chest feels crushed" in text.lower() for text in page)  # evidence phrase
    assert all("John Smith" not in t for t in texts(doc))  # redacted until claimed and revealed
    assert doc.toggle[0].disabled

    button(doc, "Claim").click().run()
    assert any("claimed" in s.value for s in doc.success)
    doc.toggle[0].set_value(True).run()
    assert any("John Smith" in t for t in texts(doc))  # de-pseudonymised view (audited)

    button(doc, "Flag answer").click().run()
    assert any("flagged as unsafe answer" in s.value for s in doc.success)
    labelled(doc.text_area, "Alternative answer").input("Call an ambulance now; do not drive yourself.")
    button(doc, "Save rating").click().run()
    assert any("Rating of turn 0 saved" in s.value for s in doc.success)

    labelled(doc.text_area, "Message to the patient").input(
        "This is Dr Doc: please call 911 now, an ambulance is on the way."
    )
    button(doc, "Send to patient").click().run()
    assert not doc.exception
    assert any("Sent to the patient" in s.value for s in doc.success)
    assert any("queue is empty" in s.value for s in doc.success)

    button(patient, "Check for replies").click().run()
    assert not patient.exception
    clinician_messages = [m for m in patient.chat_message if m.name == "clinician"]
    assert clinician_messages and "ambulance is on the way" in clinician_messages[-1].markdown[0].value
    # resolved: the "clinician has been asked" notice and the polling button are gone
    assert not any("clinician has been asked" in i.value for i in patient.info)
    assert not any(b.label == "Check for replies" for b in patient.button)

    ratings = backend.app.state.ratings.search()[1]
    assert [(r.turn_index, r.preferred) for r in ratings] == [(0, "a")]


def test_clinician_sees_only_the_console(backend: TestClient):
    create_user(backend, "clinician", "doc2")
    doc = signed_in(backend, "doc2")
    assert any("queue is empty" in s.value for s in doc.success)
    assert not doc.chat_input
