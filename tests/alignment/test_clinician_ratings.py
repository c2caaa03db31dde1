import csv
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, Text, create_engine, insert

from alignment.prefs import pairs_from_ratings
from alignment.ratings import RATING_COLUMNS, read_ratings_file, read_ratings_table

ROWS = [
    {
        "conversation_id": "c1",
        "turn_index": 0,
        "prompt": "chest pain",
        "response_a": "call 999",
        "response_b": "rest",
        "preferred": "a",
        "rationale": "CP-04",
        "annotator_id": "rn-1",
        "guideline_version": "1.0",
        "created_at": "2026-11-01T10:00:00+00:00",
    },
    {
        "conversation_id": "c1",
        "turn_index": 0,
        "prompt": "chest pain",
        "response_a": "call 999",
        "response_b": "rest",
        "preferred": "B",
        "rationale": "",
        "annotator_id": "rn-2",
        "guideline_version": "1.0",
        "created_at": "2026-11-01T11:00:00+00:00",
    },
    {
        "conversation_id": "c2",
        "turn_index": 1,
        "prompt": "cold",
        "response_a": "fluids",
        "response_b": "antibiotics",
        "preferred": "tie",
        "rationale": "both ok",
        "annotator_id": "rn-1",
        "guideline_version": "1.0",
        "created_at": "2026-11-02T10:00:00+00:00",
    },
]


def test_read_ratings_from_jsonl_and_csv_agree(tmp_path: Path):
    jsonl = tmp_path / "r.jsonl"
    jsonl.write_text("\n".join(json.dumps(r) for r in ROWS))
    csv_path = tmp_path / "r.csv"
    with csv_path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=RATING_COLUMNS)
        writer.writeheader()
        writer.writerows(ROWS)
    from_jsonl, from_csv = read_ratings_file(jsonl), read_ratings_file(csv_path)
    assert from_jsonl == from_csv
    assert from_jsonl[1].preferred == "b"  # normalised
    assert from_jsonl[0].item_key == "c1#0"


def test_pairs_from_ratings_orient_chosen_and_skip_ties(tmp_path: Path):
    path = tmp_path / "r.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in ROWS))
    pairs = pairs_from_ratings(read_ratings_file(path))
    assert [(p.chosen, p.rejected) for p in pairs] == [("call 999", "rest"), ("rest", "call 999")]
    assert {p.source for p in pairs} == {"clinician"}


def test_when_preferred_is_invalid_then_the_row_is_named(tmp_path: Path):
    path = tmp_path / "r.jsonl"
    path.write_text(json.dumps({**ROWS[0], "preferred": "maybe"}))
    with pytest.raises(ValueError, match="row 0"):
        read_ratings_file(path)


def test_read_ratings_table_through_sqlalchemy(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'queue.db'}"
    engine = create_engine(url)
    table = Table(
        "clinician_ratings",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("conversation_id", String),
        Column("turn_index", Integer),
        Column("prompt", Text),
        Column("response_a", Text),
        Column("response_b", Text),
        Column("preferred", String),
        Column("rationale", Text),
        Column("annotator_id", String),
        Column("guideline_version", String),
        Column("created_at", DateTime),
    )
    table.metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(
            insert(table),
            [
                {
                    **r,
                    "created_at": datetime.fromisoformat(r["created_at"])
                    .astimezone(UTC)
                    .replace(tzinfo=None),
                }
                for r in ROWS
            ],
        )
    engine.dispose()
    ratings = read_ratings_table(url)
    assert len(ratings) == 3
    assert {r.annotator_id for r in ratings} == {"rn-1", "rn-2"}


def test_when_table_lacks_columns_then_error_names_them(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'bad.db'}"
    engine = create_engine(url)
    Table(
        "clinician_ratings", MetaData(), Column("conversation_id", String, primary_key=True)
    ).metadata.create_all(engine)
    engine.dispose()
    with pytest.raises(ValueError, match="missing columns"):
        read_ratings_table(url)
