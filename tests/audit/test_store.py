from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import text

from audit import AuditEvent, AuditStore, make_engine, make_session_factory


def upper_redactor(value: str) -> str:
    return value.replace("SECRET", "[REDACTED]")


@pytest.fixture
def store(database_url: str):
    engine = make_engine(database_url)
    yield AuditStore(make_session_factory(engine), upper_redactor)
    engine.dispose()


def event(conversation: str = "c1", turn: int = 0, **kw) -> AuditEvent:
    values = dict(
        conversation_id=conversation,
        turn_index=turn,
        redacted_input="hello",
        redacted_output="reply",
        model_id="fake:scripted",
        policy_version="0.1.0",
        policy_sha256="a" * 64,
    )
    values.update(kw)
    return AuditEvent(**values)


def test_record_then_read_back_in_order(store: AuditStore):
    store.record(event(turn=0))
    store.record(event(turn=1))
    store.record(event(conversation="other"))
    records = store.list_conversation("c1")
    assert [r.turn_index for r in records] == [0, 1]
    assert records[1].prev_hash == records[0].event_hash
    assert store.count() == 3


def test_text_is_redacted_again_before_storage(store: AuditStore):
    record = store.record(event(redacted_input="my SECRET id"))
    assert record.redacted_input == "my [REDACTED] id"


def test_verify_passes_on_untouched_chain(store: AuditStore):
    for turn in range(5):
        store.record(event(turn=turn))
    report = store.verify()
    assert report.ok and report.events_checked == 5


@pytest.mark.parametrize(
    ("statement", "reason"),
    [
        ("UPDATE audit_events SET redacted_output = 'edited' WHERE sequence = 2", "content"),
        ("UPDATE audit_events SET disposition = 'self_care' WHERE sequence = 2", "event_hash"),
        ("DELETE FROM audit_events WHERE sequence = 2", "sequence gap"),
    ],
)
def test_when_row_edited_behind_the_app_then_verify_reports_first_broken_link(
    store: AuditStore, database_url: str, statement: str, reason: str
):
    for turn in range(4):
        store.record(event(turn=turn))
    engine = make_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text(statement))
    engine.dispose()
    report = store.verify()
    assert not report.ok
    assert report.first_broken_sequence in (2, 3)
    assert reason in (report.reason or "")


def test_concurrent_writers_keep_the_chain_valid(store: AuditStore):
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda i: store.record(event(conversation=f"c{i % 4}", turn=i)), range(40)))
    assert store.count() == 40
    assert store.verify().ok
