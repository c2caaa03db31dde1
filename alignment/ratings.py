"""Import clinician preference ratings exported from the clinician review queue.

Accepted sources, all with the columns of table ``clinician_ratings``::

    conversation_id TEXT, turn_index INTEGER, prompt TEXT, response_a TEXT, response_b TEXT,
    preferred TEXT ('a' | 'b' | 'tie'), rationale TEXT, annotator_id TEXT,
    guideline_version TEXT, created_at TIMESTAMP

* a ``.jsonl`` or ``.csv`` export of that table, or
* a SQLAlchemy URL plus table name (read-only ``SELECT``; the pipeline never writes to it).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from alignment.schema import ClinicianRating

RATING_COLUMNS = (
    "conversation_id",
    "turn_index",
    "prompt",
    "response_a",
    "response_b",
    "preferred",
    "rationale",
    "annotator_id",
    "guideline_version",
    "created_at",
)


def read_ratings_file(path: Path) -> list[ClinicianRating]:
    """Validate a JSONL or CSV export; errors name the offending row.

    Raises:
        ValueError: unknown file type or an invalid row.
    """
    if path.suffix == ".jsonl":
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    elif path.suffix == ".csv":
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    else:
        raise ValueError(f"{path}: expected a .jsonl or .csv export of clinician_ratings")
    return _validate(rows, str(path))


def read_ratings_table(url: str, table: str = "clinician_ratings") -> list[ClinicianRating]:
    """Read every row of ``table`` at the SQLAlchemy ``url`` (columns as in the module docstring)."""
    from sqlalchemy import MetaData, Table, create_engine, select

    engine = create_engine(url)
    try:
        ratings_table = Table(table, MetaData(), autoload_with=engine)
        missing = set(RATING_COLUMNS) - set(ratings_table.columns.keys())
        if missing:
            raise ValueError(f"{table}: missing columns {sorted(missing)}")
        columns = [ratings_table.c[name] for name in RATING_COLUMNS]
        with engine.connect() as connection:
            rows = [dict(row._mapping) for row in connection.execute(select(*columns))]
    finally:
        engine.dispose()
    return _validate(rows, f"{table}@{engine.url.render_as_string(hide_password=True)}")


def _validate(rows: list[dict], origin: str) -> list[ClinicianRating]:
    ratings = []
    for index, row in enumerate(rows):
        try:
            ratings.append(ClinicianRating.model_validate(row))
        except ValueError as exc:
            raise ValueError(f"{origin}: row {index}: {exc}") from exc
    return ratings
