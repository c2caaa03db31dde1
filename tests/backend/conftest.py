import pytest
from fastapi.testclient import TestClient

from backend.llm import FakeChatModel
from backend.main import create_app


@pytest.fixture
def make_app_client(make_settings, redactor, prebuilt):
    """An entered TestClient without credentials (tests add them per request)."""
    clients: list[TestClient] = []

    def factory(database_url: str, model: FakeChatModel | None = None, **overrides) -> TestClient:
        app = create_app(
            make_settings(database_url, **overrides),
            chat_model=model or FakeChatModel(),
            redactor=redactor,
            prebuilt=prebuilt,
        )
        client = TestClient(app)
        client.__enter__()
        clients.append(client)
        return client

    yield factory
    for client in clients:
        client.__exit__(None, None, None)
