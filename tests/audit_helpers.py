from audit import AuditEvent, make_engine


def upper_redactor(value: str) -> str:
    return value.replace("SECRET", "[REDACTED]")


def make_event(conversation: str = "c1", turn: int = 0, **kw) -> AuditEvent:
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


def tamper(database_url: str, statement: str) -> None:
    """Edit rows behind the application's back, as a database superuser could.

    On PostgreSQL the append-only trigger is bypassed the way an attacker with superuser rights
    would (``session_replication_role = replica`` disables triggers); verify must still notice.
    """
    engine = make_engine(database_url)
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.exec_driver_sql("SET LOCAL session_replication_role = replica")
        connection.exec_driver_sql(statement)
    engine.dispose()


def write_events(database_url: str, writer: int, count: int) -> int:
    """Child-process writer for the concurrency test: its own engine, store and chain lock."""
    from audit import AuditStore, make_session_factory

    engine = make_engine(database_url)
    store = AuditStore(make_session_factory(engine), upper_redactor)
    for turn in range(count):
        store.record(make_event(conversation=f"proc-{writer}", turn=turn))
    engine.dispose()
    return count
