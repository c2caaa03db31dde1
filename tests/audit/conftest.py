import pytest
from audit_helpers import upper_redactor
from sqlalchemy import Engine

from audit import AuditQueries, AuditStore, make_engine, make_session_factory


@pytest.fixture
def engine(database_url: str):
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def store(engine: Engine) -> AuditStore:
    return AuditStore(make_session_factory(engine), upper_redactor)


@pytest.fixture
def queries(engine: Engine) -> AuditQueries:
    return AuditQueries(make_session_factory(engine))
