"""Create users straight through the app's AuthService and log them in over HTTP."""

import uuid

from fastapi.testclient import TestClient

PASSWORD = "correct horse battery"


def create_user(client: TestClient, role: str, username: str | None = None) -> str:
    username = username or f"{role}-{uuid.uuid4().hex[:8]}"
    client.app.state.access.auth.create_user(username, PASSWORD, role)
    return username


def token_for(client: TestClient, role: str, username: str | None = None) -> str:
    username = create_user(client, role, username)
    response = client.post("/auth/token", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def auth_header(client: TestClient, role: str, username: str | None = None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_for(client, role, username)}"}


def log_in(client: TestClient, role: str = "patient", username: str | None = None) -> TestClient:
    """Make every later request of ``client`` carry a fresh token of a new user with ``role``."""
    client.headers.update(auth_header(client, role, username))
    return client
