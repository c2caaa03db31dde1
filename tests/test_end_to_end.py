"""Real graph, real SmolLM2 on CPU, real Presidio, real databases (SQLite and PostgreSQL)."""

from pathlib import Path

import pytest
from auth_helpers import log_in
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from backend.llm import ModelError
from backend.llm.transformers_client import TransformersChatModel
from backend.main import create_app

pytestmark = pytest.mark.slow

NAME, PHONE, EMAIL = "John Smith", "617-555-0199", "john.smith@example.com"
RAW = f"Hi, my name is {NAME}. Call me on {PHONE} or at {EMAIL}. I have had a sore throat for two days."


@pytest.fixture(scope="module")
def smollm2(base_model_dir: Path) -> TransformersChatModel:
    return TransformersChatModel(base_model_dir, max_new_tokens=40, timeout_s=120)


def test_message_with_pii_through_real_graph_and_model(
    smollm2, make_settings, redactor, prebuilt, database_url: str
):
    app = create_app(make_settings(database_url), chat_model=smollm2, redactor=redactor, prebuilt=prebuilt)
    with TestClient(app) as client:
        log_in(client, "patient")
        cid = client.post("/conversations").json()["id"]
        response = client.post(f"/conversations/{cid}/messages", json={"text": RAW})
        assert response.status_code == 200
        turn = response.json()
        assert len(turn["reply"].strip()) > 0
        assert not turn["escalated"]

    engine = create_engine(database_url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT * FROM audit_events")).mappings().all()
    engine.dispose()
    assert len(rows) == 1
    row = rows[0]
    stored = " ".join(str(value) for value in row.values())
    for secret in (NAME, PHONE, EMAIL):
        assert secret not in stored
    assert "[PERSON_1]" in row["redacted_input"] and "sore throat" in row["redacted_input"]
    assert row["model_id"] == "transformers:smollm2-135m-instruct"
    assert row["redacted_output"]
    assert row["latencies_ms"]  # JSON with per-node timings
    assert row["policy_version"] and len(row["policy_sha256"]) == 64


def test_transformers_timeout_fails_closed(base_model_dir: Path):
    model = TransformersChatModel(base_model_dir, max_new_tokens=200, timeout_s=0.05)
    with pytest.raises(ModelError, match=r"exceeded|failed|busy"):
        model.complete([{"role": "user", "content": "Tell me a long story about the sea."}])
