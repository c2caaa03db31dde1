"""An app on SQLite with the fake model and one logged-in user per role."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from auth_helpers import auth_header
from fastapi.testclient import TestClient

from backend.llm import FakeChatModel
from backend.main import create_app


@dataclass
class SecuredApp:
    client: TestClient
    model: FakeChatModel
    headers: dict[str, dict[str, str]]  # role -> Authorization header

    def new_patient(self) -> dict[str, str]:
        return auth_header(self.client, "patient")


@pytest.fixture
def make_secured_app(make_settings, redactor, prebuilt, sqlite_url):
    clients: list[TestClient] = []

    def factory(model: FakeChatModel | None = None, **overrides: object) -> SecuredApp:
        model = model or FakeChatModel()
        app = create_app(
            make_settings(sqlite_url, **overrides), chat_model=model, redactor=redactor, prebuilt=prebuilt
        )
        client = TestClient(app)
        client.__enter__()
        clients.append(client)
        headers = {
            role: auth_header(client, role) for role in ("patient", "clinician", "compliance", "admin")
        }
        return SecuredApp(client, model, headers)

    yield factory
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def secured(make_secured_app) -> SecuredApp:
    return make_secured_app()
