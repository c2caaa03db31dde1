"""What only PostgreSQL enforces: the append-only trigger, and appends from many processes at once."""

import multiprocessing
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from audit_helpers import make_event, write_events
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from audit import AuditStore

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_url(database_url: str) -> str:
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only")
    return database_url


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_events SET disposition = 'self_care' WHERE sequence = 1",
        "UPDATE audit_events SET redacted_input = NULL, content_purged = true WHERE sequence = 1",
        "DELETE FROM audit_events WHERE sequence = 1",
        "TRUNCATE audit_events",
    ],
)
def test_trigger_rejects_updates_and_deletes(pg_url, store: AuditStore, engine, statement):
    store.record(make_event())
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
        connection.execute(text(statement))
    assert store.count() == 1 and store.verify().ok


@pytest.mark.parametrize(
    "statement",
    [
        # with the purge setting, anything but clearing the text is still refused
        "UPDATE audit_events SET disposition = 'self_care', redacted_input = NULL, redacted_output = NULL,"
        " evidence = '[]', content_purged = true",
        "UPDATE audit_events SET redacted_input = NULL, content_purged = true",
        "UPDATE audit_events SET redacted_input = 'other'",
        "DELETE FROM audit_events",
    ],
)
def test_purge_setting_allows_only_clearing_text(pg_url, store: AuditStore, engine, statement):
    store.record(make_event())
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
        connection.execute(text("SET LOCAL triage.retention_purge = 'on'"))
        connection.execute(text(statement))


def test_setting_does_not_outlive_its_transaction(pg_url, store: AuditStore, engine):
    store.record(make_event())
    with engine.connect() as connection:
        with connection.begin():
            connection.execute(text("SET LOCAL triage.retention_purge = 'on'"))
        with pytest.raises(DBAPIError, match="append-only"), connection.begin():
            connection.execute(
                text(
                    "UPDATE audit_events SET redacted_input = NULL, redacted_output = NULL,"
                    " evidence = '[]', content_purged = true"
                )
            )
    assert store.purge_content(datetime.now(UTC) + timedelta(seconds=1)) == 1
    assert store.verify().ok


def test_many_threads_and_processes_append_at_once(pg_url, store: AuditStore):
    processes, per_process, threads, per_thread = 4, 25, 8, 10
    context = multiprocessing.get_context("spawn")
    with (
        ProcessPoolExecutor(processes, mp_context=context) as process_pool,
        ThreadPoolExecutor(threads) as thread_pool,
    ):
        futures = [process_pool.submit(write_events, pg_url, w, per_process) for w in range(processes)]
        list(
            thread_pool.map(
                lambda i: store.record(make_event(conversation=f"thread-{i % threads}", turn=i)),
                range(threads * per_thread),
            )
        )
        assert sum(f.result() for f in futures) == processes * per_process
    expected = processes * per_process + threads * per_thread
    assert store.count() == expected
    report = store.verify()
    assert report.ok and report.events_checked == expected
    for writer in range(processes):
        assert [r.turn_index for r in store.list_conversation(f"proc-{writer}")] == list(range(per_process))
