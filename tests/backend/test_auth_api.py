"""Authentication and every forbidden path: 401 without a valid token, 403 for the wrong role,
404 for conversations that are not the caller's."""

from datetime import UTC, datetime, timedelta

import pytest
from auth_helpers import PASSWORD, auth_header, create_user
from sqlalchemy import select

from audit import make_session_factory
from backend.auth import AuthService, TokenRow, UserRow
from backend.llm import FakeChatModel

PROTECTED = [
    ("POST", "/conversations"),
    ("GET", "/conversations"),
    ("GET", "/conversations/some-id"),
    ("POST", "/conversations/some-id/messages"),
    ("GET", "/auth/me"),
    ("POST", "/auth/logout"),
    ("GET", "/users"),
    ("POST", "/users"),
    ("PATCH", "/users/someone"),
    ("GET", "/audit/events"),
    ("GET", "/audit/events/export"),
    ("GET", "/audit/stats"),
    ("GET", "/audit/verify"),
    ("GET", "/audit/conversations/some-id"),
    ("GET", "/flags"),
    ("POST", "/flags"),
]

# (method, path, roles that get 403); admin is allowed everywhere
ROLE_RULES = [
    ("POST", "/conversations", ["clinician", "compliance"]),
    ("GET", "/conversations", ["compliance"]),
    ("POST", "/conversations/some-id/messages", ["clinician", "compliance"]),
    ("GET", "/users", ["patient", "clinician", "compliance"]),
    ("POST", "/users", ["patient", "clinician", "compliance"]),
    ("PATCH", "/users/someone", ["patient", "clinician", "compliance"]),
    ("GET", "/audit/events", ["patient", "clinician"]),
    ("GET", "/audit/events/export", ["patient", "clinician"]),
    ("GET", "/audit/stats", ["patient", "clinician"]),
    ("GET", "/audit/verify", ["patient", "clinician"]),
    ("GET", "/audit/conversations/some-id", ["patient"]),
    ("GET", "/flags", ["patient"]),
    ("POST", "/flags", ["patient", "compliance"]),
]


@pytest.fixture
def client(make_app_client, sqlite_url):
    return make_app_client(sqlite_url, FakeChatModel(["ok"]))


@pytest.mark.parametrize(("method", "path"), PROTECTED)
def test_when_no_token_then_401(client, method, path):
    response = client.request(method, path, json={})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert "POST /auth/token" in response.json()["detail"]


@pytest.mark.parametrize(("method", "path"), PROTECTED)
def test_when_token_unknown_then_401(client, method, path):
    response = client.request(method, path, json={}, headers={"Authorization": "Bearer not-a-token"})
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("method", "path", "role"), [(m, p, role) for m, p, roles in ROLE_RULES for role in roles]
)
def test_when_wrong_role_then_403(client, method, path, role):
    response = client.request(method, path, json={}, headers=auth_header(client, role))
    assert response.status_code == 403, response.text
    assert f"role '{role}' may not" in response.json()["detail"]


def test_public_routes_need_no_token(client):
    assert client.get("/health").status_code == 200
    assert client.get("/ready").status_code == 200
    assert client.get("/openapi.json").status_code == 200


def test_login_me_logout(client):
    create_user(client, "clinician", "dr-who")
    assert client.post("/auth/token", json={"username": "dr-who", "password": "wrong"}).status_code == 401
    assert client.post("/auth/token", json={"username": "nobody", "password": PASSWORD}).status_code == 401
    assert client.post("/auth/token", json={"username": "dr-who"}).status_code == 422
    body = client.post("/auth/token", json={"username": "dr-who", "password": PASSWORD}).json()
    assert body["token_type"] == "bearer" and body["role"] == "clinician"
    headers = {"Authorization": f"Bearer {body['access_token']}"}
    assert client.get("/auth/me", headers=headers).json()["username"] == "dr-who"
    assert client.post("/auth/logout", headers=headers).status_code == 204
    assert client.get("/auth/me", headers=headers).status_code == 401


def test_passwords_and_tokens_are_stored_hashed(client):
    create_user(client, "patient", "pat")
    token = client.post("/auth/token", json={"username": "pat", "password": PASSWORD}).json()["access_token"]
    sessions = make_session_factory(client.app.state.services.engine)
    with sessions() as session:
        user = session.scalar(select(UserRow).where(UserRow.username == "pat"))
        tokens = list(session.scalars(select(TokenRow)))
    assert user.password_hash.startswith("scrypt$") and PASSWORD not in user.password_hash
    assert [t.token_hash for t in tokens] != [token] and len(tokens[0].token_hash) == 64


def test_when_token_expired_then_401(client):
    create_user(client, "patient", "late")
    sessions = make_session_factory(client.app.state.services.engine)
    past = datetime.now(UTC) - timedelta(days=2)
    issued = AuthService(sessions, timedelta(hours=1), clock=lambda: past).login("late", PASSWORD)
    response = client.get("/auth/me", headers={"Authorization": f"Bearer {issued.token}"})
    assert response.status_code == 401 and "expired" in response.json()["detail"]


def test_patient_a_cannot_read_or_write_patient_b_conversation(client):
    alice, bob = auth_header(client, "patient"), auth_header(client, "patient")
    cid = client.post("/conversations", headers=alice).json()["id"]
    assert (
        client.post(f"/conversations/{cid}/messages", json={"text": "hi"}, headers=alice).status_code == 200
    )
    assert client.get(f"/conversations/{cid}", headers=bob).status_code == 404
    assert client.post(f"/conversations/{cid}/messages", json={"text": "x"}, headers=bob).status_code == 404
    assert client.get(f"/conversations/{cid}", headers=alice).status_code == 200
    assert [c["id"] for c in client.get("/conversations", headers=alice).json()] == [cid]
    assert client.get("/conversations", headers=bob).json() == []


def test_clinician_sees_only_escalated_conversations(make_app_client, sqlite_url):
    client = make_app_client(sqlite_url, FakeChatModel(["fine", RuntimeError("down")]))
    patient = auth_header(client, "patient")
    calm = client.post("/conversations", headers=patient).json()["id"]
    client.post(f"/conversations/{calm}/messages", json={"text": "a cold"}, headers=patient)
    urgent = client.post("/conversations", headers=patient).json()["id"]
    turn = client.post(f"/conversations/{urgent}/messages", json={"text": "dizzy"}, headers=patient).json()
    assert turn["escalated"]
    clinician = auth_header(client, "clinician")
    assert [c["id"] for c in client.get("/conversations", headers=clinician).json()] == [urgent]
    assert client.get(f"/conversations/{urgent}", headers=clinician).status_code == 200
    assert client.get(f"/conversations/{calm}", headers=clinician).status_code == 404
    assert client.get(f"/audit/conversations/{urgent}", headers=clinician).status_code == 200
    assert client.get(f"/audit/conversations/{calm}", headers=clinician).status_code == 404
    compliance = auth_header(client, "compliance")
    assert client.get(f"/conversations/{urgent}", headers=compliance).status_code == 404
    assert client.get(f"/audit/conversations/{calm}", headers=compliance).status_code == 200
    admin = auth_header(client, "admin")
    assert len(client.get("/conversations", headers=admin).json()) == 2
    assert client.get(f"/conversations/{calm}", headers=admin).status_code == 200


def test_admin_manages_users_and_disabling_revokes_access(client):
    admin = auth_header(client, "admin")
    created = client.post(
        "/users",
        json={"username": "nurse1", "password": "long enough pw", "role": "clinician"},
        headers=admin,
    )
    assert created.status_code == 201 and created.json()["role"] == "clinician"
    again = client.post(
        "/users",
        json={"username": "nurse1", "password": "long enough pw", "role": "clinician"},
        headers=admin,
    )
    assert again.status_code == 409
    for bad in (
        {"username": "x", "password": "long enough pw", "role": "clinician"},
        {"username": "nurse2", "password": "short", "role": "clinician"},
        {"username": "nurse2", "password": "long enough pw", "role": "surgeon"},
    ):
        assert client.post("/users", json=bad, headers=admin).status_code == 422
    token = client.post("/auth/token", json={"username": "nurse1", "password": "long enough pw"}).json()
    nurse = {"Authorization": f"Bearer {token['access_token']}"}
    assert client.get("/auth/me", headers=nurse).status_code == 200
    assert client.patch("/users/nurse1", json={"disabled": True}, headers=admin).json()["disabled"]
    assert client.get("/auth/me", headers=nurse).status_code == 401
    assert (
        client.post("/auth/token", json={"username": "nurse1", "password": "long enough pw"}).status_code
        == 401
    )
    assert client.patch("/users/ghost", json={"disabled": True}, headers=admin).status_code == 404
    assert "nurse1" in [u["username"] for u in client.get("/users", headers=admin).json()]
