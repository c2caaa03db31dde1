"""Retention purge: expired text goes, hashes and chain stay, checkpoints are deleted."""

from datetime import UTC, datetime, timedelta

import pytest
from auth_helpers import auth_header

from backend.llm import FakeChatModel
from backend.retention import main, purge


def test_purge_removes_expired_content_and_keeps_chain_verifiable(
    make_app_client, make_settings, database_url
):
    settings = make_settings(database_url)
    client = make_app_client(database_url, FakeChatModel(["noted"]))
    patient = auth_header(client, "patient")
    cid = client.post("/conversations", headers=patient).json()["id"]
    client.post(f"/conversations/{cid}/messages", json={"text": "my knee hurts"}, headers=patient)
    assert client.get(f"/conversations/{cid}", headers=patient).json()["messages"]
    store = client.app.state.services.audit_store

    # nothing has expired yet
    assert purge(settings, days=30).audit_events_purged == 0
    later = datetime.now(UTC) + timedelta(days=31)
    dry = purge(settings, days=30, now=later, dry_run=True)
    assert (dry.audit_events_purged, dry.conversations_purged) == (1, 1)
    assert store.list_conversation(cid)[0].redacted_input == "my knee hurts"

    report = purge(settings, days=30, now=later)
    assert (report.audit_events_purged, report.conversations_purged) == (1, 1)
    [event] = store.list_conversation(cid)
    assert event.content_purged and event.redacted_input is None and event.redacted_output is None
    assert store.verify().ok
    conversation = client.get(f"/conversations/{cid}", headers=patient).json()
    assert conversation["status"] == "purged" and conversation["messages"] == []
    refused = client.post(f"/conversations/{cid}/messages", json={"text": "again"}, headers=patient)
    assert refused.status_code == 409 and "retention" in refused.json()["detail"]

    again = purge(settings, days=30, now=later)
    assert (again.audit_events_purged, again.conversations_purged) == (0, 0)


def test_cli_dry_run_prints_report(sqlite_url, monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("TRIAGE_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("TRIAGE_CHECKPOINT_URL", f"sqlite:///{tmp_path / 'ckpt.sqlite'}")
    from backend.settings import get_settings

    get_settings.cache_clear()
    try:
        assert main(["purge", "--days", "7", "--dry-run"]) == 0
        assert '"dry_run": true' in capsys.readouterr().out
        with pytest.raises(SystemExit):
            main(["purge", "--days", "0"])
    finally:
        get_settings.cache_clear()
