import pytest
from pydantic import ValidationError

from backend.settings import Settings


def test_env_prefix_and_nested_sections(monkeypatch):
    monkeypatch.setenv("TRIAGE_DATABASE_URL", "postgresql+psycopg://u@h/db")
    monkeypatch.setenv("TRIAGE_MODEL__BACKEND", "openai")
    monkeypatch.setenv("TRIAGE_MODEL__TIMEOUT_S", "7.5")
    settings = Settings()
    assert settings.database_url.startswith("postgresql")
    assert settings.model.backend == "openai" and settings.model.timeout_s == 7.5
    assert settings.resolved_checkpoint_url == settings.database_url


def test_sqlite_default_puts_checkpoints_beside_database():
    settings = Settings(database_url="sqlite:////tmp/x/triage.db")
    assert settings.resolved_checkpoint_url == "sqlite:////tmp/x/triage-checkpoints.sqlite"


def test_production_rejects_sqlite():
    with pytest.raises(ValidationError, match="PostgreSQL"):
        Settings(environment="production", database_url="sqlite:////tmp/x.db")


def test_invalid_model_backend_is_rejected(monkeypatch):
    monkeypatch.setenv("TRIAGE_MODEL__BACKEND", "gpt-magic")
    with pytest.raises(ValidationError):
        Settings()
