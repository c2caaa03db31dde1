"""``audit`` and ``python -m backend.users`` command lines on a real SQLite database."""

import io
import json

from audit_helpers import make_event, tamper, upper_redactor

from audit import AuditStore, make_engine, make_session_factory
from backend import audit_cli, bench_audit, users


def test_verify_search_export_stats(sqlite_url, capsys, tmp_path):
    engine = make_engine(sqlite_url)
    store = AuditStore(make_session_factory(engine), upper_redactor)
    store.record(make_event(turn=0))
    store.record(make_event(turn=1, escalated=True, safety_triggers=[{"layer": "rules", "category": "S6"}]))
    engine.dispose()
    assert audit_cli.main(["--url", sqlite_url, "verify"]) == 0
    assert json.loads(capsys.readouterr().out)["ok"]
    assert audit_cli.main(["--url", sqlite_url, "search", "--trigger-layer", "rules"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("# 1 matching") and json.loads(out[1])["turn_index"] == 1
    target = tmp_path / "audit.csv"
    assert audit_cli.main(["--url", sqlite_url, "export", "--format", "csv", "--out", str(target)]) == 0
    assert len(target.read_text().splitlines()) == 3
    assert audit_cli.main(["--url", sqlite_url, "stats"]) == 0
    assert json.loads(capsys.readouterr().out)["escalated"] == 1
    tamper(sqlite_url, "UPDATE audit_events SET turn_index = 7 WHERE sequence = 2")
    assert audit_cli.main(["--url", sqlite_url, "verify"]) == 1
    assert json.loads(capsys.readouterr().out)["first_broken_sequence"] == 2


def test_bad_filter_is_a_clear_usage_error(sqlite_url, capsys):
    try:
        audit_cli.main(["--url", sqlite_url, "search", "--escalated", "maybe"])
    except SystemExit as exc:
        assert exc.code == 2
    assert "--escalated" in capsys.readouterr().err


def test_users_cli_creates_lists_and_disables(sqlite_url, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("a long password\n"))
    args = ["--url", sqlite_url, "create", "--username", "drwho", "--role", "clinician", "--password-stdin"]
    assert users.main(args) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("a long password\n"))
    assert users.main(args) == 2  # taken
    assert "taken" in capsys.readouterr().err
    assert users.main(["--url", sqlite_url, "disable", "--username", "drwho"]) == 0
    assert users.main(["--url", sqlite_url, "list"]) == 0
    assert "drwho\tclinician\tdisabled" in capsys.readouterr().out


def test_bench_runs_small(capsys):
    results = bench_audit.run(turns=5, events=20, postgres_admin_url=None)
    assert [r.backend for r in results] == ["sqlite"] and results[0].verify_events == 20
    assert "write per turn p95 (ms)" in bench_audit.format_table(results)
