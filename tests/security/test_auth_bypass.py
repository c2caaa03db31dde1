"""Auth bypass attempts: forged, tampered and other-role tokens; IDOR on conversation ids."""

import base64
import json

import pytest


def _jwt_none(payload):
    def b64(obj):
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    return f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(payload)}."


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer " + "A" * 43,
        "Bearer " + _jwt_none({"sub": "admin", "role": "admin"}),
        "Bearer ",
        "Bearer null",
        "Bearer ' OR '1'='1",
        "Basic YWRtaW46YWRtaW4=",
        "admin",
    ],
    ids=["random", "jwt-alg-none", "empty", "null", "sql", "basic", "no-scheme"],
)
def test_forged_tokens_are_401_everywhere(secured, authorization):
    for method, path in [
        ("GET", "/auth/me"),
        ("POST", "/conversations"),
        ("GET", "/audit/events"),
        ("GET", "/users"),
    ]:
        response = secured.client.request(method, path, headers={"Authorization": authorization})
        assert response.status_code == 401, (authorization, path, response.text)


def test_tampered_and_revoked_tokens_are_401(secured):
    token = secured.headers["admin"]["Authorization"].removeprefix("Bearer ")
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert secured.client.get("/users", headers={"Authorization": f"Bearer {tampered}"}).status_code == 401
    patient = secured.new_patient()
    assert secured.client.post("/auth/logout", headers=patient).status_code == 204
    assert secured.client.get("/auth/me", headers=patient).status_code == 401


def test_other_role_tokens_are_403(secured):
    h = secured.headers
    cases = [
        ("patient", "GET", "/audit/events"),
        ("patient", "GET", "/users"),
        ("patient", "GET", "/clinician/queue"),
        ("clinician", "POST", "/conversations"),
        ("clinician", "GET", "/audit/events"),
        ("compliance", "POST", "/conversations"),
        ("compliance", "POST", "/users"),
    ]
    for role, method, path in cases:
        kwargs = (
            {"json": {"username": "x", "password": "y" * 12, "role": "admin"}} if path == "/users" else {}
        )
        response = secured.client.request(method, path, headers=h[role], **kwargs)
        assert response.status_code == 403, (role, method, path, response.status_code)


def test_idor_on_conversation_ids_answers_404_without_leaking(secured):
    alice, bob = secured.headers["patient"], secured.new_patient()
    cid = secured.client.post("/conversations", headers=alice).json()["id"]
    posted = secured.client.post(
        f"/conversations/{cid}/messages", json={"text": "I have a rash"}, headers=alice
    )
    assert posted.status_code == 200 and not posted.json()["escalated"]
    client = secured.client
    assert client.get(f"/conversations/{cid}", headers=bob).status_code == 404
    assert client.post(f"/conversations/{cid}/messages", json={"text": "hi"}, headers=bob).status_code == 404
    assert cid not in client.get("/conversations", headers=bob).text
    unknown = client.get("/conversations/00000000-0000-0000-0000-000000000000", headers=bob)
    assert (
        unknown.status_code == 404
        and unknown.json() == client.get(f"/conversations/{cid}", headers=bob).json()
    )
    # the patient may not read the audit trail of their own conversation either (compliance only)
    assert client.get(f"/audit/conversations/{cid}", headers=alice).status_code == 403
    # path tricks stay inside the route
    for trick in (f"{cid}%2F..%2F..%2Fusers", f"..%2F{cid}", f"{cid}%00"):
        assert client.get(f"/conversations/{trick}", headers=bob).status_code in (404, 422)


def test_clinician_cannot_read_a_conversation_that_was_not_escalated(secured):
    patient, clinician = secured.headers["patient"], secured.headers["clinician"]
    cid = secured.client.post("/conversations", headers=patient).json()["id"]
    posted = secured.client.post(
        f"/conversations/{cid}/messages", json={"text": "I have a rash"}, headers=patient
    )
    assert posted.status_code == 200 and not posted.json()["escalated"]
    assert secured.client.get(f"/conversations/{cid}", headers=clinician).status_code == 404
    assert secured.client.get(f"/audit/conversations/{cid}", headers=clinician).status_code == 404
    assert (
        secured.client.get(f"/clinician/conversations/{cid}/revealed", headers=clinician).status_code == 403
    )
    assert cid not in secured.client.get("/conversations", headers=clinician).text
