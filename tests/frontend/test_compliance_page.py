"""Streamlit AppTest of the compliance page against the real backend app (fake model)."""

from pathlib import Path

import pytest
from audit_helpers import tamper
from auth_helpers import PASSWORD, auth_header, create_user
from fastapi.testclient import TestClient
from streamlit.testing.v1 import AppTest

from backend.llm import FakeChatModel
from backend.main import create_app
from frontend.api_client import TriageApiClient

APP = str(Path(__file__).resolve().parents[2] / "frontend" / "streamlit_app.py")


@pytest.fixture
def backend(make_settings, redactor, prebuilt, sqlite_url):
    model = FakeChatModel(["How long?", RuntimeError("server down")])
    app = create_app(make_settings(sqlite_url), chat_model=model, redactor=redactor, prebuilt=prebuilt)
    with TestClient(app) as client:
        patient = auth_header(client, "patient")
        for text in ("my knee hurts", "I feel dizzy"):
            cid = client.post("/conversations", headers=patient).json()["id"]
            client.post(f"/conversations/{cid}/messages", json={"text": text}, headers=patient)
        yield client


def compliance_app(backend: TestClient) -> AppTest:
    create_user(backend, "compliance", "officer")
    client = TriageApiClient(backend)
    client.login("officer", PASSWORD)
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["api_client"] = client
    return at.run()


def test_compliance_page_shows_chain_results_timeline_exports_and_charts(backend):
    at = compliance_app(backend)
    assert not at.exception
    assert at.title[0].value == "Compliance"
    assert any("Hash chain verified: 2 events" in s.value for s in at.success)
    table = at.dataframe[0].value
    assert len(table) == 2 and list(table["escalated"]) == [False, True]
    downloads = at.get("download_button")
    assert len(downloads) == 2
    assert at.selectbox[2].label == "Conversation timeline"
    [event] = at.expander
    assert event.label.startswith(("#1 ", "#2 ")) and "patient" in event.label
    assert [m.value for m in at.metric] == ["2", "1"]
    assert len(at.get("vega_lite_chart")) == 2  # trigger rates, escalations per day

    # filter: escalated only
    at.selectbox[0].select("yes")
    at.button[0].click().run()
    assert not at.exception
    assert len(at.dataframe[0].value) == 1


def test_compliance_page_reports_broken_chain(backend, sqlite_url):
    tamper(sqlite_url, "UPDATE audit_events SET disposition = 'tampered' WHERE sequence = 2")
    at = compliance_app(backend)
    assert not at.exception
    assert any("broken at event 2" in e.value for e in at.error)


def test_patient_does_not_get_the_compliance_page(backend):
    create_user(backend, "patient", "pat2")
    client = TriageApiClient(backend)
    client.login("pat2", PASSWORD)
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["api_client"] = client
    at.run()
    assert not at.exception
    assert at.title[0].value != "Compliance"
