from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from audit_helpers import make_event as event
from audit_helpers import tamper

from audit import AuditStore, EventNotFoundError, FlagKind
from audit.chain import EXTENSION_FIELDS


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


def test_turn_times_and_model_version_are_stored_and_chained(store: AuditStore, database_url: str):
    started = datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=UTC)
    record = store.record(event(turn_started_at=started, model_version="sha256:abc"))
    assert record.turn_started_at == started
    assert record.turn_ended_at is not None and record.turn_ended_at >= started
    assert record.model_version == "sha256:abc"
    assert store.verify().ok
    tamper(database_url, "UPDATE audit_events SET model_version = 'sha256:other'")
    assert "event_hash" in (store.verify().reason or "")


def test_events_without_extension_fields_hash_as_before(store: AuditStore):
    # rows written before migration 0002 have NULL in every extension field; they must still verify
    record = store.record(event())
    assert all(getattr(record, name) is None for name in EXTENSION_FIELDS)
    assert store.verify().ok


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
        ("UPDATE audit_events SET escalated = NOT escalated WHERE sequence = 2", "event_hash"),
        ("UPDATE audit_events SET prev_hash = event_hash WHERE sequence = 2", "prev_hash"),
        ("UPDATE audit_events SET content_purged = true WHERE sequence = 2", "still holds content"),
        ("UPDATE audit_events SET trigger_layers = '|x|' WHERE sequence = 2", "trigger index"),
        ("DELETE FROM audit_events WHERE sequence = 2", "sequence gap"),
    ],
)
def test_when_row_edited_behind_the_app_then_verify_reports_first_broken_link(
    store: AuditStore, database_url: str, statement: str, reason: str
):
    for turn in range(4):
        store.record(event(turn=turn))
    tamper(database_url, statement)
    report = store.verify()
    assert not report.ok
    assert report.first_broken_sequence in (2, 3)
    assert report.events_checked == 1
    assert reason in (report.reason or "")


def test_when_last_event_deleted_then_chain_still_links_but_count_drops(store: AuditStore, database_url):
    # truncation at the tail cannot be seen from the chain alone; the count is the evidence
    for turn in range(3):
        store.record(event(turn=turn))
    tamper(database_url, "DELETE FROM audit_events WHERE sequence = 3")
    report = store.verify()
    assert report.ok and report.events_checked == 2


def test_purge_clears_text_keeps_hashes_and_chain(store: AuditStore):
    old = store.record(event(turn=0, redacted_input="old text", evidence=[{"span": "x"}]))
    cutoff = datetime.now(UTC) + timedelta(seconds=1)
    assert store.purge_content(cutoff, dry_run=True) == 1
    assert store.list_conversation("c1")[0].redacted_input == "old text"  # dry run changed nothing
    assert store.purge_content(cutoff) == 1
    purged = store.list_conversation("c1")[0]
    assert purged.content_purged and purged.redacted_input is None and purged.redacted_output is None
    assert purged.evidence == [] and purged.event_hash == old.event_hash
    assert store.purge_content(cutoff) == 0  # idempotent
    store.record(event(turn=1))
    assert store.verify().ok


def test_flag_is_a_new_chained_event_about_an_earlier_one(store: AuditStore):
    turn = store.record(event(model_version="v1"))
    flag = store.flag(turn.event_uuid, FlagKind.FALSE_POSITIVE, "clin-1", "not SECRET really")
    assert flag.event_type == "clinician_flag" and flag.actor == "clinician" and flag.actor_id == "clin-1"
    assert flag.subject_event_uuid == turn.event_uuid and flag.flag_kind == FlagKind.FALSE_POSITIVE
    assert flag.redacted_input == "not [REDACTED] really"
    assert flag.prev_hash == turn.event_hash and flag.model_version == "v1"
    assert store.get(turn.event_uuid) == turn  # the flagged event is unchanged
    assert store.verify().ok
    with pytest.raises(EventNotFoundError):
        store.flag("no-such-uuid", FlagKind.OTHER, "clin-1", None)
    with pytest.raises(ValueError, match="cannot be flagged"):
        store.flag(flag.event_uuid, FlagKind.OTHER, "clin-1", None)


def test_concurrent_writers_keep_the_chain_valid(store: AuditStore):
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda i: store.record(event(conversation=f"c{i % 4}", turn=i)), range(40)))
    assert store.count() == 40
    assert store.verify().ok
