"""Apply the Alembic migrations programmatically (``python -m backend.db.migrate``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from alembic import command
from alembic.config import Config

from backend.settings import REPO_ROOT, get_settings


def alembic_config(url: str) -> Config:
    """Alembic config pointing at our migrations, for ``url``."""
    config = Config(str(REPO_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(Path(__file__).resolve().parent.parent / "migrations"))
    config.attributes["url"] = url
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Migrate the database at ``url`` to ``revision``."""
    command.upgrade(alembic_config(url), revision)


def main(argv: list[str] | None = None) -> int:
    """Migrate the configured database (or ``--url``) to head."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--url", default=None, help="database URL (default: TRIAGE_DATABASE_URL)")
    args = parser.parse_args(argv)
    url = args.url or get_settings().database_url
    upgrade(url)
    print(f"database migrated to head: {url.split('@')[-1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
