"""Shared fixtures: real Presidio, real SmolLM2, real SQLite and PostgreSQL databases."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from sqlalchemy import create_engine, text

from backend.components import PrebuiltComponents, build_prebuilt
from backend.db.migrate import upgrade
from backend.settings import ModelSettings, Settings, default_cache_dir
from clinical_policies import PolicyBundle, load_policy_bundle
from safety import PiiConfig, PiiRedactor

POSTGRES_ADMIN_URL = os.environ.get(
    "TRIAGE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def _postgres_database() -> Iterator[str]:
    """Create a throw-away database on the real PostgreSQL server; drop it afterwards."""
    name = f"triage_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    base, _, _ = POSTGRES_ADMIN_URL.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A freshly migrated, empty database: SQLite file, then the real PostgreSQL."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'triage.db'}"
        upgrade(url)
        yield url
        return
    for url in _postgres_database():
        upgrade(url)
        yield url


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A freshly migrated database on the real PostgreSQL server only."""
    for url in _postgres_database():
        upgrade(url)
        yield url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A migrated SQLite database only (for tests that are about the API, not the database)."""
    url = f"sqlite:///{tmp_path / 'triage.db'}"
    upgrade(url)
    return url


@pytest.fixture(scope="session")
def policy_bundle() -> PolicyBundle:
    """The packaged clinical policy bundle."""
    return load_policy_bundle()


@pytest.fixture(scope="session")
def redactor() -> PiiRedactor:
    """Real Presidio on the offline spaCy model (loaded once per test session)."""
    return PiiRedactor(PiiConfig())


@pytest.fixture(scope="session")
def prebuilt(policy_bundle: PolicyBundle, tmp_path_factory: pytest.TempPathFactory) -> PrebuiltComponents:
    """The real triage engine (MiniLM) and safety cascade (classifier heads), built once per session."""
    settings = Settings(environment="test", cache_dir=default_cache_dir())
    return build_prebuilt(settings, policy_bundle)


@pytest.fixture(scope="session")
def base_model_dir() -> Path:
    """The real SmolLM2-135M-Instruct, converted from the shipped GGUF into the asset cache."""
    from backend.llm.assets import ensure_base_model

    return ensure_base_model(default_cache_dir())


@pytest.fixture
def make_settings(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Settings factory pointing at a given database, with the checkpoint store in tmp_path."""

    def factory(database_url: str, **overrides: object) -> Settings:
        checkpoint = "" if database_url.startswith("postgres") else f"sqlite:///{tmp_path / 'ckpt.sqlite'}"
        values: dict[str, object] = {
            "environment": "test",
            "database_url": database_url,
            "checkpoint_url": checkpoint,
            "model": ModelSettings(backend="fake"),
        }
        values.update(overrides)
        return Settings(**values)  # type: ignore[arg-type]

    return factory
