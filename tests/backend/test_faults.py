"""Fault injection against real components: restarts, a database going down mid-turn, model faults."""

import pytest
from sqlalchemy import create_engine, text

from audit import AuditStore, make_engine, make_session_factory
from backend.llm import FakeChatModel
from backend.services import build_services
from tests.conftest import POSTGRES_ADMIN_URL


def count_audit_rows(url: str) -> int:
    engine = create_engine(url)
    with engine.connect() as connection:
        n = connection.execute(text("SELECT count(*) FROM audit_events")).scalar_one()
    engine.dispose()
    return int(n)


def test_backend_restart_resumes_conversation_from_checkpoint(
    make_settings, redactor, prebuilt, database_url
):
    settings = make_settings(database_url)
    with build_services(
        settings, chat_model=FakeChatModel(["first reply"]), redactor=redactor, prebuilt=prebuilt
    ) as services:
        cid = services.conversations.start()
        services.conversations.post_message(cid, "I have a rash on my arm")
    # a new process: everything rebuilt from the same database and checkpoint store
    model = FakeChatModel(["second reply"])
    with build_services(settings, chat_model=model, redactor=redactor, prebuilt=prebuilt) as services:
        state = services.conversations.post_message(cid, "it started yesterday")
        assert state["turn_index"] == 1
        messages = services.conversations.messages(cid)
    contents = [m["content"] for m in messages]
    assert contents[0] == "I have a rash on my arm" and contents[1].startswith("first reply")
    assert contents[2] == "it started yesterday" and contents[3].startswith("second reply")
    sent = [m["content"] for m in model.calls[0]]
    assert "I have a rash on my arm" in sent and contents[1] in sent  # the model saw the history
    # the triage engine's memory (case facts) survived the restart too
    assert state["facts"]["findings"] and state["facts"]["asked_question_ids"]
    assert count_audit_rows(database_url) == 2


@pytest.mark.postgres
def test_database_down_mid_turn_fails_explicitly_and_leaves_nothing_half_written(
    make_settings, redactor, prebuilt, postgres_url, tmp_path
):
    """PostgreSQL refuses connections while the model is thinking; the turn must fail as a whole."""
    db_name = postgres_url.rsplit("/", 1)[1]
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")

    def take_database_down(messages):
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{db_name}" ALLOW_CONNECTIONS false'))
            connection.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :d"),
                {"d": db_name},
            )
        return "a reply that must never be shown"

    # checkpoints on SQLite so only the audit database goes down
    settings = make_settings(postgres_url, checkpoint_url=f"sqlite:///{tmp_path / 'ckpt.sqlite'}")
    model = FakeChatModel(take_database_down)
    try:
        with build_services(settings, chat_model=model, redactor=redactor, prebuilt=prebuilt) as services:
            cid = services.conversations.start()
            with pytest.raises(Exception):  # noqa: B017 - any database error: the turn must not complete
                services.conversations.post_message(cid, "I have a headache")
            with admin.connect() as connection:
                connection.execute(text(f'ALTER DATABASE "{db_name}" ALLOW_CONNECTIONS true'))
            assert services.conversations.messages(cid) == []  # nothing entered the conversation
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{db_name}" ALLOW_CONNECTIONS true'))
        admin.dispose()
    assert count_audit_rows(postgres_url) == 0
    engine = make_engine(postgres_url)
    assert AuditStore(make_session_factory(engine), lambda s: s).verify().ok
    engine.dispose()


def test_model_timeout_then_recovery_in_same_conversation(
    make_settings, redactor, prebuilt, sqlite_url, policy_bundle
):
    model = FakeChatModel([TimeoutError("model server timed out"), "I am back: how long has it hurt?"])
    with build_services(
        make_settings(sqlite_url), chat_model=model, redactor=redactor, prebuilt=prebuilt
    ) as services:
        cid = services.conversations.start()
        first = services.conversations.post_message(cid, "my knee hurts")
        assert first["escalate"] and first["escalation_reasons"] == ["model_error"]
        assert first["reply"].endswith(policy_bundle.messages.escalated_to_clinician)
        second = services.conversations.post_message(cid, "still hurts")
        assert second["reply"].startswith("I am back") and not second["escalate"]
    assert count_audit_rows(sqlite_url) == 2
