"""The load command against a real uvicorn server (fake model, SQLite) for a few seconds."""

import asyncio
import socket
import threading
import time

import pytest
import uvicorn

from backend import loadtest
from backend.llm import FakeChatModel
from backend.main import create_app
from backend.settings import RateLimitSettings


def test_refuses_any_host_but_this_machine():
    for url in (
        "http://10.0.0.5:8000",
        "https://example.org",
        "http://127.0.0.1.evil.io:80",
        "ftp://localhost",
    ):
        with pytest.raises(loadtest.LoadTestError):
            loadtest.require_local(url)
    assert loadtest.require_local("http://localhost:8000/") == "http://localhost:8000"
    assert loadtest.main(["--url", "http://192.168.1.2:8000", "--database-url", "sqlite://"]) == 2
    assert loadtest.main(["--patients", "100000", "--database-url", "sqlite://"]) == 2


def test_percentile():
    assert loadtest.percentile([], 95) == 0.0
    assert loadtest.percentile([10, 20, 30, 40], 50) == 25
    assert loadtest.percentile(list(range(1, 101)), 99) == pytest.approx(99.01)


def test_load_run_against_a_live_server_loses_no_audit_events(make_settings, redactor, prebuilt, sqlite_url):
    settings = make_settings(sqlite_url, rate_limit=RateLimitSettings(login_per_minute=100))
    app = create_app(settings, chat_model=FakeChatModel(), redactor=redactor, prebuilt=prebuilt)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        for _ in range(300):
            if server.started:
                break
            time.sleep(0.1)
        assert server.started
        admin = ("load-admin", "load admin password")
        app.state.access.auth.create_user(*admin, "admin")
        report = asyncio.run(
            loadtest.run_load(f"http://127.0.0.1:{port}", patients=3, turns=2, max_seconds=60, admin=admin)
        )
    finally:
        server.should_exit = True
        thread.join(timeout=30)
    assert report.errors == [] and report.turns_ok + report.escalated_turns >= 3
    assert report.audit_ok and report.audit_turn_records == report.turns_ok
    assert report.latency_ms["p50"] > 0 and report.latency_ms["p99"] >= report.latency_ms["p50"]
    assert report.status_counts.get("message 200") == report.turns_ok
    assert "audit:" in loadtest.format_report(report)
