"""Audit benchmark: write overhead per turn (p50/p95) and chain verification throughput.

Runs on a throw-away SQLite file and a throw-away PostgreSQL database (both migrated to head, so
the PostgreSQL append-only trigger is in place) and prints the numbers side by side.
``audit bench --turns 500 --events 5000 [--postgres-admin-url URL]``.
"""

from __future__ import annotations

import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from audit import AuditEvent, AuditStore, make_engine, make_session_factory
from backend.db.migrate import upgrade

DEFAULT_POSTGRES_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
_TEXT = "I have had a sore throat and a mild fever for two days, and swallowing hurts. " * 3  # ~240 chars


@dataclass(frozen=True)
class BenchResult:
    """Numbers for one database."""

    backend: str
    write_p50_ms: float
    write_p95_ms: float
    verify_events: int
    verify_s: float

    @property
    def verify_events_per_s(self) -> float:
        """Events verified per second."""
        return self.verify_events / self.verify_s if self.verify_s else float("inf")


def _event(turn: int) -> AuditEvent:
    return AuditEvent(
        conversation_id=f"bench-{turn // 10}",
        turn_index=turn % 10,
        redacted_input=_TEXT,
        redacted_output=_TEXT,
        pii_entity_types=["PERSON"],
        disposition="self_care",
        rule_ids=["TR-FEVER-001"],
        evidence=[{"rule": "TR-FEVER-001", "span": "fever"}],
        safety_triggers=[{"layer": "rules", "category": "S6", "action": "escalate"}] if turn % 7 == 0 else [],
        escalated=turn % 7 == 0,
        model_id="fake:bench",
        policy_version="0.2.0",
        policy_sha256="b" * 64,
        latencies_ms={"redact_input": 3.1, "draft_reply": 812.0},
    )


def _percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1]


def run_one(backend: str, url: str, turns: int, events: int) -> BenchResult:
    """Time ``turns`` appends, fill the chain to ``events``, then time a full verification."""
    upgrade(url)
    engine = make_engine(url)
    store = AuditStore(make_session_factory(engine), lambda value: value)
    try:
        timings = []
        for turn in range(turns):
            start = time.perf_counter()
            store.record(_event(turn))
            timings.append((time.perf_counter() - start) * 1000)
        for turn in range(turns, events):
            store.record(_event(turn))
        start = time.perf_counter()
        report = store.verify()
        verify_s = time.perf_counter() - start
        if not report.ok:
            raise RuntimeError(f"benchmark chain did not verify: {report}")
    finally:
        engine.dispose()
    return BenchResult(
        backend, _percentile(timings, 50), _percentile(timings, 95), report.events_checked, verify_s
    )


@contextmanager
def postgres_database(admin_url: str) -> Iterator[str]:
    """A throw-away PostgreSQL database, dropped afterwards."""
    name = f"audit_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{admin_url.rpartition('/')[0]}/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def run(turns: int, events: int, postgres_admin_url: str | None) -> list[BenchResult]:
    """Benchmark SQLite and, when ``postgres_admin_url`` is given and reachable, PostgreSQL."""
    if turns < 2 or events < turns:
        raise ValueError("need turns >= 2 and events >= turns")
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        results.append(run_one("sqlite", f"sqlite:///{Path(tmp) / 'bench.db'}", turns, events))
    if postgres_admin_url:
        try:
            with postgres_database(postgres_admin_url) as url:
                results.append(run_one("postgresql", url, turns, events))
        except OperationalError as exc:
            print(f"PostgreSQL skipped: {exc.orig}")
    return results


def format_table(results: list[BenchResult]) -> str:
    """The results as a plain-text table, one column per database."""
    rows = [
        ("write per turn p50 (ms)", [f"{r.write_p50_ms:.2f}" for r in results]),
        ("write per turn p95 (ms)", [f"{r.write_p95_ms:.2f}" for r in results]),
        ("verify (events/s)", [f"{r.verify_events_per_s:,.0f}" for r in results]),
        ("events verified", [str(r.verify_events) for r in results]),
    ]
    lines = [f"{'':26}" + "".join(f"{r.backend:>14}" for r in results)]
    lines += [f"{label:26}" + "".join(f"{value:>14}" for value in values) for label, values in rows]
    return "\n".join(lines)
