"""Frontend fixtures: the real backend app (fake model, SQLite) behind a FastAPI TestClient."""

import pytest
from fastapi.testclient import TestClient

from backend.llm import FakeChatModel
from backend.main import create_app


@pytest.fixture
def backend(make_settings, redactor, prebuilt, sqlite_url):
    """The real backend app, entered, answering with a fixed model sentence."""
    app = create_app(
        make_settings(sqlite_url),
        chat_model=FakeChatModel(["How long has it hurt?"]),
        redactor=redactor,
        prebuilt=prebuilt,
    )
    with TestClient(app) as client:
        yield client
