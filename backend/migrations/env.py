"""Alembic environment: migrates the backend's and the audit store's tables together."""

from __future__ import annotations

from logging.config import fileConfig
from pathlib import Path

from alembic import context

from audit import AuditBase, make_engine
from backend.auth import UserRow  # noqa: F401  (registers users and auth_tokens on AppBase)
from backend.db import AppBase
from backend.escalation import EscalationRow  # noqa: F401  (registers the escalations table)
from backend.ratings import RatingRow  # noqa: F401  (registers the clinician_ratings table)
from backend.settings import get_settings

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = [AppBase.metadata, AuditBase.metadata]


def _url() -> str:
    explicit = context.get_x_argument(as_dictionary=True).get("url") or config.attributes.get("url")
    return str(explicit or get_settings().database_url)


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    url = _url()
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(url)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
